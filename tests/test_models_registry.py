from __future__ import annotations

import pytest

from extract.errors import ExtractError
from extract.models import load_model, write_manifest


def test_missing_model_says_what_to_run(tmp_path) -> None:
    with pytest.raises(ExtractError) as info:
        load_model("tagger-fa-crf", tmp_path)
    assert info.value.code == "E201" and "make models" in info.value.message


def test_checksums_are_verified(tmp_path) -> None:
    folder = tmp_path / "toy"
    folder.mkdir()
    (folder / "weights.bin").write_bytes(b"\x00" * 10)
    write_manifest(folder, "toy", kind="test")
    info = load_model("toy", tmp_path)
    assert info.source.startswith("model:toy@") and len(info.digest) == 8
    (folder / "weights.bin").write_bytes(b"\x01" * 10)
    with pytest.raises(ExtractError) as info:
        load_model("toy", tmp_path)
    assert info.value.code == "E202" and "weights.bin" in info.value.message


def test_env_variable_points_at_another_models_folder(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "toy"
    folder.mkdir()
    (folder / "a.txt").write_text("x")
    write_manifest(folder, "toy")
    monkeypatch.setenv("EXTRACT_MODELS", str(tmp_path))
    assert load_model("toy").path == folder


def test_a_missing_model_error_crosses_process_boundaries(tmp_path) -> None:
    """Worker pools (autonames, batch engines) send errors back pickled: code and message survive."""
    import pickle

    with pytest.raises(ExtractError) as err:
        load_model("tagger-xx-crf", tmp_path)
    copy = pickle.loads(pickle.dumps(err.value))
    assert isinstance(copy, ExtractError)
    assert (copy.code, str(copy), copy.to_dict()) == ("E201", str(err.value), err.value.to_dict())


def test_a_recorded_ner_cost_survives_a_new_cross_validation_record(tmp_path, monkeypatch) -> None:
    """`extract.ner.speed --record` keeps the measured CPU cost in the manifest, so the card
    written again by `crossval --record` still states it; the checksums stay valid."""
    import json
    import shutil
    from pathlib import Path

    from extract.ner import crossval, speed

    root = Path(__file__).resolve().parents[1] / "models"
    shutil.copytree(root / "ner-ar-crf", tmp_path / "ner-ar-crf")
    monkeypatch.setenv("EXTRACT_MODELS", str(tmp_path))
    speed.record("ar", 1.23)
    crossval.record("ar", {"folds": 4, "documents": 23, "corpus": "wojood-sample (train)", "scheme": "wojood",
                           "model_strict_f1": 0.5, "stage_strict_f1": 0.6, "stage_partial_f1": 0.7})
    card = (tmp_path / "ner-ar-crf" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "1.23 ms CPU per 1,000 characters" in card and "strict F1 **0.6**" in card
    assert json.loads((tmp_path / "ner-ar-crf" / "manifest.json").read_text())["cpu_ms_per_1000_chars"] == 1.23
    load_model("ner-ar-crf", tmp_path)  # checksums hold
