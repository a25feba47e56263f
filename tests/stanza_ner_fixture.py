"""Train a tiny stanza NER model from a few PEYMA training documents, for the backend tests.

The documents are read by the project's gold reader (`extract.ner.data.load`, the PEYMA
preset, train split: none of them is a dev document), the word vectors are count-based
vectors of the same sentences (`stanza_fixture.count_vectors`), and the model is trained
by `extract.ner.train_stanza.train`, in this process, on the CPU, without the network.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from extract.ner import data
from extract.ner.train_stanza import train

from stanza_fixture import _quiet_single_thread, build_pretrain, count_vectors, shared_ud_dir, write_word2vec_text

#: PEYMA training documents (not in evaluate/peyma_dev.txt), about 150 sentences, 300 names
DOCS = ["NER-101960", "NER-10200", "NER-103306", "NER-105648", "NER-106260", "NER-10857"]
#: a small network, many updates on few sentences: it learns the names it has seen.  One
#: evaluation, at the end: the held-out slice is a handful of sentences, too few to choose on
TINY_ARGS = {
    "hidden_dim": 32, "char_hidden_dim": 16, "char_emb_dim": 16, "batch_size": 16, "optim": "adam",
    "lr": 0.01, "dropout": 0.1, "word_dropout": 0.0, "max_steps": 100, "eval_interval": 100,
    "max_steps_no_improve": 1000, "log_step": 1000, "seed": 1234, "patience": 100,
}


def peyma_dir() -> Path:
    return shared_ud_dir().parent / "peyma-600k"


@dataclass
class TinyNER:
    models: Path  # a models folder holding ner-fa-stanza/
    sentences: list  # the training sentences (data.Sentence)
    metrics: dict
    seconds: float


def train_tiny_ner(workdir: Path) -> TinyNER:
    started = time.perf_counter()
    corpus = workdir / "data" / "peyma-600k"
    corpus.mkdir(parents=True)
    for name in DOCS:
        (corpus / name).symlink_to(peyma_dir() / name)
    corpora = [("peyma-600k", "peyma", "train", 1)]
    sentences = data.load("fa", workdir / "data", corpora)
    vectors = workdir / "vectors.txt"
    write_word2vec_text(vectors, count_vectors([s.words for s in sentences], dim=16))
    with _quiet_single_thread():
        pretrain = build_pretrain(vectors, workdir / "tiny.pretrain.pt")
        metrics = train("fa", out_root=workdir / "models", data_dir=workdir / "data", pretrain=pretrain,
                        work=workdir / "work", ner_args=TINY_ARGS, corpora=corpora, dev_corpus=False,
                        threads=1, log=lambda *_: None)
    return TinyNER(workdir / "models", sentences, metrics, time.perf_counter() - started)
