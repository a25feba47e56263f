"""Train a pair of character language models (forward, backward) for the stanza tagger.

    python -m extract.tagging.train_charlm --lang fa --out DIR [--hidden 256] [--epochs 1]

stanza's tagger can read each word through two pretrained character LSTMs run over the
whole sentence (`--charlm`), which helps most when the tagged training data is small, as
PerDT-dev is.  The text is the same normalized, tokenized raw text the word vectors are
trained on (`train_stanza.build_token_corpus`: the run-time normalizer and tokenizer), so
the characters the models see at run time are the ones they learned.  A seeded sample of
`--dev-lines` paragraphs is held out for stanza's model selection (perplexity).

Writes `DIR/forward_charlm.pt`, `DIR/backward_charlm.pt` and `DIR/charlm.json` (settings,
sizes, dev perplexity, seconds).  `train_stanza --charlm DIR` then trains a tagger on them
and ships both files in the tagger's folder.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Sequence

from .script import exit_code

CHARLM_FILES = {"forward": "forward_charlm.pt", "backward": "backward_charlm.pt"}
CHARLM_INFO = "charlm.json"
PART_CHARS = 2_000_000  # stanza reads a training folder one file at a time: bounded memory


def split_corpus(corpus: Path, work: Path, dev_lines: int = 800, seed: int = 7) -> dict:
    """Shuffle the corpus paragraphs (seeded) into `work/dev.txt` and `work/train/partNN.txt`."""
    lines = corpus.read_text(encoding="utf-8").splitlines()
    random.Random(seed).shuffle(lines)
    dev, train = lines[:dev_lines], lines[dev_lines:]
    (work / "dev.txt").write_text("\n".join(dev) + "\n", encoding="utf-8")
    train_dir = work / "train"
    train_dir.mkdir(parents=True, exist_ok=True)
    for old in train_dir.glob("part*.txt"):
        old.unlink()
    part, size, index = [], 0, 0
    for line in train:
        part.append(line)
        size += len(line) + 1
        if size >= PART_CHARS:
            (train_dir / f"part{index:02d}.txt").write_text("\n".join(part) + "\n", encoding="utf-8")
            part, size, index = [], 0, index + 1
    if part:
        (train_dir / f"part{index:02d}.txt").write_text("\n".join(part) + "\n", encoding="utf-8")
        index += 1
    return {"paragraphs": len(lines), "dev_paragraphs": len(dev), "train_parts": index,
            "train_chars": sum(len(l) + 1 for l in train)}


def train_direction(lang: str, work: Path, direction: str, hidden: int, emb: int, epochs: int,
                    threads: int, seed: int, batch_size: int = 100) -> float:
    """One stanza charlm (`work/<direction>_charlm.pt`, its best epoch by dev loss) from
    `work/train/` and `work/dev.txt`; returns that model's dev perplexity."""
    import torch
    from stanza.models import charlm

    torch.set_num_threads(threads)
    charlm.main([
        "--train_dir", str(work / "train"), "--eval_file", str(work / "dev.txt"),
        "--direction", direction, "--shorthand", f"{lang}_extract",
        "--char_hidden_dim", str(hidden), "--char_emb_dim", str(emb), "--cutoff", "5",
        "--epochs", str(epochs), "--batch_size", str(batch_size), "--eval_steps", "-1", "--report_steps", "200",
        "--seed", str(seed), "--save_dir", str(work), "--save_name", CHARLM_FILES[direction],
        "--vocab_save_name", f"{direction}_vocab.pt", "--cpu",  # in save_dir
    ])
    return dev_perplexity(work / CHARLM_FILES[direction], work / "dev.txt", direction, batch_size)


def dev_perplexity(model_path: Path, dev_file: Path, direction: str, batch_size: int = 100, bptt: int = 250) -> float:
    """Per-character perplexity of a saved charlm on `dev_file` (stanza's own evaluation loop)."""
    import math

    import torch
    from stanza.models import charlm
    from stanza.models.common.char_model import CharacterLanguageModel

    model = CharacterLanguageModel.load(str(model_path))
    args = {"batch_size": batch_size, "bptt_size": bptt}
    data = charlm.load_file(str(dev_file), model.vocab, direction)
    loss = charlm.evaluate_epoch(args, model.vocab, data, model, torch.nn.CrossEntropyLoss())
    return math.exp(loss)


def train(lang: str, out: Path, raw_dir: Path | None = None, work: Path | None = None, hidden: int = 256,
          emb: int = 64, epochs: int = 1, threads: int = 1, seed: int = 1234, dev_lines: int = 800,
          log=print) -> dict:
    import shutil

    from . import train_stanza

    raw_dir = Path(raw_dir) if raw_dir else train_stanza.default_data_dir().parent / "raw-text"
    work = Path(work) if work else Path(os.environ.get("TMPDIR", "/tmp")) / f"extract-charlm-{lang}"
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"raw-{lang}.tok.txt"
    if not corpus.is_file():
        train_stanza.build_token_corpus(lang, raw_dir, corpus, workers=threads, log=log)
    info = {"lang": lang, "hidden": hidden, "char_emb": emb, "epochs": epochs, "seed": seed,
            "corpus": split_corpus(corpus, work, dev_lines=dev_lines), "dev_ppl": {}, "seconds": {}}
    for direction in CHARLM_FILES:
        started = time.perf_counter()
        info["dev_ppl"][direction] = train_direction(lang, work, direction, hidden, emb, epochs, threads, seed)
        info["seconds"][direction] = round(time.perf_counter() - started, 1)
        log(f"[{lang}] {direction} charlm: dev perplexity {info['dev_ppl'][direction]:.2f} "
            f"({info['seconds'][direction]:.0f} s)")
    out.mkdir(parents=True, exist_ok=True)
    for name in CHARLM_FILES.values():
        shutil.copyfile(work / name, out / name)
    (out / CHARLM_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def charlm_files(folder: Path) -> dict[str, Path] | None:
    """The forward/backward charlm files in `folder`, or None when it has none (a charlm-free
    model); one without the other is a damaged folder."""
    paths = {d: Path(folder) / name for d, name in CHARLM_FILES.items()}
    present = [p.is_file() for p in paths.values()]
    if not any(present):
        return None
    if not all(present):
        missing = [str(p) for p in paths.values() if not p.is_file()]
        raise FileNotFoundError(f"charlm pair incomplete in {folder}: missing {', '.join(missing)}")
    return paths


def stanza_overrides(folder: Path) -> dict[str, Path]:
    """`stanza.Pipeline` arguments that load the tagger in `folder` with its own charlm pair
    (empty for a charlm-free model): the paths saved at training time may be gone."""
    paths = charlm_files(folder)
    return {f"pos_{direction}_charlm_path": path for direction, path in (paths or {}).items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.tagging.train_charlm", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=["fa"])
    parser.add_argument("--out", type=Path, required=True, help="folder for the two charlm files")
    parser.add_argument("--raw", type=Path, default=None, help="folder with the raw text")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default $TMPDIR/extract-charlm-<lang>)")
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--emb", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args(argv)
    return exit_code(lambda: train(args.lang, args.out, raw_dir=args.raw, work=args.work, hidden=args.hidden,
                                   emb=args.emb, epochs=args.epochs, threads=args.threads, seed=args.seed))


if __name__ == "__main__":
    sys.exit(main())
