"""Persian normalization: hazm's character map (data), then context rules (data)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex

from ...text.charmap import load_charmap
from ...text.normalize import ContextRule, Normalized, apply_rules, load_rules, map_chars

HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def _verbs() -> frozenset[str]:
    from hazm import Lemmatizer

    return frozenset(Lemmatizer(joined_verb_parts=False).verbs)


def _forms_verb(match: "regex.Match[str]") -> bool:
    """Accept a می/نمی join only if prefix + ZWNJ + the following word is a known verb."""
    text = match.string
    prefix = "نمی" if text[max(0, match.start() - 3):match.start()] == "نمی" else "می"
    word = _WORD.match(text, match.end())
    return bool(word) and f"{prefix}\u200c{word.group(0)}" in _verbs()


_WORD = regex.compile(r"\p{L}+")
_WORD_BEFORE = regex.compile(r"\p{L}+$")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """hazm's words.dat: all its words, and those it has seen in its corpus (count > 0);
    the others are inflected or junk forms (`انت`) that say nothing about what a word is."""
    from hazm.utils import words_list

    entries = words_list()
    return frozenset(w for w, _c, _t in entries), frozenset(w for w, c, _t in entries if c > 0)


def _words() -> frozenset[str]:
    return _lexicon()[0]


def _counted_words() -> frozenset[str]:
    return _lexicon()[1]


def _plural_stem(match: "regex.Match[str]") -> bool:
    """پیمانها → پیمان‌ها when hazm knows پیمان but not پیمانها (so تنها stays whole),
    and the word before ی is not itself a word ending in ها (انتهای, منتهای stay whole)."""
    text = match.string
    stem = _WORD_BEFORE.search(text, 0, match.start())
    rest = _WORD.match(text, match.end())
    if not stem or not rest:
        return False
    words = _words()
    return (stem.group(0) in words and stem.group(0) + rest.group(0) not in words
            and stem.group(0) + "ها" not in _counted_words())


CHECKS = {"verb": _forms_verb, "plural_stem": _plural_stem}


@lru_cache(maxsize=1)
def charmap() -> dict[str, str]:
    return load_charmap(HERE / "charmap.yaml")


@lru_cache(maxsize=1)
def rules() -> tuple[ContextRule, ...]:
    return load_rules(HERE / "rules.yaml", CHECKS)


def normalize(raw: str) -> Normalized:
    mapped = map_chars(Normalized.identity(raw), charmap())
    return apply_rules(mapped, rules())
