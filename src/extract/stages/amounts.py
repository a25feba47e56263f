"""The amounts stage: MONEY, PERCENT and QUANTITY spans from the language's amounts.yaml.

It runs after the dates stage, which decides first what is a date: no number inside a date
span ("سال ۱۳۵۷", "۱۵ سال") becomes an amount.  The counted noun of a QUANTITY is the next
token when the tagger calls it a noun; its lemma is the unit.
"""
from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from . import declare_span_groups, item_span
from .amount_rules import AmountFinder, amount_tables

VERSION = "amounts.v1"


class AmountStage:
    version = VERSION

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.tables = amount_tables(lang)
        self.source = f"rules:{lang}/amounts.yaml"

    def find(self, text: str, blocked_ranges: list[tuple[int, int]] = (),
             nouns: dict[int, tuple[int, str, str]] | None = None) -> list[tuple[int, int, dict]]:
        """(normalized start, end, item) of every amount in the normalized `text`.

        `blocked_ranges`: normalized spans taken by earlier stages (dates); `nouns`: per
        normalized token start, (end, UPOS, lemma) of the tagged tokens.
        """
        blocked_ranges = sorted(blocked_ranges)

        def blocked(a: int, b: int) -> bool:
            return any(x < b and a < y for x, y in blocked_ranges)

        return AmountFinder(self.tables, text, blocked, nouns).find()

    def __call__(self, doc: Doc) -> Doc:
        normalized = doc._.normalized
        blocked = [normalized.from_raw(s.start_char, s.end_char) for s in doc.spans.get("dates", [])]
        nouns = _TaggedTokens(doc, normalized)
        spans = []
        for a, b, item in self.find(normalized.text, blocked, nouns):
            raw_a, raw_b = normalized.to_raw(a, b)
            span = item_span(doc, raw_a, raw_b, "amounts", spans)
            if span is None:
                continue
            span._.item = {"start": raw_a, "end": raw_b, **item}
            spans.append(span)
        doc.spans["amounts"] = spans
        return doc


class _TaggedTokens:
    """normalized start of a token → (normalized end, UPOS, lemma), looked up only when asked."""

    def __init__(self, doc: Doc, normalized) -> None:
        self.doc, self.normalized = doc, normalized
        self.starts = doc.to_array("IDX").tolist()

    def get(self, norm_start: int):
        if norm_start >= len(self.normalized.starts):
            return None
        raw = self.normalized.starts[norm_start]
        j = bisect_right(self.starts, raw) - 1
        if j < 0 or self.starts[j] != raw or self.doc._.token_features[j] is None:
            return None
        token = self.doc[j]
        a, b = self.normalized.from_raw(token.idx, token.idx + len(token.text))
        return (b, token.pos_, token.lemma_) if a == norm_start else None


@Language.factory(
    "extract_amounts",
    requires=["token.pos", "token.lemma", "doc.spans"],
    assigns=["doc.spans"],
    default_config={"lang": None},
)
def make_amounts(nlp: Language, name: str, lang: str | None) -> AmountStage:
    return AmountStage(lang or nlp.lang)


declare_span_groups("extract_amounts", needs=("dates",), sets=("amounts",))
