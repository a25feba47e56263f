"""Tune and write the CRF + stanza ensemble (`tagger-<lang>-ensemble`, see `ensemble.py`).

    python -m extract.tagging.train_ensemble --lang fa [--models DIR] [--data DIR]

Needs `tagger-<lang>-crf` and `tagger-<lang>-stanza` in the models folder (`make models`
trains them first).  The stanza model never saw every N-th sentence of the primary
treebank (its `dev_every`, stanza's own model selection set); a CRF trained with the same
recipe minus those sentences tags them too, and the CRF weight `w` that tags them best
(averaged over neighbouring weights, the slice being small) is kept.  The test file is
only scored once, with the shipped models, for the card.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from ..models import load_model, models_dir, write_manifest
from . import train_crf
from .ensemble import CONFIG_FILE, EnsembleTagger, combine, ensemble_name

GRID = [round(0.05 * k, 2) for k in range(21)]


def pick_weight(scores: dict[float, float], window: int = 1) -> float:
    """The weight whose accuracy, averaged with its `window` neighbours on each side, is best."""
    grid = sorted(scores)
    smoothed = {}
    for i, w in enumerate(grid):
        near = grid[max(0, i - window): i + window + 1]
        smoothed[w] = sum(scores[x] for x in near) / len(near)
    return max(grid, key=lambda w: (smoothed[w], scores[w], -abs(w - 0.5)))


def heldout_scores(crf, stanza, sentences) -> dict[float, float]:
    """Accuracy of the combination at each weight of `GRID` on gold surface sentences."""
    forms = [[t.form for t in s] for s in sentences]
    gold = [[t.upos for t in s] for s in sentences]
    crf_out = [crf.marginals(f) for f in forms]
    stanza_labels, stanza_probs = stanza.tag_proba(forms)
    n = sum(len(g) for g in gold)
    scores = {}
    for w in GRID:
        right = 0
        for (labels, probs), sp, g in zip(crf_out, stanza_probs, gold):
            right += sum(p == t for p, t in zip(combine(labels, probs, stanza_labels, sp, w), g))
        scores[w] = right / n
    return scores


def _model_card(name: str, lang: str, m: dict) -> str:
    test = m["test"]
    rows = train_crf.per_upos_rows(test)
    curve = ", ".join(f"{w:g}: {s * 100:.2f}" for w, s in sorted(m["heldout_scores"].items()) if (round(w * 20) % 2 == 0))
    return f"""# {name}

The default {'Persian' if lang == 'fa' else lang} tagger: `{m['crf_model']}` (CRF) and `{m['stanza_model']}`
(stanza BiLSTM) combined per token,

    tag = argmax  {m['crf_weight']:g} * log P_crf(tag) + {1 - m['crf_weight']:g} * log P_stanza(tag)

(`extract.tagging.ensemble.EnsembleTagger.load("{lang}")`; CRF marginals from
forward-backward, stanza's softmax over its UPOS scores; lemmas from the CRF's lemma table).
This folder holds only the combination (`config.json`); the two models are the folders
named there, each with its own card, data and licences.

Licences: inherits both components': UD Persian-PerDT CC BY-SA 4.0, UD Persian-Seraji
CC BY-SA 3.0, hazm's words.dat MIT; the name-share features come from PEYMA (research use
only) and ArmanPersoNER (academic research only), and the stanza vectors from the Hamshahri2
subset (research use only): **this ensemble is for research use only**.

## Tuning (no test data)
The CRF weight was chosen on {m['heldout']['sentences']} held-out sentences ({m['heldout']['tokens']} tokens:
`{m['heldout']['spec']}`, which the stanza model never trained on and which a CRF trained
the same way without them tagged): accuracy by weight {curve}
(%; 0 = stanza alone, 1 = CRF alone); chosen {m['crf_weight']:g} (best after averaging each weight with
its neighbours).

Richer combiners were measured by 5-fold cross-validation over the same held-out sentences
(each fold's combiner fitted on the other four; CRF without the multiword-name feature) and
rejected: the single weight 95.47%, the weight + a per-tag bias 95.32%, a logistic regression
on both models' log-probabilities 95.12% at best (C=0.01; worse with weaker regularization).
A third member (a second CRF with extra lexicon/cluster/name features) gained at most 0.04
points on the held-out slice (95.75% vs 95.71% over a 4x4 weight grid): the two CRFs make the
same mistakes. No closed-class post-rule applies: on the held-out slice the
ensemble never mistags a word that PerDT tags one closed-class way (>= 5 times, >= 99%).

## Accuracy on the test set ({m['test_file']}, gold tokens, never used for training or tuning)
* UPOS accuracy: **{test['upos_accuracy'] * 100:.2f}%** (the components alone, same tokens and scorer:
  CRF {m['components']['crf'] * 100:.2f}%, stanza {m['components']['stanza'] * 100:.2f}%)
* lemma accuracy: {test['lemma_accuracy'] * 100:.2f}%
* speed (CRF marginals + stanza on {m['threads']} CPU thread(s) + lemmas; measured on a shared, busy machine): {test['tokens_per_second']} tokens/s

| UPOS | precision | recall | F1 | support |
|---|---|---|---|---|
{rows}

Most frequent confusions (gold->predicted): {train_crf.confusions(test)}

## Retrain
`make models` (train_crf, then train_stanza, then `python -m extract.tagging.train_ensemble --lang {lang}`),
with the UD files in `../shared/data/ud` (or `$EXTRACT_SHARED_DATA/ud`). Tuning trains one more
CRF ({m['tuning_seconds']:.0f} s here).
"""


def train(lang: str = "fa", models: Path | None = None, data_dir: Path | None = None, threads: int = 2,
          log=print) -> dict:
    import torch

    from .crf import CRFTagger
    from .stanza_backend import StanzaTagger

    torch.set_num_threads(threads)
    import os

    os.environ["EXTRACT_TORCH_THREADS"] = str(threads)  # StanzaTagger applies it
    models = Path(models) if models else models_dir()
    data_dir = Path(data_dir) if data_dir else train_crf.default_data_dir()
    name = ensemble_name(lang)
    crf_name, stanza_name = f"tagger-{lang}-crf", f"tagger-{lang}-stanza"
    crf_info = load_model(crf_name, models)
    stanza_info = load_model(stanza_name, models)
    stanza_metrics = json.loads(stanza_info.file("metrics.json").read_text(encoding="utf-8"))
    every = int(stanza_metrics["data"]["dev_every"])
    stanza_files = {"pos": stanza_info.manifest.get("pos_model", "pos.pt"),
                    "pretrain": stanza_info.manifest.get("pretrain", "pretrain.pt")}
    specs = list(train_crf.DEFAULT_SPLITS[lang]["train"])
    test_spec = str(train_crf.DEFAULT_SPLITS[lang]["test"])
    primary = [s for s in specs if train_crf.treebank(s) == train_crf.treebank(test_spec)]
    assert len(primary) == 1, f"one primary training file expected, got {primary}"
    heldout_spec = f"{primary[0]}@every-{every}"
    tuning_specs = [f"{primary[0]}@not-every-{every}" if s == primary[0] else s for s in specs]

    started = time.perf_counter()
    stanza = StanzaTagger.load(lang, directory=stanza_info.path, pos_model_path=stanza_info.file(stanza_files["pos"]),
                               pos_pretrain_path=stanza_info.file(stanza_files["pretrain"]))
    with tempfile.TemporaryDirectory(prefix="extract-ensemble-") as tmp:
        crf_config = json.loads(crf_info.file("config.json").read_text(encoding="utf-8"))
        train_crf.train(lang, out=Path(tmp), data_dir=data_dir, train_specs=tuning_specs, test_spec=heldout_spec,
                        name=crf_name, extras=crf_config.get("extras", ()), log=log)  # the shipped CRF's recipe
        heldout_crf = CRFTagger.load(lang, Path(tmp))
        heldout = train_crf.normalized(train_crf.load_spec(heldout_spec, data_dir, lang), lang)
        scores = heldout_scores(heldout_crf, stanza, heldout)
    weight = pick_weight(scores)
    tuning_seconds = time.perf_counter() - started
    log(f"[{lang}] held-out accuracy by CRF weight: " + ", ".join(f"{w:g}={s * 100:.2f}" for w, s in scores.items()))
    log(f"[{lang}] CRF weight {weight:g}")

    work = models / f".{name}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = {"lang": lang, "crf_weight": weight, "crf_model": crf_name, "stanza_model": stanza_name,
              "stanza_files": stanza_files}
    (work / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    write_manifest(work, name, kind="ensemble-tagger", lang=lang)
    tagger = _load_from(work, models, lang)
    test = train_crf.normalized(train_crf.load_spec(test_spec, data_dir, lang), lang)
    tagger.tag([[t.form for t in s] for s in test[:20]])  # warm-up
    results = train_crf.evaluate(tagger, test)
    components = {
        "crf": json.loads(crf_info.file("metrics.json").read_text(encoding="utf-8"))["test"]["upos_accuracy"],
        "stanza": stanza_metrics["test"]["upos_accuracy"],
    }
    log(f"[{lang}] {test_spec}: UPOS accuracy {results['upos_accuracy'] * 100:.2f}% (CRF {components['crf'] * 100:.2f}%, "
        f"stanza {components['stanza'] * 100:.2f}%); lemma {results['lemma_accuracy'] * 100:.2f}%; "
        f"{results['tokens_per_second']} tokens/s")
    metrics = {
        "name": name, "lang": lang, **config, "heldout": {"spec": heldout_spec, "sentences": len(heldout),
                                                          "tokens": sum(len(s) for s in heldout)},
        "heldout_scores": {str(w): round(s, 4) for w, s in scores.items()}, "test_file": test_spec,
        "components": components, "threads": threads, "tuning_seconds": round(tuning_seconds, 1), "test": results,
    }
    (work / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    card = {**metrics, "heldout_scores": scores}
    (work / "MODEL_CARD.md").write_text(_model_card(name, lang, card), encoding="utf-8")
    write_manifest(work, name, kind="ensemble-tagger", lang=lang, crf_weight=weight,
                   components=[crf_name, stanza_name], upos_accuracy=results["upos_accuracy"], test_file=test_spec)
    final = models / name
    shutil.rmtree(final, ignore_errors=True)
    work.rename(final)
    log(f"[{lang}] wrote {final}")
    return metrics


def _load_from(folder: Path, models: Path, lang: str) -> EnsembleTagger:
    """The ensemble of the temporary folder `folder` with the components in `models`."""
    import os

    tmp_models = Path(tempfile.mkdtemp(prefix="extract-ensemble-load-"))
    try:
        for item in (folder, models / f"tagger-{lang}-crf", models / f"tagger-{lang}-stanza"):
            target = tmp_models / (ensemble_name(lang) if item == folder else item.name)
            os.symlink(item.resolve(), target)
        return EnsembleTagger.load(lang, tmp_models)
    finally:
        shutil.rmtree(tmp_models, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.tagging.train_ensemble", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=["fa"])
    parser.add_argument("--models", type=Path, default=None, help="models folder (default: models/ or $EXTRACT_MODELS)")
    parser.add_argument("--data", type=Path, default=None, help="folder with the UD .conllu files")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        train(args.lang, models=args.models, data_dir=args.data, threads=args.threads)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
