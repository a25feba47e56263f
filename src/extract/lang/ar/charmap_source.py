"""Builds the Arabic character map from camel-tools.

For every code point of the Arabic blocks and presentation forms we record what
camel-tools' `normalize_unicode` (ligatures, presentation forms) followed by `dediac_ar`
(diacritics) makes of it; to that we add ASCII digits, '.'/','/'%' for the Arabic
separators, Persian letters folded to their Arabic forms, and the invisible marks every
language drops.  Regenerate with `python -m extract.lang.ar.charmap_source`.
Alef/yeh/teh-marbuta folding is *not* here: it is for matching keys only (see
`match_key`), the normalized view keeps أ/إ/ى/ة as written.
"""
from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from ...text.charmap import COMMON_DELETE, closed, dump_charmap

HERE = Path(__file__).parent
BLOCKS = [(0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]
DIGITS = {c: str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")} | {c: str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
SEPARATORS = {"\u066b": ".", "\u066c": ",", "\u066a": "%"}  # ٫ ٬ ٪
PERSIAN_LETTERS = {"\u06cc": "\u064a", "\u06a9": "\u0643", "\u0671": "\u0627"}  # ی→ي ک→ك ٱ→ا


def build() -> dict[str, str]:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import normalize_unicode

    table: dict[str, str] = {}
    for low, high in BLOCKS:
        for code in range(low, high + 1):
            char = chr(code)
            if not char.isprintable() and char not in "\u0640":
                continue
            out = dediac_ar(normalize_unicode(char))
            if out != char:
                table[char] = out
    for char in COMMON_DELETE + "\u200c":  # ZWNJ has no role in Arabic script text
        table[char] = ""
    table.update(DIGITS)
    table.update(SEPARATORS)
    table.update(PERSIAN_LETTERS)
    return closed(table)


def main() -> None:
    dump_charmap(HERE / "charmap.yaml", build(),
                 f"Arabic character map, generated from camel-tools {version('camel-tools')} by\n"
                 "python -m extract.lang.ar.charmap_source -- do not edit by hand.")


if __name__ == "__main__":
    main()
