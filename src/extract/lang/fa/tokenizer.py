"""Persian sentences and tokens: hazm's tokenizers on the normalized view.

hazm returns strings, not offsets; we find each one in order in the text it was given,
so every token keeps its normalized offsets (and through the map, its raw ones).
Numbers are cut out first so that `2/1`, `12,000` and `1402/07/14` stay whole (hazm
would split them at the slash or comma).
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .. import Span, line_spans

NUMBER = regex.compile(r"\d+(?:[.,/:]\d+)*")
FALLBACK = regex.compile(r"\d+(?:[.,/:]\d+)*|[\p{L}\p{M}\u200c]+|([^\p{L}\p{N}\s])\1*|\S")


@lru_cache(maxsize=1)
def _word_tokenizer():
    from hazm import WordTokenizer

    return WordTokenizer(join_verb_parts=False, separate_emoji=True)


@lru_cache(maxsize=1)
def _sentence_tokenizer():
    from hazm import SentenceTokenizer

    return SentenceTokenizer()


def _locate(pieces: list[str], text: str, offset: int, out: list[Span]) -> None:
    """Find hazm's pieces in order inside `text`; whatever hazm changed is re-tokenized."""
    pos = 0
    for piece in pieces:
        found = text.find(piece, pos) if piece else -1
        if found < 0 or text[pos:found].strip():
            break
        out.append((offset + found, offset + found + len(piece)))
        pos = found + len(piece)
    else:
        pos = len(text)
    out.extend((offset + m.start(), offset + m.end()) for m in FALLBACK.finditer(text, pos))


def tokenize(text: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for number in NUMBER.finditer(text):
        segment = text[pos:number.start()]
        if segment.strip():
            _locate(_word_tokenizer().tokenize(segment), segment, pos, spans)
        spans.append((number.start(), number.end()))
        pos = number.end()
    segment = text[pos:]
    if segment.strip():
        _locate(_word_tokenizer().tokenize(segment), segment, pos, spans)
    return spans


def sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    for start, end in line_spans(text):
        line = text[start:end]
        pos = 0
        for sentence in _sentence_tokenizer().tokenize(line):
            found = line.find(sentence, pos)
            if found < 0:  # hazm rewrote the sentence: keep the rest of the line whole
                break
            spans.append((start + found, start + found + len(sentence)))
            pos = found + len(sentence)
        else:
            continue
        rest = line[pos:]
        if rest.strip():
            left = len(rest) - len(rest.lstrip())
            spans.append((start + pos + left, start + pos + len(rest.rstrip())))
    return spans
