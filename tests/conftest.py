from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED_DATA = Path(os.environ.get("EXTRACT_SHARED_DATA", ROOT.parent / "shared" / "data"))


def read_raw(path: Path) -> str:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    return {lang: read_raw(CORPUS / lang / "us-pakistan-relations.txt") for lang in ("fa", "ar")}


@pytest.fixture(scope="session")
def pipelines():
    from extract.pipeline import Pipeline

    return {lang: Pipeline(lang, tagger="crf") for lang in ("fa", "ar")}


@pytest.fixture(scope="session")
def seed_runs(pipelines, seeds):
    """{lang: (hand gold as a dict, the pipeline's Document)} for the seeds, run once per session."""
    import json

    runs = {}
    for lang in ("fa", "ar"):
        gold = json.loads((CORPUS / lang / "us-pakistan-relations.json").read_text(encoding="utf-8"))
        runs[lang] = gold, pipelines[lang].process(seeds[lang], reference_date=gold["reference_date"])
    return runs


def assert_list_matches_gold(gold_items: list[dict], predicted_items: list, fields: tuple[str, ...]) -> None:
    """Every gold item found with exactly its span and `fields`, and nothing else."""
    predicted = {(p.start, p.end): p for p in predicted_items}
    for g in gold_items:
        p = predicted.get((g["start"], g["end"]))
        assert p is not None, f"missed {g['text']!r}"
        for field in fields:
            assert getattr(p, field) == g[field], f"{g['text']!r}: {field}"
    assert set(predicted) == {(g["start"], g["end"]) for g in gold_items}
