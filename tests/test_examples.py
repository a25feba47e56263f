"""One parametrized test for every examples corpus of every language (Duckling style).

Each `src/extract/lang/<code>/examples/<family>.yaml` declares its `family`; the checker
for that family says what "expected" means.  Adding a corpus adds test cases, no code.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extract.lang import LANG_DIR, supported_languages
from extract.text.normalize import normalize


def _check_normalize(lang: str, case: dict) -> None:
    result = normalize(case["raw"], lang)
    assert result.text == case["normalized"], case.get("note", "")
    # the map is total and monotonic: every normalized char points into the raw text
    assert len(result.starts) == len(result.text)
    for k in range(len(result.text)):
        assert 0 <= result.starts[k] <= result.ends[k] <= len(case["raw"])
        if k:
            assert result.starts[k - 1] <= result.starts[k] and result.ends[k - 1] <= result.ends[k]


CHECKERS = {"normalize": _check_normalize}
MINIMUM = {"normalize": 40}


def _corpora():
    for lang in supported_languages():
        for path in sorted((LANG_DIR / lang / "examples").glob("*.yaml")):
            yield lang, path, yaml.safe_load(path.read_text(encoding="utf-8"))


def _cases():
    for lang, path, data in _corpora():
        for index, case in enumerate(data["examples"]):
            yield pytest.param(lang, data["family"], case, id=f"{lang}-{path.stem}-{index}")


@pytest.mark.parametrize("lang,family,case", list(_cases()))
def test_example(lang: str, family: str, case: dict) -> None:
    CHECKERS[family](lang, case)


@pytest.mark.parametrize("lang,path,data", list(_corpora()), ids=lambda v: str(v) if isinstance(v, str) else None)
def test_corpus_is_big_enough(lang: str, path: Path, data: dict) -> None:
    assert data["family"] in CHECKERS, f"{path}: unknown family {data['family']!r}"
    assert len(data["examples"]) >= MINIMUM.get(data["family"], 1), f"{path}: too few examples"
