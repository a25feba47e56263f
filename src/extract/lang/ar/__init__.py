"""Arabic (ar): camel-tools normalization, rule tokenizer with exposed proclitics."""
from __future__ import annotations

from pathlib import Path

from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

from .. import LanguageProfile
from . import normalizer, tagger_features, tokenizer, treebank

HERE = Path(__file__).parent


def match_key(form: str) -> str:
    """camel-tools' folds for matching: أ إ آ ٱ → ا, ى → ي, ة → ه."""
    return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(form)))


def _fallback_lemma(word: str, upos: str) -> str:
    from .lemmatizer import fallback_lemma

    return fallback_lemma(word, upos)


LANGUAGE = LanguageProfile(
    code="ar",
    name="Arabic",
    normalize=normalizer.normalize,
    tokenize=tokenizer.tokenize,
    sentences=tokenizer.sentences,
    match_key=match_key,
    # letters Arabic writes and Persian (almost) never does
    marker_letters={"ة": 2.0, "ى": 0.5, "إ": 2.0, "ؤ": 1.0, "ً": 1.0, "ٌ": 1.0, "ٍ": 1.0, "أ": 0.5},
    marker_words={w: 2.0 for w in ("في", "إلى", "على", "التي", "الذي", "هذا", "هذه", "عن", "أن", "كان", "قد", "لم", "لا")},
    token_features={"proclitic_stems": tokenizer.proclitic_stems},
    fallback_lemma=_fallback_lemma,
    tagger_features=tagger_features,
    treebank=treebank,
    directory=HERE,
)
