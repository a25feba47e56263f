"""Offsets are sacred: fuzz the tokenizer, sentence splitter and normalizer over random
Persian/Arabic text and check that every span points at its text in the raw input."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from extract.pipeline import build_language
from extract.text.normalize import normalize

PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآئ"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةىؤئ"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0654\u0640"  # diacritics, tatweel
INVISIBLE = "\u200c\u200d\u200e\u200f\u202b\u202c\u2067\u2069\ufeff\u00ad"
DIGITS = "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
PUNCT = ".,،؛:!?؟/٫٬%٪()«»\"'-–…"
SPACE = "  \t\r\n"
OTHER = "😀🇮🇷aZ﷼ﻻﺳﻼﻡ\u0600"

ALPHABET = PERSIAN + ARABIC + MARKS + INVISIBLE + DIGITS + PUNCT + SPACE + OTHER

words = st.text(alphabet=PERSIAN + ARABIC + MARKS + INVISIBLE[:2] + DIGITS, min_size=1, max_size=8)
separators = st.sampled_from([" ", "  ", "\n", "\r\n", "\u200c", " . ", "، ", "؟ ", "/", "٫", "\n\n", " \u200f"])
texts = st.one_of(
    st.text(alphabet=ALPHABET, max_size=120),
    st.lists(st.tuples(words, separators), max_size=30).map(lambda parts: "".join(w + s for w, s in parts)),
)

_NLP = {lang: build_language(lang, {"nlp.pipeline": ["extract_sentences"]}) for lang in ("fa", "ar")}


def check_doc(doc, raw: str) -> None:
    assert doc.text == raw
    pos = 0
    for token in doc:
        assert token.idx == pos and raw[token.idx:token.idx + len(token.text)] == token.text
        pos = token.idx + len(token.text) + len(token.whitespace_)
        if not token._.gap:
            assert token.text and token.text == token.text.strip(), repr(token.text)
            assert token.norm_
    assert pos == len(raw)
    previous_end = 0
    for span in doc.spans["sentences"]:
        assert raw[span.start_char:span.end_char] == span.text
        assert span.start_char >= previous_end and span.text.strip() == span.text
        assert not span[0]._.gap and not span[-1]._.gap
        previous_end = span.end_char
    content = [t for t in doc if not t._.gap]
    in_sentences = sum(1 for span in doc.spans["sentences"] for t in span if not t._.gap)
    assert in_sentences == len(content)


def check_map(raw: str, lang: str) -> None:
    result = normalize(raw, lang)
    assert len(result.starts) == len(result.ends) == len(result.text)
    for k in range(len(result.text)):
        assert 0 <= result.starts[k] <= result.ends[k] <= len(raw)
        if k:
            assert result.starts[k - 1] <= result.starts[k] and result.ends[k - 1] <= result.ends[k]
        # and back: the raw source of a normalized character maps to a span that holds it
        # (an inserted character, such as a repaired ZWNJ, has no raw source to map back)
        if result.starts[k] < result.ends[k]:
            first, last = result.from_raw(result.starts[k], result.ends[k])
            assert first <= k < last
    # any normalized span maps to a raw slice, and the whole text to (almost) all of it
    if result.text:
        a, b = result.to_raw(0, len(result.text))
        assert raw[:a].strip(INVISIBLE + MARKS + SPACE) == "" and raw[b:].strip(INVISIBLE + MARKS + SPACE) == ""


@pytest.mark.parametrize("lang", ["fa", "ar"])
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=texts)
def test_every_span_points_at_its_text(lang: str, raw: str) -> None:
    check_map(raw, lang)
    check_doc(_NLP[lang](raw), raw)


@pytest.mark.parametrize("raw", [
    "", " ", "\u200f", "\n\n", "ـــ", "\u064e", "۲/۱ ميليارد", "مىخواست\r\n", "\ufeffسلام", "a\u200f \u200fb",
])
@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_edge_cases(lang: str, raw: str) -> None:
    check_map(raw, lang)
    check_doc(_NLP[lang](raw), raw)
