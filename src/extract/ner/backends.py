"""Which NER model the actors stage uses: `crf` (models/ner-<lang>-crf), `stanza`
(official stanza models in models/stanza, else models/ner-<lang>-stanza), or `auto`:
stanza when one of its NER models is there, else the CRF."""
from __future__ import annotations

import logging
from pathlib import Path

BACKENDS = ("auto", "crf", "stanza")

log = logging.getLogger(__name__)


def load_ner(lang: str, backend: str = "auto", models: str | Path | None = None):
    """The NER model of `backend` for `lang` (an object with `tag_words`, `source`, `vocabulary`)."""
    if backend not in BACKENDS:
        raise ValueError(f"NER backend must be one of {BACKENDS}, not {backend!r}")
    directory = Path(models) if models else None
    if backend in ("auto", "stanza"):
        from . import stanza_ner

        if backend == "stanza" or stanza_ner.available(lang, directory):
            return stanza_ner.StanzaNER.load(lang, directory)
        log.info("ner: no stanza NER model for %s; using the CRF", lang)
    from .tagger import NERModel

    return NERModel.load(lang, directory)
