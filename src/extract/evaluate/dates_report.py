"""Dates on gold sets: our date stage next to dateparser's `search_dates` alone.

    python -m extract.evaluate.dates_report --gold /tmp/peyma-dev --gold /tmp/wojood-dev [--json FILE]
    python -m extract.evaluate.dates_report --gold /tmp/peyma-train --errors 40   # error analysis
    python -m extract.evaluate.dates_report --gold /tmp/peyma-dev --rules         # per-rule precision

For every gold folder (extract/1 gold pairs, e.g. from `extract gold import`), both
systems read the same raw texts; the `dates` lists are scored by `extract.evaluate.score`
(strict and partial P/R/F1 per type, value accuracy).  dateparser gives no offsets, so
each string `search_dates` returns is located in the text (searching forward from the
previous match); it is a TIME when it holds a clock time (digits around ':'), else a
DATE, and has no value.  `--errors N` prints instead our N largest error families (for
rule discovery on a train split): misses (FN), spurious (FP) and boundary or type
mismatches (PAR), grouped by the span's shape (digits as N) and the rule, with examples
in context; `--rules` a table per rule (items, exact hits, overlaps, whole false alarms)
and the whole misses: what partial F1 counts.  Throughput is measured on the same documents (our stage: the
date stage alone on the normalized view the tokenizer builds, as in the pipeline).
"""
from __future__ import annotations

import argparse
import json
import re
import time
import warnings
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from ..document import Document, sha256_text
from ..stages.dates import DateStage
from ..stages.dates_scorer import DateScorer
from ..stages.dates_tables import tables
from ..text.normalize import normalize
from .gold import load_gold_dir
from .score import evaluate

TYPES = ("DATE", "TIME")
CLOCK = re.compile(r"[0-9\u06f0-\u06f9\u0660-\u0669]\s*:\s*[0-9\u06f0-\u06f9\u0660-\u0669]")


def _document(gold: Document, raw: str, items: list[dict]) -> Document:
    dates = [{"id": f"d{k}", "text": raw[i["start"]:i["end"]], **i} for k, i in enumerate(items, 1)]
    return Document(doc_id=gold.doc_id, lang=gold.lang, text_sha256=sha256_text(raw), dates=dates)


@lru_cache(maxsize=None)
def stage_for(lang: str, scorer: bool = True) -> DateStage:
    """The date stage as the pipeline builds it: with the language's learned scorer if it has one."""
    return DateStage(lang, DateScorer.load(lang) if scorer and tables(lang).scored else None)


SCORER = {"on": False}  # --scorer turns it on for the whole report (the pipeline's default is off)


def stage_items(stage: DateStage, normalized, reference_date) -> list[dict]:
    """The stage's items on one normalized view, with raw offsets."""
    out = []
    for a, b, item in stage.find(normalized.text, reference_date):
        start, end = normalized.to_raw(a, b)
        out.append({**item, "start": start, "end": end})
    return out


def ours(lang: str, normalized, reference_date) -> list[dict]:
    return stage_items(stage_for(lang, SCORER["on"]), normalized, reference_date)


def type_scores(scored: dict) -> dict:
    """{type: {strict|partial: {precision, recall, f1}}} of the dates list of `evaluate`'s result."""
    types = scored["lists"]["dates"]["types"]
    return {t: {s: {k: types.get(t, {}).get(s, {}).get(k) for k in ("precision", "recall", "f1")}
                for s in ("strict", "partial")} for t in TYPES}


def search_dates_spans(lang: str, raw: str) -> list[dict]:
    from dateparser.search import search_dates

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = search_dates(raw, languages=[lang]) or []
        except Exception:  # dateparser fails on some inputs; count them as nothing found
            found = []
    out, cursor = [], 0
    for text, _ in found:
        at = raw.find(text, cursor)
        if at < 0:
            at = raw.find(text)
        if at < 0 or not text.strip():
            continue
        cursor = at + len(text)
        out.append({"start": at, "end": at + len(text), "type": "TIME" if CLOCK.search(text) else "DATE",
                    "value": None, "source": "dateparser:search_dates", "confidence": 1.0})
    return out


def report(gold_dir: str) -> dict:
    golds = load_gold_dir(gold_dir)
    lang = golds[0].document.lang
    chars = sum(len(g.raw) for g in golds)
    result = {"gold": str(gold_dir), "lang": lang, "documents": len(golds), "chars": chars}
    stage_for(lang, SCORER["on"])  # compile the tables and load the scorer before timing
    # the pipeline's tokenizer normalizes once for every stage: not timed here
    views = {g.doc_id: normalize(g.raw, lang) for g in golds}
    for name, run in (("ours", lambda g: ours(lang, views[g.doc_id], g.document.reference_date)),
                      ("search_dates", lambda g: search_dates_spans(lang, g.raw))):
        start = time.perf_counter()
        preds = [run(g) for g in golds]
        seconds = time.perf_counter() - start
        scored = evaluate((g.document, _document(g.document, g.raw, p)) for g, p in zip(golds, preds))
        dates = scored["lists"]["dates"]
        result[name] = {
            "seconds": round(seconds, 2), "docs_per_s": round(len(golds) / seconds, 1),
            "chars_per_s": round(chars / seconds),
            "types": type_scores(scored),
            "value_accuracy": dates["value"]["accuracy"],
        }
    return result


def _rule(source: str) -> str:
    """The rule's name in a date's source (`rule:fa/date/NAME;model:...`)."""
    return source.split(";")[0].rsplit("/", 1)[-1]


def _shape(text: str, lang: str) -> str:
    return re.sub(r"[0-9]+", "N", normalize(text, lang).text)


def error_families(gold_dir: str) -> Counter:
    """{(kind, gold type, shape): [context, ...]} of our errors on a gold folder."""
    golds = load_gold_dir(gold_dir)
    lang = golds[0].document.lang
    families: dict = defaultdict(list)
    for g in golds:
        raw = g.raw
        preds = ours(lang, normalize(raw, lang), g.document.reference_date)

        def context(a: int, b: int) -> str:
            return (raw[max(0, a - 30):a] + "[[" + raw[a:b] + "]]" + raw[b:b + 30]).replace("\n", " ")

        for d in g.document.dates:
            if any(p["start"] == d.start and p["end"] == d.end and p["type"] == d.type for p in preds):
                continue
            over = [p for p in preds if p["start"] < d.end and d.start < p["end"]]
            if not over:
                key = ("FN", d.type, _shape(d.text, lang))
            else:
                p = over[0]
                key = ("PAR", d.type, f"{_shape(d.text, lang)}  <>  {_shape(raw[p['start']:p['end']], lang)} "
                                      f"{p['type']} {_rule(p['source'])}")
            families[key].append(context(d.start, d.end))
        for p in preds:
            if p["type"] in TYPES and not any(p["start"] < d.end and d.start < p["end"] for d in g.document.dates):
                key = ("FP", p["type"], f"{_shape(raw[p['start']:p['end']], lang)} {_rule(p['source'])}")
                families[key].append(context(p["start"], p["end"]))
    return families


def rule_table(gold_dir: str) -> tuple[dict, Counter]:
    """Per rule, how its DATE/TIME items fare on a gold folder: {rule: Counter(items, exact (same
    span and type), overlap (a gold date of the type, other bounds), alarm (no gold date overlaps:
    a whole false alarm))}; and the whole misses (no item overlaps), by type."""
    golds = load_gold_dir(gold_dir)
    lang = golds[0].document.lang
    rules: dict = defaultdict(Counter)
    missed: Counter = Counter()
    for g in golds:
        preds = [p for p in ours(lang, normalize(g.raw, lang), g.document.reference_date) if p["type"] in TYPES]
        for p in preds:
            c = rules[_rule(p["source"])]
            c["items"] += 1
            over = [d for d in g.document.dates if p["start"] < d.end and d.start < p["end"]]
            if any(d.start == p["start"] and d.end == p["end"] and d.type == p["type"] for d in over):
                c["exact"] += 1
            elif any(d.type == p["type"] for d in over):
                c["overlap"] += 1
            elif not over:
                c["alarm"] += 1
            else:
                c["other type"] += 1
        for d in g.document.dates:
            if d.type in TYPES and not any(p["start"] < d.end and d.start < p["end"] for p in preds):
                missed[d.type] += 1
    return rules, missed


def print_rules(gold_dir: str) -> None:
    rules, missed = rule_table(gold_dir)
    print(f"\n{gold_dir}: whole misses " + ", ".join(f"{t} {n}" for t, n in sorted(missed.items())))
    print(f"  {'rule':<24}{'items':>7}{'exact':>7}{'overlap':>9}{'alarm':>7}{'other type':>12}{'precision':>11}")
    for rule, c in sorted(rules.items(), key=lambda kv: -kv[1]["alarm"]):
        print(f"  {rule:<24}{c['items']:>7}{c['exact']:>7}{c['overlap']:>9}{c['alarm']:>7}{c['other type']:>12}"
              f"{(c['exact'] + c['overlap']) / c['items']:>11.3f}")


def print_errors(gold_dir: str, top: int) -> None:
    families = error_families(gold_dir)
    totals = Counter()
    for (kind, kind_type, _), found in families.items():
        totals[f"{kind} {kind_type}"] += len(found)
    print(f"\n{gold_dir}: " + ", ".join(f"{k} {v}" for k, v in totals.most_common()))
    for key, found in sorted(families.items(), key=lambda kv: -len(kv[1]))[:top]:
        print(f"{len(found):5}  {key[0]:<4}{key[1]:<6}{key[2]}")
        for text in found[:3]:
            print(f"         {text}")


def _fmt(x) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", action="append", required=True)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--errors", type=int, metavar="N", help="print our N largest error families instead")
    parser.add_argument("--rules", action="store_true",
                        help="print per rule its items, exact and overlapping hits and whole false alarms instead")
    parser.add_argument("--scorer", action="store_true", help="the date rules checked by their learned scorer")
    args = parser.parse_args(argv)
    SCORER["on"] = args.scorer
    if args.rules:
        for gold in args.gold:
            print_rules(gold)
        return
    if args.errors:
        for gold in args.gold:
            print_errors(gold, args.errors)
        return
    results = []
    for gold in args.gold:
        r = report(gold)
        results.append(r)
        print(f"\n{r['gold']} ({r['lang']}, {r['documents']} docs, {r['chars']:,} chars)")
        print(f"  {'system':<14}{'type':<6}{'strict P':>9}{'R':>7}{'F1':>7}{'partial P':>11}{'R':>7}{'F1':>7}"
              f"{'value acc':>11}{'docs/s':>9}")
        for name in ("ours", "search_dates"):
            for t in TYPES:
                s, p = r[name]["types"][t]["strict"], r[name]["types"][t]["partial"]
                acc = r[name]["value_accuracy"] if name == "ours" and t == "DATE" else None
                print(f"  {name:<14}{t:<6}{_fmt(s['precision']):>9}{_fmt(s['recall']):>7}{_fmt(s['f1']):>7}"
                      f"{_fmt(p['precision']):>11}{_fmt(p['recall']):>7}{_fmt(p['f1']):>7}"
                      f"{_fmt(acc):>11}{r[name]['docs_per_s']:>9}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
