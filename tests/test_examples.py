"""One parametrized test for every examples corpus of every language (Duckling style).

Each `src/extract/lang/<code>/examples/<family>.yaml` declares its `family`; the checker
for that family says what "expected" means.  Adding a corpus adds test cases, no code.
"""
from __future__ import annotations

from functools import lru_cache
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


DATES_REFERENCE = "2024-03-20"  # the fixed reference date of every dates case


@lru_cache(maxsize=None)
def _pipeline(lang: str):
    from extract import Pipeline

    return Pipeline(lang)


def _check_dates(lang: str, case: dict) -> None:
    document = _pipeline(lang).process(case["text"], reference_date=DATES_REFERENCE)
    got = []
    for item in document.to_json_dict()["dates"]:
        row = {"text": item["text"], "type": item["type"], "value": item["value"], "granularity": item["granularity"]}
        if item["calendar"] != "gregorian":
            row["calendar"] = item["calendar"]
        if item["modifier"]:
            row["modifier"] = item["modifier"]
        got.append(row)
    assert got == case["expected"], case.get("note", "")


def _check_amounts(lang: str, case: dict) -> None:
    document = _pipeline(lang).process(case["text"], reference_date=DATES_REFERENCE)
    got = []
    for item in document.to_json_dict()["amounts"]:
        row = {"text": item["text"], "type": item["type"], "value": item["value"], "unit": item["unit"]}
        if item["approx"]:
            row["approx"] = True
        if "upper" in item:
            row["upper"] = item["upper"]
        got.append(row)
    assert got == case["expected"], case.get("note", "")


def _check_actors(lang: str, case: dict) -> None:
    """Every `expected` actor is found exactly (text, type, canonical); no actor's text is
    one of `absent`.  Other actors may be found: the model layer is not exhaustive."""
    actors = _pipeline(lang).process(case["text"]).to_json_dict()["actors"]
    got = [{"text": a["text"], "type": a["type"], "canonical": a["canonical"]} for a in actors]
    for want in case["expected"]:
        assert want in got, f"{want} not in {got} {case.get('note', '')}"
    for text in case.get("absent") or []:
        assert text not in [a["text"] for a in got], f"{text!r} found as an actor: {got}"


CHECKERS = {"normalize": _check_normalize, "dates": _check_dates, "amounts": _check_amounts, "actors": _check_actors}
MINIMUM = {"normalize": 40, "dates": 150, "amounts": 120, "actors": 30}
# families whose corpora must also hold this many cases that yield nothing
MINIMUM_NEGATIVE = {"dates": 40, "amounts": 40, "actors": 6}


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
    family = data["family"]
    if family in MINIMUM_NEGATIVE:
        negatives = [case for case in data["examples"] if case["expected"] == []]
        assert len(data["examples"]) - len(negatives) >= MINIMUM[family], f"{path}: too few positive examples"
        assert len(negatives) >= MINIMUM_NEGATIVE[family], f"{path}: too few must-not-match examples"
    assert len(data["examples"]) >= MINIMUM.get(family, 1), f"{path}: too few examples"
