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
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from ..models import load_model, models_dir, write_manifest
from . import train_crf
from .crf import AUTONAMES_FILE, EMB_FILE
from .ensemble import CONFIG_FILE, EnsembleTagger, combine_sentence, ensemble_name, load_stanza_member

GRID = [round(0.05 * k, 2) for k in range(21)]

# The stanza members of the default ensemble (`--stanza-models` adds seed variants trained
# with train_stanza --pretrain-from ... --tagger-arg seed=N; measured, not shipped: README).
DEFAULT_STANZA_MODELS = {"fa": ["tagger-fa-stanza"]}
# The CRF member: its own folder, with raw-text name shares (extra `aname`) that
# tagger-fa-crf cannot have: the NER's UPOS features were trained with its tags, and the
# name-share table is built by the pipeline that runs both.
DEFAULT_CRF_MODEL = {"fa": "tagger-fa-crf-ens"}


def pick_weight(scores: dict[float, float], window: int = 1) -> float:
    """The weight whose accuracy, averaged with its `window` neighbours on each side, is best."""
    grid = sorted(scores)
    smoothed = {}
    for i, w in enumerate(grid):
        near = grid[max(0, i - window): i + window + 1]
        smoothed[w] = sum(scores[x] for x in near) / len(near)
    return max(grid, key=lambda w: (smoothed[w], scores[w], -abs(w - 0.5)))


def heldout_scores(crf, stanza, sentences) -> dict[float, float]:
    """Accuracy of the combination at each weight of `GRID` on gold surface sentences.

    `stanza` is one stanza tagger or a list of them (their log-probabilities averaged)."""
    members = list(stanza) if isinstance(stanza, (list, tuple)) else [stanza]
    forms = [[t.form for t in s] for s in sentences]
    gold = [[t.upos for t in s] for s in sentences]
    crf_out = [crf.marginals(f) for f in forms]
    stanza_out = [m.tag_proba(forms) for m in members]
    n = sum(len(g) for g in gold)
    scores = {}
    for w in GRID:
        right = 0
        for k, (crf_k, g) in enumerate(zip(crf_out, gold)):
            tags = combine_sentence(crf_k, [(labels, probs[k]) for labels, probs in stanza_out], w)
            right += sum(p == t for p, t in zip(tags, g))
        scores[w] = right / n
    return scores


def _curve(scores: dict) -> str:
    return ", ".join(f"{w:g}: {s * 100:.2f}" for w, s in sorted(scores.items()) if round(w * 20) % 2 == 0)


def _model_card(name: str, lang: str, m: dict) -> str:
    test = m["test"]
    rows = train_crf.per_upos_rows(test)
    stanza_names = [s["model"] for s in m["stanza_models"]]
    k = len(stanza_names)
    if k == 1:
        formula = f"{m['crf_weight']:g} * log P_crf(tag) + {1 - m['crf_weight']:g} * log P_stanza(tag)"
        members = f"`{m['crf_model']}` (CRF) and `{stanza_names[0]}`\n(stanza BiLSTM) combined per token"
        single = ""
    else:
        formula = (f"{m['crf_weight']:g} * log P_crf(tag) + {1 - m['crf_weight']:g} * mean_i log P_stanza_i(tag)")
        members = (f"`{m['crf_model']}` (CRF) and {k} stanza BiLSTMs trained with the same recipe from different\n"
                   f"seeds ({', '.join(f'`{n}`' for n in stanza_names)}) combined per token")
        best_single = max(m["heldout_scores_first_stanza_only"].values(), default=0)
        best = max(m["heldout_scores"].values(), default=0)
        single = "" if not m["heldout_scores"] else (f"\nWith `{stanza_names[0]}` alone (the previous default) the same slice gave "
                  f"{_curve(m['heldout_scores_first_stanza_only'])} (best {best_single * 100:.2f}%, with all "
                  f"{k} members {best * 100:.2f}%).")
    components = ", ".join(f"{'CRF' if n == 'crf' else n} {a * 100:.2f}%" for n, a in m["components"].items())
    held = (f"{m['heldout']['sentences']} held-out sentences ({m['heldout']['tokens']} tokens: "
            f"`{m['heldout']['spec']}`")
    if m["heldout_scores"]:
        tuning = (f"The CRF weight was chosen on {held}, which no stanza member trained on and which a CRF "
                  f"trained the same way without them tagged): accuracy by weight {_curve(m['heldout_scores'])}\n"
                  f"(%; 0 = stanza alone, 1 = CRF alone); chosen {m['crf_weight']:g} (best after averaging each "
                  f"weight with its neighbours).")
    elif m.get("weight_note"):
        tuning = f"The CRF weight {m['crf_weight']:g} was fixed beforehand: {m['weight_note']}"
    else:
        tuning = (f"The CRF weight {m['crf_weight']:g} was fixed beforehand: it was chosen on {held}) with "
                  f"stanza members that had not trained on them; the members here are refitted on all of the "
                  f"primary treebank, those sentences included (`train_stanza --refit`), so they cannot tune "
                  f"it again.")
    return f"""# {name}

The default {'Persian' if lang == 'fa' else lang} tagger: {members},

    tag = argmax  {formula}

(`extract.tagging.ensemble.EnsembleTagger.load("{lang}")`; CRF marginals from
forward-backward, stanza's softmax over its UPOS scores; lemmas from the CRF's lemma table).
This folder holds only the combination (`config.json`); the models are the folders
named there, each with its own card, data and licences.

Licences: inherits the components': UD Persian-PerDT CC BY-SA 4.0, UD Persian-Seraji
CC BY-SA 3.0, hazm's words.dat MIT; the name-share features come from PEYMA (research use
only) and ArmanPersoNER (academic research only), and the stanza vectors from the Hamshahri2
subset (research use only): **this ensemble is for research use only**.

## Tuning (no test data)
{tuning}{single}

Richer combiners were measured by 5-fold cross-validation over the same held-out sentences
(each fold's combiner fitted on the other four; CRF without the multiword-name feature, one
stanza member) and rejected: the single weight 95.47%, the weight + a per-tag bias 95.32%, a
logistic regression on both models' log-probabilities 95.12% at best (C=0.01; worse with weaker
regularization). A second CRF with extra lexicon/cluster/name features as a member gained at
most 0.04 points on the held-out slice (95.75% vs 95.71% over a 4x4 weight grid): the two CRFs
make the same mistakes. No closed-class post-rule applies: on the held-out slice the
ensemble never mistags a word that PerDT tags one closed-class way (>= 5 times, >= 99%).
Co-training on raw text (`extract.tagging.autolabel`: 7,425 raw sentences on which teachers that never
saw the held-out slice agree) was measured and not kept: the best held-out pair, this CRF + a stanza
student trained with them (95.63% at weight 0.45), gave 94.53% on the test file; see the README.
CRF variants (word2vec clusters, 5-/6-letter suffixes, the PerDT sentences given 3x) and a spaCy CNN
tagger as a third member were measured too and not kept: held-out pairs 95.40-95.59% (this recipe
95.47% with the same tuning code), test 94.63-94.70%; see the README.
{chr(10).join(m.get('notes', []))}
## Accuracy on the test set ({m['test_file']}, gold tokens, never used for training or tuning)
* UPOS accuracy: **{test['upos_accuracy'] * 100:.2f}%** (the components alone, same tokens and scorer:
  {components})
* lemma accuracy: {test['lemma_accuracy'] * 100:.2f}%
* speed (CRF marginals + {k} stanza pass{'es' if k > 1 else ''} on {m['threads']} CPU thread(s) + lemmas; measured on a shared, busy machine): {test['tokens_per_second']} tokens/s

| UPOS | precision | recall | F1 | support |
|---|---|---|---|---|
{rows}

Most frequent confusions (gold->predicted): {train_crf.confusions(test)}

## Retrain
`make models` (train_crf, then train_stanza for each stanza member, then
`python -m extract.tagging.train_ensemble --lang {lang}`), with the UD files in `../shared/data/ud`
(or `$EXTRACT_SHARED_DATA/ud`). Tuning trains one more CRF ({m['tuning_seconds']:.0f} s here, tuning included).
"""


def _tune(lang, crf_name, crf_info, stanzas, heldout, heldout_spec, tuning_specs, data_dir, work, log, auto=()):
    """Held-out accuracy by CRF weight, with all stanza members and with the first alone."""
    from .crf import CRFTagger

    with tempfile.TemporaryDirectory(prefix="extract-ensemble-") as tmp:
        crf_dir = Path(work) if work else Path(tmp)
        if (crf_dir / crf_name / "manifest.json").is_file():
            log(f"[{lang}] reusing the tuning CRF in {crf_dir}")
        else:
            crf_config = json.loads(crf_info.file("config.json").read_text(encoding="utf-8"))
            repeat = _crf_auto(crf_info, auto)
            emb = crf_info.file(EMB_FILE)  # the same word2vec clusters (built from raw text, not PerDT)
            autonames = crf_info.file(AUTONAMES_FILE)  # the same raw-text name shares
            shared_from = crf_config.get("resources_from")  # the same word tables
            train_crf.train(lang, out=crf_dir, data_dir=data_dir, train_specs=tuning_specs, test_spec=heldout_spec,
                            name=crf_name, extras=crf_config.get("extras", ()), auto=auto, primary_repeat=repeat,
                            emb_clusters=emb if emb.is_file() else None,
                            autonames=autonames if autonames.is_file() else None,
                            resources_from=crf_info.path.parent / shared_from if shared_from else None,
                            log=log)  # the shipped CRF's recipe
        heldout_crf = CRFTagger.load(lang, crf_dir, crf_name)
        scores = heldout_scores(heldout_crf, stanzas, heldout)
        single = heldout_scores(heldout_crf, stanzas[:1], heldout) if len(stanzas) > 1 else scores
    log(f"[{lang}] held-out accuracy by CRF weight: " + ", ".join(f"{w:g}={s * 100:.2f}" for w, s in scores.items()))
    if len(stanzas) > 1:
        log(f"[{lang}] (with the first member alone: " + ", ".join(f"{w:g}={s * 100:.2f}" for w, s in single.items())
            + ")")
    return scores, single


def _crf_auto(crf_info, auto: Sequence[Path]) -> int:
    """The shipped CRF's gold repetition; checks that `auto` are the auto-labelled files it trained on
    (the tuning CRF must follow its recipe)."""
    prep = json.loads(crf_info.file("metrics.json").read_text(encoding="utf-8")).get("training_prep", {})
    used = [f["file"] for f in prep.get("auto", {}).get("files", [])]
    if sorted(used) != sorted(Path(a).name for a in auto):
        raise ValueError(f"the CRF trained with auto-labelled files {used or 'none'}: give the same with --auto")
    return int(prep.get("auto", {}).get("primary_repeat", 1))


def train(lang: str = "fa", models: Path | None = None, data_dir: Path | None = None, threads: int = 2,
          stanza_models: Sequence[str] | None = None, work: Path | None = None, weight: float | None = None,
          auto: Sequence[Path] = (), crf_model: str | None = None, weight_note: str | None = None,
          log=print) -> dict:
    """Tune the CRF weight on the held-out slice, score the test file once, write the folder.

    `stanza_models`: the stanza members (default `DEFAULT_STANZA_MODELS`); `work`: a folder
    that keeps the tuning CRF between runs (default: a temporary one); `weight`: a CRF
    weight fixed beforehand, for members refitted on the held-out slice too
    (`train_stanza --refit`), which that slice can no longer tune; `auto`: the auto-labelled
    files the CRF trained on (`train_crf --auto`), for the tuning CRF; `crf_model`: the CRF
    member's folder (default `tagger-<lang>-crf`); `weight_note`: how a fixed weight was chosen
    (for the card)."""
    import os

    import torch

    torch.set_num_threads(threads)
    os.environ["EXTRACT_TORCH_THREADS"] = str(threads)  # StanzaTagger applies it
    models = Path(models) if models else models_dir()
    data_dir = Path(data_dir) if data_dir else train_crf.default_data_dir()
    name = ensemble_name(lang)
    crf_name = crf_model or DEFAULT_CRF_MODEL.get(lang, f"tagger-{lang}-crf")
    stanza_names = list(stanza_models or DEFAULT_STANZA_MODELS.get(lang, [f"tagger-{lang}-stanza"]))
    crf_info = load_model(crf_name, models)
    members = []
    for stanza_name in stanza_names:
        info = load_model(stanza_name, models)
        members.append({"model": stanza_name,
                         "files": {"pos": info.manifest.get("pos_model", "pos.pt"),
                                   "pretrain": info.manifest.get("pretrain", "pretrain.pt")},
                         "metrics": json.loads(info.file("metrics.json").read_text(encoding="utf-8"))})
    refit = [m["model"] for m in members if m["metrics"]["data"].get("refit")]
    if refit and weight is None:
        raise ValueError(f"{', '.join(refit)} trained on the held-out slice: give the CRF weight (--weight) "
                         "chosen with members that did not")
    dev_every = {int(m["metrics"]["data"]["dev_every"]) for m in members}
    assert len(dev_every) == 1, f"the stanza members hold out different slices: {dev_every}"
    every = dev_every.pop()
    specs = list(train_crf.DEFAULT_SPLITS[lang]["train"])
    test_spec = str(train_crf.DEFAULT_SPLITS[lang]["test"])
    primary = [s for s in specs if train_crf.treebank(s) == train_crf.treebank(test_spec)]
    assert len(primary) == 1, f"one primary training file expected, got {primary}"
    heldout_spec = f"{primary[0]}@every-{every}"
    tuning_specs = [f"{primary[0]}@not-every-{every}" if s == primary[0] else s for s in specs]

    started = time.perf_counter()
    stanzas = [load_stanza_member(lang, m["model"], m["files"], models)[0] for m in members]
    heldout = train_crf.normalized(train_crf.load_spec(heldout_spec, data_dir, lang), lang)
    if weight is not None:
        scores = single = {}
        log(f"[{lang}] CRF weight fixed at {weight:g}: no tuning")
    else:
        scores, single = _tune(lang, crf_name, crf_info, stanzas, heldout, heldout_spec, tuning_specs, data_dir,
                               work, log, auto)
        weight = pick_weight(scores)
    tuning_seconds = time.perf_counter() - started
    log(f"[{lang}] CRF weight {weight:g}")

    tmp_folder = models / f".{name}.tmp"
    shutil.rmtree(tmp_folder, ignore_errors=True)
    tmp_folder.mkdir(parents=True)
    config = {"lang": lang, "crf_weight": weight, "crf_model": crf_name,
              "stanza_models": [{"model": m["model"], "files": m["files"]} for m in members]}
    (tmp_folder / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    write_manifest(tmp_folder, name, kind="ensemble-tagger", lang=lang)
    tagger = _load_from(tmp_folder, models, lang)
    test = train_crf.normalized(train_crf.load_spec(test_spec, data_dir, lang), lang)
    tagger.tag([[t.form for t in s] for s in test[:20]])  # warm-up
    results = train_crf.evaluate(tagger, test)
    components = {
        "crf": json.loads(crf_info.file("metrics.json").read_text(encoding="utf-8"))["test"]["upos_accuracy"],
        **{m["model"]: m["metrics"]["test"]["upos_accuracy"] for m in members},
    }
    log(f"[{lang}] {test_spec}: UPOS accuracy {results['upos_accuracy'] * 100:.2f}% ("
        + ", ".join(f"{k} {v * 100:.2f}%" for k, v in components.items())
        + f"); lemma {results['lemma_accuracy'] * 100:.2f}%; {results['tokens_per_second']} tokens/s")
    metrics = {
        "name": name, "lang": lang, **config, "heldout": {"spec": heldout_spec, "sentences": len(heldout),
                                                          "tokens": sum(len(s) for s in heldout)},
        "heldout_scores": {str(w): round(s, 4) for w, s in scores.items()},
        "heldout_scores_first_stanza_only": {str(w): round(s, 4) for w, s in single.items()},
        "test_file": test_spec, "components": components, "threads": threads,
        "tuning_seconds": round(tuning_seconds, 1), "test": results,
        **({"weight_note": weight_note} if weight_note else {}),
    }
    (tmp_folder / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    card = {**metrics, "heldout_scores": scores, "heldout_scores_first_stanza_only": single}
    (tmp_folder / "MODEL_CARD.md").write_text(_model_card(name, lang, card), encoding="utf-8")
    write_manifest(tmp_folder, name, kind="ensemble-tagger", lang=lang, crf_weight=weight,
                   components=[crf_name, *stanza_names], upos_accuracy=results["upos_accuracy"], test_file=test_spec)
    final = models / name
    shutil.rmtree(final, ignore_errors=True)
    tmp_folder.rename(final)
    log(f"[{lang}] wrote {final}")
    return metrics


def _load_from(folder: Path, models: Path, lang: str) -> EnsembleTagger:
    """The ensemble of the temporary folder `folder` with the components (all of `models`' folders)."""
    tmp_models = Path(tempfile.mkdtemp(prefix="extract-ensemble-load-"))
    try:
        os.symlink(folder.resolve(), tmp_models / ensemble_name(lang))
        for item in models.iterdir():
            if item.is_dir() and not item.name.startswith(".") and item.name != ensemble_name(lang):
                os.symlink(item.resolve(), tmp_models / item.name)
        return EnsembleTagger.load(lang, tmp_models)
    finally:
        shutil.rmtree(tmp_models, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.tagging.train_ensemble", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=["fa"])
    parser.add_argument("--models", type=Path, default=None, help="models folder (default: models/ or $EXTRACT_MODELS)")
    parser.add_argument("--data", type=Path, default=None, help="folder with the UD .conllu files")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--stanza-models", nargs="+", default=None, metavar="NAME",
                        help="the stanza members (default: " + "; ".join(
                            f"{k}: {' '.join(v)}" for k, v in DEFAULT_STANZA_MODELS.items()) + ")")
    parser.add_argument("--work", type=Path, default=None,
                        help="keep the tuning CRF in this folder and reuse it when it is there")
    parser.add_argument("--auto", type=Path, action="append", default=[], metavar="CONLLU",
                        help="the auto-labelled files the CRF trained on (train_crf --auto), for the tuning CRF")
    parser.add_argument("--crf-model", default=None, metavar="NAME",
                        help="the CRF member's folder (default: " + "; ".join(
                            f"{k}: {v}" for k, v in DEFAULT_CRF_MODEL.items()) + ")")
    parser.add_argument("--weight", type=float, default=None,
                        help="a CRF weight chosen beforehand (members refitted with train_stanza --refit, or "
                             "a weight tuned on more data than the held-out slice)")
    parser.add_argument("--weight-note", default=None, metavar="TEXT",
                        help="how the fixed --weight was chosen, for the model card")
    args = parser.parse_args(argv)
    try:
        train(args.lang, models=args.models, data_dir=args.data, threads=args.threads,
              stanza_models=args.stanza_models, work=args.work, weight=args.weight, auto=args.auto,
              crf_model=args.crf_model, weight_note=args.weight_note)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
