"""Reading gold and predicted extract/1 folders for `extract eval`, validated strictly.

A gold folder holds `<doc_id>.json` files (in sub-folders too) with the raw `<doc_id>.txt`
beside each one, or in a separate folder mirroring it (`text_dir`).  Every problem is a
numbered error naming the file and the item; a bad file is never skipped.  All problems of
a folder are collected first, then the first one is raised with the full list attached as
`error.problems`, so a caller can show them all at once.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from pydantic import ValidationError

from ..document import Document, sha256_text
from ..errors import ExtractError
from ..text.decode import read_text

SPAN_LISTS = ("dates", "amounts", "actors")


@dataclass(frozen=True)
class GoldDoc:
    doc_id: str
    path: Path  # the .json file
    text_path: Path
    raw: str
    document: Document


@dataclass
class PredSet:
    docs: dict[str, Document] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # gold doc_ids without a prediction: scored as empty
    extra: list[str] = field(default_factory=list)  # predictions without gold: not scored
    warnings: list[ExtractError] = field(default_factory=list)  # one E414 per missing prediction


def load_gold_dir(path: str | Path, text_dir: str | Path | None = None) -> list[GoldDoc]:
    """Every `<doc_id>.json` under `path` (recursively), sorted by doc_id, with its raw text."""
    root = _folder(path, "gold")
    texts = Path(text_dir) if text_dir is not None else root
    files = _json_files(root)
    if not files:
        raise ExtractError("E402", path=str(root))
    golds, problems = [], []
    for doc_id, json_path in files:
        text_path = texts / f"{doc_id}.txt"
        if not text_path.is_file():
            problems.append(ExtractError("E408", path=str(json_path), text_path=str(text_path)))
            continue
        try:
            raw = read_text(str(text_path))
        except ExtractError as exc:
            problems.append(exc)
            continue
        document, errors = check_file(json_path, doc_id, raw, text_path)
        problems += errors
        if document is not None and not errors:
            golds.append(GoldDoc(doc_id, json_path, text_path, raw, document))
    _raise_all(problems)
    return golds


def load_pred_dir(path: str | Path, golds: Sequence[GoldDoc]) -> PredSet:
    """The prediction `<doc_id>.json` for each gold document, checked against the gold's raw text.

    Same checks as gold files; a missing prediction is not an error but an E414 warning, and
    the document is scored as an empty prediction.
    """
    root = _folder(path, "prediction")
    result = PredSet()
    problems: list[ExtractError] = []
    for gold in golds:
        json_path = root / f"{gold.doc_id}.json"
        if not json_path.is_file():
            result.missing.append(gold.doc_id)
            result.warnings.append(ExtractError("E414", doc_id=gold.doc_id, path=str(json_path)))
            continue
        document, errors = check_file(json_path, gold.doc_id, gold.raw, gold.text_path)
        problems += errors
        if document is not None and not errors:
            result.docs[gold.doc_id] = document
    known = {gold.doc_id for gold in golds}
    result.extra = [doc_id for doc_id, _ in _json_files(root) if doc_id not in known]
    _raise_all(problems)
    return result


def check_file(json_path: Path, doc_id: str, raw: str, text_path: Path) -> tuple[Optional[Document], list[ExtractError]]:
    """Parse one extract/1 file and list everything wrong with it against `raw`."""
    where = str(json_path)
    try:
        data = json.loads(json_path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [ExtractError("E403", path=where, detail=str(exc))]
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        return None, [_schema_error(where, data, error) for error in exc.errors()]
    errors = []
    if document.doc_id != doc_id:
        errors.append(ExtractError("E411", path=where, found=document.doc_id, expected=doc_id))
    expected = sha256_text(raw)
    if document.text_sha256 != expected:
        # offsets into another text would only repeat the same news, item by item
        errors.append(ExtractError("E407", path=where, found=document.text_sha256, expected=expected,
                                   text_path=str(text_path)))
        return document, errors
    errors += _id_errors(where, document)
    errors += _offset_errors(where, document, raw, str(text_path))
    return document, errors


def _id_errors(where: str, document: Document) -> list[ExtractError]:
    errors = []
    ids = {}
    for name in (*SPAN_LISTS, "events"):
        counts = Counter(item.id for item in getattr(document, name))
        errors += [ExtractError("E410", path=where, id=item_id, count=n, where=name)
                   for item_id, n in counts.items() if n > 1]
        ids[name] = set(counts)
    values = {d.id: d.value for d in document.dates}
    for event in document.events:
        item = f"events {event.id}"
        refs = [(event.date, "dates")] if event.date is not None else []
        refs += [(a, "actors") for a in event.agents + event.targets]
        refs += [(a, "amounts") for a in event.amounts]
        errors += [ExtractError("E409", path=where, item=item, ref=repr(ref), where=name)
                   for ref, name in refs if ref not in ids[name]]
        if document.sentences and event.sentence >= len(document.sentences):
            errors.append(ExtractError("E409", path=where, item=item, ref=f"sentence {event.sentence}",
                                       where=f"sentences ({len(document.sentences)})"))
        if event.date in values and event.when is not None and event.when != values[event.date]:
            errors.append(ExtractError("E413", path=where, item=item, when=event.when, date=event.date,
                                       value=values[event.date]))
    return errors


def _offset_errors(where: str, document: Document, raw: str, text_path: str) -> list[ExtractError]:
    errors = []
    for index, (start, end) in enumerate(document.sentences):
        if not 0 <= start <= end <= len(raw):
            errors.append(ExtractError("E412", path=where, index=index, start=start, end=end, length=len(raw)))
    spans = [(f"{name} {item.id}", item) for name in SPAN_LISTS for item in getattr(document, name)]
    spans += [(f"events {event.id} trigger", event.trigger) for event in document.events]
    for item, span in spans:
        if raw[span.start:span.end] != span.text or span.end > len(raw):
            errors.append(ExtractError("E406", path=where, item=item, start=span.start, end=span.end, text=span.text,
                                       text_path=text_path, actual=raw[span.start:span.end]))
    return errors


def _schema_error(where: str, data: object, error: dict) -> ExtractError:
    loc = tuple(error.get("loc", ()))
    item = _item_name(data, loc)
    if error.get("type") == "literal_error" and loc and loc[-1] == "type":
        return ExtractError("E405", path=where, item=item.rsplit(" field ", 1)[0], value=error.get("input"),
                            allowed=error.get("ctx", {}).get("expected", "?"))
    return ExtractError("E404", path=where, item=item, detail=error.get("msg", "invalid"))


def _item_name(data: object, loc: tuple) -> str:
    """('actors', 1, 'type') -> "actors[1] (id 'a2') field type"."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        name, rest = f"{loc[0]}[{loc[1]}]", loc[2:]
        try:
            item_id = data[loc[0]][loc[1]].get("id")  # type: ignore[index]
        except (TypeError, KeyError, IndexError, AttributeError):
            item_id = None
        if item_id is not None:
            name += f" (id {item_id!r})"
    else:
        name, rest = "document", loc
    return f"{name} field {'.'.join(map(str, rest))}" if rest else name


def _folder(path: str | Path, role: str) -> Path:
    root = Path(path)
    if not root.is_dir():
        raise ExtractError("E401", role=role, path=str(root))
    return root


def _json_files(root: Path) -> list[tuple[str, Path]]:
    return sorted((p.relative_to(root).with_suffix("").as_posix(), p) for p in root.rglob("*.json") if p.is_file())


def _raise_all(problems: Iterable[ExtractError]) -> None:
    problems = list(problems)
    if problems:
        first = problems[0]
        first.problems = problems  # type: ignore[attr-defined]
        raise first
