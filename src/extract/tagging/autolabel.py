"""Auto-labelled raw-text sentences for the Persian tagger (co-training).

    python -m extract.tagging.autolabel --lang fa --teachers DIR --out FILE [--sentences N] [--seed S]

The treebank data is small (PerDT-dev + Seraji, ~56K tokens), so most words of news text
are unknown to the taggers, and most errors are open-class (PROPN/NOUN/ADJ) ones on such
words.  Raw news text is plentiful: its sentences are tagged by the two members of the
ensemble (the CRF `tagger-<lang>-crf` and the stanza BiLSTM `tagger-<lang>-stanza` found in
`--teachers`), and a sentence is kept only when

* the two members agree on the tag of every token (two differently built models making
  the same mistake is rarer than either alone), and
* every token's combined probability (the ensemble's formula) is at least `min_prob`.

Kept sentences are written as CoNLL-U (`form`, `lemma` = form, `upos`), the extra
training data of the student models (`train_crf --auto FILE`, `train_stanza --auto FILE`).

Leakage: the teachers must not have trained on the held-out slice that tunes the
ensemble (`fa_perdt-dev.conllu@every-10`), else the students would inherit knowledge of
it through the labels and the tuning would favour them: label with the ensemble's tuning
CRF (`train_crf --train fa_perdt-dev.conllu@not-every-10,... --test fa_perdt-dev.conllu@every-10`)
and the stanza model (which never saw the slice).  `--crf-only` is self-training instead:
the CRF teacher alone, a sentence kept when every marginal is >= `--min-prob`.

Measured (README, "Co-training on raw text"): the students gain alone, the ensemble does
not, so no committed model uses these sentences and `make models` does not run this.

Sentences: every paragraph of `raw-text/<lang>-*.txt.gz` goes through the project
normalizer and tokenizer (`train_stanza.build_token_corpus`, the run-time path), is cut
after sentence-final punctuation, and sentences of news-like length made only of
Persian-script words, digits and punctuation are kept; duplicates are dropped, and a
fixed-seed random sample is taken (the output depends only on the raw text, the teachers
and the seed).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .script import exit_code

SENTENCE_END = frozenset({".", "!", "?", "؟", "…"})
# a token the sample keeps: Persian/Arabic-script letters (with ZWNJ), digits or punctuation
_TOKEN_OK = re.compile(r"^(?:[\u0600-\u06ff\u200c\ufb50-\ufdff\ufe70-\ufeff]+|[0-9۰-۹٫٬.,/:%-]+|[^\w\s])$")

DEFAULT_SENTENCES = 30_000
DEFAULT_SEED = 2026
DEFAULT_MIN_PROB = 0.5
# the CRF weight of the combined probability: the gold-only ensemble's, chosen on the held-out slice
DEFAULT_WEIGHT = 0.3


def split_sentences(tokens: Sequence[str]) -> list[list[str]]:
    """Cut one paragraph's tokens after each sentence-final punctuation token."""
    out: list[list[str]] = []
    current: list[str] = []
    for tok in tokens:
        current.append(tok)
        if tok in SENTENCE_END:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def usable(sentence: Sequence[str], min_len: int = 8, max_len: int = 40) -> bool:
    """A news-like sentence: `min_len`..`max_len` tokens, ends with sentence-final punctuation,
    only Persian-script words, digits and punctuation, and at least half of it words."""
    if not min_len <= len(sentence) <= max_len or sentence[-1] not in SENTENCE_END:
        return False
    if not all(_TOKEN_OK.match(t) for t in sentence):
        return False
    words = sum(1 for t in sentence if any(ch.isalpha() for ch in t))
    return words * 2 >= len(sentence)


def raw_sentences(lines: Iterable[str], min_len: int = 8, max_len: int = 40) -> Iterator[list[str]]:
    """Usable sentences of a token corpus (one paragraph a line, tokens separated by spaces;
    a space inside a token is written as NBSP there), in order, without duplicates."""
    seen: set[str] = set()
    for line in lines:
        for sentence in split_sentences([t.replace("\xa0", " ") for t in line.split()]):
            if not usable(sentence, min_len, max_len):
                continue
            key = " ".join(sentence)
            if key in seen:
                continue
            seen.add(key)
            yield sentence


def sample(sentences: Sequence[list[str]], n: int, seed: int = DEFAULT_SEED) -> list[list[str]]:
    """`n` sentences drawn without replacement with a fixed seed, in corpus order."""
    if n >= len(sentences):
        return list(sentences)
    picked = sorted(random.Random(seed).sample(range(len(sentences)), n))
    return [sentences[i] for i in picked]


def agree_and_confident(crf_out, stanza_outs, weight: float, min_prob: float) -> list[str] | None:
    """The tags of a sentence both members agree on, or None.

    `crf_out` = (labels, [tokens, labels] marginals); `stanza_outs` = [(labels, probs)] of
    the stanza members.  Kept only if the CRF's and every stanza member's argmax agree on
    every token and the combined (normalized) probability of each tag is >= `min_prob`."""
    import numpy as np

    from .ensemble import combined_scores

    crf_labels, crf_probs = crf_out
    crf_tags = [crf_labels[k] for k in np.asarray(crf_probs).argmax(axis=1)]
    if not stanza_outs:  # self-training: the CRF alone, confident on every token
        return crf_tags if np.asarray(crf_probs).max(axis=1).min() >= min_prob else None
    for labels, probs in stanza_outs:
        if [labels[k] for k in np.asarray(probs).argmax(axis=1)] != crf_tags:
            return None
    share = (1.0 - weight) / len(stanza_outs)
    labels, score = combined_scores([(crf_labels, crf_probs, weight)]
                                    + [(names, probs, share) for names, probs in stanza_outs])
    prob = np.exp(score - score.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    if any(prob[i, labels.index(tag)] < min_prob for i, tag in enumerate(crf_tags)):
        return None
    return crf_tags


def label(crf, stanzas: Sequence, sentences: Sequence[list[str]], weight: float,
          min_prob: float = DEFAULT_MIN_PROB, batch: int = 500, log=print) -> tuple[list[list[tuple[str, str]]], dict]:
    """Tag `sentences` with the teachers; the kept ones as [(form, upos)] and counts."""
    kept: list[list[tuple[str, str]]] = []
    tags: Counter = Counter()
    started = time.perf_counter()
    for start in range(0, len(sentences), batch):
        chunk = [list(s) for s in sentences[start:start + batch]]
        stanza_out = [m.tag_proba(chunk) for m in stanzas]
        for k, sentence in enumerate(chunk):
            out = agree_and_confident(crf.marginals(sentence), [(labels, probs[k]) for labels, probs in stanza_out],
                                      weight, min_prob)
            if out is not None:
                kept.append(list(zip(sentence, out)))
                tags.update(out)
        log(f"autolabel: {start + len(chunk)}/{len(sentences)} sentences tagged, {len(kept)} kept "
            f"({time.perf_counter() - started:.0f} s)")
    info = {"tagged_sentences": len(sentences), "tagged_tokens": sum(len(s) for s in sentences),
            "kept_sentences": len(kept), "kept_tokens": sum(len(s) for s in kept),
            "kept_tags": dict(tags.most_common()), "crf_weight": weight, "min_prob": min_prob,
            "seconds": round(time.perf_counter() - started, 1)}
    return kept, info


def write_conllu(sentences: Sequence[Sequence[tuple[str, str]]], path: Path, info: dict | None = None) -> None:
    with open(path, "w", encoding="utf-8") as out:
        if info is not None:
            out.write("# autolabel = " + json.dumps(info, ensure_ascii=False) + "\n")
        for k, sentence in enumerate(sentences):
            out.write(f"# sent_id = auto-{k + 1}\n")
            for i, (form, upos) in enumerate(sentence, 1):
                form = form.replace("\t", " ")
                out.write(f"{i}\t{form}\t{form}\t{upos}\t_\t_\t{0 if i == 1 else 1}\t{'root' if i == 1 else 'dep'}\t_\t_\n")
            out.write("\n")


def read_auto(path: Path):
    """The sentences of an auto-labelled file as `ud.SurfaceToken`s (lemma = form)."""
    from .ud import SurfaceToken

    sentences, current = [], []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line:
                if current:
                    sentences.append(current)
                current = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            current.append(SurfaceToken(cols[1], cols[3], cols[2], (cols[1],)))
    if current:
        sentences.append(current)
    return sentences


def read_info(path: Path) -> dict:
    """The `# autolabel = {...}` header of an auto-labelled file ({} without one)."""
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
    return json.loads(first.partition("=")[2]) if first.startswith("# autolabel =") else {}


RAW_LICENCES = {
    "fa-hamshahri2-subset.txt.gz": "Hamshahri2 subset: research use only",
    "fa-farsnews-varzesh3-namnak.txt.gz": "farsnews / varzesh3 / namnak web text: text © its publishers",
}


def card_line(files: Sequence[dict]) -> str:
    """A model card's data line for the auto-labelled files a model trained on (their headers)."""
    parts = []
    for f in files:
        raw = ", ".join(f.get("raw_files", []))
        licences = "; ".join(RAW_LICENCES.get(r, "see its source") for r in f.get("raw_files", []))
        parts.append(
            f"{f.get('kept_sentences')} sentences ({f.get('kept_tokens')} tokens) of {raw} ({licences}), "
            f"auto-labelled (`extract.tagging.autolabel`, `{f['file']}`): {f.get('tagged_sentences')} of the "
            f"{f.get('usable_sentences')} usable raw sentences drawn with seed {f.get('sample_seed')}, tagged by "
            f"teachers that never saw the held-out tenth of PerDT-dev ({', '.join(f.get('teachers', {}).values())}), "
            f"kept when both agree on every token (combined probability >= {f.get('min_prob')})")
    return "; ".join(parts)


def build(lang: str, teachers: Path, out: Path, raw_dir: Path | None = None, work: Path | None = None,
          n: int = DEFAULT_SENTENCES, seed: int = DEFAULT_SEED, weight: float = DEFAULT_WEIGHT,
          min_prob: float = DEFAULT_MIN_PROB, threads: int = 1, crf_only: bool = False, log=print) -> dict:
    """Sample raw sentences, label them with the teachers in `teachers`, write `out`."""
    import os

    import torch

    from . import train_crf, train_stanza
    from .crf import CRFTagger
    from .ensemble import load_stanza_member

    torch.set_num_threads(threads)
    os.environ["EXTRACT_TORCH_THREADS"] = str(threads)
    data_dir = train_crf.default_data_dir()
    raw_dir = Path(raw_dir) if raw_dir else data_dir.parent / "raw-text"
    work = Path(work) if work else Path(os.environ.get("TMPDIR", "/tmp")) / f"extract-autolabel-{lang}"
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"raw-{lang}.tok.txt"
    if not corpus.is_file():
        corpus_info = train_stanza.build_token_corpus(lang, raw_dir, corpus, workers=threads, log=log)
    else:
        corpus_info = {"files": train_stanza.RAW_TEXT.get(lang, []), "cached": str(corpus)}
    with open(corpus, encoding="utf-8") as handle:
        pool = list(raw_sentences(handle))
    chosen = sample(pool, n, seed)
    log(f"[{lang}] autolabel: {len(pool)} usable raw sentences, {len(chosen)} sampled (seed {seed})")
    crf = CRFTagger.load(lang, teachers)
    stanzas = [] if crf_only else [load_stanza_member(lang, f"tagger-{lang}-stanza",
                                                      {"pos": "pos.pt", "pretrain": "pretrain.pt"}, Path(teachers))[0]]
    kept, info = label(crf, stanzas, chosen, weight, min_prob, log=log)
    info.update(lang=lang, raw_files=corpus_info["files"], usable_sentences=len(pool), sample_seed=seed,
                teachers={"crf": crf.source, **({"stanza": stanzas[0].source} if stanzas else {})})
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_conllu(kept, out, info)
    log(f"[{lang}] autolabel: kept {info['kept_sentences']} of {len(chosen)} sentences "
        f"({info['kept_tokens']} tokens) -> {out}")
    return info


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.tagging.autolabel", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=["fa"])
    parser.add_argument("--teachers", type=Path, required=True,
                        help="models folder with tagger-<lang>-crf and tagger-<lang>-stanza (not trained on the "
                             "held-out slice)")
    parser.add_argument("--out", type=Path, required=True, help="CoNLL-U file to write")
    parser.add_argument("--raw", type=Path, default=None, help="raw-text folder (default <data>/../raw-text)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (token corpus cache)")
    parser.add_argument("--sentences", type=int, default=DEFAULT_SENTENCES, help="raw sentences to tag")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--weight", type=float, default=DEFAULT_WEIGHT, help="CRF weight of the combined probability")
    parser.add_argument("--min-prob", type=float, default=DEFAULT_MIN_PROB)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--crf-only", action="store_true",
                        help="self-training: the CRF teacher alone, kept when its marginal of every tag >= --min-prob")
    args = parser.parse_args(argv)
    return exit_code(lambda: build(
        args.lang, args.teachers, args.out, raw_dir=args.raw, work=args.work, n=args.sentences,
        seed=args.seed, weight=args.weight, min_prob=args.min_prob, threads=args.threads,
        crf_only=args.crf_only))


if __name__ == "__main__":
    sys.exit(main())
