"""CRF + stanza: the two taggers' per-token UPOS probabilities, combined log-linearly.

The CRF (`tagger-<lang>-crf`) and the stanza BiLSTM (`tagger-<lang>-stanza`) make
different mistakes (on fa_perdt-test each is right on ~600 tokens where the other is
wrong), so the tag of a token is

    argmax_tag  w * log P_crf(tag) + (1 - w) * log P_stanza(tag)

with P_crf the CRF's marginal (forward-backward) probability and P_stanza the softmax of
stanza's UPOS scores.  `w` is tuned on held-out sentences (`train_ensemble`) and lives in
`tagger-<lang>-ensemble/config.json`, with the names of the two component models.
Lemmas come from the CRF's lemma table, looked up with the combined tag.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any, Sequence

from ..errors import ExtractError
from ..models import load_model, models_dir
from .crf import CRFTagger

log = logging.getLogger(__name__)

CONFIG_FILE = "config.json"
FLOOR = 1e-6  # probabilities are floored before the log: one model's certainty is not a veto


def ensemble_name(lang: str) -> str:
    return f"tagger-{lang}-ensemble"


def available(lang: str, directory: Path | str | None = None) -> bool:
    """Is there an ensemble config for `lang` (the component models are checked on load)?"""
    root = Path(directory) if directory is not None else models_dir()
    return (root / ensemble_name(lang) / "manifest.json").is_file()


def combine(labels_a: Sequence[str], probs_a: Any, labels_b: Sequence[str], probs_b: Any,
            weight: float) -> list[str]:
    """The tag of each token maximizing `weight*log(a) + (1-weight)*log(b)`.

    `probs_*` are arrays [tokens, labels] over their own label lists; a label only one
    model knows gets the floor probability from the other.
    """
    import numpy as np

    labels = sorted(set(labels_a) | set(labels_b))
    n = len(probs_a)
    score = np.zeros((n, len(labels)))
    for w, names, probs in ((weight, labels_a, probs_a), (1.0 - weight, labels_b, probs_b)):
        full = np.full((n, len(labels)), FLOOR)
        if n:
            cols = [labels.index(name) for name in names]
            full[:, cols] = np.maximum(np.asarray(probs, dtype=np.float64), FLOOR)
        score += w * np.log(full / full.sum(axis=1, keepdims=True))
    return [labels[k] for k in score.argmax(axis=1)] if n else []


class EnsembleTagger:
    """A `Tagger`: CRF marginals and stanza probabilities combined, CRF lemmas."""

    def __init__(self, crf: CRFTagger, stanza: Any, weight: float, source: str) -> None:
        self.crf = crf
        self.stanza = stanza
        self.weight = weight
        self.lang = crf.lang
        self.source = source

    @classmethod
    def load(cls, lang: str, directory: Path | str | None = None) -> "EnsembleTagger":
        """Load `tagger-<lang>-ensemble` and its two components from `directory` (default:
        the models folder).  Missing pieces raise E201, damaged ones E202."""
        from .stanza_backend import StanzaTagger

        root = Path(directory) if directory is not None else models_dir()
        name = ensemble_name(lang)
        info = load_model(name, root)
        try:
            config = json.loads(info.file(CONFIG_FILE).read_text(encoding="utf-8"))
            weight = float(config["crf_weight"])
            stanza_name = config["stanza_model"]
            files = config["stanza_files"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ExtractError("E202", name=name, directory=str(root), detail=f"unreadable {CONFIG_FILE} ({exc})") from exc
        crf = CRFTagger.load(lang, root)
        stanza_info = load_model(stanza_name, root)
        try:
            stanza = StanzaTagger.load(
                lang, directory=stanza_info.path,
                pos_model_path=stanza_info.file(files["pos"]), pos_pretrain_path=stanza_info.file(files["pretrain"]),
            )
        except ExtractError as exc:
            raise ExtractError("E202", name=stanza_name, directory=str(root), detail=str(exc)) from exc
        digest = hashlib.sha256(f"{info.source};{crf.source};{stanza_info.source}".encode()).hexdigest()[:8]
        return cls(crf, stanza, weight, f"model:{name}@{digest}")

    def tag_upos(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        sentences = [list(s) for s in sentences]
        crf = [self.crf.marginals(s) for s in sentences]
        stanza_labels, stanza_probs = self.stanza.tag_proba(sentences)
        return [combine(labels, probs, stanza_labels, sp, self.weight)
                for (labels, probs), sp in zip(crf, stanza_probs)]

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[str, str]]]:
        sentences = [list(s) for s in sentences]
        tags = self.tag_upos(sentences)
        return [[(t, self.crf.lemmas.lemma(f, t)) for f, t in zip(forms, ts)] for forms, ts in zip(sentences, tags)]

    def __repr__(self) -> str:
        return f"EnsembleTagger({self.lang!r}, weight={self.weight}, source={self.source!r})"
