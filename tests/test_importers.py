"""Gold importers: exact offsets, round trips, the nesting rule, errors, and the real data sets."""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from extract.document import Document
from extract.errors import ExtractError
from extract.evaluate import importers as im

SHARED = Path(os.environ.get("EXTRACT_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared/data"))
PEYMA_MAP = im.resolve_mapping("peyma")
WOJOOD_MAP = im.resolve_mapping("wojood")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return path


def spans(document: Document, name: str) -> list[tuple[str, int, int, str, str]]:
    return [(item.id, item.start, item.end, item.text, item.type) for item in getattr(document, name)]


def assert_round_trip(items, tokens) -> None:
    assert im.check_round_trip(items, tokens) == []
    exported = [sentence for _, raw, doc in items for sentence in im.export_tokens(raw, doc)]
    assert exported == tokens


# --- iob -------------------------------------------------------------------------------------

PEYMA_LIKE = (
    "سفر\tO\n" "جان\tB-PER\n" "کری\tI-PER\n" "به\tO\n" "تهران\tB-LOC\n" "در\tO\n"
    "۲۰\tB-DAT\n" "مهر\tI-DAT\n" "ساعت\tB-TIM\n" "۱۰\tI-TIM\n" ".\tO\n"
    "\n"
    "\u200e۵\tB-PCT\n" "درصد\tI-PCT\n" "و\tO\n" "۲\tB-MON\n" "میلیارد\tI-MON\n" "دلار\tI-MON\n" "بانک\tB-ORG\n"
)
PEYMA_TOKENS = [["سفر", "جان", "کری", "به", "تهران", "در", "۲۰", "مهر", "ساعت", "۱۰", "."],
                ["۵", "درصد", "و", "۲", "میلیارد", "دلار", "بانک"]]


def test_iob_tab_exact_offsets_and_round_trip(tmp_path):
    path = write(tmp_path, "NER-1", PEYMA_LIKE)
    items = im.import_file(path, "iob", "fa", PEYMA_MAP)
    assert len(items) == 1
    doc_id, raw, doc = items[0]
    assert doc_id == "NER-1" and doc.doc_id == "NER-1" and doc.lang == "fa"
    assert raw == "سفر جان کری به تهران در ۲۰ مهر ساعت ۱۰ .\n۵ درصد و ۲ میلیارد دلار بانک\n"
    assert doc.sentences == [(0, 40), (41, 69)]
    assert spans(doc, "actors") == [("a1", 4, 11, "جان کری", "PER"), ("a2", 15, 20, "تهران", "LOC"),
                                    ("a3", 65, 69, "بانک", "ORG")]
    assert spans(doc, "dates") == [("d1", 24, 30, "۲۰ مهر", "DATE"), ("d2", 31, 38, "ساعت ۱۰", "TIME")]
    assert spans(doc, "amounts") == [("m1", 41, 47, "۵ درصد", "PERCENT"), ("m2", 50, 64, "۲ میلیارد دلار", "MONEY")]
    assert all(item.value is None for item in doc.dates + doc.amounts)
    assert doc.offset_errors(raw) == []
    assert_round_trip(items, PEYMA_TOKENS)
    assert im.read_tokens(path, "iob") == PEYMA_TOKENS  # U+200E removed
    assert im.export_iob(raw, doc, "dates")[0][6:10] == [("۲۰", "B-DATE"), ("مهر", "I-DATE"), ("ساعت", "B-TIME"),
                                                          ("۱۰", "I-TIME")]


def test_iob_space_separated_and_document_cuts(tmp_path):
    sentences = [f"جمله{i} O\nعلی B-pers\nدر O\nایران B-loc\nو O\nسازمان B-org\nملل I-org\nو O\nمدرسه B-fac\n"
                 for i in range(5)]
    path = write(tmp_path, "fold.txt", "\n".join(sentences) + "\n")
    mapping = im.resolve_mapping("arman")
    items = im.import_file(path, "iob", "fa", mapping, sents_per_doc=2)
    assert [doc_id for doc_id, _, _ in items] == ["fold-001", "fold-002", "fold-003"]
    assert [len(doc.sentences) for _, _, doc in items] == [2, 2, 1]
    _, raw, doc = items[0]
    assert raw.split("\n")[0] == "جمله0 علی در ایران و سازمان ملل و مدرسه"
    assert [(a.text, a.type) for a in doc.actors] == [("علی", "PER"), ("ایران", "LOC"), ("سازمان ملل", "ORG")] * 2
    assert [a.id for a in doc.actors] == [f"a{i}" for i in range(1, 7)]
    stats = im.ImportStats()
    items = im.import_file(path, "iob", "fa", mapping, docs_per_file=2, stats=stats)
    assert [(doc_id, len(doc.sentences)) for doc_id, _, doc in items] == [("fold-001", 2), ("fold-002", 3)]
    assert stats.dropped == Counter({"fac": 5}) and stats.kept["actors/ORG"] == 5
    assert_round_trip(items, im.read_tokens(path, "iob"))
    assert im.export_iob(items[0][1], items[0][2], "actors")[0][5:7] == [("سازمان", "B-ORG"), ("ملل", "I-ORG")]


def test_iob_conventions_docstart_bioes_and_orphan_i(tmp_path):
    text = ("-DOCSTART- O\n\nA B-PER\nB I-PER\nc O\nD I-LOC\nE I-LOC\n\n"
            "-DOCSTART- O\n\nF S-ORG\nG B-ORG\nH E-ORG\ni O\n")
    stats = im.ImportStats()
    items = im.import_file(write(tmp_path, "conll.txt", text), "iob", "ar", PEYMA_MAP, stats=stats)
    assert [doc_id for doc_id, _, _ in items] == ["conll-001", "conll-002"]
    assert spans(items[0][2], "actors") == [("a1", 0, 3, "A B", "PER"), ("a2", 6, 9, "D E", "LOC")]
    assert spans(items[1][2], "actors") == [("a1", 0, 1, "F", "ORG"), ("a2", 2, 5, "G H", "ORG")]
    assert stats.notes["I- tag without B- started a span"] == 1


def test_lenient_repairs_peyma_slips(tmp_path):
    text = ("\tO\n" "اردوغان\tB-PER\n" "گفت\tO\n" ".\tO\n" "O\n" "رجب\tB-PER\n" "طیب\tI-PER\n" "شد\n" "O\n"
            "\n" "غذايي\n" "\n" "ايرنا\tB-ORG\n" "110O\n")
    path = write(tmp_path, "NER-9", text)
    with pytest.raises(ExtractError) as err:
        im.import_file(path, "iob", "fa", PEYMA_MAP)
    assert err.value.code == "E424" and "NER-9:1" in str(err.value)
    stats = im.ImportStats()
    ((_, raw, doc),) = im.import_file(path, "iob", "fa", PEYMA_MAP, lenient=True, stats=stats)
    assert raw == "اردوغان گفت . رجب طیب شد\nغذايي\nايرنا 110\n"
    assert [(a.text, a.type) for a in doc.actors] == [("اردوغان", "PER"), ("رجب طیب", "PER"), ("ايرنا", "ORG")]
    assert stats.repairs == Counter({"empty token skipped": 1, "tag without token skipped": 1,
                                     "token and its tag on two lines, joined": 1, "token without tag, tagged O": 1,
                                     "tag O glued to the last token, split": 1})
    assert "NER-9:" in stats.examples[0]
    assert doc.offset_errors(raw) == []


# --- iob-nested ------------------------------------------------------------------------------

WOJOOD_LIKE = (
    "رسالة O\n" "سكرتير B-OCC\n" "اللجنة I-OCC B-ORG\n" "القومية I-OCC I-ORG\n" "في I-OCC I-ORG\n"
    "نابلس I-OCC I-ORG B-GPE\n" "دفع O\n" "مليون B-MONEY\n" "يورو I-MONEY B-CURR\n" "في O\n"
    "عام B-DATE\n" "1948 I-DATE\n" ". O\n" "$#$ O\n"
    "\n"
    "مؤتمر B-ORG\n" "1948 I-ORG B-DATE\n" "في O\n" "مصر B-GPE\n" "$#$ O\n" "$#$ O\n"
)
WOJOOD_TOKENS = [["رسالة", "سكرتير", "اللجنة", "القومية", "في", "نابلس", "دفع", "مليون", "يورو", "في", "عام", "1948", "."],
                 ["مؤتمر", "1948", "في", "مصر"]]


def test_nested_three_levels_keeps_outer_spans_per_list(tmp_path):
    path = write(tmp_path, "val.txt", WOJOOD_LIKE)
    stats = im.ImportStats()
    items = im.import_file(path, "iob-nested", "ar", WOJOOD_MAP, stats=stats)
    ((doc_id, raw, doc),) = items
    assert doc_id == "val"
    assert raw == "رسالة سكرتير اللجنة القومية في نابلس دفع مليون يورو في عام 1948 .\nمؤتمر 1948 في مصر\n"
    # OCC (unmapped) > ORG > GPE: the ORG is kept, the GPE inside it is dropped (both are actors)
    assert [(a.text, a.type) for a in doc.actors] == [("اللجنة القومية في نابلس", "ORG"), ("مؤتمر 1948", "ORG"),
                                                      ("مصر", "GPE")]
    # MONEY kept, its inner CURR dropped (unmapped); a DATE inside an ORG is kept: another list
    assert [(m.text, m.type) for m in doc.amounts] == [("مليون يورو", "MONEY")]
    assert [(d.text, d.type, d.start) for d in doc.dates] == [("عام 1948", "DATE", 55), ("1948", "DATE", 72)]
    assert stats.nested == Counter({"actors/GPE": 1})
    assert stats.dropped == Counter({"OCC": 1, "CURR": 1})
    assert stats.notes["marker tokens $#$ dropped"] == 3
    assert doc.offset_errors(raw) == []
    assert_round_trip(items, WOJOOD_TOKENS)


def test_nested_rule_drops_same_list_inner_spans_of_any_depth(tmp_path):
    path = write(tmp_path, "val.txt", WOJOOD_LIKE)
    mapping = {**WOJOOD_MAP, "CURR": "amounts/MONEY", "OCC": "actors/PER"}
    stats = im.ImportStats()
    ((_, raw, doc),) = im.import_file(path, "iob-nested", "ar", mapping, stats=stats)
    assert [(m.text, m.type) for m in doc.amounts] == [("مليون يورو", "MONEY")]  # inner CURR->MONEY dropped
    assert [(a.text, a.type) for a in doc.actors][0] == ("سكرتير اللجنة القومية في نابلس", "PER")
    assert stats.nested == Counter({"actors/ORG": 1, "actors/GPE": 1, "amounts/MONEY": 1})


# --- conllu ----------------------------------------------------------------------------------

CONLLU = """# newdoc id = n1
# text = کتابش را خواندم.
1-2	کتابش	_	_	_	_	_	_	_	_
1	کتاب	کتاب	NOUN	N	_	3	obj	_	_
2	ش	او	PRON	PR	_	1	nmod	_	_
3	را	را	ADP	P	_	1	case	_	_
4	خواندم	خواند	VERB	V	_	0	root	_	SpaceAfter=No
5	.	.	PUNCT	PUNC	_	4	punct	_	_

# text = «سلام» گفت.
1	«	«	PUNCT	PUNC	_	2	punct	_	SpaceAfter=No
2	سلام	سلام	NOUN	N	_	4	obj	_	SpaceAfter=No
3	»	»	PUNCT	PUNC	_	2	punct	_	_
4	گفت	گفت	VERB	V	_	0	root	_	SpaceAfter=No
4.1	بود	_	_	_	_	_	_	_	_
5	.	.	PUNCT	PUNC	_	4	punct	_	_

# newdoc id = n2
1	بله	بله	INTJ	INTJ	_	0	root	_	_
"""


def test_conllu_space_after_multiword_tokens_and_newdoc(tmp_path):
    path = write(tmp_path, "fa_test-dev.conllu", CONLLU)
    stats = im.ImportStats()
    items = im.import_file(path, "conllu", "fa", {}, stats=stats)
    assert [doc_id for doc_id, _, _ in items] == ["fa_test-dev-n1", "fa_test-dev-n2"]
    _, raw, doc = items[0]
    assert raw == "کتابش را خواندم.\n«سلام» گفت.\n"
    assert doc.sentences == [(0, 16), (17, 28)]
    assert doc.dates == doc.amounts == doc.actors == []
    assert doc.pipeline["gold_import"]["token_breaks"] == [15, 18, 22, 27]
    assert "sentences whose `# text` differs from the rebuilt text" not in stats.notes
    assert_round_trip(items, [["کتابش", "را", "خواندم", "."], ["«", "سلام", "»", "گفت", "."], ["بله"]])


# --- writing ---------------------------------------------------------------------------------

def test_write_gold_files_reload_exactly(tmp_path):
    items = im.import_file(write(tmp_path, "src/NER-1", PEYMA_LIKE), "iob", "fa", PEYMA_MAP)
    out = tmp_path / "gold"
    written = im.write_gold(items, out)
    assert sorted(p.name for p in written) == ["NER-1.json", "NER-1.txt"]
    _, raw, doc = items[0]
    assert (out / "NER-1.txt").read_bytes() == raw.encode("utf-8")
    data = json.loads((out / "NER-1.json").read_text(encoding="utf-8"))
    assert data["schema"] == "extract/1" and data["sentences"] == [[0, 40], [41, 69]]
    assert all("source" not in item and "confidence" not in item for name in ("dates", "amounts", "actors")
               for item in data[name])
    # span-only corpora annotate no values: the fields are left out, so scoring does not compare them
    assert all(set(item) == {"id", "start", "end", "text", "type"} for name in ("dates", "amounts", "actors")
               for item in data[name])
    assert Document.model_validate(data) == doc
    assert not list(out.glob(".*"))  # no temporary files left
    from extract.evaluate import load_gold_dir

    (gold,) = load_gold_dir(out)
    assert gold.doc_id == "NER-1" and gold.raw == raw and gold.document == doc


def test_import_source_folder_doc_ids_and_skips(tmp_path):
    write(tmp_path, "data/a.txt", "x O\n")
    write(tmp_path, "data/sub/b.txt", "y B-PER\n")
    write(tmp_path, "data/ReadMe.txt", "not data at all\n")
    stats = im.ImportStats()
    items = im.import_source(tmp_path / "data", "iob", "fa", PEYMA_MAP, stats=stats)
    assert [doc_id for doc_id, _, _ in items] == ["a", "sub/b"]
    assert stats.skipped_files == ["ReadMe.txt"] and stats.files == 2
    im.write_gold(items, tmp_path / "out")
    assert (tmp_path / "out/sub/b.json").is_file()
    write(tmp_path, "data/a.iob", "z O\n")
    with pytest.raises(ExtractError) as err:
        im.import_source(tmp_path / "data", "iob", "fa", PEYMA_MAP)
    assert err.value.code == "E430"


# --- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, code, where", [
    ("a O\nb I-\n", "E423", ":2:"),
    ("a O\nb B-\n", "E423", ":2:"),
    ("a\tX-PER\n", "E423", ":1:"),
    ("a O\nb O\n\nc\n", "E422", ":4:"),
    ("a O\n\tB-PER\n", "E424", ":2:"),
])
def test_malformed_iob_is_a_numbered_error_naming_file_and_line(tmp_path, text, code, where):
    path = write(tmp_path, "bad.txt", text)
    with pytest.raises(ExtractError) as err:
        im.import_file(path, "iob", "fa", PEYMA_MAP)
    assert err.value.code == code
    assert f"bad.txt{where}" in str(err.value)


def test_other_errors(tmp_path):
    good = write(tmp_path, "ok.txt", "a O\n")
    cases = [
        (lambda: im.import_file(good, "brat", "fa", {}), "E421"),
        (lambda: im.import_source(tmp_path / "missing", "iob", "fa", {}), "E003"),
        (lambda: im.import_file(write(tmp_path, "b.conllu", "1\tx\t_\n"), "conllu", "fa", {}), "E425"),
        (lambda: im.parse_mapping(["DAT=dates/MONEY"]), "E426"),
        (lambda: im.parse_mapping(["DAT=events/DATE"]), "E426"),
        (lambda: im.parse_mapping(["DAT"]), "E426"),
        (lambda: im.import_file(good, "iob", "fa", {"X": "actors/PERSON"}), "E426"),
        (lambda: im.resolve_mapping("nope"), "E427"),
        (lambda: im.import_file(write(tmp_path, "empty.txt", "\n\n"), "iob", "fa", {}), "E428"),
        (lambda: im.import_file(good, "iob", "fa", {}, docs_per_file=0), "E429"),
        (lambda: im.import_file(good, "iob", "fa", {}, docs_per_file=2, sents_per_doc=2), "E429"),
        (lambda: im.import_file(good, "iob", "xx", {}), "E004"),
    ]
    for call, code in cases:
        with pytest.raises(ExtractError) as err:
            call()
        assert err.value.code == code, (code, str(err.value))
    assert im.parse_mapping(["PER=actors/PER", "FAC="]) == {"PER": "actors/PER", "FAC": None}


# --- presets and splits ----------------------------------------------------------------------

def test_presets():
    assert set(im.preset_names()) >= {"peyma", "arman", "wojood", "newsfane", "ud"}
    for name in im.preset_names():
        preset = im.get_preset(name)
        assert preset["format"] in im.FORMATS
        im.resolve_mapping(name)  # every target valid
    assert PEYMA_MAP == {"DAT": "dates/DATE", "TIM": "dates/TIME", "MON": "amounts/MONEY", "PCT": "amounts/PERCENT",
                         "PER": "actors/PER", "ORG": "actors/ORG", "LOC": "actors/LOC"}
    assert im.resolve_mapping("peyma", ["LOC=actors/GPE", "TIM="])["LOC"] == "actors/GPE"
    assert im.resolve_mapping("peyma", ["TIM="])["TIM"] is None
    assert len(im.get_preset("newsfane")["mapping"]) >= 30


def test_peyma_split_is_fixed_by_document():
    dev_names = im.peyma_dev_names()
    assert len(dev_names) == 149 and dev_names == sorted(dev_names)
    assert im.peyma_dev_rule([f"f{i}" for i in range(10)]) == ["f4", "f9"]
    first = dev_names[0]
    train, dev = im.peyma_split(["NER-0", first, f"{first}-002", "news999"])
    assert dev == [first, f"{first}-002"] and train == ["NER-0", "news999"]
    folder = SHARED / "peyma-600k"
    if folder.is_dir():
        assert im.peyma_dev_rule(p.name for p in folder.iterdir()) == dev_names


# --- real data (skipped when shared/data is absent) ------------------------------------------

def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not available (set EXTRACT_SHARED_DATA)")
    return path


def b_tags(lines: list[str], mapping: dict, nested: bool = False) -> Counter:
    """B- tags of mapped types, by target, counted straight from the lines."""
    counts = Counter()
    for line in lines:
        fields = line.split("\t") if "\t" in line else line.split()
        for tag in (fields[1:] if nested else fields[-1:]) if len(fields) > 1 else []:
            match = re.match(r"B-(.+)$", tag.strip())
            if match and mapping.get(match.group(1)):
                counts[mapping[match.group(1)]] += 1
    return counts


def kept(items) -> Counter:
    return Counter(f"{name}/{item.type}" for _, _, doc in items for name in ("dates", "amounts", "actors")
                   for item in getattr(doc, name))


def first_sentences(path: Path, count: int, tmp_path: Path, blank=lambda line: not line.strip()) -> Path:
    text = path.read_text(encoding="utf-8-sig")
    lines, seen = [], 0
    for line in text.split("\n"):
        lines.append(line)
        if blank(line.rstrip("\r")):
            seen += 1
            if seen == count:
                break
    return write(tmp_path, path.name, "\n".join(lines) + "\n")


def test_real_peyma_first_files():
    folder = needs(SHARED / "peyma-600k")
    for path in sorted(folder.iterdir())[:6]:
        stats = im.ImportStats()
        items = im.import_file(path, "iob", "fa", PEYMA_MAP, lenient=True, stats=stats)
        ((doc_id, raw, doc),) = items
        assert doc_id == path.name and doc.offset_errors(raw) == []
        assert_round_trip(items, im.read_tokens(path, "iob", lenient=True))
        lines = path.read_text(encoding="utf-8").split("\n")
        assert kept(items) == b_tags(lines, PEYMA_MAP) + Counter()  # no orphan I- in these files
        assert stats.notes["I- tag without B- started a span"] == 0


def test_real_wojood_val():
    path = needs(SHARED / "wojood-sample/val.txt")
    stats = im.ImportStats()
    items = im.import_file(path, "iob-nested", "ar", WOJOOD_MAP, sents_per_doc=50, stats=stats)
    assert [doc_id for doc_id, _, _ in items] == ["val-001", "val-002", "val-003", "val-004"]
    for _, raw, doc in items:
        assert doc.offset_errors(raw) == []
    assert_round_trip(items, im.read_tokens(path, "iob-nested"))
    assert "$#$" not in "".join(raw for _, raw, _ in items)
    # every mapped B- tag of every level is a kept span or an inner span dropped by the rule
    assert kept(items) + stats.nested == b_tags(path.read_text(encoding="utf-8").split("\n"), WOJOOD_MAP, nested=True)
    assert stats.nested["actors/GPE"] > 0


def test_real_arman_first_sentences(tmp_path):
    path = first_sentences(needs(SHARED / "arman-personer/test_fold1.txt"), 200, tmp_path)
    mapping = im.resolve_mapping("arman")
    items = im.import_file(path, "iob", "fa", mapping, sents_per_doc=50)
    assert len(items) == 4 and sum(len(doc.sentences) for _, _, doc in items) == 200
    for _, raw, doc in items:
        assert doc.offset_errors(raw) == []
    assert_round_trip(items, im.read_tokens(path, "iob"))
    assert kept(items) == b_tags(path.read_text(encoding="utf-8").split("\n"), mapping)


def test_real_newsfane_first_sentences(tmp_path):
    path = first_sentences(needs(SHARED / "newsfane/NewsFANE_Gold_2014_170K.txt"), 200, tmp_path)
    mapping = im.resolve_mapping("newsfane")
    stats = im.ImportStats()
    items = im.import_file(path, "iob", "ar", mapping, sents_per_doc=50, stats=stats)
    assert sum(len(doc.sentences) for _, _, doc in items) == 200
    for _, raw, doc in items:
        assert doc.offset_errors(raw) == []
        assert "\u200e" not in raw and "\r" not in raw
    assert_round_trip(items, im.read_tokens(path, "iob"))
    orphans = stats.notes["I- tag without B- started a span"]
    b = b_tags(path.read_text(encoding="utf-8-sig").split("\n"), mapping)
    assert sum(kept(items).values()) == sum(b.values()) + orphans
    assert stats.dropped  # FAC, VEH, PRO ... classes are dropped and counted


def test_real_ud_pud_text_matches_rebuild():
    path = needs(SHARED / "ud/ar_pud-test.conllu")
    stats = im.ImportStats()
    items = im.import_file(path, "conllu", "ar", {}, stats=stats)
    assert len(items) == 1000  # one `# newdoc` per sentence
    assert "sentences whose `# text` differs from the rebuilt text" not in stats.notes
    assert_round_trip(items, im.read_tokens(path, "conllu"))


# --- harmonizing date spans to the spec (peyma-spec, wojood-spec) ---------------------------

def test_spec_presets_only_add_harmonize_to_their_corpus_preset():
    for raw, spec in (("peyma", "peyma-spec"), ("wojood", "wojood-spec")):
        a, b = im.get_preset(raw), im.get_preset(spec)
        assert "harmonize" not in a and "harmonize" in b
        assert {k: v for k, v in b.items() if k not in ("harmonize", "description")} == \
               {k: v for k, v in a.items() if k != "description"}


def test_peyma_spec_cuts_leading_prepositions_from_date_spans(tmp_path):
    path = write(tmp_path, "NER-1", "بارش\tO\nاز\tB-DAT\nابتدای\tI-DAT\nسال\tI-DAT\nتاکنون\tI-DAT\nکم\tO\nبود\tO\n\n"
                                    "طی\tB-DAT\nدو\tI-DAT\nسال\tI-DAT\nگذشته\tI-DAT\nدر\tO\nتهران\tB-LOC\n\n"
                                    "در\tB-TIM\nساعت\tI-TIM\n۱۰\tI-TIM\n\nدر\tB-ORG\nکار\tI-ORG\n")
    raw_items = im.run_import(path, preset="peyma").items
    spec = im.run_import(path, preset="peyma-spec")
    (_, raw, before), (_, raw2, after) = raw_items[0], spec.items[0]
    assert raw == raw2 and before.text_sha256 == after.text_sha256
    assert [d.text for d in before.dates] == ["از ابتدای سال تاکنون", "طی دو سال گذشته", "در ساعت ۱۰"]
    assert [(d.text, d.type) for d in after.dates] == [("ابتدای سال تاکنون", "DATE"), ("دو سال گذشته", "DATE"),
                                                       ("ساعت ۱۰", "TIME")]
    assert after.offset_errors(raw) == []
    assert [a.text for a in after.actors] == ["تهران", "در کار"]  # other lists untouched
    assert spec.stats.notes["harmonized dates/DATE"] == 2 and spec.stats.notes["harmonized dates/TIME"] == 1


def test_wojood_spec_cuts_prepositions_proclitics_and_brackets():
    rules = im.get_preset("wojood-spec")["harmonize"]
    raw = ("منذ عام 2016 . لسنة 2004 . ومنذ مايو / أيار . قبل عشرين عاما . بتاريخ 1 / 2 / 1950 . "
           "( 28 / 12 / 1948 ) . 17 / 2 / 1996 ) . بداية 2019 . في\n")
    texts = ["منذ عام 2016", "لسنة 2004", "ومنذ مايو / أيار", "قبل عشرين عاما", "بتاريخ 1 / 2 / 1950",
             "( 28 / 12 / 1948 )", "17 / 2 / 1996 )", "بداية 2019", "في"]
    dates, at = [], 0
    for k, text in enumerate(texts, 1):
        at = raw.index(text, at)
        dates.append({"id": f"d{k}", "start": at, "end": at + len(text), "text": text, "type": "DATE"})
        at += len(text)
    document = Document(doc_id="x", lang="ar", text_sha256=im.sha256_text(raw), dates=dates)
    out = im.harmonize(raw, document, rules)
    assert [d.text for d in out.dates] == ["عام 2016", "سنة 2004", "مايو / أيار", "قبل عشرين عاما",
                                           "بتاريخ 1 / 2 / 1950", "28 / 12 / 1948", "17 / 2 / 1996",
                                           "بداية 2019", "في"]  # «قبل …» is «ago»; never emptied
    assert out.offset_errors(raw) == [] and [d.text for d in document.dates] == texts  # a copy


def test_spec_presets_retype_counted_units_as_durations():
    for preset, raw, texts, expected in (
        ("wojood-spec", "تبلغ 8 سنوات . بعد عامين . كل سنة . سنة 1935 . عدة أيام\n",
         ["8 سنوات", "عامين", "سنة", "سنة 1935", "عدة أيام"], ["DURATION", "DURATION", "DATE", "DATE", "DURATION"]),
        ("peyma-spec", "بازی 66 دقيقه طول کشید و طي دو سال گذشته و سال ۹۵\n",
         ["66 دقيقه", "طي دو سال گذشته", "سال ۹۵"], ["DURATION", "DATE", "DATE"]),
    ):
        dates, at = [], 0
        for k, text in enumerate(texts, 1):
            at = raw.index(text, at)
            dates.append({"id": f"d{k}", "start": at, "end": at + len(text), "text": text, "type": "DATE"})
            at += len(text)
        lang = "ar" if preset.startswith("wojood") else "fa"
        document = Document(doc_id="x", lang=lang, text_sha256=im.sha256_text(raw), dates=dates)
        out = im.harmonize(raw, document, im.get_preset(preset)["harmonize"])
        assert [d.type for d in out.dates] == expected, preset
    assert [d.text for d in out.dates][1] == "دو سال گذشته"  # cut first, then «N unit گذشته» stays a DATE
