"""Pipeline stages: spaCy components (and the tokenizer) that read language data from
`lang/<code>/` and write spans with raw offsets onto the Doc."""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

# Doc-level data the stages share.  Registered once, at import.
for name, default in (("normalized", None), ("lang", None), ("token_features", None), ("reference_date", None)):
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)

# An extracted item on a span of doc.spans["dates"|"amounts"|"actors"]: a dict of the
# extract/1 fields (type, value, ..., source, confidence) plus its exact raw `start`/`end`
# (the span itself is token-aligned; the item may be narrower, e.g. without a clitic).
# spaCy keys a span extension's value by the span's character offsets only, so a date and
# an amount (or an actor) over the same characters would share one item; ours is also keyed
# by the span's label, and every stage labels its spans with its group's name.
def _item_key(span: Span) -> tuple:
    return ("extract.item", span.label_, span.start_char, span.end_char)


if not Span.has_extension("item"):
    Span.set_extension("item", getter=lambda span: span.doc.user_data.get(_item_key(span)),
                       setter=lambda span, value: span.doc.user_data.__setitem__(_item_key(span), value))


def _token_feature(token: Token) -> dict:
    features = token.doc._.token_features
    return features[token.i] if features else {}


if not Token.has_extension("features"):
    Token.set_extension("features", getter=_token_feature)


def item_span(doc: Doc, start: int, end: int, label: str, kept: list[Span]) -> Span | None:
    """The token-aligned span of group `label` for an item at raw [start, end), or None when
    no token is there or the span would reach into the last of `kept` (the group's spans so
    far, in order): two items inside one token (`میلیون٪یک‌میلیون`) would share one span,
    and a span holds one item, so the first keeps it."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None or not len(span) or (kept and span.start < kept[-1].end):
        return None
    return span


def is_content(doc: Doc) -> list[bool]:
    """Per token: does it hold text (not a gap)?  The fast path for loops over a Doc."""
    return [features is not None for features in doc._.token_features]


if not Token.has_extension("gap"):
    # a stretch between tokens that holds no text: line breaks, runs of spaces, invisible marks
    Token.set_extension("gap", getter=lambda token: token.doc._.token_features[token.i] is None)


# Each stage object has `version` (its code's version) and may have `source` (the model
# or rule set it runs, e.g. `model:tagger-fa-crf@1a2b3c4d`); the Document's `pipeline`
# field is built from these.


# Span groups each factory reads and writes.  spaCy's `requires`/`assigns` stop at
# "doc.spans"; `check_order` also checks these, so amounts cannot run before dates.
SPAN_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {}


def declare_span_groups(factory: str, needs: tuple[str, ...] = (), sets: tuple[str, ...] = ()) -> None:
    SPAN_GROUPS[factory] = {"needs": tuple(needs), "sets": tuple(sets)}

