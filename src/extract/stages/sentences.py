"""Sentence boundaries from the language's sentence splitter, snapped to tokens."""
from __future__ import annotations

from bisect import bisect_left

import numpy
from spacy.attrs import SENT_START

from spacy.language import Language
from spacy.tokens import Doc

from ..lang import get_language
from . import declare_span_groups, is_content

VERSION = "sentences.v1"


class SentenceSplitter:
    version = VERSION
    def __init__(self, lang: str) -> None:
        self.profile = get_language(lang)

    def __call__(self, doc: Doc) -> Doc:
        normalized = doc._.normalized
        content = [t for t, keep in zip(doc, is_content(doc)) if keep]
        starts = [t.idx for t in content]
        first_tokens: set[int] = set()
        for start, end in self.profile.sentences(normalized.text):
            raw_start, _ = normalized.to_raw(start, end)
            k = bisect_left(starts, raw_start)
            if k < len(content):
                first_tokens.add(content[k].i)
        if content:
            first_tokens.add(content[0].i)
        # one array write: setting token.is_sent_start one by one is quadratic in spaCy
        starts = numpy.full((len(doc), 1), -1, dtype="int32").astype("uint64")
        for i in first_tokens | ({0} if len(doc) else set()):
            starts[i, 0] = 1
        doc.from_array([SENT_START], starts)
        spans = []
        keep = is_content(doc)
        for sent in doc.sents:
            words = [t.i for t in sent if keep[t.i]]
            if words:
                spans.append(doc[words[0]:words[-1] + 1])
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


declare_span_groups("extract_sentences", sets=("sentences",))
