"""k-fold cross-validation of the NER model over the training part of the dev corpus
(the in-convention data: PEYMA train for fa, Wojood train for ar), so that choices are
not tuned to the few dev documents alone:

    python -m extract.ner.crossval --lang ar [--folds 4] [--stage] [--skip NAME] [--extras LIST] [--c1 X --c2 Y]
                                   [--stacked 0|1] [--work DIR [--reuse]] [--record]

Fold k holds out every k-th document of that corpus; the model is trained on the rest of
it plus the other corpora, exactly as `train` does (same repeats, features and feature
extras, parameters; `--extras` and `--c1/--c2` try others).
Scores: the model alone (strict typed spans on tokens) and, with `--stage`, the whole
`actors` stage (`extract eval` with the preset's scoring scheme: strict and partial
micro F1), summed over the folds.

A two-stage model (stacked.py; the language's default, as `train`, or `--stacked 1`):
the fold models are stage 1, and their outputs on their held-out documents are the
jackknife; stage 2 of fold k is trained on those outputs for the other folds' documents
(tagged by stage-1 models that saw fold k: a small leak, against four times the training)
and scored on fold k's.  Both stages' model-alone scores are given.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Sequence

from ..models import models_dir, write_manifest
from ..regression import shared_data
from . import data
from .features import CLUSTER_FILE, EMB_FILE, EXTRAS, FEATURE_VERSION, GAZETTEER_FILE, SHARES_FILE, cues_by_sentence, load_tsv
from .tagger import CONFIG_FILE, MODEL_FILE, featurizer_for
from .stacked import STAGE2_FILE, STAGE2_VERSION, Stage1Output, document_features, run_stage1, train_stage2_crf
from .train import EXTRAS_BY_LANG, PARAMS, STACKED_BY_LANG, STAGE2_PARAMS, log, spans, upos_tags


def _counts(gold: list[data.Sentence], pred: list[list[str]], into: Counter) -> None:
    for sent, labels in zip(gold, pred):
        g, p = spans(sent.labels), spans(labels)
        into["tp"] += len(g & p); into["gold"] += len(g); into["pred"] += len(p)


def _f1(c: Counter) -> float:
    return round(2 * c["tp"] / (c["gold"] + c["pred"]), 4) if c["gold"] + c["pred"] else 0.0


def record(lang: str, scores: dict) -> None:
    """Add the scores to the committed model's folder (crossval.json), manifest and card."""
    from .train import CROSSVAL_FILE, refresh_folder

    folder = models_dir() / f"ner-{lang}-crf"
    (folder / CROSSVAL_FILE).write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")
    refresh_folder(folder)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.ner.crossval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=sorted(data.CORPORA))
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--stage", action="store_true", help="also score the whole actors stage per fold")
    parser.add_argument("--skip", action="append", default=[], help="leave out another training corpus")
    parser.add_argument("--extras", default=None,
                        help=f"comma-separated feature extras ({', '.join(EXTRAS)}); default: the language's, as train")
    parser.add_argument("--emb-clusters", type=Path, default=None,
                        help="with the emb extra: an emb_clusters.tsv built before (embclusters.py), else built here")
    parser.add_argument("--c1", type=float, default=PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=PARAMS["c2"])
    parser.add_argument("--stacked", type=int, choices=(0, 1), default=None,
                        help="two-stage model (1) or stage 1 alone (0); default: the language's, as train")
    parser.add_argument("--json", type=Path, default=None, help="write the scores here")
    parser.add_argument("--record", action="store_true",
                        help="put the scores on models/ner-<lang>-crf's card (when it was trained with this code and data)")
    parser.add_argument("--work", type=Path, default=None, help="keep the fold models here (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true",
                        help="score the fold models already in --work instead of training them (stage changes only)")
    args = parser.parse_args(argv)
    import pycrfsuite

    from ..evaluate import evaluate
    from ..evaluate.importers import run_import
    from ..evaluate.schemes import load_scheme
    from ..stages.actors_lexicon import write_gazetteer_keys

    lang, data_dir = args.lang, shared_data()
    extras = tuple(e for e in (args.extras.split(",") if args.extras is not None else EXTRAS_BY_LANG[lang]) if e)
    if set(extras) - set(EXTRAS):
        parser.error(f"unknown extras {sorted(set(extras) - set(EXTRAS))}")
    folder, preset, _split, _ = data.DEV[lang]
    held = [c for c in data.CORPORA[lang] if c[0] == folder]
    if not held:
        raise SystemExit(f"no training corpus of {lang} shares the dev corpus {folder}")
    _, _, split, repeat, *_ = held[0]
    others = [] if args.reuse else data.load(
        lang, data_dir, [c for c in data.CORPORA[lang] if c[0] != folder and c[0] not in args.skip])
    docs = run_import(data_dir / folder, preset=preset, split=split).items
    retok = data.Retokenizer(lang)
    sents = [retok.sentences(raw, [(a.start, a.end, a.type) for a in doc.actors]) for _, raw, doc in docs]
    scheme = load_scheme(preset)
    root = args.work or Path(tempfile.mkdtemp(prefix=f"crossval-{lang}-"))
    if args.work and not args.reuse:
        shutil.rmtree(root, ignore_errors=True)
    model_counts, stage = Counter(), {"strict": Counter(), "partial": Counter()}
    try:
        base = root / "ner"
        if not args.reuse:
            base.mkdir(parents=True)
            shutil.copy(models_dir() / f"tagger-{lang}-crf" / CLUSTER_FILE, base / CLUSTER_FILE)
            write_gazetteer_keys(lang, base / GAZETTEER_FILE, heads="doc" in extras)
            if "shares" in extras:
                from .shares import build

                build(lang, data_dir, base / SHARES_FILE)
            if "emb" in extras and args.emb_clusters:
                shutil.copy(args.emb_clusters, base / EMB_FILE)
            elif "emb" in extras:
                from .embclusters import build as build_emb

                build_emb(lang, data_dir, base / EMB_FILE, log=log)
        files = (CLUSTER_FILE, GAZETTEER_FILE) + ((SHARES_FILE,) if "shares" in extras else ()) \
            + ((EMB_FILE,) if "emb" in extras else ())
        # every extra the model is trained with, as train reads them (emb included)
        feats = featurizer_for(lang, load_tsv(base / CLUSTER_FILE), load_tsv(base / GAZETTEER_FILE),
                               load_tsv(base / SHARES_FILE) if "shares" in extras else None, "upos" in extras,
                               load_tsv(base / EMB_FILE) if "emb" in extras else None, "doc" in extras)
        # each sentence read with its document's cues (the `doc` extra); another corpus's
        # sentences come without documents: each is its own
        cues_of = cues_by_sentence(feats, sents + [[s] for s in others])
        # the UPOS extra reads the CRF tagger's tags of every sentence, as train does
        tags = {id(s): t for s, t in zip(others + [s for d in sents for s in d],
                                         upos_tags(lang, others + [s for d in sents for s in d]))} \
            if "upos" in extras else {}
        stacked = bool(STACKED_BY_LANG[lang] if args.stacked is None else args.stacked)
        if stacked and others:
            raise SystemExit("the two-stage cross-validation reads one training corpus")
        config = {"feature_version": FEATURE_VERSION, "lang": lang, **({"extras": list(extras)} if extras else {}),
                  **({"stacked": STAGE2_VERSION} if stacked else {})}
        first: dict[int, list[Stage1Output]] = {}  # document → stage 1's output, from the model without it
        for k in range(args.folds):
            test = [i for i in range(len(docs)) if i % args.folds == k]
            train = others + [s for i in range(len(docs)) if i % args.folds != k for s in sents[i]] * repeat
            out = root / f"fold{k}" / f"ner-{lang}-crf"
            if not args.reuse:
                trainer = pycrfsuite.Trainer(verbose=False)
                for sent in train:
                    trainer.append(feats.sentence(sent.words, tags.get(id(sent)), cues_of[id(sent)]), sent.labels)
                trainer.set_params({**PARAMS, "c1": args.c1, "c2": args.c2})
                out.mkdir(parents=True)
                for name in files:
                    shutil.copy(base / name, out / name)
                trainer.train(str(out / MODEL_FILE))
                del trainer
            tagger = pycrfsuite.Tagger()
            tagger.open(str(out / MODEL_FILE))
            gold = [s for i in test for s in sents[i]]
            fold = Counter()
            _counts(gold, [list(tagger.tag(feats.sentence(s.words, tags.get(id(s)), cues_of[id(s)]))) if s.words else []
                           for s in gold],
                    fold)
            model_counts.update(fold)
            log(f"[{lang}] fold {k}: model alone strict F1 {_f1(fold)}")
            if stacked:
                for i in test:
                    first[i] = [run_stage1(tagger, feats.sentence(s.words, tags.get(id(s)), cues_of[id(s)]) if s.words else [])
                                for s in sents[i]]
        stage1_f1 = _f1(model_counts)
        if stacked:
            model_counts = Counter()
            second = {i: document_features([s.words for s in sents[i]], first[i]) for i in first}
        for k in range(args.folds):
            test = [i for i in range(len(docs)) if i % args.folds == k]
            out = root / f"fold{k}" / f"ner-{lang}-crf"
            if stacked:
                if not args.reuse:
                    train_stage2_crf(((f, s.labels) for i in second if i % args.folds != k
                                      for s, f in zip(sents[i], second[i])), out / STAGE2_FILE, STAGE2_PARAMS)
                stage2 = pycrfsuite.Tagger()
                stage2.open(str(out / STAGE2_FILE))
                fold = Counter()
                _counts([s for i in test for s in sents[i]],
                        [list(stage2.tag(f)) if s.words else [] for i in test for s, f in zip(sents[i], second[i])], fold)
                model_counts.update(fold)
                log(f"[{lang}] fold {k}: two-stage model alone strict F1 {_f1(fold)}")
            if args.stage:  # with --reuse too: `--stacked 0` rescores the kept stage-1 models alone
                (out / CONFIG_FILE).write_text(json.dumps(config) + "\n")
                write_manifest(out, out.name, kind="crf-ner", lang=lang, feature_version=FEATURE_VERSION,
                               extras=list(extras))
                for other in models_dir().iterdir():  # the tagger and the rest, as they are
                    if other.is_dir() and not other.name.startswith("ner-") and not (out.parent / other.name).exists():
                        (out.parent / other.name).symlink_to(other)
            if args.stage:
                from ..pipeline import Pipeline

                pipeline = Pipeline(lang, models=str(out.parent))
                result = evaluate(((docs[i][2], pipeline.process(docs[i][1], doc_id=docs[i][0])) for i in test), scheme)
                actors = result["lists"]["actors"]
                for schema in stage:
                    stage[schema].update({key: actors[schema][key] for key in ("correct", "partial", "possible", "actual")})
                log(f"[{lang}] fold {k}: stage strict {actors['strict']['f1']:.4f} partial {actors['partial']['f1']:.4f}")
    finally:
        if not args.work:
            shutil.rmtree(root, ignore_errors=True)
    scores = {"folds": args.folds, **({"extras": list(extras)} if extras else {}),
              **({"c1": args.c1, "c2": args.c2} if (args.c1, args.c2) != (PARAMS["c1"], PARAMS["c2"]) else {}),
              "documents": len(docs), "corpus": f"{folder} ({split})", "scheme": preset,
              "model_strict_f1": _f1(model_counts), **({"stage1_strict_f1": stage1_f1} if stacked else {})}
    for schema, c in stage.items():
        if c["possible"]:
            scores[f"stage_{schema}_f1"] = round(2 * (c["correct"] + c["partial"]) / (c["possible"] + c["actual"]), 4)
    log(f"[{lang}] cross-validation {json.dumps(scores)}")
    if args.json:
        args.json.write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")
    if args.record:
        record(lang, scores)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
