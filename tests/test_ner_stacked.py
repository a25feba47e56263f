"""The two-stage NER model (extract/ner/stacked.py): stage 2 reads what stage 1 found
elsewhere in the document."""
import json

import pytest

from extract.errors import ExtractError
from extract.models import models_dir
from extract.ner.stacked import STAGE2_FILE, Stage1Output, document_features
from extract.ner.tagger import NERModel

# stage 1 found `بانک مرکزی` (ORG) and `علی لاریجانی` (PER) in the first sentence only
WORDS = [["بانک", "مرکزی", "و", "علی", "لاریجانی", "گفتند", "."],
         ["بانک", "مرکزی", "و", "لاریجانی", "آمدند", "."]]
FIRST = [Stage1Output(["B-ORG", "I-ORG", "O", "B-PER", "I-PER", "O", "O"], [0.9, 0.9, 1, 0.8, 0.8, 1, 1],
                      [0.05, 0.05, 1, 0.1, 0.1, 1, 1]),
         Stage1Output(["O"] * 6, [0.6, 0.7, 1, 0.55, 1, 1], [0.6, 0.7, 1, 0.55, 1, 1])]


def test_stage2_features_carry_names_found_elsewhere_in_the_document():
    first, second = document_features(WORDS, FIRST)
    # entity majority: the second `بانک مرکزی` is an occurrence of a (multi-word) name stage 1
    # found once in the document
    assert "emns=B-ORG" in second[0] and "emns=I-ORG" in second[1] and "emns=B-ORG" in first[0]
    # token majority: the other occurrence of `بانک` was an organization
    assert {"tm=ORG", "ta=ORG"} <= set(second[0])
    # super-entity: `لاریجانی` alone is the last word of a person found elsewhere
    assert "se=PER/L" in second[3] and "tm=PER" in second[3]
    # stage 1's own labels, its neighbours' and how sure it was
    assert {"L=O", "L1=O", "L-1=pad"} <= set(second[0]) and {"L=B-ORG", "L1=I-ORG"} <= set(first[0]) and "q=O/3" in second[0] and "e=2" in second[0]
    # a function word carries no name: `و` is inside no name and gets no `ta`/`se`
    assert not any(f.startswith(("se=", "ta=")) for f in first[2] + second[2])
    # and stage 2 does not read the word itself (it would learn the training words by heart)
    assert not any(f.startswith("w=") for sent in (first, second) for f in sent for f in f)


def test_a_word_seen_once_has_no_document_features():
    (only,) = document_features([["پاریس", "زیباست"]], [Stage1Output(["B-LOC", "O"], [0.9, 0.9], [0.1, 0.9])])
    assert not any(f.startswith(("tm=", "ta=", "se=")) for f in only[0] + only[1])
    assert "em1s=B-LOC" in only[0]  # this one occurrence only


def _two_stage(tmp_path):
    """The Persian stage 1 with a stage 2 trained on its own outputs for a few sentences
    (the real one: `python -m extract.ner.train --lang fa --stacked 4`)."""
    import shutil

    import pycrfsuite

    from extract.models import write_manifest
    from extract.ner.stacked import run_stage1

    folder = tmp_path / "ner-fa-crf"
    shutil.copytree(models_dir() / "ner-fa-crf", folder)
    stage1 = NERModel.load("fa")
    doc = [(["حسن", "روحانی", "به", "تهران", "رفت", "."], ["B-PER", "I-PER", "O", "B-LOC", "O", "O"]),
           (["روحانی", "در", "تهران", "گفت", "."], ["B-PER", "O", "B-LOC", "O", "O"])]
    first = [run_stage1(stage1._tagger, stage1.features.sentence(w)) for w, _ in doc]
    trainer = pycrfsuite.Trainer(verbose=False)
    for (_, labels), feats in zip(doc, document_features([w for w, _ in doc], first)):
        trainer.append(feats, labels)
    trainer.train(str(folder / STAGE2_FILE))
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**config, "stacked": 1}) + "\n")
    write_manifest(folder, "ner-fa-crf")
    return [w for w, _ in doc]


def test_a_two_stage_model_tags_documents(tmp_path):
    sentences = _two_stage(tmp_path)
    model = NERModel.load("fa", tmp_path)
    assert model._stage2 is not None
    tagged = model.tag_sentences(sentences)
    assert (0, 2, "PER") in [x[:3] for x in tagged[0]] and (2, 3, "LOC") in [x[:3] for x in tagged[1]]
    assert all(0 < x[3] <= 1 for spans in tagged for x in spans)
    # one sentence alone is a document of one sentence
    assert model.tag_words(sentences[0]) == model.tag_sentences(sentences[:1])[0]
    # the actors stage hands it whole documents
    from extract.pipeline import Pipeline

    for other in models_dir().iterdir():  # the tagger and the rest, as they are
        if other.is_dir() and not other.name.startswith("ner-"):
            (tmp_path / other.name).symlink_to(other)
    doc = Pipeline("fa", tagger="crf", ner="crf", models=str(tmp_path)).process(" ".join(sentences[0]) + " " + " ".join(sentences[1]))
    assert {(a.text, a.type) for a in doc.actors} >= {("حسن روحانی", "PER"), ("روحانی", "PER")}


def test_run_time_features_skip_what_the_model_has_no_weight_for():
    model = NERModel.load("fa")
    words = ["حسن", "روحانی", "به", "تهران", "رفت", "."]
    kept = model.features.sentence(words)
    assert all(f in model.features.known for feats in kept for f in feats)
    known, model.features.known = model.features.known, None
    model.features._cache.clear()
    every = model.features.sentence(words)
    model.features.keep_only(known)
    assert sum(map(len, every)) > sum(map(len, kept))
    assert list(model._tagger.tag(every)) == list(model._tagger.tag(kept))  # the same tags


def test_a_stage2_version_the_code_does_not_know_is_a_numbered_error(tmp_path):
    from extract.models import write_manifest

    _two_stage(tmp_path)
    folder = tmp_path / "ner-fa-crf"
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**config, "stacked": 99}) + "\n")
    write_manifest(folder, "ner-fa-crf")
    with pytest.raises(ExtractError) as info:
        NERModel.load("fa", tmp_path)
    assert info.value.code == "E202" and "stage-2 version 99" in str(info.value)
