"""Arabic sentences and tokens by rule, on the normalized view.

Numbers stay whole (`78.3`, `12,000`, `2019/7/21`); words are whitespace/punctuation
delimited and NOT split at clitics: the candidate stems behind proclitics (و ف ب ل ك
ال) are exposed per token (`proclitic_stems`) so lexicon lookups can match `لباكستان`
as `باكستان` and put the span on the stem.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex
import yaml

from .. import Span, line_spans

HERE = Path(__file__).parent
TOKEN = regex.compile(r"\d+(?:[.,/:]\d+)*|[\p{L}\p{M}]+|([^\p{L}\p{N}\s])\1*|\S")
SENTENCE_END = regex.compile(r"(?<=[.!?؟…]+)\s+")


def tokenize(text: str) -> list[Span]:
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


def sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    for start, end in line_spans(text):
        pos = start
        for gap in SENTENCE_END.finditer(text, start, end):
            spans.append((pos, gap.start()))
            pos = gap.end()
        if pos < end:
            spans.append((pos, end))
    return spans


@lru_cache(maxsize=1)
def proclitic_prefixes() -> tuple[str, ...]:
    """Every proclitic string: conjunction? + preposition? + article?, longest first
    (لل already holds its preposition; the future س never precedes the article)."""
    data = yaml.safe_load((HERE / "clitics.yaml").read_text(encoding="utf-8"))["strip_prefixes"]
    combos = {
        conj + prep + art
        for conj in ["", *data["conjunctions"]]
        for prep in ["", *data["prepositions"]]
        for art in ["", *data["articles"]]
        if not (art == "لل" and prep) and not (prep == "س" and art)
    }
    combos.discard("")
    return tuple(sorted(combos, key=len, reverse=True))


@lru_cache(maxsize=100_000)
def proclitic_splits(word: str, min_stem: int = 2) -> tuple[tuple[str, str], ...]:
    """Every (prefix, stem) a word could be read as, longest prefix first
    (`وباكستان` → (وب, اكستان), (و, باكستان)); a stem keeps `min_stem` letters.
    Which reading is right is for the lexicon that looks the stem up."""
    return tuple((p, word[len(p):]) for p in proclitic_prefixes() if word.startswith(p) and len(word) - len(p) >= min_stem)


def proclitic_stems(word: str) -> list[tuple[int, str]]:
    """The token feature: (prefix length, stem) readings, longest prefix first."""
    return [(len(prefix), stem) for prefix, stem in proclitic_splits(word)]
