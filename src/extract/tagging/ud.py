"""Reading CoNLL-U files and rebuilding the *surface tokens* a tagger sees at run time.

UD splits orthographic words into syntactic words (Arabic `ل` + `أوباما`, Persian
`برای` + `مان`).  At run time the tagger gets whole surface tokens (`لأوباما`,
`برایمان`), so training and evaluation use surface tokens too, each labelled with the
UPOS and lemma of its *host* word (the first word of the group that is not a clitic).

* Persian (UD 2): multiword-token lines (`3-4  برایمان`) give the surface form.
* Arabic UD 2 (PUD): syntactic words linked by `SpaceAfter=No` that are both made of
  letters are joined (`نشرت` + `ها` -> `نشرتها`; punctuation is never joined).
* Arabic UD 1.3 (PADT 1.3): fully vocalized, clitic-split, without multiword lines or
  SpaceAfter.  Single-letter proclitic words are attached to the next word and enclitic
  pronouns to the previous one (lists in `extract/lang/ar/clitics.yaml`), all forms are
  dediacritized, and the UD 1.3 tags are brought to UD 2 conventions (`upgrade_padt13`);
  words PADT left unanalyzed get an empty UPOS (training tags them, evaluation skips them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import yaml

LANG_DIR = Path(__file__).resolve().parents[1] / "lang"  # src/extract/lang

# Arabic harakat, tanween, shadda, sukun, superscript alef, Quranic marks, tatweel.
_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = re.compile(r"^[^\W\d_]+$")


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


def dediacritize(text: str) -> str:
    """Strip Arabic diacritics and tatweel; alef wasla becomes plain alef."""
    return _AR_DIACRITICS.sub("", text).replace("\u0671", "\u0627")


@lru_cache(maxsize=1)
def arabic_clitics() -> dict:
    """The clitic lists of `extract/lang/ar/clitics.yaml`."""
    with open(LANG_DIR / "ar" / "clitics.yaml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {
        "proclitics": set(data["proclitics"]["forms"]),
        "proclitic_upos": set(data["proclitics"]["upos"]),
        "enclitics": set(data["enclitics"]["forms"]),
        "enclitic_upos": set(data["enclitics"]["upos"]),
        "conjunctions": list(data["strip_prefixes"]["conjunctions"]),
        "prepositions": list(data["strip_prefixes"]["prepositions"]),
        "articles": list(data["strip_prefixes"]["articles"]),
    }


def _is_proclitic(form: str, upos: str) -> bool:
    c = arabic_clitics()
    return form in c["proclitics"] and upos in c["proclitic_upos"]


def _is_enclitic(form: str, upos: str) -> bool:
    c = arabic_clitics()
    return form in c["enclitics"] and upos in c["enclitic_upos"]


def _host_index(forms: list[str], upos: list[str]) -> int:
    """The first word that is neither a proclitic nor an enclitic (else the first word)."""
    for i, (form, tag) in enumerate(zip(forms, upos)):
        if not _is_proclitic(form, tag) and not (i > 0 and _is_enclitic(form, tag)):
            return i
    return 0


# ---------------------------------------------------------------- UD 1.3 -> UD 2 (PADT)

_NATIONALITY_GLOSS = re.compile(r"(?:i|ian|ean|an|ese|ish|ic|ist|s)$")
_COMMON_CAPITALIZED = {"Sir", "Mr.", "Arabs", "Muslim", "Christian", "God", "Allah", "Islam"}
_SCONJ_LEMMAS = {"أن", "أنّ", "كأن", "كأنّ", "لأن", "لأنّ"}
_AUX_LEMMAS = {"كان"}


def upgrade_padt13(word: Word) -> str | None:
    """The UD 2 UPOS of a PADT 1.3 word, following the later PADT/PUD conventions.

    * CONJ -> CCONJ, except the complementizers أن/أنّ (SCONJ);
    * كان (VERB) -> AUX;
    * foreign words (X, XPOS `X-…`), abbreviations (XPOS `Y-…`) and proper-name
      tags (XPOS `Z-…`) -> PROPN;
    * NOUN whose first English gloss is capitalized (Iraq, Cairo, Saturday, May) and
      is not a nationality/religion noun (Iraqi, Muslim) -> PROPN, since UD 1.3 PADT
      tagged proper nouns NOUN;
    * XPOS `U-…` (words the annotators left unanalyzed, often not even clitic-split)
      -> None: the surface token gets an empty UPOS and the caller decides
      (training: `train_crf._resolve_unanalyzed`; evaluation: not scored).
    """
    upos, xpos = word.upos, word.xpos or "_"
    lemma = dediacritize(word.lemma)
    if xpos.startswith("U"):
        return None
    if upos == "CONJ":
        return "SCONJ" if lemma in _SCONJ_LEMMAS else "CCONJ"
    if upos == "VERB" and lemma in _AUX_LEMMAS:
        return "AUX"
    if xpos[:1] in ("X", "Y", "Z") and upos in ("X", "NOUN", "PROPN"):
        return "PROPN"
    if upos == "NOUN":
        gloss = word.misc_value("Gloss")
        if gloss:
            first = gloss.split(",")[0]
            if (
                first[:1].isupper()
                and first not in _COMMON_CAPITALIZED
                and not _NATIONALITY_GLOSS.search(first)
                and not lemma.endswith("ي")
            ):
                return "PROPN"
            if first in ("Iran", "Sudan", "Japan", "Lebanon", "Pakistan", "Afghanistan", "Oman", "Yemen",
                         "Jordan", "Bahrain", "Kuwait", "Taiwan", "Iraq", "Tunis", "Paris", "Washington"):
                return "PROPN"
    return upos


# ---------------------------------------------------------------- surface reconstruction


def _join_padt(forms: list[str], host: int) -> str:
    """Spell clitic-split PADT words as one orthographic word."""
    out = ""
    for i, form in enumerate(forms):
        if not out:
            out = form
            continue
        if i <= host:  # attaching a host (or another proclitic) to proclitics
            if out.endswith("ل") and form.startswith("ال") and len(form) > 2:
                # ل + الحظر -> للحظر ; ل + الله -> لله
                form = form[1:] if not form.startswith("الل") else form[2:]
            out += form
        else:  # an enclitic pronoun
            if out.endswith("ة"):
                out = out[:-1] + "ت"
            elif out.endswith("ى"):
                out = out[:-1] + "ا"
            elif out.endswith("وا") and len(out) > 2:
                out = out[:-1]
            out += form
    return out


def _fa_surface(sentence: Sentence) -> list[SurfaceToken]:
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


def _ar_surface_spaceafter(sentence: Sentence) -> list[SurfaceToken]:
    groups: list[list[Word]] = []
    glue = False
    for word in sentence.words:
        letters = bool(_LETTERS.match(dediacritize(word.form)))
        if glue and letters and groups and _LETTERS.match(dediacritize(groups[-1][-1].form)):
            groups[-1].append(word)
        else:
            groups.append([word])
        glue = not word.space_after
    tokens = []
    for group in groups:
        forms = [dediacritize(w.form) for w in group]
        tags = [w.upos for w in group]
        host = _host_index(forms, tags)
        tokens.append(SurfaceToken("".join(forms), group[host].upos, dediacritize(group[host].lemma), tuple(forms)))
    return tokens


def _ar_surface_padt13(sentence: Sentence) -> list[SurfaceToken]:
    words = sentence.words
    forms = [dediacritize(w.form) for w in words]
    tags: list[str | None] = [upgrade_padt13(w) for w in words]
    raw = [w.upos for w in words]
    groups: list[list[int]] = []
    pending: list[int] = []  # proclitics waiting for their host
    for i, form in enumerate(forms):
        if _is_proclitic(form, raw[i]) and i + 1 < len(words) and _LETTERS.match(forms[i + 1]):
            pending.append(i)
            continue
        if not pending and groups and _is_enclitic(form, raw[i]) and _LETTERS.match(forms[groups[-1][-1]]):
            groups[-1].append(i)
            continue
        groups.append(pending + [i])
        pending = []
    if pending:
        groups.append(pending)
    tokens = []
    for group in groups:
        gforms = [forms[k] for k in group]
        host = _host_index(gforms, [raw[k] for k in group])
        h = group[host]
        tokens.append(SurfaceToken(_join_padt(gforms, host), tags[h] or "", dediacritize(words[h].lemma), tuple(gforms)))
    return tokens


def detect_scheme(path: str | Path, lang: str) -> str:
    """`mwt` (Persian, UD 2), `spaceafter` (Arabic UD 2) or `padt13` (Arabic UD 1.3)."""
    if lang == "fa":
        return "mwt"
    with open(path, encoding="utf-8") as handle:
        head = handle.read(200_000)
    return "spaceafter" if "SpaceAfter=No" in head else "padt13"


def surface_tokens(sentence: Sentence, lang: str, scheme: str | None = None) -> list[SurfaceToken]:
    """The surface tokens of one sentence, each with its host word's UPOS and lemma."""
    if lang == "fa" or scheme == "mwt":
        return _fa_surface(sentence)
    if scheme == "padt13":
        return _ar_surface_padt13(sentence)
    return _ar_surface_spaceafter(sentence)


def load_surface(path: str | Path, lang: str, scheme: str | None = None) -> list[list[SurfaceToken]]:
    """All sentences of a CoNLL-U file as surface tokens."""
    scheme = scheme or detect_scheme(path, lang)
    return [surface_tokens(s, lang, scheme) for s in read_conllu(path)]
