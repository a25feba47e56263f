"""Name shares from raw text, read by the pipeline itself: `autonames.tsv` (CRF extra `aname`).

`names.tsv` says how often a word is part of a name in the gold NER corpora, which know a
few thousand names.  Raw news text holds many more (foreign persons, towns, companies),
and the actors stage (lexicons, NER model, role rules) finds most of them.  This command
runs the pipeline (CRF tagger: the tagger the NER model reads) over the raw-text
paragraphs and writes, for every word seen at least `min_count` times, the bucket of the
share of its occurrences inside a PER/ORG/LOC/GPE actor:

    python -m extract.tagging.autonames --lang fa --out FILE [--max-chars N] [--jobs 2]

Paragraphs are shuffled with a fixed seed and split among the jobs, so a run is
reproducible for a given models folder.
"""
from __future__ import annotations

import argparse
import gzip
import random
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Sequence

from .train_crf import default_data_dir, share_bucket

NAME_TYPES = frozenset({"PER", "ORG", "LOC", "GPE"})
SEED = 7


def raw_paragraphs(lang: str, raw_dir: Path, min_chars: int = 40) -> list[str]:
    """The raw-text paragraphs of `lang` (`<lang>-*.txt.gz`), shuffled with a fixed seed."""
    paragraphs: list[str] = []
    for path in sorted(raw_dir.glob(f"{lang}-*.txt.gz")):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
            paragraphs += [line.strip() for line in handle if len(line.strip()) >= min_chars]
    random.Random(SEED).shuffle(paragraphs)
    return paragraphs


def count_names(lang: str, texts: Sequence[str], models: str | None = None) -> tuple[Counter, Counter]:
    """(occurrences, occurrences inside a name) per normalized lowercased token."""
    from ..pipeline import Pipeline

    pipeline = Pipeline(lang, tagger="crf", models=models)
    total: Counter = Counter()
    inside: Counter = Counter()
    for text in texts:
        doc = pipeline.analyze(text)
        named = {token.i for span in doc.spans["actors"]
                 if (span._.item or {}).get("type") in NAME_TYPES for token in span}
        for token in doc:
            if token.is_space:
                continue
            word = token.norm_.lower()
            total[word] += 1
            if token.i in named:
                inside[word] += 1
    return total, inside


def _count_part(args: tuple) -> tuple[Counter, Counter]:
    lang, texts, models = args
    return count_names(lang, texts, models)


def build(lang: str, raw_dir: Path, out: Path, max_chars: int | None = None, jobs: int = 1,
          min_count: int = 3, models: str | None = None, log=print) -> int:
    """Write `out` (`word<TAB>bucket`); return the number of words written."""
    texts = raw_paragraphs(lang, raw_dir)
    if max_chars is not None:
        kept, chars = [], 0
        for text in texts:
            if chars >= max_chars:
                break
            kept.append(text)
            chars += len(text)
        texts = kept
    log(f"[{lang}] reading {len(texts)} paragraphs, {sum(map(len, texts)):,} characters, {jobs} job(s)")
    parts = [(lang, texts[k::jobs], models) for k in range(jobs)]
    total: Counter = Counter()
    inside: Counter = Counter()
    if jobs == 1:
        results = [_count_part(parts[0])]
    else:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(_count_part, parts))
    for part_total, part_inside in results:
        total.update(part_total)
        inside.update(part_inside)
    written = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        for word, n in sorted(total.items()):
            if n < min_count or not word.strip() or "\t" in word or "\n" in word:
                continue
            handle.write(f"{word}\t{share_bucket(inside[word] / n)}\n")
            written += 1
    log(f"[{lang}] wrote {out} ({written} words)")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.tagging.autonames", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--raw", type=Path, default=None, help="raw-text folder (default: ../shared/data/raw-text)")
    parser.add_argument("--max-chars", type=int, default=None, help="read only the first N characters of shuffled text")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--models", default=None, help="models folder for the pipeline (default: models/)")
    args = parser.parse_args(argv)
    raw = args.raw or default_data_dir().parent / "raw-text"
    build(args.lang, raw, args.out, args.max_chars, args.jobs, args.min_count, args.models)
    return 0


if __name__ == "__main__":
    sys.exit(main())
