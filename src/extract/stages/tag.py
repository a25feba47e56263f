"""UPOS and lemma for every token, from a tagging backend.

Backends: `crf` (python-crfsuite, always available), `stanza` (official stanza models in
models/stanza), `ensemble` (the CRF and a locally trained stanza tagger combined,
`tagger-<lang>-ensemble`).  `auto` takes, in order: official stanza models, the
ensemble, the CRF; falling back from a missing ensemble to the CRF is logged.
"""
from __future__ import annotations

import logging

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..tagging.base import Tagger
from . import is_content

VERSION = "tagger.v1"
BACKENDS = ("auto", "crf", "stanza", "ensemble")

log = logging.getLogger(__name__)

# The UPOS of `tagger-<lang>-crf` when the pipeline's tagger is another one that holds it
# (the ensemble): the NER model's features were trained on that tagger's tags, and
# mismatched tags cost it (PEYMA dev actors 0.834 with them, 0.830 with the ensemble's).
if not Token.has_extension("model_upos"):
    Token.set_extension("model_upos", default=None)


def load_tagger(lang: str, backend: str = "auto", models: str | None = None) -> Tagger:
    """The tagger of `backend` for `lang` (see the module doc for `auto`)."""
    from pathlib import Path

    directory = Path(models) if models else None
    if backend not in BACKENDS:
        raise ValueError(f"tagger backend must be one of {BACKENDS}, not {backend!r}")
    if backend in ("auto", "stanza"):
        from ..tagging import stanza_backend

        stanza_dir = directory / "stanza" if directory else None
        if backend == "stanza" or stanza_backend.available(lang, stanza_dir):
            return stanza_backend.StanzaTagger.load(lang, stanza_dir)
    if backend in ("auto", "ensemble"):
        from ..errors import ExtractError
        from ..tagging import ensemble

        if backend == "ensemble":
            return ensemble.EnsembleTagger.load(lang, directory)
        if ensemble.available(lang, directory):
            try:
                return ensemble.EnsembleTagger.load(lang, directory)
            except ExtractError as exc:  # e.g. the stanza component not installed
                log.warning("tagger: the %s ensemble cannot be loaded (%s); using the CRF alone, "
                            "which is less accurate", lang, exc)
        else:
            log.info("tagger: no %s in the models folder; using the CRF", ensemble.ensemble_name(lang))
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
        forms = [[t.norm_ for t in s] for s in sentences]
        with_model_tags = getattr(self.tagger, "tag_with_model_tags", None)  # the ensemble's
        tagged, crf_tags = with_model_tags(forms) if with_model_tags else (self.tagger.tag(forms), None)
        for tokens, tags in zip(sentences, tagged):
            for token, (upos, lemma) in zip(tokens, tags):
                token.pos_ = upos
                token.lemma_ = lemma
        for tokens, tags in zip(sentences, crf_tags or ()):
            for token, upos in zip(tokens, tags):
                token._.model_upos = upos
        return doc


@Language.factory(
    "extract_tagger",
    requires=["token.norm", "token.is_sent_start"],
    assigns=["token.pos", "token.lemma", "token._.model_upos"],
    default_config={"backend": "auto", "models": None},
)
def make_tagger(nlp: Language, name: str, backend: str, models: str | None) -> TagStage:
    return TagStage(load_tagger(nlp.lang, backend, models))
