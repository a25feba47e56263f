"""The second stage of a two-stage (stacked) NER CRF, after Krishnan & Manning (2006),
"An effective two-stage model for exploiting non-local dependencies in NER".

Stage 1 (the CRF of features.py) tags every sentence of a document alone.  Stage 2 is a
small CRF that reads, per token, stage 1's labels (its own and its neighbours'), how sure
stage 1 was, and what stage 1 said *elsewhere in the same document*:
* `tm`/`ta`: the majority type of the other occurrences of the same word, and every
  type they had (token majority);
* `em`: the token is inside an occurrence of a token sequence that stage 1 tagged as a
  name somewhere in the document, with that name's majority type and its B/I position
  (entity majority: the second `بانک مرکزی` stage 1 missed);
* `se`: the word is part of a longer name stage 1 found elsewhere (super-entity: the
  surname alone after the full name), with its place in that name.
Stage 2 is trained on stage-1 outputs obtained by jackknifing the training documents
(`jackknife`), so that it learns how far to trust stage 1 on text stage 1 has not seen.
Its features are few (a tenth of stage 1's): the model must stay within its CPU budget.
"""
from __future__ import annotations

from typing import Callable, Sequence

STAGE2_FILE = "model2.crfsuite"
STAGE2_VERSION = 1


def _type(label: str) -> str:
    return "O" if label == "O" else label[2:].split("|")[0]


class Stage1Output:
    """Stage 1's reading of one sentence: Viterbi labels, the marginal probability of
    each token's label and of O."""
    __slots__ = ("labels", "p_label", "p_o")

    def __init__(self, labels: Sequence[str], p_label: Sequence[float], p_o: Sequence[float]) -> None:
        self.labels = list(labels)
        self.p_label = list(p_label)
        self.p_o = list(p_o)


def run_stage1(tagger, xseq) -> Stage1Output:
    """Tag one sentence's feature lists with a pycrfsuite tagger, with the marginals (an
    empty sentence has an empty output)."""
    if not xseq:
        return Stage1Output([], [], [])
    labels = tagger.tag(xseq)
    marginal = tagger.marginal
    p_label = [marginal(l, k) for k, l in enumerate(labels)]
    p_o = [p if l == "O" else marginal("O", k) for k, (l, p) in enumerate(zip(labels, p_label))]
    return Stage1Output(labels, p_label, p_o)


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


def _majority(counts: dict[str, int]) -> str:
    return max(sorted(counts), key=counts.__getitem__)


class _Context(dict):
    """(stage 1's labels two words either side of a token, fifths of the marginal of its
    label, of the marginal of not O) → its feature strings, built once (formatting them
    per token cost as much as tagging)."""

    def __missing__(self, key):
        l2, l1, label, r1, r2, q, e = key
        value = self[key] = (f"L={label}", f"L-2={l2}", f"L-1={l1}", f"L1={r1}", f"L2={r2}",
                             f"q={label}/{min(4, q)}", f"e={min(4, e)}")
        return value


class _Table(dict):
    def __init__(self, function) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key):
        value = self[key] = self.function(key)
        return value


C = _Context()
_BARE = _Table(lambda label: label.split("|")[0])  # `B-ORG|3` → `B-ORG`
_TYPE = _Table(_type)


def _content(key: str) -> bool:
    """A word worth carrying from one name to another (not `و`, `،`)."""
    return len(key) > 1 and key[0].isalpha()


def document_features(words: Sequence[Sequence[str]], outs: Sequence[Stage1Output],
                      key: Callable[[str], str] = str.lower) -> list[list[list[str]]]:
    """Stage-2 features of every token of a document (sentences of normalized words and
    stage 1's output for each)."""
    keys = [[key(w) for w in sent] for sent in words]
    labels_of = [[_BARE[l] for l in o.labels] for o in outs]
    types = [[_TYPE[l] for l in labels] for labels in labels_of]
    # token majority: per word, the types stage 1 gave its occurrences
    per_word: dict[str, dict[str, int]] = {}
    for ks, ts in zip(keys, types):
        for k, t in zip(ks, ts):
            c = per_word.get(k)
            if c is None:
                per_word[k] = {t: 1}
            else:
                c[t] = c.get(t, 0) + 1
    others: dict[tuple[str, str], list[str]] = {}  # (word, own type) → features of the other occurrences
    # entity majority: per token sequence stage 1 called a name, its types
    names: dict[tuple[str, ...], dict[str, int]] = {}
    parts: dict[str, set] = {}  # word of a longer name → {"TYPE/place"}
    for ks, o in zip(keys, outs):
        for a, b, t, _ in decode_labels(o.labels):
            counts = names.get(name := tuple(ks[a:b]))
            if counts is None:
                names[name] = {t: 1}
            else:
                counts[t] = counts.get(t, 0) + 1
            if b - a > 1:
                for i in range(a, b):
                    if _content(ks[i]):
                        parts.setdefault(ks[i], set()).add(f"se={t}/{'F' if i == a else 'L' if i == b - 1 else 'M'}")
    parts_sorted = {k: sorted(v) for k, v in parts.items()}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in sorted(names, key=len, reverse=True):
        by_first.setdefault(name[0], []).append(name)
    repeated = {k for k, c in per_word.items() if len(c) > 1 or sum(c.values()) > 1}  # words seen twice or more
    out = []
    for ks, ts, labels, o in zip(keys, types, labels_of, outs):
        n = len(ks)
        padded = ["pad", "pad", *labels, "pad", "pad"]
        qs = [int(p * 5) for p in o.p_label]
        es = [int((1.0 - p) * 5) for p in o.p_o]
        # not the word itself: stage 2 then learns the words stage 1 missed on the
        # jackknife folds, by heart (PEYMA dev 0.801 with it, 0.821 without)
        feats = [list(C[(padded[i], padded[i + 1], labels[i], padded[i + 3], padded[i + 4], qs[i], es[i])])
                 for i in range(n)]
        for i, k in enumerate(ks):
            if k in repeated:  # the word occurs elsewhere
                t = ts[i]
                got = others.get((k, t))
                if got is None:
                    counts = per_word[k]
                    rest = {x: c - (x == t) for x, c in counts.items() if c - (x == t) > 0}  # the other occurrences
                    got = others[(k, t)] = ["tm=" + _majority(rest)] + (
                        ["ta=" + x for x in sorted(rest) if x != "O"] if _content(k) else [])
                feats[i] += got
            if k in parts_sorted:
                feats[i] += parts_sorted[k]
        # occurrences of stage-1 names, longest first, left to right
        i = 0
        while i < n:
            if ks[i] not in by_first:
                i += 1
                continue
            hit = None
            for name in by_first[ks[i]]:
                if tuple(ks[i:i + len(name)]) == name:
                    hit = name
                    break
            if hit is None:
                i += 1
                continue
            counts = names[hit]
            t = _majority(counts)
            size = "1" if len(hit) == 1 else "n"
            seen = "x" if sum(counts.values()) > 1 else "s"  # stage 1 found it more than once, or once
            for k in range(i, i + len(hit)):
                feats[k].append(f"em{size}{seen}={'B' if k == i else 'I'}-{t}")
            i += len(hit)
        out.append(feats)
    return out


def train_stage2_crf(examples, path, params: dict) -> None:
    """Train a stage-2 CRF at `path` from (stage-2 features, gold labels) of sentences
    (empty sentences skipped)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in examples:
        if feats:
            trainer.append(feats, labels)
    trainer.set_params(params)
    trainer.train(str(path))


def jackknife(documents: Sequence[Sequence], featurize: Callable, params: dict, folds: int, work,
              log: Callable[[str], None] = print) -> list[list[Stage1Output]]:
    """Stage-1 outputs of every training document from a stage 1 trained without it:
    fold k (every k-th document) is tagged by a CRF trained on the other folds.
    `documents`: per document its sentences (`.words`, `.labels`); `featurize(sentence)`
    gives a sentence's stage-1 features."""
    import pycrfsuite

    outs: list[list[Stage1Output]] = [[] for _ in documents]
    for k in range(folds):
        trainer = pycrfsuite.Trainer(verbose=False)
        for i, doc in enumerate(documents):
            if i % folds != k:
                for sent in doc:
                    trainer.append(featurize(sent), sent.labels)
        trainer.set_params(params)
        path = str(work / f"jackknife{k}.crfsuite")
        trainer.train(path)
        del trainer
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        for i, doc in enumerate(documents):
            if i % folds == k:
                outs[i] = [run_stage1(tagger, featurize(sent) if sent.words else []) for sent in doc]
        tagger.close()
        log(f"jackknife fold {k + 1}/{folds} done")
    return outs
