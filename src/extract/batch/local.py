"""Local batch runs: find documents, process each one in isolation, write atomically.

One bad document never stops the batch and never costs another its output: its
numbered error goes to `errors.jsonl` in the output folder and the run goes on.
With `jobs` > 1, worker processes (each with its own pipelines) extract and this
process writes, in input order; a worker that dies costs only the document it held.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from ..document import Document
from ..errors import ExtractError
from ..langdetect import detect
from ..text.decode import read_text


@dataclass
class Job:
    doc_id: str
    path: Path


def find_documents(inputs: list[str]) -> Iterator[Job]:
    """`.txt` files under each input; doc_id = path relative to the given root, no extension."""
    for item in inputs:
        root = Path(item)
        if root.is_dir():
            for path in sorted(root.rglob("*.txt")):
                yield Job(path.relative_to(root).with_suffix("").as_posix(), path)
        elif root.is_file():
            yield Job(root.with_suffix("").name, root)
        else:
            raise ExtractError("E003", path=item)


def load_reference_dates(path: str | Path) -> dict[str, date]:
    """doc_id → reference date from a CSV/TSV of `doc_id,YYYY-MM-DD` (news: the publication
    date), so each document's relative dates resolve against its own day."""
    dates: dict[str, date] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ExtractError("E006", path=str(path), line=0, detail=str(exc)) from exc
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in (line.split("\t") if "\t" in line else line.split(","))]
        if number == 1 and fields[:2] == ["doc_id", "reference_date"]:
            continue
        if len(fields) != 2 or not fields[0]:
            raise ExtractError("E006", path=str(path), line=number, detail=f"expected 2 fields, found {line!r}")
        try:
            day = date.fromisoformat(fields[1])
        except ValueError:
            raise ExtractError("E006", path=str(path), line=number, detail=f"{fields[1]!r} is not YYYY-MM-DD") from None
        if dates.get(fields[0], day) != day:
            raise ExtractError("E006", path=str(path), line=number, detail=f"{fields[0]!r} has two dates")
        dates[fields[0]] = day
    return dates


class Extractor:
    """Processes raw texts in any supported language, one Pipeline per language, made on demand."""

    def __init__(self, lang: str = "auto", tagger: str = "auto", models: str | None = None, ner: str = "auto") -> None:
        self.lang = lang
        self.tagger = tagger
        self.ner = ner
        self.models = models
        self._pipelines: dict = {}

    def pipeline(self, lang: str):
        if lang not in self._pipelines:
            from ..pipeline import Pipeline

            self._pipelines[lang] = Pipeline(lang, tagger=self.tagger, models=self.models, ner=self.ner)
        return self._pipelines[lang]

    def process(self, text: str, doc_id: str, reference_date: date | None = None, path: str | None = None) -> Document:
        from ..pipeline import empty_document

        if not text.strip():
            return empty_document(text, self.lang if self.lang != "auto" else "fa", doc_id, reference_date)
        lang = detect(text, path or doc_id) if self.lang == "auto" else self.lang
        return self.pipeline(lang).process(text, reference_date, doc_id)


def predict_gold(golds, tagger: str = "auto", extractors: dict | None = None, ner: str = "auto") -> dict[str, Document]:
    """Run the pipeline on each gold text (`evaluate.GoldDoc`), in the gold document's language."""
    extractors = {} if extractors is None else extractors
    predictions = {}
    for gold in golds:
        lang = gold.document.lang
        extractor = extractors.setdefault(lang, Extractor(lang=lang, tagger=tagger, ner=ner))
        predictions[gold.doc_id] = extractor.process(gold.raw, gold.doc_id, gold.document.reference_date)
    return predictions


def write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def document_json(document: Document) -> str:
    return json.dumps(document.to_json_dict(), ensure_ascii=False, indent=2) + "\n"


@dataclass
class RunReport:
    written: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)


def extract_job(extractor: Extractor, job: Job, reference_date: date | None) -> tuple[str | None, dict | None]:
    """(the document's JSON, None) or (None, its numbered error): never raises."""
    try:
        text = read_text(str(job.path))
        return document_json(extractor.process(text, job.doc_id, reference_date, str(job.path))), None
    except ExtractError as exc:
        return None, {"doc_id": job.doc_id, "path": str(job.path), **exc.to_dict()}
    except Exception as exc:  # a bug on one document must not cost the others their output
        return None, {"doc_id": job.doc_id, "path": str(job.path), "code": "E999",
                      "message": f"internal error: {type(exc).__name__}: {exc}"}


def run_batch(
    inputs: list[str],
    out_dir: Path,
    extractor: Extractor,
    reference_date: date | None = None,
    progress: Callable[[str, str | None], None] | None = None,
    reference_dates: dict[str, date] | None = None,
    jobs: int = 1,
) -> RunReport:
    """`reference_dates` (doc_id → date) overrides `reference_date` for the documents it names;
    `jobs` > 1 extracts in that many worker processes."""
    report = RunReport()
    reference_dates = reference_dates or {}
    out_dir.mkdir(parents=True, exist_ok=True)
    errors_path = out_dir / "errors.jsonl"
    errors_path.unlink(missing_ok=True)
    todo = [(job, reference_dates.get(job.doc_id, reference_date)) for job in find_documents(inputs)]
    results = _in_workers(extractor, todo, jobs) if jobs > 1 and len(todo) > 1 else (
        extract_job(extractor, job, ref) for job, ref in todo)
    for (job, _), (content, error) in zip(todo, results):
        if content is not None:
            try:
                write_atomic(out_dir / f"{job.doc_id}.json", content)
                report.written.append(job.doc_id)
            except OSError as exc:
                error = {"doc_id": job.doc_id, "path": str(job.path), "code": "E999",
                         "message": f"internal error: cannot write the output: {exc}"}
        if error:
            report.failed.append(error)
            with open(errors_path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(error, ensure_ascii=False) + "\n")
        if progress:
            progress(job.doc_id, error["code"] if error else None)
    return report


# ------------------------------------------------------------------ worker processes

_worker_extractor: Extractor | None = None


def _start_worker(settings: dict) -> None:
    global _worker_extractor
    _worker_extractor = Extractor(**settings)


def _work(job: Job, reference_date: date | None) -> tuple[str | None, dict | None]:
    assert _worker_extractor is not None
    return extract_job(_worker_extractor, job, reference_date)


def _in_workers(extractor: Extractor, todo: list, jobs: int) -> Iterator[tuple[str | None, dict | None]]:
    """Results in input order.  A worker that dies (a crash in native code, the memory
    killer) breaks the whole pool: the first unfinished document is retried alone (E999 if
    it kills its worker again), and a new pool takes the rest."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    settings = {"lang": extractor.lang, "tagger": extractor.tagger, "models": extractor.models, "ner": extractor.ner}

    def pool(size: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(size, initializer=_start_worker, initargs=(settings,))

    start = 0
    while start < len(todo):
        with pool(jobs) as workers:
            futures = [workers.submit(_work, job, ref) for job, ref in todo[start:]]
            for future in futures:
                try:
                    result = future.result()
                except BrokenProcessPool:
                    break
                start += 1
                yield result
            else:
                continue
        job, ref = todo[start]  # unfinished when the pool broke: the culprit or a bystander
        start += 1
        try:
            with pool(1) as alone:
                yield alone.submit(_work, job, ref).result()
        except BrokenProcessPool:
            yield None, {"doc_id": job.doc_id, "path": str(job.path), "code": "E999",
                         "message": "internal error: the worker process extracting it died"}
