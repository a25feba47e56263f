"""Character maps as data: YAML files with `map` (char → replacement) and `delete` (chars).

Languages generate their map from the library that owns the rules (hazm, camel-tools)
and commit the result, so normalization is reviewable data and a library upgrade that
changes the rules shows up as a failing drift test, not as silent output changes.
"""
from __future__ import annotations

from pathlib import Path

import yaml

# Invisible or decorative code points every language drops from the normalized view.
COMMON_DELETE = (
    "\u00ad"  # soft hyphen
    "\u200b\u200d\u200e\u200f"  # zero width space/joiner, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # BOM / zero width no-break space inside text
    "\u0640"  # tatweel (kashida)
)


def load_charmap(path: Path) -> dict[str, str]:
    return _table(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, path)


def load_keymap(path: Path) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """A matching-key map: the character table, and the word endings folded after it
    (`suffixes`: ending → replacement), read in one pass over the file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return _table(data, path), tuple((data.get("suffixes") or {}).items())


def _table(data: dict, path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    for source, target in (data.get("map") or {}).items():
        if len(source) != 1:
            raise ValueError(f"{path}: map key {source!r} is not one character")
        table[source] = target
    for char in data.get("delete") or []:
        table[char] = ""
    return table


def dump_charmap(path: Path, table: dict[str, str], header: str) -> None:
    """Write a table with \\u escapes so reviewers can see invisible characters."""

    def q(s: str) -> str:
        return '"' + "".join(c if c.isalnum() and ord(c) < 0x250 else f"\\u{ord(c):04x}" for c in s) + '"'

    lines = [f"# {line}" for line in header.strip().splitlines()]
    mapped = {k: v for k, v in sorted(table.items()) if v}
    deleted = sorted(k for k, v in table.items() if not v)
    lines.append("map:")
    lines += [f"  {q(k)}: {q(v)}  # {k if k.isprintable() and not k.isspace() else ''} → {v}" for k, v in mapped.items()]
    lines.append("delete:")
    lines += [f"  - {q(k)}" for k in deleted]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def closed(table: dict[str, str]) -> dict[str, str]:
    """Apply the table to its own outputs, so one pass is final (ﳲ → ـ → '')."""
    result = dict(table)
    for _ in range(3):
        result = {k: "".join(result.get(c, c) if c != k else c for c in v) for k, v in result.items()}
    return result
