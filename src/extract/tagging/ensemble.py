"""CRF + stanza: the two taggers' per-token UPOS probabilities, combined log-linearly.

The CRF (`crf_model` in the config, by default `tagger-<lang>-crf`) and the stanza BiLSTM (`tagger-<lang>-stanza`) make
different mistakes (on fa_perdt-test each is right on ~600 tokens where the other is
wrong), so the tag of a token is

    argmax_tag  w * log P_crf(tag) + (1 - w) * log P_stanza(tag)

with P_crf the CRF's marginal (forward-backward) probability and P_stanza the softmax of
stanza's UPOS scores.  With several stanza members (the same recipe trained from other
seeds, `stanza_models` in the config), log P_stanza is the mean of their log-probabilities
(a geometric mean, each member (1 - w) / k): averaging seeds removes part of the
BiLSTM's run-to-run noise, and one weight keeps the tuning on a small slice robust.
`w` is tuned on held-out sentences (`train_ensemble`) and lives in
`tagger-<lang>-ensemble/config.json`, with the names of the component models.
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
from .crf import AUTONAMES_FILE, EMB_FILE, SHARED_TABLES, CRFTagger

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
    return combine_many([(labels_a, probs_a, weight), (labels_b, probs_b, 1.0 - weight)])


def combine_many(members: Sequence[tuple[Sequence[str], Any, float]]) -> list[str]:
    """The tag of each token maximizing the sum of `weight * log P` over (labels, P, weight) members."""
    labels, score = combined_scores(members)
    return [labels[k] for k in score.argmax(axis=1)] if len(score) else []


def combined_scores(members: Sequence[tuple[Sequence[str], Any, float]]) -> tuple[list[str], Any]:
    """(labels, array [tokens, labels] of the sum of `weight * log P` over the members)."""
    import numpy as np

    labels = sorted({name for names, _, _ in members for name in names})
    n = len(members[0][1])
    score = np.zeros((n, len(labels)))
    for names, probs, w in members:
        full = np.full((n, len(labels)), FLOOR)
        if n:
            cols = [labels.index(name) for name in names]
            full[:, cols] = np.maximum(np.asarray(probs, dtype=np.float64), FLOOR)
        score += w * np.log(full / full.sum(axis=1, keepdims=True))
    return labels, score


def combine_sentence(crf_out: tuple[Sequence[str], Any], stanza_out: Sequence[tuple[Sequence[str], Any]],
                     weight: float) -> list[str]:
    """One sentence's tags: the CRF with `weight`, the k stanza members with (1 - weight) / k each."""
    share = (1.0 - weight) / len(stanza_out)
    return combine_many([(crf_out[0], crf_out[1], weight)] + [(labels, probs, share) for labels, probs in stanza_out])


def stanza_members(config: dict) -> list[tuple[str, dict]]:
    """(model name, {"pos": file, "pretrain": file}) of each stanza member of an ensemble config;
    the first config format named a single `stanza_model` with its `stanza_files`."""
    if "stanza_models" in config:
        return [(m["model"], m["files"]) for m in config["stanza_models"]]
    return [(config["stanza_model"], config["stanza_files"])]


def load_stanza_member(lang: str, name: str, files: dict, root: Path) -> tuple[Any, str]:
    """A stanza member and its provenance.  A seed variant may share another model's word
    vectors (`pretrain_model` in its manifest, checked against `pretrain_sha256`)."""
    from ..models import sha256_file
    from .stanza_backend import StanzaTagger
    from .train_charlm import stanza_overrides as charlm_overrides

    info = load_model(name, root)
    pretrain = info.file(files["pretrain"])
    source = info.source
    owner = info.manifest.get("pretrain_model")
    if owner:
        owner_info = load_model(owner, root)
        pretrain = owner_info.file(files["pretrain"])
        expected = info.manifest.get("pretrain_sha256")
        if expected and sha256_file(pretrain) != expected:
            raise ExtractError("E202", name=name, directory=str(root),
                               detail=f"{owner}/{files['pretrain']} is not the vectors it was trained with")
        source += f"+{owner_info.source}"
    try:
        # a member trained with --charlm reads words through its own pair of character LMs
        tagger = StanzaTagger.load(lang, directory=info.path, pos_model_path=info.file(files["pos"]),
                                   pos_pretrain_path=pretrain, **charlm_overrides(info.path))
    except (ExtractError, FileNotFoundError) as exc:  # FileNotFoundError: half a charlm pair
        raise ExtractError("E202", name=name, directory=str(root), detail=str(exc)) from exc
    return tagger, source


def same_features(model: CRFTagger, other: CRFTagger) -> bool:
    """Whether `other` can be tagged from `model`'s features: the same language, domain
    and word tables (checksums), and no extra feature group `model` lacks."""
    if model.info_files is None or other.info_files is None:
        return False
    mine, theirs = model.info_files, other.info_files
    tables = [*SHARED_TABLES, *(name for name in (EMB_FILE, AUTONAMES_FILE) if name in theirs)]
    return (model.lang == other.lang and model.domain == other.domain
            and other.resources.extras <= model.resources.extras
            and all(mine.get(name) == theirs.get(name) for name in tables))


class EnsembleTagger:
    """A `Tagger`: CRF marginals and stanza probabilities combined, CRF lemmas."""

    def __init__(self, crf: CRFTagger, stanza: Any, weight: float, source: str,
                 crf_is_ner_tagger: bool = True, ner_crf: CRFTagger | None = None) -> None:
        self.crf = crf
        self.crf_is_ner_tagger = crf_is_ner_tagger
        # when the CRF member is its own model, `tagger-<lang>-crf` (the tags the NER model
        # was trained with) runs beside it for `tag_with_model_tags`, if it is installed;
        # on the member's features when both read the same word tables (one feature pass)
        self.ner_crf = None if crf_is_ner_tagger else ner_crf
        self.shared_features = self.ner_crf is not None and same_features(crf, self.ner_crf)
        self.stanzas = list(stanza) if isinstance(stanza, (list, tuple)) else [stanza]
        self.weight = weight
        self.lang = crf.lang
        self.source = source

    @property
    def stanza(self) -> Any:
        """The first stanza member."""
        return self.stanzas[0]

    @classmethod
    def load(cls, lang: str, directory: Path | str | None = None) -> "EnsembleTagger":
        """Load `tagger-<lang>-ensemble` and its components from `directory` (default:
        the models folder).  Missing pieces raise E201, damaged ones E202."""
        root = Path(directory) if directory is not None else models_dir()
        name = ensemble_name(lang)
        info = load_model(name, root)
        try:
            config = json.loads(info.file(CONFIG_FILE).read_text(encoding="utf-8"))
            weight = float(config["crf_weight"])
            members = stanza_members(config)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ExtractError("E202", name=name, directory=str(root), detail=f"unreadable {CONFIG_FILE} ({exc})") from exc
        # the CRF member may be its own folder (tagger-fa-crf-ens), leaving tagger-fa-crf,
        # whose tags the NER was trained with, to `--tagger crf` and the NER
        crf = CRFTagger.load(lang, root, config.get("crf_model"))
        crf_is_ner_tagger = config.get("crf_model") in (None, f"tagger-{lang}-crf")
        ner_crf = None
        if not crf_is_ner_tagger and (root / f"tagger-{lang}-crf" / "manifest.json").is_file():
            ner_crf = CRFTagger.load(lang, root)
        stanzas, sources = [], []
        for stanza_name, files in members:
            tagger, source = load_stanza_member(lang, stanza_name, files, root)
            stanzas.append(tagger)
            sources.append(source)
        digest = hashlib.sha256(";".join([info.source, crf.source, *sources]).encode()).hexdigest()[:8]
        return cls(crf, stanzas, weight, f"model:{name}@{digest}", crf_is_ner_tagger=crf_is_ner_tagger,
                   ner_crf=ner_crf)

    def tag_upos(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        return self._tag(sentences, ner_tags=False)[0]

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[str, str]]]:
        sentences = [list(s) for s in sentences]
        return self._with_lemmas(sentences, self.tag_upos(sentences))

    def tag_with_model_tags(self, sentences: Sequence[Sequence[str]]
                            ) -> tuple[list[list[tuple[str, str]]], list[list[str]] | None]:
        """`tag`'s output and the (Viterbi) tags of `tagger-<lang>-crf`, the tagger whose tags
        the NER model was trained with (`ner.train`: extra `upos`): from the CRF member's own
        pass when it is that model, else from that model run beside it; None when it is not
        installed."""
        sentences = [list(s) for s in sentences]
        combined, ner_tags = self._tag(sentences, ner_tags=True)
        return self._with_lemmas(sentences, combined), ner_tags

    def _tag(self, sentences, ner_tags: bool) -> tuple[list[list[str]], list[list[str]] | None]:
        """Combined tags, and (with `ner_tags`) the NER tagger's tags or None."""
        sentences = [list(s) for s in sentences]
        features = [self.crf.features(s) if s else [] for s in sentences]
        own = ner_tags and self.crf_is_ner_tagger
        crf = [self.crf.marginals_and_tags(s, tags=own, features=f) for s, f in zip(sentences, features)]
        stanza = [stanza.tag_proba(sentences) for stanza in self.stanzas]
        combined = [combine_sentence((labels, probs), [(lab, p[k]) for lab, p in stanza], self.weight)
                    for k, (labels, probs, _) in enumerate(crf)]
        if not ner_tags:
            return combined, None
        if own:
            return combined, [viterbi for _, _, viterbi in crf]
        if self.ner_crf is None:
            return combined, None
        if self.shared_features:
            return combined, [self.ner_crf.tag_features(f) for f in features]
        return combined, [self.ner_crf.tag_upos(s) for s in sentences]

    def _with_lemmas(self, sentences, tags) -> list[list[tuple[str, str]]]:
        return [[(t, self.crf.lemmas.lemma(f, t)) for f, t in zip(forms, ts)] for forms, ts in zip(sentences, tags)]

    def __repr__(self) -> str:
        return (f"EnsembleTagger({self.lang!r}, weight={self.weight}, stanza members={len(self.stanzas)}, "
                f"source={self.source!r})")
