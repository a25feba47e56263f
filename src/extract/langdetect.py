"""Persian or Arabic? Decided from letters each language alone uses.

Each language folder lists marker letters and function words with weights; the
language with the highest weighted count wins.  Text with no letters of the Arabic script, or whose
markers tie, is not guessed at: E002 (the user can say --lang).
"""
from __future__ import annotations

from collections import Counter

import regex

from .errors import ExtractError
from .lang import get_language, supported_languages

MIN_SCRIPT_SHARE = 0.3  # of all letters, for the text to be in an Arabic-script language


def _is_arabic_script(char: str) -> bool:
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF


WORD = regex.compile(r"\p{L}+")


def scores(text: str) -> dict[str, float]:
    letters = Counter(text)
    words = Counter(WORD.findall(text))
    result = {}
    for code in supported_languages():
        profile = get_language(code)
        result[code] = sum(letters[ch] * w for ch, w in profile.marker_letters.items()) + sum(
            words[word] * w for word, w in profile.marker_words.items())
    return result


def detect(text: str, path: str = "<text>") -> str:
    letters = [c for c in text if c.isalpha()]
    script = sum(1 for c in letters if _is_arabic_script(c))
    if not letters or script / len(letters) < MIN_SCRIPT_SHARE:
        share = f"{script}/{len(letters)}" if letters else "no"
        raise ExtractError("E002", path=path, detail=f"{share} letters are in the Arabic script")
    ranked = sorted(scores(text).items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top == 0 or top == second:
        raise ExtractError("E002", path=path, detail="no letters that tell Persian from Arabic")
    return best
