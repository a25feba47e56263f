"""Train a stanza NER model (BiLSTM-CRF) on the project's NER corpora → `models/ner-<lang>-stanza/`.

    python -m extract.ner.train_stanza --lang fa [--pretrain models/tagger-fa-stanza/pretrain.pt]
        [--max-steps N] [--time-limit SECONDS] [--threads 1] [--work DIR] [--no-write]

The sentences are the CRF's (`data.load`: the gold importers, so PEYMA dev / Wojood val are
excluded exactly, re-tokenized by the pipeline's tokenizer into normalized forms), so the
model sees at training time the tokens the actors stage gives it.  Every 20th training
sentence is held out for stanza's model selection (its best checkpoint is kept); the dev
split is only scored, model alone, strict typed spans, like the CRF's card.  The word
vectors are an existing stanza pretrain file (default: the Persian tagger's, word2vec on
raw news text), copied into the model folder.

`--time-limit` runs stanza's trainer in a child process and stops it after that many
seconds; the best checkpoint written so far is the model.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from ..models import models_dir, write_manifest
from ..tagging.train_stanza import stanza_args
from . import data
from .train import score_rows
from .stanza_ner import MODEL_FILE, PRETRAIN_FILE, StanzaNER, model_name

HOLDOUT_EVERY = 20
#: stanza's defaults except a smaller network (CPU, one thread), Adam (stanza's SGD needs many
#: more epochs than a time-boxed CPU run has) and a shorter patience
DEFAULT_ARGS = {
    "hidden_dim": 192, "char_hidden_dim": 64, "char_emb_dim": 64, "batch_size": 32,
    "dropout": 0.5, "word_dropout": 0.01, "lr": 0.002, "optim": "adam",
    "max_steps": 20000, "eval_interval": 400, "max_steps_no_improve": 4000, "log_step": 200,
}
DEFAULT_PRETRAIN = {"fa": "tagger-fa-stanza/pretrain.pt"}
LICENCES = {
    "fa": "PEYMA-600k (ITRC; research use only); word vectors from Hamshahri/raw news text (research use only)",
    "ar": "NewsFANE Gold (Alotaibi & Lee 2014) and the Wojood sample (Jarrar et al. 2022)",
}


def to_stanza(sentences: Sequence[data.Sentence]) -> list[list[dict]]:
    """stanza's NER training JSON: a list of sentences of {"text", "ner"} tokens (BIO; a
    proclitic's trim, `B-GPE|2`, is dropped: the actors stage trims clitics itself)."""
    return [[{"text": w, "ner": l.split("|")[0]} for w, l in zip(s.words, s.labels)] for s in sentences if s.words]


def bio_labels(n: int, spans: Sequence[tuple]) -> list[str]:
    labels = ["O"] * n
    for a, b, kind, *_ in spans:
        labels[a] = f"B-{kind}"
        for k in range(a + 1, b):
            labels[k] = f"I-{kind}"
    return labels


def stanza_args(lang: str, work: Path, pretrain: Path | None, args: dict, threads: int) -> list[str]:
    out = ["--mode", "train", "--shorthand", f"{lang}_extract",
           "--train_file", str(work / "train.json"), "--eval_file", str(work / "holdout.json"),
           "--save_dir", str(work), "--save_name", MODEL_FILE, "--cpu", "--scheme", "bioes"]
    out += ["--wordvec_pretrain_file", str(pretrain)] if pretrain else ["--no_pretrain"]
    for key, value in args.items():
        if value is True:
            out.append(f"--{key}")
        elif value is not False and value is not None:
            out += [f"--{key}", str(value)]
    return out


def run_stanza(argv: list[str], threads: int, time_limit: float | None, log=print) -> None:
    """stanza's NER trainer, in this process, or in a child stopped after `time_limit` s."""
    if time_limit is None:
        import torch
        from stanza.models import ner_tagger

        torch.set_num_threads(threads)
        ner_tagger.main(argv)
        return
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    code = f"import torch,sys; torch.set_num_threads({threads}); from stanza.models import ner_tagger; ner_tagger.main(sys.argv[1:])"
    try:
        subprocess.run([sys.executable, "-c", code, *argv], env=env, check=True, timeout=time_limit)
    except subprocess.TimeoutExpired:
        log(f"time limit ({time_limit:.0f} s) reached: keeping the best checkpoint so far")


def train(lang: str, out_root: Path | None = None, data_dir: Path | None = None, pretrain: Path | None = None,
          work: Path | None = None, ner_args: dict | None = None, corpora=None, dev_corpus=None,
          threads: int = 1, time_limit: float | None = None, write: bool = True, reuse: bool = False,
          log=print) -> dict:
    """Train, score on the dev split (when `dev_corpus` is not False) and write the model folder."""
    from ..regression import shared_data

    name = model_name(lang)
    data_dir = Path(data_dir) if data_dir else shared_data()
    out_root = Path(out_root) if out_root else models_dir()
    work = Path(work) if work else Path(os.environ.get("TMPDIR", "/tmp")) / f"extract-{name}"
    work.mkdir(parents=True, exist_ok=True)
    if pretrain is None and lang in DEFAULT_PRETRAIN:
        pretrain = models_dir() / DEFAULT_PRETRAIN[lang]
    args = {**DEFAULT_ARGS, **(ner_args or {})}

    sentences = [s for s in data.load(lang, data_dir, corpora or data.CORPORA[lang]) if s.words]
    holdout = sentences[HOLDOUT_EVERY - 1::HOLDOUT_EVERY]
    train_part = [s for k, s in enumerate(sentences) if k % HOLDOUT_EVERY != HOLDOUT_EVERY - 1]
    for file_name, part in (("train.json", train_part), ("holdout.json", holdout)):
        (work / file_name).write_text(json.dumps(to_stanza(part), ensure_ascii=False), encoding="utf-8")
    log(f"[{lang}] train {len(train_part)} sentences, {sum(len(s.words) for s in train_part)} tokens; "
        f"holdout {len(holdout)}")

    started = time.time()
    if not (reuse and (work / MODEL_FILE).is_file()):
        (work / MODEL_FILE).unlink(missing_ok=True)
        run_stanza(stanza_args(lang, work, pretrain, args, threads), threads, time_limit, log)
    seconds = time.time() - started
    if not (work / MODEL_FILE).is_file():
        raise RuntimeError(f"stanza wrote no model in {work}")

    stage_root = work / "out"
    stage = stage_root / name
    shutil.rmtree(stage_root, ignore_errors=True)
    stage.mkdir(parents=True)
    shutil.copyfile(work / MODEL_FILE, stage / MODEL_FILE)
    if pretrain:
        shutil.copyfile(pretrain, stage / PRETRAIN_FILE)
    corpora_used = [list(c) for c in (corpora or data.CORPORA[lang])]
    write_manifest(stage, name, kind="stanza-ner", lang=lang, ner_model=MODEL_FILE,
                   pretrain=PRETRAIN_FILE if pretrain else None, corpora=corpora_used)
    metrics = {"train_sentences": len(train_part), "train_tokens": sum(len(s.words) for s in train_part),
               "holdout_sentences": len(holdout), "args": args, "threads": threads,
               "training_seconds": round(seconds), "time_limit": time_limit}
    if dev_corpus is not False:
        from .train import score

        dev_corpus = dev_corpus or data.DEV[lang]
        dev = [s for s in data.load(lang, data_dir, [dev_corpus]) if s.words]
        model = StanzaNER.load(lang, stage_root)
        started = time.time()
        tagged = model.tag_sentences([s.words for s in dev])
        tag_seconds = time.time() - started
        chars = sum(len(" ".join(s.words)) for s in dev)
        metrics.update(dev=list(dev_corpus), dev_scores=score(dev, [bio_labels(len(s.words), t) for s, t in zip(dev, tagged)]),
                       ms_per_1000_chars=round(1000 * tag_seconds / chars * 1000, 2))
        log(f"[{lang}] dev {json.dumps(metrics['dev_scores'])}; {metrics['ms_per_1000_chars']} ms/1000 chars")
    (stage / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_manifest(stage, name, kind="stanza-ner", lang=lang, ner_model=MODEL_FILE,
                   pretrain=PRETRAIN_FILE if pretrain else None, corpora=corpora_used,
                   dev_micro_f1=metrics.get("dev_scores", {}).get("micro", {}).get("f1"))
    write_card(stage, lang, metrics)
    if write:
        final = out_root / name
        shutil.rmtree(final, ignore_errors=True)
        shutil.copytree(stage, final)
        log(f"[{lang}] written {final}")
    return metrics


def write_card(folder: Path, lang: str, metrics: dict) -> None:
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 1e6
    rows = score_rows(metrics.get("dev_scores", {}))
    text = f"""# {model_name(lang)}

A stanza NER model (BiLSTM over word vectors and a character LSTM, CRF output layer;
`stanza.models.ner_tagger`) over the pipeline's own normalized tokens.  Loaded by
`extract.ner.stanza_ner.StanzaNER` as the actors stage's model with `--ner stanza` (or
`--ner auto`, which prefers it to the CRF when this folder is present).

## Data
- training: {metrics['train_sentences']} sentences, {metrics['train_tokens']} tokens (`extract.ner.data`, the CRF's
  corpora); every {HOLDOUT_EVERY}th sentence ({metrics['holdout_sentences']}) held out for stanza's checkpoint choice;
- word vectors: `{PRETRAIN_FILE}` (for fa the tagger-fa-stanza vectors: word2vec on raw news text);
- licences: {LICENCES.get(lang, 'see the corpora')}.  **Research use only** where a source says so.

## Dev scores (model alone, strict typed spans{', ' + ' '.join(map(str, metrics['dev'][:3])) if 'dev' in metrics else ''})
| type | precision | recall | F1 | gold |
|---|---|---|---|---|
{rows}

## Size and speed
{size:.1f} MB on disk; {metrics.get('ms_per_1000_chars', '?')} ms per 1,000 characters (tagging the dev split in
one batch, {metrics['threads']} thread(s)).  Training: {metrics['training_seconds']} s, arguments {json.dumps(metrics['args'])}.

## Retrain
`python -m extract.ner.train_stanza --lang {lang}`; `manifest.json` holds the sha256 of every file (E202).
"""
    (folder / "MODEL_CARD.md").write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.ner.train_stanza", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=sorted(data.CORPORA))
    parser.add_argument("--out", type=Path, default=None, help="models folder (default: models/)")
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--pretrain", type=Path, default=None, help="stanza pretrain .pt (word vectors)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--time-limit", type=float, default=None, help="stop training after this many seconds")
    parser.add_argument("--arg", action="append", default=[], metavar="KEY=VALUE", help="extra stanza NER argument")
    parser.add_argument("--no-write", action="store_true", help="score only; the folder stays in --work/out")
    parser.add_argument("--reuse", action="store_true", help="score and write the ner.pt already in --work")
    args = parser.parse_args(argv)
    ner_args = stanza_args(args.arg, args.max_steps)
    train(args.lang, out_root=args.out, data_dir=args.data, pretrain=args.pretrain, work=args.work,
          ner_args=ner_args, threads=args.threads, time_limit=args.time_limit, write=not args.no_write,
          reuse=args.reuse)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
