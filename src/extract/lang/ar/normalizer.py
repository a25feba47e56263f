"""Arabic normalization: camel-tools' Unicode normalization and dediacritization,
compiled into a character map (data), applied with the offset map."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ...text.charmap import load_charmap
from ...text.normalize import Normalized, map_chars

HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def charmap() -> dict[str, str]:
    return load_charmap(HERE / "charmap.yaml")


def normalize(raw: str) -> Normalized:
    return map_chars(Normalized.identity(raw), charmap())
