"""Builds the Persian character map from hazm's Normalizer tables.

hazm is the source of the rules; we keep its character refinement, diacritic and
special-character removal and Unicode ligature expansion, and deliberately differ in
two places: digits become ASCII (not Persian) so rules can use \\d, and the decimal
and thousands separators become '.' and ','.  Regenerate with
`python -m extract.lang.fa.charmap_source` after a hazm upgrade.
"""
from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from ...text.charmap import COMMON_DELETE, closed, dump_charmap

HERE = Path(__file__).parent
DIGITS = {c: str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")} | {c: str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
SEPARATORS = {"\u066b": ".", "\u066c": ",", "\u066a": "%"}  # ٫ ٬ ٪


def _class_chars(pattern: str) -> list[str]:
    """The characters of a regex character class like '[\\u064b...]'."""
    body = re.fullmatch(r"\[(.*)\]", pattern, re.S)
    return list(body.group(1)) if body else []


def build() -> dict[str, str]:
    import hazm

    normalizer = hazm.Normalizer()
    table: dict[str, str] = {}
    for source, target in zip(normalizer.translation_src, normalizer.translation_dst):
        if source != target and not source.isspace():
            table[source] = target
    for pattern, _ in normalizer.diacritics_patterns + normalizer.specials_chars_patterns:
        for char in _class_chars(pattern):
            table[char] = ""
    for pattern, target in normalizer.replacements:
        for char in pattern.strip("()").split("|"):
            if len(char) == 1:
                table[char] = target
    for char in COMMON_DELETE:
        table[char] = ""
    table.update(DIGITS)
    table.update(SEPARATORS)
    return closed(table)


def main() -> None:
    import hazm

    dump_charmap(HERE / "charmap.yaml", build(),
                 f"Persian character map, generated from hazm {version('hazm')} by\n"
                 "python -m extract.lang.fa.charmap_source -- do not edit by hand.")


if __name__ == "__main__":
    main()
