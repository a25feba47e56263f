"""Persian hooks for the CRF tagger: the parts of a ZWNJ-joined word and the tag
classes hazm's lexicon gives it.

Feature strings here are part of the trained model: changing them needs `make models`.
"""
from __future__ import annotations

ZWNJ = "\u200c"


def lookup_forms(word: str) -> list[str]:
    """An unknown کتاب‌ها may be known as کتابها (raw text often lacks the ZWNJ)."""
    return [word.replace(ZWNJ, "")] if ZWNJ in word else []


def token_features(lw: str, word: str, lexicon: dict[str, str]) -> list[str]:
    feats = []
    if ZWNJ in word:
        parts = [p for p in lw.split(ZWNJ) if p]
        if parts:
            feats += ["z0=" + parts[0], "zl=" + parts[-1], "zn=" + str(min(len(parts), 4))]
            lex = lexicon.get(parts[0])
            if lex:
                feats.append("z0lex=" + lex)
    feats.append("lex=" + (lexicon.get(word) or "?"))
    return feats


def neighbour_features(w: str, offset: int) -> list[str]:
    return []
