from __future__ import annotations

import codecs
import json

import pytest

from extract.errors import ExtractError
from extract.langdetect import detect
from extract.text.decode import decode_bytes

from conftest import SHARED_DATA


def test_utf8_bom_is_removed_and_crlf_kept() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "سلام\r\nدنیا".encode()) == "سلام\r\nدنیا"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_bytes(bom + "مرحبا\r\n".encode(encoding)) == "مرحبا\r\n"


def test_undecodable_bytes_are_a_numbered_error_with_the_position() -> None:
    with pytest.raises(ExtractError) as info:
        decode_bytes("سلام ".encode() + b"\xc3\x28", "bad.txt")
    assert info.value.code == "E001"
    assert "bad.txt" in str(info.value) and "byte 9" in str(info.value)


def test_seeds_are_detected(seeds) -> None:
    assert detect(seeds["fa"]) == "fa"
    assert detect(seeds["ar"]) == "ar"


def test_persian_written_with_arabic_yeh_and_kaf_is_persian() -> None:
    assert detect("پاکستان در سال ۱۹۵۰ به آمريكا سفر كرد و كمك گرفت") == "fa"


@pytest.mark.parametrize("text", ["The United States and Pakistan", "", "12345 ... !!", "Привет мир"])
def test_neither_language_is_e002(text: str) -> None:
    with pytest.raises(ExtractError) as info:
        detect(text, "doc.txt")
    assert info.value.code == "E002" and "--lang" in info.value.message


def test_raw_news_articles_are_all_detected_right() -> None:
    fa = json.loads((SHARED_DATA / "raw-news" / "fa-farsnews.json").read_text(encoding="utf-8"))
    for article in fa[:100]:
        assert detect(" ".join([article.get("title", "")] + article.get("paragraphs", []))) == "fa"
    with open(SHARED_DATA / "raw-news" / "ar-saudinewsnet.jsonl", encoding="utf-8") as handle:
        for line, _ in zip(handle, range(100)):
            assert detect(json.loads(line)["content"]) == "ar"
