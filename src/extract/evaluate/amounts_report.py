"""Amounts on gold sets: strict/partial P/R/F1 per type, value and unit accuracy.

    python -m extract.evaluate.amounts_report --gold /tmp/peyma-dev --gold /tmp/wojood-dev [--errors N] [--json FILE]

Every gold folder (extract/1 gold pairs, e.g. from `extract gold import`) is run through
the whole pipeline of its language (the counted noun of a QUANTITY needs the tagger) and
its `amounts` list is scored by `extract.evaluate.score`.  `--errors N` prints up to N
missed and N spurious spans of each type, with their context, for error analysis.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ..pipeline import Pipeline
from .gold import load_gold_dir
from .score import evaluate

TYPES = ("MONEY", "PERCENT", "QUANTITY")


def report(gold_dir: str, errors: int = 0) -> dict:
    golds = load_gold_dir(gold_dir)
    lang = golds[0].document.lang
    pipeline = Pipeline(lang)
    chars = sum(len(g.raw) for g in golds)
    start = time.perf_counter()
    preds = [pipeline.process(g.raw, g.document.reference_date, g.doc_id) for g in golds]
    seconds = time.perf_counter() - start
    scored = evaluate((g.document, p) for g, p in zip(golds, preds))
    amounts = scored["lists"]["amounts"]
    result = {
        "gold": str(gold_dir), "lang": lang, "documents": len(golds), "chars": chars,
        "pipeline_docs_per_s": round(len(golds) / seconds, 1),
        "types": {t: {s: {k: amounts["types"].get(t, {}).get(s, {}).get(k) for k in ("precision", "recall", "f1", "possible", "actual")}
                      for s in ("strict", "partial")} for t in TYPES},
        "value_accuracy": amounts.get("value", {}).get("accuracy"),
        "unit_accuracy": amounts.get("unit", {}).get("accuracy"),
    }
    if errors:
        result["errors"] = _errors(golds, preds, errors)
    return result


def _errors(golds, preds, limit: int) -> dict:
    """Missed (gold without a strict match) and spurious (prediction without one), per type."""
    out: dict = {}
    for gold, pred in zip(golds, preds):
        gold_spans = {(a.start, a.end, a.type) for a in gold.document.amounts}
        pred_spans = {(a.start, a.end, a.type) for a in pred.amounts}
        for kind, spans, other in (("missed", gold_spans, pred_spans), ("spurious", pred_spans, gold_spans)):
            for start, end, type_ in sorted(spans - other):
                rows = out.setdefault(type_, {}).setdefault(kind, [])
                if len(rows) < limit:
                    context = gold.raw[max(0, start - 30):start] + "[" + gold.raw[start:end] + "]" + gold.raw[end:end + 30]
                    rows.append(f"{gold.doc_id}: {context}".replace("\n", " "))
    return out


def _fmt(x) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", action="append", required=True)
    parser.add_argument("--errors", type=int, default=0, help="print up to N missed/spurious spans per type")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results = []
    for gold in args.gold:
        r = report(gold, args.errors)
        results.append(r)
        print(f"\n{r['gold']} ({r['lang']}, {r['documents']} docs, {r['chars']:,} chars, "
              f"whole pipeline {r['pipeline_docs_per_s']} docs/s)")
        print(f"  {'type':<9}{'gold':>6}{'pred':>6}{'strict P':>10}{'R':>7}{'F1':>7}{'partial P':>11}{'R':>7}{'F1':>7}")
        for t in TYPES:
            s, p = r["types"][t]["strict"], r["types"][t]["partial"]
            print(f"  {t:<9}{s['possible'] or 0:>6}{s['actual'] or 0:>6}{_fmt(s['precision']):>10}{_fmt(s['recall']):>7}"
                  f"{_fmt(s['f1']):>7}{_fmt(p['precision']):>11}{_fmt(p['recall']):>7}{_fmt(p['f1']):>7}")
        print(f"  value accuracy {_fmt(r['value_accuracy'])}, unit accuracy {_fmt(r['unit_accuracy'])}")
        for type_, kinds in (r.get("errors") or {}).items():
            for kind, rows in kinds.items():
                print(f"  -- {type_} {kind}:")
                for row in rows:
                    print("     " + row)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
