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
def _prefix_parts() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    data = yaml.safe_load((HERE / "clitics.yaml").read_text(encoding="utf-8"))["strip_prefixes"]
    return tuple(data["conjunctions"]), tuple(data["prepositions"]), tuple(data["articles"])


def proclitic_stems(word: str, min_stem: int = 2) -> list[tuple[int, str]]:
    """Every (prefix length, stem) a word could be read as, longest prefix first.

    `وللباكستان` → [(3, 'باكستان')...] is not produced: only the combinations
    conjunction? + preposition? + article? are tried, and a stem must keep `min_stem`
    letters.  Which reading is right is for the lexicon that looks the stem up.
    """
    conjunctions, prepositions, articles = _prefix_parts()
    prefixes = {""}
    for group in (conjunctions, prepositions, articles):
        prefixes |= {p + g for p in prefixes for g in group}
    found = [
        (len(p), word[len(p):]) for p in prefixes
        if p and word.startswith(p) and len(word) - len(p) >= min_stem
    ]
    return sorted(found, key=lambda item: -item[0])
