"""Amounts on the normalized view: number phrases, scale words, units, ranges, approximation.

The language's `lang/<code>/amounts.yaml` holds the words; this module reads a text as a
list of words (digit runs, letter runs, single symbols) and parses, at each number, the
longest phrase the tables allow ("۳ میلیون و ۸۰۰ هزار", "ألف وتسعمائة وسبعة وأربعون"),
then a range's second end, then the unit (percent, currency with its qualifier).  Values
are computed in `Decimal`, so "۲/۱ میلیارد" is exactly 2100000000.  The counted noun of a
QUANTITY comes from the tagger, through the `nouns` the stage passes in.
No language-specific code lives here.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Callable, Optional

import yaml

from ..lang import get_language

WORDS = re.compile(r"[0-9]+(?:[.,/][0-9]+)*|[^\W\d_]+(?:\u200c+[^\W\d_]+)*|[^\w\s\u200c]")
INLINE_GAP = re.compile(r"[ \t\u00a0\u200c\u200f\u200e]*")
GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
SLASHED = re.compile(r"[0-9]+/[0-9]+")
MAX_WORDS = 4  # the longest currency qualifier ("کره جنوبی") a table may hold

NUMBER, SCALE, DUAL, FRACTION, VAGUE, DIGITS = "number", "scale", "dual", "fraction", "vague", "digits"
DENOMINATOR = "denominators"  # "۴ دهم" (4 tenths), "۳ هزارم"


@dataclass
class Word:
    start: int
    end: int
    text: str


@dataclass
class Atom:
    kind: str
    value: Optional[Decimal]
    first: int  # word indexes [first, last]
    last: int
    suffixed: bool = False  # "میلیاردی": an adjective form ends the phrase
    skip: int = 0  # characters of a glued conjunction before the number ("وثلاثة")


@dataclass
class Phrase:
    atoms: list[Atom]
    value: Optional[Decimal]
    approx: bool

    @property
    def first(self) -> int:
        return self.atoms[0].first

    @property
    def last(self) -> int:
        return self.atoms[-1].last

    @property
    def has_scale(self) -> bool:
        return any(a.kind in (SCALE, DUAL) for a in self.atoms)

    @property
    def trailing_scale(self) -> Decimal:
        """The product of the scale words after the last plain number ("7 هزار میلیارد" → 1e12)."""
        factor = Decimal(1)
        for atom in reversed(self.atoms):
            if atom.kind not in (SCALE, DUAL):
                break
            factor *= atom.value
        return factor

    @property
    def only_digits(self) -> bool:
        return all(a.kind == DIGITS for a in self.atoms)


@dataclass
class Currency:
    code: Optional[str]
    symbol: bool
    qualifiers: dict[str, str] = field(default_factory=dict)  # key → code
    context: dict[str, list[str]] = field(default_factory=dict)  # code → document words


class AmountTables:
    """One language's amount words, keyed by the language's match key."""

    def __init__(self, lang: str) -> None:
        profile = get_language(lang)
        self.lang = lang
        self.match_key = profile.match_key
        self._keys: dict[str, str] = {}
        data = yaml.safe_load((profile.directory / "amounts.yaml").read_text(encoding="utf-8"))
        self.data = data
        self.decimal_slash = bool(data.get("decimal_slash"))
        self.conjunction = self.key(data["conjunction"])
        self.attached_conjunction = bool(data.get("attached_conjunction"))
        # prefixes glued to a phrase's first word that stay outside the span ("بثلاثة ملايين")
        self.proclitics = sorted((self.key(p) for p in data.get("proclitics") or [data["conjunction"]]),
                                 key=len, reverse=True)
        self.units_before_tens = bool(data.get("units_before_tens"))
        self.roles: dict[str, dict[str, object]] = {}
        self.words_by_role: dict[str, list[str]] = {}
        for role in (NUMBER, SCALE, DUAL, FRACTION, VAGUE):
            table = data.get({NUMBER: "numbers", SCALE: "scales", DUAL: "duals",
                              FRACTION: "fractions", VAGUE: "vague"}[role]) or {}
            for word, value in table.items():
                self.add(role, word, None if value is None else Decimal(str(value)))
        for word, value in (data.get("denominators") or {}).items():
            self.add("denominators", word, Decimal(str(value)))
        for name in ("approx_before", "approx_after", "range_connectors", "range_openers", "id_words",
                     "money_context", "article_words", "not_counted", "noun_prefixes", "negative_words",
                     "needs_scale", "money_nouns", "one_after_unit", "always_counted", "counted_not_prefixes",
                     "classifiers", "classifier_partitive", "classifier_not_before",
                     "ordinal_suffixes"):
            for word in data.get(name) or []:
                self.add(name, word, True)
        for word in data["percent"].get("words") or []:
            self.add("percent", word, True)
        self.percent_symbols = set(data["percent"].get("symbols") or [])
        for word in self.percent_symbols:
            self.add("percent", word, True)
        self.currencies: list[Currency] = []
        for spec in data.get("currencies") or []:
            currency = Currency(spec.get("code"), bool(spec.get("symbol")))
            for code, words in (spec.get("qualifiers") or {}).items():
                for word in words:
                    currency.qualifiers[self.key(word)] = code
            currency.context = {code: [self.key(w) for w in words] for code, words in (spec.get("context") or {}).items()}
            self.currencies.append(currency)
            for word in spec["words"]:
                self.add("currency", word, currency)
        self.suffixes = sorted((self.key(s) for s in data.get("unit_suffixes") or []), key=len, reverse=True)
        self.split_glued_numbers = bool(data.get("split_glued_numbers"))
        # the words a glued compound may be cut into ("یک‌میلیون", "دودرصدی", "هزارتومانی")
        self.pieces = {k for role in (NUMBER, SCALE, DUAL, FRACTION, VAGUE, "percent", "currency", "range_connectors",
                                      "denominators") for k in self.roles.get(role, {})} | {self.conjunction}
        self.openers = {k for role in (NUMBER, SCALE, FRACTION) for k in self.roles.get(role, {})}
        self.known = {k for table in self.roles.values() for k in table}
        self.opener_lengths = sorted({len(k) for k in self.openers})
        # how many words the longest entry of each role has (most roles: one)
        self.max_words = {role: max(len(WORDS.findall(w)) for w in words) for role, words in self.words_by_role.items()}
        # first words that may open a number phrase, or a currency that may precede "واحد"
        self.starters = {self.key(WORDS.findall(w)[0]) for role in (NUMBER, SCALE, DUAL, FRACTION, VAGUE)
                         for w in self.words_by_role.get(role, [])}
        self.currency_starters = {self.key(WORDS.findall(w)[0]) for w in self.words_by_role.get("currency", [])}
        self.counted_pos = set(data.get("counted_pos") or [])
        self.noun_prefix_joiner = data.get("noun_prefix_joiner", "")
        self.unit_rewrites = [(re.compile(r["pattern"]), r["replace"]) for r in data.get("unit_rewrites") or []]

    def key(self, text: str) -> str:
        found = self._keys.get(text)
        if found is None:
            found = self._keys[text] = self.match_key(re.sub(r"[\s\u200c\u0640]+", "", text))
            if len(self._keys) > 200_000:  # a bounded memo: words repeat a lot in news
                self._keys.clear()
        return found

    def split_glued(self, word: "Word") -> list["Word"]:
        """A letter word written as one but made of number words ("یک‌میلیون", "هزارمیلیاردی") → its parts."""
        if not self.split_glued_numbers or not word.text[0].isalpha():
            return [word]
        text = word.text
        key = self.key(text)
        if key in self.known or not any(key[:n] in self.openers for n in self.opener_lengths):
            return [word]
        cuts = self._segment(text)
        if not cuts:
            return [word]
        out, begin = [], 0
        for end in cuts:
            piece = text[begin:end]
            lead = len(piece) - len(piece.lstrip("\u200c"))
            trail = len(piece) - len(piece.rstrip("\u200c"))
            out.append(Word(word.start + begin + lead, word.start + end - trail, piece.strip("\u200c")))
            begin = end
        return out

    def _segment(self, text: str) -> Optional[list[int]]:
        """Cut points making every piece a known number/unit word (the last may carry a unit suffix)."""
        n = len(text)
        best: dict[int, Optional[list[int]]] = {n: []}

        def solve(i: int) -> Optional[list[int]]:
            if i in best:
                return best[i]
            best[i] = None
            for j in range(n, i, -1):
                piece = self.key(text[i:j])
                ok = piece in self.pieces or (j == n and any(
                    piece.endswith(s) and piece[:-len(s)] in self.pieces for s in self.suffixes))
                if ok and (i > 0 or piece in self.openers):
                    rest = solve(j)
                    if rest is not None:
                        best[i] = [j] + rest
                        break
            return best[i]

        cuts = solve(0)
        return cuts if cuts and len(cuts) > 1 else None

    def add(self, role: str, word: str, value) -> None:
        self.roles.setdefault(role, {})[self.key(str(word))] = value
        self.words_by_role.setdefault(role, []).append(str(word))

    def may_start(self, key: str) -> bool:
        """Could a number phrase begin with this word (possibly behind a glued clitic)?"""
        if key in self.starters:
            return True
        return self.attached_conjunction and any(key.startswith(p) and key[len(p):] in self.starters
                                                 for p in self.proclitics)


@lru_cache(maxsize=None)
def amount_tables(lang: str) -> AmountTables:
    return AmountTables(lang)


def parse_digits(text: str, decimal_slash: bool) -> Optional[Decimal]:
    """`12,000` `78.3` `2/1` (Persian decimal slash) → Decimal; anything else (ids, dates) → None."""
    try:
        if GROUPED.fullmatch(text):
            return Decimal(text.replace(",", ""))
        if PLAIN.fullmatch(text):
            if len(text) > 1 and text[0] == "0" and not text.startswith("0."):
                return None  # "021", "0912...": codes and phone numbers
            return Decimal(text)
        if decimal_slash and SLASHED.fullmatch(text):
            whole, fraction = text.split("/")
            return Decimal(f"{whole}.{fraction}")
    except InvalidOperation:
        return None
    return None


def as_number(value: Optional[Decimal]):
    """A JSON number: int when whole."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


class AmountFinder:
    """Finds amounts in one normalized text."""

    def __init__(self, t: AmountTables, text: str, blocked: Callable[[int, int], bool],
                 nouns: Optional[dict[int, tuple[int, str, str]]] = None) -> None:
        self.t, self.text = t, text
        self.blocked = blocked
        self.nouns = nouns or {}
        self.words = []
        for m in WORDS.finditer(text):
            self.words += t.split_glued(Word(m.start(), m.end(), m.group()))
        self.keys = [t.key(w.text) for w in self.words]
        self.word_starts = [w.start for w in self.words]
        gaps = [""] + [text[self.words[i - 1].end:self.words[i].start] for i in range(1, len(self.words))]
        self._gaps = gaps
        self._joined = [i > 0 and INLINE_GAP.fullmatch(g) is not None for i, g in enumerate(gaps)] + [False]
        self._glued = [i > 0 and g == "" for i, g in enumerate(gaps)] + [False]
        self._cache: dict = {}
        self._context: Optional[Counter] = None
        self.floor = 0  # the first word no earlier amount has taken (set by find)

    # -- word access -------------------------------------------------------------
    def gap(self, i: int) -> str:
        """The text between word i-1 and word i."""
        return self._gaps[i] if 0 < i < len(self.words) else ""

    def joined(self, i: int) -> bool:
        """Word i follows word i-1 on the same line, separated by blanks at most."""
        return 0 <= i < len(self.words) and self._joined[i]

    def glued(self, i: int) -> bool:
        return 0 <= i < len(self.words) and self._glued[i]

    def lookup(self, i: int, role: str, suffixes: bool = False, strip_conjunction: bool = False):
        """(number of words, value, suffixed, conjunction stripped) of the longest `role` entry at word i."""
        memo = (i, role, suffixes, strip_conjunction)
        if memo not in self._cache:
            self._cache[memo] = self._lookup(i, role, suffixes, strip_conjunction)
        return self._cache[memo]

    def _lookup(self, i: int, role: str, suffixes: bool, strip_conjunction):
        table = self.t.roles.get(role)
        if not table or i >= len(self.words):
            return None
        for n in range(min(self.t.max_words.get(role, 1), len(self.words) - i), 0, -1):
            if n > 1 and not all(self.joined(i + k) for k in range(1, n)):
                continue
            key = "".join(self.keys[i:i + n])
            candidates = [(key, False, False)]
            if strip_conjunction and n == 1:  # "وتسعمائة"; at a phrase's start also "بثلاثة"
                prefixes = self.t.proclitics if strip_conjunction == "proclitics" else [self.t.conjunction]
                for prefix in prefixes:
                    if key.startswith(prefix) and len(key) - len(prefix) >= 3:
                        candidates.append((key[len(prefix):], False, len(prefix)))
                        break
            if suffixes:
                candidates += [(c[:-len(s)], True, stripped) for c, _, stripped in list(candidates)
                               for s in self.t.suffixes if c.endswith(s) and len(c) > len(s) + 1]
            for candidate, suffixed, stripped in candidates:
                if candidate in table:
                    return n, table[candidate], suffixed, stripped
        return None

    def lookup_before(self, i: int, role: str) -> Optional[int]:
        """The first word index of the longest `role` entry ending just before word i."""
        table = self.t.roles.get(role, {})
        if i == 0 or not self.joined(i):
            return None
        for n in range(min(self.t.max_words.get(role, 1), i), 0, -1):
            first = i - n
            if n > 1 and not all(self.joined(first + k) for k in range(1, n)):
                continue
            key = "".join(self.keys[first:i])
            if key in table:
                return first
            # "وحوالي": a conjunction or preposition glued to the word
            if self.t.attached_conjunction and any(key.startswith(p) and key[len(p):] in table for p in self.t.proclitics):
                return first
        return None

    # -- number phrases ----------------------------------------------------------
    def atom(self, i: int, after_conjunction: bool, first: bool = False) -> Optional[Atom]:
        if i >= len(self.words):
            return None
        w = self.words[i]
        if self.blocked(w.start, w.end):
            return None
        if w.text[0].isdigit():
            value = parse_digits(w.text, self.t.decimal_slash)
            last = i
            # "53 . 2", "3 / 1": a decimal separator tokenized apart (as in tokenized corpora)
            separators = "./" if self.t.decimal_slash else "."
            if (value is not None and w.text.isdigit() and i + 2 < len(self.words)
                    and self.words[i + 1].text in separators and self.gap(i + 1) == " " and self.gap(i + 2) == " "
                    and self.words[i + 2].text.isdigit()):
                value, last = Decimal(f"{w.text}.{self.words[i + 2].text}"), i + 2
            return None if value is None else Atom(DIGITS, value, i, last)
        # "آلاف" opens a phrase as "thousands of" but is a scale after a number ("ثلاثة آلاف")
        for role in (NUMBER, VAGUE, SCALE, DUAL, FRACTION) if first else (NUMBER, DENOMINATOR, SCALE, DUAL, FRACTION, VAGUE):
            hit = self.lookup(i, role, suffixes=role in (SCALE, DUAL), strip_conjunction=after_conjunction)
            if hit:
                n, value, suffixed, stripped = hit
                if any(self.blocked(self.words[k].start, self.words[k].end) for k in range(i, i + n)):
                    return None
                return Atom(role, value, i, i + n - 1, suffixed, int(stripped))
        return None

    def conjunction_at(self, i: int) -> Optional[int]:
        """Index of the word after a conjunction at word i (separate, or glued as "و15"), else None."""
        if i < len(self.words) and self.keys[i] == self.t.conjunction and self.joined(i):
            if i + 1 < len(self.words) and (self.joined(i + 1) or self.glued(i + 1)):
                return i + 1
        return None

    @staticmethod
    def place(value: Decimal) -> Decimal:
        place = Decimal(1)
        while value >= place * 10:
            place *= 10
        return place

    def allowed(self, atoms: list[Atom], nxt: Atom, conjunction: bool) -> bool:
        prev = atoms[-1]
        if prev.suffixed:
            return False
        scales = [a.value for a in atoms if a.kind in (SCALE, DUAL)]
        if nxt.kind in (SCALE, DUAL):
            if nxt.kind == DUAL and prev.kind in (SCALE, DUAL):
                return False
            if not conjunction:
                if prev.kind in (DIGITS, NUMBER, FRACTION, VAGUE):
                    return not scales or nxt.value < min(scales) or nxt.value > max(scales)
                return prev.kind == SCALE and nxt.value > prev.value
            return prev.kind == SCALE and nxt.value < prev.value
        if nxt.kind == DENOMINATOR:
            return not conjunction and prev.kind in (DIGITS, NUMBER)
        if nxt.kind == FRACTION:
            return conjunction and prev.kind in (DIGITS, NUMBER, SCALE)
        if nxt.kind == VAGUE:
            return False
        if nxt.kind == DIGITS:
            following = self.atom(nxt.last + 1, False) if self.joined(nxt.last + 1) else None
            if following is not None and following.kind == DENOMINATOR:  # "۴۹ و ۶ دهم"
                return conjunction and prev.kind in (DIGITS, NUMBER)
            if prev.kind != SCALE or nxt.value >= prev.value:
                return False
            # "سه میلیون 200 هزار": without "و" only when a smaller scale follows
            return conjunction or (following is not None and following.kind == SCALE and following.value < prev.value)
        # a number word
        following = self.atom(nxt.last + 1, False) if self.joined(nxt.last + 1) else None
        if conjunction and prev.kind in (DIGITS, NUMBER) and following is not None and following.kind == DENOMINATOR:
            return True  # "یک و ۷ دهم"
        if not conjunction:  # "ثلاثة عشر" (13): a unit, then the word for ten
            return (self.t.units_before_tens and prev.kind == NUMBER and prev.value < 10
                    and nxt.value == 10)
        if prev.kind == SCALE:
            return nxt.value < prev.value
        if prev.kind == NUMBER:
            if nxt.value < self.place(prev.value):
                return True
            return (self.t.units_before_tens and prev.value < 10 and nxt.value >= 20
                    and nxt.value < 100 and nxt.value % 10 == 0)
        return False

    def phrase(self, i: int) -> Optional[Phrase]:
        first = self.atom(i, after_conjunction="proclitics" if self.t.attached_conjunction else False, first=True)
        if first is None:
            return None
        if first.kind == FRACTION and not (self.next_is_scale(first.last + 1) or self.unit_after(first.last + 1)
                                           or self.lookup(first.last + 1, "range_connectors")):
            return None  # "نیم" alone is "half", not an amount; "نیم درصد" is one
        if first.kind == NUMBER and self.keys[first.first] in self.t.roles.get("needs_scale", {}) \
                and not self.next_is_scale(first.last + 1):
            return None  # "نه" is "no" unless a scale word follows ("نه میلیون")
        atoms = [first]
        while True:
            k = atoms[-1].last + 1
            conjunction = False
            if k < len(self.words) and not self.joined(k) and not self.glued(k):
                break
            after = self.conjunction_at(k)
            if after is not None:
                conjunction, k = True, after
            nxt = self.atom(k, after_conjunction=self.t.attached_conjunction and not conjunction)
            if nxt is None or not self.allowed(atoms, nxt, conjunction or self.attached(k)):
                # "۱۰ میلیون و ۲۰ میلیون": a list, not one number; give the last number back
                if (nxt is not None and nxt.kind == SCALE and len(atoms) > 1 and atoms[-1].kind != SCALE
                        and self.conjoined(atoms[-1])):
                    atoms.pop()
                break
            atoms.append(nxt)
        return Phrase(atoms, *self.combine(atoms))

    def attached(self, i: int) -> bool:
        """Word i carries the conjunction glued on ("وتسعمائة")."""
        return (self.t.attached_conjunction and i < len(self.words)
                and self.keys[i].startswith(self.t.conjunction) and len(self.keys[i]) > len(self.t.conjunction)
                and self.lookup(i, NUMBER) is None and self.lookup(i, SCALE, suffixes=True) is None)

    def conjoined(self, atom: Atom) -> bool:
        return atom.first > 0 and (self.keys[atom.first - 1] == self.t.conjunction or self.attached(atom.first))

    def next_is_scale(self, i: int) -> bool:
        return i < len(self.words) and self.joined(i) and self.lookup(i, SCALE, suffixes=True) is not None

    @staticmethod
    def combine(atoms: list[Atom]) -> tuple[Optional[Decimal], bool]:
        """(value, approx): the arithmetic of number words and scales."""
        total, current, last_scale = Decimal(0), None, None
        last_number = Decimal(0)
        approx = False
        for k, atom in enumerate(atoms):
            if atom.kind == VAGUE:
                approx = True
                if atom.value is None:
                    return None, True
                current = atom.value
            elif atom.kind in (DIGITS, NUMBER):
                current = (current or 0) + atom.value
                last_number = atom.value
            elif atom.kind == DENOMINATOR:  # the last number was a count of tenths, hundredths ...
                current = current - last_number + last_number / atom.value
            elif atom.kind == FRACTION:
                if current is None and last_scale is not None:
                    total += atom.value * last_scale  # "مليون ونصف"
                else:
                    current = (current or 0) + atom.value
            elif atom.kind == DUAL and current is None and k == 0:
                total, last_scale = Decimal(2) * atom.value, atom.value
            else:  # a scale
                scale = atom.value
                if last_scale is not None and scale > last_scale:
                    total = (total + (current if current is not None else 0)) * scale
                else:
                    total += (current if current is not None else 1) * scale
                current, last_scale = None, scale
        return total + (current or 0), approx

    # -- whole amounts -----------------------------------------------------------
    def find(self) -> list[tuple[int, int, dict]]:
        out = []
        i = 0
        self.floor = 0
        while i < len(self.words):
            found = None
            if self.words[i].text[0].isdigit() or self.t.may_start(self.keys[i]):
                found = self.amount_at(i)
            elif self.keys[i] in self.t.currency_starters:
                found = self.unit_then_one(i)
            if found is None:
                i += 1
                continue
            start, end, item, next_i = found
            if out and start < out[-1][1]:  # never two amounts over the same characters
                i += 1
                continue
            out.append((start, end, item))
            i = self.floor = next_i
        return out

    def skipped_start(self, i: int) -> bool:
        """A number here is an id, a label, part of a code, or list numbering."""
        if i > 0 and self.glued(i):
            before = self.words[i - 1].text
            if before in "+-/.#" or before[0].isalpha() and self.keys[i - 1] != self.t.conjunction:
                return True
        return False

    def unit_then_one(self, i: int):
        """"دولار أمريكي واحد": a currency, then the word for one."""
        table = self.t.roles.get("one_after_unit")
        if not table or (i > 0 and self.words[i - 1].text[0].isdigit()):
            return None
        unit = self.unit_after(i) if self.lookup(i, "currency") else None
        if unit is None or unit[0] != "MONEY":
            return None
        one = unit[3] + 1
        if not self.joined(one) or self.keys[one] not in table:
            return None
        item = {"type": "MONEY", "value": 1, "unit": unit[1], "approx": False, "confidence": round(unit[2] - 0.1, 2),
                "source": f"rule:{self.t.lang}/amount/money-one-after-unit"}
        return self.words[i].start, self.words[one].end, item, one + 1

    def after_id_word(self, i: int) -> bool:
        """"ماده ۵", "المادة ( 90 )": a label, so no count (a price after it is still money)."""
        before = i - 1 if i > 0 and self.words[i - 1].text == "(" else i
        return self.lookup_before(before, "id_words") is not None

    def numbering(self, i: int, last: int) -> bool:
        """A bare number that labels a list item or sits in a run of slashes ("21 / 24 / 4")."""
        nxt = self.words[last + 1].text if last + 1 < len(self.words) else ""
        prev = self.words[i - 1].text if i > 0 else ""
        if nxt in ("/", ":") or prev in ("/", ":"):
            return True
        boundary = i == 0 or "\n" in self.gap(i) or prev in (".", "،", "؛", ":", "!", "؟")
        return boundary and nxt in (".", ")", "-", "–")

    def second_end(self, i: int, k: int) -> Optional[int]:
        """Where the second number of a range starts, if a range connector is at word k."""
        if k >= len(self.words) or not (self.joined(k) or self.glued(k)):
            return None
        hit = self.lookup(k, "range_connectors")
        second = None
        if hit:
            second = k + hit[0]
        elif self.lookup_before(i, "range_openers") is not None:  # "بين 10 و15"
            second = self.conjunction_at(k)
            if second is None and self.attached(k):
                second = k
        if second is None or second >= len(self.words) or not (self.joined(second) or self.glued(second)):
            return None
        return second

    def range_with(self, a: Phrase, b: Optional[Phrase], connector: int):
        """(low, high) when `a` and `b` make a range, else None."""
        if b is None or a.value is None or b.value is None:
            return None
        low = a.value
        if not a.has_scale and b.has_scale:  # "۶ تا ۷ میلیارد": the scale is shared
            low = a.value * b.trailing_scale
        if low < b.value:
            return low, b.value
        if self.words[connector].text in "-–" and low > b.value:
            return b.value, low  # "22 - 21 درصدی": digits around a dash, in either order
        return None

    def amount_at(self, i: int):
        if self.skipped_start(i):
            return None
        a = self.phrase(i)
        if a is None:
            return None
        if a.atoms[0].kind in (SCALE, DUAL, FRACTION) and not a.has_scale and not self.unit_after(a.last + 1) \
                and self.second_end(i, a.last + 1) is None:
            return None
        value, approx, upper, last = a.value, a.approx, None, a.last
        if self.glued(a.last + 1) and self.keys[a.last + 1] in self.t.roles.get("ordinal_suffixes", {}):
            return None  # "۵مین", "۱۰ام": an ordinal
        second = self.second_end(i, a.last + 1)
        if second is not None:
            b = self.phrase(second)
            bounds = self.range_with(a, b, a.last + 1)
            if bounds:
                (value, upper), last = bounds, b.last
                approx = approx or b.approx
        start_word = i
        negative = self.lookup_before(i, "negative_words")
        if negative is not None:  # "منفی ۱۳ درصد": the sign word is part of the amount
            start_word = negative
            value = None if value is None else -value
            upper = None if upper is None else -upper
            if upper is not None:
                value, upper = upper, value
        unit = self.unit_after(last + 1)
        if unit is not None:
            kind, code, confidence, last, rule = unit
            if upper is None:  # "۶ هزار تومان تا ۱۸ هزار تومان": a range with the unit twice
                second = self.second_end(i, last + 1)
                b = self.phrase(second) if second is not None else None
                b_unit = self.unit_after(b.last + 1) if b is not None else None
                if b_unit and b_unit[:2] == (kind, code) and b.value is not None and value is not None \
                        and value < b.value:
                    upper, last = b.value, b_unit[3]
            item = {"type": kind, "unit": code, "confidence": confidence}
            return self.finish(start_word, None, item, rule, a, value, upper, approx, last)
        if start_word > self.floor and self.words[start_word - 1].text in self.t.percent_symbols and \
                (self.glued(start_word) or self.joined(start_word)):  # "%59", "٪۵" typed before the number
            item = {"type": "PERCENT", "unit": "%", "confidence": 0.9}
            return self.finish(start_word - 1, None, item, "percent-sign-before", a, value, upper, approx, last)
        symbol = self.symbol_before(start_word)
        if symbol is not None:
            start_word, code, confidence = symbol
            item = {"type": "MONEY", "unit": code, "confidence": confidence}
            return self.finish(start_word, None, item, "money-symbol", a, value, upper, approx, last)
        money_noun = self.lookup(last + 1, "money_nouns") if self.joined(last + 1) else None
        if money_noun and a.has_scale:  # "۸ هزار میلیارد پول": money, its currency unsaid
            item = {"type": "MONEY", "unit": None, "confidence": 0.6}
            return self.finish(start_word, None, item, "money-noun", a, value, upper, approx, last + money_noun[0])
        # a large number near words of money is money with its currency unsaid ("وام ۷۶ میلیون",
        # "۱۰ میلیارد بدهی"); a bare "میلیونی" (million-strong) is an adjective, not an amount
        large = a.has_scale and (a.trailing_scale >= 1000 and a.atoms[0].kind not in (SCALE, DUAL) or len(a.atoms) > 1)

        def money_unsaid():
            item = {"type": "MONEY", "unit": None, "confidence": 0.5}
            return self.finish(start_word, None, item, "money-implicit", a, value, upper, approx, last)

        if large and self.money_context_after(last + 1):
            return money_unsaid()
        if self.after_id_word(i):
            return None
        if large and self.money_context(i, window=1):  # "بودجه ۵۰۰ میلیارد": the word right before wins
            return money_unsaid()
        # "تسهیلات ۱۶ هزارمیلیاردی": an adjective form modifies the next noun, it does not count it
        counted = None if a.atoms[-1].suffixed else self.counted_noun(last + 1, a)
        if counted is None and large and self.money_context(i):
            return money_unsaid()
        if counted is not None:
            noun_end, lemma = counted
            if value is None:
                return None  # "چند سال": a vague count of something is not an amount
            item = {"type": "QUANTITY", "unit": lemma, "confidence": 0.85}
            return self.finish(start_word, noun_end, item, "quantity-noun", a, value, upper, approx, None)
        if not a.only_digits and (not a.has_scale or len(a.atoms) == 1 and a.atoms[0].kind == SCALE):
            return None  # a lone number word ("دو", "ثلاثة", "میلیاردی") counts nothing we can name
        if a.only_digits and upper is None and self.numbering(i, last):
            return None
        item = {"type": "QUANTITY", "unit": None, "confidence": 0.5 if a.only_digits else 0.6}
        return self.finish(start_word, None, item, "quantity-bare", a, value, upper, approx, last)

    def finish(self, start_word: int, end: Optional[int], item: dict, rule: str, a: Phrase,
               value, upper, approx: bool, last_word: Optional[int]):
        if self.lookup_before(start_word, "approx_before") is not None:
            approx = True
        after = (last_word + 1) if last_word is not None else None
        if after is not None and after < len(self.words) and self.joined(after) and self.lookup(after, "approx_after"):
            approx = True
        if a.atoms[0].first == a.atoms[-1].last and a.atoms[0].kind == NUMBER and value == 1 \
                and self.keys[a.first] in self.t.roles.get("article_words", {}) and item["type"] == "QUANTITY":
            return None  # "یک کمک": an article, not a count
        start = self.words[start_word].start
        if start_word == a.first:
            start += a.atoms[0].skip  # the glued conjunction stays outside the span
        if end is None:
            end = self.words[last_word].end
        item = {**item, "value": as_number(value), "approx": approx, "source": f"rule:{self.t.lang}/amount/{rule}"}
        if upper is not None:
            item["upper"] = as_number(upper)
        if approx and item["confidence"] > 0.5:
            item["confidence"] = round(item["confidence"] - 0.05, 2)
        next_i = (last_word + 1) if last_word is not None else bisect_left(self.word_starts, end)
        return start, end, item, next_i

    # -- units ---------------------------------------------------------------------
    def unit_after(self, k: int):
        """(type, code, confidence, last word, rule) of a percent word or currency at word k."""
        if k >= len(self.words) or not (self.joined(k) or self.glued(k)):
            return None
        hit = self.lookup(k, "percent", suffixes=True)
        if hit:
            return "PERCENT", "%", 0.95, k + hit[0] - 1, "percent"
        hit = self.lookup(k, "currency", suffixes=True)
        if hit:
            n, currency, suffixed, _ = hit
            last = k + n - 1
            code, confidence, how = currency.code, 0.95, "money"
            q = last + 1
            if q < len(self.words) and self.joined(q):
                for m in range(min(MAX_WORDS, len(self.words) - q), 0, -1):
                    if m > 1 and not all(self.joined(q + j) for j in range(1, m)):
                        continue
                    key = "".join(self.keys[q:q + m])
                    stripped = [key[:-len(s)] for s in self.t.suffixes if key.endswith(s)]
                    match = key if key in currency.qualifiers else next((s for s in stripped if s in currency.qualifiers), None)
                    # "۲۵۰ میلیون دلاری آمریکا": after the adjective form the country is the payer, not
                    # the currency's; only a qualifier that changes the currency belongs to it ("۵۰ دلاری هنگ‌کنگ")
                    adjective = any(key.endswith(sfx) for sfx in self.t.suffixes)  # "ریالی ایرانی"
                    if match and (not suffixed or adjective or currency.qualifiers[match] != currency.code):
                        code, last, how = currency.qualifiers[match], q + m - 1, "money"
                        break
                else:
                    code, confidence, how = self.currency_from_context(currency)
            elif currency.context:
                code, confidence, how = self.currency_from_context(currency)
            return "MONEY", code, confidence, last, how
        return None

    def currency_from_context(self, currency: Currency):
        if not currency.context:
            return currency.code, 0.95 if currency.code else 0.6, "money"
        counts = self.context_counts()
        scored = sorted(((sum(counts[w] for w in words), code) for code, words in currency.context.items()),
                        reverse=True)
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return scored[0][1], 0.8, "money-context"
        return currency.code, 0.6, "money-default" if currency.code else "money-unknown-currency"

    def context_counts(self) -> Counter:
        if self._context is None:
            self._context = Counter(self.keys)
            # multi-word context entries ("أبو ظبي") count by their joined keys
            for n in (2, 3):
                for i in range(len(self.keys) - n + 1):
                    self._context["".join(self.keys[i:i + n])] += 1
        return self._context

    def symbol_before(self, i: int):
        """A currency symbol right before the number ("$100", "€ 5")."""
        if i == 0:
            return None
        j = i - 1
        if not (self.glued(i) or self.joined(i)):
            return None
        hit = self.t.roles.get("currency", {}).get(self.keys[j])
        if hit is not None and hit.symbol:
            return j, hit.code, 0.95
        return None

    def counted_noun(self, k: int, a: Phrase):
        """(end, unit) of the noun a number counts ("۸ هزار خانه", "39 دولة"), from the tagger."""
        if k >= len(self.words) or not self.joined(k):
            return None
        w = self.words[k]
        roles = self.t.roles
        if self.keys[k] in roles.get("classifiers", {}) and self.joined(k + 1):
            # "۵ تا کتاب", "دو تا از آن‌ها": a counting word between the number and its noun
            if self.keys[k + 1] in roles.get("classifier_partitive", {}):
                return w.end, None
            if self.keys[k + 1] in roles.get("classifier_not_before", {}):
                return None
            return self.counted_noun(k + 1, a)
        noun = self.nouns.get(w.start)
        if noun is None:
            return None
        end, pos, lemma = noun
        if not any(ch.isalpha() for ch in lemma):
            return None  # "42 |": a symbol the tagger called a noun counts nothing
        if self.keys[k] in self.t.roles.get("noun_prefixes", {}) and k + 1 < len(self.words) and self.joined(k + 1):
            nxt = self.nouns.get(self.words[k + 1].start)
            if nxt is not None and nxt[1] in self.t.counted_pos:
                return nxt[0], w.text + self.t.noun_prefix_joiner + nxt[2]
        measure = self.keys[k] in self.t.roles.get("always_counted", {})
        if not measure and pos not in self.t.counted_pos or self.keys[k] in self.t.roles.get("not_counted", {}):
            return None
        if any(self.keys[k].startswith(p) for p in self.t.roles.get("counted_not_prefixes", {})):
            return None  # "500 مليون للمشروع": a noun behind a preposition is not what is counted
        if self.blocked(w.start, end):
            return None
        for pattern, replace in self.t.unit_rewrites:  # the first rule that applies, only
            rewritten = pattern.sub(replace, lemma)
            if rewritten != lemma:
                lemma = rewritten
                break
        return end, lemma

    def money_context_after(self, k: int) -> bool:
        """The number is followed by a word of money ("۱۰ میلیارد بدهی")."""
        return k < len(self.words) and self.joined(k) and self.lookup(k, "money_context") is not None

    def money_context(self, i: int, window: int = 6) -> bool:
        table = self.t.roles.get("money_context", {})
        for j in range(i - 1, max(-1, i - 1 - window), -1):
            if "\n" in self.gap(j + 1):
                return False
            if self.keys[j] in table or (j > 0 and self.keys[j - 1] + self.keys[j] in table):
                return True
        return False
