"""Arabic lemma fallback for words the CRF tagger's lemma table has never seen.

If camel-tools' morphology database is installed locally (`camel_data -i
morphology-db-msa-r13`), its analyzer gives the lemma of the analysis whose POS agrees
with the UPOS.  Otherwise (the default offline install) the lemma is the word with its
proclitics (conjunction, preposition, article) stripped and diacritics removed — a
crude but predictable approximation.  camel-tools is only imported when its data
folder exists, because importing `camel_tools.data` without a local catalogue tries
to download one.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_NOMINAL = {"NOUN", "PROPN", "ADJ", "NUM"}
# Longest first: conjunction + preposition + article combinations.
_NOMINAL_PREFIXES = ("وبال", "فبال", "وكال", "فكال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")
_CAMEL_POS = {
    "NOUN": {"noun", "noun_quant", "noun_num"}, "PROPN": {"noun_prop"}, "ADJ": {"adj", "adj_comp", "adj_num"},
    "VERB": {"verb", "verb_pseudo"}, "AUX": {"verb"}, "ADV": {"adv", "adv_interrog", "adv_rel"},
}


def _camel_data_dir() -> Path:
    env = os.environ.get("CAMELTOOLS_DATA")
    return Path(env) if env else Path.home() / ".camel_tools"


@lru_cache(maxsize=1)
def _analyzer():
    data = _camel_data_dir()
    if not (data / "data" / "morphology_db").is_dir() or not any(data.glob("catalogue*.json")):
        return None
    try:
        from camel_tools.morphology.analyzer import Analyzer
        from camel_tools.morphology.database import MorphologyDB

        return Analyzer(MorphologyDB.builtin_db())
    except Exception:
        return None


def _strip(word: str, upos: str) -> str:
    word = _DIACRITICS.sub("", word)
    if upos in _NOMINAL:
        for prefix in _NOMINAL_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                return word[len(prefix):]
    return word


@lru_cache(maxsize=50_000)
def fallback_lemma(word: str, upos: str) -> str:
    """The lemma of a normalized Arabic `word` tagged `upos` (best effort, undiacritized)."""
    if upos in ("PUNCT", "NUM", "SYM", "X") or not word:
        return word
    analyzer = _analyzer()
    if analyzer is not None:
        try:
            analyses = analyzer.analyze(word)
        except Exception:
            analyses = []
        wanted = _CAMEL_POS.get(upos)
        for analysis in analyses:
            if wanted is None or analysis.get("pos") in wanted:
                lemma = _DIACRITICS.sub("", analysis.get("lex", "")).replace("\u0671", "\u0627")
                if lemma:
                    return lemma
    return _strip(word, upos)
