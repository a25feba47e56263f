"""The NER model at run time: `models/ner-<lang>-crf/` → typed spans on a Doc."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from ..errors import ExtractError
from ..lang import get_language
from ..models import load_model
from .features import CLUSTER_FILE, EMB_FILE, EXTRAS, FEATURE_VERSION, GAZETTEER_FILE, SHARES_FILE, Featurizer, load_tsv

MODEL_FILE = "model.crfsuite"
CONFIG_FILE = "config.json"


def featurizer_for(lang: str, clusters: dict, gazetteer: dict, shares: dict | None = None,
                   upos: bool = False, emb: dict | None = None) -> Featurizer:
    profile = get_language(lang)
    readings = profile.token_features.get("proclitic_stems")

    def stems(word: str) -> list[str]:
        return [stem for _, stem in readings(word)] if readings else []

    def key(word: str) -> str:  # the gazetteer's key (stages/actors_lexicon.Keyer.token)
        return profile.match_key(word).replace("\u200c", "")

    return Featurizer(clusters, gazetteer, stems, key, shares, upos, emb)


def decode_labels(labels: Sequence[str]) -> list[tuple[int, int, str, int]]:
    """BIO labels → (first token, end token exclusive, type, characters to trim); an
    I- without a B- of the same type starts a span (CRFs rarely do it, but may)."""
    out: list[list] = []
    for i, label in enumerate(labels):
        if label == "O":
            continue
        tag, _, rest = label.partition("-")
        kind, _, trim = rest.partition("|")
        if tag == "I" and out and out[-1][1] == i and out[-1][2] == kind:
            out[-1][1] = i + 1
        else:
            out.append([i, i + 1, kind, int(trim or 0)])
    return [tuple(x) for x in out]


class NERModel:
    def __init__(self, lang: str, folder: Path, source: str, extras: Sequence[str] = ()) -> None:
        import pycrfsuite

        self.lang = lang
        self.source = source
        shares = load_tsv(folder / SHARES_FILE) if "shares" in extras else None
        self.features = featurizer_for(lang, load_tsv(folder / CLUSTER_FILE), load_tsv(folder / GAZETTEER_FILE),
                                       shares, "upos" in extras,
                                       load_tsv(folder / EMB_FILE) if "emb" in extras else None)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(folder / MODEL_FILE))

    @classmethod
    def load(cls, lang: str, directory: Path | str | None = None) -> "NERModel":
        name = f"ner-{lang}-crf"
        info = load_model(name, Path(directory) if directory is not None else None)
        try:
            config = json.loads(info.file(CONFIG_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ExtractError("E202", name=name, directory=str(info.path.parent), detail=str(exc)) from exc
        unknown = set(config.get("extras", ())) - set(EXTRAS)
        if unknown:
            raise ExtractError("E202", name=name, directory=str(info.path.parent),
                               detail=f"unknown feature extras {sorted(unknown)}")
        if config.get("feature_version") != FEATURE_VERSION:
            raise ExtractError("E202", name=name, directory=str(info.path.parent),
                               detail=f"feature version {config.get('feature_version')}, code {FEATURE_VERSION}")
        return cls(lang, info.path, info.source, config.get("extras", ()))

    @property
    def vocabulary(self) -> dict:
        """Known words in raw-text frequency order (the word clusters): the actors stage's
        common words and known stems."""
        return self.features.clusters

    def tag_words(self, words: Sequence[str], tags: Sequence[str] | None = None) -> list[tuple[int, int, str, float, int]]:
        """(first word, end word, type, confidence, trim) in one sentence of normalized words
        (`tags`: their UPOS, for a model trained with them)."""
        if not words:
            return []
        labels = self._tagger.tag(self.features.sentence(words, tags))
        out = []
        for a, b, kind, trim in decode_labels(labels):
            # confidence: the mean marginal probability of the span's labels
            conf = sum(self._tagger.marginal(labels[k], k) for k in range(a, b)) / (b - a)
            out.append((a, b, kind, conf, trim))
        return out
