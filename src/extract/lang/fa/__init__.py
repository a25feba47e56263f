"""Persian (fa): normalization from hazm's rules, hazm tokenizers and lemmatizer."""
from __future__ import annotations

from pathlib import Path

from ...text.charmap import load_keymap
from .. import LanguageProfile
from . import normalizer, tagger_features, tokenizer

HERE = Path(__file__).parent
_KEY_TABLE, _SUFFIXES = load_keymap(HERE / "keymap.yaml")
_KEYMAP = str.maketrans(_KEY_TABLE)


def match_key(form: str) -> str:
    key = form.translate(_KEYMAP)
    for ending, folded in _SUFFIXES:
        if key.endswith(ending) and len(key) > len(ending):
            return key[: -len(ending)] + folded
    return key


def _fallback_lemma(word: str, upos: str) -> str:
    from .lemmatizer import fallback_lemma

    return fallback_lemma(word, upos)


LANGUAGE = LanguageProfile(
    code="fa",
    name="Persian",
    normalize=normalizer.normalize,
    tokenize=tokenizer.tokenize,
    sentences=tokenizer.sentences,
    match_key=match_key,
    # letters Persian has and Arabic lacks; ک and ی also appear as ك/ي in Persian input
    marker_letters={"پ": 3.0, "چ": 3.0, "ژ": 3.0, "گ": 3.0, "ک": 1.0, "ی": 1.0, "\u200c": 1.0},
    marker_words={w: 2.0 for w in ("در", "از", "به", "که", "را", "این", "است", "با", "برای", "یک", "يک", "شد", "کرد", "كرد")},
    fallback_lemma=_fallback_lemma,
    tagger_features=tagger_features,
    directory=HERE,
)
