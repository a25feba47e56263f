"""Train the date candidate scorer of one language: `models/dates-<lang>-scorer/` (`make models`).

    python -m extract.stages.dates_train --lang fa|ar [--out DIR] [--data DIR] [--folds 5]

Candidates are the rules' own output (every resolved candidate, overlapping ones too) on the
TRAIN split only — fa: PEYMA-600k without its dev documents, ar: the Wojood sample's train
file; a candidate's label is `dates_scorer.train_label`.  The language's examples corpus
(`lang/<code>/examples/dates.yaml`: the spec's reading, every expected date a keep, every other
candidate a drop) is added to every training set, each case `EXAMPLE_WEIGHT` times, so where the
corpus's habits and the spec disagree (PEYMA leaves many a sentence-initial «امروز» untagged) the
spec wins; it is never held out, and the stage must still pass it with the model on.  The keep threshold is chosen by
k-fold cross-validation on the train split (documents split into folds, each scored end to end
by a model trained on the others: strict + partial DATE/TIME F1), then the model is trained on
the whole train split.  The dev split (PEYMA dev / Wojood val) is only scored, for the card.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from ..document import Document
from ..models import models_dir, write_manifest
from ..regression import shared_data
from ..text.normalize import normalize
from .dates import DateStage
from .dates_tables import tables
from .dates_scorer import CONFIG_FILE, FEATURE_VERSION, KEEP, MODEL_FILE, Context, DateScorer, features, model_name, \
    train_label

# (corpus folder, import preset) of each language's gold; its fixed split decides train / dev
CORPORA = {"fa": ("peyma-600k", "peyma"), "ar": ("wojood-sample", "wojood")}
LICENCES = {"fa": "PEYMA-600k (ITRC; research use only)",
            "ar": "the Wojood sample (Jarrar et al. 2022; research use)"}
# why the scorer is off, per corpus: what it was seen to learn instead of the spec (for the card)
HABITS = {"fa": "It passes the whole examples corpus (it is trained on it), but it still learns the train corpus's "
                "habit (PEYMA tags «امروز» / «فردا» only where they name the day of the news) beyond it: on dev it "
                "drops present-era «امروز» («« امروز کسی نمی‌تواند ...»», «اگر امروز ...») and also days the spec "
                "reads as dates («این کنگره فردا با حضور ... برگزار می‌شود», «دبیر کل امروز به من دادند»), and "
                "the rules it checks besides «امروز» / «فردا» it leaves as they are, which is why it is off."}
PARAMS = {"c1": 0.0, "c2": 1.0, "max_iterations": 200}  # L2 only; c2 in 0.3..3 scored alike in cross-validation
THRESHOLDS = [round(0.05 * k, 2) for k in range(1, 13)]  # 0.05 .. 0.60
EXAMPLE_WEIGHT = 5  # copies of each examples-corpus candidate: the spec outweighs a corpus habit
EXAMPLES_REFERENCE = "2024-03-20"  # the examples corpus's fixed reference date (tests/test_examples.py)
TYPES = ("DATE", "TIME")


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def load_split(lang: str, split: str, data: Path) -> list[tuple[str, str, Document]]:
    from ..evaluate.importers import run_import

    folder, preset = CORPORA[lang]
    return run_import(data / folder, None, preset=preset, split=split).items


def candidate_rows(lang: str, docs: list[tuple[str, str, Document]]) -> list[list[tuple[list[str], bool]]]:
    """Per document, (features, label) of every resolved candidate of type DATE or TIME."""
    stage = DateStage(lang)
    rows = []
    for _, raw, document in docs:
        view = normalize(raw, lang)
        context = Context(view.text)
        gold = [(d.start, d.end) for d in document.dates if d.type in TYPES]
        proposals = []
        for a, b, item, rule in stage.proposals(view.text, document.reference_date):
            if item.get("type", "DATE") not in TYPES or rule.name not in stage.tables.scored:
                continue
            start, end = view.to_raw(a, b)
            proposals.append(((start, end), features(context, a, b, rule.name, rule.kind, item)))
        matched = {span for span, _ in proposals if span in gold}
        rows.append([(feats, train_label(*span, gold, matched)) for span, feats in proposals])
    return rows


def example_rows(lang: str) -> list[list[tuple[list[str], bool]]]:
    """(features, label) of the scored rules' candidates on every case of the language's dates
    examples corpus: a keep when the case expects a date there (`train_label` with the expected
    spans as gold), a drop otherwise; each case `EXAMPLE_WEIGHT` times."""
    import yaml
    from datetime import date

    from ..lang import get_language

    path = get_language(lang).directory / "examples" / "dates.yaml"
    if not path.exists():
        return []
    stage = DateStage(lang)
    ref = date.fromisoformat(EXAMPLES_REFERENCE)
    rows = []
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]:
        raw, gold, cursor = case["text"], [], 0
        for item in case["expected"]:  # expected items are in text order: locate each after the last
            at = raw.find(item["text"], cursor)
            if at < 0:
                raise ValueError(f"{path}: {item['text']!r} not in {raw!r}")
            gold.append((at, at + len(item["text"])))
            cursor = at + len(item["text"])
        view = normalize(raw, lang)
        context = Context(view.text)
        proposals = []
        for a, b, item, rule in stage.proposals(view.text, ref):
            if item.get("type", "DATE") not in TYPES or rule.name not in stage.tables.scored:
                continue
            proposals.append((view.to_raw(a, b), features(context, a, b, rule.name, rule.kind, item)))
        matched = {span for span, _ in proposals if span in gold}
        rows += [[(feats, train_label(*span, gold, matched)) for span, feats in proposals]] * EXAMPLE_WEIGHT
    return rows


def fit(rows: list[list[tuple[list[str], bool]]], path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for doc in rows:
        for feats, label in doc:
            trainer.append([feats], [KEEP if label else "0"])
    trainer.set_params(PARAMS)
    trainer.train(str(path))


class _Model(DateScorer):
    """A scorer from a model file and a threshold (training and cross-validation)."""

    def __init__(self, path: Path, threshold: float, source: str = "model:candidate") -> None:
        import pycrfsuite

        self.threshold, self.source, self.config = threshold, source, {}
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))


def end_to_end(lang: str, docs: list[tuple[str, str, Document]], scorer) -> dict:
    """Strict and partial P/R/F1 per type of the date stage (with `scorer`, or none) on `docs`."""
    from ..evaluate.dates_report import _document, stage_items, type_scores
    from ..evaluate.score import evaluate

    stage = DateStage(lang, scorer)
    pairs = [(gold, _document(gold, raw, stage_items(stage, normalize(raw, lang), gold.reference_date)))
             for _, raw, gold in docs]
    return {t: {s: {k: round(v or 0.0, 4) for k, v in by_kind.items()} for s, by_kind in by_scope.items()}
            for t, by_scope in type_scores(evaluate(pairs)).items()}


def objective(scores: dict) -> float:
    """What the threshold is chosen on: DATE strict + partial F1, TIME counted half."""
    return sum(scores["DATE"][s]["f1"] + 0.5 * scores["TIME"][s]["f1"] for s in ("strict", "partial"))


def crossval(lang: str, docs: list, rows: list, folds: int, work: Path, extra: list = ()) -> dict:
    """Per threshold, the mean objective over `folds` document folds; plus the rules alone.
    `extra` rows (the examples corpus) are in every fold's training set, never held out."""
    per_threshold = {t: [] for t in THRESHOLDS}
    baseline, detail = [], []
    for k in range(folds):
        held = [i for i in range(len(docs)) if i % folds == k]
        train = [rows[i] for i in range(len(docs)) if i % folds != k] + list(extra)
        path = work / f"fold{k}.crfsuite"
        fit(train, path)
        test = [docs[i] for i in held]
        base = end_to_end(lang, test, None)
        baseline.append(objective(base))
        fold = {"rules": base}
        for t in THRESHOLDS:
            scores = end_to_end(lang, test, _Model(path, t))
            per_threshold[t].append(objective(scores))
            fold[str(t)] = scores
        detail.append(fold)
        log(f"fold {k}: rules {baseline[-1]:.4f}, " + ", ".join(f"{t}: {per_threshold[t][-1]:.4f}" for t in THRESHOLDS))
    mean = {t: sum(v) / len(v) for t, v in per_threshold.items()}
    best = max(THRESHOLDS, key=lambda t: (round(mean[t], 4), -t))
    return {"folds": folds, "threshold": best, "mean_objective": {str(t): round(v, 4) for t, v in mean.items()},
            "rules_objective": round(sum(baseline) / len(baseline), 4),
            "per_fold_gain_at_threshold": [round(per_threshold[best][k] - baseline[k], 4) for k in range(folds)],
            "folds_detail": detail}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", required=True, choices=sorted(CORPORA))
    parser.add_argument("--out", type=Path, help="model folder (default: models/dates-<lang>-scorer)")
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    lang, data = args.lang, args.data or shared_data()
    name = model_name(lang)
    out = args.out or models_dir() / name
    log(f"{name}: reading {CORPORA[lang][0]} train and dev")
    train, dev = load_split(lang, "train", data), load_split(lang, "dev", data)
    rows = candidate_rows(lang, train)
    n = sum(len(r) for r in rows)
    positive = sum(label for r in rows for _, label in r)
    examples = example_rows(lang)
    log(f"{len(train)} train documents, {n} candidates ({positive} to keep), "
        f"{sum(len(r) for r in examples) // EXAMPLE_WEIGHT} examples-corpus candidates (x{EXAMPLE_WEIGHT}); cross-validating")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cv = crossval(lang, train, rows, args.folds, work, examples)
        threshold = cv["threshold"]
        log(f"threshold {threshold}; training on the whole train split")
        staging = work / name
        staging.mkdir()
        fit(rows + examples, staging / MODEL_FILE)
        dev_rules = end_to_end(lang, dev, None)
        dev_model = end_to_end(lang, dev, _Model(staging / MODEL_FILE, threshold))
        config = {"feature_version": FEATURE_VERSION, "lang": lang, "threshold": threshold, "params": PARAMS}
        (staging / CONFIG_FILE).write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
        metrics = {"train_documents": len(train), "candidates": n, "kept_by_oracle": positive,
                   "example_candidates": sum(len(r) for r in examples) // EXAMPLE_WEIGHT,
                   "example_weight": EXAMPLE_WEIGHT,
                   "crossval": {k: v for k, v in cv.items() if k != "folds_detail"},
                   "dev": {"documents": len(dev), "rules": dev_rules, "rules+scorer": dev_model}}
        (staging / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
        (staging / "crossval.json").write_text(json.dumps(cv["folds_detail"], indent=1) + "\n", encoding="utf-8")
        manifest = write_manifest(staging, name, kind="dates-scorer", lang=lang, feature_version=FEATURE_VERSION,
                                  corpora=[[CORPORA[lang][0], CORPORA[lang][1], "train"]],
                                  dev=[CORPORA[lang][0], CORPORA[lang][1], "dev"], threshold=threshold)
        (staging / "MODEL_CARD.md").write_text(card(name, lang, metrics, threshold), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(staging, out)
    log(f"wrote {out} ({manifest['files'][MODEL_FILE][:12]}…); dev DATE strict "
        f"{dev_rules['DATE']['strict']['f1']} -> {dev_model['DATE']['strict']['f1']}, partial "
        f"{dev_rules['DATE']['partial']['f1']} -> {dev_model['DATE']['partial']['f1']}")


def _row(label: str, scores: dict) -> list[str]:
    return [f"| {label} | {t} | " + " | ".join(f"{scores[t][s][k]:.3f}" for s in ("strict", "partial")
                                                for k in ("precision", "recall", "f1")) + " |" for t in TYPES]


def card(name: str, lang: str, metrics: dict, threshold: float) -> str:
    corpus, preset = CORPORA[lang]
    cv = metrics["crossval"]
    dev = metrics["dev"]
    lines = [
        f"# {name}", "",
        "A maximum-entropy classifier (python-crfsuite, L2, one-item sequences) that keeps or drops the date "
        "rules' candidates (`stages/dates_scorer.py`). Written by `python -m extract.stages.dates_train "
        f"--lang {lang}` (`make models`); do not edit by hand (the manifest checksums every file).", "",
        "## Data", "",
        f"- Train: `{corpus}` (preset `{preset}`), the train side of its fixed split only: "
        f"{metrics['train_documents']} documents, {metrics['candidates']} candidates, "
        f"{metrics['kept_by_oracle']} of them labelled keep (a gold span, or the only overlap of a gold span "
        "no candidate matches).",
        f"- The spec's reading: the {metrics['example_candidates']} candidates of `lang/{lang}/examples/dates.yaml` "
        f"(a keep where a case expects a date), each {metrics['example_weight']} times, in every training set "
        "(never held out).", f"- Licence: {LICENCES[lang]}.",
        f"- Dev ({dev['documents']} documents, the split's dev side) is never trained on; only scored below.", "",
        "## What it checks", "",
        f"Only the candidates of the rules `lang/{lang}/dates.yaml` lists as `scored_rules` (the ambiguous "
        f"ones): {', '.join(sorted(tables(lang).scored))}. Every other rule's reading is kept as it is.", "",
        "## Features", "",
        "The rule and its kind, the value's type/granularity, whether it is relative or has a value, the "
        "candidate's words (digits folded to 0), first and last word, two words either side (line breaks, "
        "sentence ends and the text's edges marked alike), the last word of its sentence (the verb of a "
        "verb-final language), and conjunctions of the neighbours with the rule and with each other. "
        "No language-specific code.", "",
        "## Threshold (chosen on the train split)", "",
        f"{cv['folds']}-fold cross-validation by document on the train split; objective = DATE strict F1 + "
        "DATE partial F1 + half of TIME's. Rules alone: "
        f"{cv['rules_objective']}; mean objective per threshold: "
        + ", ".join(f"{t}: {v}" for t, v in cv["mean_objective"].items())
        + f". Chosen: **{threshold}** (gain per fold: {cv['per_fold_gain_at_threshold']}).", "",
        "## Dev scores (date stage alone, rule output vs with the scorer)", "",
        "| system | type | strict P | R | F1 | partial P | R | F1 |", "|---|---|---|---|---|---|---|---|",
        *_row("rules", dev["rules"]), *_row("rules + scorer", dev["rules+scorer"]), "",
        "## Use and limits", "",
        "Off by default (`[components.extract_dates] scorer = false` in `lang/<code>/pipeline.cfg`): "
        "`Pipeline(lang, date_scorer=True)`, `scorer = true` or `dates_report --scorer` turn it on. A kept item's "
        "`confidence` is at most the scorer's probability and its `source` names the rule and this model. "
        + HABITS.get(lang, "It learns the train corpus's annotation habits, not the spec's reading, which is why "
                           "it is off.") + " It never adds a date the rules did not propose.", "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
