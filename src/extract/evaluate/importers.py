"""Gold importers: annotated corpora (IOB, nested IOB, CoNLL-U) -> extract/1 gold documents.

    mapping, opts = resolve_mapping("peyma"), preset_options("peyma")
    items = import_source("shared/data/peyma-600k", "iob", "fa", mapping, lenient=True)
    train, dev = peyma_split([doc_id for doc_id, _, _ in items])
    write_gold([it for it in items if it[0] in set(dev)], "gold/peyma-dev")

or in one call, as `extract gold import` does: `run_import(src, out_dir, preset="peyma")`.

The raw text is rebuilt from the tokens: one sentence a line (each line ends with "\\n"),
tokens joined by one space (CoNLL-U: none after a token marked `SpaceAfter=No`), so every
token and every span has exact offsets and `raw[start:end] == text`.  Bidi marks
(U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and stray BOMs are removed from tokens;
`$#$` tokens (Wojood's line-break marker) are dropped.

Formats (what the data sets do, read from the files):
* `iob`: `TOKEN<TAB>TAG` or `TOKEN TAG` (a tab line splits on tabs only, so a token may hold
  spaces; extra middle columns are ignored, the tag is the last one); a blank line, or one
  holding only tabs (NewsFANE writes `\\t`), ends a sentence; `-DOCSTART-` starts a document.
  Tags: O, B-/I- (IOB2; an I- that does not continue a span of its type starts one, as in
  IOB1), E-/S- (also L-/U-) for BIOES.  PEYMA: one document a file, blank lines between
  sentences.  ArmanPersoNER and NewsFANE: no document boundaries (split with `sents_per_doc`
  or `docs_per_file`).
* `iob-nested`: Wojood, `TOKEN TAG [TAG ...]`, one column per nesting level, each column read
  as IOB on its own.  `$#$` marks a line break of the source (it ends most sentences and
  sometimes sits mid-sentence); the sentences of the sample are unrelated to each other, so
  there are no documents either.
* `conllu`: Universal Dependencies; the surface tokens (multiword-token lines instead of their
  words) with `SpaceAfter=No` honoured; `# newdoc` starts a document, and so does a new
  document name in PADT 1.3's `# orig_file_sentence NAME#N`.  No entity columns: the
  documents carry text and sentences only.

Spans: a source type goes to a list and type through the mapping (`DAT -> dates/DATE`);
unmapped types are dropped and counted.  Nesting: per list, a span inside (or equal to)
another span of the same list is dropped (Wojood's `MONEY` with an inner `CURR` keeps the
MONEY; an `ORG` with an inner `GPE` keeps only the ORG, both being actors; a DATE inside an
ORG is kept).  Ids `d1`, `m1`, `a1` per list in text order; dates and amounts get value null.

Malformed input is a numbered error naming file and line (E421-E432).  In lenient mode the
repairable slips of PEYMA are repaired and counted instead (see `ImportStats.repairs`):
a token on one line and its tag alone on the next, a tag line without token, a token without
tag (tagged O), the last tag glued to the last token of a file (`شدO`), empty tokens.

The token boundaries that are not whitespace (`SpaceAfter=No`) and whitespace inside a token
are kept in `pipeline.gold_import`, so `export_tokens(raw, document)` gives back exactly the
tokens that were read (`check_round_trip`).
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence, get_args

from ..document import ActorItem, AmountItem, DateItem, Document, sha256_text
from ..errors import ExtractError
from ..text.decode import read_text

FORMATS = ("iob", "iob-nested", "conllu")
LIST_MODELS = {"dates": DateItem, "amounts": AmountItem, "actors": ActorItem}
LIST_TYPES = {name: tuple(get_args(model.model_fields["type"].annotation)) for name, model in LIST_MODELS.items()}
ID_PREFIX = {"dates": "d", "amounts": "m", "actors": "a"}

STRIP_CHARS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_STRIP_TABLE = str.maketrans("", "", STRIP_CHARS)
MARKER_TOKENS = frozenset({"$#$"})
DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"^(?:O|([BIESLU])-(\S+))$")
_SKIP_FILE = re.compile(r"(?i)(^\.|readme|licen[cs]e|copying|notice|\.(md|json|ya?ml|pdf|zip|gz|bz2|xz|py|sh)$)")
_CONLLU_SUFFIXES = (".conllu", ".conll")
_DOC_ID_BAD = re.compile(r"[^\w.\-/]+")

PRESETS_FILE = "presets.yaml"
PEYMA_DEV_FILE = "peyma_dev.txt"


# --- statistics ------------------------------------------------------------------------------

@dataclass
class ImportStats:
    """What an import read, kept, dropped and repaired (pass one in to collect it)."""

    files: int = 0
    documents: int = 0
    sentences: int = 0
    tokens: int = 0
    kept: Counter = field(default_factory=Counter)  # "dates/DATE" -> spans written
    source_types: Counter = field(default_factory=Counter)  # source type -> spans read (all levels)
    dropped: Counter = field(default_factory=Counter)  # unmapped source type -> spans dropped
    nested: Counter = field(default_factory=Counter)  # "actors/GPE" -> spans dropped inside a same-list span
    repairs: Counter = field(default_factory=Counter)  # lenient repairs by kind
    notes: Counter = field(default_factory=Counter)  # things worth knowing that are not errors
    examples: list[str] = field(default_factory=list)  # "path:line: what" for the first repairs
    skipped_files: list[str] = field(default_factory=list)

    def repair(self, kind: str, path: Path | str, line: int, text: str) -> None:
        self.repairs[kind] += 1
        if len(self.examples) < 20:
            self.examples.append(f"{path}:{line}: {kind}: {text!r}")

    def to_dict(self) -> dict:
        return {
            "files": self.files, "documents": self.documents, "sentences": self.sentences, "tokens": self.tokens,
            "kept": dict(sorted(self.kept.items())), "source_types": dict(sorted(self.source_types.items())),
            "dropped_unmapped": dict(sorted(self.dropped.items())),
            "dropped_nested": dict(sorted(self.nested.items())),
            "repairs": dict(sorted(self.repairs.items())), "notes": dict(sorted(self.notes.items())),
            "examples": list(self.examples), "skipped_files": list(self.skipped_files),
        }

    def summary(self) -> str:
        def counts(counter: Counter) -> str:
            return ", ".join(f"{key} {n:,}" for key, n in sorted(counter.items())) or "none"

        lines = [f"imported {self.documents:,} documents, {self.sentences:,} sentences, {self.tokens:,} tokens "
                 f"from {self.files:,} files",
                 f"kept spans: {counts(self.kept)}",
                 f"dropped, type not mapped: {counts(self.dropped)}",
                 f"dropped, inside a span of the same list: {counts(self.nested)}"]
        if self.repairs:
            lines.append(f"repaired (lenient): {counts(self.repairs)}")
            lines += [f"  {example}" for example in self.examples[:10]]
        if self.notes:
            lines.append(f"notes: {counts(self.notes)}")
        if self.skipped_files:
            lines.append(f"skipped files: {', '.join(self.skipped_files)}")
        return "\n".join(lines)


# --- mappings and presets --------------------------------------------------------------------

def parse_mapping(specs: Iterable[str]) -> dict[str, Optional[str]]:
    """["DAT=dates/DATE", "FAC="] -> {"DAT": "dates/DATE", "FAC": None}; an empty target unmaps."""
    mapping: dict[str, Optional[str]] = {}
    for spec in specs:
        source, sep, target = spec.partition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source:
            raise ExtractError("E426", spec=spec, detail="expected TYPE=LIST/TYPE", allowed=_allowed_text())
        mapping[source] = _check_target(target, spec) if target and target != "-" else None
    return mapping


def check_mapping(mapping: Mapping[str, Optional[str]]) -> dict[str, Optional[str]]:
    """Validate every target of a mapping (E426); None drops the type."""
    return {str(source): (_check_target(target, f"{source}={target}") if target else None)
            for source, target in mapping.items()}


def _check_target(target: str, spec: str) -> str:
    name, sep, kind = target.partition("/")
    if not sep or name not in LIST_TYPES:
        raise ExtractError("E426", spec=spec, detail=f"unknown list {name!r}", allowed=_allowed_text())
    if kind not in LIST_TYPES[name]:
        raise ExtractError("E426", spec=spec, detail=f"{name} has no type {kind!r}", allowed=_allowed_text())
    return target


def _allowed_text() -> str:
    return "; ".join(f"{name}: {', '.join(types)}" for name, types in LIST_TYPES.items())


def load_presets() -> dict[str, dict]:
    """The built-in presets of `presets.yaml` (format, lang, mapping, options) by name."""
    import yaml

    source = resources.files(__package__).joinpath(PRESETS_FILE)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ExtractError("E431", path=str(source), detail=str(exc)) from exc
    if not isinstance(data, dict) or not all(isinstance(p, dict) and isinstance(p.get("mapping", {}), dict)
                                             for p in data.values()):
        raise ExtractError("E431", path=str(source), detail="expected NAME: {format, lang, mapping, ...}")
    return data


def preset_names() -> list[str]:
    return sorted(load_presets())


def get_preset(name: str) -> dict:
    presets = load_presets()
    if name not in presets:
        raise ExtractError("E427", name=name, available=", ".join(sorted(presets)))
    return presets[name]


def resolve_mapping(preset: Optional[str] = None, maps: Iterable[str] = ()) -> dict[str, Optional[str]]:
    """A preset's mapping (if any) updated by `--map TYPE=list/TYPE` specs."""
    mapping = check_mapping(get_preset(preset).get("mapping") or {}) if preset else {}
    mapping.update(parse_mapping(maps))
    return mapping


# --- reading the formats ---------------------------------------------------------------------

@dataclass
class _Token:
    text: str
    line: int  # 1-based source line
    tags: list[str] = field(default_factory=list)  # one per nesting level ("O" when absent)
    glued: bool = False  # no space before this token (CoNLL-U SpaceAfter=No on the previous one)


@dataclass
class _Sentence:
    tokens: list[_Token] = field(default_factory=list)
    text_comment: Optional[str] = None  # CoNLL-U `# text`


@dataclass
class _SourceDoc:
    name: Optional[str]  # document name from a marker (newdoc id, orig_file_sentence), or None
    sentences: list[_Sentence] = field(default_factory=list)
    marked: bool = False  # started by a marker


def _lines(path: Path) -> list[str]:
    text = read_text(str(path))
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def _clean(token: str, stats: ImportStats) -> str:
    cleaned = token.translate(_STRIP_TABLE)
    if len(cleaned) != len(token):
        stats.notes["bidi marks removed from tokens"] += len(token) - len(cleaned)
    return cleaned.strip()


def _parse_tag(tag: str, path: Path, line: int) -> Optional[tuple[str, str]]:
    """"B-PER" -> ("B", "PER"); "O" -> None; anything else is E423."""
    match = _TAG.match(tag)
    if not match:
        if re.match(r"^[BIESLU]-?$", tag):
            detail = "no type after the prefix"
        elif "-" in tag:
            detail = f"unknown prefix {tag.split('-', 1)[0]!r}"
        else:
            detail = "not O and not PREFIX-TYPE"
        raise ExtractError("E423", path=str(path), line=line, tag=tag, detail=detail)
    return (match.group(1), match.group(2)) if match.group(1) else None


def _is_tag(text: str) -> bool:
    return bool(_TAG.match(text))


def _split_fields(line: str) -> list[str]:
    if "\t" in line:
        fields = [f.strip() for f in line.split("\t")]
        while fields and fields[-1] == "" and len(fields) > 1:
            fields.pop()
        return fields
    return line.split()


def _parse_iob(path: Path, nested: bool, lenient: bool, stats: ImportStats,
               drop_tokens: frozenset[str]) -> list[_SourceDoc]:
    lines = _lines(path)
    last_content = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    docs = [_SourceDoc(None)]
    sentence = _Sentence()
    pending: Optional[tuple[str, int]] = None  # an untagged token waiting for a tag line (lenient)

    def add(token: str, tags: list[str], lineno: int) -> None:
        if token in drop_tokens:
            stats.notes[f"marker tokens {token} dropped"] += 1
            return
        if not token:
            if not lenient:
                raise ExtractError("E424", path=str(path), line=lineno, tag=" ".join(tags))
            stats.repair("empty token skipped", path, lineno, " ".join(tags))
            return
        for tag in tags:
            _parse_tag(tag, path, lineno)  # validate now, so the error names the line
        sentence.tokens.append(_Token(token, lineno, tags))

    def flush_pending() -> None:
        nonlocal pending
        if pending is not None:
            token, lineno = pending
            pending = None
            stats.repair("token without tag, tagged O", path, lineno, token)
            add(token, ["O"], lineno)

    def end_sentence() -> None:
        nonlocal sentence
        flush_pending()
        if sentence.tokens:
            docs[-1].sentences.append(sentence)
        sentence = _Sentence()

    for index, line in enumerate(lines):
        lineno = index + 1
        if not line.strip():
            end_sentence()
            continue
        fields = _split_fields(line)
        token = _clean(fields[0], stats)
        if token == DOCSTART:
            end_sentence()
            docs.append(_SourceDoc(None, marked=True))
            continue
        if len(fields) >= 2:
            flush_pending()
            tags = [f for f in fields[1:]] if nested else [fields[-1]]
            tags = [tag for tag in tags if tag] or ["O"]
            add(token, tags, lineno)
            continue
        # a line with one field: no tag
        if not lenient:
            raise ExtractError("E422", path=str(path), line=lineno, text=line)
        alone = fields[0].strip()
        if _is_tag(alone):
            if pending is not None:
                held, held_line = pending
                pending = None
                stats.repair("token and its tag on two lines, joined", path, held_line, held + " / " + alone)
                add(held, [alone], held_line)
            else:
                stats.repair("tag without token skipped", path, lineno, alone)
            continue
        flush_pending()
        if index == last_content and len(token) > 1 and token.endswith("O"):
            stats.repair("tag O glued to the last token, split", path, lineno, token)
            add(token[:-1], ["O"], lineno)
            continue
        pending = (token, lineno)
    end_sentence()
    docs = [doc for doc in docs if doc.sentences]
    return docs


def _parse_conllu(path: Path, stats: ImportStats) -> list[_SourceDoc]:
    docs = [_SourceDoc(None)]
    sentence = _Sentence()
    current_key: Optional[str] = None
    mwt_end = 0  # last word id covered by the current multiword token
    glue_next = False

    def end_sentence() -> None:
        nonlocal sentence, mwt_end, glue_next
        if sentence.tokens:
            docs[-1].sentences.append(sentence)
            if sentence.text_comment is not None:
                rebuilt = "".join(("" if i == 0 or t.glued else " ") + t.text for i, t in enumerate(sentence.tokens))
                if rebuilt != sentence.text_comment.strip():
                    stats.notes["sentences whose `# text` differs from the rebuilt text"] += 1
        sentence = _Sentence()
        mwt_end = 0
        glue_next = False

    def new_doc(name: Optional[str]) -> None:
        end_sentence()
        if docs[-1].sentences or docs[-1].name is not None:
            docs.append(_SourceDoc(name, marked=True))
        else:
            docs[-1] = _SourceDoc(name, marked=True)

    for index, line in enumerate(_lines(path)):
        lineno = index + 1
        if not line.strip():
            end_sentence()
            continue
        if line.startswith("#"):
            body = line[1:].strip()
            key, _, value = body.partition("=")
            key = key.strip()
            if key.startswith("newdoc"):
                name = value.strip() if value.strip() else (key[len("newdoc"):].strip() or None)
                new_doc(name)
                current_key = name
            elif key.startswith("orig_file_sentence"):
                name = (value.strip() or key[len("orig_file_sentence"):].strip()).rsplit("#", 1)[0] or None
                if name != current_key:
                    new_doc(name)
                    current_key = name
            elif key == "text" and not sentence.tokens:
                sentence.text_comment = value.strip()
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ExtractError("E425", path=str(path), line=lineno,
                               detail=f"{len(cols)} tab-separated columns, CoNLL-U word lines have 10")
        ident, form, misc = cols[0], cols[1], cols[9]
        no_space = "SpaceAfter=No" in misc.split("|")
        if "." in ident:  # empty node of enhanced dependencies: not in the text
            continue
        if "-" in ident:
            first, _, last = ident.partition("-")
            if not (first.isdigit() and last.isdigit() and int(first) <= int(last)):
                raise ExtractError("E425", path=str(path), line=lineno, detail=f"bad multiword token id {ident!r}")
            mwt_end = int(last)
        elif not ident.isdigit():
            raise ExtractError("E425", path=str(path), line=lineno, detail=f"bad word id {ident!r}")
        elif int(ident) <= mwt_end:
            continue  # a word of the multiword token already written
        token = _clean(form, stats)
        if not token:
            raise ExtractError("E425", path=str(path), line=lineno, detail="empty FORM")
        sentence.tokens.append(_Token(token, lineno, [], glued=glue_next and bool(sentence.tokens)))
        glue_next = no_space
    end_sentence()
    return [doc for doc in docs if doc.sentences]


# --- spans -----------------------------------------------------------------------------------

def _decode_spans(sentence: _Sentence, path: Path, stats: ImportStats) -> list[tuple[str, int, int, int]]:
    """(type, first token, end token exclusive, level) for every span of every level."""
    spans = []
    levels = max((len(t.tags) for t in sentence.tokens), default=0)
    for level in range(levels):
        open_span: Optional[list] = None  # [type, start, end]

        def close() -> None:
            nonlocal open_span
            if open_span is not None:
                spans.append((open_span[0], open_span[1], open_span[2], level))
                open_span = None

        for i, token in enumerate(sentence.tokens):
            tag = token.tags[level] if level < len(token.tags) else "O"
            parsed = _parse_tag(tag, path, token.line)
            if parsed is None:
                close()
                continue
            prefix, kind = parsed
            if prefix in "IEL" and open_span is not None and open_span[0] == kind:
                open_span[2] = i + 1
            else:
                if prefix in "IEL":
                    stats.notes["I- tag without B- started a span"] += 1
                close()
                open_span = [kind, i, i + 1]
            if prefix in "ESLU":
                close()
        close()
    return spans


def _filter_nested(spans: list[tuple[str, str, int, int, int]], stats: ImportStats) -> list[tuple[str, str, int, int]]:
    """Per list, drop spans inside (or equal to) another span of the same list; outer levels win ties."""
    kept: list[tuple[str, str, int, int]] = []
    by_list: dict[str, list] = {}
    for name, kind, start, end, level in spans:
        by_list.setdefault(name, []).append((start, -end, level, kind))
    for name, items in by_list.items():
        outer: list[tuple[int, int]] = []
        for start, neg_end, _level, kind in sorted(items):
            end = -neg_end
            if any(s <= start and end <= e for s, e in outer):
                stats.nested[f"{name}/{kind}"] += 1
                continue
            outer.append((start, end))
            kept.append((name, kind, start, end))
    return kept


# --- building documents ----------------------------------------------------------------------

def _build(doc_id: str, lang: str, sentences: Sequence[_Sentence], spans: Sequence[list], mapping: Mapping,
           meta: dict, stats: ImportStats) -> tuple[str, Document]:
    parts: list[str] = []
    pos = 0
    sentence_spans: list[tuple[int, int]] = []
    breaks: list[int] = []
    joins: list[int] = []
    found: list[tuple[str, str, int, int]] = []
    for sentence, sentence_spans_tok in zip(sentences, spans):
        starts, ends = [], []
        line_start = pos
        for i, token in enumerate(sentence.tokens):
            if i and not token.glued:
                parts.append(" ")
                pos += 1
            elif i:
                breaks.append(pos)
            starts.append(pos)
            joins += [pos + k for k, ch in enumerate(token.text) if ch.isspace()]
            parts.append(token.text)
            pos += len(token.text)
            ends.append(pos)
        sentence_spans.append((line_start, pos))
        parts.append("\n")
        pos += 1
        mapped = []
        for kind, first, last, level in sentence_spans_tok:
            stats.source_types[kind] += 1
            target = mapping.get(kind)
            if not target:
                stats.dropped[kind] += 1
                continue
            name, _, new_kind = target.partition("/")
            mapped.append((name, new_kind, starts[first], ends[last - 1], level))
        found += _filter_nested(mapped, stats)
    raw = "".join(parts)
    lists: dict[str, list] = {name: [] for name in LIST_MODELS}
    for name, kind, start, end in sorted(found, key=lambda f: (f[2], f[3], f[0], f[1])):
        model = LIST_MODELS[name]
        item_id = f"{ID_PREFIX[name]}{len(lists[name]) + 1}"
        lists[name].append(model(id=item_id, start=start, end=end, text=raw[start:end], type=kind))
        stats.kept[f"{name}/{kind}"] += 1
    info = dict(meta)
    if breaks:
        info["token_breaks"] = breaks
    if joins:
        info["token_joins"] = joins
    document = Document(doc_id=doc_id, lang=lang, text_sha256=sha256_text(raw), sentences=sentence_spans,
                        pipeline={"gold": f"imported from {meta['source']}", "gold_import": info}, **lists)
    stats.documents += 1
    stats.sentences += len(sentences)
    stats.tokens += sum(len(s.tokens) for s in sentences)
    return raw, document


def _chunks(n: int, sents_per_doc: Optional[int], docs_per_file: Optional[int]) -> list[tuple[int, int]]:
    if sents_per_doc:
        return [(i, min(i + sents_per_doc, n)) for i in range(0, n, sents_per_doc)]
    if docs_per_file:
        parts = min(docs_per_file, n)
        bounds = [round(k * n / parts) for k in range(parts + 1)]
        return [(bounds[k], bounds[k + 1]) for k in range(parts)]
    return [(0, n)]


def _check_positive(option: str, value: Optional[int]) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ExtractError("E429", option=option, value=value, detail="give a whole number of at least 1")


def _safe_name(name: str) -> str:
    return _DOC_ID_BAD.sub("_", name).strip("_/") or "doc"


def default_doc_prefix(path: str | Path) -> str:
    """A file's doc_id stem: its name without the last extension (`news1.txt` -> `news1`)."""
    return _safe_name(Path(path).with_suffix("").name if Path(path).suffix else Path(path).name)


def import_file(path: str | Path, fmt: str, lang: str, mapping: Mapping[str, Optional[str]],
                docs_per_file: Optional[int] = None, doc_prefix: Optional[str] = None, *,
                sents_per_doc: Optional[int] = None, lenient: bool = False, stats: Optional[ImportStats] = None,
                source_name: Optional[str] = None,
                drop_tokens: Iterable[str] = MARKER_TOKENS) -> list[tuple[str, str, Document]]:
    """One annotated file -> [(doc_id, raw_text, Document)], in file order.

    Documents: those the file marks (`-DOCSTART-`, `# newdoc`, PADT `orig_file_sentence`),
    else the whole file.  `sents_per_doc=N` cuts each into documents of N sentences;
    `docs_per_file=N` cuts a file without document marks into N documents of about equal
    sentence counts.  Doc ids: `doc_prefix` (default: the file name without extension), then
    `-<marked name>` and/or `-NNN` (1-based, zero-padded) when a file gives several.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise ExtractError("E421", fmt=fmt, supported=", ".join(FORMATS))
    if lang not in ("fa", "ar"):
        raise ExtractError("E004", lang=lang, supported="fa, ar")
    _check_positive("docs_per_file", docs_per_file)
    _check_positive("sents_per_doc", sents_per_doc)
    if docs_per_file and sents_per_doc:
        raise ExtractError("E429", option="docs_per_file", value=docs_per_file,
                           detail="give either docs_per_file or sents_per_doc, not both")
    if not path.is_file():
        raise ExtractError("E003", path=str(path))
    mapping = check_mapping(mapping)
    stats = stats if stats is not None else ImportStats()
    stats.files += 1
    if fmt == "conllu":
        docs = _parse_conllu(path, stats)
    else:
        docs = _parse_iob(path, fmt == "iob-nested", lenient, stats, frozenset(drop_tokens))
    if not docs:
        raise ExtractError("E428", path=str(path), fmt=fmt, detail="no tokens in the file")
    prefix = _safe_name(doc_prefix) if doc_prefix else default_doc_prefix(path)
    source = source_name or path.name
    if docs_per_file and any(doc.marked for doc in docs):
        stats.notes["docs_per_file ignored: the file marks its documents"] += 1
        docs_per_file = None
    pieces: list[tuple[str, _SourceDoc, int, int]] = []
    for number, doc in enumerate(docs, 1):
        base = prefix
        if len(docs) > 1:
            base = f"{prefix}-{_safe_name(doc.name)}" if doc.name else f"{prefix}-{number:0{max(3, len(str(len(docs))))}d}"
        cuts = _chunks(len(doc.sentences), sents_per_doc, docs_per_file)
        width = max(3, len(str(len(cuts))))
        for k, (a, b) in enumerate(cuts, 1):
            pieces.append((base if len(cuts) == 1 else f"{base}-{k:0{width}d}", doc, a, b))
    results = []
    seen: dict[str, int] = {}
    for doc_id, doc, a, b in pieces:
        if doc_id in seen:  # a document name repeated in the file
            seen[doc_id] += 1
            doc_id = f"{doc_id}-{seen[doc_id]}"
        seen.setdefault(doc_id, 1)
        sentences = doc.sentences[a:b]
        spans = [_decode_spans(s, path, stats) for s in sentences]
        meta = {"format": fmt, "source": source, "lines": [sentences[0].tokens[0].line, sentences[-1].tokens[-1].line],
                "mapping": {k: v for k, v in sorted(mapping.items()) if v}}
        raw, document = _build(doc_id, lang, sentences, spans, mapping, meta, stats)
        results.append((doc_id, raw, document))
    return results


def _source_files(root: Path, fmt: str, stats: ImportStats) -> list[Path]:
    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in path.relative_to(root).parts) or _SKIP_FILE.search(path.name):
            stats.skipped_files.append(rel)
            continue
        if fmt == "conllu" and not path.name.endswith(_CONLLU_SUFFIXES):
            stats.skipped_files.append(rel)
            continue
        files.append(path)
    return files


def import_source(src: str | Path, fmt: str, lang: str, mapping: Mapping[str, Optional[str]],
                  docs_per_file: Optional[int] = None, *, sents_per_doc: Optional[int] = None,
                  lenient: bool = False, stats: Optional[ImportStats] = None,
                  drop_tokens: Iterable[str] = MARKER_TOKENS) -> list[tuple[str, str, Document]]:
    """A file, or every data file under a folder (sorted; READMEs, licences, dotfiles skipped).

    Doc ids are the file paths relative to the folder without extension (the spec's rule),
    plus the suffixes of `import_file` when a file gives several documents.
    """
    src = Path(src)
    if fmt not in FORMATS:
        raise ExtractError("E421", fmt=fmt, supported=", ".join(FORMATS))
    stats = stats if stats is not None else ImportStats()
    options = dict(sents_per_doc=sents_per_doc, lenient=lenient, stats=stats, drop_tokens=drop_tokens)
    if src.is_file():
        return import_file(src, fmt, lang, mapping, docs_per_file, **options)
    if not src.is_dir():
        raise ExtractError("E003", path=str(src))
    files = _source_files(src, fmt, stats)
    if not files:
        raise ExtractError("E428", path=str(src), fmt=fmt, detail="no data files in the folder")
    results, origin = [], {}
    for path in files:
        rel = path.relative_to(src)
        prefix = (rel.parent / default_doc_prefix(rel)).as_posix() if rel.parent != Path(".") else default_doc_prefix(rel)
        for item in import_file(path, fmt, lang, mapping, docs_per_file, prefix, source_name=rel.as_posix(), **options):
            if item[0] in origin:
                raise ExtractError("E430", doc_id=item[0], first=origin[item[0]], second=rel.as_posix())
            origin[item[0]] = rel.as_posix()
            results.append(item)
    return results


# --- writing ---------------------------------------------------------------------------------

# What a span-annotated corpus says of an item.  Values, units, calendars, canonical ids are
# not annotated there: a gold file that wrote them as null would claim "the value is null"
# and every scored value would count as wrong (the scorer compares only fields present).
SPAN_FIELDS = ("id", "start", "end", "text", "type")


def gold_json(document: Document) -> dict:
    """The extract/1 dict of an imported document: items keep only their span fields."""
    data = document.to_json_dict()
    for name in LIST_MODELS:
        data[name] = [{key: item[key] for key in SPAN_FIELDS if key in item} for item in data[name]]
    return data


def _write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_gold(items: Iterable[tuple[str, str, Document]], out_dir: str | Path) -> list[Path]:
    """`<doc_id>.txt` (exact UTF-8 text) and `<doc_id>.json` for each item, each written atomically."""
    out = Path(out_dir)
    written = []
    for doc_id, raw, document in items:
        for suffix, content in ((".txt", raw),
                                (".json", json.dumps(gold_json(document), ensure_ascii=False, indent=2) + "\n")):
            path = out / f"{doc_id}{suffix}"
            try:
                _write_atomic(path, content)
            except OSError as exc:
                raise ExtractError("E301", path=str(path), detail=str(exc)) from exc
            written.append(path)
    return written


# --- exporting back (round trip) -------------------------------------------------------------

def export_token_offsets(raw: str, document: Document) -> list[list[tuple[int, int]]]:
    """The (start, end) of every token, per sentence, from the text and `pipeline.gold_import`."""
    info = (document.pipeline or {}).get("gold_import", {})
    breaks, joins = set(info.get("token_breaks", ())), set(info.get("token_joins", ()))
    result = []
    for start, end in document.sentences:
        tokens, begin = [], None
        for pos in range(start, end):
            space = raw[pos].isspace() and pos not in joins
            if begin is not None and (space or pos in breaks):
                tokens.append((begin, pos))
                begin = None
            if begin is None and not space:
                begin = pos
        if begin is not None:
            tokens.append((begin, end))
        result.append(tokens)
    return result


def export_tokens(raw: str, document: Document) -> list[list[str]]:
    """The tokens, per sentence, as the importer read them (after removing bidi marks and `$#$`)."""
    return [[raw[a:b] for a, b in sentence] for sentence in export_token_offsets(raw, document)]


def export_iob(raw: str, document: Document, list_name: str) -> list[list[tuple[str, str]]]:
    """(token, IOB2 tag) per sentence for one list, e.g. [("۲۰", "B-DATE"), ...]."""
    items = sorted(getattr(document, list_name), key=lambda item: (item.start, -item.end))
    result = []
    for sentence in export_token_offsets(raw, document):
        rows = []
        for a, b in sentence:
            tag = "O"
            for item in items:
                if item.start <= a and b <= item.end:
                    tag = ("B-" if item.start == a else "I-") + item.type
                    break
            rows.append((raw[a:b], tag))
        result.append(rows)
    return result


def read_tokens(path: str | Path, fmt: str, lenient: bool = False,
                drop_tokens: Iterable[str] = MARKER_TOKENS) -> list[list[str]]:
    """The tokens of a source file per sentence, as the importer reads them (for round-trip checks)."""
    stats = ImportStats()
    if fmt == "conllu":
        docs = _parse_conllu(Path(path), stats)
    elif fmt in FORMATS:
        docs = _parse_iob(Path(path), fmt == "iob-nested", lenient, stats, frozenset(drop_tokens))
    else:
        raise ExtractError("E421", fmt=fmt, supported=", ".join(FORMATS))
    return [[t.text for t in s.tokens] for doc in docs for s in doc.sentences]


def check_round_trip(items: Sequence[tuple[str, str, Document]], tokens: Optional[list[list[str]]] = None) -> list[str]:
    """Problems of imported items: offsets (`Document.offset_errors`), spans not on token
    boundaries, and (given the source tokens per sentence) tokens that do not come back."""
    problems = []
    exported: list[list[str]] = []
    for doc_id, raw, document in items:
        problems += [f"{doc_id}: {p}" for p in document.offset_errors(raw)]
        offsets = export_token_offsets(raw, document)
        starts = {a for sentence in offsets for a, _ in sentence}
        ends = {b for sentence in offsets for _, b in sentence}
        for name in LIST_MODELS:
            for item in getattr(document, name):
                if item.start not in starts or item.end not in ends:
                    problems.append(f"{doc_id}: {name} {item.id} {item.start}-{item.end} is not on token boundaries")
        exported += [[raw[a:b] for a, b in sentence] for sentence in offsets]
    if tokens is not None and exported != tokens:
        first = next((i for i, (x, y) in enumerate(zip(exported, tokens)) if x != y), min(len(exported), len(tokens)))
        problems.append(f"tokens differ from the source from sentence {first} "
                        f"({len(exported)} sentences exported, {len(tokens)} read)")
    return problems


# --- development splits ----------------------------------------------------------------------

def peyma_dev_rule(names: Iterable[str]) -> list[str]:
    """The PEYMA development documents, by rule, from the full file listing of `peyma-600k/`.

    Rule (fixed, by document): take the file names (`NER-101960`, `news1.txt`, ...), sort
    them as Python strings, and keep every fifth one: positions 4, 9, 14, ... (index % 5 == 4,
    0-based).  On the 747 files of PEYMA-600k that gives 149 dev documents; the other 598 are
    for training.  No model may be trained on the dev documents.  The result is stored in
    `peyma_dev.txt` (file names, one a line) so that the split never depends on which files
    a caller happens to pass.
    """
    return [name for index, name in enumerate(sorted(names)) if index % 5 == 4]


def peyma_dev_names() -> list[str]:
    """The stored PEYMA dev file names (`peyma_dev.txt`)."""
    text = resources.files(__package__).joinpath(PEYMA_DEV_FILE).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def peyma_split(doc_ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """(train_ids, dev_ids) of PEYMA doc ids or file names, by the fixed list `peyma_dev.txt`.

    The list was made by `peyma_dev_rule` (sorted file names, index % 5 == 4 is dev).  A doc
    id matches its file name with or without extension (`news12` ~ `news12.txt`), and a chunk
    id `NAME-001` (from `sents_per_doc`) follows its file.  Order of the input is kept.
    """
    dev_names = set()
    for name in peyma_dev_names():
        dev_names.add(name)
        dev_names.add(default_doc_prefix(name))
    train, dev = [], []
    for doc_id in doc_ids:
        base = doc_id.rsplit("/", 1)[-1]
        candidates = {base, default_doc_prefix(base), re.sub(r"-\d{3,}$", "", base)}
        (dev if candidates & dev_names else train).append(doc_id)
    return train, dev


# --- one call for the CLI --------------------------------------------------------------------

@dataclass
class ImportResult:
    items: list[tuple[str, str, Document]]
    stats: ImportStats
    written: list[Path]
    settings: dict


def run_import(src: str | Path, out_dir: Optional[str | Path] = None, *, fmt: Optional[str] = None,
               lang: Optional[str] = None, preset: Optional[str] = None, maps: Iterable[str] = (),
               docs_per_file: Optional[int] = None, sents_per_doc: Optional[int] = None,
               lenient: Optional[bool] = None, split: Optional[str] = None) -> ImportResult:
    """`extract gold import`: the preset gives defaults (format, lang, mapping, lenient,
    sents_per_doc), explicit arguments win; `--map` entries update the preset's mapping.
    `split="dev"|"train"` keeps one side of the preset's fixed split (PEYMA: `peyma_split`,
    Wojood: the file `val`).  Writes to `out_dir` when given."""
    settings = dict(get_preset(preset)) if preset else {}
    fmt = fmt or settings.get("format")
    lang = lang or settings.get("lang")
    if fmt is None:
        raise ExtractError("E421", fmt=fmt, supported=", ".join(FORMATS))
    if lang is None:
        raise ExtractError("E004", lang=lang, supported="fa, ar")
    mapping = resolve_mapping(preset, maps)
    if lenient is None:
        lenient = bool(settings.get("lenient", False))
    if docs_per_file is None and sents_per_doc is None:
        sents_per_doc = settings.get("sents_per_doc")
    stats = ImportStats()
    items = import_source(src, fmt, lang, mapping, docs_per_file, sents_per_doc=sents_per_doc, lenient=lenient,
                          stats=stats)
    if split is not None:
        items = _split_items(items, settings.get("split"), split, preset)
    if settings.get("harmonize"):
        items = [(doc_id, raw, harmonize(raw, document, settings["harmonize"], stats)) for doc_id, raw, document in items]
    written = write_gold(items, out_dir) if out_dir is not None else []
    used = {"preset": preset, "format": fmt, "lang": lang, "mapping": mapping, "lenient": lenient,
            "docs_per_file": docs_per_file, "sents_per_doc": sents_per_doc, "split": split}
    return ImportResult(items, stats, written, used)


# --- harmonizing a corpus's span conventions with the spec -------------------------------------

def harmonize(raw: str, document: Document, rules: Mapping, stats: Optional[ImportStats] = None) -> Document:
    """A copy of `document` with its spans brought to the spec's conventions (presets' `harmonize`).

    `rules` maps a list name (`dates`) to: `types` (the types touched), `leading_tokens`
    (whole tokens cut from the start of a span: prepositions, which the spec leaves out of a
    span: `از سال ۱۳۸۶` -> `سال ۱۳۸۶`, `منذ عام 2016` -> `عام 2016`), `leading_clitics` and
    `clitic_hosts` (a proclitic letter cut from the first token when what follows it is a
    host word or starts with one of `clitic_host_prefixes`, the article: `لسنة 2004` ->
    `سنة 2004`), and `unbalanced_brackets`
    (a lone `(` at the start or `)` at the end of a span, a tokenization slip, or a pair
    around the whole span); `retype` maps a type to a pattern the whole (cut) span text must
    match to take that type (a count and a unit, `ثلاث سنوات`, is a DURATION in the spec).  A span is
    never emptied; each change is counted in `stats.notes` (`harmonized <list>/<type>`).
    Documents are otherwise unchanged (same text, same ids).
    """
    document = document.model_copy(deep=True)
    for list_name, rule in rules.items():
        types = set(rule.get("types") or [])
        tokens = set(rule.get("leading_tokens") or [])
        clitics = sorted(rule.get("leading_clitics") or [], key=len, reverse=True)
        hosts = set(rule.get("clitic_hosts") or [])
        host_prefixes = tuple(rule.get("clitic_host_prefixes") or ())
        brackets = rule.get("unbalanced_brackets", False)
        retype = [(re.compile(pattern), kind) for kind, pattern in (rule.get("retype") or {}).items()]
        for item in getattr(document, list_name):
            if types and item.type not in types:
                continue
            start, end = _harmonized_bounds(raw, item.start, item.end, tokens, clitics, hosts, host_prefixes,
                                            brackets)
            if (start, end) != (item.start, item.end):
                item.start, item.end, item.text = start, end, raw[start:end]
                if stats is not None:
                    stats.notes[f"harmonized {list_name}/{item.type}"] += 1
            for pattern, kind in retype:  # «ثلاث سنوات» tagged DATE: a DURATION in the spec
                if pattern.fullmatch(item.text) and item.type != kind:
                    if stats is not None:
                        stats.notes[f"retyped {list_name}/{item.type} -> {kind}"] += 1
                    item.type = kind
                    break
    return document


def _harmonized_bounds(raw: str, start: int, end: int, tokens: set, clitics: list, hosts: set,
                       host_prefixes: tuple, brackets: bool) -> tuple[int, int]:
    changed = True
    while changed:
        changed = False
        text = raw[start:end]
        first, sep, rest = text.partition(" ")
        if sep and rest.strip() and first in tokens:  # a whole leading preposition token
            start += len(first) + 1
            changed = True
            continue
        for clitic in clitics:
            host = first[len(clitic):]
            if first.startswith(clitic) and len(host) >= 2 and (host in hosts or host in tokens or host.startswith(host_prefixes)):
                start += len(clitic)
                changed = True
                break
        if changed:
            continue
        if brackets:
            text = raw[start:end]
            opens, closes = text.startswith("( "), text.endswith(" )")
            if opens and closes and text.count("(") == 1 and text.count(")") == 1:
                start, end = start + 2, end - 2  # «( 1948 )»: brackets around the whole span
                changed = True
            elif opens and ")" not in text:
                start += 2
                changed = True
            elif closes and "(" not in text:
                end -= 2
                changed = True
    return start, end


def _split_items(items, rule: Optional[str], side: str, preset: Optional[str]):
    if side not in ("train", "dev"):
        raise ExtractError("E429", option="split", value=side, detail="use train or dev")
    if rule == "peyma":
        train, dev = peyma_split([doc_id for doc_id, _, _ in items])
        keep = set(dev if side == "dev" else train)
    elif rule and rule.startswith("file:"):
        dev_file = rule[len("file:"):]
        is_dev = {doc_id: doc_id == dev_file or doc_id.startswith(dev_file + "-") for doc_id, _, _ in items}
        keep = {doc_id for doc_id, flag in is_dev.items() if flag == (side == "dev")}
    else:
        raise ExtractError("E429", option="split", value=side, detail=f"preset {preset!r} defines no split")
    return [item for item in items if item[0] in keep]
