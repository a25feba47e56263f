"""Temporal expressions (DATE, TIME, DURATION, SET) from per-language rule tables.

The language's `lang/<code>/dates.yaml` holds the words (months per calendar, weekdays,
eras, modifiers, relative words, units, number words, holidays) and the rule families as
regex templates; this module compiles them once per language, matches them on the
normalized view, keeps the longest non-overlapping candidates, resolves each to an ISO
value in the Gregorian calendar (relative ones against `doc._.reference_date`) and maps
the spans back to the raw text.  No language-specific code lives here.

Split in three: `dates_tables` (the compiled rule tables and candidate matching),
`dates_resolve` (values), this module (the spaCy stage: overlaps, offsets, POS filter).
"""
from __future__ import annotations

import re
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from . import declare_span_groups, item_span
from .dates_resolve import Reject, Resolver
from .dates_scorer import Context, DateScorer, features
from .dates_tables import Tables, candidates, tables

__all__ = ["DateStage", "Tables", "tables", "make_dates"]

VERSION = "dates.v1"
# rule kinds that claim their words and yield no date: a name holding a date word, a date word
# in a generic, non-calendar sense
NO_DATE = ("name", "generic")


class DateStage:
    version = VERSION

    def __init__(self, lang: str, scorer: DateScorer | None = None) -> None:
        self.lang = lang
        self.tables = tables(lang)
        self.scorer = scorer
        self.source = f"rules:{lang}/dates.yaml" + (f" + {scorer.source}" if scorer is not None else "")

    def find(self, text: str, ref: date | None) -> list[tuple[int, int, dict]]:
        """(normalized start, end, item) of every expression in `text`: the candidates
        (dates_tables) longest first, each resolved (dates_resolve) unless it overlaps one
        kept before, its resolver rejects it or the scorer (dates_scorer) finds it unlikely
        in its context — then a shorter overlapping candidate may take its place.  A rule of
        kind `name` or `generic` yields nothing but keeps the words it matches from every
        other rule: a name holding a date word, or a date word read in a generic sense (the
        present era, the future)."""
        taken: list[tuple[int, int]] = []
        out = []
        resolver = Resolver(self.tables, ref)
        context = Context(text) if self.scorer is not None else None
        for a, b, _, rule, m in candidates(self.tables, text):
            if any(a < y and x < b for x, y in taken):
                continue
            if rule.kind in NO_DATE:  # (رادیو فردا, «nowadays»): claims its words, no date
                taken.append((a, b))
                continue
            item = self._resolve(resolver, rule, m)
            if item is None:
                continue
            if context is not None and rule.name in self.tables.scored:
                p = self.scorer.probability(features(context, a, b, rule.name, rule.kind, item))
                if p < self.scorer.threshold:
                    continue
                item["confidence"] = round(min(item["confidence"], p), 3)
                item["source"] += f";{self.scorer.source}"  # the rule proposed it, the model kept it
            taken.append((a, b))
            out.append((a, b, item))
        out.sort(key=lambda x: x[0])
        for rule in self.tables.continuations:
            self._continue(rule, text, resolver, out)
        return out

    def proposals(self, text: str, ref: date | None) -> list[tuple[int, int, dict, object]]:
        """(start, end, item, rule) of every candidate the rules resolve, overlapping ones
        included, in candidate order: what the scorer is trained on."""
        resolver = Resolver(self.tables, ref)
        out = []
        for a, b, _, rule, m in candidates(self.tables, text):
            item = None if rule.kind in NO_DATE else self._resolve(resolver, rule, m)
            if item is not None:
                out.append((a, b, item, rule))
        return out

    def _resolve(self, resolver: Resolver, rule, m) -> dict | None:
        try:
            if rule.kind == "range":
                item = resolver.resolve_range(rule, m)
            else:
                inner = {k: v for k, v in m.groupdict().items() if k not in ("pre", "span")}
                item = resolver.resolve(rule, inner)
            if m.groupdict().get("premod") and not item.get("modifier"):
                item["modifier"] = self.tables.get("outside_modifier", m.group("premod"))
        except (Reject, ValueError, KeyError, TypeError, IndexError, OverflowError):
            return None
        item["source"] = f"rule:{self.lang}/date/{rule.name}"
        if rule.spec.get("not_after_pos"):
            item["_not_after_pos"] = rule.spec["not_after_pos"]
        return item

    def _continue(self, rule, text: str, resolver: Resolver, out: list) -> None:
        """Matches of a `continues` rule kept only right after a date of the grains it names,
        the gap between them fully matched by its `gap` («سال ۹۴ نسبت به ۹۳ و ۹۳ نسبت به ۹۲»:
        each number continues the one before it).  With `same_digits` (default), the number has as
        many digits as the last one of the date it continues; with `within: N` it is at most N
        from it.  `out` (sorted) grows in place."""
        spec = rule.spec["continues"]
        for m in rule.regex.finditer(text):
            a, b = m.span("span")
            before = [x for x in out if x[1] <= a]
            if any(x < b and a < y for x, y, _ in out) or not before:
                continue
            pa, pb, prev = before[-1]
            if prev.get("type", "DATE") != "DATE" or prev["relative"] or prev["granularity"] not in spec["after"] \
                    or not rule.gap.fullmatch(text, pb, a):
                continue
            digits = re.findall(r"[0-9]+", text[pa:pb])
            if spec.get("same_digits", True) and (not digits or len(digits[-1]) != len(m.group("y"))):
                continue
            if spec.get("within") and (not digits or abs(int(digits[-1]) - int(m.group("y"))) > spec["within"]):
                continue  # «سال ۹۴ و ۲۰ استان»: a year listed with another is near it
            try:
                item = resolver.resolve(rule, {k: v for k, v in m.groupdict().items() if k not in ("pre", "span")})
            except (Reject, ValueError, KeyError, TypeError, IndexError, OverflowError):
                continue
            item["source"] = f"rule:{self.lang}/date/{rule.name}"
            out.append((a, b, item))
            out.sort(key=lambda x: x[0])

    def __call__(self, doc: Doc) -> Doc:
        normalized = doc._.normalized
        spans = []
        for a, b, item in self.find(normalized.text, doc._.reference_date):
            raw_a, raw_b = normalized.to_raw(a, b)
            span = item_span(doc, raw_a, raw_b, "dates", spans)
            if span is None:
                continue
            if item.get("_not_after_pos") and self._previous_pos(doc, span.start) in item["_not_after_pos"]:
                continue  # e.g. «دنیای امروز»: a noun's modifier, not a date
            item = {"start": raw_a, "end": raw_b, "type": item.get("type", "DATE"), "value": item["value"],
                    "granularity": item["granularity"], "calendar": item["calendar"], "modifier": item["modifier"],
                    "relative": item["relative"], "source": item["source"], "confidence": item["confidence"]}
            span._.item = item
            spans.append(span)
        doc.spans["dates"] = spans
        return doc


    @staticmethod
    def _previous_pos(doc: Doc, i: int) -> str | None:
        features = doc._.token_features
        for k in range(i - 1, max(-1, i - 4), -1):
            if features is None or features[k] is not None:
                return doc[k].pos_ or None
        return None


@Language.factory(
    "extract_dates",
    requires=["token.norm", "token.is_sent_start", "token.pos"],
    assigns=["doc.spans"],
    default_config={"lang": None, "scorer": False, "models": None},
)
def make_dates(nlp: Language, name: str, lang: str | None, scorer: bool, models: str | None) -> DateStage:
    """`scorer`: check the ambiguous rules' candidates with the language's learned scorer
    (models/dates-<lang>-scorer, E206 when missing) — only for a language whose dates.yaml
    lists `scored_rules`; false (the default) runs the rules alone."""
    lang = lang or nlp.lang
    model = DateScorer.load(lang, models) if scorer and tables(lang).scored else None
    return DateStage(lang, model)


declare_span_groups("extract_dates", sets=("dates",))
