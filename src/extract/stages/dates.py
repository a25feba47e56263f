"""Temporal expressions (DATE, TIME, DURATION, SET) from per-language rule tables.

The language's `lang/<code>/dates.yaml` holds the words (months per calendar, weekdays,
eras, modifiers, relative words, units, number words, holidays) and the rule families as
regex templates; this module compiles them once per language, matches them on the
normalized view, keeps the longest non-overlapping candidates, resolves each to an ISO
value in the Gregorian calendar (relative ones against `doc._.reference_date`) and maps
the spans back to the raw text.  No language-specific code lives here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import re

import regex
import yaml
from spacy.language import Language
from spacy.tokens import Doc

from ..lang import get_language
from .calendars import format_at, from_gregorian, iso_value, shift, to_gregorian

VERSION = "dates.v1"
BLANK = r"(?:[^\S\r\n]|\u200c)"
UNIT_CODES = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "M",
              "decade": "Y", "century": "Y"}
UNIT_FACTOR = {"decade": 10, "century": 100}
UNIT_ORDER = ["minute", "hour", "day", "week", "month", "season", "year", "decade", "century"]
SEASON_CODES = {"spring": "SP", "summer": "SU", "fall": "FA", "winter": "WI"}


def _finest(*units: str | None) -> str:
    present = [u for u in units if u]
    return min(present, key=UNIT_ORDER.index) if present else "day"


@dataclass
class Rule:
    name: str
    kind: str
    regex: object
    spec: dict
    parts: list = field(default_factory=list)
    not_after: object = None  # compiled: words that must not end just before the match


class Tables:
    """One language's compiled date rules and lookup tables."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        path = get_language(lang).directory / "dates.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.data = data
        self.classes = {k: v for k, v in (data.get("letter_classes") or {}).items()}
        self.fold_map = {ch: v[0] for k, v in self.classes.items() for ch in v}
        self.lookup: dict[str, dict[str, object]] = {}
        alts: dict[str, list[str]] = {}

        def add(table: str, words, value) -> None:
            for word in words:
                self.lookup.setdefault(table, {})[self.key(word)] = value
                alts.setdefault(table, []).append(word)

        ambiguous = {self.key(w) for w in data.get("ambiguous_months") or []}
        self.verb_months = {self.key(w) for w in data.get("verb_prefix_months") or []}
        self.ambiguous_weekdays = {self.key(w) for w in data.get("ambiguous_weekdays") or []}
        self.plural_units = {self.key(w) for w in data.get("plural_units") or []}
        for calendar, months in (data.get("months") or {}).items():
            for number, words in months.items():
                add("month", words, (calendar, int(number)))
                add("month_unambiguous", [w for w in words if self.key(w) not in ambiguous], (calendar, int(number)))
        for calendar, words in (data.get("eras") or {}).items():
            add("era", words, calendar)
        for number, words in (data.get("weekdays") or {}).items():
            add("weekday", words, int(number))
        for season, spec in (data.get("seasons") or {}).items():
            add("season", spec["words"], (season, spec))
        for name, words in (data.get("modifiers") or {}).items():
            add("modifier", words, name)
        for unit, words in (data.get("units") or {}).items():
            add("unit", words, unit)
        for word, unit in (data.get("duals") or {}).items():
            add("dual", [word], unit)
        for word, spec in (data.get("relative_words") or {}).items():
            add("relative_word", [word], spec)
        for word, spec in (data.get("directions") or {}).items():
            add("direction", [word], spec)
        add("this_word", data.get("this_words") or [], 0)
        for code, words in (data.get("parts_of_day") or {}).items():
            add("part_of_day", words, code)
        for word, period in (data.get("set_words") or {}).items():
            add("set_word", [word], period)
        for word, value in (data.get("numbers") or {}).items():
            add("number", [word], value)
        for word, value in (data.get("ordinals") or {}).items():
            add("ordinal", [word], value)
        for word, value in (data.get("hours") or {}).items():
            add("hour_word", [word], value)
        for word, value in (data.get("decade_words") or {}).items():
            add("decade_word", [word], value)
        for word, value in (data.get("century_words") or {}).items():
            add("century_word", [word], value)
        for word, value in (data.get("holidays") or {}).items():
            add("holiday", [word], value)
        for name, words in (data.get("words") or {}).items():
            add(name, [str(w) for w in words], name)
        self.alternations = {name: self.alternation(words) for name, words in alts.items()}
        self.pm_parts = set(data.get("pm_parts") or [])
        self.clitic = data.get("clitic") or ""
        self.rules: list[Rule] = []
        by_name = {}
        for spec in data.get("rules") or []:
            rule = Rule(spec["name"], spec["kind"], self.compile(spec["pattern"], spec.get("pre", "")), spec,
                        not_after=self.compile_not_after(spec.get("not_after")))
            by_name[rule.name] = rule
            self.rules.append(rule)
        self.by_name = by_name
        self.ranges: list[Rule] = []
        for spec in data.get("ranges") or []:
            parts = [by_name[p] for p in spec.get("parts", [])]
            pattern = spec["pattern"]
            slots = {"@time_part": [by_name[p] for p in spec.get("time_parts", [])],
                     "@date_part": [by_name[p] for p in spec.get("date_parts", [])], "@part": parts}
            for k, (slot, rules) in enumerate(slots.items()):
                pieces = re.split(re.escape(slot) + r"(?![a-z_])", pattern)  # not @part_of_day
                pattern = pieces[0]
                for j, piece in enumerate(pieces[1:]):  # each slot gets its own group names
                    pattern += "(?:" + "|".join(self.rename_groups(p.spec["pattern"], f"_{k}_{j}_{i}")
                                                for i, p in enumerate(rules)) + ")" + piece
            rule = Rule(spec["name"], "range", self.compile(pattern, spec.get("pre", "")), spec, parts)
            rule.time_parts, rule.date_parts = slots["@time_part"], slots["@date_part"]
            self.ranges.append(rule)
        self.full = {name: self.compile_fast(self.expand(rule.spec["pattern"]) + r"\Z") for name, rule in by_name.items()}

    # -- building regexes ------------------------------------------------------------
    def key(self, text: str) -> str:
        text = regex.sub(r"[\s\u200c\u0640]+", "", text)
        return "".join(self.fold_map.get(ch, ch) for ch in text)

    def word_regex(self, word: str) -> str:
        out = []
        for ch in word:
            if ch in " \u200c":
                out.append(BLANK + "*")
            elif ch in self.classes:
                out.append("[" + regex.escape(self.classes[ch]) + "]")
            else:
                out.append(regex.escape(ch))
        return "".join(out)

    def alternation(self, words: list[str]) -> str:
        unique = sorted(set(words), key=lambda w: (-len(w), w))
        return "(?:" + "|".join(self.word_regex(w) for w in unique) + ")" if unique else "(?!)"

    def expand(self, pattern: str) -> str:
        def sub(m):
            name = m.group(1)
            if name == "_":
                return BLANK + "*"
            if name == "__":
                return BLANK + "+"
            if name in self.alternations:
                return self.alternations[name]
            raise KeyError(f"dates.yaml: unknown @{name}")

        return regex.sub(r"@([a-z_]+)", sub, pattern)

    @staticmethod
    def strip_names(pattern: str) -> str:
        pattern = regex.sub(r"\(\?P=\w+\)", "[/.-]", pattern)
        pattern = regex.sub(r"\(\?\(\w+\)[^()]*\)", "", pattern)  # conditionals on dropped groups
        return regex.sub(r"\(\?P<\w+>", "(?:", pattern)

    @staticmethod
    def compile_fast(pattern: str):
        """The stdlib `re` (3-4x faster here); `regex` only for what `re` cannot compile."""
        try:
            return re.compile(pattern)
        except re.error:
            return regex.compile(pattern)

    @staticmethod
    def rename_groups(pattern: str, suffix: str) -> str:
        pattern = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}{suffix}>", pattern)
        pattern = re.sub(r"\(\?P=(\w+)\)", lambda m: f"(?P={m.group(1)}{suffix})", pattern)
        return re.sub(r"\(\?\((\w+)\)", lambda m: f"(?({m.group(1)}{suffix})", pattern)

    def compile(self, pattern: str, pre: str):
        body = self.expand(pattern)
        return self.compile_fast(
            r"(?<![\w\u200c])(?P<pre>" + self.clitic + self.expand(pre) + r")(?P<span>" + body + r")(?![\w\u200c])"
        )

    def compile_not_after(self, words):
        if not words:
            return None
        alternatives = [self.expand(w) if w.startswith("@") else self.word_regex(w) for w in words]
        return re.compile("(?:" + "|".join(alternatives) + ")" + BLANK + r"+\Z")

    def get(self, table: str, text: str | None):
        if text is None:
            return None
        return self.lookup.get(table, {}).get(self.key(text))


@lru_cache(maxsize=None)
def tables(lang: str) -> Tables:
    return Tables(lang)


class Reject(Exception):
    pass


class Resolver:
    """Turns a rule's match into the extract/1 fields."""

    def __init__(self, t: Tables, ref: date | None) -> None:
        self.t, self.ref = t, ref

    # ---- helpers
    def number(self, text: str | None):
        if text is None:
            return 1
        if regex.fullmatch(r"[0-9]+", text):
            return int(text)
        if regex.fullmatch(r"[0-9]+\.[0-9]+", text):
            return float(text)
        return self.t.get("number", text)

    def year_calendar(self, year: int, digits: int, month_calendar: str | None, era: str | None):
        """(year, calendar, confidence)"""
        if era:
            calendar = era
        elif month_calendar:
            calendar = month_calendar
        else:
            calendar = None
        if digits <= 2:
            two = self.t.data.get("two_digit_year")
            if not two:
                raise Reject
            cal = calendar or two["calendar"]
            if cal == two["calendar"]:
                century = two["next_century"] if year < two["pivot"] else two["century"]
                return century + year, cal, 0.8
            return (2000 + year if year < 50 else 1900 + year), cal, 0.7
        if calendar:
            return year, calendar, 0.95
        for band in self.t.data.get("bare_years") or []:
            if band["from"] <= year <= band["to"]:
                return year, band["calendar"], band.get("confidence", 0.8)
        raise Reject

    def ref_in(self, calendar: str):
        if self.ref is None:
            return None
        return from_gregorian(calendar, self.ref)

    # ---- kinds
    def resolve(self, rule: Rule, g: dict) -> dict:
        kind = rule.kind
        method = getattr(self, "k_" + kind)
        item = {"type": "DATE", "value": None, "granularity": "day", "calendar": "gregorian", "modifier": None,
                "relative": False, "confidence": 0.9}
        item.update(method(g, rule))
        if g.get("mod"):
            item["modifier"] = self.t.get("modifier", g["mod"])
        return item

    def k_date(self, g: dict, rule: Rule) -> dict:
        month = self.t.get("month", g.get("m") or g.get("m2"))
        if month and self.t.key(g.get("m") or g.get("m2")) in self.t.verb_months and not g.get("y"):
            raise Reject
        era = self.t.get("era", g.get("era"))
        mcal, m = (month if month else (None, None))
        if g.get("mn"):
            m = int(g["mn"])
        d = None
        if g.get("d"):
            d = int(g["d"])
        elif g.get("dord"):
            d = self.t.get("ordinal", g["dord"])
        confidence = 0.95
        relative = False
        if g.get("y"):
            year, calendar, confidence = self.year_calendar(int(g["y"]), len(g["y"]), mcal, era)
        else:
            calendar = mcal or self.t.data.get("default_calendar", "gregorian")
            if self.ref is None:
                return {"value": None, "granularity": "day" if d else "month", "calendar": calendar,
                        "relative": True, "confidence": 0.7}
            year = self.ref_in(calendar)[0]
            shift_year = {None: 0}
            this = g.get("this")
            if this:
                spec = self.t.get("direction", this)
                if isinstance(spec, dict):
                    year += spec["sign"] if spec["sign"] and not d else 0
            relative, confidence = True, 0.7
        if g.get("mn") and m > 12 and d and d <= 12:
            m, d = d, m
        if m is None and d is None:
            value, gran = iso_value(calendar, year)
            if g.get("y2"):  # «عام 1931 / 1932»: a span of years
                last, _ = iso_value(calendar, self.year_calendar(int(g["y2"]), len(g["y2"]), mcal, era)[0])
                if last == value:
                    raise Reject
                value = "/".join(sorted((value, last)))
        else:
            if m is None or not 1 <= m <= 12:
                raise Reject
            try:
                value, gran = iso_value(calendar, year, m, d)
            except (ValueError, OverflowError):
                raise Reject
        return {"value": value, "granularity": gran, "calendar": calendar, "relative": relative,
                "confidence": confidence}

    def k_season(self, g: dict, rule: Rule) -> dict:
        season, spec = self.t.get("season", g["season"])
        if g.get("y"):
            year, calendar, confidence = self.year_calendar(int(g["y"]), len(g["y"]), None, None)
        else:
            calendar = "jalali" if "jalali" in spec else "gregorian"
            if self.ref is None:
                return {"value": None, "granularity": "season", "calendar": calendar, "relative": True}
            year = self.ref_in(calendar)[0]
            last_word = re.split(BLANK + "+", g["rel"])[-1] if g.get("rel") else None  # «سال آتی» → آتی
            spec_rel = self.t.get("direction", last_word) if last_word else None
            rel_word = self.t.get("relative_word", g.get("rel")) if g.get("rel") else None
            if isinstance(spec_rel, dict):
                year += spec_rel["sign"]
            elif rel_word:
                year += rel_word[1]
            confidence = 0.7
        month = spec.get(calendar) or spec.get("gregorian")
        start = to_gregorian(calendar, year, month, 1) if calendar != "gregorian" else date(year, month, 1)
        return {"type": "DATE", "value": f"{start.year:04d}-{SEASON_CODES[season]}", "granularity": "season",
                "calendar": calendar, "relative": not g.get("y"), "confidence": confidence}

    def k_decade(self, g: dict, rule: Rule) -> dict:
        era = self.t.get("era", g.get("era"))
        if g.get("dw"):
            decade = self.t.get("decade_word", g["dw"])
            century = self.t.get("century_word", g.get("cw")) if g.get("cw") else 20
            start = (century - 1) * 100 + decade
            return {"value": f"{start // 10:03d}", "granularity": "decade", "calendar": "gregorian"}
        y = int(g["y"])
        if len(g["y"]) <= 2:
            two = self.t.data.get("two_digit_year")
            if era == "gregorian" or not two:
                y = 1900 + y if y >= 10 else 2000 + y
                return {"value": f"{y // 10:03d}", "granularity": "decade", "calendar": "gregorian"}
            y = (two["next_century"] if y < two["pivot"] else two["century"]) + y
        _, calendar, confidence = self.year_calendar(y, 4, None, era)
        if calendar == "gregorian":
            return {"value": f"{y // 10:03d}", "granularity": "decade", "calendar": calendar}
        first, _ = iso_value(calendar, y - y % 10)
        last, _ = iso_value(calendar, y - y % 10 + 9)
        return {"value": f"{first}/{last}", "granularity": "decade", "calendar": calendar, "confidence": confidence}

    def k_century(self, g: dict, rule: Rule) -> dict:
        c = self.t.get("century_word", g["cw"])
        return {"value": f"{c - 1:02d}", "granularity": "century"}

    def _weekday_date(self, wd: int, direction: int) -> date | None:
        if self.ref is None:
            return None
        delta = (self.ref.weekday() - wd) % 7
        if direction > 0:
            return self.ref + timedelta(days=(wd - self.ref.weekday()) % 7 or 7)
        if direction < 0 and delta == 0:
            delta = 7
        return self.ref - timedelta(days=delta)

    def k_weekday(self, g: dict, rule: Rule) -> dict:
        wd = self.t.get("weekday", g["wd"])
        if self.t.key(g["wd"]) in self.t.ambiguous_weekdays and not (g.get("dw") or g.get("dir") or g.get("reld") or g.get("thisw")):
            raise Reject
        if g.get("reld") and self.ref is not None:
            unit, offset = self.t.get("relative_word", g["reld"])[:2]
            day = self.ref + timedelta(days=offset)
        else:
            spec = self.t.get("direction", g.get("dir")) if g.get("dir") else None
            day = self._weekday_date(wd, spec["sign"] if isinstance(spec, dict) else 0)
        return {"value": day.isoformat() if day else None, "granularity": "day", "relative": True, "confidence": 0.8}

    def k_relative(self, g: dict, rule: Rule) -> dict:
        if g.get("rel"):
            spec = self.t.get("relative_word", g["rel"])
            unit, offset = spec[0], spec[1]
            pod = spec[2] if len(spec) > 2 else None
            if self.ref is None:
                return {"type": "TIME" if pod else "DATE", "value": None, "granularity": unit, "relative": True}
            day = shift(self.ref, unit, offset)
            value = format_at(day, unit) + (pod or "")
            return {"type": "TIME" if pod else "DATE", "value": value, "granularity": unit, "relative": True}
        if g.get("dual"):
            unit, n = self.t.get("dual", g["dual"]), 2
        else:
            unit = self.t.get("unit", g["unit"])
            n = self.number(g.get("num")) if g.get("num") else None
        if g.get("this"):
            sign, period = 0, False
        elif g.get("dir"):
            spec = self.t.get("direction", g["dir"])
            sign, period = spec["sign"], spec["period"]
        else:
            sign, period = rule.spec.get("sign", -1), False
        explicit = n is not None
        n = 1 if n is None and not g.get("num") else n
        if period and not explicit and g.get("unit") and self.t.key(g["unit"]) in self.t.plural_units:
            n = None  # «the last days»: no count, no value
        out = {"granularity": unit, "relative": True, "confidence": 0.85}
        if self.ref is None or n is None or not isinstance(n, int) or unit in ("hour", "minute"):
            return {**out, "value": None}
        if sign == 0:
            return {**out, "value": format_at(self.ref, unit)}
        other = shift(self.ref, unit, sign * n)
        if period and explicit:
            lo, hi = sorted([other, self.ref])
            return {**out, "value": f"{format_at(lo, unit)}/{format_at(hi, unit)}"}
        return {**out, "value": format_at(other, unit)}

    def k_holiday(self, g: dict, rule: Rule) -> dict:
        calendar, month, day = self.t.get("holiday", g["hol"])
        if g.get("y"):
            year, calendar2, _ = self.year_calendar(int(g["y"]), len(g["y"]), None, None)
            if calendar2 != calendar:
                return {"value": None, "calendar": calendar, "relative": False, "confidence": 0.6}
        elif self.ref is not None:
            year = self.ref_in(calendar)[0]
            if g.get("rely"):  # «اربعین سال گذشته»: the holiday of the year before / after
                spec = self.t.get("direction", g["rely"])
                year += spec["sign"] if isinstance(spec, dict) else 0
        else:
            return {"value": None, "calendar": calendar, "relative": True, "confidence": 0.7,
                    "granularity": "day" if day else "month"}
        value, gran = iso_value(calendar, year, month, day)
        return {"value": value, "granularity": gran, "calendar": calendar, "relative": not g.get("y"),
                "confidence": 0.75}

    def k_time(self, g: dict, rule: Rule) -> dict:
        pod = self.t.get("part_of_day", g.get("pod") or g.get("pod2") or g.get("pod3"))
        h = None
        if g.get("h"):
            h = int(g["h"])
        elif g.get("hw"):
            h = self.t.get("hour_word", g["hw"])
        minute = int(g["mi"]) if g.get("mi") else (30 if g.get("half") == "النصف" else 15 if g.get("half") else None)
        base = None
        rel = g.get("rel") or g.get("rel2")
        wd = g.get("wd") or g.get("wd2")
        relative = False
        if rel and self.t.get("relative_word", rel):
            unit, offset = self.t.get("relative_word", rel)[:2]
            base = self.ref + timedelta(days=offset) if self.ref else None
            relative = True
        elif rel and self.t.get("direction", rel):
            base = self.ref - timedelta(days=1) if self.ref else None
            relative = True
        elif wd:
            base = self._weekday_date(self.t.get("weekday", wd), 0)
            relative = True
        if h is not None:
            if h > 24 or (minute is not None and minute > 59):
                raise Reject
            if (pod in self.t.pm_parts or g.get("pm")) and h < 12:
                h += 12
            clock = f"T{h:02d}:{minute or 0:02d}"
            gran = "minute" if minute is not None else "hour"
            value = (base.isoformat() if base else "") + clock
            return {"type": "TIME", "value": value, "granularity": gran, "relative": relative}
        if relative and base is None:
            return {"type": "TIME", "value": None, "granularity": "day", "relative": True}
        value = (base.isoformat() if base else "") + pod if pod else None
        return {"type": "TIME", "value": value, "granularity": "day", "relative": relative}

    def k_now(self, g: dict, rule: Rule) -> dict:
        return {"type": "TIME", "value": self.ref.isoformat() if self.ref else None, "granularity": "day",
                "relative": True, "confidence": 0.7}

    def k_set(self, g: dict, rule: Rule) -> dict:
        period = self.t.get("set_word", g["set"])
        unit = {"Y": "year", "M": "month", "W": "week", "D": "day"}[period[-1]]
        return {"type": "SET", "value": period, "granularity": unit}

    def k_duration(self, g: dict, rule: Rule) -> dict:
        parts = []
        for num, unit, dual in ((g.get("num"), g.get("unit"), g.get("dual")),
                                (g.get("num2"), g.get("unit2"), g.get("dual2"))):
            if dual:
                parts.append((2, self.t.get("dual", dual)))
            elif unit:
                parts.append((self.number(num), self.t.get("unit", unit)))
        units = [u for _, u in parts]
        gran = _finest(*units)
        if any(n is None for n, _ in parts):
            return {"type": "DURATION", "value": None, "granularity": gran, "confidence": 0.8}
        date_part, time_part = "", ""
        for n, unit in parts:
            n = n * UNIT_FACTOR.get(unit, 1)
            text = f"{n:g}" if isinstance(n, float) else str(n)
            if unit in ("hour", "minute"):
                time_part += text + UNIT_CODES[unit]
            else:
                date_part += text + UNIT_CODES[unit]
        value = "P" + date_part + ("T" + time_part if time_part else "")
        return {"type": "DURATION", "value": value, "granularity": gran, "confidence": 0.85}

    # ---- ranges
    def resolve_part(self, text: str, rules: list[Rule]) -> tuple[Rule, dict] | None:
        for rule in rules:
            m = self.t.full[rule.name].match(text)
            if m:
                try:
                    return rule, self.resolve(rule, m.groupdict())
                except Reject:
                    continue
        return None

    def resolve_datetime(self, rule: Rule, m) -> dict:
        """A clock time and the day it is on («ساعت ۹:۳۰ یکشنبه ۱۶ آبان ۱۳۹۵»): one TIME."""
        t = self.resolve_part(m.group("t"), rule.time_parts)
        d = self.resolve_part(m.group("dt"), rule.date_parts)
        if not t or not d or t[1]["type"] != "TIME" or d[1]["granularity"] != "day":
            raise Reject
        clock = (t[1]["value"] or "").split("T")[-1]
        if not clock or not d[1]["value"]:
            raise Reject
        return {"type": "TIME", "value": f"{d[1]['value']}T{clock}", "granularity": t[1]["granularity"],
                "calendar": d[1]["calendar"], "modifier": None, "relative": d[1]["relative"],
                "confidence": min(t[1]["confidence"], d[1]["confidence"])}

    def resolve_range(self, rule: Rule, m) -> dict:
        g = m.groupdict()
        if "t" in g and "dt" in g:
            return self.resolve_datetime(rule, m)
        if "b" not in g:  # from a start up to now
            a = self.resolve_part(m.group("a"), rule.parts)
            if not a:
                raise Reject
            start = a[1]["value"].split("/")[0] if a[1]["value"] else None
            value = f"{start}/{self.ref.isoformat()}" if start and self.ref else None
            return {**a[1], "value": value, "relative": True}
        if "d1" in g and g.get("d1"):
            b = self.resolve_part(m.group("b"), rule.parts)
            if not b or b[1]["granularity"] != "day":
                raise Reject
            inner = self.t.full[b[0].name].match(m.group("b")).groupdict()
            digits = g["d1"].isdigit()
            inner = {**inner, "d": g["d1"] if digits else None, "dord": None if digits else g["d1"]}
            a_item = self.resolve(b[0], inner)
            b_item = b[1]
        elif rule.parts and g.get("a") is not None:
            a = self.resolve_part(m.group("a"), rule.parts)
            b = self.resolve_part(m.group("b"), rule.parts)
            if not a or not b:
                raise Reject
            a_item, b_item = a[1], b[1]
            # «۲۴ خرداد تا ۱۲ مرداد ۹۲», «فروردین و اردیبهشت امسال»: the first part takes the
            # year (or relative year) written only after the second
            ga = self.t.full[a[0].name].match(m.group("a")).groupdict()
            gb = self.t.full[b[0].name].match(m.group("b")).groupdict()
            shared = ("y", "era", "this")
            if not any(ga.get(k) for k in shared) and any(gb.get(k) for k in shared) \
                    and any(k in ga for k in ("m", "m2")):
                moved = {**ga, **{k: gb.get(k) for k in shared}}
                if any(moved.get(k) for k in shared):
                    a_item = self.resolve(a[0], moved)
        else:  # two bare numbers after a year word
            a_item = self.k_date({"y": g["a"]}, rule)
            b_item = self.k_date({"y": g["b"]}, rule)
        if a_item["value"] is None or b_item["value"] is None or "/" in a_item["value"] + b_item["value"]:
            if rule.spec.get("parts") and a_item["value"] is not None and b_item["value"] is None:
                raise Reject
        if a_item["value"] and b_item["value"] and a_item["value"] == b_item["value"]:
            raise Reject
        if a_item["value"] and b_item["value"] and a_item["value"] > b_item["value"]:
            a_item, b_item = b_item, a_item  # «۲۰۱۵ - ۲۰۱۳»: written backwards
        value = f"{a_item['value']}/{b_item['value']}" if a_item["value"] and b_item["value"] else None
        return {"type": "DATE", "value": value, "granularity": _finest(a_item["granularity"], b_item["granularity"]),
                "calendar": a_item["calendar"], "modifier": a_item.get("modifier"),
                "relative": a_item["relative"] or b_item["relative"],
                "confidence": min(a_item["confidence"], b_item["confidence"])}


class DateStage:
    version = VERSION

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.tables = tables(lang)
        self.source = f"rules:{lang}/dates.yaml"

    def find(self, text: str, ref: date | None) -> list[tuple[int, int, dict]]:
        """(normalized start, end, item) of every expression in `text`."""
        t = self.tables
        candidates = []
        for priority, rule in enumerate(t.ranges + t.rules):
            for m in rule.regex.finditer(text):
                a, b = m.span("span")
                if rule.not_after is not None and rule.not_after.search(text, max(0, a - 40), a):
                    continue
                if b > a:
                    candidates.append((a, b, priority, rule, m))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
        taken: list[tuple[int, int]] = []
        out = []
        resolver = Resolver(t, ref)
        for a, b, _, rule, m in candidates:
            if any(a < y and x < b for x, y in taken):
                continue
            try:
                if rule.kind == "range":
                    item = resolver.resolve_range(rule, m)
                else:
                    inner = {k: v for k, v in m.groupdict().items() if k not in ("pre", "span")}
                    item = resolver.resolve(rule, inner)
            except (Reject, ValueError, KeyError, TypeError, IndexError, OverflowError):
                continue
            item["source"] = f"rule:{self.lang}/date/{rule.name}"
            if rule.spec.get("not_after_pos"):
                item["_not_after_pos"] = rule.spec["not_after_pos"]
            taken.append((a, b))
            out.append((a, b, item))
        out.sort(key=lambda x: x[0])
        return out

    def __call__(self, doc: Doc) -> Doc:
        normalized = doc._.normalized
        spans = []
        for a, b, item in self.find(normalized.text, doc._.reference_date):
            raw_a, raw_b = normalized.to_raw(a, b)
            span = doc.char_span(raw_a, raw_b, alignment_mode="expand")
            if span is None or not len(span):
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
    default_config={"lang": None},
)
def make_dates(nlp: Language, name: str, lang: str | None) -> DateStage:
    return DateStage(lang or nlp.lang)
