"""Arabic normalization: camel-tools' Unicode normalization and dediacritization,
compiled into a character map (data), then context rules (data), with the offset map."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ...text.charmap import load_charmap
from ...text.normalize import ContextRule, Normalized, apply_rules, load_rules, map_chars

HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def charmap() -> dict[str, str]:
    return load_charmap(HERE / "charmap.yaml")


@lru_cache(maxsize=1)
def rules() -> tuple[ContextRule, ...]:
    return load_rules(HERE / "rules.yaml")


def normalize(raw: str) -> Normalized:
    return apply_rules(map_chars(Normalized.identity(raw), charmap()), rules())
