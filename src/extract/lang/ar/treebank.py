"""Arabic treebank hooks for `extract.tagging.ud`: how Arabic UD files spell clitics.

* UD 2 (PUD): syntactic words linked by `SpaceAfter=No` that are both made of letters
  are joined (`نشرت` + `ها` -> `نشرتها`; punctuation is never joined).
* UD 1.3 (PADT 1.3): fully vocalized, clitic-split, without multiword lines or
  SpaceAfter.  Single-letter proclitic words are attached to the next word and enclitic
  pronouns to the previous one (lists in `clitics.yaml`), all forms are dediacritized,
  and the UD 1.3 tags are brought to UD 2 conventions (`upgrade_padt13`); words PADT
  left unanalyzed get an empty UPOS (training tags them, evaluation skips them).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from ...tagging.ud import Sentence, SurfaceToken, Word

HERE = Path(__file__).parent

# Arabic harakat, tanween, shadda, sukun, superscript alef, Quranic marks, tatweel.
_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = re.compile(r"^[^\W\d_]+$")

SPACEAFTER, PADT13 = "spaceafter", "padt13"


def detect_scheme(head: str) -> str:
    """`spaceafter` (UD 2, PUD) or `padt13` (UD 1.3), from a file's first characters."""
    return SPACEAFTER if "SpaceAfter=No" in head else PADT13


def surface_tokens(sentence: Sentence, scheme: str | None = None) -> list[SurfaceToken]:
    if scheme == PADT13:
        return _padt13_surface(sentence)
    return _spaceafter_surface(sentence)


def dediacritize(text: str) -> str:
    """Strip Arabic diacritics and tatweel; alef wasla becomes plain alef."""
    return _AR_DIACRITICS.sub("", text).replace("\u0671", "\u0627")


@lru_cache(maxsize=1)
def arabic_clitics() -> dict:
    """The clitic lists of `extract/lang/ar/clitics.yaml`."""
    with open(HERE / "clitics.yaml", encoding="utf-8") as handle:
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


def _spaceafter_surface(sentence: Sentence) -> list[SurfaceToken]:
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


def _padt13_surface(sentence: Sentence) -> list[SurfaceToken]:
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
