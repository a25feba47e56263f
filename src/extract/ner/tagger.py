"""The NER model at run time: `models/ner-<lang>-crf/` → typed spans on a Doc."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from ..errors import ExtractError
from ..lang import get_language
from ..models import load_model
from .stacked import STAGE2_FILE, STAGE2_VERSION, Stage1Output, decode_labels, document_features, run_stage1
from .features import CLUSTER_FILE, EMB_FILE, EXTRAS, FEATURE_VERSION, GAZETTEER_FILE, SHARES_FILE, Featurizer, load_tsv

MODEL_FILE = "model.crfsuite"
CONFIG_FILE = "config.json"


def featurizer_for(lang: str, clusters: dict, gazetteer: dict, shares: dict | None = None,
                   upos: bool = False, emb: dict | None = None, doc: bool = False) -> Featurizer:
    profile = get_language(lang)
    readings = profile.token_features.get("proclitic_stems")

    def stems(word: str) -> list[str]:
        return [stem for _, stem in readings(word)] if readings else []

    def key(word: str) -> str:  # the gazetteer's key (stages/actors_lexicon.Keyer.token)
        return profile.match_key(word).replace("\u200c", "")

    return Featurizer(clusters, gazetteer, stems, key, shares, upos, emb, doc)


class NERModel:
    def __init__(self, lang: str, folder: Path, source: str, extras: Sequence[str] = (), stacked: bool = False) -> None:
        import pycrfsuite

        self.lang = lang
        self.source = source
        shares = load_tsv(folder / SHARES_FILE) if "shares" in extras else None
        self.features = featurizer_for(lang, load_tsv(folder / CLUSTER_FILE), load_tsv(folder / GAZETTEER_FILE),
                                       shares, "upos" in extras,
                                       load_tsv(folder / EMB_FILE) if "emb" in extras else None, "doc" in extras)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(folder / MODEL_FILE))
        self.features.keep_only(frozenset(attr for attr, _ in self._tagger.info().state_features))
        self._stage2 = None  # the two-stage model's second CRF (stacked.py), when trained
        if stacked:
            self._stage2 = pycrfsuite.Tagger()
            self._stage2.open(str(folder / STAGE2_FILE))

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
        if config.get("stacked") not in (None, STAGE2_VERSION):
            raise ExtractError("E202", name=name, directory=str(info.path.parent),
                               detail=f"stage-2 version {config.get('stacked')}, code {STAGE2_VERSION}")
        return cls(lang, info.path, info.source, config.get("extras", ()), bool(config.get("stacked")))

    @property
    def vocabulary(self) -> dict:
        """Known words in raw-text frequency order (the word clusters): the actors stage's
        common words and known stems."""
        return self.features.clusters

    def tag_words(self, words: Sequence[str], tags: Sequence[str] | None = None) -> list[tuple[int, int, str, float, int]]:
        """(first word, end word, type, confidence, trim) in one sentence of normalized words
        (`tags`: their UPOS, for a model trained with them).  A two-stage model reads the
        sentence as a document of one sentence: `tag_sentences` gives it the others."""
        return self.tag_sentences([words], [tags] if tags is not None else None)[0]

    def tag_sentences(self, sentences: Sequence[Sequence[str]], tags: Sequence[Sequence[str]] | None = None
                      ) -> list[list[tuple[int, int, str, float, int]]]:
        """`tag_words` for the sentences of one document (the second stage of a two-stage
        model reads what the first found in the other sentences)."""
        cues = self.features.document_cues(sentences)
        if self._stage2 is None:  # one sentence at a time: no document's worth of features held
            return [self._spans(self._tagger, self._tagger.tag(self.features.sentence(words, tags[k] if tags else None, cues)))
                    if words else [] for k, words in enumerate(sentences)]
        first = [run_stage1(self._tagger, self.features.sentence(words, tags[k] if tags else None, cues) if words else [])
                 for k, words in enumerate(sentences)]
        second = document_features(sentences, first)
        return [self._spans(self._stage2, self._stage2.tag(f), first[k]) if sentences[k] else []
                for k, f in enumerate(second)]

    @staticmethod
    def _spans(tagger, labels: Sequence[str], first: Stage1Output | None = None) -> list[tuple[int, int, str, float, int]]:
        """Spans of a label sequence, with a confidence: the mean marginal probability of
        the span's labels; in a two-stage model the higher of the two stages' where they
        agree (stage 2, trained on jackknifed input, is the less sure; the actors stage's
        thresholds read stage 1's scale)."""
        out = []
        for a, b, kind, trim in decode_labels(labels):
            probs = [tagger.marginal(labels[k], k) for k in range(a, b)]
            if first is not None:
                probs = [max(p, first.p_label[k] if first.labels[k] == labels[k] else 0.0)
                         for k, p in zip(range(a, b), probs)]
            out.append((a, b, kind, sum(probs) / (b - a), trim))
        return out
