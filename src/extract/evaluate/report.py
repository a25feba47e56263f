"""Showing and judging an `evaluate()` result: terminal table, JSON, --fail-under, --baseline.

Every F1 in a result has a key `TARGET:METRIC` (see `f1_table`):
  TARGET = dates | amounts | actors | overall | events, optionally /TYPE (not for overall);
  METRIC = partial | strict for spans and overall, detection | trigger for events.
`--fail-under` takes `TARGET[:METRIC]=F1`; METRIC defaults to partial (detection for events).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, get_args

from ..document import ActorItem, AmountItem, DateItem, EventItem
from ..errors import ExtractError
from .score import LISTS, RESULT_SCHEMA

TYPES = {name: set(get_args(model.model_fields["type"].annotation))
         for name, model in (("dates", DateItem), ("amounts", AmountItem), ("actors", ActorItem), ("events", EventItem))}
METRICS = {**{name: ("partial", "strict") for name in (*LISTS, "overall")}, "events": ("detection", "trigger")}


# --- F1 keys ------------------------------------------------------------------------------

def f1_table(result: dict) -> dict[str, Optional[float]]:
    """Every F1 of a result by key, e.g. {"dates/DATE:strict": 0.5, "events:trigger": 1.0}."""
    table: dict[str, Optional[float]] = {}
    for name in LISTS:
        entry = result["lists"][name]
        for metric in METRICS[name]:
            table[f"{name}:{metric}"] = entry[metric]["f1"]
            for kind, scores in entry["types"].items():
                table[f"{name}/{kind}:{metric}"] = scores[metric]["f1"]
    for metric in METRICS["overall"]:
        table[f"overall:{metric}"] = result["overall"][metric]["f1"]
    events = result["events"]
    for metric in METRICS["events"]:
        table[f"events:{metric}"] = events[metric]["f1"]
        for kind, scores in events["types"].items():
            table[f"events/{kind}:{metric}"] = scores[metric]["f1"]
    return table


def _label(key: str) -> str:
    target, metric = key.split(":")
    return f"{target} {metric} F1"


@dataclass(frozen=True)
class Threshold:
    key: str  # e.g. "dates/DATE:partial"
    minimum: float


def parse_fail_under(specs: list[str]) -> list[Threshold]:
    """["dates/DATE=0.8", "actors=0.7", "amounts/MONEY:strict=0.9"] -> Thresholds (E415 if bad)."""
    return [_parse_one(spec) for spec in specs]


def _parse_one(spec: str) -> Threshold:
    def bad(detail: str) -> ExtractError:
        return ExtractError("E415", spec=spec, detail=detail)

    target, sep, number = spec.partition("=")
    if not sep:
        raise bad("no '=F1'")
    try:
        minimum = float(number)
    except ValueError:
        raise bad(f"{number!r} is not a number") from None
    if not 0.0 <= minimum <= 1.0:
        raise bad(f"{minimum} is not between 0 and 1")
    target, _, metric = target.strip().partition(":")
    name, _, kind = target.partition("/")
    if name not in METRICS:
        raise bad(f"unknown list {name!r}; use one of {', '.join(METRICS)}")
    metric = metric or METRICS[name][0]
    if metric not in METRICS[name]:
        raise bad(f"unknown metric {metric!r} for {name}; use {' or '.join(METRICS[name])}")
    if kind and name == "overall":
        raise bad("overall has no types")
    if kind and kind not in TYPES[name]:
        raise bad(f"unknown {name} type {kind!r}; use one of {', '.join(sorted(TYPES[name]))}")
    return Threshold(f"{target}:{metric}", minimum)


def check_thresholds(result: dict, thresholds: list[Threshold]) -> list[str]:
    """One message per threshold not met; a target with nothing to score does not meet it."""
    table = f1_table(result)
    messages = []
    for threshold in thresholds:
        f1 = table.get(threshold.key)
        if f1 is None:
            messages.append(f"{_label(threshold.key)}: nothing to score (no gold or predicted items), "
                            f"so it cannot reach {threshold.minimum:.3f}")
        elif f1 < threshold.minimum:
            messages.append(f"{_label(threshold.key)} {f1:.3f} is below {threshold.minimum:.3f}")
    return messages


# --- baseline -----------------------------------------------------------------------------

def load_baseline(path: str | Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExtractError("E416", path=str(path), detail=str(exc)) from None
    _baseline_table(data, str(path))
    return data


def _baseline_table(baseline: dict, path: str = "<baseline>") -> dict[str, Optional[float]]:
    if not isinstance(baseline, dict) or baseline.get("schema") != RESULT_SCHEMA:
        raise ExtractError("E416", path=path, detail=f"its schema is not {RESULT_SCHEMA!r}")
    try:
        return f1_table(baseline)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ExtractError("E416", path=path, detail=f"missing {exc}") from None


def compare_baseline(result: dict, baseline: dict, tolerance: float = 0.01) -> list[str]:
    """One message per F1 that dropped by more than `tolerance` since the baseline.

    Keys absent from the baseline are not regressions (see `baseline_notes`).
    """
    before, now = _baseline_table(baseline), f1_table(result)
    messages = []
    for key, f1 in now.items():
        old = before.get(key)
        if old is not None and f1 is not None and old - f1 > tolerance + 1e-12:
            messages.append(f"{_label(key)} dropped from {old:.3f} to {f1:.3f} "
                            f"({f1 - old:+.3f}; tolerance {tolerance:.3f})")
    return messages


def baseline_notes(result: dict, baseline: dict) -> list[str]:
    """F1s new since the baseline, and those the baseline had that are no longer scored."""
    before, now = _baseline_table(baseline), f1_table(result)
    notes = [f"new: {_label(k)} {_fmt(f1)} (not in the baseline)" for k, f1 in now.items()
             if k not in before or (before[k] is None and f1 is not None)]
    notes += [f"gone: {_label(k)} was {_fmt(f1)} in the baseline, nothing to score now" for k, f1 in before.items()
              if f1 is not None and now.get(k) is None]
    return notes


# --- output -------------------------------------------------------------------------------

def to_json_dict(result: dict, **extra: object) -> dict:
    """Everything for `--json`: the result plus e.g. warnings=[...], failures=[...]."""
    return {**result, **{k: v for k, v in extra.items() if v is not None}}


def _fmt(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.3f}"


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    """Aligned plain-text rows: first column left, the others right."""
    cells = [headers] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
             for row in cells]
    lines.insert(1, "-" * len(lines[0]))
    return lines


def _span_row(label: str, strict: dict, partial: dict) -> list[object]:
    return [label, _fmt(strict["precision"]), _fmt(strict["recall"]), _fmt(strict["f1"]),
            _fmt(partial["precision"]), _fmt(partial["recall"]), _fmt(partial["f1"]),
            *(partial[k] for k in ("correct", "incorrect", "partial", "missed", "spurious"))]


def render_table(result: dict, worst: int = 10) -> str:
    """A readable plain-text report; `worst` = how many documents to list, worst first."""
    out = [f"extract eval: {result['documents']} documents", ""]
    if result.get("scheme"):  # predictions read by the gold corpus's conventions (schemes.py)
        out[1:1] = [f"scoring scheme: {result['scheme']}"]
    rows = []
    for name in LISTS:
        entry = result["lists"][name]
        rows.append(_span_row(name, entry["strict"], entry["partial"]))
        rows += [_span_row(f"  {kind}", s["strict"], s["partial"]) for kind, s in entry["types"].items()]
    rows.append(_span_row("overall", result["overall"]["strict"], result["overall"]["partial"]))
    out += _table(["spans", "strict P", "R", "F1", "partial P", "R", "F1", "COR", "INC", "PAR", "MIS", "SPU"], rows)
    out.append("(counts from the partial matching: PAR = same type, other boundaries; INC = other type)")

    values = [(f"{name} {field}", result["lists"][name][field])
              for name in LISTS for field in ("value", "unit", "canonical") if field in result["lists"][name]]
    values += [(f"events {field}", result["events"][field]) for field in ("date", "agents", "targets")]
    out += [""] + _table(["agreement on matches", "matched", "compared", "equal", "accuracy"],
                         [[label, v["matched"], v["compared"], v["equal"], _fmt(v["accuracy"])] for label, v in values])

    events = result["events"]
    rows = [["events", *_event_cells(events)]]
    rows += [[f"  {kind}", *_event_cells(s)] for kind, s in events["types"].items()]
    out += [""] + _table(["events", "P", "R", "F1", "COR", "MIS", "SPU", "+trigger P", "R", "F1"], rows)
    out.append("(a match: same sentence and type, one-to-one; +trigger: triggers overlap too)")

    confusion = result["lists"]["actors"]["confusion"]
    if confusion:
        columns = list(next(iter(confusion.values())))
        out += [""] + _table(["actors gold \\ pred", *columns],
                             [[gold, *(cells[c] for c in columns)] for gold, cells in confusion.items()])

    docs = result["per_document"][:worst]
    if docs:
        out += ["", f"worst documents (partial F1; events: detection F1), {len(docs)} of {len(result['per_document'])}:"]
        out += _table(["doc_id", "dates", "amounts", "actors", "events", "mean"],
                      [[d["doc_id"] + ("" if d.get("predicted", True) else " (no prediction)"),
                        *(_fmt(d["f1"][k]) for k in (*LISTS, "events")), _fmt(d["score"])] for d in docs])
    return "\n".join(out) + "\n"


def _event_cells(scores: dict) -> list[object]:
    d, t = scores["detection"], scores["trigger"]
    return [_fmt(d["precision"]), _fmt(d["recall"]), _fmt(d["f1"]), d["correct"], d["missed"], d["spurious"],
            _fmt(t["precision"]), _fmt(t["recall"]), _fmt(t["f1"])]
