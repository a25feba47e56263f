"""Scoring predicted extract/1 documents against gold ones: pure functions, no I/O.

Spans (dates, amounts, actors) are scored with SemEval-2013 task 9.1 counts, as nervaluate
names them: correct (COR), incorrect (INC), partial (PAR), missed (MIS), spurious (SPU);
possible POS = COR+INC+PAR+MIS (gold), actual ACT = COR+INC+PAR+SPU (predicted).
Two schemas, each with its own one-to-one matching:

- `strict` = nervaluate's "strict": COR = same start, end and type; INC = any other
  overlapping pair; PAR is always 0.  P = COR/ACT, R = COR/POS.
- `partial` = nervaluate's "ent_type" criterion (overlap and same type is a full hit), its
  hits split by boundaries: COR = same type and same start/end, PAR = same type, overlapping
  but other boundaries, INC = overlapping with another type.  P = (COR+PAR)/ACT,
  R = (COR+PAR)/POS: no 0.5 weight (nervaluate's own "partial" schema ignores types and
  weighs PAR by 0.5; we do not expose it).  nervaluate's ent_type COR = our COR + PAR.

Spans are half-open [start, end); they overlap when they share a character or are equal.
F1 = 2PR/(P+R) = 2*hits/(ACT+POS); P (R) is 0 when ACT (POS) is 0, as in nervaluate, and
P/R/F1 are None when there is nothing at all to score (POS = ACT = 0).
Per type, gold and predictions are filtered to that type and matched again (as nervaluate
does), so a wrong-type pair is INC in the list totals but MIS + SPU in the per-type rows.
Totals are micro-averaged: counts summed over documents (and over lists for `overall`).

Why not nervaluate itself (1.2.1, read for these definitions): it matches greedily in list
order, so a prediction overlapping a gold span can take it before the exact prediction of
that span comes, which then counts as spurious; and it treats `end` as inclusive.  Here each
matching is a maximum-weight assignment, so counts never depend on the order of the lists:
strict maximizes COR, then overlapping pairs; partial maximizes same-type overlaps, then
exact ones among them, then other-type overlaps.

Agreement on matches (the partial schema's same-type pairs): dates `value` by string
equality; amounts `value` by math.isclose(rel_tol=1e-6) and `unit` by equality, reported
apart; actors `canonical` by equality.  A gold field that the gold file leaves out is not
annotated and is not compared (the format lets gold files omit fields); an explicit null is
annotated and must be matched.  Events: see `score_events`.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Callable, Iterable, Optional, Sequence

from ..document import Document
from .schemes import apply_scheme

LISTS = ("dates", "amounts", "actors")
COUNTS = ("correct", "incorrect", "partial", "missed", "spurious")
MISSED, SPURIOUS = "MISSED", "SPURIOUS"
RESULT_SCHEMA = "extract-eval/1"
AGREEMENTS = {"dates": ("value",), "amounts": ("value", "unit"), "actors": ("canonical",)}


# --- matching -----------------------------------------------------------------------------

def _same(a, b) -> bool:
    return a.start == b.start and a.end == b.end


def _overlap(a, b) -> bool:
    return _same(a, b) or max(a.start, b.start) < min(a.end, b.end)


def assign(gold: Sequence, pred: Sequence, tiers: Callable[[object, object], tuple[bool, ...]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs maximizing the tier counts lexicographically.

    `tiers(g, p)` gives booleans, most important first; a pair with no true tier may not be
    matched.  Weights base**k with base > the number of possible pairs make this exact.
    """
    if not gold or not pred:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    base = min(len(gold), len(pred)) + 1
    size = len(tiers(gold[0], pred[0]))
    weights = [base ** (size - 1 - k) for k in range(size)]
    matrix = np.zeros((len(gold), len(pred)), dtype=np.int64)
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            matrix[i, j] = sum(w for w, flag in zip(weights, tiers(g, p)) if flag)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols) if matrix[i, j] > 0]


def _strict_tiers(g, p):
    return (_same(g, p) and g.type == p.type, _overlap(g, p))


def _partial_tiers(g, p):
    hit = g.type == p.type and _overlap(g, p)
    return (hit, hit and _same(g, p), _overlap(g, p))


def _ordered(items: Iterable) -> list:
    return sorted(items, key=lambda i: (i.start, i.end, i.type, i.id))


def strict_counts(gold: Sequence, pred: Sequence) -> Counter:
    pairs = assign(gold, pred, _strict_tiers)
    correct = sum(1 for i, j in pairs if _same(gold[i], pred[j]) and gold[i].type == pred[j].type)
    return _counter(correct, len(pairs) - correct, 0, len(gold) - len(pairs), len(pred) - len(pairs))


def partial_match(gold: Sequence, pred: Sequence) -> tuple[Counter, list[tuple[int, int]]]:
    """Counts of the partial schema and its pairs (same-type and other-type overlaps)."""
    pairs = assign(gold, pred, _partial_tiers)
    hits = [(i, j) for i, j in pairs if gold[i].type == pred[j].type]
    correct = sum(1 for i, j in hits if _same(gold[i], pred[j]))
    counts = _counter(correct, len(pairs) - len(hits), len(hits) - correct,
                      len(gold) - len(pairs), len(pred) - len(pairs))
    return counts, pairs


def _counter(correct: int, incorrect: int, partial: int, missed: int, spurious: int) -> Counter:
    return Counter(dict(zip(COUNTS, (correct, incorrect, partial, missed, spurious))))


# --- one document ---------------------------------------------------------------------------

def score_document(gold: Document, pred: Optional[Document], scheme: Optional[dict] = None) -> dict:
    """Raw counts (Counters) for one document; `pred=None` is an empty prediction;
    `scheme`: the gold corpus's conventions (`schemes.py`), applied to `pred` first."""
    out: dict = {"doc_id": gold.doc_id, "predicted": pred is not None}
    pred = pred or Document(doc_id=gold.doc_id, lang=gold.lang, text_sha256=gold.text_sha256)
    pred = apply_scheme(gold, pred, scheme)
    for name in LISTS:
        g_items, p_items = _ordered(getattr(gold, name)), _ordered(getattr(pred, name))
        counts, pairs = partial_match(g_items, p_items)
        entry: dict = {"strict": strict_counts(g_items, p_items), "partial": counts, "types": {}}
        for kind in sorted({i.type for i in g_items + p_items}):
            gt = [i for i in g_items if i.type == kind]
            pt = [i for i in p_items if i.type == kind]
            entry["types"][kind] = {"strict": strict_counts(gt, pt), "partial": partial_match(gt, pt)[0]}
        hits = [(g_items[i], p_items[j]) for i, j in pairs if g_items[i].type == p_items[j].type]
        if name == "dates":
            entry["value"] = _agreement(hits, "value", lambda g, p: g.value == p.value)
        elif name == "amounts":
            entry["value"] = _agreement(hits, "value", lambda g, p: _number_equal(g.value, p.value))
            entry["unit"] = _agreement(hits, "unit", lambda g, p: g.unit == p.unit)
        else:
            entry["canonical"] = _agreement(hits, "canonical", lambda g, p: g.canonical == p.canonical)
            entry["confusion"] = _confusion(g_items, p_items, pairs)
        out[name] = entry
    out["events"] = score_events(gold, pred)
    return out


def _number_equal(a: Optional[float], b: Optional[float]) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6)


def _agreement(pairs, field: str, equal: Callable) -> Counter:
    """matched pairs; compared = those whose gold annotates `field`; equal among them."""
    compared = [(g, p) for g, p in pairs if field in g.model_fields_set]
    return Counter(matched=len(pairs), compared=len(compared), equal=sum(1 for g, p in compared if equal(g, p)))


def _confusion(gold, pred, pairs) -> Counter:
    """(gold type, predicted type) over the partial matching's overlapping pairs."""
    table = Counter((gold[i].type, pred[j].type) for i, j in pairs)
    matched_gold, matched_pred = {i for i, _ in pairs}, {j for _, j in pairs}
    table.update((g.type, MISSED) for i, g in enumerate(gold) if i not in matched_gold)
    table.update((SPURIOUS, p.type) for j, p in enumerate(pred) if j not in matched_pred)
    return table


# --- events ---------------------------------------------------------------------------------

def score_events(gold: Document, pred: Document) -> dict:
    """Detection: same sentence and type, one-to-one; `trigger` also needs overlapping triggers.

    Date, agent and target agreement are measured on the detection matches, preferring
    pairs whose triggers overlap (then equal) when several are possible.
    """
    g_events, p_events = gold.events, pred.events

    def detection(g, p):
        same = g.sentence == p.sentence and g.type == p.type
        return (same, same and _overlap(g.trigger, p.trigger), same and _same(g.trigger, p.trigger))

    def trigger(g, p):
        same = g.sentence == p.sentence and g.type == p.type and _overlap(g.trigger, p.trigger)
        return (same, same and _same(g.trigger, p.trigger))

    out: dict = {"detection": _detect(g_events, p_events, detection),
                 "trigger": _detect(g_events, p_events, trigger), "types": {}}
    for kind in sorted({e.type for e in g_events + p_events}):
        gt = [e for e in g_events if e.type == kind]
        pt = [e for e in p_events if e.type == kind]
        out["types"][kind] = {"detection": _detect(gt, pt, detection), "trigger": _detect(gt, pt, trigger)}
    pairs = [(g_events[i], p_events[j]) for i, j in assign(g_events, p_events, detection)]
    g_view, p_view = _EventView(gold), _EventView(pred)
    out["date"] = _event_agreement(pairs, ("date", "when"), lambda g, p: g_view.date(g) == p_view.date(p))
    out["agents"] = _event_agreement(pairs, ("agents",), lambda g, p: g_view.ids(g.agents) == p_view.ids(p.agents))
    out["targets"] = _event_agreement(pairs, ("targets",), lambda g, p: g_view.ids(g.targets) == p_view.ids(p.targets))
    return out


def _detect(gold, pred, tiers) -> Counter:
    matched = len(assign(gold, pred, tiers))
    return Counter(correct=matched, missed=len(gold) - matched, spurious=len(pred) - matched)


def _event_agreement(pairs, fields: tuple[str, ...], equal: Callable) -> Counter:
    compared = [(g, p) for g, p in pairs if g.model_fields_set.intersection(fields)]
    return Counter(matched=len(pairs), compared=len(compared), equal=sum(1 for g, p in compared if equal(g, p)))


class _EventView:
    """Resolves an event's date value and actor canonical ids within its document."""

    def __init__(self, document: Document) -> None:
        self.values = {d.id: d.value for d in document.dates}
        self.canonical = {a.id: a.canonical for a in document.actors}

    def date(self, event) -> Optional[str]:
        return event.when if event.when is not None else self.values.get(event.date)

    def ids(self, actor_ids: list[str]) -> frozenset:
        return frozenset(self.canonical.get(a) for a in actor_ids)


# --- all documents --------------------------------------------------------------------------

def evaluate(pairs: Iterable[tuple[Document, Optional[Document]]], scheme: Optional[dict] = None) -> dict:
    """The JSON-serializable result of scoring (gold, prediction) pairs; see the module doc.
    `scheme`: a scoring scheme (`schemes.py`, e.g. PEYMA's GPE rule), recorded in the result."""
    docs = [score_document(gold, pred, scheme) for gold, pred in pairs]
    total: dict = {}
    for doc in docs:
        _add(total, doc)
    lists = {name: _finish_list(name, total.get(name, {})) for name in LISTS}
    overall = {schema: _prf(sum((total.get(n, {}).get(schema, Counter()) for n in LISTS), Counter()), schema)
               for schema in ("strict", "partial")}
    return {
        "schema": RESULT_SCHEMA,
        "documents": len(docs),
        **({"scheme": scheme} if scheme else {}),
        "lists": lists,
        "overall": overall,
        "events": _finish_events(total.get("events", {})),
        "per_document": worst_first([_doc_row(doc) for doc in docs]),
    }


def _add(into: dict, other: dict) -> None:
    for key, value in other.items():
        if isinstance(value, Counter):
            into.setdefault(key, Counter()).update(value)
        elif isinstance(value, dict):
            _add(into.setdefault(key, {}), value)


def _prf(counts: Counter, schema: str = "strict") -> dict:
    c = {k: counts.get(k, 0) for k in COUNTS}
    hits = c["correct"] + (c["partial"] if schema == "partial" else 0)
    possible = c["correct"] + c["incorrect"] + c["partial"] + c["missed"]
    actual = c["correct"] + c["incorrect"] + c["partial"] + c["spurious"]
    if possible == actual == 0:
        scores = {"precision": None, "recall": None, "f1": None}
    else:
        scores = {"precision": hits / actual if actual else 0.0, "recall": hits / possible if possible else 0.0,
                  "f1": 2 * hits / (actual + possible)}
    return {**c, "possible": possible, "actual": actual, **scores}


def _rate(counts: Counter) -> dict:
    compared, equal = counts.get("compared", 0), counts.get("equal", 0)
    return {"matched": counts.get("matched", 0), "compared": compared, "equal": equal,
            "accuracy": equal / compared if compared else None}


def _finish_list(name: str, total: dict) -> dict:
    out = {schema: _prf(total.get(schema, Counter()), schema) for schema in ("strict", "partial")}
    out["types"] = {kind: {schema: _prf(t[schema], schema) for schema in ("strict", "partial")}
                    for kind, t in sorted(total.get("types", {}).items())}
    for field in AGREEMENTS[name]:
        out[field] = _rate(total.get(field, Counter()))
    if name == "actors":
        out["confusion"] = _confusion_table(total.get("confusion", Counter()))
    return out


def _confusion_table(counts: Counter) -> dict:
    """{gold type or SPURIOUS: {predicted type or MISSED: n}}, every cell present."""
    kinds = sorted(({g for g, _ in counts} | {p for _, p in counts}) - {MISSED, SPURIOUS})
    return {g: {p: counts.get((g, p), 0) for p in kinds + [MISSED]} for g in kinds + [SPURIOUS]}


def _finish_events(total: dict) -> dict:
    out = {variant: _prf(total.get(variant, Counter())) for variant in ("detection", "trigger")}
    out["types"] = {kind: {v: _prf(t[v]) for v in ("detection", "trigger")}
                    for kind, t in sorted(total.get("types", {}).items())}
    for field in ("date", "agents", "targets"):
        out[field] = _rate(total.get(field, Counter()))
    return out


def _doc_row(doc: dict) -> dict:
    f1 = {name: _prf(doc[name]["partial"], "partial")["f1"] for name in LISTS}
    f1["events"] = _prf(doc["events"]["detection"])["f1"]
    scored = [v for v in f1.values() if v is not None]
    return {"doc_id": doc["doc_id"], "predicted": doc["predicted"], "f1": f1, "score": sum(scored) / len(scored) if scored else None}


def worst_first(rows: list[dict]) -> list[dict]:
    """Lowest mean F1 first; documents with nothing to score last; ties by doc_id."""
    return sorted(rows, key=lambda r: (r["score"] is None, r["score"] or 0.0, r["doc_id"]))
