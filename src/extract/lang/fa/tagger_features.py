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


# inflections hazm's lexicon lists without: plural, ezafe/indefinite ی, comparative,
# possessive clitics (longest first; with or without the ZWNJ before them)
_SUFFIXES = ("ترین", "های", "هایی", "ها", "تر", "ای", "ی", "یی", "ام", "ات", "اش", "مان", "تان", "شان", "م", "ت", "ش")
_SUFFIXES = tuple(sorted(_SUFFIXES, key=len, reverse=True))


def stem_lexicon(lw: str, lexicon: dict[str, str]) -> str | None:
    """The lexicon's tag class of the word, else of its stem (suffix + ZWNJ stripped),
    prefixed by the suffix: `های:N` for کتاب‌های, `ترین:AJ` for بزرگ‌ترین."""
    if lw in lexicon:
        return lexicon[lw]
    for suffix in _SUFFIXES:
        if lw.endswith(suffix) and len(lw) - len(suffix) >= 2:
            stem = lw[: -len(suffix)].rstrip(ZWNJ)
            hit = lexicon.get(stem) or lexicon.get(stem.replace(ZWNJ, ""))
            if hit:
                return f"{suffix}:{hit}"
    if ZWNJ in lw:
        last = lw.split(ZWNJ)[-1]
        hit = lexicon.get(lw.split(ZWNJ)[0])
        if hit:
            return f"z:{hit}"
        if last in lexicon:
            return f"zl:{lexicon[last]}"
    return None
