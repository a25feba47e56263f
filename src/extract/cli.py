"""The `extract` command: a thin layer over the Python API."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .errors import ExtractError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, help="Dated events, amounts and actors from Persian and Arabic text.")
models_app = typer.Typer(no_args_is_help=True, help="Manage models.")
gold_app = typer.Typer(no_args_is_help=True, help="Build gold folders from annotated corpora.")
download_app = typer.Typer(no_args_is_help=True, help="Download official models (needs network).")
app.add_typer(models_app, name="models")
app.add_typer(gold_app, name="gold")
models_app.add_typer(download_app, name="download")

LANG_HELP = "fa, ar, or auto (detect per document)"
NER_HELP = "NER model of the actors stage: auto (stanza if its NER model is installed: official in models/stanza or a trained models/ner-<lang>-stanza; else crf), crf, stanza"
TAGGER_HELP = "tagging backend: auto (stanza if its official models are installed, else the ensemble if present, else crf), crf, stanza, ensemble"


def _fail(exc: ExtractError) -> None:
    typer.echo(f"error {exc}", err=True)
    raise typer.Exit(2)


@app.command()
def run(
    paths: List[str] = typer.Argument(..., help="files or folders of .txt documents; '-' reads stdin"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="output folder (required unless reading stdin)"),
    lang: str = typer.Option("auto", "--lang", help=LANG_HELP),
    reference_date: Optional[str] = typer.Option(None, "--reference-date", help="YYYY-MM-DD for relative dates"),
    reference_dates: Optional[Path] = typer.Option(
        None, "--reference-dates", help="CSV/TSV of doc_id,YYYY-MM-DD: each document's own reference date"),
    tagger: str = typer.Option("auto", "--tagger", help=TAGGER_HELP),
    ner: str = typer.Option("auto", "--ner", help=NER_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress lines"),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="worker processes (each loads its own models)"),
) -> None:
    """Extract from documents and write <out>/<doc_id>.json for each (errors in <out>/errors.jsonl)."""
    from .batch.local import Extractor, document_json, load_reference_dates, run_batch
    from .lang import supported_languages
    from .pipeline import parse_reference_date
    from .text.decode import decode_bytes

    try:
        if lang != "auto" and lang not in supported_languages():
            raise ExtractError("E004", lang=lang, supported=", ".join(supported_languages()))
        ref = parse_reference_date(reference_date)
        per_document = load_reference_dates(reference_dates) if reference_dates else None
        extractor = Extractor(lang=lang, tagger=tagger, ner=ner)
        if paths == ["-"]:
            text = decode_bytes(sys.stdin.buffer.read(), "<stdin>")
            sys.stdout.write(document_json(extractor.process(text, "stdin", ref, "<stdin>")))
            return
        if out is None:
            raise typer.BadParameter("--out is required unless the input is '-'")

        def progress(doc_id: str, code: str | None) -> None:
            if not quiet:
                typer.echo(f"{'ok ' if code is None else code} {doc_id}", err=True)

        report = run_batch(paths, out, extractor, ref, progress, per_document, jobs=jobs)
        unused = sorted(set(per_document or ()) - set(report.written) - {f["doc_id"] for f in report.failed})
        if unused:
            typer.echo(f"note: {len(unused)} reference dates name no document, e.g. {unused[0]!r}", err=True)
    except ExtractError as exc:
        _fail(exc)
        return
    typer.echo(f"{len(report.written)} written, {len(report.failed)} failed -> {out}", err=True)
    if report.failed:
        raise typer.Exit(1)


@app.command("eval")
def eval_cmd(
    gold: Path = typer.Option(..., "--gold", help="folder of gold <doc_id>.json with <doc_id>.txt beside them"),
    pred: Optional[Path] = typer.Option(None, "--pred", help="folder of predicted documents; default: run the pipeline"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write every figure as JSON here"),
    fail_under: List[str] = typer.Option([], "--fail-under", help="LIST[/TYPE][:METRIC]=F1, repeatable"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="an earlier --json result; fail if an F1 drops"),
    tolerance: float = typer.Option(0.01, "--tolerance", help="how far an F1 may drop below the baseline"),
    worst: int = typer.Option(10, "--worst", help="documents shown in the worst-first list"),
    tagger: str = typer.Option("auto", "--tagger", help=TAGGER_HELP),
    ner: str = typer.Option("auto", "--ner", help=NER_HELP),
    scheme: Optional[str] = typer.Option(None, "--scheme", help="score by a preset's corpus conventions (peyma: GPE rule)"),
) -> None:
    """Score predictions (or the pipeline itself) against gold annotations."""
    from . import evaluate as ev
    from .batch.local import predict_gold
    from .evaluate.schemes import load_scheme

    try:
        thresholds = ev.parse_fail_under(fail_under)
        reference = ev.load_baseline(baseline) if baseline else None
        golds = ev.load_gold_dir(gold)
        if pred is None:
            predictions = predict_gold(golds, tagger, ner=ner)
        else:
            predset = ev.load_pred_dir(pred, golds)
            for warning in predset.warnings:
                typer.echo(f"warning {warning}", err=True)
            predictions = predset.docs
        rules = load_scheme(scheme) if scheme else None
        result = ev.evaluate(((g.document, predictions.get(g.doc_id)) for g in golds), rules)
    except ExtractError as exc:
        for problem in getattr(exc, "problems", [])[1:]:
            typer.echo(f"error {problem}", err=True)
        _fail(exc)
        return
    typer.echo(ev.render_table(result, worst=worst))
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(ev.to_json_dict(result), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    failures = [ExtractError("E417", detail="; ".join(m)) for m in [ev.check_thresholds(result, thresholds)] if m]
    if reference is not None:
        for note in ev.baseline_notes(result, reference):
            typer.echo(note, err=True)
        regressed = ev.compare_baseline(result, reference, tolerance)
        if regressed:
            failures.append(ExtractError("E418", path=str(baseline), detail="; ".join(regressed)))
    for failure in failures:
        typer.echo(f"error {failure}", err=True)
    if failures:
        raise typer.Exit(1)


@gold_app.command("import")
def gold_import(
    src: Path = typer.Argument(..., help="an annotated file or a folder of them"),
    out: Path = typer.Option(..., "--out", "-o", help="gold folder to write <doc_id>.txt + <doc_id>.json into"),
    fmt: Optional[str] = typer.Option(None, "--format", help="iob, iob-nested or conllu (default: the preset's)"),
    lang: Optional[str] = typer.Option(None, "--lang", help="fa or ar (default: the preset's)"),
    preset: Optional[str] = typer.Option(None, "--preset", help="peyma, peyma-spec, arman, wojood, wojood-spec, newsfane or ud: format, language, mapping (-spec: date spans brought to the spec)"),
    maps: List[str] = typer.Option([], "--map", help="TYPE=list/TYPE (e.g. DAT=dates/DATE), repeatable; TYPE= drops it"),
    docs_per_file: Optional[int] = typer.Option(None, "--docs-per-file", help="cut each file into N documents"),
    sents_per_doc: Optional[int] = typer.Option(None, "--sents-per-doc", help="cut files into documents of N sentences"),
    split: Optional[str] = typer.Option(None, "--split", help="dev or train: one side of the preset's fixed split"),
    lenient: Optional[bool] = typer.Option(None, "--lenient/--strict", help="repair known slips of the source (PEYMA) or fail on them"),
) -> None:
    """Import IOB, nested IOB or CoNLL-U annotations as gold extract/1 documents with exact offsets."""
    from .evaluate.importers import run_import

    try:
        result = run_import(src, out, fmt=fmt, lang=lang, preset=preset, maps=maps, docs_per_file=docs_per_file,
                            sents_per_doc=sents_per_doc, lenient=lenient, split=split)
    except ExtractError as exc:
        _fail(exc)
        return
    typer.echo(result.stats.summary())
    typer.echo(f"{len(result.items)} documents written -> {out}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the extract/1 document."""
    from .document import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@app.command()
def detect(path: str = typer.Argument(..., help="a text file, or '-' for stdin")) -> None:
    """Print the detected language of a document."""
    from .langdetect import detect as detect_lang
    from .text.decode import decode_bytes, read_text

    try:
        text = decode_bytes(sys.stdin.buffer.read()) if path == "-" else read_text(path)
        typer.echo(detect_lang(text, path))
    except ExtractError as exc:
        _fail(exc)


@download_app.command("stanza")
def download_stanza_cmd(
    lang: str = typer.Option(..., "--lang", help="fa or ar"),
    directory: Optional[Path] = typer.Option(None, "--dir", help="default: <models>/stanza"),
) -> None:
    """Fetch the official stanza models for LANG into models/stanza (needs network): tokenize,
    mwt, pos, lemma and ner with their word vectors and character LMs; `--tagger auto` and
    `--ner auto` then use them."""
    from .tagging.stanza_backend import download_stanza

    try:
        download_stanza(lang, directory)
    except ExtractError as exc:
        _fail(exc)
    typer.echo(f"stanza models for {lang} installed")


@models_app.command("list")
def models_list() -> None:
    """List the installed models with their checksummed ids."""
    from .models import load_model, models_dir

    root = models_dir()
    for path in sorted(p for p in root.iterdir() if (p / "manifest.json").is_file()) if root.is_dir() else []:
        try:
            info = load_model(path.name, root)
            typer.echo(f"{info.source}\t{path}")
        except ExtractError as exc:
            typer.echo(f"{path.name}\t{exc}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
