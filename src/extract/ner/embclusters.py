"""Embedding clusters (the NER extra `emb`): word2vec skip-gram vectors learned from
unannotated text, clustered by k-means at several granularities; each word's cluster ids
are CRF features of the word and its neighbours.

Why: the tagger's clusters (`clusters.tsv`) describe a word by its immediate left/right
neighbours only (syntax); skip-gram over a 5-word window groups words by topic and role
(first names, surnames, towns, ministries), which is what NER lacks for names it never
saw in training (Turian et al. 2010; Yu et al. 2013: +1-3 F1 for linear NER models).

Text: `raw-text/<lang>-*.txt.gz` and `raw-news/<lang>-*` (tokenized and normalized like
the tagger's clusters), plus the words of the training corpora (their labels unread),
so the vectors cover the forms the model sees.  The dev split is never read."""
from __future__ import annotations

import gzip
import time
import zlib
from pathlib import Path
from typing import Iterator, Sequence

from . import data

FILE = "emb_clusters.tsv"  # word <TAB> cluster id per granularity (coarse → fine)
KS = (64, 256, 1024)
DIMS = 100


def _raw_sentences(lang: str, data_dir: Path) -> Iterator[list[str]]:
    from ..bench import news_articles
    from ..tagging.crf import _norm
    from ..tagging.train_crf import _RAW_TOKEN, RAW_TEXT

    def words(line: str) -> list[str]:
        return [_norm(tok, lang).lower() for tok in _RAW_TOKEN.findall(line)]

    for name in RAW_TEXT.get(lang, []):
        path = data_dir / "raw-text" / name
        if path.is_file():
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    if line.strip():
                        yield words(line)
    for item in news_articles(data_dir, lang):
        for part in [item.get("title") or "", item.get("abstract") or "", *(item.get("paragraphs") or []),
                     item.get("content") or ""]:
            if isinstance(part, str) and part.strip():
                yield words(part)


def build(lang: str, data_dir: Path, path: Path, ks: Sequence[int] = KS, dims: int = DIMS,
          min_count: int = 3, epochs: int = 5, seed: int = 13, log=print) -> int:
    """Write `word<TAB>id_k0<TAB>id_k1...` for every word seen `min_count` times; returns
    how many words."""
    import numpy as np
    from gensim.models import Word2Vec

    from ..tagging.train_crf import write_clusters

    started = time.time()
    sentences = list(_raw_sentences(lang, data_dir))
    sentences += [[w.lower() for w in s.words] for s in data.load(lang, data_dir, data.CORPORA[lang])]
    sentences += [[w.lower() for w in s.words] for s in data.load(lang, data_dir, data.SHARE_CORPORA[lang])]
    log(f"[{lang}] embeddings: {len(sentences)} sentences, {sum(map(len, sentences))} tokens "
        f"({time.time() - started:.0f} s)")
    model = Word2Vec(sentences, vector_size=dims, window=5, sg=1, negative=5, min_count=min_count,
                     sample=1e-4, epochs=epochs, workers=1, seed=seed,
                     hashfxn=lambda s: zlib.crc32(s.encode()))  # str hash varies per process
    words = list(model.wv.index_to_key)
    vectors = model.wv.vectors / (np.linalg.norm(model.wv.vectors, axis=1, keepdims=True) + 1e-9)
    write_clusters(path, words, vectors, ks, seed)
    log(f"[{lang}] embeddings: {len(words)} words clustered at k={', '.join(map(str, ks))} "
        f"({time.time() - started:.0f} s)")
    return len(words)


if __name__ == "__main__":  # python -m extract.ner.embclusters fa OUT.tsv
    import sys

    from ..regression import shared_data

    build(sys.argv[1], shared_data(), Path(sys.argv[2]))
