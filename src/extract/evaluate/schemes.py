"""Scoring schemes: how to read extract/1 predictions against a gold corpus whose
conventions differ from the spec's, stated once and applied before matching.

A scheme (the `scoring:` block of a preset in `presets.yaml`, or `extract eval --scheme
NAME`) may say:

* `types: [PER, ORG, LOC]` — the only actor types the corpus annotates; predictions of
  other types (after `gpe`) are not scored (PEYMA has no NORP, so a correct
  `پاکستانی` NORP is neither right nor wrong there);
* `gpe: country-as-gold` — the corpus has no GPE: PEYMA tags a country acting
  politically as ORG and as a place as LOC.  A predicted GPE whose canonical id is a
  country code (three capital letters: ISO 3166-1/-3) is scored as the type of the gold
  item it overlaps when that is ORG or LOC (the same span first), else as LOC; any other
  GPE (a city, a province) is scored as LOC.  The rule reads the gold only to pick
  between the two readings the spec's GPE stands for; spans are untouched.
* `gpe: country-org-as-gold` — the corpus has GPE but tags a country acting as a
  government ORG (Wojood: `أوضحت روسيا`, `طلب المغرب`): a predicted GPE whose canonical
  id is a country code is scored as ORG where a gold ORG has exactly its span (after the
  proclitic rule below), else as GPE.  Like `country-as-gold`, it reads the gold only to
  pick between the readings the spec's GPE stands for.
* `proclitics: attached` — the corpus puts joined proclitics inside the span (Wojood:
  `ولبنان`, `بالعراق`) where the spec leaves them out (`لبنان`, `العراق`): a predicted
  span that starts 1-3 characters after a gold span's start, those characters being
  letters of `proclitic_letters` (the preset's: Wojood `وفبلك`) and the rest overlapping,
  starts where the gold does.
* `place_heads: [WORD, ...]` — the corpus puts a place's kind word inside the span
  (Wojood: `مدينة نابلس`, `قرية الدامون`, `مخيم شاتيلا`) where the spec's mention is the
  name (`كراتشي` in `مدينة كراتشي`): a predicted GPE that starts where a gold GPE's
  second word does, the first being one of these words (joined proclitics allowed),
  starts where the gold does.  `person_heads: [WORD, ...]`: the same for a PER after
  a title the corpus keeps in the name (Wojood: `الملك حسين`, `البابا فرنسيس`; the spec
  leaves titles out: `الرئيس دونالد ترامب` → `دونالد ترامب`).
* `norp_groups: attached` — the corpus makes a group named with its nationality one NORP
  (Wojood: `المسؤولين الاتراك`, `اللاجئين الفلسطينيين`) where the spec's mention is the
  nationality (`المسؤولون الباكستانيون` → `الباكستانيون`, as the seed gold has it): a
  predicted one-word NORP that is the second word of a two-word gold NORP starts where
  the gold does (before `unscored_norp` reads it).
* `unscored_norp: REGEX` — NORP mentions the corpus does not annotate, by their written
  form: Wojood's NORP are groups of people (`الفلسطينيين`, `الموظفين`, `الشعب العربي`);
  a nationality adjective on a noun (`الفكر الألماني`, `دولار أمريكي`), which the spec
  makes NORP, is plain text there.  A predicted NORP whose whole text matches is not
  scored, like a type outside `types` (a prediction-only test: the gold is not read).

The scheme changes predictions only, never the gold; the report names the scheme used.
"""
from __future__ import annotations

import re
from typing import Optional

from ..document import Document

COUNTRY_CODE = re.compile(r"^[A-Z]{3}$")
KNOWN = {"types", "gpe", "proclitics", "proclitic_letters", "place_heads", "person_heads", "norp_groups", "unscored_norp",
         "description"}


def load_scheme(name: str) -> dict:
    """The `scoring` block of preset `name` (E427 for an unknown preset)."""
    from .importers import get_preset

    return dict(get_preset(name).get("scoring") or {})


def apply_scheme(gold: Document, pred: Document, scheme: Optional[dict]) -> Document:
    """`pred` as the gold corpus's conventions read it (a copy; `pred` is unchanged)."""
    if not scheme:
        return pred
    unknown = set(scheme) - KNOWN
    if unknown:
        raise ValueError(f"unknown scoring options: {', '.join(sorted(unknown))}")
    letters = set(scheme.get("proclitic_letters") or "")  # the corpus language's, from its preset
    if scheme.get("proclitics") == "attached" and not letters:
        raise ValueError("scoring option proclitics: attached needs proclitic_letters")
    actors = []
    for item in pred.actors:
        item = item.model_copy()
        if scheme.get("gpe") == "country-as-gold" and item.type == "GPE":
            item.type = _gpe_reading(item, gold)
        if scheme.get("proclitics") == "attached":
            item = _attach_proclitic(item, gold, letters)
        heads = {"GPE": scheme.get("place_heads"), "PER": scheme.get("person_heads")}.get(item.type)
        if heads:
            item = _attach_head(item, gold, heads, letters)
        if item.type == "NORP" and scheme.get("norp_groups") == "attached":
            item = _attach_group(item, gold)
        if scheme.get("gpe") == "country-org-as-gold" and item.type == "GPE" and _is_country(item) and any(
                g.type == "ORG" and (g.start, g.end) == (item.start, item.end) for g in gold.actors):
            item = item.model_copy(update={"type": "ORG"})
        if scheme.get("types") and item.type not in scheme["types"]:
            continue
        if item.type == "NORP" and scheme.get("unscored_norp") and re.fullmatch(scheme["unscored_norp"], item.text):
            continue
        actors.append(item)
    return pred.model_copy(update={"actors": actors})


def _is_country(item) -> bool:
    return bool(item.canonical and COUNTRY_CODE.match(item.canonical))


def _gpe_reading(item, gold: Document) -> str:
    if not _is_country(item):
        return "LOC"
    overlapping = [g for g in gold.actors if g.start < item.end and item.start < g.end and g.type in ("ORG", "LOC")]
    overlapping.sort(key=lambda g: (not (g.start == item.start and g.end == item.end), g.start))
    return overlapping[0].type if overlapping else "LOC"


def _attach_proclitic(item, gold: Document, letters: set):
    for g in gold.actors:
        gap = item.start - g.start
        if 1 <= gap <= 3 and g.end > item.start and set(g.text[:gap]) <= letters:
            return item.model_copy(update={"start": g.start, "text": g.text[:gap] + item.text})
    return item


def _attach_head(item, gold: Document, heads, letters: set):
    for g in gold.actors:
        gap = item.start - g.start
        if g.type == item.type and gap > 1 and g.end >= item.end and g.text[gap - 1] == " ":
            head = g.text[:gap - 1]
            bare = [head[k:] for k in range(3) if set(head[:k]) <= letters]  # `وبمخيم`
            if any(b in heads for b in bare):
                return item.model_copy(update={"start": g.start, "text": g.text[:gap] + item.text})
    return item


def _attach_group(item, gold: Document):
    if " " in item.text:
        return item
    for g in gold.actors:
        head, _, rest = g.text.partition(" ")
        if g.type == "NORP" and g.end == item.end and rest == item.text and head:
            return item.model_copy(update={"start": g.start, "text": g.text})
    return item
