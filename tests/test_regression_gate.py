"""`make test` is the regression gate: the pipeline scored on the corpus gold and the dev
splits must not fall more than 0.01 F1 below tests/baseline.json."""
from __future__ import annotations

import pytest

from extract.batch.local import predict_gold
from extract.regression import load_baseline, regressions, score_sets

from conftest import SHARED_DATA


@pytest.fixture(scope="session")
def gate_work(tmp_path_factory):
    return tmp_path_factory.mktemp("gate")


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not beside the project")
def test_pipeline_does_not_regress_against_the_baseline(gate_work) -> None:
    results = score_sets(gate_work, lambda golds: predict_gold(golds, "crf"))
    assert set(results) == {"corpus", "peyma-dev", "wojood-val"}
    assert results["peyma-dev"]["documents"] == 149  # the fixed PEYMA development split
    problems = regressions(results, load_baseline())
    assert problems == [], "\n".join(problems)


def _copy_gold(golds, damage=None):
    """Predictions that copy the gold, optionally passed through a damaging 'stage'."""
    out = {}
    for gold in golds:
        document = gold.document.model_copy(deep=True)
        if damage:
            damage(document, gold.raw)
        out[gold.doc_id] = document
    return out


def _cut_last_char(document, raw) -> None:
    """A broken date stage: every span loses its last character."""
    for item in document.dates:
        item.end -= 1
        item.text = raw[item.start:item.end]


def test_gate_fails_a_deliberately_broken_stage(gate_work) -> None:
    good = score_sets(gate_work, _copy_gold, ["corpus"])
    baseline = {"sets": good}
    assert regressions(good, baseline) == []
    broken = score_sets(gate_work, lambda golds: _copy_gold(golds, _cut_last_char), ["corpus"])
    problems = regressions(broken, baseline)
    assert problems and all(p.startswith("corpus: ") for p in problems)
    assert any("dates strict F1 dropped from 1.000 to 0.000" in p for p in problems)
    assert not any("actors" in p for p in problems)  # only what broke is named
    assert not any("dates partial" in p for p in problems)  # spans still overlap


def test_a_set_missing_from_the_baseline_is_reported(gate_work) -> None:
    results = score_sets(gate_work, _copy_gold, ["corpus"])
    assert regressions(results, {"sets": {}}) == [
        "corpus: not in the baseline; run python -m extract.regression --update"]
