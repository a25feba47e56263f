"""Sentence boundaries from the language's sentence splitter, snapped to tokens."""
from __future__ import annotations

from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from ..lang import get_language

VERSION = "sentences.v1"


class SentenceSplitter:
    version = VERSION
    def __init__(self, lang: str) -> None:
        self.profile = get_language(lang)

    def __call__(self, doc: Doc) -> Doc:
        normalized = doc._.normalized
        content = [t for t in doc if not t._.gap]
        starts = [t.idx for t in content]
        first_tokens: set[int] = set()
        for start, end in self.profile.sentences(normalized.text):
            raw_start, _ = normalized.to_raw(start, end)
            k = bisect_left(starts, raw_start)
            if k < len(content):
                first_tokens.add(content[k].i)
        if content:
            first_tokens.add(content[0].i)
        for token in doc:
            token.is_sent_start = token.i == 0 or token.i in first_tokens
        spans = []
        for sent in doc.sents:
            words = [t for t in sent if not t._.gap]
            if words:
                spans.append(doc[words[0].i:words[-1].i + 1])
        doc.spans["sentences"] = spans
        return doc


@Language.factory(
    "extract_sentences",
    requires=["token.norm"],
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={"lang": None},
)
def make_sentences(nlp: Language, name: str, lang: str | None) -> SentenceSplitter:
    return SentenceSplitter(lang or nlp.lang)
