"""The offline default tagger: a CRF (python-crfsuite) over surface tokens + a lemma table.

Trained by `python -m extract.tagging.train_crf` (`make models`) from UD treebanks; the
model folder `models/tagger-<lang>-crf/` holds

* `model.crfsuite`  – the CRF,
* `lemmas.json`     – (form, UPOS) -> lemma and form -> lemma learned from the treebanks,
* `config.json`     – feature version and settings, so old models fail loudly,
* `metrics.json`, `MODEL_CARD.md`, `manifest.json` (sha256 of every file).

Unseen words get their lemma from the language fallback
(`extract/lang/<lang>/lemmatizer.py`, `fallback_lemma(word, upos)`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from ..errors import ExtractError
from ..lang import get_language
from ..models import load_model
from ..text.normalize import normalize

FEATURE_VERSION = 2
MODEL_FILE = "model.crfsuite"
LEMMA_FILE = "lemmas.json"
CONFIG_FILE = "config.json"
CLUSTER_FILE = "clusters.tsv"  # word <TAB> cluster ids at several granularities
LEXICON_FILE = "lexicon.tsv"  # word <TAB> ambiguity class (fa: from hazm's words.dat)
NAMES_FILE = "names.tsv"  # word <TAB> how often it is part of a name in NER corpora (bucket)
PHRASES_FILE = "phrases.tsv"  # multiword name <TAB> how often those words form a name (bucket)
EMB_FILE = "emb_clusters.tsv"  # word <TAB> word2vec k-means ids, coarse to fine (extra `emb`)
AUTONAMES_FILE = "autonames.tsv"  # word <TAB> share inside names the pipeline found in raw text (extra `aname`)
MAX_PHRASE = 5
# the word tables a model may take from another (`train_crf --resources-from`): two models
# with the same tables build the same features but for their extras
SHARED_TABLES = (CLUSTER_FILE, LEXICON_FILE, NAMES_FILE, PHRASES_FILE)

ZWNJ = "\u200c"
_DIGIT = re.compile(r"\d")


# ------------------------------------------------------------------------ normalization


@lru_cache(maxsize=200_000)
def _norm(form: str, lang: str) -> str:
    """The project normalizer's form of one token, for training data (at run time the
    pipeline passes tokens already normalized)."""
    out = normalize(form, lang).text
    return out if out.strip() else form


# ------------------------------------------------------------------------------ features


def _shape(word: str) -> str:
    out = []
    for ch in word:
        if ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "L" if ch.isascii() and ch.isupper() else ("l" if ch.isascii() else "a")
        elif ch == ZWNJ:
            c = "z"
        else:
            c = ch if not ch.isspace() else "_"
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


class _NoHooks:
    """For a language without tagger hooks."""

    @staticmethod
    def lookup_forms(word: str) -> list[str]:
        return []

    @staticmethod
    def token_features(lw: str, word: str, lexicon: dict[str, str]) -> list[str]:
        return []

    @staticmethod
    def neighbour_features(w: str, offset: int) -> list[str]:
        return []


@lru_cache(maxsize=None)
def hooks(lang: str):
    """The language folder's CRF hooks (`lang/<code>/tagger_features.py`)."""
    return get_language(lang).tagger_features or _NoHooks


def _tsv_rows(path: Path, fields: int | None = None):
    """The tab-separated rows of an optional resource file: exactly `fields` columns, or
    at least two when `fields` is None (a word and its cluster path)."""
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == fields if fields else len(parts) > 1:
                yield parts


@dataclass
class Resources:
    """Word-level knowledge the features use: distributional clusters learned from raw
    text, and (Persian) a lexicon of possible tags.  Both live in the model folder."""

    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lexicon: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    emb: dict[str, tuple[str, ...]] = field(default_factory=dict)
    autonames: dict[str, str] = field(default_factory=dict)
    # optional feature groups a model was trained with (config.json "extras"), see
    # `_extra_features`; a model without them keeps its original features
    extras: frozenset = frozenset()

    @classmethod
    def load(cls, folder: Path, extras: Sequence[str] = ()) -> "Resources":
        res = cls(extras=frozenset(extras))
        for parts in _tsv_rows(folder / PHRASES_FILE, 2):
            res.phrases[tuple(parts[0].split(" "))] = parts[1]
        for parts in _tsv_rows(folder / CLUSTER_FILE):
            res.clusters[parts[0]] = tuple(parts[1:])
        for parts in _tsv_rows(folder / LEXICON_FILE, 2):
            res.lexicon[parts[0]] = parts[1]
        for parts in _tsv_rows(folder / NAMES_FILE, 2):
            res.names[parts[0]] = parts[1]
        if "emb" in res.extras:
            for parts in _tsv_rows(folder / EMB_FILE):
                res.emb[parts[0]] = tuple(parts[1:])
        if "aname" in res.extras:
            for parts in _tsv_rows(folder / AUTONAMES_FILE, 2):
                res.autonames[parts[0]] = parts[1]
        return res

    def cluster(self, word: str, lang: str) -> tuple[str, ...] | None:
        return self._lookup(self.clusters, word, lang)

    def emb_cluster(self, word: str, lang: str) -> tuple[str, ...] | None:
        return self._lookup(self.emb, word, lang)

    @staticmethod
    def _lookup(table: dict[str, tuple[str, ...]], word: str, lang: str) -> tuple[str, ...] | None:
        """The word's row, else the row of its first form with inflections stripped (hook)."""
        hit = table.get(word)
        if hit is None:
            for form in hooks(lang).lookup_forms(word):
                hit = table.get(form)
                if hit is not None:
                    break
        return hit


_EMPTY = Resources()


def token_features(word: str, lang: str, res: Resources = _EMPTY) -> list[str]:
    """Features of one normalized token, independent of its context."""
    lw = word.lower()
    feats = [
        "w=" + lw,
        "shape=" + _shape(word),
        "len=" + str(min(len(word), 12)),
    ]
    for k in range(1, 5):
        if len(lw) >= k:
            feats.append(f"p{k}={lw[:k]}")
            feats.append(f"s{k}={lw[-k:]}")
    if _DIGIT.search(word):
        feats.append("hasdigit")
        if word.isdigit():
            feats.append("alldigit")
    if all(not ch.isalnum() for ch in word):
        feats.append("punct")
    if any(ch.isascii() and ch.isalpha() for ch in word):
        feats.append("latin")
    feats += hooks(lang).token_features(lw, word, res.lexicon)
    if res.names:  # only models trained with a names table have these features
        feats.append("name=" + res.names.get(lw, "?"))
    clusters = res.cluster(lw, lang)
    if clusters:
        feats.extend(f"c{k}={c}" for k, c in enumerate(clusters))
    else:
        feats.append("c=?")
    return feats


def sentence_features(words: Sequence[str], lang: str, cache: dict | None = None,
                      res: Resources = _EMPTY, domain: str | None = None) -> list[list[str]]:
    """CRF features for each token of a normalized sentence (own + ±2 neighbours).

    With `domain`, every feature also gets a copy prefixed by the domain ("feature
    augmentation", Daumé 2007): treebanks with different conventions share the general
    weights, and the tagger uses the general + the test treebank's domain copy.
    """
    out = _sentence_features(words, lang, cache, res)
    if domain:
        prefix = domain + "|"
        out = [f + [prefix + x for x in f] for f in out]
    return out


def _sentence_features(words: Sequence[str], lang: str, cache: dict | None = None,
                       res: Resources = _EMPTY) -> list[list[str]]:
    cache = {} if cache is None else cache
    own = []
    for w in words:
        f = cache.get(w)
        if f is None:
            f = token_features(w, lang, res)
            cache[w] = f
        own.append(f)
    low = [w.lower() for w in words]
    near = [res.cluster(w, lang) for w in low] if res.clusters else None
    n = len(words)
    out = []
    for i in range(n):
        f = ["bias"] + own[i]
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                w = low[j]
                f.append(f"{d}:w={w}")
                if near is not None:
                    cl = near[j]
                    f.append(f"{d}:c1={cl[1] if cl and len(cl) > 1 else '?'}")
                if res.names and abs(d) == 1:
                    f.append(f"{d}:name={res.names.get(w, '?')}")
                if abs(d) == 1:
                    f.append(f"{d}:s2={w[-2:]}")
                    f.append(f"{d}:s3={w[-3:]}")
                    f.append(f"{d}:p2={w[:2]}")
                    f += hooks(lang).neighbour_features(w, d)
            else:
                f.append(f"{d}:pad")
        if i > 0:
            f.append(f"bi-1={low[i - 1]}|{low[i]}")
        if i < n - 1:
            f.append(f"bi+1={low[i]}|{low[i + 1]}")
        out.append(f)
    if res.extras:
        for f, extra in zip(out, _extra_features(low, lang, res, near)):
            f += extra
    return out


def _phrase_marks(low: Sequence[str], phrases: dict[tuple[str, ...], str]) -> list[str | None]:
    """B/I/E + bucket for tokens covered by a known multiword name (longest match first)."""
    marks: list[str | None] = [None] * len(low)
    i = 0
    while i < len(low):
        for k in range(min(MAX_PHRASE, len(low) - i), 1, -1):
            bucket = phrases.get(tuple(low[i:i + k]))
            if bucket is not None:
                for j in range(i, i + k):
                    marks[j] = ("B" if j == i else "E" if j == i + k - 1 else "I") + bucket
                i += k
                break
        else:
            i += 1
    return marks


def _extra_features(low: Sequence[str], lang: str, res: Resources, near) -> list[list[str]]:
    """Feature groups added after feature version 2, switched on per model (`extras`):

    * `nlex`: the lexicon's tag classes of the neighbours (ezafe chains: NOUN ADJ ADJ),
      and the pair own/previous class;
    * `slex`: the tag class of the word's stem (language hook: inflection stripped);
    * `nc`: the neighbours' coarsest and finest clusters;
    * `gaz`: position inside a multiword name of the NER corpora (PerDT tags every
      word of a name PROPN, which single-word evidence cannot see);
    * `emb`: word2vec k-means clusters (`emb_clusters.tsv`, `ner/embclusters.py`) of the
      word (all granularities), of ±1 (all) and ±2 (the two coarsest): skip-gram over a
      5-word window groups words by topic and role (given names, towns, adjectives of
      nationality), unlike `clusters.tsv`'s immediate-neighbour contexts;
    * `suf`: 5- and 6-letter suffixes (Persian derivational endings + inflection,
      e.g. ـگرایانه, for words the training data never saw);
    * `aname`: the share of the word's occurrences inside the names (PER/ORG/LOC/GPE)
      that the pipeline itself finds in raw text (`autonames.tsv`, `tagging.autonames`),
      of the word and of ±1: the gold NER corpora's `names.tsv` knows a few thousand
      names, the raw text many more (foreign persons, towns).
    """
    n = len(low)
    ex = res.extras
    lex = res.lexicon
    lex_of = [lex.get(w, "?") for w in low] if ("nlex" in ex and lex) else None
    stem = getattr(hooks(lang), "stem_lexicon", None)
    marks = _phrase_marks(low, res.phrases) if ("gaz" in ex and res.phrases) else None
    emb = [res.emb_cluster(w, lang) for w in low] if ("emb" in ex and res.emb) else None
    anames = [res.autonames.get(w, "?") for w in low] if ("aname" in ex and res.autonames) else None
    out = []
    for i in range(n):
        f = []
        if lex_of is not None:
            for d in (-1, 1):
                j = i + d
                f.append(f"{d}:lex={lex_of[j] if 0 <= j < n else 'pad'}")
            f.append(f"lexpair={lex_of[i - 1] if i else 'pad'}|{lex_of[i]}")
        if "slex" in ex and stem is not None and lex:
            f.append("slex=" + (stem(low[i], lex) or "?"))
        if "nc" in ex and near is not None:
            for d in (-1, 1):
                j = i + d
                cl = near[j] if 0 <= j < n else None
                f.append(f"{d}:c0={cl[0] if cl else '?'}")
                f.append(f"{d}:c2={cl[-1] if cl else '?'}")
        if marks is not None:
            f.append("gz=" + (marks[i] or "O"))
            for d in (-1, 1):
                j = i + d
                if 0 <= j < n and marks[j]:
                    f.append(f"{d}:gz={marks[j][0]}")
        if emb is not None:
            f += [f"e{k}={c}" for k, c in enumerate(emb[i])] if emb[i] else ["e=?"]
            for d in (-2, -1, 1, 2):
                j = i + d
                ids = emb[j] if 0 <= j < n else None
                if ids:
                    f += [f"{d}:e{k}={c}" for k, c in enumerate(ids[:3 if abs(d) == 1 else 2])]
        if "suf" in ex:
            f += [f"s{k}={low[i][-k:]}" for k in (5, 6) if len(low[i]) > k]
        if anames is not None:
            f.append("an=" + anames[i])
            for d in (-1, 1):
                j = i + d
                f.append(f"{d}:an={anames[j] if 0 <= j < n else 'pad'}")
        out.append(f)
    return out


# ------------------------------------------------------------------------------ lemmas


def _load_fallback(lang: str) -> Callable[[str, str], str]:
    return get_language(lang).fallback_lemma or (lambda word, upos: word)


class LemmaTable:
    """(form, UPOS) -> most frequent lemma, then form -> lemma, then the fallback."""

    def __init__(self, lang: str, by_pos: dict[str, str], by_form: dict[str, str],
                 fallback: Callable[[str, str], str] | None = None) -> None:
        self.lang = lang
        self.by_pos = by_pos
        self.by_form = by_form
        self._fallback = fallback

    @property
    def fallback(self) -> Callable[[str, str], str]:
        if self._fallback is None:
            self._fallback = _load_fallback(self.lang)
        return self._fallback

    def lemma(self, form: str, upos: str) -> str:
        hit = self.by_pos.get(f"{form}\t{upos}")
        if hit is not None:
            return hit
        hit = self.by_form.get(form)
        if hit is not None:
            return hit
        for candidate in hooks(self.lang).lookup_forms(form):
            hit = self.by_pos.get(f"{candidate}\t{upos}") or self.by_form.get(candidate)
            if hit is not None:
                return hit
        if upos == "PUNCT" or upos == "NUM":
            return form
        try:
            return self.fallback(form, upos) or form
        except Exception:
            return form

    @classmethod
    def learn(cls, lang: str, pairs: Sequence[tuple[str, str, str]]) -> "LemmaTable":
        """From (form, upos, lemma) triples, keeping only what the table needs."""
        pos_counts: dict[str, dict[str, int]] = {}
        form_counts: dict[str, dict[str, int]] = {}
        for form, upos, lemma in pairs:
            pos_counts.setdefault(f"{form}\t{upos}", {}).setdefault(lemma, 0)
            pos_counts[f"{form}\t{upos}"][lemma] += 1
            form_counts.setdefault(form, {}).setdefault(lemma, 0)
            form_counts[form][lemma] += 1

        def best(counts: dict[str, int]) -> str:
            return max(counts.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]

        by_form = {form: best(c) for form, c in form_counts.items()}
        by_pos = {}
        for key, counts in pos_counts.items():
            lemma = best(counts)
            if by_form.get(key.split("\t", 1)[0]) != lemma:
                by_pos[key] = lemma  # only where the tag changes the lemma
        return cls(lang, by_pos, by_form)

    def to_json(self) -> dict:
        return {"lang": self.lang, "by_pos": self.by_pos, "by_form": self.by_form}

    @classmethod
    def from_json(cls, data: dict) -> "LemmaTable":
        return cls(data["lang"], data["by_pos"], data["by_form"])


# ------------------------------------------------------------------------------ tagger


class CRFTagger:
    """UPOS + lemma for normalized surface tokens, from a trained CRF model folder."""

    def __init__(self, lang: str, model_path: Path, lemmas: LemmaTable, source: str,
                 resources: Resources | None = None, domain: str | None = None,
                 extras: Sequence[str] = ()) -> None:
        import pycrfsuite

        self.lang = lang
        self.resources = resources or Resources.load(Path(model_path).parent, extras)
        self.domain = domain
        self.source = source
        self.lemmas = lemmas
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))
        self._cache: dict[str, list[str]] = {}
        self.info_files: dict[str, str] | None = None  # file -> sha256, from the manifest (`load`)

    @classmethod
    def load(cls, lang: str, directory: Path | str | None = None, name: str | None = None) -> "CRFTagger":
        """Load `name` (default `tagger-<lang>-crf`) from `directory` (default: the models folder).

        Raises ExtractError E201 when the model is missing, E202 when it is damaged.
        """
        name = name or f"tagger-{lang}-crf"
        info = load_model(name, Path(directory) if directory is not None else None)
        root = str(info.path.parent)
        try:
            config = json.loads(info.file(CONFIG_FILE).read_text(encoding="utf-8"))
            lemmas = LemmaTable.from_json(json.loads(info.file(LEMMA_FILE).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError) as exc:
            raise ExtractError("E202", name=name, directory=root, detail=f"unreadable model files ({exc})") from exc
        if config.get("feature_version") != FEATURE_VERSION:
            raise ExtractError(
                "E202", name=name, directory=root,
                detail=f"feature version {config.get('feature_version')} but this code uses {FEATURE_VERSION}",
            )
        model_path = info.file(MODEL_FILE)
        try:
            tagger = cls(lang, model_path, lemmas, info.source, domain=config.get("domain"),
                         extras=config.get("extras", ()))
        except (OSError, ValueError) as exc:
            raise ExtractError("E202", name=name, directory=root, detail=f"{MODEL_FILE} unreadable ({exc})") from exc
        tagger.info_files = dict(info.manifest.get("files", {}))
        return tagger

    def tag_upos(self, sentence: Sequence[str]) -> list[str]:
        """UPOS for one sentence of normalized tokens."""
        if not sentence:
            return []
        return list(self._tagger.tag(self.features(sentence)))

    def features(self, sentence: Sequence[str]) -> list[list[str]]:
        """The CRF features of one sentence of normalized tokens."""
        if len(self._cache) > 100_000:
            self._cache.clear()
        return sentence_features(list(sentence), self.lang, self._cache, self.resources, self.domain)

    def tag_features(self, features: list[list[str]]) -> list[str]:
        """Viterbi tags from features built by this model or by one with the same word
        tables and more extras (the features it has no weights for are ignored)."""
        return list(self._tagger.tag(features)) if features else []

    def marginals(self, sentence: Sequence[str]):
        """(labels, array [tokens, labels]) of the CRF's marginal tag probabilities."""
        labels, probs, _ = self.marginals_and_tags(sentence, tags=False)
        return labels, probs

    def marginals_and_tags(self, sentence: Sequence[str], tags: bool = True,
                           features: list[list[str]] | None = None):
        """`marginals` plus the Viterbi tags (`tag_upos`'s) from the same feature pass
        (None when `tags` is false); `features`: the sentence's, built before."""
        import numpy as np

        labels = list(self._tagger.labels())
        if not sentence:
            return labels, np.zeros((0, len(labels))), [] if tags else None
        self._tagger.set(features if features is not None else self.features(sentence))
        marginal = self._tagger.marginal
        probs = np.array([[marginal(y, i) for y in labels] for i in range(len(sentence))])
        return labels, probs, (list(self._tagger.tag()) if tags else None)  # tag(): the sequence set above

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[str, str]]]:
        out = []
        for sentence in sentences:
            forms = list(sentence)  # already normalized by the pipeline (see Tagger)
            if not forms:
                out.append([])
                continue
            tags = self._tagger.tag(self.features(forms))
            out.append([(t, self.lemmas.lemma(f, t)) for f, t in zip(forms, tags)])
        return out
