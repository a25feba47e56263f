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
