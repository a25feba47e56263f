"""Reading CoNLL-U files and rebuilding the *surface tokens* a tagger sees at run time.

UD splits orthographic words into syntactic words (Persian `برای` + `مان`, Arabic
`ل` + `أوباما`).  At run time the tagger gets whole surface tokens (`برایمان`,
`لأوباما`), so training and evaluation use surface tokens too, each labelled with the
UPOS and lemma of its *host* word (the first word of the group that is not a clitic).

The generic rule is UD's own: multiword-token lines (`3-4  برایمان`) give the surface
form.  Treebanks that spell clitics differently (Arabic PUD's `SpaceAfter=No` groups,
the clitic-split PADT 1.3) are read by their language folder's hooks,
`lang/<code>/treebank.py`: `detect_scheme(head)` names the file's scheme from its first
characters and `surface_tokens(sentence, scheme)` rebuilds the tokens.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

MWT = "mwt"  # the generic scheme: UD multiword-token lines


@dataclass
class Word:
    id: int
    form: str
    lemma: str
    upos: str
    xpos: str = "_"
    feats: str = "_"
    misc: str = "_"

    def misc_value(self, key: str) -> str | None:
        for item in self.misc.split("|"):
            if item.startswith(key + "="):
                return item[len(key) + 1:]
        return None

    @property
    def space_after(self) -> bool:
        return self.misc_value("SpaceAfter") != "No"


@dataclass
class MultiwordToken:
    start: int
    end: int
    form: str
    misc: str = "_"


@dataclass
class Sentence:
    sent_id: str = ""
    text: str = ""
    newdoc: str | None = None
    words: list[Word] = field(default_factory=list)
    multiword: list[MultiwordToken] = field(default_factory=list)


@dataclass
class SurfaceToken:
    form: str
    upos: str
    lemma: str
    words: tuple[str, ...] = ()  # the syntactic words it was built from


def read_conllu(path: str | Path) -> Iterator[Sentence]:
    """Yield the sentences of a CoNLL-U file (empty nodes `3.1` are skipped)."""
    sentence = Sentence()
    doc: str | None = None
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if not line.strip():
                if sentence.words:
                    yield sentence
                sentence = Sentence()
                continue
            if line.startswith("#"):
                key, _, value = line[1:].partition("=")
                key, value = key.strip(), value.strip()
                if key == "sent_id":
                    sentence.sent_id = value
                elif key == "text":
                    sentence.text = value
                elif key == "newdoc id":
                    doc = value
                    sentence.newdoc = value
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                continue
            if "." in cols[0]:
                continue
            if "-" in cols[0]:
                start, end = cols[0].split("-")
                sentence.multiword.append(MultiwordToken(int(start), int(end), cols[1], cols[9]))
                continue
            sentence.words.append(Word(int(cols[0]), cols[1], cols[2], cols[3], cols[4], cols[5], cols[9]))
            if sentence.newdoc is None:
                sentence.newdoc = doc
    if sentence.words:
        yield sentence


def multiword_surface(sentence: Sentence) -> list[SurfaceToken]:
    """Surface tokens from UD multiword-token lines; a plain word is its own token."""
    ranges = {m.start: m for m in sentence.multiword}
    by_id = {w.id: w for w in sentence.words}
    tokens: list[SurfaceToken] = []
    i = 0
    words = sentence.words
    while i < len(words):
        word = words[i]
        mwt = ranges.get(word.id)
        if mwt is not None:
            parts = [by_id[k] for k in range(mwt.start, mwt.end + 1) if k in by_id]
            host = parts[0]
            tokens.append(SurfaceToken(mwt.form, host.upos, host.lemma, tuple(p.form for p in parts)))
            i += len(parts)
            continue
        tokens.append(SurfaceToken(word.form, word.upos, word.lemma, (word.form,)))
        i += 1
    return tokens


def _treebank_hooks(lang: str):
    from ..lang import get_language

    return getattr(get_language(lang), "treebank", None)


def detect_scheme(path: str | Path, lang: str) -> str:
    """The file's surface scheme: the language's hooks decide, else `mwt`."""
    hooks = _treebank_hooks(lang)
    if hooks is None:
        return MWT
    with open(path, encoding="utf-8") as handle:
        head = handle.read(200_000)
    return hooks.detect_scheme(head)


def surface_tokens(sentence: Sentence, lang: str, scheme: str | None = None) -> list[SurfaceToken]:
    """The surface tokens of one sentence, each with its host word's UPOS and lemma."""
    hooks = _treebank_hooks(lang)
    if hooks is None or scheme == MWT:
        return multiword_surface(sentence)
    return hooks.surface_tokens(sentence, scheme)


def load_surface(path: str | Path, lang: str, scheme: str | None = None) -> list[list[SurfaceToken]]:
    """All sentences of a CoNLL-U file as surface tokens."""
    scheme = scheme or detect_scheme(path, lang)
    return [surface_tokens(s, lang, scheme) for s in read_conllu(path)]
