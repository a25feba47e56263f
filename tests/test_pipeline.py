from __future__ import annotations

import pytest

from extract import Pipeline
from extract.document import Document
from extract.errors import ExtractError
from extract.pipeline import build_language

from conftest import read_raw, CORPUS


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_seed_document_projects_to_a_valid_document(pipelines, seeds, lang) -> None:
    raw = seeds[lang]
    document = pipelines[lang].process(raw, reference_date="2024-01-01", doc_id="seed")
    assert isinstance(document, Document) and document.lang == lang
    assert document.offset_errors(raw) == []
    assert len(document.sentences) >= 15
    assert str(document.reference_date) == "2024-01-01"
    assert document.pipeline["models"]["extract_tagger"].startswith("model:tagger-%s-crf@" % lang)
    assert f"{lang}/charmap.yaml" in document.pipeline["lexicons"]
    # the stages of later issues are absent, not faked
    assert document.dates and document.amounts  # the dates and amounts stages are in the pipeline
    assert document.actors  # the actors stage (issue 6)
    assert f"model:ner-{lang}-crf@" in document.pipeline["models"]["extract_actors"]
    assert document.events == []
    Document.model_validate(document.to_json_dict())


def test_persian_tokens_carry_normalized_forms_tags_and_lemmas(pipelines, seeds) -> None:
    doc = pipelines["fa"].analyze(seeds["fa"])
    by_text = {t.text: t for t in doc if not t._.gap}
    assert by_text["مىخواست"].norm_ == "می\u200cخواست"
    assert by_text["مىخواست"].pos_ == "VERB"
    assert by_text["۱۹۵۴"].norm_ == "1954"  # PerDT tags most years NOUN, so no tag is asserted
    assert by_text["۲۵۰"].norm_ == "250" and by_text["۲۵۰"].pos_ == "NUM"
    assert by_text["در"].pos_ == "ADP"
    assert by_text["پاکستان"].pos_ in {"PROPN", "NOUN"}
    assert all(t.lemma_ for t in doc if not t._.gap)


def test_arabic_tokens_keep_decimals_whole_and_expose_proclitics(pipelines, seeds) -> None:
    doc = pipelines["ar"].analyze(seeds["ar"])
    texts = [t.text for t in doc]
    assert "78.3" in texts
    token = next(t for t in doc if t.text == "لباكستان")
    assert (1, "باكستان") in token._.features["proclitic_stems"]
    assert next(t for t in doc if t.text == "في").pos_ == "ADP"


def test_sentences_follow_the_text(pipelines, seeds) -> None:
    doc = pipelines["fa"].analyze(seeds["fa"])
    first = doc.spans["sentences"][0]
    assert first.text.startswith("پاکستان در سپتامبر") and first.text.endswith("شد.")


def test_stream_keeps_order(pipelines) -> None:
    texts = ["پاکستان در سال ۱۹۵۰.", "", "سفر کرد."]
    documents = list(pipelines["fa"].pipe(texts))
    assert [d.doc_id for d in documents] == ["0", "1", "2"]
    assert documents[1].sentences == [] and len(documents[0].sentences) == 1


def test_a_stage_before_what_it_needs_is_refused() -> None:
    with pytest.raises(ExtractError) as info:
        build_language("fa", {"nlp.pipeline": ["extract_tagger", "extract_sentences"],
                               "components.extract_tagger.backend": "crf"})
    assert info.value.code == "E101"
    assert "extract_tagger" in info.value.message and "extract_sentences" in info.value.message


def test_unknown_language_is_e004() -> None:
    with pytest.raises(ExtractError) as info:
        Pipeline("de")
    assert info.value.code == "E004"


def test_bad_reference_date_is_e005(pipelines) -> None:
    with pytest.raises(ExtractError) as info:
        pipelines["fa"].process("سلام", reference_date="2024-13-45")
    assert info.value.code == "E005"


def test_span_group_items_project_to_the_document_with_raw_offsets(pipelines) -> None:
    raw = "در ۲۰ سپتامبر ۱۹۵۴ لباكستان"
    pipeline = pipelines["fa"]
    doc = pipeline.analyze(raw, reference_date="2024-01-01")
    assert str(doc._.reference_date) == "2024-01-01"
    date = doc.char_span(raw.index("۲۰"), len("در ۲۰ سپتامبر ۱۹۵۴"))
    date._.item = {"type": "DATE", "value": "1954-09-20", "granularity": "day", "calendar": "gregorian",
                   "source": "rule:test", "confidence": 0.9}
    token = doc[-1]
    actor = doc[token.i:token.i + 1]  # the item is narrower than its token: the clitic ل stays out
    actor._.item = {"start": token.idx + 1, "end": token.idx + len(token.text), "type": "GPE", "canonical": "PAK"}
    doc.spans["dates"] = [date]
    doc.spans["actors"] = [actor]
    document = pipeline.to_document(doc, "x", None)
    assert [(d.id, d.text, d.value) for d in document.dates] == [("d1", "۲۰ سپتامبر ۱۹۵۴", "1954-09-20")]
    assert [(a.id, a.text, a.canonical) for a in document.actors] == [("a1", "باكستان", "PAK")]
    assert document.offset_errors(raw) == []
