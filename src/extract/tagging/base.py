"""The interface every tagging backend implements."""
from __future__ import annotations

from typing import Protocol, Sequence


class Tagger(Protocol):
    """Tags pre-tokenized sentences.

    `tag` takes sentences as lists of token strings (the *normalized* form of each
    token, as `extract.text.normalize` produces it) and returns, per token, a pair
    (UPOS, lemma).  `source` names the backend and model for provenance, e.g.
    ``model:tagger-fa-crf@1a2b3c4d``.
    """

    source: str

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[str, str]]]:
        ...
