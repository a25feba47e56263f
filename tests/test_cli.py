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
