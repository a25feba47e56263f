"""The learned date candidate scorer (stages/dates_scorer.py, models/dates-fa-scorer)."""
from __future__ import annotations

from datetime import date

import pytest

from extract import Pipeline
from extract.errors import ExtractError
from extract.stages.dates import DateStage, make_dates
from extract.stages.dates_scorer import Context, DateScorer, features, train_label
from extract.stages.dates_tables import tables
from extract.text.normalize import normalize

REF = "2024-03-20"
# «امروز» in a present-era sentence («nowadays»): the rules read a day, the scorer does not
NOWADAYS = "امروز در کشور ما کسی نمی‌تواند بگوید که آزادی نیست."


def dates(pipeline: Pipeline, text: str) -> list[dict]:
    return pipeline.process(text, reference_date=REF).to_json_dict()["dates"]


@pytest.fixture(scope="module")
def scorer() -> DateScorer:
    return DateScorer.load("fa")


def test_model_loads_with_checksums_and_a_threshold_from_cross_validation(scorer: DateScorer) -> None:
    assert scorer.source.startswith("model:dates-fa-scorer@") and len(scorer.source.split("@")[1]) == 8
    assert 0.0 < scorer.threshold < 1.0


def test_missing_model_is_a_numbered_error_that_says_what_to_run(tmp_path) -> None:
    with pytest.raises(ExtractError) as info:
        DateScorer.load("fa", tmp_path)
    assert info.value.code == "E206"
    assert "python -m extract.stages.dates_train --lang fa" in info.value.message
    assert "date_scorer=False" in info.value.message


@pytest.fixture(scope="module")
def scored() -> Pipeline:
    return Pipeline("fa", date_scorer=True)


def test_off_by_default() -> None:
    stage = dict(Pipeline("fa").nlp.pipeline)["extract_dates"]
    assert stage.scorer is None and stage.source == "rules:fa/dates.yaml"


def test_kept_dates_name_the_rule_and_the_model(scorer: DateScorer, scored: Pipeline) -> None:
    found = dates(scored, "مدارس تهران امروز تعطیل است.")
    assert [d["text"] for d in found] == ["امروز"]
    assert found[0]["source"] == f"rule:fa/date/relative-word;{scorer.source}"
    assert found[0]["confidence"] <= 0.9


def test_unscored_rules_are_kept_as_the_rules_read_them(scored: Pipeline) -> None:
    found = dates(scored, "پاکستان در ۲۰ سپتامبر ۱۹۵۴ به این پیمان پیوست.")
    assert [(d["text"], d["value"], d["source"]) for d in found] == [
        ("۲۰ سپتامبر ۱۹۵۴", "1954-09-20", "rule:fa/date/day-month-year")]


def test_scorer_drops_an_unlikely_candidate_and_can_be_disabled(scored: Pipeline) -> None:
    assert dates(scored, NOWADAYS) == []
    rules_only = dates(Pipeline("fa", date_scorer=False), NOWADAYS)
    assert [(d["text"], d["source"]) for d in rules_only] == [("امروز", "rule:fa/date/relative-word")]


def test_a_language_without_scored_rules_needs_no_model(tmp_path) -> None:
    assert not tables("ar").scored
    stage = make_dates(None, "extract_dates", "ar", True, str(tmp_path))  # empty models folder: no error
    assert stage.scorer is None
    with pytest.raises(ExtractError) as info:
        make_dates(None, "extract_dates", "fa", True, str(tmp_path))
    assert info.value.code == "E206"
    assert make_dates(None, "extract_dates", "fa", False, str(tmp_path)).scorer is None


def test_features_read_two_words_either_side_and_stop_at_a_line_break() -> None:
    text = "خبر\nمدارس امروز تعطیل است"
    ctx = Context(text)
    a = text.index("امروز")
    before, inside, after = ctx.around(a, a + len("امروز"))
    assert before == ["<s>", "مدارس"] and inside == ["امروز"] and after == ["تعطیل", "است"]
    feats = features(ctx, a, a + 5, "relative-word", "relative", {"type": "DATE", "granularity": "day",
                                                                  "relative": True, "value": "2024-03-20"})
    assert "p1=مدارس" in feats and "n1r=تعطیل|relative-word" in feats and "r=relative-word" in feats
    # digits are folded: one feature for every year
    ctx = Context("سال 1395 بود")
    assert ctx.around(0, 8)[1] == ["سال", "0000"]


def test_a_sentence_end_reads_as_the_texts_edge_and_the_sentence_verb_is_a_feature() -> None:
    text = "خبر مهم. امروز جلسه دولت برگزار شد. فردا نه"
    ctx = Context(text)
    a = text.index("امروز")
    before, _, after = ctx.around(a, a + len("امروز"))
    assert before == ["<s>", "<s>"] and after == ["جلسه", "دولت"]
    assert ctx.around(0, 3)[0] == ["<s>", "<s>"]  # the same context as the text's start
    assert ctx.sentence_end(a + len("امروز")) == "شد"
    feats = features(ctx, a, a + 5, "relative-word", "relative", {"type": "DATE", "granularity": "day",
                                                                  "relative": True, "value": "2024-03-20"})
    assert "end=شد" in feats and "endr=شد|relative-word" in feats
    b = text.index("فردا") + len("فردا")
    assert ctx.sentence_end(b) == "</s>"  # no sentence end before the text's: unknown


def test_every_dates_example_holds_with_the_scorer_on(scored: Pipeline) -> None:
    """The scorer is trained on the examples corpus (the spec's reading) as well as the train
    split: it keeps every date a case expects and adds none."""
    import yaml

    from extract.lang import LANG_DIR

    cases = yaml.safe_load((LANG_DIR / "fa" / "examples" / "dates.yaml").read_text(encoding="utf-8"))["examples"]
    wrong = [c["text"] for c in cases
             if [d["text"] for d in dates(scored, c["text"])] != [d["text"] for d in c["expected"]]]
    assert wrong == []


def test_oracle_label_keeps_exact_spans_and_the_only_overlap_of_an_unmatched_gold_span() -> None:
    gold = [(0, 10), (20, 30)]
    matched = {(0, 10)}
    assert train_label(0, 10, gold, matched)  # exact
    assert not train_label(0, 5, gold, matched)  # inside a gold span another candidate matches
    assert train_label(22, 30, gold, matched)  # the best we can do for (20, 30)
    assert not train_label(40, 45, gold, matched)  # spurious


def test_rules_alone_stage_matches_find_without_scorer() -> None:
    text = normalize(NOWADAYS, "fa").text
    assert [i["source"] for _, _, i in DateStage("fa").find(text, date(2024, 3, 20))] == ["rule:fa/date/relative-word"]
