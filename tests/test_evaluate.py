"""`extract.evaluate` on toy gold/prediction sets built by hand, with counts worked out by hand."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from extract.document import sha256_text
from extract.errors import ExtractError
from extract.evaluate import (baseline_notes, check_thresholds, compare_baseline, evaluate, evaluate_dirs,
                              f1_table, load_baseline, load_gold_dir, load_pred_dir, parse_fail_under,
                              render_table, to_json_dict)
from extract.evaluate.score import partial_match, strict_counts

approx = pytest.approx

RAW_A = "در سال ۱۹۵۴ پاکستان به سیتو پیوست. آمریکا ۵۰۰ میلیون دلار کمک کرد و ۲۰ درصد افزایش یافت."
RAW_B = "في 20 أكتوبر 1947 زار لياقت علي خان واشنطن لمدة ثلاثة أيام."
RAW_C = "متنی بدون هیچ موجودیتی."


def sp(raw: str, text: str, **fields) -> dict:
    start = raw.index(text)
    return {"start": start, "end": start + len(text), "text": text, **fields}


def doc(doc_id: str, lang: str, raw: str, **lists) -> dict:
    return {"schema": "extract/1", "doc_id": doc_id, "lang": lang, "text_sha256": sha256_text(raw), **lists}


def write(folder: Path, doc_id: str, data: dict, raw: str | None = None) -> Path:
    path = folder / f"{doc_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if raw is not None:
        path.with_suffix(".txt").write_text(raw, encoding="utf-8")
    return path


def gold_a() -> dict:
    a, end0 = RAW_A, RAW_A.index(".") + 1
    return doc("a", "fa", a, sentences=[[0, end0], [end0, len(a)]],
               dates=[sp(a, "سال ۱۹۵۴", id="d1", type="DATE", value="1954")],
               amounts=[sp(a, "۵۰۰ میلیون دلار", id="m1", type="MONEY", value=500000000, unit="USD"),
                        sp(a, "۲۰ درصد", id="m2", type="PERCENT", value=20, unit="%")],
               actors=[sp(a, "پاکستان", id="a1", type="GPE", canonical="PAK"),
                       sp(a, "سیتو", id="a2", type="ORG", canonical="SEATO"),
                       sp(a, "آمریکا", id="a3", type="GPE", canonical="USA")],
               events=[{"id": "e1", "type": "COOPERATE", "trigger": sp(a, "پیوست"), "sentence": 0,
                        "date": "d1", "agents": ["a1"], "targets": ["a2"]},
                       # no date field: e2's date is not annotated, so not compared
                       {"id": "e2", "type": "AID", "trigger": sp(a, "کمک کرد"), "sentence": 1,
                        "agents": ["a3"], "targets": ["a1"]}])


def pred_a() -> dict:
    a, end0 = RAW_A, RAW_A.index(".") + 1
    return doc("a", "fa", a, sentences=[[0, end0], [end0, len(a)]],
               dates=[sp(a, "۱۹۵۴", id="d1", type="DATE", value="1954")],  # shorter than gold: PAR
               amounts=[sp(a, "۵۰۰ میلیون دلار", id="m1", type="MONEY", value=500000100, unit="IRR"),  # rel 2e-7
                        sp(a, "۲۰ درصد", id="m2", type="QUANTITY", value=20)],  # wrong type: INC
               actors=[sp(a, "پاکستان", id="a1", type="GPE", canonical="Pakistan"),
                       sp(a, "سیتو", id="a2", type="GPE", canonical="SEATO"),  # ORG -> GPE
                       sp(a, "کمک", id="a4", type="ORG")],  # spurious; آمریکا missed
               events=[{"id": "e1", "type": "COOPERATE", "trigger": sp(a, "پیوست"), "sentence": 0,
                        "date": "d1", "when": "1954", "agents": ["a1"], "targets": ["a2"]},
                       {"id": "e2", "type": "AID", "trigger": sp(a, "افزایش یافت"), "sentence": 1}])


def gold_b() -> dict:
    b = RAW_B
    return doc("ar/b", "ar", b, sentences=[[0, len(b)]],
               dates=[sp(b, "20 أكتوبر 1947", id="d1", type="DATE", value="1947-10-20"),
                      sp(b, "ثلاثة أيام", id="d2", type="DURATION")],  # value not annotated
               actors=[sp(b, "لياقت علي خان", id="a1", type="PER", canonical="Liaquat Ali Khan"),
                       sp(b, "واشنطن", id="a2", type="GPE", canonical="USA")],
               events=[{"id": "e1", "type": "CONSULT", "trigger": sp(b, "زار"), "sentence": 0,
                        "date": "d1", "agents": ["a1"], "targets": ["a2"]}])


def pred_b() -> dict:
    b = RAW_B
    return doc("ar/b", "ar", b, sentences=[[0, len(b)]],
               dates=[sp(b, "20 أكتوبر 1947", id="d1", type="DATE", value="1947-10"),
                      sp(b, "أيام", id="d2", type="DURATION", value="P3D")],
               actors=[sp(b, "علي خان", id="a1", type="PER", canonical="Liaquat Ali Khan"),  # PAR
                       sp(b, "واشنطن", id="a2", type="LOC", canonical="Washington")],  # GPE -> LOC
               # e2 is listed first and could also take gold e1 (same sentence and type):
               # the matching must prefer e1, whose trigger overlaps
               events=[{"id": "e2", "type": "CONSULT", "trigger": sp(b, "لمدة"), "sentence": 0},
                       {"id": "e1", "type": "CONSULT", "trigger": sp(b, "زار"), "sentence": 0,
                        "date": "d1", "agents": ["a1"], "targets": ["a2"]}])


@pytest.fixture
def toy(tmp_path):
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    write(gold, "a", gold_a(), RAW_A)
    write(gold, "ar/b", gold_b(), RAW_B)
    write(gold, "c", doc("c", "fa", RAW_C), RAW_C)  # nothing annotated, and no prediction
    write(pred, "a", pred_a())
    write(pred, "ar/b", pred_b())
    write(pred, "stray", doc("stray", "fa", RAW_C))  # no gold: listed as extra, not scored
    return gold, pred


@pytest.fixture
def result(toy):
    return evaluate_dirs(*toy)[0]


def counts(entry: dict) -> tuple:
    return tuple(entry[k] for k in ("correct", "incorrect", "partial", "missed", "spurious"))


def prf(entry: dict) -> tuple:
    return entry["precision"], entry["recall"], entry["f1"]


# --- loading --------------------------------------------------------------------------------

def test_loads_folders_recursively_and_reports_missing_predictions(toy) -> None:
    gold, pred = toy
    golds = load_gold_dir(gold)
    assert [g.doc_id for g in golds] == ["a", "ar/b", "c"]
    assert golds[1].raw == RAW_B and golds[1].text_path == gold / "ar" / "b.txt"
    preds = load_pred_dir(pred, golds)
    assert sorted(preds.docs) == ["a", "ar/b"] and preds.missing == ["c"] and preds.extra == ["stray"]
    assert [w.code for w in preds.warnings] == ["E414"] and "'c'" in str(preds.warnings[0])


# --- spans: dates ---------------------------------------------------------------------------

def test_dates(result) -> None:
    dates = result["lists"]["dates"]
    # a: سال ۱۹۵۴ vs ۱۹۵۴ (overlap, same type); b: d1 exact, ثلاثة أيام vs أيام (overlap)
    # strict: COR 1 (b d1), INC 2 -> POS = ACT = 3, P = R = F1 = 1/3
    assert counts(dates["strict"]) == (1, 2, 0, 0, 0)
    assert prf(dates["strict"]) == approx((1 / 3, 1 / 3, 1 / 3))
    # partial: COR 1, PAR 2, each a full hit -> 3/3
    assert counts(dates["partial"]) == (1, 0, 2, 0, 0)
    assert prf(dates["partial"]) == approx((1.0, 1.0, 1.0))
    # DATE: a INC + b COR -> strict 1/2; DURATION: INC -> strict 0, partial 1
    assert prf(dates["types"]["DATE"]["strict"]) == approx((0.5, 0.5, 0.5))
    assert counts(dates["types"]["DURATION"]["strict"]) == (0, 1, 0, 0, 0)
    assert dates["types"]["DURATION"]["partial"]["f1"] == 1.0
    # values: 3 matched; b d2's gold has no value -> 2 compared; 1954 == 1954, 1947-10-20 != 1947-10
    assert dates["value"] == {"matched": 3, "compared": 2, "equal": 1, "accuracy": 0.5}


def test_amounts(result) -> None:
    amounts = result["lists"]["amounts"]
    # m1 exact MONEY: COR; m2 PERCENT predicted as QUANTITY: INC in both schemas
    assert counts(amounts["strict"]) == (1, 1, 0, 0, 0) and counts(amounts["partial"]) == (1, 1, 0, 0, 0)
    assert prf(amounts["partial"]) == approx((0.5, 0.5, 0.5))
    # per type the wrong type is a miss and a spurious item
    types = amounts["types"]
    assert counts(types["MONEY"]["strict"]) == (1, 0, 0, 0, 0) and prf(types["MONEY"]["strict"]) == (1.0, 1.0, 1.0)
    assert counts(types["PERCENT"]["partial"]) == (0, 0, 0, 1, 0) and prf(types["PERCENT"]["partial"]) == (0, 0, 0)
    assert counts(types["QUANTITY"]["partial"]) == (0, 0, 0, 0, 1)
    # 500000000 vs 500000100: relative difference 2e-7 <= 1e-6; USD vs IRR
    assert amounts["value"] == {"matched": 1, "compared": 1, "equal": 1, "accuracy": 1.0}
    assert amounts["unit"] == {"matched": 1, "compared": 1, "equal": 0, "accuracy": 0.0}


def test_actors_and_confusion(result) -> None:
    actors = result["lists"]["actors"]
    # a: پاکستان COR, سیتو ORG->GPE INC, آمریکا MIS, کمک SPU; b: علي خان (boundaries) and واشنطن GPE->LOC
    # strict: COR 1, INC 3, MIS 1, SPU 1 -> POS = ACT = 5, F1 = 1/5
    assert counts(actors["strict"]) == (1, 3, 0, 1, 1) and prf(actors["strict"]) == approx((0.2, 0.2, 0.2))
    # partial: علي خان becomes PAR -> hits 2 of 5
    assert counts(actors["partial"]) == (1, 2, 1, 1, 1) and prf(actors["partial"]) == approx((0.4, 0.4, 0.4))
    # GPE alone: پاکستان COR; سیتو/GPE SPU; آمریکا and واشنطن MIS -> P 1/2, R 1/3, F1 2/5
    assert counts(actors["types"]["GPE"]["strict"]) == (1, 0, 0, 2, 1)
    assert prf(actors["types"]["GPE"]["partial"]) == approx((0.5, 1 / 3, 0.4))
    assert actors["types"]["PER"]["strict"]["f1"] == 0.0 and actors["types"]["PER"]["partial"]["f1"] == 1.0
    assert sorted(actors["types"]) == ["GPE", "LOC", "ORG", "PER"]
    # canonical ids on the 2 same-type matches: PAK != Pakistan, Liaquat Ali Khan ==
    assert actors["canonical"] == {"matched": 2, "compared": 2, "equal": 1, "accuracy": 0.5}
    zero = dict.fromkeys(["GPE", "LOC", "ORG", "PER", "MISSED"], 0)
    assert actors["confusion"] == {
        "GPE": {**zero, "GPE": 1, "LOC": 1, "MISSED": 1},
        "LOC": zero,
        "ORG": {**zero, "GPE": 1},
        "PER": {**zero, "PER": 1},
        "SPURIOUS": {**zero, "ORG": 1},
    }


def test_overall_is_micro_averaged_over_lists(result) -> None:
    # strict: 1+1+1 COR, 2+1+3 INC, 1 MIS, 1 SPU -> 3/10; partial: 3 COR + 3 PAR of 10 -> 6/10
    assert counts(result["overall"]["strict"]) == (3, 6, 0, 1, 1)
    assert prf(result["overall"]["strict"]) == approx((0.3, 0.3, 0.3))
    assert counts(result["overall"]["partial"]) == (3, 3, 3, 1, 1)
    assert result["overall"]["partial"]["f1"] == approx(0.6)


def test_events(result) -> None:
    events = result["events"]
    # gold: a e1, a e2, b e1; pred: a e1, a e2, b e2, b e1
    # detection (sentence + type): all 3 gold matched, b's extra CONSULT spurious -> P 3/4, R 1, F1 6/7
    det = events["detection"]
    assert (det["correct"], det["missed"], det["spurious"]) == (3, 0, 1)
    assert prf(det) == approx((0.75, 1.0, 6 / 7))
    # + overlapping triggers: a e2 (کمک کرد vs افزایش یافت) no longer matches -> 2 of 4 and 2 of 3
    trig = events["trigger"]
    assert (trig["correct"], trig["missed"], trig["spurious"]) == (2, 1, 2)
    assert prf(trig) == approx((0.5, 2 / 3, 4 / 7))
    assert events["types"]["AID"]["detection"]["f1"] == 1.0 and events["types"]["AID"]["trigger"]["f1"] == 0.0
    assert events["types"]["CONSULT"]["detection"]["f1"] == approx(2 / 3)
    # date: a e1 1954 == when 1954; a e2 has no gold date; b e1 1947-10-20 != 1947-10
    assert events["date"] == {"matched": 3, "compared": 2, "equal": 1, "accuracy": 0.5}
    # agents: {PAK} != {Pakistan}, {USA} != {}, {Liaquat Ali Khan} == (b e1 paired with pred e1)
    assert events["agents"] == {"matched": 3, "compared": 3, "equal": 1, "accuracy": approx(1 / 3)}
    # targets: {SEATO} ==, {PAK} != {}, {USA} != {Washington}
    assert events["targets"] == {"matched": 3, "compared": 3, "equal": 1, "accuracy": approx(1 / 3)}


def test_per_document_worst_first(result) -> None:
    rows = result["per_document"]
    assert [r["doc_id"] for r in rows] == ["a", "ar/b", "c"]
    # a: dates 1, amounts 1/2, actors 1/3, events 1 -> mean 17/24; b: 1, -, 1/2, 2/3 -> mean 13/18
    assert rows[0]["f1"] == approx({"dates": 1.0, "amounts": 0.5, "actors": 1 / 3, "events": 1.0})
    assert rows[0]["score"] == approx(17 / 24) and rows[1]["score"] == approx(13 / 18)
    assert rows[1]["f1"]["amounts"] is None
    assert rows[2] == {"doc_id": "c", "predicted": False, "score": None,
                       "f1": {"dates": None, "amounts": None, "actors": None, "events": None}}


def test_matching_is_optimal_and_order_free() -> None:
    def s(start, end, kind="X", ident="i"):
        return SimpleNamespace(start=start, end=end, type=kind, id=ident)

    # a prediction overlapping the gold span comes before the exact one: the exact one still wins
    # (nervaluate 1.2.1 matches greedily and gives COR 0, INC 1, SPU 1 here)
    assert tuple(strict_counts([s(0, 10)], [s(0, 3), s(0, 10)]).values()) == (1, 0, 0, 0, 1)
    # nested gold spans: strict maximizes exact matches, partial maximizes same-type overlaps
    gold, pred = [s(0, 10), s(5, 15)], [s(0, 10), s(1, 3)]
    assert tuple(strict_counts(gold, pred).values()) == (1, 0, 0, 1, 1)
    assert tuple(partial_match(gold, pred)[0].values()) == (0, 0, 2, 0, 0)
    # half-open spans: touching is not overlapping; equal empty spans match
    assert tuple(strict_counts([s(0, 5)], [s(5, 8)]).values()) == (0, 0, 0, 1, 1)
    assert tuple(strict_counts([s(3, 3)], [s(3, 3)]).values()) == (1, 0, 0, 0, 0)


def test_counts_agree_with_nervaluate_where_matching_is_unambiguous(toy) -> None:
    nervaluate = pytest.importorskip("nervaluate")
    golds = load_gold_dir(toy[0])
    preds = load_pred_dir(toy[1], golds)
    result = evaluate((g.document, preds.docs.get(g.doc_id)) for g in golds)
    for name in ("dates", "amounts", "actors"):
        def ents(documents):  # nervaluate's ends are inclusive
            return [[{"label": i.type, "start": i.start, "end": i.end - 1} for i in getattr(d, name)] for d in documents]
        true = ents(g.document for g in golds)
        pred = ents(preds.docs.get(g.doc_id, g.document.model_copy(update={name: []})) for g in golds)
        tags = sorted({e["label"] for doc in true + pred for e in doc})
        theirs = nervaluate.Evaluator(true, pred, tags=tags, loader="dict").evaluate()["overall"]
        ours = result["lists"][name]
        strict = theirs["strict"]
        assert counts(ours["strict"]) == (strict.correct, strict.incorrect, strict.partial, strict.missed, strict.spurious)
        ent = theirs["ent_type"]  # its COR = our COR + PAR
        c, i, p, m, s = counts(ours["partial"])
        assert (c + p, i, m, s) == (ent.correct, ent.incorrect, ent.missed, ent.spurious)
        assert ours["partial"]["f1"] == approx(ent.f1)


# --- validation -----------------------------------------------------------------------------

def _broken(tmp_path, change) -> ExtractError:
    data = gold_a()
    change(data)
    write(tmp_path, "a", data, RAW_A)
    with pytest.raises(ExtractError) as info:
        load_gold_dir(tmp_path)
    return info.value


def test_wrong_offsets(tmp_path) -> None:
    error = _broken(tmp_path, lambda d: d["dates"][0].update(start=4, end=12))
    assert error.code == "E406" and "a.json" in str(error) and "dates d1 4-12" in str(error)


def test_wrong_trigger_offsets(tmp_path) -> None:
    error = _broken(tmp_path, lambda d: d["events"][1]["trigger"].update(start=0))
    assert error.code == "E406" and "events e2 trigger" in str(error)


def test_unknown_type(tmp_path) -> None:
    error = _broken(tmp_path, lambda d: d["actors"][1].update(type="COUNTRY"))
    assert error.code == "E405" and "a.json" in str(error)
    assert "actors[1] (id 'a2')" in str(error) and "'COUNTRY'" in str(error) and "'ORG'" in str(error)


def test_unknown_event_type(tmp_path) -> None:
    error = _broken(tmp_path, lambda d: d["events"][0].update(type="JOIN"))
    assert error.code == "E405" and "events[0] (id 'e1')" in str(error)


def test_dangling_ids(tmp_path) -> None:
    error = _broken(tmp_path, lambda d: d["events"][0].update(agents=["a1", "a9"]))
    assert error.code == "E409" and "a.json" in str(error) and "events e1" in str(error) and "'a9'" in str(error)
    error = _broken(tmp_path, lambda d: d["events"][1].update(sentence=2))
    assert error.code == "E409" and "sentence 2" in str(error)


def test_duplicate_ids(tmp_path) -> None:
    error = _broken(tmp_path, lambda d: d["amounts"][1].update(id="m1"))
    assert error.code == "E410" and "'m1'" in str(error) and "amounts" in str(error)


def test_when_must_repeat_the_date_value(tmp_path) -> None:
    error = _broken(tmp_path, lambda d: d["events"][0].update(when="1955"))
    assert error.code == "E413" and "events e1" in str(error)


def test_sha_mismatch(tmp_path) -> None:
    error = _broken(tmp_path, lambda d: d.update(text_sha256=sha256_text(RAW_A + " ")))
    assert error.code == "E407" and "a.json" in str(error) and "a.txt" in str(error)


def test_doc_id_must_match_the_path(tmp_path) -> None:
    error = _broken(tmp_path, lambda d: d.update(doc_id="other"))
    assert error.code == "E411" and "'other'" in str(error)


def test_missing_text(tmp_path) -> None:
    write(tmp_path, "a", gold_a())
    with pytest.raises(ExtractError) as info:
        load_gold_dir(tmp_path)
    assert info.value.code == "E408" and "a.json" in str(info.value) and "a.txt" in str(info.value)


def test_bad_json_and_every_problem_listed(tmp_path) -> None:
    write(tmp_path, "a", gold_a(), RAW_A)
    (tmp_path / "a.json").write_text("{not json", encoding="utf-8")
    bad = gold_b()
    bad["actors"][0]["start"] += 1
    write(tmp_path, "ar/b", bad, RAW_B)
    with pytest.raises(ExtractError) as info:
        load_gold_dir(tmp_path)
    assert info.value.code == "E403" and "a.json" in str(info.value)
    assert [p.code for p in info.value.problems] == ["E403", "E406"]
    assert "actors a1" in str(info.value.problems[1])


def test_folder_errors(tmp_path) -> None:
    with pytest.raises(ExtractError) as info:
        load_gold_dir(tmp_path / "nope")
    assert info.value.code == "E401"
    with pytest.raises(ExtractError) as info:
        load_gold_dir(tmp_path)
    assert info.value.code == "E402"


def test_predictions_are_validated_too(toy) -> None:
    gold, pred = toy
    bad = pred_a()
    bad["actors"][2]["end"] += 1
    write(pred, "a", bad)
    with pytest.raises(ExtractError) as info:
        load_pred_dir(pred, load_gold_dir(gold))
    assert info.value.code == "E406" and str(pred / "a.json") in str(info.value) and "actors a4" in str(info.value)


# --- thresholds, baseline, output -----------------------------------------------------------

def test_parse_fail_under() -> None:
    parsed = parse_fail_under(["dates/DATE=0.8", "actors=0.7", "amounts/MONEY:strict=0.9", "events:trigger=0.5",
                               "overall=0.6", "events/AID=1"])
    assert [(t.key, t.minimum) for t in parsed] == [
        ("dates/DATE:partial", 0.8), ("actors:partial", 0.7), ("amounts/MONEY:strict", 0.9),
        ("events:trigger", 0.5), ("overall:partial", 0.6), ("events/AID:detection", 1.0)]


@pytest.mark.parametrize("spec", ["dates/DAT=0.8", "dates=1.5", "dates", "dates=high", "overall/DATE=0.1",
                                  "events:strict=0.5", "date=0.5", "amounts/PER=0.5"])
def test_parse_fail_under_rejects(spec) -> None:
    with pytest.raises(ExtractError) as info:
        parse_fail_under([spec])
    assert info.value.code == "E415" and repr(spec) in str(info.value)


def test_check_thresholds(result) -> None:
    thresholds = parse_fail_under(["dates/DATE:strict=0.6", "actors=0.4", "events:trigger=0.6", "dates/TIME=0.1",
                                   "dates=1"])
    assert check_thresholds(result, thresholds) == [
        "dates/DATE strict F1 0.500 is below 0.600",
        "events trigger F1 0.571 is below 0.600",
        "dates/TIME partial F1: nothing to score (no gold or predicted items), so it cannot reach 0.100",
    ]


def test_compare_baseline(result, tmp_path) -> None:
    baseline = copy.deepcopy(result)
    baseline["lists"]["actors"]["partial"]["f1"] = 0.5  # now 0.4: dropped by 0.1
    baseline["lists"]["dates"]["strict"]["f1"] = 0.34  # now 1/3: within the 0.01 tolerance
    baseline["lists"]["amounts"]["types"]["MONEY"]["strict"]["f1"] = 0.8  # now 1.0: better
    del baseline["events"]["types"]["CONSULT"]
    baseline["lists"]["dates"]["types"]["TIME"] = {"strict": {"f1": 0.9}, "partial": {"f1": 0.9}}
    assert compare_baseline(result, baseline) == ["actors partial F1 dropped from 0.500 to 0.400 (-0.100; tolerance 0.010)"]
    assert compare_baseline(result, baseline, tolerance=0.2) == []
    assert baseline_notes(result, baseline) == [
        "new: events/CONSULT detection F1 0.667 (not in the baseline)",
        "new: events/CONSULT trigger F1 0.667 (not in the baseline)",
        "gone: dates/TIME partial F1 was 0.900 in the baseline, nothing to score now",
        "gone: dates/TIME strict F1 was 0.900 in the baseline, nothing to score now",
    ]
    path = tmp_path / "base.json"
    path.write_text(json.dumps(to_json_dict(result)), encoding="utf-8")
    assert compare_baseline(result, load_baseline(path)) == []
    path.write_text('{"lists": {}}', encoding="utf-8")
    with pytest.raises(ExtractError) as info:
        load_baseline(path)
    assert info.value.code == "E416" and "base.json" in str(info.value)


def test_json_and_table(result) -> None:
    data = to_json_dict(result, warnings=["E414: ..."])
    assert json.loads(json.dumps(data)) == data and data["warnings"] == ["E414: ..."]
    assert f1_table(result)["amounts/QUANTITY:strict"] == 0.0
    table = render_table(result)
    assert "overall" in table and "c (no prediction)" in table and "SPURIOUS" in table
    lines = table.splitlines()
    docs = [line.split("  ")[0].strip() for line in lines[lines.index(next(l for l in lines if l.startswith("doc_id"))) + 2:]]
    assert docs == ["a", "ar/b", "c (no prediction)"]
    # aligned: every row of the span table is as wide as its header
    header = next(i for i, line in enumerate(lines) if line.startswith("spans"))
    assert len({len(line) for line in lines[header:header + 5]}) == 1
