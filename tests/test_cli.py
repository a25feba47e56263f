from __future__ import annotations

import codecs
import json
import shutil

import pytest
from typer.testing import CliRunner

from extract.cli import app
from extract.document import Document

from conftest import CORPUS, ROOT, read_raw

runner = CliRunner()


def _documents(out):
    return {p.relative_to(out).with_suffix("").as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in out.rglob("*.json")}


def test_run_writes_one_valid_document_per_seed(tmp_path) -> None:
    result = runner.invoke(app, ["run", str(CORPUS), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    written = _documents(tmp_path)
    assert set(written) == {"fa/us-pakistan-relations", "ar/us-pakistan-relations"}
    for doc_id, data in written.items():
        document = Document.model_validate(data)
        assert document.doc_id == doc_id and document.lang == doc_id[:2]
        assert document.offset_errors(read_raw(CORPUS / f"{doc_id}.txt")) == []
    assert not (tmp_path / "errors.jsonl").exists()


def test_bad_documents_do_not_stop_the_batch(tmp_path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(CORPUS / "fa" / "us-pakistan-relations.txt", src / "good.txt")
    (src / "latin1.txt").write_bytes("café ".encode("latin-1") + b"\xe9\xff")
    (src / "english.txt").write_text("The United States and Pakistan.", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "bom-crlf.txt").write_bytes(codecs.BOM_UTF8 + "في 20 أكتوبر 1947.\r\nسطر ثان.\r\n".encode())
    (src / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + "پاکستان در سال ۱۹۵۰ به آمریکا سفر کرد.".encode("utf-16-le"))
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(src), "--out", str(out)])
    assert result.exit_code == 1
    written = _documents(out)
    assert set(written) == {"good", "empty", "bom-crlf", "utf16"}
    assert written["empty"]["sentences"] == [] and written["empty"]["dates"] == []
    assert written["bom-crlf"]["lang"] == "ar" and len(written["bom-crlf"]["sentences"]) == 2
    raw = (src / "bom-crlf.txt").read_bytes().decode("utf-8-sig")
    assert Document.model_validate(written["bom-crlf"]).offset_errors(raw) == []
    errors = {e["doc_id"]: e for e in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert errors["latin1"]["code"] == "E001" and errors["english"]["code"] == "E002"
    assert "E001 latin1" in result.output and "4 written, 2 failed" in result.output


def test_lang_option_overrides_detection(tmp_path) -> None:
    (tmp_path / "x.txt").write_text("The United States and Pakistan.", encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path / "x.txt"), "--out", str(tmp_path / "o"), "--lang", "ar"])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "o" / "x.json").read_text())["lang"] == "ar"


def test_stdin_to_stdout() -> None:
    result = runner.invoke(app, ["run", "-", "--reference-date", "2020-05-01"], input="پاکستان در سال ۱۹۵۰ به آمریکا سفر کرد.".encode())
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["lang"] == "fa" and data["reference_date"] == "2020-05-01" and data["doc_id"] == "stdin"


def test_each_document_resolves_against_its_own_reference_date(tmp_path) -> None:
    src = tmp_path / "in"
    (src / "fa").mkdir(parents=True)
    (src / "fa" / "a.txt").write_text("دیروز پاکستان اعلام کرد.", encoding="utf-8")
    (src / "ar.txt").write_text("أعلنت باكستان أمس عن الاتفاق.", encoding="utf-8")
    (src / "other.txt").write_text("سفر دیروز انجام شد.", encoding="utf-8")
    table = tmp_path / "dates.csv"
    table.write_text("doc_id,reference_date\nfa/a,2024-03-20\nar\t2019-01-01\nnot-here,2020-01-01\n",
                     encoding="utf-8")
    result = runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "o"), "-q",
                                 "--reference-date", "2000-06-15", "--reference-dates", str(table)])
    assert result.exit_code == 0, result.output
    written = _documents(tmp_path / "o")
    values = {doc_id: (data["reference_date"], [d["value"] for d in data["dates"]]) for doc_id, data in written.items()}
    assert values == {"fa/a": ("2024-03-20", ["2024-03-19"]), "ar": ("2019-01-01", ["2018-12-31"]),
                      "other": ("2000-06-15", ["2000-06-14"])}
    assert "1 reference dates name no document" in result.output


@pytest.mark.parametrize("content,line", [("a,2024-13-01\n", 1), ("doc_id,reference_date\nb\n", 2),
                                          ("a,2024-01-01\na,2024-01-02\n", 2)])
def test_a_bad_reference_dates_file_is_a_numbered_error(tmp_path, content, line) -> None:
    table = tmp_path / "dates.csv"
    table.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["run", "-", "--reference-dates", str(table)], input=b"")
    assert result.exit_code == 2 and "E006" in result.output and f"line {line}" in result.output


@pytest.mark.parametrize("args,code", [
    (["run", "missing-folder", "--out", "o"], "E003"),
    (["run", "-", "--lang", "de"], "E004"),
    (["run", "-", "--reference-date", "yesterday"], "E005"),
])
def test_user_errors_are_numbered(args, code) -> None:
    result = runner.invoke(app, args, input=b"")
    assert result.exit_code == 2 and code in result.output


def test_schema_is_the_json_schema_of_extract_1() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["properties"]["schema"]["const"] == "extract/1"
    assert {"dates", "amounts", "actors", "events", "sentences"} <= set(schema["properties"])


def _command_paths(typer_app, prefix="extract"):
    for command in typer_app.registered_commands:
        yield f"{prefix} {command.name or command.callback.__name__.replace('_', '-')}"
    for group in typer_app.registered_groups:
        yield from _command_paths(group.typer_instance, f"{prefix} {group.name}")


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = list(_command_paths(app))
    assert "extract models download stanza" in paths and "extract run" in paths
    for path in paths:
        assert f"`{path}" in readme, f"README does not document {path}"


def _toy_gold(folder, shift_pred: bool):
    """One Persian document, two dates in gold; the prediction finds one exactly and one
    with a wrong end: strict P = R = F1 = 0.5, partial 1.0."""
    from extract.document import sha256_text

    raw = "در سال ۱۳۵۷ و در سپتامبر ۱۹۵۴ آمد."
    gold = folder / "gold"
    pred = folder / "pred"
    for target, cut in ((gold, 0), (pred, 1 if shift_pred else 0)):
        target.mkdir(parents=True)
        (target / "d.txt").write_text(raw, encoding="utf-8")
        spans = [("سال ۱۳۵۷", 0), ("سپتامبر ۱۹۵۴", cut)]
        dates = []
        for k, (text, trim) in enumerate(spans, 1):
            start = raw.index(text)
            end = start + len(text) - trim
            dates.append({"id": f"d{k}", "start": start, "end": end, "text": raw[start:end], "type": "DATE"})
        document = {"schema": "extract/1", "doc_id": "d", "lang": "fa", "text_sha256": sha256_text(raw),
                    "dates": dates, "amounts": [], "actors": [], "events": []}
        (target / "d.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return gold, pred


def test_eval_reproduces_known_counts_and_gates(tmp_path) -> None:
    gold, pred = _toy_gold(tmp_path, shift_pred=True)
    report = tmp_path / "r.json"
    result = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred), "--json", str(report)])
    assert result.exit_code == 0, result.output
    dates = json.loads(report.read_text())["lists"]["dates"]
    assert (dates["strict"]["correct"], dates["strict"]["incorrect"]) == (1, 1)
    assert dates["strict"]["f1"] == pytest.approx(0.5) and dates["partial"]["f1"] == pytest.approx(1.0)
    failing = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred), "--fail-under", "dates:strict=0.9"])
    assert failing.exit_code == 1 and "E417" in failing.output and "dates" in failing.output
    perfect = tmp_path / "perfect"
    gold2, _ = _toy_gold(perfect, shift_pred=False)
    baseline = tmp_path / "baseline.json"
    runner.invoke(app, ["eval", "--gold", str(gold2), "--pred", str(perfect / "pred"), "--json", str(baseline)])
    regressed = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred), "--baseline", str(baseline)])
    assert regressed.exit_code == 1 and "E418" in regressed.output and "dates strict F1 dropped" in regressed.output


def test_eval_refuses_bad_gold_with_a_numbered_error(tmp_path) -> None:
    gold, _ = _toy_gold(tmp_path, shift_pred=False)
    data = json.loads((gold / "d.json").read_text())
    data["dates"][0]["start"] += 1
    (gold / "d.json").write_text(json.dumps(data, ensure_ascii=False))
    result = runner.invoke(app, ["eval", "--gold", str(gold)])
    assert result.exit_code == 2 and "E406" in result.output and "d1" in result.output


def test_gold_import_writes_a_gold_folder_eval_can_read(tmp_path) -> None:
    src = tmp_path / "peyma"
    src.mkdir()
    (src / "NER-1").write_text("در\tO\nسال\tB-DAT\n۱۳۵۷\tI-DAT\nتهران\tB-LOC\n.\tO\n", encoding="utf-8")
    out = tmp_path / "gold"
    result = runner.invoke(app, ["gold", "import", str(src), "--preset", "peyma", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "NER-1.txt").read_text(encoding="utf-8") == "در سال ۱۳۵۷ تهران .\n"
    data = json.loads((out / "NER-1.json").read_text(encoding="utf-8"))
    assert [(d["text"], d["type"]) for d in data["dates"]] == [("سال ۱۳۵۷", "DATE")]
    assert [(a["text"], a["type"]) for a in data["actors"]] == [("تهران", "LOC")]
    scored = runner.invoke(app, ["eval", "--gold", str(out), "--pred", str(out)])
    assert scored.exit_code == 0 and "1.000" in scored.output
