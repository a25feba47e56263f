"""POS tags and lemmas from stanza (https://stanfordnlp.github.io/stanza/).

Official models live in ``<models_dir()>/stanza``, in the layout
``stanza.download(lang, model_dir=...)`` produces::

    models/stanza/resources.json
    models/stanza/fa/pos/<package>.pt
    models/stanza/fa/lemma/<package>.pt
    models/stanza/fa/pretrain/<package>.pt  ...

Nothing is ever downloaded while tagging (``download_method=None``); on a machine
that is online, `download_stanza` (``extract models download stanza --lang fa``)
fetches them once.

A locally trained model that has no ``resources.json`` is loaded with explicit
paths, the same keyword arguments stanza's Pipeline takes::

    StanzaTagger.load("fa", directory=tmp,
                      pos_model_path="fa_tagger.pt", pos_pretrain_path="fa.pretrain.pt",
                      lemma_model_path="fa_lemmatizer.pt")   # optional

Without a lemmatizer the lemma of a token is the token itself.

Input is always pre-tokenized (``tokenize_pretokenized=True``): stanza neither
re-splits tokens nor expands multi-word tokens, so every token given gets exactly
one (UPOS, lemma) pair back.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Sequence

from ..errors import ExtractError
from ..models import models_dir, sha256_file

STANZA_SUBDIR = "stanza"
DEFAULT_DOWNLOAD_PROCESSORS = "tokenize,mwt,pos,lemma,ner"
UD_UPOS = frozenset(
    "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split()
)
_PIPELINE_DEFAULTS: dict[str, Any] = {
    "tokenize_pretokenized": True,
    "download_method": None,
    "use_gpu": False,
    "logging_level": "WARN",
}


def stanza_dir(directory: str | os.PathLike[str] | None = None) -> Path:
    """The stanza resources folder: `directory`, else ``<models_dir()>/stanza``."""
    return Path(directory) if directory is not None else models_dir() / STANZA_SUBDIR


def _resources(root: Path) -> dict | None:
    try:
        data = json.loads((root / "resources.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _resolve_lang(resources: dict, lang: str) -> str | None:
    seen = set()
    while lang in resources and isinstance(resources[lang], dict) and "alias" in resources[lang]:
        if lang in seen:
            return None
        seen.add(lang)
        lang = resources[lang]["alias"]
    return lang if isinstance(resources.get(lang), dict) else None


def _default_package(resources: dict, lang: str, processor: str) -> str | None:
    """The package `stanza.Pipeline(lang, package="default")` would use for `processor`."""
    lang_res = resources[lang]
    package = lang_res.get("packages", {}).get("default", {}).get(processor)
    if package is None:
        package = lang_res.get("default_processors", {}).get(processor)
    return package if isinstance(package, str) else None


def official_model(root: Path, lang: str, processor: str) -> Path | None:
    """The file of the default `processor` model for `lang` under `root`, if it is there."""
    resources = _resources(root)
    if resources is None:
        return None
    resolved = _resolve_lang(resources, lang)
    if resolved is None:
        return None
    package = _default_package(resources, resolved, processor)
    if package is None or package == "identity":
        return None
    path = root / resolved / processor / f"{package}.pt"
    return path if path.is_file() else None


def available(lang: str, directory: str | os.PathLike[str] | None = None) -> bool:
    """Are the official stanza POS models for `lang` in place (no download needed)?"""
    return official_model(stanza_dir(directory), lang, "pos") is not None



class StanzaTagger:
    """A `Tagger` backed by a stanza Pipeline (tokenize[pretokenized] + pos [+ lemma])."""

    def __init__(self, pipeline: Any, lang: str, pos_model_path: Path, has_lemma: bool) -> None:
        limit_torch_threads()
        self._pipeline = pipeline
        self.lang = lang
        self.pos_model_path = Path(pos_model_path)
        self.has_lemma = has_lemma
        self.source = f"model:stanza-{lang}-pos@{sha256_file(self.pos_model_path)[:8]}"

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, lang: str, directory: str | os.PathLike[str] | None = None, **overrides: Any) -> "StanzaTagger":
        """Build the tagger for `lang`.

        `directory` is the stanza resources folder (default ``<models_dir()>/stanza``).
        `overrides` go to ``stanza.Pipeline``; ``pos_model_path`` (with
        ``pos_pretrain_path``, and optionally ``lemma_model_path``) loads a custom
        model, which needs no ``resources.json``.  Missing models raise E203.
        """
        root = stanza_dir(directory)
        custom_pos = overrides.get("pos_model_path")
        if custom_pos is not None:
            return cls._load_custom(lang, root, overrides)

        pos_model = official_model(root, lang, "pos")
        if pos_model is None:
            raise ExtractError("E203", lang=lang, directory=str(root))
        has_lemma = "lemma_model_path" in overrides or official_model(root, lang, "lemma") is not None
        processors = "tokenize,pos,lemma" if has_lemma else "tokenize,pos"
        kwargs = {**_PIPELINE_DEFAULTS, "processors": processors, **overrides}
        pipeline = cls._pipeline_or_e203(lang, root, kwargs)
        model_path = Path(pipeline.processors["pos"].config.get("model_path", pos_model))
        return cls(pipeline, lang, model_path, has_lemma="lemma" in pipeline.processors)

    @classmethod
    def _load_custom(cls, lang: str, root: Path, overrides: dict[str, Any]) -> "StanzaTagger":
        overrides = dict(overrides)
        for key in ("pos_model_path", "pos_pretrain_path", "pos_forward_charlm_path", "pos_backward_charlm_path",
                    "lemma_model_path", "lemma_pretrain_path"):
            value = overrides.get(key)
            if value is None:
                overrides.pop(key, None)
                continue
            path = Path(value)
            if not path.is_file():
                raise ExtractError("E203", lang=lang, directory=str(path.parent))
            overrides[key] = str(path)
        has_lemma = "lemma_model_path" in overrides
        processors = "tokenize,pos,lemma" if has_lemma else "tokenize,pos"
        kwargs = {**_PIPELINE_DEFAULTS, "processors": processors, **overrides}

        pipeline = custom_pipeline(lang, root, kwargs)
        return cls(pipeline, lang, Path(overrides["pos_model_path"]), has_lemma="lemma" in pipeline.processors)

    @staticmethod
    def _pipeline_or_e203(lang: str, root: Path, kwargs: dict[str, Any]) -> Any:
        return pipeline_or_e203(lang, root, kwargs)

    # ------------------------------------------------------------------ tagging

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[str, str]]]:
        """(UPOS, lemma) for every token of every sentence, in order."""
        sentences = [list(sentence) for sentence in sentences]
        result: list[list[tuple[str, str]]] = [[] for _ in sentences]
        # stanza fails on an empty sentence (IndexError) and on an empty token
        # (ValueError): empty sentences are skipped, empty tokens get a placeholder
        todo = [i for i, sentence in enumerate(sentences) if sentence]
        if not todo:
            return result
        batch = [[_stanza_token(token) for token in sentences[i]] for i in todo]
        doc = self._pipeline(batch)
        assert len(doc.sentences) == len(batch), (
            f"stanza returned {len(doc.sentences)} sentences for {len(batch)}"
        )
        for i, sent in zip(todo, doc.sentences):
            tokens = sentences[i]
            words = sent.words
            assert len(words) == len(tokens), (
                f"stanza returned {len(words)} words for {len(tokens)} tokens: {tokens!r}"
            )
            pairs = []
            for token, word in zip(tokens, words):
                if not token:
                    pairs.append(("X", token))
                    continue
                upos = word.upos if word.upos in UD_UPOS else "X"
                lemma = word.lemma if self.has_lemma else None
                if not lemma or (lemma == "_" and token != "_"):  # stanza writes '_' for an empty lemma
                    lemma = token
                pairs.append((upos, lemma))
            result[i] = pairs
        return result

    def tag_proba(self, sentences: Sequence[Sequence[str]]) -> tuple[list[str], list[Any]]:
        """UPOS probabilities of every token: (labels, one float array [tokens, labels] per sentence).

        stanza's Pipeline only keeps the argmax, so the tagger's `predict` is wrapped for
        the call: a forward hook on the UPOS classifier catches the scores of each batch
        (packed, time-major, sentences sorted by length), which are padded back to
        sentences, softmaxed and put back in input order the way stanza orders its
        predictions (`orig_idx` within a batch, the batch's index list across batches).
        An empty sentence gets a (0, labels) array.
        """
        import numpy as np
        import torch
        from stanza.models.common.utils import unsort
        from torch.nn.utils.rnn import PackedSequence, pad_packed_sequence

        processor = self._pipeline.processors["pos"]
        trainer = processor.trainer
        vocab = trainer.vocab["upos"]
        ids = [i for i in range(len(vocab)) if vocab.unmap([i])[0] in UD_UPOS]
        labels = [vocab.unmap([i])[0] for i in ids]
        sentences = [list(sentence) for sentence in sentences]
        result: list[Any] = [np.zeros((0, len(labels)), dtype=np.float32) for _ in sentences]
        todo = [i for i, sentence in enumerate(sentences) if sentence]
        if not todo:
            return labels, result

        captured: list[Any] = []
        batches: list[tuple[list[int], list[Any]]] = []
        original = trainer.predict

        def predict(batch, *args, **kwargs):
            captured.clear()
            out = original(batch, *args, **kwargs)
            lens = list(batch.lens)
            sizes = torch.tensor([sum(1 for n in lens if n > t) for t in range(max(lens))])
            padded = pad_packed_sequence(PackedSequence(captured[-1], sizes), batch_first=True)[0]
            probs = torch.softmax(padded[:, :, ids].float(), dim=-1).cpu().numpy()
            per_sentence = [probs[k, :n] for k, n in enumerate(lens)]
            batches.append((list(batch[-1]), unsort(per_sentence, batch.orig_idx)))
            return out

        hook = trainer.model.upos_clf.register_forward_hook(lambda module, inputs, output: captured.append(output))
        trainer.predict = predict
        try:
            self._pipeline([[_stanza_token(token) for token in sentences[i]] for i in todo])
        finally:
            trainer.predict = original
            hook.remove()
        order = [i for idx, _ in batches for i in idx]
        arrays = unsort([a for _, sent in batches for a in sent], order)
        assert len(arrays) == len(todo), f"stanza returned {len(arrays)} sentences for {len(todo)}"
        for i, array in zip(todo, arrays):
            assert len(array) == len(sentences[i]), "stanza changed the number of tokens"
            result[i] = array
        return labels, result

    def __repr__(self) -> str:
        return f"StanzaTagger({self.lang!r}, source={self.source!r})"


def pipeline_or_e203(lang: str, root: Path, kwargs: dict[str, Any]) -> Any:
    """``stanza.Pipeline(lang, dir=root, **kwargs)``; a missing model file is E203."""
    import stanza  # deferred: importing stanza (and torch) takes seconds

    try:
        return stanza.Pipeline(lang=lang, dir=str(root), **kwargs)
    except FileNotFoundError as exc:  # incl. stanza's LanguageNotDownloadedError
        raise ExtractError("E203", lang=lang, directory=str(root)) from exc


def custom_pipeline(lang: str, root: Path, kwargs: dict[str, Any]) -> Any:
    """A Pipeline of locally trained models given by explicit ``<processor>_model_path``
    arguments, with or without an official layout (``resources.json``) in `root`."""
    resources = _resources(root)
    if resources is not None and _resolve_lang(resources, lang) is not None:
        # an official layout is there too: stanza resolves the rest, the paths override
        return pipeline_or_e203(lang, root, kwargs)
    # no resources.json (or it does not know the language): stanza still needs one to
    # read, so give it an empty one and let it build the processors named in
    # `processors` from the explicit paths alone.
    handle, resources_path = tempfile.mkstemp(prefix="stanza-resources-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("{}")
        kwargs = {"resources_filepath": resources_path, "allow_unknown_language": True, **kwargs}
        stanza_logger = logging.getLogger("stanza")
        stanza_logger.addFilter(_not_unsupported_language)
        try:
            return pipeline_or_e203(lang, root, kwargs)
        finally:
            stanza_logger.removeFilter(_not_unsupported_language)
    finally:
        os.unlink(resources_path)


def limit_torch_threads() -> None:
    """One torch thread unless $EXTRACT_TORCH_THREADS says otherwise: the pipeline tags one
    document at a time (small batches gain little from intra-op threads), and on a busy
    2-core machine two threads made the Persian pipeline 10x slower (0.34 vs 4.0 docs/s)."""
    import torch

    try:
        threads = int(os.environ.get("EXTRACT_TORCH_THREADS", "1"))
    except ValueError:
        threads = 1
    if threads > 0 and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def _not_unsupported_language(record: logging.LogRecord) -> bool:
    """Drops stanza's "unsupported language" warning, which a custom model without a
    resources.json always triggers and which says nothing useful then."""
    return not str(record.msg).startswith("Trying to create pipeline for unsupported language")


def _stanza_token(token: str) -> str:
    """What stanza sees for a token: stanza rejects an empty token (ValueError), so
    it gets a placeholder; anything else, whitespace included, passes unchanged."""
    return str(token) or "_"


def download_stanza(
    lang: str,
    directory: str | os.PathLike[str] | None = None,
    processors: str = DEFAULT_DOWNLOAD_PROCESSORS,
) -> Path:
    """Download the official stanza models for `lang` (needs network); E204 on any failure."""
    root = stanza_dir(directory)
    try:
        import stanza

        root.mkdir(parents=True, exist_ok=True)
        stanza.download(lang, model_dir=str(root), processors=processors, logging_level="INFO")
    except Exception as exc:  # network, disk, unknown language, ...
        raise ExtractError("E204", lang=lang, detail=f"{type(exc).__name__}: {exc}") from exc
    return root
