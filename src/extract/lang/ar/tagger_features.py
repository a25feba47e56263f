"""Arabic hooks for the CRF tagger: proclitic readings of a word.

Feature strings here are part of the trained model: changing them needs `make models`.
"""
from __future__ import annotations

from .tokenizer import proclitic_splits


def lookup_forms(word: str) -> list[str]:
    """Forms to look a word up under when it is unknown, best first: its stems behind
    proclitics, with the article restored after لل (للولايات → الولايات)."""
    forms = []
    for prefix, stem in proclitic_splits(word):
        forms.append(stem)
        if prefix.endswith("لل"):
            forms.append("ال" + stem)
    return forms


def token_features(lw: str, word: str, lexicon: dict[str, str]) -> list[str]:
    splits = proclitic_splits(lw)
    prefix, stem = splits[0] if splits else ("", lw)
    feats = ["pre=" + prefix]
    if prefix:
        feats += ["stem=" + stem, "stem_s2=" + stem[-2:], "stem_p2=" + stem[:2]]
        short = splits[-1][1]
        if short != stem:
            feats.append("stemS=" + short)
    return feats


def neighbour_features(w: str, offset: int) -> list[str]:
    splits = proclitic_splits(w)
    prefix, stem = splits[0] if splits else ("", w)
    return ([f"{offset}:stem={stem}"] if prefix else []) + [f"{offset}:pre={prefix}"]
