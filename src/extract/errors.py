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
    "E006": "{path} line {line}: {detail}. A reference-dates file has one `doc_id,YYYY-MM-DD` per line (comma or tab; a `doc_id,reference_date` header is allowed).",
    "E101": "pipeline for {lang!r} is misconfigured: {detail}.",
    "E201": "model {name!r} not found in {directory}. Run `make models` to train it (or set EXTRACT_MODELS to the folder that holds it).",
    "E202": "model {name!r} in {directory} is damaged: {detail}. Run `make models` to rebuild it.",
    "E203": "stanza models for {lang!r} not found in {directory}. On a machine that is online run `extract models download stanza --lang {lang}`.",
    "E204": "could not download stanza models for {lang!r}: {detail}.",
    "E205": "no stanza NER model for {lang!r}: neither official models in {directory}/stanza nor a trained {directory}/ner-{lang}-stanza. On a machine that is online run `extract models download stanza --lang {lang}`, or train one with `python -m extract.ner.train_stanza --lang {lang}`; `--ner crf` uses the CRF.",
    "E206": "date scorer {name!r} not found in {directory}. Run `python -m extract.stages.dates_train --lang {lang}` (part of `make models`), or run the date rules alone (the default): `Pipeline(lang, date_scorer=False)` / `scorer = false` under [components.extract_dates] in lang/{lang}/pipeline.cfg.",
    "E301": "cannot write {path}: {detail}.",
    "E401": "{role} folder not found: {path}.",
    "E402": "gold folder {path} holds no .json gold files.",
    "E403": "{path}: not valid JSON: {detail}.",
    "E404": "{path}: {item}: {detail}. Fix the file so it follows the extract/1 format (shared/spec/document-format.md).",
    "E405": "{path}: {item} has unknown type {value!r}; allowed: {allowed}.",
    "E406": "{path}: {item} {start}-{end} should hold {text!r} but {text_path} holds {actual!r} there. Fix the offsets.",
    "E407": "{path}: text_sha256 {found} differs from the SHA-256 of {text_path} ({expected}): the file was made on another version of the text.",
    "E408": "{path}: raw text {text_path} not found. A gold file needs its <doc_id>.txt beside it (or in the text folder).",
    "E409": "{path}: {item} refers to {ref}, which is not in the document's {where}.",
    "E410": "{path}: id {id!r} appears {count} times in {where}; ids must be unique.",
    "E411": "{path}: doc_id {found!r} differs from {expected!r}, the file's path relative to its folder without extension.",
    "E412": "{path}: sentence {index} {start}-{end} lies outside the raw text (length {length}).",
    "E413": "{path}: {item} has when {when!r} but its date {date!r} has value {value!r}; `when` must repeat the date's value.",
    "E414": "no prediction for gold document {doc_id!r} (looked for {path}); it is scored as an empty prediction.",
    "E415": "invalid --fail-under {spec!r}: {detail}. Use LIST[/TYPE][:METRIC]=F1, e.g. dates/DATE=0.8, actors=0.7, amounts/MONEY:strict=0.9, events:trigger=0.5.",
    "E416": "baseline {path} is not an `extract eval --json` result: {detail}.",
    "E417": "scores below --fail-under: {detail}.",
    "E418": "scores regressed against baseline {path}: {detail}.",
    "E421": "unknown gold format {fmt!r}; supported: {supported}.",
    "E422": "{path}:{line}: no tag on this line ({text!r}); each line needs TOKEN<TAB or space>TAG. A lenient import (preset option `lenient`) tags such tokens O and goes on.",
    "E423": "{path}:{line}: bad tag {tag!r}: {detail}. Use O or PREFIX-TYPE with PREFIX one of B, I (IOB2) or E, S (BIOES), e.g. B-PER.",
    "E424": "{path}:{line}: empty token with tag {tag!r}. Remove the line (a lenient import skips it).",
    "E425": "{path}:{line}: not a CoNLL-U word line: {detail}.",
    "E426": "invalid --map {spec!r}: {detail}. Use TYPE=LIST/TYPE (an empty target drops the type), e.g. DAT=dates/DATE; lists and types: {allowed}.",
    "E427": "unknown gold import preset {name!r}; available presets: {available}.",
    "E428": "{path}: nothing to import as {fmt}: {detail}.",
    "E429": "invalid {option} {value!r}: {detail}.",
    "E430": "doc_id {doc_id!r} comes from both {first} and {second}; rename one of the files or import them separately.",
    "E431": "gold import presets {path} are damaged: {detail}.",
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

    def __reduce__(self):
        # rebuilt from code and fields, so that it crosses process boundaries (worker pools)
        return _restore, (self.code, self.fields)

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message}


def _restore(code: str, fields: dict) -> ExtractError:
    return ExtractError(code, **fields)
