"""Persian lemma fallback for words the CRF tagger's lemma table has never seen.

Uses hazm's rule-and-lexicon `Lemmatizer` (hazm 0.10).  For verbs hazm answers
`past#present` (`رفت#رو`); the UD Persian treebanks (PerDT) use the past stem, so that
is what we return (`#هست` -> `هست`).  Without hazm the word itself is the lemma.
"""
from __future__ import annotations

from functools import lru_cache

# UD UPOS -> hazm's coarse tags.
_HAZM_POS = {"VERB": "V", "AUX": "V", "NOUN": "N", "PROPN": "N", "ADJ": "AJ", "ADV": "ADV", "PRON": "PRO"}


@lru_cache(maxsize=1)
def _lemmatizer():
    try:
        from hazm import Lemmatizer
    except Exception:  # hazm missing or broken: identity fallback
        return None
    return Lemmatizer()


@lru_cache(maxsize=50_000)
def fallback_lemma(word: str, upos: str) -> str:
    """The lemma of a normalized Persian `word` tagged `upos` (best effort)."""
    if upos in ("PUNCT", "NUM", "SYM", "X") or not word:
        return word
    lemmatizer = _lemmatizer()
    if lemmatizer is None:
        return word
    pos = _HAZM_POS.get(upos, "")
    if pos in ("", "PRO"):
        return word
    try:
        lemma = lemmatizer.lemmatize(word, pos)
    except Exception:
        return word
    if "#" in lemma:
        past, _, present = lemma.partition("#")
        lemma = past or present
    return lemma or word
