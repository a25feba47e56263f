"""Persian or Arabic? Decided from letters each language alone uses.

Each language folder lists its marker letters with weights; the language with the
highest weighted share wins.  Text with no letters of the Arabic script, or whose
markers tie, is not guessed at: E002 (the user can say --lang).
"""
from __future__ import annotations

from collections import Counter

from .errors import ExtractError
from .lang import get_language, supported_languages

MIN_SCRIPT_SHARE = 0.3  # of all letters, for the text to be in an Arabic-script language


def _is_arabic_script(char: str) -> bool:
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF


def scores(text: str) -> dict[str, float]:
    counts = Counter(text)
    return {
        code: sum(counts[ch] * weight for ch, weight in get_language(code).marker_letters.items())
        for code in supported_languages()
    }


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
