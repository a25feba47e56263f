"""Language registry: each supported language is a folder `lang/<code>/` whose
`__init__.py` defines `LANGUAGE`, a `LanguageProfile`.  Adding a language means adding
a folder; nothing outside it changes."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from ..errors import ExtractError
from ..text.normalize import Normalized

LANG_DIR = Path(__file__).parent

# (start, end) offsets into the normalized text
Span = tuple[int, int]


@dataclass
class LanguageProfile:
    code: str
    name: str
    normalize: Callable[[str], Normalized]
    # normalized text → token spans (normalized offsets), in order, non-overlapping
    tokenize: Callable[[str], list[Span]]
    # normalized text → sentence spans (normalized offsets)
    sentences: Callable[[str], list[Span]]
    # a token's normalized form → the key lexicons match on (folds spelling variants)
    match_key: Callable[[str], str]
    # letters that only this language uses among the supported ones, with weights
    marker_letters: dict[str, float] = field(default_factory=dict)
    # frequent function words only this language uses, with weights (read as written)
    marker_words: dict[str, float] = field(default_factory=dict)
    # extra per-token annotations (name → function of the normalized token text)
    token_features: dict[str, Callable[[str], object]] = field(default_factory=dict)
    # tagging backends' fallback lemmatizer
    fallback_lemma: Callable[[str, str], str] | None = None
    # the CRF tagger's language hooks: a module with lookup_forms(word),
    # token_features(lw, word, lexicon) and neighbour_features(w, offset)
    tagger_features: object | None = None
    # how this language's UD treebanks spell clitics (`tagging.ud`): a module with
    # detect_scheme(head) and surface_tokens(sentence, scheme); None = UD multiword lines
    treebank: object | None = None
    directory: Path = LANG_DIR


def supported_languages() -> list[str]:
    return sorted(p.name for p in LANG_DIR.iterdir() if (p / "__init__.py").is_file())


@lru_cache(maxsize=None)
def get_language(code: str) -> LanguageProfile:
    if code not in supported_languages():
        raise ExtractError("E004", lang=code, supported=", ".join(supported_languages()))
    module = importlib.import_module(f"{__name__}.{code}")
    return module.LANGUAGE


def regex_spans(pattern, text: str) -> list[Span]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def line_spans(text: str) -> Sequence[Span]:
    """Non-blank lines (a line break always ends a sentence in news text)."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            left = len(body) - len(body.lstrip())
            spans.append((pos + left, pos + len(body.rstrip())))
        pos += len(line)
    return spans
