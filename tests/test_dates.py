"""The dates stage (issue 4): calendar conversion, ranges, relative resolution, what
must not be a date, and the hand-annotated seed dates."""
from __future__ import annotations

import re
from datetime import date

import pytest

from extract.stages.calendars import from_gregorian, iso_value, to_gregorian
from extract.stages.dates import DateStage, tables
from extract.text.normalize import normalize

from conftest import assert_list_matches_gold

REF = date(2024, 3, 20)


def find(lang: str, text: str, ref: date | None = REF) -> list[dict]:
    normalized = normalize(text, lang)
    out = []
    for a, b, item in DateStage(lang).find(normalized.text, ref):
        raw_a, raw_b = normalized.to_raw(a, b)
        out.append({"text": text[raw_a:raw_b], **item})
    return out


def test_jalali_and_hijri_convert_to_gregorian() -> None:
    assert to_gregorian("jalali", 1402, 7, 14) == date(2023, 10, 6)
    assert to_gregorian("jalali", 1403, 1, 1) == date(2024, 3, 20)
    assert to_gregorian("hijri", 1445, 9, 15) == date(2024, 3, 25)
    assert to_gregorian("hijri", 1325, 1, 1).year == 1907  # before Umm al-Qura: arithmetic calendar
    assert from_gregorian("jalali", date(2024, 3, 20)) == (1403, 1, 1)
    # a month or year of another calendar gets the Gregorian month/year of its middle
    assert iso_value("jalali", 1395) == ("2016", "year")
    assert iso_value("jalali", 1402, 7) == ("2023-10", "month")
    assert iso_value("hijri", 1441) == ("2020", "year")


@pytest.mark.parametrize("lang,text,span,value,granularity,calendar", [
    ("fa", "این مراسم در ۱۴ مهر ۱۴۰۲ برگزار شد.", "۱۴ مهر ۱۴۰۲", "2023-10-06", "day", "jalali"),
    ("fa", "نامه در تاریخ ۱۴۰۲/۰۷/۱۴ ثبت شد.", "۱۴۰۲/۰۷/۱۴", "2023-10-06", "day", "jalali"),
    ("fa", "در سال ۱۳۸۷ به تهران آمد.", "سال ۱۳۸۷", "2008", "year", "jalali"),
    ("fa", "در سال ۹۵ تورم کاهش یافت.", "سال ۹۵", "2016", "year", "jalali"),
    ("ar", "زار المنطقة في 15 رمضان 1445 هـ.", "15 رمضان 1445 هـ", "2024-03-25", "day", "hijri"),
    ("ar", "في عام ( 1325 ) هجري بنيت المدرسة.", "عام ( 1325 ) هجري", "1907", "year", "hijri"),
    ("ar", "في 20 أكتوبر 1947 استقلت.", "20 أكتوبر 1947", "1947-10-20", "day", "gregorian"),
])
def test_calendar_recorded_and_value_gregorian(lang, text, span, value, granularity, calendar) -> None:
    (item,) = find(lang, text)
    assert (item["text"], item["value"], item["granularity"], item["calendar"]) == (span, value, granularity, calendar)


def test_bare_year_guess_lowers_confidence() -> None:
    (guess,) = find("fa", "این بنا در ۱۳۸۷ ساخته شد.")
    (sure,) = find("fa", "این بنا در ۱۵ مهر ۱۳۸۷ ساخته شد.")
    assert guess["calendar"] == "jalali" and guess["confidence"] < sure["confidence"]


def test_bare_today_is_less_sure_than_yesterday() -> None:
    # امروز is also «nowadays» where no generic rule fires: a lower confidence, same value
    (today,) = find("fa", "امروز جلسه هیئت دولت برگزار شد.")
    (yesterday,) = find("fa", "دیروز جلسه هیئت دولت برگزار شد.")
    assert today["value"] == "2024-03-20" and today["confidence"] < yesterday["confidence"]


def test_generic_today_claims_its_words() -> None:
    # «اگر امروز صبح ...» stays a TIME (the connector rule stops before a part of day); «اگر امروز» alone is none
    assert [d["text"] for d in find("fa", "اگر امروز صبح باران ببارد جلسه لغو می‌شود.")] == ["امروز صبح"]
    assert find("fa", "اگر امروز وضعیت اقتصادی خوبی نداریم دلیلی دارد.") == []


@pytest.mark.parametrize("lang,text,span,value", [
    ("ar", "مساعدات منذ 1948 - 2016 لباكستان", "1948 - 2016", "1948/2016"),
    ("ar", "من 1979 إلى 1989 دعمت واشنطن", "1979 إلى 1989", "1979/1989"),
    ("ar", "بين عامي 1990 و 2000 تراجعت", "عامي 1990 و 2000", "1990/2000"),
    ("fa", "از ۱۳۵۷ تا ۱۳۶۷ جنگ ادامه داشت", "۱۳۵۷ تا ۱۳۶۷", "1978/1988"),
    ("fa", "نمایشگاه از ۱۸ تا ۲۰ آذر ۹۵ برپا بود", "۱۸ تا ۲۰ آذر ۹۵", "2016-12-08/2016-12-10"),
])
def test_ranges_are_one_date_with_a_range_value(lang, text, span, value) -> None:
    (item,) = find(lang, text)
    assert (item["text"], item["type"], item["value"]) == (span, "DATE", value)


@pytest.mark.parametrize("lang,text,value", [
    ("fa", "دیروز", "2024-03-19"), ("fa", "امروز", "2024-03-20"), ("fa", "سال گذشته", "2023"),
    ("fa", "هفته آینده", "2024-W13"), ("fa", "ماه پیش", "2024-02"), ("ar", "أمس", "2024-03-19"),
    ("ar", "اليوم", "2024-03-20"), ("ar", "الأسبوع الماضي", "2024-W11"), ("ar", "العام المقبل", "2025"),
    ("ar", "يوم الأحد", "2024-03-17"),
])
def test_relative_expressions_resolve_against_the_reference_date(lang, text, value) -> None:
    (item,) = find(lang, text)
    assert item["relative"] is True and item["value"] == value
    (unresolved,) = find(lang, text, ref=None)
    assert unresolved["relative"] is True and unresolved["value"] is None


@pytest.mark.parametrize("lang,text", [
    ("fa", "بودجه ۲/۱ میلیارد دلار است."), ("fa", "قیمت ۱۵۰۰ تومان افزایش یافت."),
    ("fa", "۲۰۱۶ نفر شرکت کردند."), ("fa", "او می‌رود."), ("fa", "ما می خواهیم صلح برقرار شود."),
    ("ar", "بلغت المساعدات 78.3 مليار دولار."), ("ar", "بلغ عدد السكان 2000 شخص."),
    ("ar", "اتصل على الرقم 0501234567."), ("ar", "صرح الأمين العام للأمم المتحدة."),
])
def test_amounts_counts_and_verbs_are_not_dates(lang, text) -> None:
    assert find(lang, text) == []


def test_durations_and_sets_are_not_dates() -> None:
    (duration,) = find("fa", "پاکستان این ۱۵ سال را از دست داد")
    assert (duration["type"], duration["value"]) == ("DURATION", "P15Y")
    (duration,) = find("ar", "بعد شهرين وستة أيام")
    assert (duration["type"], duration["value"]) == ("DURATION", "P2M6D")
    (every,) = find("ar", "تعقد سنويا")
    assert (every["type"], every["value"]) == ("SET", "P1Y")


def test_prepositions_stay_outside_the_span() -> None:
    assert [i["text"] for i in find("fa", "در سپتامبر ۱۹۵۴")] == ["سپتامبر ۱۹۵۴"]
    assert [i["text"] for i in find("ar", "لعام 2016")] == ["عام 2016"]
    assert [i["text"] for i in find("ar", "في 20 أكتوبر 1947")] == ["20 أكتوبر 1947"]


def test_rule_tables_compile_once_per_language() -> None:
    assert tables("fa") is tables("fa")
    assert DateStage("ar").tables is tables("ar")


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_every_seed_gold_date_is_found_with_its_value(seed_runs, lang) -> None:
    gold, document = seed_runs[lang]
    assert_list_matches_gold(gold["dates"], document.dates,
                             ("type", "value", "granularity", "calendar", "modifier", "relative"))


@pytest.mark.parametrize("lang,words,value", [
    ("fa", "نود و دو", 92), ("fa", "هزار و سیصد و پنجاه و هفت", 1357), ("fa", "هزارونهصدونود", 1990),
    ("fa", "دوهزاروپنج", 2005), ("fa", "سیصد", 300),
    ("ar", "ألفين وعشرين", 2020), ("ar", "ألف وتسعمائة وثمانية وأربعين", 1948), ("ar", "تسع مئة", 900),
])
def test_written_out_numbers_are_read_as_their_value(lang, words, value) -> None:
    t = tables(lang)
    match = re.fullmatch(t.alternations["number_phrase"], normalize(words, lang).text)
    assert match and t.number_value(match.group(0)) == value


def test_part_only_rules_match_only_inside_a_range() -> None:
    t = tables("ar")
    assert "month-any" in t.by_name and all(rule.name != "month-any" for rule in t.rules)
    assert [d["text"] for d in find("ar", "بين يناير ومارس ارتفع العدد")] == ["يناير ومارس"]
    assert find("ar", "يمارس الرياضة ومارس الضغط") == []


def test_a_bare_clock_beside_a_date_is_its_own_time_but_joins_after_the_hour_word() -> None:
    header = find("fa", "۱۰:۴۴ دوشنبه ۲۴ آبان ۱۳۹۵")
    assert [(d["text"], d["type"]) for d in header] == [("۱۰:۴۴", "TIME"), ("دوشنبه ۲۴ آبان ۱۳۹۵", "DATE")]
    joined = find("fa", "ساعت ۱۰:۴۴ دوشنبه ۲۴ آبان ۱۳۹۵")
    assert [(d["text"], d["type"], d["value"]) for d in joined] == [
        ("ساعت ۱۰:۴۴ دوشنبه ۲۴ آبان ۱۳۹۵", "TIME", "2016-11-14T10:44")]


@pytest.mark.parametrize("lang,text", [
    ("fa", "قیمت به ۲/۱ میلیارد دلار رسید"), ("fa", "۱۲٬۰۰۰ تن گندم وارد شد"),
    ("fa", "در سال دو هزار میلیارد تومان هزینه شد"), ("fa", "سال ۲ میلیون نفر"),
    ("ar", "بلغت الصادرات 2.1 مليار دولار"), ("ar", "12,000 طن من القمح"),
])
def test_dates_never_cover_amounts(lang, text) -> None:
    # the amounts stage runs after this one and skips what lies inside a date span
    assert [d for d in find(lang, text) if d["type"] in ("DATE", "TIME")] == []
