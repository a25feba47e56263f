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
