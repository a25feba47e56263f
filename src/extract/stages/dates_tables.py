"""Date rule tables: one language's `lang/<code>/dates.yaml` compiled into regexes (candidate matching).

The YAML holds the words (months per calendar, weekdays, eras, modifiers, relative words,
units, number words, holidays) and the rule families as regex templates; `Tables` expands
the `@name` word lists, applies the letter classes and compiles every rule once per
language.  `candidates` runs them on a normalized text and keeps the longest
non-overlapping matches.  No language-specific code lives here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import re

import regex
import yaml

from ..lang import get_language

BLANK = r"(?:[^\S\r\n]|\u200c)"


@dataclass
class Rule:
    name: str
    kind: str
    regex: object
    spec: dict
    parts: list = field(default_factory=list)
    not_after: object = None  # compiled: words that must not end just before the match
    needs: object = None  # compiled: the rule runs only on texts where this is found (speed)
    gap: object = None  # compiled: what may stand between the date it continues and the match


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
        # hedges (حدود, حوالي «about») set the modifier but stay outside the span, like a preposition
        for name, words in (data.get("outside_modifiers") or {}).items():
            add("outside_modifier", words, name)
        # relations (قبل ۱۹۴۸ «before 1948»): inside the span, they set the modifier to before / after
        for name, words in (data.get("relation_modifiers") or {}).items():
            add("relation_modifier", words, name)
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
        # word -> value tables of the YAML, by the lookup table each fills
        for key, table in (("set_words", "set_word"), ("numbers", "number"), ("ordinals", "ordinal"),
                           ("hours", "hour_word"), ("hour_fractions", "hour_fraction"),
                           ("decade_words", "decade_word"), ("century_words", "century_word"),
                           ("holidays", "holiday")):
            for word, value in (data.get(key) or {}).items():
                add(table, [word], value)
        for name, words in (data.get("words") or {}).items():
            add(name, [str(w) for w in words], name)
        # written-out numbers (سال هزار و سیصد و پنجاه و هفت, عام ألفين وعشرين): atoms added,
        # scales multiplying what comes before them; `number_phrase` is their regex
        for word, value in (data.get("number_words") or {}).items():
            add("number_word", [word], value)
        for word, value in (data.get("number_scales") or {}).items():
            add("number_word", [word], value)
            add("number_scale", [word], value)
        self.alternations = {name: self.alternation(words) for name, words in alts.items()}
        if "number_word" in self.alternations:
            atom, scale = self.alternations["number_word"], self.alternations.get("number_scale", "(?!)")
            joiner = self.word_regex(data["number_joiner"])
            self.alternations["number_phrase"] = (
                f"(?:{atom})(?:{BLANK}*{joiner}{BLANK}*(?:{atom})|{BLANK}*(?:{scale}))*(?![\\w\u200c])")
            self.number_atoms = re.compile(self.alternations["number_word"])
        self.pm_parts = set(data.get("pm_parts") or [])
        # rules whose candidates the learned scorer (dates_scorer) may drop: the ambiguous ones
        self.scored = set(data.get("scored_rules") or [])
        self.clitic = data.get("clitic") or ""
        self.rules: list[Rule] = []
        # `continues` rules read a match only right after a date already found (a year compared
        # with a year before it): the stage runs them last, in text order
        self.continuations: list[Rule] = []
        by_name = {}
        for spec in data.get("rules") or []:
            rule = Rule(spec["name"], spec["kind"], self.compile(spec["pattern"], spec.get("pre", "")), spec,
                        not_after=self.compile_not_after(spec.get("not_after")), needs=self.compile_needs(spec))
            by_name[rule.name] = rule
            if spec.get("continues"):
                rule.gap = self.compile_fast(self.expand(spec["continues"]["gap"]))
                self.continuations.append(rule)
            elif not spec.get("part_only"):  # part_only: a reading valid only inside a range
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
            rule = Rule(spec["name"], "range", self.compile(pattern, spec.get("pre", "")), spec, parts,
                        not_after=self.compile_not_after(spec.get("not_after")), needs=self.compile_needs(spec))
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
        hedge = ""
        if "outside_modifier" in self.alternations:
            hedge = "(?:(?P<premod>" + self.alternations["outside_modifier"] + ")" + BLANK + "+)?"
        return self.compile_fast(
            r"(?<![\w\u200c])(?P<pre>" + hedge + self.clitic + self.expand(pre) + r")(?P<span>" + body + r")(?![\w\u200c])"
        )

    def compile_not_after(self, words):
        if not words:
            return None
        # a word is written as it is; an entry starting with @ (a list) or ( (a group) is a pattern.
        # A word or a list is a whole word («پل» is not the end of «اینترپل», «ما» not of «شما»),
        # after the language's proclitics if it has them («وسوق» as «سوق»)
        whole = r"(?<![\w\u200c])" + self.clitic
        alternatives = [self.expand(w) if w.startswith("(") else whole + self.expand(w) if w.startswith("@")
                        else (whole if w[0].isalnum() else "") + self.word_regex(w) for w in words]
        return re.compile("(?:" + "|".join(alternatives) + ")" + BLANK + r"+\Z")

    def number_value(self, text: str) -> int | None:
        """The value of a written-out number matched by @number_phrase (None if it has no word)."""
        total = current = 0
        words = self.number_atoms.findall(text)
        if not words:
            return None
        for word in words:
            value = self.get("number_word", word)
            if self.get("number_scale", word) is None:
                current += value
            elif value < 1000:  # صد / مئة: multiplies the units before it (تسع مئة)
                current = (current or 1) * value
            else:  # هزار / ألف: closes a group (دو هزار و پنج)
                total += (current or 1) * value
                current = 0
        return total + current

    def compile_needs(self, spec: dict):
        return self.compile_fast(self.expand(spec["needs"])) if spec.get("needs") else None

    def get(self, table: str, text: str | None):
        if text is None:
            return None
        return self.lookup.get(table, {}).get(self.key(text))


@lru_cache(maxsize=None)
def tables(lang: str) -> Tables:
    return Tables(lang)



def candidates(t: Tables, text: str) -> list[tuple[int, int, int, Rule, object]]:
    """(start, end, priority, rule, match) of every rule match in `text`, longest first
    (then the rule listed first); overlaps are settled by the caller, which may reject one."""
    found = []
    for priority, rule in enumerate(t.ranges + t.rules):
        if rule.needs is not None and not rule.needs.search(text):
            continue
        for m in rule.regex.finditer(text):
            a, b = m.span("span")
            if rule.not_after is not None and rule.not_after.search(text, max(0, a - 40), a):
                continue
            if b > a:
                found.append((a, b, priority, rule, m))
    found.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    return found
