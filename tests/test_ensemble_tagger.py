"""The CRF + stanza ensemble: probabilities from both backends, the combination, loading
and the tagger stage's backend choice, on tiny models trained here (no network, CPU)."""
from __future__ import annotations

import json
import logging
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

from extract.errors import ExtractError
from extract.models import write_manifest
from extract.stages.tag import load_tagger
from extract.tagging.crf import SHARED_TABLES, CRFTagger
from extract.tagging.ensemble import EnsembleTagger, combine, combine_sentence
from extract.tagging.stanza_backend import StanzaTagger
from extract.tagging.train_crf import default_data_dir, load_spec, normalized, train
from extract.tagging.train_ensemble import heldout_scores, pick_weight

from stanza_fixture import PERDT_DEV, shared_ud_dir, train_tiny_models

DATA = default_data_dir()


def _refuse(*args, **kwargs):
    raise AssertionError(f"the network was used: {args!r}")


@pytest.fixture(autouse=True)
def no_network(monkeypatch, tmp_path):
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path / "stanza_resources"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    """A models folder with a tiny CRF, a tiny stanza tagger and an ensemble of the two."""
    if not (shared_ud_dir() / PERDT_DEV).is_file() or not (DATA / PERDT_DEV).is_file():
        pytest.skip(f"{PERDT_DEV} not found (set EXTRACT_SHARED_DATA)")
    out = tmp_path_factory.mktemp("models")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", _refuse)
        tiny = train_tiny_models(tmp_path_factory.mktemp("stanza_tiny"))
    train("fa", out=out, data_dir=DATA, train_specs=[PERDT_DEV], test_spec="fa_perdt-test.conllu",
          params={"max_iterations": 25}, max_sentences=200, test_max_sentences=20,
          clusters=False, lexicon=False, names=False, log=lambda *a, **k: None)
    stanza = out / "tagger-fa-stanza"
    stanza.mkdir()
    shutil.copyfile(tiny.pos_model_path, stanza / "pos.pt")
    shutil.copyfile(tiny.pos_pretrain_path, stanza / "pretrain.pt")
    write_manifest(stanza, "tagger-fa-stanza", kind="stanza-tagger", lang="fa", pos_model="pos.pt",
                   pretrain="pretrain.pt")
    _write_ensemble(out, 0.4)
    return out


def _write_ensemble(models: Path, weight: float, members: tuple[str, ...] | None = None) -> None:
    """The first config format (one `stanza_model`), or `stanza_models` when `members` are given."""
    folder = models / "tagger-fa-ensemble"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    files = {"pos": "pos.pt", "pretrain": "pretrain.pt"}
    config = {"lang": "fa", "crf_weight": weight, "crf_model": "tagger-fa-crf"}
    if members:
        config["stanza_models"] = [{"model": m, "files": files} for m in members]
    else:
        config.update(stanza_model="tagger-fa-stanza", stanza_files=files)
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    write_manifest(folder, "tagger-fa-ensemble", kind="ensemble-tagger", lang="fa")


@pytest.fixture(scope="module")
def heldout() -> list:
    """PerDT-dev sentences neither tiny model trained on (the CRF saw the first 200, stanza the first 150)."""
    return normalized(load_spec(PERDT_DEV, DATA, "fa"), "fa")[400:460]


SENTENCES = [
    ["به", "گزارش", "خبرنگار", "در", "تهران", "۱۲", "نفر", "آمدند", "."],
    [],
    ["وزیر", "امور", "خارجه", "پاکستان", "گفت"],
    ["او"],
]


# ------------------------------------------------------------------------ combination


def test_combine_weights_and_label_sets() -> None:
    a_labels, b_labels = ["NOUN", "ADJ"], ["NOUN", "ADJ", "PROPN"]
    a = np.array([[0.9, 0.1], [0.4, 0.6]])
    b = np.array([[0.2, 0.1, 0.7], [0.5, 0.3, 0.2]])
    assert combine(a_labels, a, b_labels, b, 1.0) == ["NOUN", "ADJ"]
    assert combine(a_labels, a, b_labels, b, 0.0) == ["PROPN", "NOUN"]
    # PROPN, unknown to the first model, is floored there: the second cannot simply impose it;
    # NOUN: sqrt(0.4 * 0.5) > ADJ: sqrt(0.6 * 0.3)
    assert combine(a_labels, a, b_labels, b, 0.5) == ["NOUN", "NOUN"]
    assert combine(a_labels, np.zeros((0, 2)), b_labels, np.zeros((0, 3)), 0.5) == []


def test_pick_weight_prefers_a_plateau_to_a_spike() -> None:
    scores = {0.0: 0.90, 0.1: 0.95, 0.2: 0.90, 0.3: 0.93, 0.4: 0.94, 0.5: 0.93, 0.6: 0.90}
    assert pick_weight(scores) == 0.4


def test_stanza_members_share_one_weight_in_a_geometric_mean() -> None:
    crf = (["NOUN", "ADJ"], np.array([[0.6, 0.4], [0.55, 0.45]]))
    a = (["NOUN", "ADJ"], np.array([[0.1, 0.9], [0.8, 0.2]]))
    b = (["NOUN", "ADJ"], np.array([[0.3, 0.7], [0.1, 0.9]]))
    # one member twice is that member once
    assert combine_sentence(crf, [a, a], 0.3) == combine(*crf, *a, 0.3) == ["ADJ", "NOUN"]
    # token 2: NOUN sqrt(0.8 * 0.1) < ADJ sqrt(0.2 * 0.9): the second member outvotes the first
    assert combine_sentence(crf, [a, b], 0.0) == ["ADJ", "ADJ"]
    assert combine_sentence(crf, [a, b], 1.0) == ["NOUN", "NOUN"]


# ------------------------------------------------------------------ probabilities


def test_crf_marginals_agree_with_its_tags(models: Path) -> None:
    crf = CRFTagger.load("fa", models)
    labels, probs = crf.marginals(SENTENCES[0])
    assert probs.shape == (len(SENTENCES[0]), len(labels))
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    assert [labels[k] for k in probs.argmax(axis=1)][-1] == "PUNCT"
    assert crf.marginals([])[1].shape == (0, len(labels))
    # one feature pass gives the same marginals and the Viterbi tags tag_upos gives
    for sentence in SENTENCES:
        same_labels, same_probs, tags = crf.marginals_and_tags(sentence)
        assert same_labels == labels and np.array_equal(same_probs, crf.marginals(sentence)[1])
        assert tags == crf.tag_upos(sentence)


def test_stanza_probabilities_match_its_tags_in_input_order(models: Path) -> None:
    stanza = StanzaTagger.load("fa", directory=models / "tagger-fa-stanza",
                               pos_model_path=models / "tagger-fa-stanza" / "pos.pt",
                               pos_pretrain_path=models / "tagger-fa-stanza" / "pretrain.pt")
    labels, probs = stanza.tag_proba(SENTENCES)
    tagged = stanza.tag(SENTENCES)
    assert len(probs) == len(SENTENCES)
    for sentence, array, pairs in zip(SENTENCES, probs, tagged):
        assert array.shape == (len(sentence), len(labels))
        if len(sentence):
            assert np.allclose(array.sum(axis=1), 1.0, atol=1e-5)
        # sentences of different lengths are sorted inside stanza: the order must come back
        assert [labels[k] for k in array.argmax(axis=1)] == [tag for tag, _ in pairs]
    assert set(labels) <= {"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
                           "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"}


# ---------------------------------------------------------------------- the tagger


def test_ensemble_tags_and_names_its_source(models: Path, heldout: list) -> None:
    tagger = EnsembleTagger.load("fa", models)
    assert tagger.source.startswith("model:tagger-fa-ensemble@") and tagger.weight == 0.4
    out = tagger.tag(SENTENCES)
    assert [len(s) for s in out] == [len(s) for s in SENTENCES]
    assert out[0][-1][0] == "PUNCT" and out[0][0] == ("ADP", "به")
    forms = [[t.form for t in s] for s in heldout]
    gold = [t.upos for s in heldout for t in s]
    accuracy = np.mean([p == g for p, g in zip([t for s in tagger.tag_upos(forms) for t in s], gold)])
    assert accuracy > 0.7, accuracy


def test_model_tags_are_the_crf_members_own(models: Path, heldout: list) -> None:
    """The NER model reads the tags of tagger-fa-crf, which the ensemble holds: its own
    Viterbi tags, not the combination's (which differ on some tokens)."""
    from extract.stages.tag import TagStage
    from extract import Pipeline

    tagger = EnsembleTagger.load("fa", models)
    forms = [[t.form for t in s] for s in heldout]
    crf = CRFTagger.load("fa", models)
    tagged, model_tags = tagger.tag_with_model_tags(forms)
    assert model_tags == [crf.tag_upos(s) for s in forms]
    assert tagged == tagger.tag(forms)
    assert model_tags != tagger.tag_upos(forms)  # tiny members disagree somewhere
    assert tagger.tag_with_model_tags([[]]) == ([[]], [[]])

    # the tag stage puts them on the tokens beside the ensemble's pos_
    nlp = Pipeline("fa", tagger="crf").nlp
    doc = nlp.make_doc("وزیر امور خارجه پاکستان دیروز به تهران آمد.")
    doc = nlp.get_pipe("extract_sentences")(doc)
    doc = TagStage(tagger)(doc)
    words = [t for t in doc if t.norm_.strip()]
    assert [t._.model_upos for t in words] == crf.tag_upos([t.norm_ for t in words])
    assert [t.pos_ for t in words] == tagger.tag_upos([[t.norm_ for t in words]])[0]
    doc = TagStage(crf)(nlp.get_pipe("extract_sentences")(nlp.make_doc("او آمد.")))
    assert all(t._.model_upos is None for t in doc)  # a tagger without members sets none


def test_extreme_weights_reproduce_each_component(models: Path, heldout: list) -> None:
    forms = [[t.form for t in s] for s in heldout[:20]]
    crf = CRFTagger.load("fa", models)
    crf_only = [[labels[k] for k in probs.argmax(axis=1)] for labels, probs in map(crf.marginals, forms)]
    try:
        _write_ensemble(models, 1.0)
        assert EnsembleTagger.load("fa", models).tag_upos(forms) == crf_only
        _write_ensemble(models, 0.0)
        stanza_only = [[t for t, _ in s] for s in EnsembleTagger.load("fa", models).stanza.tag(forms)]
        assert EnsembleTagger.load("fa", models).tag_upos(forms) == stanza_only
    finally:
        _write_ensemble(models, 0.4)


def _seed_variant(models: Path, tmp_path: Path) -> Path:
    """A copy of `models` plus `tagger-fa-stanza-s2`: the stanza model's pos.pt, with the
    word vectors of tagger-fa-stanza shared the way train_stanza --pretrain-from writes them."""
    from extract.models import sha256_file

    root = tmp_path / "models"
    shutil.copytree(models, root)
    variant = root / "tagger-fa-stanza-s2"
    variant.mkdir()
    shutil.copyfile(models / "tagger-fa-stanza" / "pos.pt", variant / "pos.pt")
    write_manifest(variant, "tagger-fa-stanza-s2", kind="stanza-tagger", lang="fa", pos_model="pos.pt",
                   pretrain="pretrain.pt", pretrain_model="tagger-fa-stanza",
                   pretrain_sha256=sha256_file(models / "tagger-fa-stanza" / "pretrain.pt"))
    return root


def test_seed_variant_members_load_with_shared_vectors(models: Path, heldout: list, tmp_path: Path) -> None:
    root = _seed_variant(models, tmp_path)
    _write_ensemble(root, 0.4, members=("tagger-fa-stanza", "tagger-fa-stanza-s2"))
    two = EnsembleTagger.load("fa", root)
    one = EnsembleTagger.load("fa", models)
    assert len(two.stanzas) == 2 and two.stanza is two.stanzas[0]
    assert two.source != one.source  # the members are part of the provenance
    forms = [[t.form for t in s] for s in heldout[:20]]
    # the variant here is the same network: the geometric mean of two copies is one copy
    assert two.tag_upos(forms) == one.tag_upos(forms)
    scores = heldout_scores(two.crf, two.stanzas, heldout[:20])
    assert scores == heldout_scores(two.crf, two.stanza, heldout[:20])


def _with_crf_member_of_its_own(models: Path, root: Path, keep_ner_crf: bool) -> Path:
    """A models folder whose ensemble's CRF member is `tagger-fa-crf-ens` (a copy of the tiny
    CRF), with or without `tagger-fa-crf` beside it."""
    for name in ("tagger-fa-stanza", "tagger-fa-ensemble", *(("tagger-fa-crf",) if keep_ner_crf else ())):
        shutil.copytree(models / name, root / name)
    shutil.copytree(models / "tagger-fa-crf", root / "tagger-fa-crf-ens")
    write_manifest(root / "tagger-fa-crf-ens", "tagger-fa-crf-ens", kind="crf-tagger", lang="fa")
    config = json.loads((root / "tagger-fa-ensemble" / "config.json").read_text())
    (root / "tagger-fa-ensemble" / "config.json").write_text(json.dumps({**config, "crf_model": "tagger-fa-crf-ens"}))
    write_manifest(root / "tagger-fa-ensemble", "tagger-fa-ensemble", kind="ensemble-tagger", lang="fa")
    return root


def test_the_crf_member_can_be_its_own_folder(models: Path, heldout: list, tmp_path: Path) -> None:
    """`crf_model` names the CRF member: tagger-fa-crf (the NER's) may stay another model."""
    root = _with_crf_member_of_its_own(models, tmp_path / "models", keep_ner_crf=False)
    tagger = EnsembleTagger.load("fa", root)  # no tagger-fa-crf folder there
    assert tagger.crf.source.startswith("model:tagger-fa-crf-ens@")
    assert tagger.tag_with_model_tags(SENTENCES)[1] is None  # not the tagger the NER model was trained with
    forms = [[t.form for t in s] for s in heldout[:20]]
    assert tagger.tag_upos(forms) == EnsembleTagger.load("fa", models).tag_upos(forms)
    (root / "tagger-fa-crf-ens" / "manifest.json").unlink()
    with pytest.raises(ExtractError) as err:
        EnsembleTagger.load("fa", root)
    assert err.value.code == "E201" and "tagger-fa-crf-ens" in str(err.value)


def test_a_crf_member_of_its_own_keeps_the_ner_taggers_tags(models: Path, tmp_path: Path) -> None:
    """With `tagger-fa-crf` installed beside another CRF member, the NER still gets its tags."""
    root = _with_crf_member_of_its_own(models, tmp_path / "models", keep_ner_crf=True)
    tagger = EnsembleTagger.load("fa", root)
    assert tagger.ner_crf is not None and tagger.ner_crf.source.startswith("model:tagger-fa-crf@")
    assert tagger.shared_features  # same word tables: one feature pass serves both CRFs
    tagged, model_tags = tagger.tag_with_model_tags(SENTENCES)
    crf = CRFTagger.load("fa", models)
    assert model_tags == [crf.tag_upos(s) for s in SENTENCES]
    assert [[t for t, _ in s] for s in tagged] == EnsembleTagger.load("fa", models).tag_upos(SENTENCES)
    # other word tables: tagger-fa-crf builds its own features, with the same tags
    table = next(root / "tagger-fa-crf-ens" / name for name in SHARED_TABLES
                 if (root / "tagger-fa-crf-ens" / name).is_file())  # the tiny CRF has phrases.tsv
    table.write_text("\n".join(table.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    write_manifest(root / "tagger-fa-crf-ens", "tagger-fa-crf-ens", kind="crf-tagger", lang="fa")
    apart = EnsembleTagger.load("fa", root)
    assert not apart.shared_features
    assert apart.tag_with_model_tags(SENTENCES)[1] == model_tags


def test_seed_variant_with_other_vectors_is_E202(models: Path, tmp_path: Path) -> None:
    root = _seed_variant(models, tmp_path)
    _write_ensemble(root, 0.4, members=("tagger-fa-stanza", "tagger-fa-stanza-s2"))
    manifest = json.loads((root / "tagger-fa-stanza-s2" / "manifest.json").read_text())
    manifest["pretrain_sha256"] = "0" * 64
    (root / "tagger-fa-stanza-s2" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ExtractError) as err:
        EnsembleTagger.load("fa", root)
    assert err.value.code == "E202" and "vectors" in str(err.value)


def test_heldout_scores_cover_the_grid(models: Path, heldout: list) -> None:
    tagger = EnsembleTagger.load("fa", models)
    scores = heldout_scores(tagger.crf, tagger.stanza, heldout[:20])
    assert min(scores) == 0.0 and max(scores) == 1.0 and len(scores) == 21
    assert all(0.5 < s <= 1.0 for s in scores.values())
    assert 0.0 <= pick_weight(scores) <= 1.0


# --------------------------------------------------------------- the stage's choice


def test_auto_backend_takes_the_ensemble(models: Path) -> None:
    tagger = load_tagger("fa", "auto", str(models))
    assert isinstance(tagger, EnsembleTagger)
    assert isinstance(load_tagger("fa", "crf", str(models)), CRFTagger)


def test_auto_falls_back_to_the_crf_without_an_ensemble(models: Path, tmp_path: Path) -> None:
    shutil.copytree(models / "tagger-fa-crf", tmp_path / "tagger-fa-crf")
    assert isinstance(load_tagger("fa", "auto", str(tmp_path)), CRFTagger)
    with pytest.raises(ExtractError) as err:
        load_tagger("fa", "ensemble", str(tmp_path))
    assert err.value.code == "E201"


def test_auto_warns_and_falls_back_when_stanza_is_missing(models: Path, tmp_path: Path, caplog) -> None:
    for name in ("tagger-fa-crf", "tagger-fa-ensemble"):
        shutil.copytree(models / name, tmp_path / name)
    with caplog.at_level(logging.WARNING, logger="extract.stages.tag"):
        tagger = load_tagger("fa", "auto", str(tmp_path))
    assert isinstance(tagger, CRFTagger)
    assert "tagger-fa-stanza" in caplog.text and "CRF" in caplog.text


def test_damaged_stanza_model_is_E202(models: Path, tmp_path: Path) -> None:
    for name in ("tagger-fa-crf", "tagger-fa-ensemble", "tagger-fa-stanza"):
        shutil.copytree(models / name, tmp_path / name)
    with open(tmp_path / "tagger-fa-stanza" / "pos.pt", "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ExtractError) as err:
        EnsembleTagger.load("fa", tmp_path)
    assert err.value.code == "E202"


def test_stanza_runs_on_one_torch_thread_unless_told(models: Path, monkeypatch) -> None:
    import torch

    before = torch.get_num_threads()
    paths = dict(directory=models / "tagger-fa-stanza", pos_model_path=models / "tagger-fa-stanza" / "pos.pt",
                 pos_pretrain_path=models / "tagger-fa-stanza" / "pretrain.pt")
    try:
        torch.set_num_threads(2)
        monkeypatch.delenv("EXTRACT_TORCH_THREADS", raising=False)
        StanzaTagger.load("fa", **paths)
        assert torch.get_num_threads() == 1
        monkeypatch.setenv("EXTRACT_TORCH_THREADS", "2")
        StanzaTagger.load("fa", **paths)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
