"""Auto-labelled raw text for the Persian tagger (`extract.tagging.autolabel`): sentence
cutting and filtering, the deterministic sample, the teachers' agreement rule, the CoNLL-U
round trip, and how the CRF / stanza trainers take the sentences.  Tiny inputs only."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from extract.tagging import autolabel
from extract.tagging.train_crf import PRIMARY_DOMAIN, SECONDARY_DOMAIN, add_auto
from extract.tagging.ud import SurfaceToken

# tokens as train_stanza.build_token_corpus writes them (normalized, one paragraph a line)
PARAGRAPHS = [
    "به گزارش خبرگزاری فارس از همدان ، پارک ترافیک امروز افتتاح شد . "
    "این پارک در مرکز شهر همدان ساخته شده است .",
    "به گزارش خبرگزاری فارس از همدان ، پارک ترافیک امروز افتتاح شد .",  # a duplicate sentence
    "Real Madrid won 2 - 1 against Barcelona in the final match .",  # Latin script: left out
    "کوتاه است .",  # too short
    "سخنگوی وزارت امور خارجه در نشست خبری هفتگی خود به پرسش‌های خبرنگاران پاسخ داد",  # no final punctuation
]


def test_split_sentences_cuts_after_final_punctuation() -> None:
    tokens = "او آمد . تو رفتی ؟ ما".split()
    assert autolabel.split_sentences(tokens) == [["او", "آمد", "."], ["تو", "رفتی", "؟"], ["ما"]]


def test_usable_sentences() -> None:
    good = "سخنگوی وزارت امور خارجه در نشست خبری به پرسش‌های خبرنگاران پاسخ داد .".split()
    assert autolabel.usable(good)
    assert not autolabel.usable(good[:-1])  # not a finished sentence
    assert not autolabel.usable("کوتاه است .".split())
    assert not autolabel.usable(good[:-1] + ["Reuters", "."])
    assert not autolabel.usable(good * 4)  # longer than 40 tokens
    assert autolabel.usable("در سال 1392 حدود 25.5 درصد رشد داشت .".split())
    assert not autolabel.usable("1 2 3 4 5 6 7 8 9 .".split())  # numbers, not words


def test_raw_sentences_drops_duplicates_and_non_persian() -> None:
    out = list(autolabel.raw_sentences(PARAGRAPHS))
    assert [" ".join(s) for s in out] == [
        "به گزارش خبرگزاری فارس از همدان ، پارک ترافیک امروز افتتاح شد .",
        "این پارک در مرکز شهر همدان ساخته شده است .",
    ]


def test_sample_is_deterministic_and_in_order() -> None:
    pool = [[str(i), "."] for i in range(100)]
    first = autolabel.sample(pool, 10, seed=7)
    assert first == autolabel.sample(pool, 10, seed=7)
    assert first != autolabel.sample(pool, 10, seed=8)
    assert [int(s[0]) for s in first] == sorted(int(s[0]) for s in first)
    assert autolabel.sample(pool[:3], 10) == pool[:3]


def _probs(labels, rows):
    return labels, np.array(rows, dtype=np.float64)


def test_agreement_rule() -> None:
    crf = _probs(["NOUN", "PROPN", "VERB"], [[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.0, 0.0, 1.0]])
    # stanza has its own label order, one label the CRF lacks
    same = _probs(["VERB", "PROPN", "NOUN", "ADJ"], [[0.0, 0.1, 0.8, 0.1], [0.0, 0.6, 0.3, 0.1], [0.9, 0, 0.1, 0]])
    assert autolabel.agree_and_confident(crf, [same], 0.3, 0.5) == ["NOUN", "PROPN", "VERB"]
    differ = _probs(["VERB", "PROPN", "NOUN", "ADJ"], [[0.0, 0.1, 0.8, 0.1], [0.0, 0.3, 0.6, 0.1], [0.9, 0, 0.1, 0]])
    assert autolabel.agree_and_confident(crf, [differ], 0.3, 0.5) is None
    # both say PROPN, but hesitantly: the combined probability is about 0.52
    crf_unsure = _probs(["NOUN", "PROPN", "VERB"], [[0.45, 0.5, 0.05]])
    stanza_unsure = _probs(["PROPN", "NOUN", "ADJ"], [[0.5, 0.45, 0.05]])
    assert autolabel.agree_and_confident(crf_unsure, [stanza_unsure], 0.3, 0.5) == ["PROPN"]
    assert autolabel.agree_and_confident(crf_unsure, [stanza_unsure], 0.3, 0.6) is None


def test_self_training_rule_needs_a_confident_crf() -> None:
    crf = _probs(["NOUN", "PROPN"], [[0.95, 0.05], [0.08, 0.92]])
    assert autolabel.agree_and_confident(crf, [], 0.3, 0.9) == ["NOUN", "PROPN"]
    assert autolabel.agree_and_confident(crf, [], 0.3, 0.93) is None


def test_tuning_crf_follows_the_shipped_crfs_auto_files(tmp_path: Path) -> None:
    import json
    from types import SimpleNamespace

    from extract.tagging.train_ensemble import _crf_auto

    metrics = tmp_path / "metrics.json"
    metrics.write_text(json.dumps({"training_prep": {"auto": {"files": [{"file": "auto.conllu"}],
                                                              "primary_repeat": 2}}}))
    info = SimpleNamespace(file=lambda name: tmp_path / name)
    assert _crf_auto(info, [tmp_path / "x" / "auto.conllu"]) == 2
    with pytest.raises(ValueError, match="auto.conllu"):
        _crf_auto(info, [])
    metrics.write_text(json.dumps({"training_prep": {}}))
    assert _crf_auto(info, []) == 1
    with pytest.raises(ValueError):
        _crf_auto(info, [tmp_path / "auto.conllu"])


def test_conllu_round_trip(tmp_path: Path) -> None:
    sentences = [[("پارک", "NOUN"), ("همدان", "PROPN"), (".", "PUNCT")], [("او", "PRON"), ("آمد", "VERB")]]
    path = tmp_path / "auto.conllu"
    autolabel.write_conllu(sentences, path, {"kept_sentences": 2, "sample_seed": 5})
    back = autolabel.read_auto(path)
    assert [[(t.form, t.upos) for t in s] for s in back] == sentences
    assert back[0][1].lemma == "همدان"
    assert autolabel.read_info(path) == {"kept_sentences": 2, "sample_seed": 5}


def test_crf_training_corpus_with_auto_sentences(tmp_path: Path) -> None:
    primary = [[SurfaceToken("او", "PRON", "او")]]
    secondary = [[SurfaceToken("ما", "PRON", "ما")]]
    path = tmp_path / "auto.conllu"
    autolabel.write_conllu([[("همدان", "PROPN"), (".", "PUNCT")]], path, {"kept_sentences": 1})
    corpus, domains, info = add_auto(primary + secondary, [PRIMARY_DOMAIN, SECONDARY_DOMAIN], [path], 2, "fa",
                                     log=lambda *a: None)
    assert [[t.form for t in s] for s in corpus] == [["او"], ["ما"], ["او"], ["همدان", "."]]
    # gold primary given twice; auto-labelled sentences take the primary treebank's domain
    assert domains == [PRIMARY_DOMAIN, SECONDARY_DOMAIN, PRIMARY_DOMAIN, PRIMARY_DOMAIN]
    assert info["sentences"] == 1 and info["tokens"] == 2 and info["primary_repeat"] == 2
    assert info["files"][0]["kept_sentences"] == 1


def test_stanza_gets_auto_sentences_as_a_third_file(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("stanza")
    from stanza.models import tagger

    from extract.tagging import train_stanza

    seen = {}
    monkeypatch.setattr(tagger, "main", lambda argv: seen.setdefault("argv", argv))
    train_stanza.train_tagger("fa", tmp_path, tmp_path / "pretrain.pt", {"max_steps": 5}, threads=1,
                              primary_ratio=3.0, secondary=True, auto_ratio=0.5, log=lambda *a: None)
    argv = seen["argv"]
    files = argv[argv.index("--train_file") + 1].split(";")
    assert [Path(f).name for f in files] == ["train-primary.conllu", "train-secondary.conllu", "train-auto.conllu"]
    assert argv[argv.index("--train_ratios") + 1] == "3;1;0.5"
