"""Rule layers of the actors stage, on the Doc's content tokens of one sentence:

* `gazetteer_matches`: the longest lexicon names, read through the language's
  proclitics (outside the span) and name suffixes (inside it);
* `institution_matches`: a state institution's head + the state (`البرلمان الباكستاني`);
* `role_matches`: titles and offices (`رئيس الوزراء عمران خان`, `لیاقت علیخان نخست وزیر
  پاکستان`) → the person's span and affiliation.

Every candidate is a `Candidate` with token indexes into the sentence and a character
trim for a proclitic inside the first token.  No language data lives here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .actors_lexicon import Entry, Gazetteer

MAX_WORDS = 10  # longest name looked up, in tokens


@dataclass
class Candidate:
    start: int  # first token (index into the sentence's content tokens)
    end: int  # one past the last token
    type: str
    canonical: str | None
    name: str | None
    source: str
    confidence: float
    trim: int = 0  # normalized characters of the first token left out (a proclitic)
    country: str | None = None  # affiliation / linked state
    layer: str = "gazetteer"
    extra: dict = field(default_factory=dict)


def boost(a: float, b: float) -> float:
    """The confidence of two layers that agree."""
    return round(min(0.99, 1 - (1 - a) * (1 - b)), 3)


def covered(cands: list[Candidate]) -> set[int]:
    """The word indices some candidate covers."""
    return {k for c in cands for k in range(c.start, c.end)}


def is_country(c: Candidate) -> bool:
    return c.type == "GPE" and bool(c.canonical) and len(c.canonical) == 3 and c.canonical.isupper()


def state_of(c: Candidate) -> str | None:
    """The state a mention stands for or belongs to (a country's own id, else its link)."""
    return c.country or (c.canonical if is_country(c) else None)


@lru_cache(maxsize=None)
def _compiled(pattern: str):
    return re.compile(pattern)


def stems(gaz: Gazetteer, norm: str) -> list[tuple[int, str, bool]]:
    """(characters skipped, the word read, whether a contraction was undone) ways to read a
    token: itself, then without each proclitic (`للهند` also as `الهند`, ل + the article)."""
    out = [(0, norm, False)]
    for prefix in gaz.rules.get("proclitics") or []:
        if norm.startswith(prefix) and len(norm) - len(prefix) >= 2:
            stem = norm[len(prefix):]
            out.append((len(prefix), stem, False))
            for rule in gaz.rules.get("contractions") or []:
                if prefix.endswith(rule["prefix_end"]) and stem.startswith(rule["stem_start"]):
                    out.append((len(prefix), rule["key_prefix"] + stem, True))
    return out


def readings(gaz: Gazetteer, norm: str) -> list[tuple[int, str]]:
    """(characters skipped, key) ways to read the first token of a name."""
    return [(trim, gaz.keyer.token(word)) for trim, word, _ in stems(gaz, norm)]


def lookup(gaz: Gazetteer, key: str, last: str | None = None) -> Entry | None:
    """The entry of a whole key, or of the key without a name suffix written on its last
    token `last` (`آمریکای`, not `آمریکا ی`)."""
    entry = gaz.entries.get(key)
    if entry is not None:
        return entry
    for rule in gaz.rules.get("name_suffixes") or []:
        suffix = rule["suffix"]
        if key.endswith(suffix) and (last is None or len(last) > len(suffix)):
            stem = key[: -len(suffix)]
            hit = gaz.entries.get(stem)
            if hit is not None and hit.source != "gazetteer:demonym" and _compiled(rule["after"]).search(stem):
                return hit
    return None


def gazetteer_matches(gaz: Gazetteer, words: list[str]) -> list[Candidate]:
    """Every lexicon name in a sentence of normalized tokens, longest first, no overlaps."""
    keys = [gaz.keyer.token(w) for w in words]
    found = []
    separable = (gaz.rules.get("demonym_forms") or {}).get("separable_suffixes", False)
    by_word = gaz.rules.get("names_match_by_word", False)
    for i, word in enumerate(words):
        for trim, first in readings(gaz, word):
            acc = first
            for j in range(i, min(len(words), i + MAX_WORDS)):
                if j > i:
                    acc += keys[j]
                entry = lookup(gaz, acc, keys[j] if j > i else first)
                # keys join without a space: a generated demonym form spans several tokens only
                # where the language writes its suffix apart (`آمریکایی ها`); else `المصري إن`
                # would read as the dual `المصريان`
                if entry is not None and by_word and j > i and j - i + 1 not in gaz.words.get(acc, ()):
                    entry = None  # `إلى من` is not `اليمن`: several words match a name of as many
                if entry is not None and j > i and len(word) - trim < 2:
                    entry = None  # `ی زد`, `ا یران`: a letter split off a word does not start a name
                if (entry is not None and j > i and j - i + 1 not in gaz.words.get(acc, ())
                        and any(keys[k] in gaz.name_stops for k in range(i + 1, j + 1))):
                    entry = None  # `سود آن` is not `سودان`: a stop word standing alone splits no name
                if entry is not None and not (j > i and entry.source == "gazetteer:demonym" and not separable):
                    found.append((i, j + 1, trim, entry))
                if acc not in gaz.prefixes and not any(acc.endswith(r["suffix"]) for r in gaz.rules.get("name_suffixes") or []):
                    break
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken = [False] * len(words)
    out = []
    for i, j, trim, entry in found:
        if any(taken[i:j]):
            continue
        taken[i:j] = [True] * (j - i)
        conf = 0.9 if entry.source == "gazetteer:curated" else 0.85
        out.append(Candidate(i, j, entry.type, entry.id, entry.name, entry.source, conf, trim, entry.country))
    return sorted(out, key=lambda c: c.start)


def longest_phrase(phrases, keys: list[str], i: int, max_words: int = 4) -> int | None:
    """The end of the longest phrase of `phrases` (joined keys, as `Gazetteer.keys_of` makes
    them) that starts at token i, or None."""
    end = None
    acc = ""
    for j in range(i, min(len(keys), i + max_words)):
        acc += keys[j]
        if acc in phrases:
            end = j + 1
    return end


def _phrase_at(table: dict, keys: list[str], i: int, max_words: int = 4) -> tuple[int, object] | None:
    """The longest phrase of `table` (joined keys) starting at token i: (end, value)."""
    end = longest_phrase(table, keys, i, max_words)
    return (end, table["".join(keys[i:end])]) if end is not None else None


def institution_matches(gaz: Gazetteer, words: list[str], names: list[Candidate]) -> list[Candidate]:
    """Head words of a state institution followed by a state (name or adjective), directly or
    after one of the language's `institution_modifiers`."""
    keys = [gaz.keyer.token(w) for w in words]
    by_start = {c.start: c for c in names}
    adjective_only = set(gaz.rules.get("adjective_only_institutions") or [])
    out = []
    for i in range(len(words)):
        # the head may carry a joined proclitic, left outside the span (`للجيش الإسرائيلي`)
        for trim, first in readings(gaz, words[i]):
            hit = _phrase_at(gaz.institutions, [first] + keys[i + 1:i + 4], 0)
            if hit is None:
                continue
            end, template = hit
            state = by_start.get(i + end)
            if state is None and i + end < len(keys) and keys[i + end] in gaz.institution_modifiers:
                state = by_start.get(i + end + 1)  # `دولت جدید آمریکا`: one word between (`institution_modifiers`)
            if state is None or state.trim or not state.country or state.type not in ("GPE", "NORP"):
                continue
            if template in adjective_only and state.type != "NORP":
                continue  # `لحكومة الولايات المتحدة`: with the country's name, the country is the actor
            canonical, name = gaz.institution_id(template, state.country)
            out.append(Candidate(i, state.end, "ORG", canonical, name, f"rule:{gaz.lang}/actor/institution-{template}",
                                 0.85, trim, state.country, layer="rule"))
            break
    return out


def role_matches(gaz: Gazetteer, words: list[str], names: list[Candidate],
                 common: frozenset = frozenset()) -> list[Candidate]:
    """Persons named by a title: the name after the title (up to 3 words, stopping at a
    stop word, punctuation or a known non-person name; not a frequent common word) or, for an office followed by a
    state, a `LINK` at the title's position: the person ending there (found by another
    layer) gets the state as affiliation (apposition)."""
    keys = [gaz.keyer.token(w) for w in words]
    nisba_names = gaz.rules.get("nisba_family_names", False)
    occupied = {}
    for c in names:
        for k in range(c.start, c.end):
            occupied[k] = c
    out = []
    i = 0
    while i < len(words):
        hit = _phrase_at(gaz.titles, keys, i)
        if hit is None:
            i += 1
            continue
        end, kind = hit
        country = None
        after = end
        state = occupied.get(end)
        if state is not None and state.start == end and state.type in ("GPE", "NORP") and state.country:
            country, after = state.country, state.end
        # name after the title (possibly after the state and a modifier: `السابق`)
        while after < len(words) and keys[after] in gaz.title_modifiers:
            after += 1
        stop = after
        while stop < len(words) and stop - after < 3 and _name_word(gaz, words[stop], keys[stop]) \
                and (stop not in occupied or occupied[stop].type == "PER"
                     # after an honorific, a one-word nisba after the first name is a family name
                     # (`السيد ماهر المصري`; after an office it qualifies the office: `وزير الداخلية المصري`)
                     or (nisba_names and kind == "honorific" and stop > after and occupied[stop].type == "NORP"
                         and occupied[stop].end == stop + 1)):
            stop += 1
        if stop > after and not (after in occupied and occupied[after].type == "PER") and words[after] not in common:
            out.append(Candidate(after, stop, "PER", None, None, f"rule:{gaz.lang}/actor/title-{kind}", 0.6, 0,
                                 country, layer="role"))
        elif after in occupied and occupied[after].type == "PER":
            occupied[after].country = occupied[after].country or country
        elif country and kind == "office":
            # apposition: a person ending right before the office gets its state
            out.append(Candidate(i, i, "LINK", None, None, f"rule:{gaz.lang}/actor/apposition", 0.0, 0,
                                 country, layer="link"))
        i = max(end, i + 1)
    return out


def _name_word(gaz: Gazetteer, word: str, key: str) -> bool:
    # a stop word with a joined proclitic is one too (`وذلك`, `وفي`)
    return (key not in gaz.name_stops and key not in gaz.titles and any(ch.isalpha() for ch in word)
            and not any(k in gaz.name_stops for _, k in readings(gaz, word)[1:])
            and not any(ch.isdigit() for ch in word)
            and not any(word.startswith(p) for p in gaz.rules.get("name_stop_prefixes") or []))
