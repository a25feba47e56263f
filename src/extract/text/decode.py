"""Turning input bytes into the raw text every offset refers to.

UTF-8 with or without a BOM, UTF-16 with a BOM; line endings are kept exactly
(the spec's `open(path, encoding="utf-8-sig", newline="")`).  Anything else is E001.
"""
from __future__ import annotations

import codecs

from ..errors import ExtractError


def decode_bytes(data: bytes, path: str = "<stdin>") -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        detail = f"invalid {encoding.replace('-sig', '')} byte(s) {data[exc.start:exc.start + 4]!r} at byte {exc.start}"
        raise ExtractError("E001", path=path, detail=detail) from exc


def read_text(path: str) -> str:
    with open(path, "rb") as handle:
        return decode_bytes(handle.read(), path)
