"""CRF features of the NER model: the word, its affixes, its distributional clusters
(the tagger's `clusters.tsv`, learned from raw news text), a clitic-free stem (Arabic),
gazetteer membership, and the same for the neighbours.  Kept lean: the model must add
at most 5 ms per 1,000 characters.

Optional extras, named in the model's `config.json` (`extras`) so that a model trained
without them reads the same features as before:
* `upos`: the tagger's UPOS of the word and its neighbours (PROPN is the name signal;
  training data are tagged by the CRF tagger, as the pipeline tags them at run time);
* `shares`: how often the word is part of a PER/LOC/ORG name in another annotated
  corpus (`name_shares.tsv`, bucketed), evidence from a corpus whose span conventions
  differ too much to train on directly;
* `emb`: the word's word2vec clusters at several granularities (`emb_clusters.tsv`,
  see embclusters.py), and its neighbours';
* `doc`: what the rest of the document says of the word (`document_cues`): somewhere it
  follows a title, a given name or a kind word (`آقای کلانتری` ... a bare `کلانتری`), it
  stands before a title or a verb of saying, or in quotes; how often the document has it.
  Read from the text, not from a first tagging pass, so a document is still tagged in one
  pass."""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

FEATURE_VERSION = 2
CLUSTER_FILE = "clusters.tsv"
GAZETTEER_FILE = "gazetteer.tsv"  # name key (words joined) <TAB> comma-separated types
SHARES_FILE = "name_shares.tsv"  # word <TAB> TYPE+B|I=bucket ... (extra `shares`)
EMB_FILE = "emb_clusters.tsv"  # word <TAB> cluster id, coarse to fine (extra `emb`)
EXTRAS = ("upos", "shares", "emb", "doc")
# Unicode quotation pairs (opening → closing) a quoted name stands in: at most MAX_QUOTED words
QUOTES = {"«": "»", "\"": "\""}
MAX_QUOTED = 4
# the cue of a word right after a word (or phrase) of these classes: a kind word (gazetteer
# HEAD_* rows, written for `doc` models), a title, a given name (`Featurizer._classes`)
CUE_BEFORE = {"HEAD_ORG": "O", "HEAD_LOC": "L", "HEAD_PER": "P", "TITLE": "T", "GIVEN": "G"}
GIVEN_SHARES = frozenset({"PERB=hi", "PERB=all"})  # `shares` buckets of a word that mostly starts names
MAX_PHRASE = 6  # longest gazetteer phrase marked, in tokens


def load_tsv(path: Path) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    if path.is_file():
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) > 1:
                    table[parts[0]] = tuple(parts[1:])
    return table


class Featurizer:
    """Features of normalized sentences for one language.

    `stems(word)` gives candidate clitic-free stems (Arabic proclitics; none in Persian),
    `key(word)` the lexicon matching key; both come from the language profile.
    """

    def __init__(self, clusters: dict[str, tuple[str, ...]], gazetteer: dict[str, tuple[str, ...]],
                 stems: Callable[[str], list[str]], key: Callable[[str], str],
                 shares: dict[str, tuple[str, ...]] | None = None, upos: bool = False,
                 emb: dict[str, tuple[str, ...]] | None = None, doc: bool = False) -> None:
        self.clusters = clusters
        self.doc = doc
        self.emb = emb or {}
        self.shares = shares or {}
        self.upos = upos
        self._pos_strings: dict[str, tuple[str, dict[int, str]]] = {}
        self.gazetteer = gazetteer
        self.stems = stems
        self.key = key
        self._cache: dict[str, tuple[list[str], str, str, dict]] = {}
        self._class_cache: dict[str, frozenset[str]] = {}
        self._cue_rows: dict[tuple[str, ...], tuple[list[str], list[str], list[str]]] = {}
        self.known: frozenset[str] | None = None  # see `keep_only`
        # every prefix of a multi-word key, to stop the phrase walk early
        self._prefixes = {k[:n] for k in gazetteer for n in range(1, len(k))}

    def keep_only(self, known: frozenset[str]) -> None:
        """At run time: build only the features the model has weights for (the CRF ignores
        the others, but converting them cost a sixth of the tagging time).  The tags do
        not change."""
        self.known = known
        self._cache.clear()
        self._cue_rows.clear()

    def _word(self, word: str) -> tuple[list[str], str, str]:
        """(own features, cluster id, normalized lowercase form, {distance: features as a neighbour})."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        lw = word.lower()
        feats = ["w=" + lw, f"p2={lw[:2]}", f"p3={lw[:3]}", f"s2={lw[-2:]}", f"s3={lw[-3:]}",
                 "len=" + str(min(len(lw), 10))]
        if any(ch.isdigit() for ch in lw):
            feats.append("digit")
        elif not any(ch.isalpha() for ch in lw):
            feats.append("punct")
        elif any(ch.isascii() for ch in lw):
            feats.append("latin")
        clusters = self.clusters.get(lw)
        stem = None
        if clusters is None:
            for candidate in self.stems(lw):
                if candidate in self.clusters:
                    stem, clusters = candidate, self.clusters[candidate]
                    break
        if stem:
            feats.append("stem=" + stem)
        if clusters:
            feats.extend(f"c{k}={c}" for k, c in enumerate(clusters))
        else:
            feats.append("c=?")
        gaz = self._gazetteer_types(lw)
        if gaz:
            feats.extend("gaz=" + g for g in gaz)
        cluster = clusters[1] if clusters and len(clusters) > 1 else "?"
        shares = [*self.shares.get(lw, ("none",))] if self.shares else []
        feats.extend("sh:" + x for x in shares)
        # what this word gives as a neighbour at each distance, built once per word
        near = [f"w={lw}", f"c={cluster}", f"s2={lw[-2:]}", f"p3={lw[:3]}", *(g for g in feats if g.startswith("gaz="))]
        seen = {d: [f"{d}:{x}" for x in (near if d in (-1, 1) else near[:2])] for d in (-2, -1, 1, 2)}
        for d in (-1, 1):
            seen[d].extend(f"{d}sh:" + x for x in shares)
        if self.emb:
            ids = self.emb.get(lw) or next((self.emb[s] for s in self.stems(lw) if s in self.emb), None)
            emb = [f"e{k}={c}" for k, c in enumerate(ids)] if ids else ["e=?"]
            feats.extend(emb)
            for d in (-2, -1, 1, 2):  # all granularities next to the word, the coarsest further
                seen[d].extend(f"{d}:{x}" for x in (emb if d in (-1, 1) else emb[:1]))
        known = self.known
        if known is not None:
            feats = [x for x in feats if x in known]
            seen = {d: [x for x in xs if x in known] for d, xs in seen.items()}
        out = (feats, cluster, lw, seen)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[word] = out
        return out

    def phrases(self, words: Sequence[str]) -> list[list[str]]:
        """Per token: `gB=T`/`gI=T` inside the longest gazetteer phrase of type T starting
        there (names, titles, institution heads), `gA=T` right after one."""
        keys = [self.key(w.lower()) for w in words]
        marks: list[list[str]] = [[] for _ in words]
        i = 0
        while i < len(words):
            acc, best = "", None
            for j in range(i, min(len(words), i + MAX_PHRASE)):
                acc += keys[j]
                if j > i and acc in self.gazetteer:
                    best = (j + 1, self.gazetteer[acc])
                if acc not in self._prefixes:
                    break
            if best is None:
                i += 1
                continue
            end, types = best
            for t in types:
                marks[i].append("gB=" + t)
                for k in range(i + 1, end):
                    marks[k].append("gI=" + t)
                if end < len(words):
                    marks[end].append("gA=" + t)
            i = end
        return marks

    def _gazetteer_types(self, lw: str) -> tuple[str, ...] | None:
        """The gazetteer row of a lowercase word, or of its first clitic-free stem that has one."""
        gaz = self.gazetteer.get(self.key(lw))
        if gaz is None:
            for candidate in self.stems(lw):
                gaz = self.gazetteer.get(self.key(candidate))
                if gaz:
                    break
        return gaz

    def _classes(self, lw: str) -> frozenset[str]:
        """The gazetteer classes of one lowercase word (names' types, TITLE, HEAD_*, SAY ...),
        and `GIVEN` when the shares corpus mostly starts persons' names with it."""
        hit = self._class_cache.get(lw)
        if hit is None:
            classes = set(self._gazetteer_types(lw) or ())
            if GIVEN_SHARES & set(self.shares.get(lw, ())):
                classes.add("GIVEN")
            hit = self._class_cache[lw] = frozenset(classes)
        return hit

    def document_cues(self, sentences: Sequence[Sequence[str]]) -> "DocumentCues":
        """Per word of one document (its sentences), what the document says of it anywhere:
        `T` right after a person's title (a TITLE word or phrase of the gazetteer), `T2` one
        word later; `G` right after a word that mostly starts a person's name in the shares
        corpus (a given name: `محمد ظریف` ... `ظریف`); `O`, `L`, `P` right after an
        organization's, a place's or a person's kind word (`باشگاه استقلال` ... `استقلال`);
        `A` right before a title (or a comma and a title: `جواد ظریف ، وزیر خارجه`); `S`
        right before a verb of saying (the language's `model_hints` class SAY: `کلانتری
        گفت`); `Q` inside quotes; `f=` how often it occurs (1, 2, 3-5, 6+).  Read by a
        `doc` model; empty for the others."""
        out = DocumentCues()
        if not self.doc:
            return out
        cues: dict[str, set[str]] = {}
        counts: dict[str, int] = {}
        for words in sentences:
            lw = [w.lower() for w in words]
            marks = self.phrases(words)
            out.marks[tuple(words)] = marks  # `sentence` reads them again
            classes = [self._classes(w) for w in lw]
            for w in lw:
                counts[w] = counts.get(w, 0) + 1
            n = len(lw)
            for i in range(n):
                word = lw[i]
                if not word.isalpha():
                    continue
                if i > 0:
                    # the classes of the word before, or of a gazetteer phrase ending there
                    before = classes[i - 1]
                    if marks[i]:
                        before = before | {m[3:] for m in marks[i] if m.startswith("gA=")}
                    if before:
                        mine = before & CUE_BEFORE.keys()
                        if mine:
                            cues.setdefault(word, set()).update(CUE_BEFORE[c] for c in mine)
                            if "TITLE" in mine and i + 1 < n and lw[i + 1].isalpha():
                                cues.setdefault(lw[i + 1], set()).add("T2")
                if i + 1 < n:
                    # the classes of the next word or of a phrase starting there (after a comma)
                    j = i + 2 if _is_comma(lw[i + 1]) and i + 2 < n else i + 1
                    after = classes[j]
                    if marks[j]:
                        after = after | {m[3:] for m in marks[j] if m.startswith("gB=")}
                    if "TITLE" in after:
                        cues.setdefault(word, set()).add("A")
                    if "SAY" in after and j == i + 1:
                        cues.setdefault(word, set()).add("S")
            for i, w in enumerate(lw):
                close = QUOTES.get(w)
                if close is None:
                    continue
                for j in range(i + 1, min(n, i + 2 + MAX_QUOTED)):
                    if lw[j] == close:
                        for k in range(i + 1, j):
                            cues.setdefault(lw[k], set()).add("Q")
                        break
        for w, c in counts.items():
            bucket = "1" if c == 1 else "2" if c == 2 else "3" if c <= 5 else "6"
            out[w] = tuple(sorted(cues.get(w, ()))) + ("f=" + bucket,)
        return out

    def sentence(self, words: Sequence[str], tags: Sequence[str] | None = None,
                 cues: "DocumentCues | None" = None) -> list[list[str]]:
        """Features per token; `tags`: the words' UPOS (read only by an `upos` model);
        `cues`: `document_cues` of the sentence's document (a `doc` model; without them,
        the sentence is its own document)."""
        own = [self._word(w) for w in words]
        marks = cues.marks.get(tuple(words)) if self.doc and cues is not None else None
        if marks is None:
            marks = self.phrases(words)
        n = len(words)
        out = []
        known = self.known
        for i in range(n):
            f = ["bias", *own[i][0], *marks[i]]
            if i == 0:
                f.append("BOS")
            for d in (-2, -1, 1, 2):
                j = i + d
                if 0 <= j < n:
                    f.extend(own[j][3][d])
                    if d in (-1, 1) and marks[j]:
                        f.extend(f"{d}:" + g for g in marks[j])
                else:
                    f.append(f"{d}:pad")
            if i > 0:
                pair = f"b-={own[i - 1][2]}|{own[i][2]}"
                if known is None or pair in known:
                    f.append(pair)
            if i < n - 1:
                pair = f"b+={own[i][2]}|{own[i + 1][2]}"
                if known is None or pair in known:
                    f.append(pair)
            out.append(f)
        if self.upos and tags:
            self._add_upos(out, tags)
        if self.doc:
            self._add_cues(out, own, self.document_cues([words]) if cues is None else cues)
        return out

    def _add_cues(self, out: list[list[str]], own: list, cues: "DocumentCues") -> None:
        rows = [self._cue_strings(cues.get(word[2], ())) for word in own]
        last = len(out) - 1
        for i, f in enumerate(out):
            f.extend(rows[i][0])
            if i > 0:
                f.extend(rows[i - 1][1])  # the word before, as the neighbour at -1
            if i < last:
                f.extend(rows[i + 1][2])

    def _cue_strings(self, names: tuple[str, ...]) -> tuple[list[str], list[str], list[str]]:
        """The feature strings of a word's cues as the token itself and as the neighbour at
        -1 and +1 (these without the count), only those the model knows at run time; built
        once per combination of cues."""
        rows = self._cue_rows.get(names)
        if rows is None:
            rows = ([f"d:{c}" for c in names], [f"-1d:{c}" for c in names if not c.startswith("f=")],
                    [f"1d:{c}" for c in names if not c.startswith("f=")])
            if self.known is not None:
                rows = tuple([x for x in row if x in self.known] for row in rows)
            self._cue_rows[names] = rows
        return rows

    def _add_upos(self, out: list[list[str]], tags: Sequence[str]) -> None:
        n = len(tags)
        strings = self._pos_strings
        for i, f in enumerate(out):
            own = strings.get(tags[i])
            if own is None:  # the tag's feature strings, built once per tag
                t = tags[i]
                own = strings[t] = ("pos=" + t, {d: f"{d}:pos={t}" for d in (-2, -1, 1, 2)})
            f.append(own[0])
            for d in (-2, -1, 1, 2):
                if 0 <= i + d < n:
                    f.append(strings[tags[i + d]][1][d] if tags[i + d] in strings else f"{d}:pos={tags[i + d]}")
            if i > 0:
                f.append(f"pb-={tags[i - 1]}|{tags[i]}")
            if i < n - 1:
                f.append(f"pb+={tags[i]}|{tags[i + 1]}")


@lru_cache(maxsize=4096)
def _is_comma(token: str) -> bool:
    """A one-character comma of any script (`,`, `،` ...), by its Unicode name."""
    return len(token) == 1 and "COMMA" in unicodedata.name(token, "")


class DocumentCues(dict):
    """`Featurizer.document_cues`: word → its cues; also the gazetteer marks of the
    document's sentences, which `Featurizer.sentence` reads instead of finding them again."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[tuple[str, ...], list[list[str]]] = {}


def cues_by_sentence(featurizer: Featurizer, documents) -> dict[int, DocumentCues]:
    """id(sentence) → its document's cues, for documents given as lists of sentences with
    `.words` (training data: ner/data.py)."""
    out: dict[int, DocumentCues] = {}
    for document in documents:
        if document and id(document[0]) in out:
            continue  # a corpus given several times repeats its documents' sentence objects
        cues = featurizer.document_cues([s.words for s in document])
        out.update((id(s), cues) for s in document)
    return out
