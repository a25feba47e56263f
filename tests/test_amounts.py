"""The amounts stage: values, units, ranges, the dates-first rule, offsets, provenance.

The examples corpora (lang/*/examples/amounts.yaml) hold the bulk of the cases; these tests
check what a corpus cannot: the arithmetic engine alone, the seed gold, the stage order,
the JSON shape, and offsets under fuzzing.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from extract.errors import ExtractError
from extract.pipeline import build_language
from extract.stages.amount_rules import AmountFinder, amount_tables, parse_digits
from extract.stages.amounts import AmountStage

from conftest import assert_list_matches_gold


def find(lang: str, text: str, blocked=()):
    return [(text[a:b], item) for a, b, item in AmountStage(lang).find(text, list(blocked))]


@pytest.mark.parametrize("lang,text,value", [
    ("fa", "دو میلیون و پانصد هزار تومان", 2_500_000),
    ("fa", "16 هزار میلیارد تومان", 16_000_000_000_000),
    ("fa", "36 هزار و 500 میلیارد ریال", 36_500_000_000_000),
    ("fa", "یک میلیارد و دویست میلیون دلار", 1_200_000_000),
    ("fa", "صد و بیست هزار دلار", 120_000),
    ("fa", "2/1 میلیارد دلار", 2_100_000_000),
    ("ar", "ألف وتسعمائة وسبعة وأربعون دولارا", 1947),
    ("ar", "ثلاث مئة ألف دولار", 300_000),
    ("ar", "مليون ونصف دولار", 1_500_000),
    ("ar", "ملياري دولار", 2_000_000_000),
    ("ar", "خمسة عشر ألف دولار", 15_000),
])
def test_number_phrases_compute_exact_values(lang, text, value) -> None:
    # the normalized view (ASCII digits) is what the engine reads
    (span, item), = find(lang, text)
    assert span == text and item["value"] == value and isinstance(item["value"], int)


def test_decimals_are_exact_not_binary_floats() -> None:
    assert parse_digits("78.3", False) == Decimal("78.3")
    assert parse_digits("2/1", True) == Decimal("2.1") and parse_digits("2/1", False) is None
    assert parse_digits("12,000", False) == 12000
    assert parse_digits("0912", False) is None  # a phone prefix or a code, not a number
    (_, item), = find("ar", "78.3 مليار دولار")
    assert item["value"] == 78_300_000_000


def test_a_list_of_two_scaled_numbers_is_not_one_number() -> None:
    found = find("fa", "10 میلیون و 20 میلیون دلار")
    assert [span for span, _ in found] == ["10 میلیون", "20 میلیون دلار"]


def test_numbers_inside_date_spans_are_left_to_the_dates_stage() -> None:
    text = "در سال 1357 و 15 سال بعد 30 درصد"
    blocked = [(text.index("سال 1357"), text.index("سال 1357") + 8), (text.index("15 سال"), text.index("15 سال") + 6)]
    assert [span for span, _ in find("fa", text, blocked)] == ["30 درصد"]


def test_currency_from_the_document_is_less_sure_than_a_written_one() -> None:
    (_, said), = find("ar", "100 ريال سعودي")
    (_, guessed), = find("ar", "في السعودية 100 ريال")
    (_, unknown), = find("ar", "100 ريال")
    assert said["unit"] == guessed["unit"] == "SAR" and unknown["unit"] is None
    assert said["confidence"] > guessed["confidence"] > unknown["confidence"]
    assert said["source"] == "rule:ar/amount/money" and guessed["source"] == "rule:ar/amount/money-context"


def test_tables_are_built_once_per_language() -> None:
    assert amount_tables("fa") is amount_tables("fa") and AmountStage("ar").tables is amount_tables("ar")


def test_glued_number_words_are_cut_only_into_known_words() -> None:
    finder = AmountFinder(amount_tables("fa"), "یک‌میلیون دوستان", lambda a, b: False)
    assert [w.text for w in finder.words] == ["یک", "میلیون", "دوستان"]


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_every_seed_gold_amount_is_found_with_its_value_and_unit(seed_runs, lang) -> None:
    gold, document = seed_runs[lang]
    assert_list_matches_gold(gold["amounts"], document.amounts, ("type", "value", "unit", "approx"))


def test_json_has_upper_only_for_ranges(pipelines) -> None:
    data = pipelines["fa"].process("سهم ۱۰ تا ۱۵ درصد و ۲۰ درصد است.").to_json_dict()["amounts"]
    assert data[0]["value"] == 10 and data[0]["upper"] == 15
    assert "upper" not in data[1] and data[1]["value"] == 20


def test_amounts_cannot_run_before_dates() -> None:
    with pytest.raises(ExtractError) as caught:
        build_language("fa", {"nlp.pipeline": ["extract_sentences", "extract_tagger", "extract_amounts", "extract_dates"]})
    assert caught.value.code == "E101" and "doc.spans['dates']" in str(caught.value)


def test_two_amounts_in_one_token_give_one_item(pipelines) -> None:
    # hypothesis found it: `میلیون٪` and `یک‌میلیون` share one token, whose span can hold one
    # item only; before, both items became the second one, twice
    document = pipelines["fa"].process("میلیون٪یک\u200cمیلیون")
    assert [(a.start, a.end, a.type) for a in document.amounts] == [(0, 7, "PERCENT")]


PIECES = {
    "fa": ["۲/۱", "۱۲٬۰۰۰", "12,000", "٧٨٫٣", "میلیون", "میلیارد", "هزار", "دلار", "دلاری", "تومان", "درصد", "٪",
           "و", "تا", "حدود", "منفی", "نیم", "دو", "سیصد", "یک‌میلیون", "سال", "۱۳۵۷", "کشور", "نفر", "\u200c", "ـ"],
    "ar": ["78.3", "١٢٬٠٠٠", "٣٫٥", "مليون", "مليار", "ألف", "آلاف", "دولار", "دولارًا", "ريال", "بالمئة", "%", "في المائة",
           "و", "إلى", "بين", "نحو", "ثلاثة", "وثلاثة", "بخمسة", "عام", "2014", "دولة", "أمريكيًا", "\u064b", "ـ"],
}


@pytest.mark.parametrize("lang", ["fa", "ar"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_amount_offsets_under_fuzzing(pipelines, lang, data) -> None:
    parts = data.draw(st.lists(st.tuples(st.sampled_from(PIECES[lang]), st.sampled_from([" ", "", "  ", "\n", " . ", "-"])),
                               max_size=14))
    raw = "".join(p + s for p, s in parts)
    document = pipelines[lang].process(raw)
    assert document.offset_errors(raw) == []
    dates = [(d.start, d.end) for d in document.dates]
    previous_end = 0
    for amount in document.amounts:
        assert raw[amount.start:amount.end] == amount.text and amount.text.strip() == amount.text
        assert amount.start >= previous_end  # no two amounts overlap
        assert not any(s < amount.end and amount.start < e for s, e in dates)  # dates decide first
        assert amount.source.startswith(f"rule:{lang}/amount/") and 0 < amount.confidence <= 1
        previous_end = amount.end


def test_items_of_two_groups_over_the_same_text_stay_apart(pipelines) -> None:
    # spaCy keys span extensions by character offsets; ours also by the span's group label
    doc = pipelines["fa"].analyze("سال ۱۳۵۷")
    date, amount = doc.char_span(0, 8, label="dates"), doc.char_span(0, 8, label="amounts")
    date._.item, amount._.item = {"type": "DATE"}, {"type": "QUANTITY"}
    assert doc.char_span(0, 8, label="dates")._.item == {"type": "DATE"} and amount._.item == {"type": "QUANTITY"}
