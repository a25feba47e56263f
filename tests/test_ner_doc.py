"""The NER feature extra `doc`: what the rest of a document says of a word
(`Featurizer.document_cues`)."""
from extract.ner.features import Featurizer

GAZETTEER = {"آقای": ("TITLE",), "وزیرخارجه": ("TITLE",), "ایران": ("GPE",), "باشگاه": ("HEAD_ORG",),
             "شهر": ("HEAD_LOC",), "گفت": ("SAY",), "افزود": ("SAY",)}
SHARES = {"بهمن": ("ORGB=mid", "PERB=mid"), "محمد": ("PERB=hi", "PERI=mid")}


def featurizer(doc: bool = True, shares: dict | None = None) -> Featurizer:
    return Featurizer({}, GAZETTEER, lambda w: [], lambda w: w.replace(" ", ""), shares=shares, doc=doc)


DOCUMENT = [
    ["آقای", "کلانتری", "گفت", "که", "روزنامه", "«", "ایران", "»", "نوشت", "."],
    ["وزیر", "خارجه", "محمد", "ظریف", "به", "تهران", "رفت", "."],
    ["کلانتری", "افزود", "که", "ظریف", "و", "ایران", "موافق", "اند", "."],
]


def doc_features(row: list[str]) -> set[str]:
    return {f for f in row if "d:" in f}


def test_a_name_read_after_a_title_elsewhere_carries_it_to_its_bare_mentions():
    feats = featurizer()
    cues = feats.document_cues(DOCUMENT)
    assert "T" in cues["کلانتری"]  # after the one-word title آقای
    assert "T" in cues["محمد"] and "T2" in cues["ظریف"]  # after the two-word title وزیر خارجه
    assert "T" not in cues["افزود"] and "T" not in cues["روزنامه"]
    third = feats.sentence(DOCUMENT[2], cues=cues)
    # the bare surname of the last sentence, and the word after it as its neighbour
    assert {"d:T", "d:f=2"} <= doc_features(third[0])
    assert "-1d:T" in doc_features(third[1])
    assert "d:T2" in doc_features(third[3])


def test_quotes_and_counts_are_cues():
    cues = featurizer().document_cues(DOCUMENT)
    assert "Q" in cues["ایران"] and cues["ایران"][-1] == "f=2"
    assert "Q" not in cues["روزنامه"] and cues["روزنامه"] == ("f=1",)
    assert cues["که"][-1] == "f=2" and cues["."][-1] == "f=3"
    # an unclosed quote marks nothing
    assert "Q" not in featurizer().document_cues([["«", "بیانیه", "امروز", "منتشر", "شد", "و", "دولت"]])["بیانیه"]


def test_a_sentence_without_its_document_is_its_own_document():
    feats = featurizer()
    alone = feats.sentence(DOCUMENT[2])
    assert "d:T" not in doc_features(alone[0]) and "d:f=1" in doc_features(alone[0])
    assert alone == feats.sentence(DOCUMENT[2], cues=feats.document_cues([DOCUMENT[2]]))


def test_a_model_without_the_extra_reads_no_document_features():
    feats = featurizer(doc=False)
    assert feats.document_cues(DOCUMENT) == {}
    rows = feats.sentence(DOCUMENT[2], cues=featurizer().document_cues(DOCUMENT))
    assert not any(doc_features(row) for row in rows)


def test_kind_words_given_names_appositions_and_speech_are_cues():
    document = [
        ["باشگاه", "استقلال", "در", "شهر", "اهواز", "بازی", "کرد", "."],
        ["محمد", "ظریف", "،", "وزیر", "خارجه", "،", "گفت", "که", "بهمن", "نامور", "افزود", "."],
        ["استقلال", "و", "اهواز", "و", "ظریف", "و", "نامور", "."],
    ]
    cues = featurizer(shares=SHARES).document_cues(document)
    assert "O" in cues["استقلال"] and "L" in cues["اهواز"] and "O" not in cues["اهواز"]
    # a word that mostly starts names in the shares corpus (محمد) gives `G`; one that is
    # as often an organization's first word (بهمن) does not
    assert "G" in cues["ظریف"] and "G" not in cues["نامور"]
    assert "A" in cues["ظریف"]  # before a comma and a title
    assert "S" in cues["نامور"] and "S" not in cues["ظریف"]  # right before a verb of saying only
    # without the shares table there is no given-name cue
    assert "G" not in featurizer().document_cues(document)["ظریف"]
    last = featurizer(shares=SHARES).sentence(document[2], cues=cues)
    assert {"d:O", "d:f=2"} <= doc_features(last[0]) and {"-1d:O", "1d:L"} <= doc_features(last[1])


def test_the_persian_model_finds_a_bare_surname_its_document_names_after_a_title():
    import json

    from extract.models import models_dir
    from extract.ner.tagger import NERModel

    config = json.loads((models_dir() / "ner-fa-crf" / "config.json").read_text(encoding="utf-8"))
    assert "doc" in config["extras"]
    model = NERModel.load("fa")
    for name in ("ستوده", "یزدانی"):
        first = f"آقای {name} در نشست خبری روز گذشته سخن گفت .".split()
        second = f"{name} افزود که این طرح تا پایان سال اجرا می‌شود .".split()
        assert model.tag_words(second) == []  # the sentence alone: an unknown word
        spans = model.tag_sentences([first, second])
        assert [(a, b, kind) for a, b, kind, _, _ in spans[1]] == [(0, 1, "PER")]
        assert [(a, b, kind) for a, b, kind, _, _ in spans[0]] == [(1, 2, "PER")]
