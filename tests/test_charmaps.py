"""The committed character maps are data generated from hazm and camel-tools; a library
upgrade that changes their rules must show up here, not silently in outputs."""
from __future__ import annotations

import pytest

from extract.lang import LANG_DIR
from extract.lang.ar import charmap_source as ar_source, match_key as ar_key
from extract.lang.fa import charmap_source as fa_source, match_key as fa_key
from extract.text.charmap import load_charmap


@pytest.mark.parametrize("lang,source", [("fa", fa_source), ("ar", ar_source)])
def test_committed_charmap_matches_its_source_library(lang, source) -> None:
    committed = load_charmap(LANG_DIR / lang / "charmap.yaml")
    assert committed == source.build(), f"regenerate with python -m extract.lang.{lang}.charmap_source"


def test_persian_map_keeps_hazm_refinements() -> None:
    import hazm

    table = load_charmap(LANG_DIR / "fa" / "charmap.yaml")
    normalizer = hazm.Normalizer()
    for char in "يكى":
        assert table[char] == char.translate(str.maketrans(normalizer.translation_src, normalizer.translation_dst))


def test_match_keys_fold_spelling_variants() -> None:
    assert ar_key("الأمريكية") == ar_key("الامريكيه")
    assert ar_key("مصطفى") == ar_key("مصطفي")
    assert fa_key("آمریکا") == fa_key("امریکا")
    assert fa_key("خانۀ") == fa_key("خانه")


def test_a_reordering_rule_maps_every_character_to_the_whole_source() -> None:
    from extract.text.normalize import normalize

    raw = "باعت 5ر47 مليون"
    view = normalize(raw, "ar")
    start = view.text.index("47.5")
    # no character of "47.5" has a raw counterpart of its own: each one stands for "5ر47"
    assert {view.to_raw(k, k + 1) for k in range(start, start + 4)} == {(5, 9)}
    assert view.raw_slice(start, start + 4) == "5ر47"
