"""UPOS and lemma for every token, from a tagging backend (CRF by default, stanza when
its models are installed)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..tagging.base import Tagger
from . import is_content

VERSION = "tagger.v1"
BACKENDS = ("auto", "crf", "stanza")


def load_tagger(lang: str, backend: str = "auto", models: str | None = None) -> Tagger:
    """`auto` takes stanza when official stanza models for `lang` are present, else the CRF."""
    from pathlib import Path

    directory = Path(models) if models else None
    if backend not in BACKENDS:
        raise ValueError(f"tagger backend must be one of {BACKENDS}, not {backend!r}")
    if backend in ("auto", "stanza"):
        from ..tagging import stanza_backend

        stanza_dir = directory / "stanza" if directory else None
        if backend == "stanza" or stanza_backend.available(lang, stanza_dir):
            return stanza_backend.StanzaTagger.load(lang, stanza_dir)
    from ..tagging.crf import CRFTagger

    return CRFTagger.load(lang, directory)


class TagStage:
    version = VERSION

    def __init__(self, tagger: Tagger) -> None:
        self.tagger = tagger
        self.source = tagger.source

    def __call__(self, doc: Doc) -> Doc:
        keep = is_content(doc)
        sentences = [[t for t in sent if keep[t.i]] for sent in doc.sents]
        sentences = [s for s in sentences if s]
        tagged = self.tagger.tag([[t.norm_ for t in s] for s in sentences])
        for tokens, tags in zip(sentences, tagged):
            for token, (upos, lemma) in zip(tokens, tags):
                token.pos_ = upos
                token.lemma_ = lemma
        return doc


@Language.factory(
    "extract_tagger",
    requires=["token.norm", "token.is_sent_start"],
    assigns=["token.pos", "token.lemma"],
    default_config={"backend": "auto", "models": None},
)
def make_tagger(nlp: Language, name: str, backend: str, models: str | None) -> TagStage:
    return TagStage(load_tagger(nlp.lang, backend, models))
