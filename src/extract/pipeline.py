"""Pipeline(lang): the spaCy Language for one language, and its projection to Documents.

The Language is built from `lang/<code>/pipeline.cfg`; each stage is a registered
component that declares what it requires and assigns, and `check_order` refuses a
pipeline in which a stage runs before what it needs.
"""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from importlib.metadata import PackageNotFoundError, version
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import stages  # noqa: F401  (registers extensions)
from .document import Document, sha256_text
from .errors import ExtractError
from .lang import get_language
from .stages import sentences as _sentences, tag as _tag, tokenize as _tokenize  # noqa: F401 (registers factories)
from .stages import dates as _dates  # noqa: F401 (registers extract_dates)
from .stages import amounts as _amounts  # noqa: F401 (registers extract_amounts)
from .stages import actors as _actors  # noqa: F401 (registers extract_actors)
from .stages import SPAN_GROUPS

# What the tokenizer itself provides before any component runs.
TOKENIZER_ASSIGNS = frozenset({"token.norm", "token.idx", "doc._.normalized"})

try:
    __version__ = version("extract")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"


def check_order(nlp: Language) -> None:
    """Every stage's `requires` must be assigned by the tokenizer or an earlier stage."""
    available = set(TOKENIZER_ASSIGNS)

    def declared(name: str) -> tuple[set, set]:
        meta = nlp.get_pipe_meta(name)
        groups = SPAN_GROUPS.get(meta.factory, {})
        needs = set(meta.requires) | {f"doc.spans[{g!r}]" for g in groups.get("needs", ())}
        sets = set(meta.assigns) | {f"doc.spans[{g!r}]" for g in groups.get("sets", ())}
        return needs, sets

    for name in nlp.pipe_names:
        needs, sets = declared(name)
        missing = sorted(attr for attr in needs if attr not in available)
        if missing:
            later = [n for n in nlp.pipe_names if declared(n)[1] & set(missing)]
            hint = f"; {', '.join(later)} assigns it but runs later" if later else ""
            raise ExtractError("E101", lang=nlp.lang, detail=f"stage {name!r} needs {', '.join(missing)}{hint}")
        available.update(sets)


def build_language(lang: str, overrides: dict | None = None) -> Language:
    profile = get_language(lang)
    config = spacy.util.load_config(profile.directory / "pipeline.cfg", overrides=overrides or {}, interpolate=False)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    check_order(nlp)
    return nlp


def lexicon_digests(directory: Path) -> dict[str, str]:
    """A short sha256 of every data file a language ships (not its examples)."""
    return {
        f"{directory.name}/{path.relative_to(directory).as_posix()}": hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        for path in sorted(directory.glob("*.yaml"))
    }


def parse_reference_date(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ExtractError("E005", value=value) from exc


class Pipeline:
    """Extraction for one language.

    >>> Pipeline("fa").process("پاکستان در سال ۱۹۵۰ ...").sentences

    `tagger`: auto|crf|stanza|ensemble (stages/tag.py); `ner`: auto|crf|stanza (ner/backends.py);
    `date_scorer=True`: the date rules checked by their learned scorer (stages/dates_scorer.py;
    off by default in pipeline.cfg).
    """

    def __init__(self, lang: str, *, tagger: str = "auto", models: str | None = None, ner: str = "auto",
                 date_scorer: bool | None = None) -> None:
        overrides = {"components.extract_tagger.backend": tagger, "components.extract_tagger.models": models,
                     "components.extract_actors.models": models, "components.extract_actors.ner_backend": ner,
                     "components.extract_dates.models": models}
        if date_scorer is not None:  # else pipeline.cfg decides (off: see README, Dates)
            overrides["components.extract_dates.scorer"] = date_scorer
        self.lang = lang
        self.nlp = build_language(lang, overrides)
        self.description = self._describe()

    def analyze(self, text: str, reference_date: str | date | None = None) -> Doc:
        """The annotated spaCy Doc (tokens with norm, UPOS, lemma; span groups)."""
        doc = self.nlp.make_doc(text)
        doc._.reference_date = parse_reference_date(reference_date)  # stages resolve relative dates with it
        for _, component in self.nlp.pipeline:
            doc = component(doc)
        return doc

    def process(self, text: str, reference_date: str | date | None = None, doc_id: str = "-") -> Document:
        ref = parse_reference_date(reference_date)
        return self.to_document(self.analyze(text, ref), doc_id, ref)

    def pipe(
        self, texts: Iterable[str], reference_date: str | date | None = None
    ) -> Iterator[Document]:
        ref = parse_reference_date(reference_date)
        for index, text in enumerate(texts):
            yield self.process(text, ref, str(index))

    def _describe(self) -> dict:
        """The `pipeline` field: versions of the package, each stage, each model and lexicon."""
        stages = {"tokenizer": self.nlp.tokenizer.version}
        models = {}
        for name, component in self.nlp.pipeline:
            stages[name] = getattr(component, "version", "unversioned")
            if getattr(component, "source", None):
                models[name] = component.source
        return {"extract": __version__, "spacy": spacy.__version__, "stages": stages, "models": models,
                "lexicons": lexicon_digests(get_language(self.lang).directory)}

    def to_document(self, doc: Doc, doc_id: str, reference_date: date | None) -> Document:
        sentences = [(span.start_char, span.end_char) for span in doc.spans.get("sentences", [])]
        lists = {name: project_items(doc, name) for name in ITEM_LISTS}
        return Document(
            doc_id=doc_id,
            lang=self.lang,
            text_sha256=sha256_text(doc.text),
            reference_date=reference_date,
            sentences=sentences,
            pipeline=self.description,
            **lists,
        )


# span group → id prefix of its items in the document
ITEM_LISTS = {"dates": "d", "amounts": "m", "actors": "a"}


def project_items(doc: Doc, name: str) -> list[dict]:
    """The items of span group `name`, in text order, with ids and raw text filled in."""
    items = []
    for span in doc.spans.get(name, []):
        item = dict(span._.item or {})
        start, end = item.pop("start", span.start_char), item.pop("end", span.end_char)
        items.append({"start": start, "end": end, **item})
    items.sort(key=lambda it: (it["start"], it["end"]))
    prefix = ITEM_LISTS[name]
    return [{"id": f"{prefix}{k}", "text": doc.text[it["start"]:it["end"]], **it} for k, it in enumerate(items, 1)]


def empty_document(text: str, lang: str, doc_id: str, reference_date: date | None = None) -> Document:
    """A valid document for text with nothing in it (no pipeline needed)."""
    return Document(doc_id=doc_id, lang=lang, text_sha256=sha256_text(text), reference_date=reference_date,
                    pipeline={"extract": __version__, "stages": {}, "models": {}, "lexicons": {}})
