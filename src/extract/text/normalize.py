"""Normalization that never loses an offset.

A `Normalized` holds the raw text, the normalized text, and for every normalized
character the raw span `[starts[k], ends[k])` it came from.  Any span of the
normalized text maps back to raw offsets with `to_raw`, so rules match clean text
and still report positions in the text the user gave.

Normalization is data driven: a language supplies a character map (one raw character
→ zero or more characters) and a list of context rules (regex with lookarounds →
replacement).  Both run through `rewrite`, the one place where alignment is kept.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from pathlib import Path
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

import regex

# A piece says: the source range [start, end) of the current text becomes `out`.
Piece = tuple  # (start, end, out) or (start, end, out, aligned): aligned=False maps every
# output character to the whole source (a reordering such as "5ر47" -> "47.5")


@dataclass(frozen=True)
class Normalized:
    raw: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw offsets of the normalized span [start, end)."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}-{end} outside normalized text of length {len(self.text)}")
        if start == end:
            pos = self.starts[start] if start < len(self.text) else len(self.raw)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def from_raw(self, start: int, end: int) -> tuple[int, int]:
        """The normalized span covering the raw span [start, end): every normalized
        character whose raw source overlaps it (or, for an empty span, the point there)."""
        a = bisect_right(self.ends, start)  # the first character ending after `start`
        b = bisect_left(self.starts, end) if end > start else a
        size = len(self.text)
        return min(a, size), max(min(b, size), min(a, size))

    def raw_slice(self, start: int, end: int) -> str:
        a, b = self.to_raw(start, end)
        return self.raw[a:b]

    @classmethod
    def identity(cls, raw: str) -> "Normalized":
        return cls(raw, raw, tuple(range(len(raw))), tuple(range(1, len(raw) + 1)))


def rewrite(current: Normalized, pieces: Iterable[Piece]) -> Normalized:
    """Apply non-overlapping, ordered replacements to `current.text`, keeping the map.

    Unchanged text between pieces is copied.  Alignment of a piece:
    same length → char by char; empty output → the source is deleted and its raw
    characters are absorbed by a neighbour (so a trailing diacritic stays inside its
    word's span); empty source → inserted characters sit at a zero-width raw point;
    otherwise every output character maps to the whole source span.
    """
    text, starts, ends = current.text, current.starts, current.ends
    out_chars: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    deleted: list[tuple[int, int, int]] = []  # (raw_start, raw_end, index of next output char)
    pos = 0

    def copy(a: int, b: int) -> None:
        out_chars.extend(text[a:b])
        out_starts.extend(starts[a:b])
        out_ends.extend(ends[a:b])

    for piece in pieces:
        start, end, out = piece[:3]
        aligned = piece[3] if len(piece) > 3 else True
        if start < pos:
            raise ValueError("pieces overlap or are out of order")
        copy(pos, start)
        pos = end
        if len(out) == end - start and aligned:
            out_chars.extend(out)
            out_starts.extend(starts[start:end])
            out_ends.extend(ends[start:end])
        elif not out:
            deleted.append((starts[start], ends[end - 1], len(out_chars)))
        elif start == end:
            point = ends[start - 1] if start > 0 else (starts[start] if start < len(text) else len(current.raw))
            out_chars.extend(out)
            out_starts.extend([point] * len(out))
            out_ends.extend([point] * len(out))
        else:
            out_chars.extend(out)
            out_starts.extend([starts[start]] * len(out))
            out_ends.extend([ends[end - 1]] * len(out))
    copy(pos, len(text))

    for raw_start, raw_end, nxt in deleted:
        _absorb(out_chars, out_starts, out_ends, raw_start, raw_end, nxt)
    return Normalized(current.raw, "".join(out_chars), tuple(out_starts), tuple(out_ends))


def _absorb(chars: list[str], starts: list[int], ends: list[int], raw_start: int, raw_end: int, nxt: int) -> None:
    """Give deleted raw characters to the previous character, or to the next one
    when the previous is whitespace (a mark after a space belongs to the next word)."""
    prev = nxt - 1
    if prev >= 0 and not chars[prev].isspace():
        ends[prev] = max(ends[prev], raw_end)
    elif nxt < len(chars) and not chars[nxt].isspace():
        starts[nxt] = min(starts[nxt], raw_start)
    # else: between whitespace (or alone) the deleted characters belong to no token.


def map_chars(current: Normalized, table: Mapping[str, str]) -> Normalized:
    """Replace single characters by the table (a value may be '' or several chars)."""
    text = current.text
    pieces = [(i, i + 1, table[c]) for i, c in enumerate(text) if c in table and table[c] != c]
    return rewrite(current, pieces)


@dataclass(frozen=True)
class ContextRule:
    """A regex over the normalized text whose whole match is replaced by `replace`.

    Context goes in lookarounds so the match is exactly what changes.  `accept`, when
    given, sees the match and may veto it (e.g. "is the word after می a verb?").
    """

    name: str
    pattern: "regex.Pattern[str]"
    replace: str
    accept: Callable[["regex.Match[str]"], bool] | None = None
    aligned: bool = True  # False: the replacement reorders, so no character maps one to one

    def pieces(self, text: str) -> list[Piece]:
        found = []
        for match in self.pattern.finditer(text):
            if self.accept is None or self.accept(match):
                found.append((match.start(), match.end(), match.expand(self.replace), self.aligned))
        return found


def load_rules(path, checks: Mapping[str, Callable] | None = None) -> tuple[ContextRule, ...]:
    """A language's context rules from YAML: `L` (its letters, used as {L} in patterns) and
    `rules` (name, pattern, replace, optional `check` naming a veto in `checks`,
    optional `aligned: false` for replacements that reorder characters)."""
    import regex
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    letters = data.get("L", "")
    compiled = []
    for rule in data["rules"]:
        pattern = regex.compile(rule["pattern"].replace("{L}", letters))
        accept = (checks or {})[rule["check"]] if rule.get("check") else None
        compiled.append(ContextRule(rule["name"], pattern, rule["replace"], accept, rule.get("aligned", True)))
    return tuple(compiled)


def apply_rules(current: Normalized, rules: Sequence[ContextRule]) -> Normalized:
    for rule in rules:
        pieces = rule.pieces(current.text)
        if pieces:
            current = rewrite(current, pieces)
    return current


def normalize(text: str, lang: str) -> Normalized:
    """Normalize raw `text` with the normalizer of language `lang` ('fa', 'ar', ...)."""
    from ..lang import get_language  # the language layer supplies the data

    return get_language(lang).normalize(text)
