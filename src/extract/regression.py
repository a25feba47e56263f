"""The regression gate: the pipeline scored on fixed gold sets against a committed baseline.

Sets: the hand-annotated `corpus/` and the development splits of the public data
(PEYMA-600k dev, Wojood val), imported through the same path as any gold.  `make test`
fails when any F1 drops by more than the tolerance; improving the baseline is a
deliberate commit (`python -m extract.regression --update`).
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Callable

from .evaluate import compare_baseline, evaluate, load_gold_dir
from .evaluate.importers import run_import
from .evaluate.schemes import load_scheme
from .evaluate.report import RESULT_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "tests" / "baseline.json"
GATE_SCHEMA = "extract-gate/1"
TOLERANCE = 0.01


def shared_data() -> Path:
    return Path(os.environ.get("EXTRACT_SHARED_DATA", ROOT.parent / "shared" / "data"))


# name -> how to get its gold folder (given a scratch folder)
SETS: dict[str, Callable[[Path], Path]] = {
    "corpus": lambda work: ROOT / "corpus",
    "peyma-dev": lambda work: _imported(work / "peyma-dev", shared_data() / "peyma-600k", "peyma"),
    "wojood-val": lambda work: _imported(work / "wojood-val", shared_data() / "wojood-sample", "wojood"),
}


# the scoring scheme of each set (evaluate/schemes.py): the corpus's conventions, e.g.
# PEYMA's country-as-ORG-or-LOC; the hand gold follows the spec and needs none
SCHEMES: dict[str, str | None] = {"corpus": None, "peyma-dev": "peyma", "wojood-val": "wojood"}


def _imported(out: Path, src: Path, preset: str) -> Path:
    if not out.is_dir():
        run_import(src, out, preset=preset, split="dev")
    return out


def score_sets(work: Path, predict: Callable, names: list[str] | None = None) -> dict[str, dict]:
    """{set name: extract eval result} for the pipeline run by `predict(golds) -> {doc_id: Document}`."""
    results = {}
    for name in names or list(SETS):
        golds = load_gold_dir(SETS[name](work))
        predictions = predict(golds)
        scheme = load_scheme(SCHEMES[name]) if SCHEMES.get(name) else None
        result = evaluate(((g.document, predictions.get(g.doc_id)) for g in golds), scheme=scheme)
        result.pop("per_document", None)  # the gate compares totals; keeps the baseline small
        results[name] = result
    return results


def regressions(results: dict[str, dict], baseline: dict, tolerance: float = TOLERANCE) -> list[str]:
    messages = []
    for name, result in results.items():
        before = baseline.get("sets", {}).get(name)
        if before is None:
            messages.append(f"{name}: not in the baseline; run python -m extract.regression --update")
            continue
        messages += [f"{name}: {m}" for m in compare_baseline(result, before, tolerance)]
    return messages


def load_baseline(path: Path = BASELINE) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != GATE_SCHEMA:
        raise ValueError(f"{path} is not an {GATE_SCHEMA} baseline")
    return data


def write_baseline(results: dict[str, dict], path: Path = BASELINE) -> None:
    for result in results.values():
        assert result.get("schema") == RESULT_SCHEMA
    data = {"schema": GATE_SCHEMA, "tolerance": TOLERANCE, "sets": results}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    from tempfile import TemporaryDirectory

    from .batch.local import predict_gold

    parser = argparse.ArgumentParser(description="Score the pipeline on the gate sets; --update rewrites the baseline.")
    parser.add_argument("--update", action="store_true", help=f"write {BASELINE.relative_to(ROOT)}")
    parser.add_argument("--tagger", default="auto")
    parser.add_argument("--ner", default="auto", help="NER backend of the actors stage: auto, crf, stanza")
    args = parser.parse_args(argv)
    extractors: dict = {}
    with TemporaryDirectory() as work:
        results = score_sets(Path(work), lambda golds: predict_gold(golds, args.tagger, extractors, ner=args.ner))
    if args.update:
        write_baseline(results)
        print(f"baseline written to {BASELINE}")
        return
    problems = regressions(results, load_baseline())
    print("\n".join(problems) or "no regression")
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
