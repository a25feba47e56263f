"""Date value resolution: a rule's match -> the extract/1 fields (type, ISO value in the
Gregorian calendar, granularity, calendar, modifier, relative, confidence).

Each rule `kind` of the tables (date, season, decade, century, millennium, weekday, relative, holiday,
time, now, set, duration, and ranges of these) has its reader here; relative expressions
are resolved against the reference date, or get value null without one.  Calendar
arithmetic lives in `calendars.py`.
"""
from __future__ import annotations

from datetime import date, timedelta

import re

import regex

from .calendars import format_at, from_gregorian, iso_value, shift, to_gregorian
from .dates_tables import BLANK, Rule, Tables

UNIT_CODES = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "M",
              "decade": "Y", "century": "Y"}
UNIT_FACTOR = {"decade": 10, "century": 100}
UNIT_ORDER = ["minute", "hour", "day", "week", "month", "season", "year", "decade", "century"]
SEASON_CODES = {"spring": "SP", "summer": "SU", "fall": "FA", "winter": "WI"}


def _adjacent(a: str, b: str) -> bool:
    """Two single ISO values (year, month or day) that follow each other; other values count as adjacent."""
    def ordinal(v: str) -> tuple[str, int] | None:
        if re.fullmatch(r"[0-9]{4}", v):
            return "year", int(v)
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}", v):
            return "month", int(v[:4]) * 12 + int(v[5:])
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v):
            return "day", date.fromisoformat(v).toordinal()
        return None
    x, y = ordinal(a), ordinal(b)
    return x is None or y is None or x[0] != y[0] or abs(x[1] - y[1]) <= 1


def _finest(*units: str | None) -> str:
    present = [u for u in units if u]
    return min(present, key=UNIT_ORDER.index) if present else "day"


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
        digits = regex.sub(r"[\s\u200c]+", "", text)  # a spaced decimal point («۳ . ۵ سال»)
        if regex.fullmatch(r"[0-9]+\.[0-9]+", digits):
            return float(digits)
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
        if g.get("yn"):  # a year or decade written out in words: read as its digits
            n = self.t.number_value(g["yn"])
            if n is None or not (self.t.data.get("word_year_min", 10) <= n < 100 or 1000 <= n <= 2100):
                raise Reject
            g = {**g, "y": str(n)}
        item = {"type": "DATE", "value": None, "granularity": "day", "calendar": "gregorian", "modifier": None,
                "relative": False, "confidence": 0.9}
        item.update(method(g, rule))
        if g.get("mod"):
            item["modifier"] = self.t.get("modifier", g["mod"])
        elif g.get("relmod"):
            item["modifier"] = self.t.get("relation_modifier", g["relmod"])
        elif g.get("premod"):
            item["modifier"] = self.t.get("outside_modifier", g["premod"])
        return item

    def k_date(self, g: dict, rule: Rule) -> dict:
        month = self.t.get("month", g.get("m") or g.get("m2"))
        if month and self.t.key(g.get("m") or g.get("m2")) in self.t.verb_months and not g.get("y") \
                and not rule.spec.get("month_word"):  # «ماه می»: the word ماه makes it the month
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
        elif g.get("dcard"):  # «هفت آوریل ۲۰۱۶»: a day written as a cardinal word
            d = self.t.number_value(g["dcard"])
        confidence = 0.95
        relative = False
        if g.get("y"):
            year, calendar, confidence = self.year_calendar(int(g["y"]), len(g["y"]), mcal, era)
        else:
            calendar = mcal or self.t.data.get("default_calendar", "gregorian")
            if self.ref is None:
                return {"value": None, "granularity": "day" if d else "month", "calendar": calendar,
                        "relative": True, "confidence": 0.7}
            if g.get("anaph"):  # «the same year» as a date named before: in the span, no value
                return {"value": None, "granularity": "day" if d else "month" if m else "year",
                        "calendar": calendar, "relative": True, "confidence": 0.6}
            year = self.ref_in(calendar)[0]
            if g.get("this"):
                year += self._year_shift(g["this"], calendar, m, d)
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

    def _year_shift(self, this: str, calendar: str, m: int | None, d: int | None) -> int:
        """Years to add for the relative year after a month or day: «سال گذشته» / «پارسال» is
        the year before; a bare «گذشته» / «آینده» («۲۶ بهمن گذشته») the latest one before
        (first one after) the reference date."""
        rel = self.t.get("relative_word", this)
        if isinstance(rel, list) and rel[0] == "year":
            return rel[1]
        words = re.split(BLANK + "+", this)
        spec = self.t.get("direction", words[-1])
        if not isinstance(spec, dict) or not spec["sign"]:
            return 0
        if len(words) > 1:  # the year word is written: that year
            return spec["sign"]
        ref = tuple(self.ref_in(calendar))
        # «مارس الماضي» said in March is last year's: compare only what is written
        here, now = ((m, d), ref[1:]) if d else ((m or 1,), ref[1:2])
        if spec["sign"] < 0:
            return -1 if here >= now else 0
        return 1 if here <= now else 0

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
        c = int(g["c"]) if g.get("c") else self.t.get("century_word", g["cw"])
        if not 1 <= c <= 22:
            raise Reject
        return {"value": f"{c - 1:02d}", "granularity": "century"}

    def k_millennium(self, g: dict, rule: Rule) -> dict:
        """A millennium by its ordinal (the third: 2001-3000): its ten centuries, `20/29`."""
        n = self.t.get("ordinal", g["n"])
        if not n or not 1 <= n <= 3:
            raise Reject
        return {"value": f"{(n - 1) * 10:02d}/{(n - 1) * 10 + 9:02d}", "granularity": "century"}

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
        value = day.isoformat() if day else None
        if g.get("wdx"):  # «چهارشنبه و پنج‌شنبه»: two days in a row are one period, two apart two items
            gap = (self.t.get("weekday", g["wdx"]) - wd) % 7
            if gap != 1:
                raise Reject
            value = f"{value}/{(day + timedelta(days=1)).isoformat()}" if day else None
        return {"value": value, "granularity": "day", "relative": True, "confidence": 0.8}

    def k_relative(self, g: dict, rule: Rule) -> dict:
        if g.get("rel"):
            spec = self.t.get("relative_word", g["rel"])
            unit, offset = spec[0], spec[1]
            pod = spec[2] if len(spec) > 2 else None
            if self.ref is None:
                return {"type": "TIME" if pod else "DATE", "value": None, "granularity": unit, "relative": True}
            day = shift(self.ref, unit, offset)
            value = format_at(day, unit) + (pod or "")
            # a word also read in a generic sense no rule catches (امروز «nowadays») is less sure
            confidence = (self.t.data.get("relative_word_confidence") or {}).get(self.t.key(g["rel"]), 0.9)
            return {"type": "TIME" if pod else "DATE", "value": value, "granularity": unit, "relative": True,
                    "confidence": confidence}
        if g.get("dual"):
            unit, n = self.t.get("dual", g["dual"]), 2
        else:
            unit = self.t.get("unit", g["unit"])
            n = self.number(g.get("num")) if g.get("num") else None
        if g.get("this"):
            sign, period = 0, False
        elif g.get("dir"):
            spec = self.t.get("direction", g["dir"])
            # a rule may say a counted unit with a past/next word is a period (السنوات الخمس الماضية)
            sign, period = spec["sign"], spec["period"] or bool(rule.spec.get("period"))
        else:
            sign, period = rule.spec.get("sign", -1), False
        explicit = n is not None
        n = 1 if n is None and not g.get("num") else n
        if period and not explicit and g.get("unit") and self.t.key(g["unit"]) in self.t.plural_units:
            n = None  # «the last days»: no count, no value
        out = {"granularity": unit, "relative": True, "confidence": 0.85}
        if isinstance(n, float) and unit in UNIT_FACTOR and (n * UNIT_FACTOR[unit]).is_integer():
            unit, n = "year", int(n * UNIT_FACTOR[unit])  # «نیم‌قرن پیش»: 50 years
            out["granularity"] = unit
        if isinstance(n, float) and unit == "year" and (n * 12).is_integer():
            unit, n = "month", int(n * 12)  # «۳.۵ سال اخیر»: 42 months, to the month
            out["granularity"] = unit
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
        calendar, month, day, *rest = self.t.get("holiday", g["hol"])
        days = rest[0] if rest else None
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
        if days and day:  # a named week or ten days (هفته دفاع مقدس): the whole period
            first = to_gregorian(calendar, year, month, day)
            value, gran = f"{first.isoformat()}/{(first + timedelta(days=days - 1)).isoformat()}", "day"
        return {"value": value, "granularity": gran, "calendar": calendar, "relative": not g.get("y"),
                "confidence": 0.75}

    def k_period(self, g: dict, rule: Rule) -> dict:
        """A named historical period (الفترة العثمانية): a DATE with no calendar value."""
        return {"value": None, "granularity": rule.spec.get("granularity", "century"), "confidence": 0.6}

    def k_time(self, g: dict, rule: Rule) -> dict:
        pod = self.t.get("part_of_day", g.get("pod") or g.get("pod2") or g.get("pod3"))
        h = None
        if g.get("h"):
            h = int(g["h"])
        elif g.get("hw"):
            h = self.t.get("hour_word", g["hw"])
        minute = int(g["mi"]) if g.get("mi") else self.t.get("hour_fraction", g.get("half"))
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
            spec = self.t.get("direction", g.get("dir")) if g.get("dir") else None
            base = self._weekday_date(self.t.get("weekday", wd), spec["sign"] if isinstance(spec, dict) else 0)
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
        if not clock:
            raise Reject
        # a relative day with no reference date («ساعت ۹ دهم خرداد سال جاری»): the span, no value
        value = f"{d[1]['value']}T{clock}" if d[1]["value"] else None
        return {"type": "TIME", "value": value, "granularity": t[1]["granularity"],
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
            a_item, b_item = {**a[1], "_kind": a[0].kind}, b[1]
            # «۲۴ خرداد تا ۱۲ مرداد ۹۲», «فروردین و اردیبهشت امسال»: the first part takes the
            # year (or relative year) written only after the second
            ga = self.t.full[a[0].name].match(m.group("a")).groupdict()
            gb = self.t.full[b[0].name].match(m.group("b")).groupdict()
            shared = ("y", "era", "this", "rel")
            if not any(ga.get(k) for k in shared) and any(gb.get(k) for k in shared) \
                    and any(k in ga for k in ("m", "m2", "season")):
                moved = {**ga, **{k: gb.get(k) for k in shared}}
                if any(moved.get(k) for k in shared):
                    a_item = self.resolve(a[0], moved)
            elif ga.get("y") and not ga.get("era") and gb.get("era"):  # «سال ۱۲۹۹ تا ۱۹۲۲ میلادی»
                a_item = self.resolve(a[0], {**ga, "era": gb["era"]})
            elif ga.get("h") and not ga.get("pod") and gb.get("pod"):  # «ساعت ۸ الی ۱۱ صبح»
                shared = self.resolve(a[0], {**ga, "pod": gb["pod"]})
                if shared["value"] and b_item["value"] and shared["value"] <= b_item["value"]:
                    a_item = {**shared, "_kind": a[0].kind}
        else:  # two bare numbers after a year (decade) word, the era (if any) after the second
            read = getattr(self, "k_" + rule.spec.get("numbers", "date"))
            a_item = {"modifier": None, **read({"y": g["a"], "era": g.get("era")}, rule)}
            b_item = {"modifier": None, **read({"y": g["b"], "era": g.get("era")}, rule)}
            a_item.setdefault("relative", False), b_item.setdefault("relative", False)
            a_item.setdefault("confidence", 0.9), b_item.setdefault("confidence", 0.9)
        if a_item["value"] is None or b_item["value"] is None or "/" in a_item["value"] + b_item["value"]:
            if rule.spec.get("parts") and a_item["value"] is not None and b_item["value"] is None:
                raise Reject
        if a_item["value"] and b_item["value"] and a_item["value"] == b_item["value"]:
            raise Reject
        # «سال‌های ۱۹۳۲ و ۱۹۳۴»: a list, not a range; two values apart are read as two items
        # (the parts' own rules), so that no year between them is claimed
        if rule.spec.get("list_words") and "a" in g and "b" in g and a_item["value"] and b_item["value"]:
            sep = regex.sub(r"[\s\u200c]+", "", m.string[m.end("a"):m.start("b")])
            if sep in rule.spec["list_words"] and not _adjacent(a_item["value"], b_item["value"]):
                raise Reject
        seasons = a_item["granularity"] == b_item["granularity"] == "season"  # 2013-SU < 2013-FA: not by text
        times = a_item.get("type") == b_item.get("type") == "TIME"  # «۲۲ تا ۲ بامداد» runs past midnight
        if a_item["value"] and b_item["value"] and a_item["value"] > b_item["value"] and not seasons and not times:
            limit = rule.spec.get("backwards_within")
            if limit is not None and abs(int(a_item["value"][:4]) - int(b_item["value"][:4])) > limit:
                raise Reject  # «سال ۹۴ و ۲۰ استان»: not a list written backwards, a count
            a_item, b_item = b_item, a_item  # «۲۰۱۵ - ۲۰۱۳»: written backwards
        # parts that are periods themselves (a Jalali decade) give the range their outer ends
        value = f"{a_item['value'].split('/')[0]}/{b_item['value'].split('/')[-1]}" \
            if a_item["value"] and b_item["value"] else None
        return {"type": "TIME" if times else "DATE", "value": value,
                "granularity": _finest(a_item["granularity"], b_item["granularity"]),
                # a relative start («از امروز تا ۲۹ آبان») is written in no calendar: the end's
                "calendar": b_item["calendar"] if a_item.get("_kind") == "relative" else a_item["calendar"],
                "modifier": a_item.get("modifier"),
                "relative": a_item["relative"] or b_item["relative"],
                "confidence": min(a_item["confidence"], b_item["confidence"])}
