"""Batch runs in worker processes (`extract run --jobs N`): same outputs as one process,
input order kept, and a worker that dies costs only its own document."""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from extract.batch import local
from extract.batch.local import Extractor, run_batch

from conftest import CORPUS

pytestmark = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                                reason="the crash test patches the workers through fork")


def _inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    shutil.copytree(CORPUS, src, ignore=shutil.ignore_patterns("*.json", "*.py"))
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8 broken")  # undecodable
    (src / "short.txt").write_text("پاکستان در سال ۱۹۵۰ به آمریکا سفر کرد.", encoding="utf-8")
    return src


def _outputs(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_workers_write_what_one_process_writes(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    order: list[str] = []
    one = run_batch([str(src)], tmp_path / "one", Extractor(tagger="crf"))
    two = run_batch([str(src)], tmp_path / "two", Extractor(tagger="crf"),
                    progress=lambda doc_id, code: order.append(doc_id), jobs=2)
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")
    assert two.written == one.written and two.failed == one.failed
    assert [f["doc_id"] for f in two.failed] == ["bad"]
    assert order == sorted(order) and len(order) == len(one.written) + 1  # input order, every document


def test_a_dying_worker_costs_only_its_document(tmp_path: Path, monkeypatch) -> None:
    src = _inputs(tmp_path)
    process = Extractor.process

    def crash_on_short(self, text, doc_id, *args, **kwargs):
        if doc_id == "short":
            os._exit(3)  # as a segfault or the memory killer would end it
        return process(self, text, doc_id, *args, **kwargs)

    monkeypatch.setattr(local.Extractor, "process", crash_on_short)
    report = run_batch([str(src)], tmp_path / "out", Extractor(tagger="crf"), jobs=2)
    assert {f["doc_id"]: f["code"] for f in report.failed} == {"bad": "E001", "short": "E999"}
    assert sorted(report.written) == ["ar/us-pakistan-relations", "empty", "fa/us-pakistan-relations"]
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert {e["doc_id"] for e in errors} == {"bad", "short"}
    assert "worker" in next(e["message"] for e in errors if e["doc_id"] == "short")
