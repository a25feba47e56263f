"""The extract/1 document: pydantic models of `shared/spec/document-format.md`.

This is the contract other tools read.  Every span carries raw offsets; `check_offsets`
proves `raw[start:end] == text` for all of them.  Gold files use the same models
(their provenance fields may be absent).
"""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

SCHEMA = "extract/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    start: int = Field(ge=0, description="raw start offset (code points)")
    end: int = Field(ge=0, description="raw end offset, exclusive")
    text: str = Field(description="raw_text[start:end]")

    @model_validator(mode="after")
    def _ordered(self) -> "Span":
        if self.end < self.start:
            raise ValueError(f"end {self.end} < start {self.start}")
        return self


class Item(Span):
    id: str
    source: Optional[str] = Field(None, description="stage and rule/model that produced it")
    confidence: Optional[float] = Field(None, ge=0.0, le=1.0)


class DateItem(Item):
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: Optional[str] = None
    granularity: Optional[str] = None
    calendar: Optional[Literal["gregorian", "jalali", "hijri"]] = None
    modifier: Optional[Literal["early", "mid", "late", "approx", "before", "after"]] = None
    relative: bool = False


class AmountItem(Item):
    type: Literal["MONEY", "PERCENT", "QUANTITY"]
    value: Optional[Union[int, float]] = None
    unit: Optional[str] = None
    approx: bool = False
    upper: Optional[Union[int, float]] = Field(None, description="a range's upper bound; absent otherwise")

    @model_serializer(mode="wrap")
    def _drop_absent_upper(self, handler):
        data = handler(self)
        if data.get("upper") is None:
            data.pop("upper", None)  # the spec: `upper` only for ranges
        return data


class ActorItem(Item):
    type: Literal["PER", "ORG", "GPE", "LOC", "NORP"]
    canonical: Optional[str] = None
    name: Optional[str] = None


EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]


class EventItem(_Model):
    id: str
    type: EventType
    subtype: Optional[str] = None
    trigger: Span
    sentence: int = Field(ge=0)
    date: Optional[str] = None
    when: Optional[str] = None
    agents: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    amounts: list[str] = Field(default_factory=list)
    negated: bool = False
    source: Optional[str] = None
    confidence: Optional[float] = Field(None, ge=0.0, le=1.0)


class Document(_Model):
    schema_: Literal["extract/1"] = Field(SCHEMA, alias="schema")
    doc_id: str
    lang: Literal["fa", "ar"]
    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    reference_date: Optional[date] = None
    sentences: list[tuple[int, int]] = Field(default_factory=list)
    dates: list[DateItem] = Field(default_factory=list)
    amounts: list[AmountItem] = Field(default_factory=list)
    actors: list[ActorItem] = Field(default_factory=list)
    events: list[EventItem] = Field(default_factory=list)
    pipeline: dict = Field(default_factory=dict)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)

    def offset_errors(self, raw: str) -> list[str]:
        """Every place where the document's offsets or ids disagree with the raw text."""
        problems = []
        if self.text_sha256 != sha256_text(raw):
            problems.append("text_sha256 differs from the raw text")
        for index, (start, end) in enumerate(self.sentences):
            if not 0 <= start <= end <= len(raw):
                problems.append(f"sentence {index} {start}-{end} outside the text")
        for name in ("dates", "amounts", "actors"):
            for item in getattr(self, name):
                if raw[item.start:item.end] != item.text:
                    problems.append(f"{name} {item.id} {item.start}-{item.end} does not hold {item.text!r}")
        for event in self.events:
            t = event.trigger
            if raw[t.start:t.end] != t.text:
                problems.append(f"event {event.id} trigger {t.start}-{t.end} does not hold {t.text!r}")
        return problems


def sha256_text(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def json_schema() -> dict:
    schema = Document.model_json_schema(by_alias=True)
    schema["$id"] = "https://extract.invalid/schema/extract-1.json"
    schema["title"] = "extract/1 document"
    return schema
