"""The offline CRF tagger: training, loading, integrity checks, accuracy, UD surface tokens."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extract.errors import ExtractError
from extract.models import models_dir
from extract.lang.ar.tagger_features import lookup_forms
from extract.lang.ar.tokenizer import proclitic_splits
from extract.tagging.crf import CRFTagger, LemmaTable, sentence_features
from extract.tagging.train_crf import default_data_dir, load_spec, normalized, train
from extract.lang.ar.treebank import _join_padt
from extract.tagging.ud import read_conllu, surface_tokens

DATA = default_data_dir()
needs_data = pytest.mark.skipif(not (DATA / "fa_perdt-dev.conllu").is_file(), reason=f"UD data not found in {DATA}")

UPOS = {"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
        "PUNCT", "SCONJ", "SYM", "VERB", "X"}
TARGETS = {"fa": 0.95, "ar": 0.92}


# ------------------------------------------------------------------ tiny trained models


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory) -> Path:
    if not (DATA / "fa_perdt-dev.conllu").is_file():
        pytest.skip(f"UD data not found in {DATA}")
    out = tmp_path_factory.mktemp("models")
    quiet = lambda *a, **k: None  # noqa: E731
    train("fa", out=out, data_dir=DATA, train_specs=["fa_perdt-dev.conllu"], test_spec="fa_perdt-test.conllu",
          params={"max_iterations": 25}, max_sentences=200, test_max_sentences=30,
          clusters=False, lexicon=False, log=quiet)
    train("ar", out=out, data_dir=DATA, train_specs=["ar_pud-test.conllu"], test_spec="ar_padt13-test.conllu",
          params={"max_iterations": 25}, max_sentences=200, test_max_sentences=30,
          clusters=False, lexicon=False, log=quiet)
    return out


def test_tiny_models_tag(tiny_models: Path) -> None:
    fa = CRFTagger.load("fa", directory=tiny_models)
    assert fa.source.startswith("model:tagger-fa-crf@")
    out = fa.tag([["به", "گزارش", "خبرنگار", "در", "تهران", "۱۲", "نفر", "آمدند", "."], []])
    assert len(out) == 2 and out[1] == []
    assert len(out[0]) == 9
    assert all(tag in UPOS and isinstance(lemma, str) and lemma for tag, lemma in out[0])
    assert out[0][-1][0] == "PUNCT"
    assert out[0][0] == ("ADP", "به")

    ar = CRFTagger.load("ar", directory=tiny_models)
    assert ar.source.startswith("model:tagger-ar-crf@")
    (tagged,) = ar.tag([["قال", "الرئيس", "لأوباما", "في", "واشنطن", "."]])
    assert [t for t, _ in tagged][-1] == "PUNCT"
    assert tagged[3] == ("ADP", "في")


def test_model_folder_contents(tiny_models: Path) -> None:
    folder = tiny_models / "tagger-fa-crf"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "crf-tagger" and manifest["lang"] == "fa"
    assert {"model.crfsuite", "lemmas.json", "config.json", "metrics.json"} <= set(manifest["files"])
    assert (folder / "MODEL_CARD.md").is_file()
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert 0.0 < metrics["test"]["upos_accuracy"] <= 1.0
    assert metrics["test_file"] == "fa_perdt-test.conllu"
    assert metrics["normalizer"] == "extract.text.normalize"
    assert not list(tiny_models.glob(".*.tmp"))
    # the multiword-name feature: its table is part of the model and is loaded with it
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if (DATA.parent / "peyma-600k").is_dir():
        assert config["extras"] == ["gaz"] and "phrases.tsv" in manifest["files"]
        tagger = CRFTagger.load("fa", directory=tiny_models)
        assert tagger.resources.extras == {"gaz"} and ("سازمان", "ملل", "متحد") in tagger.resources.phrases


def test_missing_model_is_E201(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as err:
        CRFTagger.load("fa", directory=tmp_path)
    assert err.value.code == "E201"
    assert "make models" in str(err.value)


def test_modified_model_is_E202(tiny_models: Path, tmp_path: Path) -> None:
    shutil.copytree(tiny_models / "tagger-fa-crf", tmp_path / "tagger-fa-crf")
    with open(tmp_path / "tagger-fa-crf" / "model.crfsuite", "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ExtractError) as err:
        CRFTagger.load("fa", directory=tmp_path)
    assert err.value.code == "E202"

    shutil.rmtree(tmp_path / "tagger-fa-crf")
    shutil.copytree(tiny_models / "tagger-fa-crf", tmp_path / "tagger-fa-crf")
    (tmp_path / "tagger-fa-crf" / "lemmas.json").unlink()
    with pytest.raises(ExtractError) as err:
        CRFTagger.load("fa", directory=tmp_path)
    assert err.value.code == "E202"


# ------------------------------------------------------------------- committed models


@needs_data
@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_committed_model_accuracy(lang: str) -> None:
    folder = models_dir() / f"tagger-{lang}-crf"
    if not (folder / "manifest.json").is_file():
        pytest.skip(f"{folder} does not exist: run `make models` to train it")
    tagger = CRFTagger.load(lang)
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    test_spec = metrics["test_file"]
    assert test_spec not in metrics["train_files"]
    sentences = normalized(load_spec(test_spec, DATA, lang), lang)  # the whole held-out file
    predicted = tagger.tag([[t.form for t in s] for s in sentences])
    scored = correct = 0
    for sentence, tags in zip(sentences, predicted):
        for gold, (tag, _lemma) in zip(sentence, tags):
            if gold.upos:  # PADT's unanalyzed words carry no gold tag
                scored += 1
                correct += gold.upos == tag
    accuracy = correct / scored
    assert scored > 5000
    assert accuracy >= TARGETS[lang] - 0.02, f"{lang}: {accuracy:.4f} on {test_spec}"


# ------------------------------------------------------------------- surface tokens


@pytest.fixture(scope="module")
def pud_first() -> list:
    path = DATA / "ar_pud-test.conllu"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    sentence = next(iter(read_conllu(path)))
    return surface_tokens(sentence, "ar", "spaceafter")


def test_pud_clitics_are_joined(pud_first: list) -> None:
    by_form = {t.form: t for t in pud_first}
    assert by_form["لأوباما"].upos == "PROPN"  # ل + أوباما: the host's tag
    assert by_form["لأوباما"].lemma == "اوباما"
    assert by_form["لأوباما"].words == ("ل", "أوباما")
    assert by_form["نشرتها"].upos == "VERB"  # نشرت + ها
    assert by_form["للسلطة"].upos == "NOUN"  # ل + لسلطة
    assert by_form["له"].upos == "ADP"  # ل + ه: all clitics, the preposition hosts
    assert by_form["فإن"].upos == "PART"  # ف + إن
    forms = [t.form for t in pud_first]
    assert "شولمان" in forms and "," in forms  # punctuation is never glued to words
    assert "ل" not in forms and "ها" not in forms


def test_padt13_clitics_are_attached() -> None:
    path = DATA / "ar_padt13-dev.conllu"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    sentences = iter(read_conllu(path))
    first = surface_tokens(next(sentences), "ar", "padt13")
    forms = [t.form for t in first]
    assert "للحظر" in forms  # لِ + اَلحَظرِ : alef of the article dropped
    assert "الأميركيين" in forms  # dediacritized
    assert first[0].upos == "NOUN" and first[0].lemma == "مجموعة"
    second = surface_tokens(next(sentences), "ar", "padt13")
    by_form = {t.form: t for t in second}
    assert by_form["البصرة"].upos == "PROPN"  # NOUN with gloss "Basra" -> PROPN
    assert by_form["العراق"].upos == "PROPN"
    assert by_form["منها"].upos == "ADP"  # من + ها
    third = surface_tokens(next(sentences), "ar", "padt13")
    assert third[0].form == "وكانت" and third[0].upos == "AUX"  # وَ + كَانَت, كان -> AUX
    assert any(t.form == "رئيستها" for t in third)  # ة + ها -> تها


def test_join_padt_spelling() -> None:
    assert _join_padt(["ل", "الحظر"], 1) == "للحظر"
    assert _join_padt(["و", "ل", "الله"], 2) == "ولله"
    assert _join_padt(["رئيسة", "ها"], 0) == "رئيستها"
    assert _join_padt(["أهدى", "ه"], 0) == "أهداه"
    assert _join_padt(["نهبوا", "ه"], 0) == "نهبوه"


def test_persian_multiword_tokens() -> None:
    path = DATA / "fa_perdt-dev.conllu"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    tokens = surface_tokens(next(iter(read_conllu(path))), "fa")
    by_form = {t.form: t for t in tokens}
    assert by_form["ماتمش"].upos == "NOUN" and by_form["ماتمش"].lemma == "ماتم"
    assert "ش" not in by_form


# ------------------------------------------------------------------- features, lemmas


def test_arabic_proclitic_stripping() -> None:
    assert proclitic_splits("وباكستان")[0] == ("وب", "اكستان")  # longest candidate (a feature) ...
    assert ("و", "باكستان") in proclitic_splits("وباكستان")  # ... the others serve lookups
    assert proclitic_splits("للسلطة")[0] == ("لل", "سلطة")
    assert proclitic_splits("وبالمدينة")[0] == ("وبال", "مدينة")
    assert proclitic_splits("في") == ()
    assert lookup_forms("للولايات")[:2] == ["ولايات", "الولايات"]  # the article restored after لل
    feats = sentence_features(["وباكستان", "و", "الهند"], "ar")
    assert "stem=اكستان" in feats[0] and "pre=وب" in feats[0] and "BOS" in feats[0] and "EOS" in feats[2]
    assert "-1:w=و" in feats[2]


def test_persian_zwnj_features() -> None:
    feats = sentence_features(["کتاب\u200cهای", "خوب"], "fa")[0]
    assert "z0=کتاب" in feats and "zl=های" in feats


def test_lemma_table_backoff() -> None:
    table = LemmaTable.learn("ar", [("الكتب", "NOUN", "كتاب"), ("باكستان", "PROPN", "باكستان"),
                                    ("كتب", "VERB", "كتب"), ("كتب", "NOUN", "كتاب"), ("كتب", "NOUN", "كتاب")])
    assert table.lemma("كتب", "NOUN") == "كتاب"
    assert table.lemma("كتب", "VERB") == "كتب"
    assert table.lemma("وباكستان", "PROPN") == "باكستان"  # proclitic stripped, stem known
    assert table.lemma("والمدارس", "NOUN") == "مدارس"  # language fallback: article stripped


@needs_data
def test_every_n_specs_split_sentences() -> None:
    every = load_spec("fa_perdt-dev.conllu@every-10", DATA, "fa")
    rest = load_spec("fa_perdt-dev.conllu@not-every-10", DATA, "fa")
    whole = load_spec("fa_perdt-dev.conllu", DATA, "fa")
    assert len(every) + len(rest) == len(whole) and len(every) == len(whole) // 10
    assert [t.form for t in every[0]] == [t.form for t in whole[9]]


@needs_data
def test_combined_slices_split_the_rest_in_halves() -> None:
    rest = load_spec("fa_perdt-dev.conllu@not-every-10", DATA, "fa")
    halves = [load_spec(f"fa_perdt-dev.conllu@not-every-10+half-{h}", DATA, "fa") for h in (0, 1)]
    whole = load_spec("fa_perdt-dev.conllu", DATA, "fa")
    forms = lambda sents: [tuple(t.form for t in s) for s in sents]  # noqa: E731
    assert sorted(forms(halves[0]) + forms(halves[1])) == sorted(forms(rest))
    assert forms(halves[1])[0] == forms(whole)[20]  # the second block of 20 sentences
    assert forms(halves[0])[:9] == forms(whole)[:9] and forms(halves[0])[9] == forms(whole)[10]  # 9: held out
    with pytest.raises(ValueError):
        load_spec("fa_perdt-dev.conllu@not-every-10+third-1", DATA, "fa")


@needs_data
def test_head_tail_specs_split_contiguously() -> None:
    head = load_spec("fa_perdt-dev.conllu@head-80", DATA, "fa")
    tail = load_spec("fa_perdt-dev.conllu@tail-20", DATA, "fa")
    whole = load_spec("fa_perdt-dev.conllu", DATA, "fa")
    assert len(head) + len(tail) == len(whole) and abs(len(tail) - len(whole) / 5) < 1
    assert [t.form for t in head[-1]] == [t.form for t in whole[len(head) - 1]]
    assert [t.form for t in tail[0]] == [t.form for t in whole[len(head)]]


def test_embedding_cluster_and_suffix_features() -> None:
    from extract.tagging.crf import Resources

    words = ["وزیر", "خارجه", "پاکستان", "گفت", "اصلاح‌طلبانه"]
    emb = {"وزیر": ("1", "10", "100"), "پاکستان": ("2", "20", "200"), "گفت": ("3", "30", "300")}
    assert not any(f.startswith(("e0=", "e=?", "s5=")) for fs in sentence_features(words, "fa", res=Resources(emb=emb))
                   for f in fs)  # opt-in: models without the extras keep their features
    feats = sentence_features(words, "fa", res=Resources(emb=emb, extras=frozenset({"emb", "suf"})))
    assert {"e0=2", "e1=20", "e2=200"} <= set(feats[2]) and "e=?" in feats[1]
    # ±1: every granularity, ±2: the two coarsest
    assert "1:e2=300" in feats[2] and "-2:e1=10" in feats[2] and not any(f.startswith("-1:e") for f in feats[2])
    assert not any(f.startswith("-2:e2=") for f in feats[2])
    assert "s6=" + words[4][-6:] in feats[4] and "s5=" + words[4][-5:] in feats[4]
    assert not any(f.startswith("s5=") for f in feats[0])  # too short


@needs_data
def test_model_with_embedding_clusters_under_its_own_name(tmp_path: Path) -> None:
    emb = tmp_path / "emb.tsv"
    emb.write_text("در\t1\t10\t100\nتهران\t2\t20\t200\n", encoding="utf-8")
    train("fa", out=tmp_path, data_dir=DATA, train_specs=["fa_perdt-dev.conllu@head-10"],
          test_spec="fa_perdt-dev.conllu@tail-2", params={"max_iterations": 10}, clusters=False, lexicon=False,
          names=False, extras=("emb", "suf"), emb_clusters=emb, name="tagger-fa-crf-x",
          command="python -m extract.tagging.train_crf --lang fa --name tagger-fa-crf-x", log=lambda *a, **k: None)
    folder = tmp_path / "tagger-fa-crf-x"
    assert (folder / "emb_clusters.tsv").read_text(encoding="utf-8") == emb.read_text(encoding="utf-8")
    assert json.loads((folder / "config.json").read_text())["extras"] == ["emb", "suf"]
    assert "emb_clusters.tsv" in json.loads((folder / "manifest.json").read_text())["files"]
    assert "--name tagger-fa-crf-x`" in (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    tagger = CRFTagger.load("fa", tmp_path, "tagger-fa-crf-x")
    assert tagger.source.startswith("model:tagger-fa-crf-x@") and tagger.resources.emb["تهران"] == ("2", "20", "200")
    assert len(tagger.tag([["در", "تهران", "."]])[0]) == 3


def test_extra_feature_groups_are_opt_in() -> None:
    from extract.tagging.crf import Resources

    words = ["دفتر", "سازمان", "ملل", "متحد", "در", "کتاب\u200cهای", "بزرگ\u200cترین"]
    plain = Resources(lexicon={"کتاب": "N", "بزرگ": "AJ", "در": "P"},
                      phrases={("سازمان", "ملل", "متحد"): "all", ("سازمان", "ملل"): "hi"})
    before = sentence_features(words, "fa", res=plain)
    assert not any(f.startswith(("gz=", "-1:lex=", "slex=")) for fs in before for f in fs)  # v2 models unchanged
    extra = Resources(lexicon=plain.lexicon, phrases=plain.phrases, extras=frozenset({"gaz", "nlex", "slex"}))
    feats = sentence_features(words, "fa", res=extra)
    # the longest known name wins, every word of it is marked (PerDT: all PROPN)
    assert [next(f for f in fs if f.startswith("gz=")) for fs in feats[:5]] == \
        ["gz=O", "gz=Ball", "gz=Iall", "gz=Eall", "gz=O"]
    assert "1:gz=B" in feats[0] and "-1:gz=E" in feats[4]
    assert "1:lex=P" in feats[3] and "-1:lex=?" in feats[4] and "-1:lex=P" in feats[5]  # neighbours' lexicon classes
    assert "slex=های:N" in feats[5] and "slex=ترین:AJ" in feats[6]  # inflection stripped, stem's class


def test_persian_stem_lexicon() -> None:
    from extract.lang.fa.tagger_features import stem_lexicon

    lexicon = {"کتاب": "N", "خوب": "AJ", "دانش": "N"}
    assert stem_lexicon("کتاب", lexicon) == "N"
    assert stem_lexicon("کتابها", lexicon) == "ها:N"  # no ZWNJ (raw text often lacks it)
    assert stem_lexicon("خوب\u200cتر", lexicon) == "تر:AJ"
    assert stem_lexicon("دانش\u200cآموز", lexicon) == "z:N"  # compound: its first part's class
    assert stem_lexicon("ناشناخته", lexicon) is None
