"""`extract eval`: score predicted extract/1 documents against a gold folder.

    golds = load_gold_dir("gold/")                 # numbered E4xx errors, never skips a file
    preds = load_pred_dir("out/", golds)           # preds.warnings: E414 per missing prediction
    result = evaluate((g.document, preds.docs.get(g.doc_id)) for g in golds)
    print(render_table(result))
    failures = check_thresholds(result, parse_fail_under(["dates/DATE=0.8"]))
    regressions = compare_baseline(result, load_baseline("baseline.json"))

`score` defines the metrics, `report` the F1 keys and the --fail-under syntax.
"""
from __future__ import annotations

from .gold import GoldDoc, PredSet, load_gold_dir, load_pred_dir
from .report import (Threshold, baseline_notes, check_thresholds, compare_baseline, f1_table, load_baseline,
                     parse_fail_under, render_table, to_json_dict)
from .score import evaluate, score_document

__all__ = [
    "GoldDoc", "PredSet", "Threshold", "baseline_notes", "check_thresholds", "compare_baseline", "evaluate",
    "evaluate_dirs", "f1_table", "load_baseline", "load_gold_dir", "load_pred_dir", "parse_fail_under",
    "render_table", "score_document", "to_json_dict",
]


def evaluate_dirs(gold_dir, pred_dir, text_dir=None) -> tuple[dict, PredSet]:
    """Load both folders and score them; the PredSet tells which predictions were missing."""
    golds = load_gold_dir(gold_dir, text_dir)
    preds = load_pred_dir(pred_dir, golds)
    return evaluate((g.document, preds.docs.get(g.doc_id)) for g in golds), preds
