"""Numbered errors users can hit, each with a message that says what to do.

Codes are stable: tests, logs and `errors.jsonl` refer to them.
"""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    "E001": "cannot decode {path}: {detail}. Save the file as UTF-8 (or UTF-16 with a BOM).",
    "E002": "cannot tell the language of {path}: {detail}. Pass --lang fa or --lang ar if the text is Persian or Arabic.",
    "E003": "input not found: {path}.",
    "E004": "unsupported language {lang!r}: supported languages are {supported}.",
    "E005": "invalid reference date {value!r}: use YYYY-MM-DD.",
    "E101": "pipeline for {lang!r} is misconfigured: {detail}.",
    "E201": "model {name!r} not found in {directory}. Run `make models` to train it (or set EXTRACT_MODELS to the folder that holds it).",
    "E202": "model {name!r} in {directory} is damaged: {detail}. Run `make models` to rebuild it.",
    "E203": "stanza models for {lang!r} not found in {directory}. On a machine that is online run `extract models download stanza --lang {lang}`.",
    "E204": "could not download stanza models for {lang!r}: {detail}.",
    "E301": "cannot write {path}: {detail}.",
    "E999": "internal error on {path}: {detail}. Please report it with the input that caused it.",
}


class ExtractError(Exception):
    """An error with a stable code (E001 ...) and an actionable message."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        template = MESSAGES[code]
        try:
            message = template.format(**fields)
        except (KeyError, IndexError):  # a missing field must never hide the real error
            message = f"{template} {fields}"
        super().__init__(f"{code}: {message}")
        self.message = message

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message}
