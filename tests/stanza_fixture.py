"""Train a tiny stanza POS model from UD Persian (PerDT) dev data, for the backend tests.

Nothing here touches the network: the word vectors are count-based vectors built
from the training sentences themselves, converted to stanza's ``.pt`` pretrain
format with `stanza.models.common.pretrain.Pretrain`, and the tagger is trained
with stanza's own entry point, `stanza.models.tagger.main([...])`, on the CPU.

The shared data folder is ``<workspace>/shared/data`` (two levels above the
project) unless $EXTRACT_SHARED_DATA points at another ``data`` folder; the
CoNLL-U files are read, never written.
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PERDT_DEV = "fa_perdt-dev.conllu"

#: how the tiny corpus is cut from the dev file (sentence indices)
TRAIN_SENTENCES = slice(0, 150)
EVAL_SENTENCES = slice(150, 180)  # stanza's own dev set while training (model selection)
TEST_SENTENCES = slice(200, 320)  # held out, for the accuracy check in the tests

UD_UPOS = frozenset(
    "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split()
)


def shared_ud_dir() -> Path:
    """The folder with the UD treebanks (read only)."""
    env = os.environ.get("EXTRACT_SHARED_DATA")
    data = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"
    return data / "ud"


# --------------------------------------------------------------------------- CoNLL-U


@dataclass
class Sentence:
    lines: list[str]  # the raw block, comments included

    @property
    def rows(self) -> list[list[str]]:
        """The columns of each syntactic word; multiword-token ranges and empty nodes skipped."""
        rows = []
        for line in self.lines:
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if cols[0].isdigit():
                rows.append(cols)
        return rows

    @property
    def words(self) -> list[tuple[str, str]]:
        """(form, UPOS) of each syntactic word."""
        return [(cols[1], cols[3]) for cols in self.rows]

    @property
    def lemmas(self) -> list[str]:
        return [cols[2] for cols in self.rows]

    @property
    def forms(self) -> list[str]:
        return [form for form, _ in self.words]

    @property
    def upos(self) -> list[str]:
        return [tag for _, tag in self.words]


def read_conllu(path: Path) -> list[Sentence]:
    sentences: list[Sentence] = []
    block: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if line.strip():
                block.append(line)
            elif block:
                sentences.append(Sentence(block))
                block = []
    if block:
        sentences.append(Sentence(block))
    return sentences


def write_conllu(path: Path, sentences: list[Sentence]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for sentence in sentences:
            handle.write("\n".join(sentence.lines) + "\n\n")


# --------------------------------------------------------------------------- vectors


def count_vectors(sentences: list[list[str]], dim: int = 16, window: int = 2) -> dict[str, np.ndarray]:
    """Small count-based word vectors: SVD of the PPMI word/context matrix."""
    counts = Counter(w for s in sentences for w in s)
    vocab = [w for w, _ in counts.most_common()]
    index = {w: i for i, w in enumerate(vocab)}
    contexts = [w for w, _ in counts.most_common(300)]
    cindex = {w: i for i, w in enumerate(contexts)}
    matrix = np.zeros((len(vocab), len(contexts)), dtype=np.float64)
    for s in sentences:
        for i, w in enumerate(s):
            for j in range(max(0, i - window), min(len(s), i + window + 1)):
                if j != i and s[j] in cindex:
                    matrix[index[w], cindex[s[j]]] += 1.0
    total = matrix.sum() or 1.0
    row = matrix.sum(axis=1, keepdims=True)
    col = matrix.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(matrix * total / (row @ col))
    ppmi = np.nan_to_num(np.maximum(pmi, 0.0), nan=0.0, posinf=0.0, neginf=0.0)
    u, s_values, _ = np.linalg.svd(ppmi, full_matrices=False)
    k = min(dim, u.shape[1])
    vectors = u[:, :k] * np.sqrt(s_values[:k])
    if k < dim:
        vectors = np.pad(vectors, ((0, 0), (0, dim - k)))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1.0, norms)
    return {w: vectors[index[w]] for w in vocab}


def write_word2vec_text(path: Path, vectors: dict[str, np.ndarray]) -> None:
    dim = len(next(iter(vectors.values())))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"{len(vectors)} {dim}\n")
        for word, vector in vectors.items():
            if any(ch.isspace() for ch in word):
                continue
            handle.write(word + " " + " ".join(f"{x:.5f}" for x in vector) + "\n")


def build_pretrain(txt_path: Path, pt_path: Path) -> Path:
    """Convert a word2vec text file to stanza's pretrain ``.pt`` with stanza's own class."""
    from stanza.models.common.pretrain import Pretrain

    pretrain = Pretrain(str(pt_path), str(txt_path), max_vocab=-1)
    pretrain.load()  # reads the text file and saves the .pt
    if not pt_path.is_file():
        raise RuntimeError(f"stanza did not write the pretrain file {pt_path}")
    return pt_path


# --------------------------------------------------------------------------- training


@dataclass
class TinyModel:
    pos_model_path: Path
    pos_pretrain_path: Path
    lemma_model_path: Path
    workdir: Path
    train_sentences: list[Sentence]
    test_sentences: list[Sentence]
    seconds: float


#: small everything; dropout lowered because there are only 150 sentences.
#: stanza keeps the checkpoint with the best dev score (evaluated every 30 steps).
TINY_POS_ARGS = [
    "--hidden_dim", "48",
    "--char_hidden_dim", "32",
    "--char_emb_dim", "16",
    "--deep_biaff_hidden_dim", "32",
    "--composite_deep_biaff_hidden_dim", "16",
    "--word_emb_dim", "32",
    "--tag_emb_dim", "16",
    "--transformed_dim", "32",
    "--num_layers", "1",
    "--dropout", "0.3",
    "--word_dropout", "0.2",
    "--batch_size", "25",
    "--lr", "0.01",
    "--max_steps", "120",
    "--eval_interval", "30",
    "--fix_eval_interval",
    "--log_step", "1000",
    "--word_cutoff", "1",
    "--seed", "1234",
    "--cpu",
]


class _quiet_single_thread:
    """Quiet, single-threaded training.

    Importing stanza's training modules sets the 'stanza' logger to DEBUG, and the
    lemmatizer prints its whole config to stdout; both are muted here and the log
    level is put back afterwards.  One torch thread: two threads on a busy 2-core
    machine were several times slower (and much less predictable) than one.
    """

    def __enter__(self):
        import stanza  # noqa: F401  (sets up the 'stanza' logger)
        import torch

        self._logger = logging.getLogger("stanza")
        self._level = self._logger.level
        from stanza.models import lemmatizer, tagger  # noqa: F401  (their import sets DEBUG)

        self._logger.setLevel(logging.WARNING)
        self._threads = torch.get_num_threads()
        torch.set_num_threads(1)
        self._stdout = contextlib.redirect_stdout(io.StringIO())
        self._stdout.__enter__()
        return self

    def __exit__(self, *exc):
        import torch

        self._stdout.__exit__(*exc)
        torch.set_num_threads(self._threads)
        self._logger.setLevel(self._level)
        return False


def train_tiny_models(workdir: Path, ud_dir: Path | None = None, extra_pos_args: list[str] | None = None) -> TinyModel:
    """Train the tiny POS model (and a dictionary lemmatizer) in `workdir`."""
    started = time.perf_counter()
    ud_dir = ud_dir or shared_ud_dir()
    sentences = read_conllu(ud_dir / PERDT_DEV)
    train, dev, test = sentences[TRAIN_SENTENCES], sentences[EVAL_SENTENCES], sentences[TEST_SENTENCES]

    workdir.mkdir(parents=True, exist_ok=True)
    train_file, dev_file = workdir / "train.conllu", workdir / "dev.conllu"
    write_conllu(train_file, train)
    write_conllu(dev_file, dev)
    save_dir = workdir / "saved"

    with _quiet_single_thread():
        from stanza.models import lemmatizer, tagger  # here, so collecting tests stays cheap

        vec_txt = workdir / "vectors.txt"
        write_word2vec_text(vec_txt, count_vectors([s.forms for s in train]))
        pretrain_pt = build_pretrain(vec_txt, workdir / "fa_tiny.pretrain.pt")

        pos_name = "fa_tiny_tagger.pt"
        tagger.main([
            "--mode", "train",
            "--lang", "fa",
            "--shorthand", "fa_perdt",
            "--train_file", str(train_file),
            "--eval_file", str(dev_file),
            "--wordvec_pretrain_file", str(pretrain_pt),
            "--save_dir", str(save_dir),
            "--save_name", pos_name,
            *TINY_POS_ARGS,
            *(extra_pos_args or []),
        ])
        # a dictionary lemmatizer: no neural training, just (word, UPOS) -> lemma tables
        lemma_name = "fa_tiny_lemmatizer.pt"
        lemmatizer.main([
            "--mode", "train",
            "--shorthand", "fa_perdt",
            "--dict_only",
            "--train_file", str(train_file),
            "--eval_file", str(dev_file),
            "--save_dir", str(save_dir),
            "--save_name", lemma_name,
            "--cpu",
        ])
    pos_model, lemma_model = save_dir / pos_name, save_dir / lemma_name
    for path in (pos_model, lemma_model):
        if not path.is_file():
            raise RuntimeError(f"stanza training did not write {path}")
    return TinyModel(
        pos_model_path=pos_model,
        pos_pretrain_path=pretrain_pt,
        lemma_model_path=lemma_model,
        workdir=workdir,
        train_sentences=train,
        test_sentences=test,
        seconds=time.perf_counter() - started,
    )


class NetworkUsed(AssertionError):
    pass


def offline(mp, resources: Path) -> None:
    """Any attempt at the network fails loudly; stanza's resources folder is `resources`
    (`mp`: a pytest MonkeyPatch), so no test reads or fetches stanza's default models."""
    import socket

    mp.setenv("STANZA_RESOURCES_DIR", str(resources))
    mp.setenv("HF_HUB_OFFLINE", "1")

    def refuse(*args, **kwargs):
        raise NetworkUsed(f"the network was used: {args!r}")

    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket.socket, "connect_ex", refuse)
    mp.setattr(socket, "create_connection", refuse)
    mp.setattr(socket, "getaddrinfo", refuse)
    try:
        import requests
    except ImportError:  # pragma: no cover - stanza depends on requests
        return
    mp.setattr(requests.Session, "request", refuse)


def trained_offline(tmp_path_factory, folder: str, train):
    """`train(workdir)` run once per session in a fresh folder, offline."""
    import pytest

    workdir = tmp_path_factory.mktemp(folder)
    with pytest.MonkeyPatch.context() as mp:
        offline(mp, workdir / "stanza_resources")
        return train(workdir)
