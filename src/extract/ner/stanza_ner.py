"""The stanza NER backend: typed spans from a stanza BiLSTM-CRF NER model.

Two kinds of model, tried in this order by `StanzaNER.load`:

* official stanza models in ``<models>/stanza`` (the layout ``stanza.download`` writes,
  fetched by ``extract models download stanza --lang fa``): Persian is trained on
  ArmanPersoNER, Arabic on AQMAR; their labels are mapped to the spec's types by
  ``lang/<code>/ner_stanza.yaml``;
* a model trained here, ``<models>/ner-<lang>-stanza/`` (``python -m
  extract.ner.train_stanza``): ``ner.pt`` + ``pretrain.pt`` with a checksummed manifest.

Nothing is ever downloaded (``download_method=None``).  Input is the actors stage's own
normalized tokens, pre-tokenized, so the spans it returns are token indices that the
stage maps back to raw offsets exactly as it does for the CRF.

Confidence of a span: the mean, over its tokens, of the CRF marginal probability that the
token is inside an entity of that type (forward-backward over the model's emission and
transition scores; the CRF model's confidence is defined the same way).
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import yaml

from ..errors import ExtractError
from ..lang import get_language
from ..models import load_model, models_dir, sha256_file

MODEL_FILE = "ner.pt"
PRETRAIN_FILE = "pretrain.pt"
KIND = "stanza-ner"
_PIPELINE = {"tokenize_pretokenized": True, "download_method": None, "use_gpu": False,
             "logging_level": "WARN", "processors": "tokenize,ner"}


def model_name(lang: str) -> str:
    return f"ner-{lang}-stanza"


@lru_cache(maxsize=None)
def type_map(lang: str) -> dict[str, str]:
    """stanza label → actor type, from ``lang/<code>/ner_stanza.yaml``."""
    path = get_language(lang).directory / "ner_stanza.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return dict((data or {}).get("types", {}))


def _official(lang: str, root: Path) -> Path | None:
    from ..tagging.stanza_backend import official_model

    return official_model(root / "stanza", lang, "ner")


def available(lang: str, directory: str | os.PathLike[str] | None = None) -> bool:
    """Is there a stanza NER model for `lang` (official or trained here) in the models folder?"""
    root = Path(directory) if directory is not None else models_dir()
    return _official(lang, root) is not None or (root / model_name(lang) / "manifest.json").is_file()



def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    top = x.max(axis=axis, keepdims=True)
    return np.squeeze(top, axis) + np.log(np.exp(x - top).sum(axis=axis))


def crf_marginals(scores: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """P(tag of token t = j) under stanza's linear-chain CRF (``viterbi_decode``'s model:
    emission `scores` [T, K], `trans[i, j]` from tag i to tag j, no start/end scores)."""
    n = len(scores)
    alpha = np.empty_like(scores)
    beta = np.zeros_like(scores)
    alpha[0] = scores[0]
    for t in range(1, n):
        alpha[t] = _logsumexp(alpha[t - 1][:, None] + trans, 0) + scores[t]
    for t in range(n - 2, -1, -1):
        beta[t] = _logsumexp(trans + (scores[t + 1] + beta[t + 1])[None, :], 1)
    log_z = _logsumexp(alpha[-1], 0)
    return np.exp(alpha + beta - log_z)


def decode_bioes(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first, end exclusive, label type) of each entity in BIOES (or BIO) labels; a stray
    I-/E- without its B- starts a span, as stanza's own `build_ents` does."""
    spans: list[list] = []
    open_span = False
    for i, label in enumerate(labels):
        tag, _, kind = label.partition("-")
        if tag not in ("B", "I", "E", "S") or not kind:
            open_span = False
            continue
        if tag in ("I", "E") and open_span and spans[-1][2] == kind:
            spans[-1][1] = i + 1
        else:
            spans.append([i, i + 1, kind])
        open_span = tag in ("B", "I")
    return [tuple(s) for s in spans]


class StanzaNER:
    """The NER-model interface of the actors stage (`tag_words`, `tag_sentences`,
    `source`, `vocabulary`), backed by a stanza Pipeline (tokenize[pretokenized] + ner)."""

    def __init__(self, pipeline: Any, lang: str, model_path: Path, kind: str) -> None:
        from ..tagging.stanza_backend import limit_torch_threads

        limit_torch_threads()
        self._pipeline = pipeline
        self.lang = lang
        self.kind = kind  # "official" or "trained"
        self.model_path = Path(model_path)
        self.source = f"model:stanza-ner-{lang}@{sha256_file(self.model_path)[:8]}"
        self.types = type_map(lang)
        processor = pipeline.processors["ner"]
        self._trainer = processor.trainers[0]  # official multi-model packages: the first one decides
        vocab = self._trainer.vocab
        tags = vocab["tag"]
        self._column = self._trainer.args.get("predict_tagset") or 0
        labels = list(tags.items(self._column)) if hasattr(tags, "items") else list(tags._id2unit)
        # per entity label, the tag ids inside it (B- I- E- S-): a token's probability of
        # being inside an entity of that type is their marginals' sum
        self._inside: dict[str, list[int]] = {}
        for k, name in enumerate(labels):
            if name[:2] in ("B-", "I-", "E-", "S-"):
                self._inside.setdefault(name[2:], []).append(k)
        # known words in the order of the word vectors (frequency order for word2vec/fastText
        # files): the actors stage takes its common words and known stems from it
        words = vocab._vocabs.get("word") if hasattr(vocab, "_vocabs") else None
        from stanza.models.common.vocab import VOCAB_PREFIX_SIZE

        units = list(getattr(words, "_id2unit", []))[VOCAB_PREFIX_SIZE:] if words is not None else []
        self.vocabulary: dict[str, int] = {w: i for i, w in enumerate(units)}

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, lang: str, directory: str | os.PathLike[str] | None = None) -> "StanzaNER":
        """Official models in ``<directory>/stanza`` if present, else ``<directory>/ner-<lang>-stanza``
        (checked against its manifest: E202 when damaged); neither is E205."""
        from ..tagging.stanza_backend import custom_pipeline, pipeline_or_e203

        root = Path(directory) if directory is not None else models_dir()
        official = _official(lang, root)
        if official is not None:
            pipeline = pipeline_or_e203(lang, root / "stanza", dict(_PIPELINE))
            paths = getattr(pipeline.processors["ner"], "model_paths", None) or [official]
            return cls(pipeline, lang, Path(paths[0]), "official")
        if not (root / model_name(lang) / "manifest.json").is_file():
            raise ExtractError("E205", lang=lang, directory=str(root))
        info = load_model(model_name(lang), root)
        model = info.file(info.manifest.get("ner_model", MODEL_FILE))
        pretrain = info.file(info.manifest.get("pretrain", PRETRAIN_FILE))
        kwargs = {**_PIPELINE, "ner_model_path": str(model)}
        if pretrain.is_file():
            kwargs["ner_pretrain_path"] = str(pretrain)
        pipeline = custom_pipeline(lang, info.path, kwargs)
        return cls(pipeline, lang, model, "trained")

    # ------------------------------------------------------------------ tagging

    def tag_words(self, words: Sequence[str], tags: Sequence[str] | None = None) -> list[tuple[int, int, str, float, int]]:
        """(first word, end word, type, confidence, trim) in one sentence of normalized words."""
        return self.tag_sentences([words])[0]

    def tag_sentences(self, sentences: Sequence[Sequence[str]], tags: Sequence[Sequence[str]] | None = None
                      ) -> list[list[tuple[int, int, str, float, int]]]:
        """`tag_words` for many sentences in one stanza call (much cheaper than one by one;
        `tags` are not read)."""
        out: list[list] = [[] for _ in sentences]
        todo = [i for i, s in enumerate(sentences) if len(s)]
        if not todo:
            return out
        # stanza rejects an empty token; whitespace-only tokens are not content tokens anyway
        batch = [[w or "_" for w in sentences[i]] for i in todo]
        labels, marginals = self._predict(batch)
        for i, tags, probs in zip(todo, labels, marginals):
            assert len(tags) == len(sentences[i]), "stanza changed the number of tokens"
            for a, b, label in decode_bioes(tags):
                kind = self.types.get(label)
                if kind is None:
                    continue
                columns = self._inside.get(label)
                conf = float(probs[a:b, columns].sum(axis=1).mean()) if columns else 0.5
                out[i].append((a, b, kind, round(min(1.0, conf), 4), 0))
        return out

    def _predict(self, batch: list[list[str]]) -> tuple[list[list[str]], list[np.ndarray]]:
        """Labels (stanza's own Viterbi decoding) and tag marginals of every sentence, in order.

        stanza's processor only keeps the labels, so the trainer's `predict` is wrapped for
        the call: a forward hook catches each batch's emission scores and transitions, and
        the marginals are put back in input order the way `predict` unsorts its labels."""
        from stanza.models.common.utils import unsort

        trainer = self._trainer
        column = self._column
        captured: list[Any] = []
        marginals: list[np.ndarray] = []
        original = trainer.predict

        def predict(b, unsort_batch=True):
            captured.clear()
            tags = original(b, unsort=False)
            _, logits, trans = captured[-1]
            scores = logits[column].detach().cpu().numpy()
            transition = trans[column].detach().cpu().numpy()
            probs = [crf_marginals(scores[k, :len(t)], transition) for k, t in enumerate(tags)]
            orig_idx = b[5]
            marginals.extend(unsort(probs, orig_idx) if unsort_batch else probs)
            return unsort(tags, orig_idx) if unsort_batch else tags

        hook = trainer.model.register_forward_hook(lambda module, inputs, output: captured.append(output))
        trainer.predict = predict
        try:
            doc = self._pipeline(batch)
        finally:
            trainer.predict = original
            hook.remove()
        labels = [[token.ner or "O" for token in sent.tokens] for sent in doc.sentences]
        assert len(labels) == len(batch) == len(marginals), "stanza returned a different number of sentences"
        return labels, marginals

    def __repr__(self) -> str:
        return f"StanzaNER({self.lang!r}, {self.kind}, source={self.source!r})"
