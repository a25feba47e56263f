"""Raw-text name shares (`tagging.autonames`) and the CRF extra `aname` that reads them."""
from __future__ import annotations

import gzip
from pathlib import Path

from extract.tagging.autonames import build, raw_paragraphs
from extract.tagging.crf import AUTONAMES_FILE, Resources, sentence_features
from extract.tagging.train_crf import share_bucket

PARAGRAPHS = [
    "عمران خان نخست وزیر پاکستان روز دوشنبه با هیئتی از چین در اسلام‌آباد دیدار کرد و درباره تجارت گفت‌وگو کرد.",
    "وزیر خارجه پاکستان گفت که پاکستان و چین روابط خوبی دارند و این روابط ادامه خواهد یافت.",
    "کارشناسان می‌گویند تجارت میان دو کشور در سال‌های اخیر رشد کرده است و این رشد ادامه دارد.",
]


def _raw_dir(tmp_path: Path) -> Path:
    raw = tmp_path / "raw-text"
    raw.mkdir()
    with gzip.open(raw / "fa-sample.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(PARAGRAPHS + ["کوتاه"]) + "\n")
    with gzip.open(raw / "ar-sample.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write("هذا نص عربي طويل بما يكفي ليكون فقرة في ملف اللغة العربية وحدها.\n")
    return raw


def test_buckets_follow_the_gold_name_table() -> None:
    assert [share_bucket(x) for x in (0, 0.1, 0.3, 0.6, 0.9, 1.0)] == ["0", "lo", "mid", "hi", "all", "all"]


def test_paragraphs_are_the_languages_own_shuffled_reproducibly(tmp_path: Path) -> None:
    raw = _raw_dir(tmp_path)
    first = raw_paragraphs("fa", raw)
    assert sorted(first) == sorted(PARAGRAPHS)  # short lines and the other language's file left out
    assert raw_paragraphs("fa", raw) == first


def test_the_pipeline_marks_names_in_raw_text(tmp_path: Path) -> None:
    out = tmp_path / "autonames.tsv"
    written = build("fa", _raw_dir(tmp_path), out, jobs=1, min_count=2, log=lambda *_: None)
    table = dict(line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())
    assert written == len(table)
    assert table["پاکستان"] == "all" and table["چین"] == "all"  # every occurrence inside a country
    assert table["و"] == "0" and table["تجارت"] == "0"
    assert "عمران" not in table  # seen once: below min_count


def test_crf_extra_aname_reads_the_table(tmp_path: Path) -> None:
    (tmp_path / AUTONAMES_FILE).write_text("پاکستان\tall\nو\t0\n", encoding="utf-8")
    words = ["پاکستان", "و", "هند"]
    with_extra = sentence_features(words, "fa", res=Resources.load(tmp_path, ["aname"]))
    assert "an=all" in with_extra[0] and "1:an=0" in with_extra[0] and "-1:an=pad" in with_extra[0]
    assert "an=?" in with_extra[2] and "-1:an=0" in with_extra[2]
    without = sentence_features(words, "fa", res=Resources.load(tmp_path))
    assert not any(f.startswith(("an=", "-1:an=", "1:an=")) for f in without[0])
