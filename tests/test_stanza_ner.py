"""The stanza NER backend, against a tiny stanza NER model trained here from PEYMA training
documents (no network, CPU), loaded through the real backend and the real actors stage."""
from __future__ import annotations

import hashlib
import itertools
import json
import re
import shutil

import numpy as np
import pytest

from extract.errors import ExtractError
from extract.ner import stanza_ner
from extract.ner.backends import load_ner
from extract.ner.stanza_ner import StanzaNER, crf_marginals, decode_bioes
from extract.ner.tagger import NERModel
from extract.ner.train import score
from extract.ner.train_stanza import bio_labels
from extract.models import models_dir

from stanza_ner_fixture import DOCS, peyma_dir, train_tiny_ner
from stanza_fixture import offline, trained_offline


@pytest.fixture(autouse=True)
def no_network(monkeypatch, tmp_path):
    offline(monkeypatch, tmp_path / "stanza_resources")


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    if not all((peyma_dir() / name).is_file() for name in DOCS):
        pytest.skip(f"PEYMA documents not found in {peyma_dir()} (set EXTRACT_SHARED_DATA)")
    model = trained_offline(tmp_path_factory, "stanza_ner_tiny", train_tiny_ner)
    print(f"\ntiny stanza NER model trained in {model.seconds:.1f}s")
    return model


@pytest.fixture(scope="session")
def ner(tiny):
    return StanzaNER.load("fa", tiny.models)


def _sha8(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


# --------------------------------------------------------------------------- pure parts


def test_crf_marginals_match_brute_force():
    rng = np.random.default_rng(0)
    scores, trans = rng.normal(size=(4, 3)), rng.normal(size=(3, 3))
    paths = list(itertools.product(range(3), repeat=4))
    weights = np.array([np.exp(sum(scores[t, p[t]] for t in range(4)) + sum(trans[p[t - 1], p[t]] for t in range(1, 4)))
                        for p in paths])
    expected = np.zeros((4, 3))
    for p, w in zip(paths, weights / weights.sum()):
        for t, tag in enumerate(p):
            expected[t, tag] += w
    assert np.allclose(crf_marginals(scores, trans), expected)
    assert np.allclose(crf_marginals(scores[:1], trans).sum(), 1.0)


def test_decode_bioes():
    assert decode_bioes(["S-PER", "O", "B-ORG", "I-ORG", "E-ORG", "B-LOC", "E-LOC"]) == [
        (0, 1, "PER"), (2, 5, "ORG"), (5, 7, "LOC")]
    assert decode_bioes(["B-PER", "S-PER"]) == [(0, 1, "PER"), (1, 2, "PER")]
    assert decode_bioes(["I-LOC", "E-LOC", "E-ORG", "O"]) == [(0, 2, "LOC"), (2, 3, "ORG")]


def test_type_maps_are_data():
    fa, ar = stanza_ner.type_map("fa"), stanza_ner.type_map("ar")
    assert fa["PER"] == "PER" and fa["FAC"] == "LOC" and "EVENT" not in fa and "PRO" not in fa
    assert ar["LOC"] == "LOC" and "MISC" not in ar


# --------------------------------------------------------------------------- the tiny model


def test_trained_folder_is_checksummed(tiny):
    folder = tiny.models / "ner-fa-stanza"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["kind"] == "stanza-ner" and set(manifest["files"]) >= {"ner.pt", "pretrain.pt"}
    assert (folder / "MODEL_CARD.md").is_file()


def test_tags_the_names_it_was_trained_on(tiny, ner):
    assert re.fullmatch(r"model:stanza-ner-fa@[0-9a-f]{8}", ner.source)
    assert ner.source == f"model:stanza-ner-fa@{_sha8(tiny.models / 'ner-fa-stanza' / 'ner.pt')}"
    assert ner.kind == "trained" and len(ner.vocabulary) > 1000
    sentences = tiny.sentences
    tagged = ner.tag_sentences([s.words for s in sentences] + [[]])
    assert tagged[-1] == []
    tagged = tagged[:-1]
    for s, spans in zip(sentences, tagged):
        for a, b, kind, conf, trim in spans:
            assert 0 <= a < b <= len(s.words) and kind in {"PER", "ORG", "LOC"} and 0 < conf <= 1 and trim == 0
    scores = score(sentences, [bio_labels(len(s.words), t) for s, t in zip(sentences, tagged)])
    print(f"\ntiny model on its own training sentences: {scores['micro']}")
    # a majority-class tagger finds nothing; the tiny model ~0.8 strict micro F1 (seed 1234)
    assert scores["micro"]["f1"] > 0.5
    # one sentence at a time gives the same spans as the batch (padding moves the last digit)
    alone = ner.tag_words(sentences[1].words)
    assert [x[:3] for x in alone] == [x[:3] for x in tagged[1]]
    assert all(abs(x[3] - y[3]) < 1e-3 for x, y in zip(alone, tagged[1]))


def test_actors_stage_merges_the_stanza_model(tiny, ner):
    from extract.evaluate.importers import run_import
    from extract.pipeline import build_language

    nlp = build_language("fa", {"components.extract_tagger.backend": "crf",
                                "components.extract_actors.models": str(tiny.models),
                                "components.extract_actors.ner_backend": "stanza"})
    stage = nlp.get_pipe("extract_actors")
    assert stage.model.source == ner.source and ner.source in stage.source
    doc_id, raw, gold = run_import(tiny.models.parent / "data" / "peyma-600k", preset="peyma", split="train").items[0]
    doc = nlp(raw)
    items = [span._.item for span in doc.spans["actors"]]
    from_model = [it for it in items if it["source"] == ner.source]
    assert from_model, "the stanza model added no actor"
    for it in items:
        assert raw[it["start"]:it["end"]].strip() == raw[it["start"]:it["end"]] != ""
        assert 0 < it["confidence"] <= 1
    gold_spans = {(a.start, a.end, a.type) for a in gold.actors}
    found = {(it["start"], it["end"]): it["type"] for it in items}
    exact = [(a, b, t) for a, b, t in gold_spans if (a, b) in found]
    print(f"\n{doc_id}: {len(exact)} of {len(gold_spans)} gold actor spans found exactly, {len(from_model)} from stanza")
    assert len(exact) >= len(gold_spans) // 2
    # the model's own spans, typed as the gold types them (e.g. «سازمان حفاظت از محیط‌زیست», ORG)
    assert {(it["start"], it["end"], it["type"]) for it in from_model} & gold_spans


def test_auto_prefers_stanza_and_falls_back_to_the_crf(tiny, tmp_path):
    assert isinstance(load_ner("fa", "auto", tiny.models), StanzaNER)
    crf_only = tmp_path / "models"
    crf_only.mkdir()
    (crf_only / "ner-fa-crf").symlink_to(models_dir() / "ner-fa-crf")
    assert not stanza_ner.available("fa", crf_only)
    assert isinstance(load_ner("fa", "auto", crf_only), NERModel)
    assert isinstance(load_ner("fa", "crf", crf_only), NERModel)
    with pytest.raises(ValueError):
        load_ner("fa", "spacy", crf_only)


def test_missing_and_damaged_models_are_numbered_errors(tiny, tmp_path):
    with pytest.raises(ExtractError) as info:
        load_ner("fa", "stanza", tmp_path)
    assert info.value.code == "E205" and "extract models download stanza --lang fa" in info.value.message
    damaged = tmp_path / "damaged"
    shutil.copytree(tiny.models, damaged)
    with open(damaged / "ner-fa-stanza" / "ner.pt", "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ExtractError) as info:
        StanzaNER.load("fa", damaged)
    assert info.value.code == "E202"


def test_official_layout_is_found_and_preferred(tiny, tmp_path):
    """The layout stanza.download() writes (models/stanza/resources.json + fa/ner/<package>.pt),
    rebuilt by hand from the tiny model; it wins over a trained ner-fa-stanza folder."""
    root = tmp_path / "models"
    shutil.copytree(tiny.models, root)
    stanza_root = root / "stanza"
    for processor, source in (("ner", root / "ner-fa-stanza" / "ner.pt"),
                              ("pretrain", root / "ner-fa-stanza" / "pretrain.pt")):
        (stanza_root / "fa" / processor).mkdir(parents=True)
        shutil.copy(source, stanza_root / "fa" / processor / "tiny.pt")
    resources = {
        "fa": {"lang_name": "Persian",
               "packages": {"default": {"tokenize": "tiny", "ner": "tiny"}},
               "default_processors": {"tokenize": "tiny", "ner": "tiny"},
               "tokenize": {"tiny": {}},
               "ner": {"tiny": {"dependencies": [{"model": "pretrain", "package": "tiny"}]}},
               "pretrain": {"tiny": {}}},
    }
    (stanza_root / "resources.json").write_text(json.dumps(resources), encoding="utf-8")
    (root / "ner-fa-stanza" / "ner.pt").write_bytes(b"not a model: the official one must be used")
    assert stanza_ner.available("fa", root) and not stanza_ner.available("ar", root)
    model = StanzaNER.load("fa", root)
    assert model.kind == "official"
    assert model.source == f"model:stanza-ner-fa@{_sha8(stanza_root / 'fa' / 'ner' / 'tiny.pt')}"
    words = ["اتاق", "خبر", "24", ":", "دو", "روز", "پیش"]
    assert [x[:3] for x in model.tag_words(words)] == [x[:3] for x in StanzaNER.load("fa", tiny.models).tag_words(words)]


def test_cli_has_the_ner_option():
    from typer.testing import CliRunner

    from extract.cli import app

    for command in ("run", "eval"):
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "--ner" in result.output
