"""The actor gazetteer of one language: shared ids + that language's surface forms,
compiled to matching keys.

Sources, in precedence order when two ids claim the same key: the curated aliases
(`lang/<code>/actors_lexicon.yaml`), then the generated country names
(`lang/<code>/actors_countries.yaml`: countries and former countries before regions
before cities), then the demonym forms the rules generate from the lexicon's stems.  A key is the form normalized like the text (the language's
normalizer), folded by `match_key`, with spaces and ZWNJ removed, so `ایالات‌متحده`
and `ایالات متحده`, `أمريكا` and `امريكا` meet.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..lang import LANG_DIR, get_language

ZWNJ = "\u200c"
# which generated entries a source tag names (provenance `gazetteer:<tag>`)
GENERATED_ORDER = ("country", "region", "city")


@dataclass(frozen=True)
class Entry:
    id: str
    type: str  # PER ORG GPE LOC NORP
    name: str  # English display name
    country: str | None  # linked country id (affiliation, demonym's nation)
    source: str  # gazetteer:curated | gazetteer:cldr | gazetteer:demonym
    rank: int  # lower wins when ids share a key


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def shared_ids() -> tuple[dict, dict]:
    """(ids, institution templates) over all languages."""
    generated = _yaml(LANG_DIR / "actors_countries.yaml")["ids"]
    curated = _yaml(LANG_DIR / "actors_ids.yaml")
    ids = dict(generated)
    ids.update(curated["ids"])
    return ids, curated.get("institutions") or {}


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """City id → the id of the country it is the capital of (`lang/actors_ids.yaml`)."""
    return dict(_yaml(LANG_DIR / "actors_ids.yaml").get("capitals") or {})


def rules(lang: str) -> dict:
    return _yaml(get_language(lang).directory / "actors_rules.yaml")


class Keyer:
    """Text form → matching key, the same way for lexicon forms and Doc tokens."""

    def __init__(self, lang: str) -> None:
        self.profile = get_language(lang)
        self._keys: dict[str, str] = {}  # every rule keys the same words again

    def token(self, norm: str) -> str:
        """The key of one normalized token."""
        key = self._keys.get(norm)
        if key is None:
            if len(self._keys) > 200_000:  # a bound for long batch runs
                self._keys.clear()
            key = self._keys[norm] = self.profile.match_key(norm).replace(ZWNJ, "")
        return key

    def form(self, text: str) -> str:
        """The key of a lexicon form written as in raw text (normalized first)."""
        norm = self.profile.normalize(text).text
        return "".join(self.token(part) for part in norm.split())


class Gazetteer:
    """key → Entry for one language, plus institution heads and titles."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.keyer = Keyer(lang)
        self.rules = rules(lang)
        ids, self.templates = shared_ids()
        self.ids = ids
        lexicon = _yaml(get_language(lang).directory / "actors_lexicon.yaml")
        generated = _yaml(get_language(lang).directory / "actors_countries.yaml")["names"]
        banned = self.keys_of(lexicon.get("not_names"))
        self.entries: dict[str, Entry] = {}
        self.words: dict[str, set[int]] = {}  # key → how many words its forms are written in
        for ident, forms in (lexicon.get("aliases") or {}).items():
            self._add(ident, forms, "gazetteer:curated", 0, banned)
        demonym = self.rules.get("demonym_forms") or {}
        for ident, stems in (lexicon.get("demonyms") or {}).items():
            forms = [p + s + x for s in stems for p in demonym.get("prefixes", [""]) for x in demonym.get("suffixes", [""])]
            # generated inflections never take a name's key (`ليبي` + `ا` is `ليبيا`, Libya)
            self._add(ident, forms, "gazetteer:demonym", 9, banned)
        for ident, forms in sorted(generated.items(), key=lambda kv: self._generated_rank(kv[0])):
            self._add(ident, forms, "gazetteer:cldr", 2 + self._generated_rank(ident), banned)
        self.prefixes = {key[:k] for key in self.entries for k in range(1, len(key) + 1)}
        self.institutions = {self.keyer.form(w): name for name, words in (self.rules.get("institutions") or {}).items()
                             for w in words}
        titles = self.rules.get("titles") or {}
        self.titles = {self.keyer.form(w): kind for kind, words in titles.items() for w in words}
        self.name_stops = self.keys_of(self.rules.get("name_stops"))
        self.title_modifiers = self.keys_of(self.rules.get("title_modifiers"))
        self.institution_modifiers = self.keys_of(self.rules.get("institution_modifiers"))
        self.event_heads = self.keys_of(self.rules.get("event_heads"))
        self.people_heads = self.keys_of(self.rules.get("people_heads"))
        self.place_heads = self.keys_of(self.rules.get("place_heads"))
        self.person_heads = self.keys_of(self.rules.get("person_heads"))
        self.organization_heads = self.keys_of(self.rules.get("organization_heads"))
        self.quantity_words = self.keys_of(self.rules.get("quantity_words"))
        self.joined_phrases = self.keys_of(self.rules.get("joined_phrases"))
        self.compass_words = self.keys_of(self.rules.get("compass_words"))
        self.name_connectors = self.keys_of(self.rules.get("name_connectors"))
        self.formula_words = self.keys_of(self.rules.get("formula_words"))
        self.capitals = capitals()
        government = self.rules.get("capital_as_government") or {}
        self.act_nouns = self.keys_of(government.get("act_nouns"))
        self.version = f"{_yaml(LANG_DIR / 'actors_ids.yaml').get('version')}.{lexicon.get('version')}"

    def keys_of(self, words: list[str] | None) -> set[str]:
        """The match keys of a word list of the rules (none when the language lists none)."""
        return {self.keyer.form(w) for w in words or []}

    def _generated_rank(self, ident: str) -> int:
        kind = self.ids.get(ident, {})
        if kind.get("tz"):
            return 2
        return 1 if kind.get("type") == "LOC" else 0

    def _add(self, ident: str, forms, source: str, rank: int, banned: set[str]) -> None:
        spec = self.ids.get(ident)
        if spec is None:
            raise ValueError(f"{self.lang} actors lexicon: unknown id {ident!r} (add it to lang/actors_ids.yaml)")
        kind = "NORP" if source == "gazetteer:demonym" else spec["type"]
        country = spec.get("country") or (ident if spec["type"] == "GPE" and len(ident) == 3 and ident.isupper() else None)
        entry = Entry(ident, kind, spec.get("name", ident), country, source, rank)
        for form in forms:
            key = self.keyer.form(str(form))
            if len(key) < 2 or key in banned:
                continue
            self.words.setdefault(key, set()).add(len(self.profile_words(str(form))))
            old = self.entries.get(key)
            if old is None or old.rank > rank:
                self.entries[key] = entry

    def profile_words(self, text: str) -> list[str]:
        return self.keyer.profile.normalize(text).text.split()

    def institution_id(self, template: str, country: str) -> tuple[str, str]:
        """(canonical id, English name) of institution `template` of state `country`."""
        spec = self.templates[template]
        if spec.get("state_id"):  # the state's own id: a government acts as its state
            return country, self.ids.get(country, {}).get("name", country)
        known = (spec.get("known") or {}).get(country)
        if known:
            return known, self.ids[known]["name"]
        name = spec["name"].format(country=self.ids.get(country, {}).get("name", country))
        return name, name


@lru_cache(maxsize=None)
def gazetteer(lang: str) -> Gazetteer:
    return Gazetteer(lang)


def write_gazetteer_keys(lang: str, path: Path, heads: bool = False) -> None:
    """Every name key (words joined, as the gazetteer keys them) with its types, and the
    titles and institution heads, for the NER model's gazetteer features; the model keeps
    this copy so that later lexicon edits do not change what it was trained with.
    `heads`: also the kind words names follow (`organization_heads`, `place_heads`,
    `person_heads` of actors_rules.yaml as HEAD_ORG, HEAD_LOC, HEAD_PER), which the `doc`
    feature extra reads."""
    gaz = gazetteer(lang)
    rows: dict[str, set[str]] = {}
    for key, entry in gaz.entries.items():
        rows.setdefault(key, set()).add(entry.type)
    for key in gaz.titles:
        rows.setdefault(key, set()).add("TITLE")
    for key in gaz.institutions:
        rows.setdefault(key, set()).add("INST")
    # word classes for the model only (`model_hints` of actors_rules.yaml: class → prefixes, words)
    for kind, hint in (gaz.rules.get("model_hints") or {}).items():
        for word in hint.get("words") or []:
            for prefix in hint.get("prefixes") or [""]:
                rows.setdefault(gaz.keyer.form(prefix + word), set()).add(kind)
    if heads:
        for kind, rule in (("HEAD_ORG", "organization_heads"), ("HEAD_LOC", "place_heads"), ("HEAD_PER", "person_heads")):
            for word in gaz.rules.get(rule) or []:
                rows.setdefault(gaz.keyer.form(word), set()).add(kind)
    lines = [f"{key}\t{','.join(sorted(types))}" for key, types in sorted(rows.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
