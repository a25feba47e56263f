"""Character language models for the stanza tagger (`train_charlm`, `train_stanza --charlm`):
a tiny pair trained here from PerDT text, a tiny tagger that reads words through them, and
the model folder that ships them, loaded through the real run-time path (no network)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extract.tagging import train_charlm
from extract.tagging.train_stanza import POS_FILE, PRETRAIN_FILE, StanzaLemmaTagger

from stanza_fixture import (PERDT_DEV, _quiet_single_thread, offline, read_conllu, shared_ud_dir,
                            train_tiny_models)

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def no_network(monkeypatch, tmp_path):
    offline(monkeypatch, tmp_path / "stanza_resources")


@pytest.fixture(scope="module")
def charlm_dir(tmp_path_factory):
    """A forward/backward charlm pair trained on a few hundred PerDT sentences."""
    if not (shared_ud_dir() / PERDT_DEV).is_file():
        pytest.skip(f"{PERDT_DEV} not found in {shared_ud_dir()} (set EXTRACT_SHARED_DATA)")
    work = tmp_path_factory.mktemp("charlm_work")
    corpus = work / "corpus.txt"
    corpus.write_text("\n".join(" ".join(s.forms) for s in read_conllu(shared_ud_dir() / PERDT_DEV)[:600]) + "\n",
                      encoding="utf-8")
    info = train_charlm.split_corpus(corpus, work, dev_lines=40)
    assert info["dev_paragraphs"] == 40 and info["train_parts"] == 1
    ppl = {}
    with _quiet_single_thread():
        for direction in train_charlm.CHARLM_FILES:
            ppl[direction] = train_charlm.train_direction("fa", work, direction, hidden=24, emb=12, epochs=2,
                                                          threads=1, seed=3, batch_size=8)
    out = tmp_path_factory.mktemp("charlm")
    for name in train_charlm.CHARLM_FILES.values():
        shutil.copyfile(work / name, out / name)
    return out, ppl


def test_charlm_learns_the_script(charlm_dir):
    # a uniform guess over the ~60 characters of the vocabulary has perplexity ~60;
    # two tiny epochs get well under it: the models learned something of Persian text
    _, ppl = charlm_dir
    assert set(ppl) == {"forward", "backward"}
    assert all(1.0 < value < 30.0 for value in ppl.values()), ppl


def test_tagger_folder_ships_and_loads_its_charlm(charlm_dir, tmp_path):
    folder, _ = charlm_dir
    paths = train_charlm.charlm_files(folder)
    tiny = train_tiny_models(tmp_path / "train", extra_pos_args=[
        "--charlm", "--charlm_shorthand", "fa_tiny",
        "--charlm_forward_file", str(paths["forward"]), "--charlm_backward_file", str(paths["backward"])])
    model = tmp_path / "tagger-fa-stanza-charlm"
    model.mkdir()
    shutil.copyfile(tiny.pos_model_path, model / POS_FILE)
    shutil.copyfile(tiny.pos_pretrain_path, model / PRETRAIN_FILE)
    for name in train_charlm.CHARLM_FILES.values():
        shutil.copyfile(folder / name, model / name)
    # the training-time paths are gone: the folder's own copies must be the ones loaded
    shutil.rmtree(tmp_path / "train")
    tagger = StanzaLemmaTagger.load("fa", model)
    sentences = [s.forms for s in tiny.test_sentences]
    tagged = tagger.tag(sentences)
    gold = [t for s in tiny.test_sentences for t in s.upos]
    predicted = [tag for sentence in tagged for tag, _ in sentence]
    assert len(predicted) == len(gold)
    accuracy = sum(p == g for p, g in zip(predicted, gold)) / len(gold)
    assert accuracy > 0.6, accuracy  # NOUN alone is ~0.31 on these sentences

    # half a pair is a damaged folder, said as such, not a silent charlm-free load
    (model / train_charlm.CHARLM_FILES["backward"]).unlink()
    with pytest.raises(FileNotFoundError, match="charlm pair incomplete"):
        StanzaLemmaTagger.load("fa", model)


def test_folder_without_charlm_has_none(tmp_path):
    assert train_charlm.charlm_files(tmp_path) is None
