"""Phrase rules of the actors stage, run over the merged gazetteer, rule and model layers:
organizations by their kind word (`kind_phrases`), groups of people named by what they
belong to (`group_of`), quoted names before a title (`quoted_persons`), given names beside
a verb (`given_names_alone`), platforms named as a medium (`media`), institutions named
by their building read as the place (`buildings`), the place an office is held over
(`jurisdictions`), the ministry a minister holds (`portfolios`), a news source cited by
name (`cited_sources`), a short name in brackets after its organization or person
(`bracket_aliases`), counted nouns that look like a person's name (`counted_persons`),
definite plural nouns of people as groups (`groups_alone`), and names that are common
words elsewhere, read as names in a document about their topic (`topic_names`).  Each
reads its settings from `lang/<code>/actors_rules.yaml`; a language without them gets
nothing."""
from __future__ import annotations

import re

from .actors_lexicon import Gazetteer
from .actors_match import Candidate, boost, covered, is_country, longest_phrase, readings, state_of


class PhraseRules:
    def __init__(self, gaz: Gazetteer, lang: str, given: set[str], common: frozenset[str]) -> None:
        self.gaz, self.lang, self._given, self.common = gaz, lang, given, common
        self._given_rule = gaz.rules.get("given_names_alone")
        self._group_rules = [(gaz.keys_of(r["heads"]), set(r["names"]), gaz.keys_of(r.get("between")),
                              gaz.keys_of(r.get("not_after")), bool(r.get("bare_names")))
                             for r in gaz.rules.get("group_of") or ()]
        kind = gaz.rules.get("kind_phrases")
        self._kind_rule = {"heads": gaz.keys_of(kind["heads"]), "naming_word": re.compile(kind["naming_word"]),
                           "at_most": kind["at_most"], "upos": set(kind["upos"]),
                           "names": set(kind.get("names", ("NORP", "GPE", "ORG"))),
                           "name_layers": set(kind.get("name_layers", ("gazetteer",))),
                           "name_required": bool(kind.get("name_required")),
                           "words_after_name": kind.get("words_after_name", True)} if kind else None
        # a conjoined word with the article (`والقطاعات`): no name ends on one
        article = gaz.rules.get("article")
        self._conjoined = (gaz.rules.get("name_conjunction") or "") + article if article else ""
        media = gaz.rules.get("media")
        self._media_rule = (gaz.keys_of(media["names"]), gaz.keys_of(media["before"])) if media else None
        building = gaz.rules.get("buildings")
        self._building_rule = (set(building["ids"]), gaz.keys_of(building["place_before"])) if building else None
        # topic → (cue keys, least cues, least distinct cues, name key tuple → canonical id)
        self._topics = [(gaz.keys_of(t["cues"]), t["least_cues"], t.get("least_distinct_cues", 1),
                         {tuple(gaz.keyer.token(w) for w in gaz.profile_words(form)): ident
                          for ident, forms in t["names"].items() for form in forms})
                        for t in (gaz.rules.get("topic_names") or {}).values()]
        office = gaz.rules.get("jurisdiction_titles")
        self._office_rule = (gaz.keys_of(office["titles"]), gaz.keys_of(office["not_places"]),
                             max(len(gaz.profile_words(t)) for t in office["titles"]),
                             gaz.keyer.form(office["conjunction"]), set(office["upos"])) if office else None
        portfolio = gaz.rules.get("portfolios")
        self._portfolio_rule = (gaz.keys_of(portfolio["titles"]), gaz.keys_of(portfolio["names"]),
                                gaz.keys_of(portfolio.get("not_after")),
                                max(len(gaz.profile_words(n)) for n in portfolio["names"]) + 2,
                                bool(portfolio.get("state_inside"))) if portfolio else None
        cited = gaz.rules.get("cited_sources")
        self._cited_rule = (gaz.keys_of(cited["before"]), max(len(gaz.profile_words(b)) for b in cited["before"]),
                            gaz.keys_of(cited["not_names"]), gaz.keys_of(cited["ends"]), cited["at_most"],
                            set(cited["upos"])) if cited else None
        alias = gaz.rules.get("bracket_aliases")
        self._alias_rule = (alias["brackets"][0], alias["brackets"][1], set(alias["types"]), alias["at_most"],
                            set(alias["upos"]), gaz.keys_of(alias.get("not_names")), set(alias.get("latin_only") or ()),
                            set(alias.get("between") or ())) if alias else None
        self._counters = gaz.keys_of(gaz.rules.get("person_counters"))
        alone = gaz.rules.get("groups_alone")
        hint = ((gaz.rules.get("model_hints") or {}).get(alone["hint"]) or {}) if alone else {}
        skip = set(alone.get("except") or ()) if alone else set()
        self._groups_alone = {gaz.keyer.form(a + w) for a in alone["articles"] for w in hint.get("words", ())
                              if w not in skip} if alone else set()
        quoted = gaz.rules.get("quoted_persons")
        self._quoted_rule = (quoted["opening"], quoted["closing"], gaz.keys_of(quoted["roles"]),
                             quoted["at_most"], set(quoted.get("commas") or ())) if quoted else None

    def groups(self, cands: list[Candidate], words: list[str]) -> list[Candidate]:
        """`أهالي مدينة يافا`, `مقاتلو داعش`, `عائلة خليل السكاكيني`: a group noun in the
        construct state right before the name of what its people belong to is one NORP
        mention, the group (`group_of` in actors_rules.yaml: heads, the name's types, kind
        words that may stand between); the name's state is the group's `country`."""
        rules = self._group_rules
        if not rules:
            return cands
        taken = {}
        for c in cands:
            for k in range(c.start, c.end):
                taken[k] = c
        out = list(cands)
        for c in cands:
            if c.trim or c not in out:
                continue
            for heads, names, between, not_after, _ in rules:
                if c.type not in names:
                    continue
                k = c.start - 1
                if k >= 0 and k not in taken and self.gaz.keyer.token(words[k]) in between:
                    k -= 1
                head = taken.get(k)
                if k < 0 or (head is not None and not (head.type == "NORP" and head.layer == "model"
                                                      and head.start == head.end - 1 == k)):
                    continue
                trim = next((t for t, key in readings(self.gaz, words[k]) if key in heads), None)
                if trim is None or (k > 0 and self.gaz.keyer.token(words[k - 1]) in not_after):
                    continue
                group = Candidate(k, c.end, "NORP", None, None, f"rule:{self.lang}/actor/group-of",
                                  round(min(0.85, c.confidence), 3), trim, country=state_of(c), layer="rule")
                out = [o for o in out if o is not c and o is not head] + [group]
                for j in range(k, c.end):
                    taken[j] = group
                break
        # a family's word before a word no actor holds: that word is the family's name
        # (`عائلة دغيش`, `حامولة سلمان`; `bare_names: true`)
        stops = tuple(self.gaz.rules.get("name_stop_prefixes") or ())
        for heads, _, _, _, bare in rules:
            for k in range(len(words) - 1 if bare else 0):
                if k in taken or k + 1 in taken:
                    continue
                trim = next((t for t, key in readings(self.gaz, words[k]) if key in heads), None)
                name = words[k + 1]
                if (trim is not None and name.isalpha() and not name.startswith(stops)
                        and not any(key in self.gaz.name_stops for _, key in readings(self.gaz, name))):
                    group = Candidate(k, k + 2, "NORP", None, None, f"rule:{self.lang}/actor/group-of", 0.6, trim,
                                      layer="rule")
                    out.append(group)
                    taken[k] = taken[k + 1] = group
        return out

    def kind_phrases(self, cands: list[Candidate], words: list[str], tags: list[str] | None) -> list[Candidate]:
        """`مركز بابل للصحة النفسية`, `ستاد احیای دریاچه ارومیه`: an organization's kind word
        in the construct state and the words and names that name it (`kind_phrases`: the
        heads, the form of a naming word, at most how many, the names that go in, whether
        one must, whether words go on after it) make an organization where nothing else
        was found there; the model missed it, so its confidence is the rule's."""
        rule = self._kind_rule
        if not rule:
            return cands
        taken = covered(cands)
        absorbed, out = [], []
        k = 0
        while k < len(words):
            trim = next((t for t, key in readings(self.gaz, words[k]) if key in rule["heads"]), None) \
                if k not in taken else None
            if trim is None:
                k += 1
                continue
            end, floor, country, names = k + 1, k + 1, None, []
            while end < len(words) and end - k <= rule["at_most"]:
                if end not in taken:
                    if (names and not rule["words_after_name"]) or not self._naming(words[end], tags[end] if tags else None):
                        break
                    end += 1
                    continue
                # a nationality adjective of the lexicon goes in (`جمعية العمال العربية الفلسطينية`),
                # so does a name of the types the language lists (`بلدية قلقيلية`, `مركز بابل للصحة
                # النفسية`, `دادگاه اداری مصر`); the name's state is the organization's
                at = next((c for c in cands if c.start == end and not c.trim and c.type in rule["names"]
                           and c.layer in rule["name_layers"] and (c.type != "NORP" or c.end == end + 1)), None)
                if at is None or (at.type == "NORP" and end == k + 1):
                    break
                names.append(at)
                taken.update(range(at.start, at.end))
                end = floor = at.end
                if at.type in ("GPE", "ORG", "LOC"):
                    country = state_of(at)
            # nor does it end on a conjoined word (`الهيئة والقطاعات`; `والتعاون الاقتصادي` goes on)
            while end > floor and self._conjoined and words[end - 1].startswith(self._conjoined):
                end -= 1
            if end > k + 1 and (names or not rule["name_required"]):
                absorbed += names
                # the kind word before an organization's own name (`مجلة دير شبيغل`) keeps its id
                named = next((c for c in names if c.type == "ORG" and (c.start, c.end) == (k + 1, end)), None) \
                    if len(names) == 1 else None
                out.append(Candidate(k, end, "ORG", named and named.canonical, named and named.name,
                                     f"rule:{self.lang}/actor/kind-phrase", 0.6, trim, country=country, layer="rule"))
                k = end
            else:
                k += 1
        return [c for c in cands if not any(c is a for a in absorbed)] + out

    def _naming(self, word: str, tag: str | None) -> bool:
        """A word that can name an organization after its kind word (`kind_phrases`)."""
        rule = self._kind_rule
        return (bool(rule["naming_word"].fullmatch(word)) and (tag is None or tag in rule["upos"])
                and not any(key in self.gaz.name_stops for _, key in readings(self.gaz, word)))

    def quoted_persons(self, cands: list[Candidate], words: list[str]) -> list[Candidate]:
        """`« نجیب رزاق » نخست‌وزیر این کشور`: a short name in quotation marks right before
        a person's title or role (`quoted_persons`) is a person, whatever the model read
        in it; not where the lexicons know a place or an organization there."""
        rule = self._quoted_rule
        if not rule:
            return cands
        opening, closing, roles, most, skip = rule
        keyer = self.gaz.keyer
        for i, word in enumerate(words):
            if word != opening:
                continue
            j = next((j for j in range(i + 2, min(len(words), i + most + 2)) if words[j] == closing), None)
            if j is None or j + 1 >= len(words):
                continue
            r = j + 1 + (words[j + 1] in skip and j + 2 < len(words))  # `« ریک پری » ، فرماندار`
            after = [keyer.form(words[r])] + ([keyer.form(" ".join(words[r:r + 2]))] if r + 1 < len(words) else [])
            inner = words[i + 1:j]
            if not any(a in roles for a in after) or not all(w.replace("\u200c", "").isalpha() for w in inner) \
                    or any(keyer.token(w) in self.gaz.name_stops for w in inner):
                continue
            inside = [c for c in cands if c.start < j and i + 1 < c.end]
            if any(c.layer == "gazetteer" and c.type != "PER" for c in inside) or any(c.start <= i or c.end > j for c in inside):
                continue
            same = [c for c in inside if (c.start, c.end, c.type) == (i + 1, j, "PER")]
            if same:
                same[0].confidence = boost(same[0].confidence, 0.8)
                continue
            known = next((c for c in inside if c.type == "PER" and c.canonical), None)
            cands = [c for c in cands if c not in inside]
            cands.append(Candidate(i + 1, j, "PER", known.canonical if known else None, known.name if known else None,
                                   f"rule:{self.lang}/actor/quoted-person", 0.8, layer="rule"))
        return cands

    def media(self, cands: list[Candidate], words: list[str]) -> list[Candidate]:
        """`در فیس‌بوک نوشت`, `صفحه توییتر`: a platform's name after a word that makes it the
        medium something is said in (`media`: the names, the words before) is no actor; as
        the one who acts it still is (`فیس‌بوک اعلام کرد`)."""
        rule = self._media_rule
        if not rule:
            return cands
        names, before = rule
        keyer = self.gaz.keyer
        return [c for c in cands if not (c.start > 0 and keyer.form(" ".join(words[c.start:c.end])) in names
                                         and any(key in before for _, key in readings(self.gaz, words[c.start - 1])))]

    def given_alone(self, cands: list[Candidate], words: list[str], tags: list[str] | None) -> list[Candidate]:
        """`عماد يرتبك`, `يجلس منيب`: a given name alone, not a common word of news text,
        right beside a verb is a person (`given_names_alone`: the verb's UPOS)."""
        rule = self._given_rule
        if not rule or not tags or not self._given:
            return []
        verbs = set(rule["beside"])
        taken = covered(cands)
        out = []
        for k, word in enumerate(words):
            if k in taken or word in self.common:
                continue
            trim = next((t for t, key in readings(self.gaz, word) if key in self._given), None)
            if trim is None or not ((k > 0 and tags[k - 1] in verbs) or (k + 1 < len(words) and tags[k + 1] in verbs)):
                continue
            out.append(Candidate(k, k + 1, "PER", None, None, f"rule:{self.lang}/actor/given-name", 0.6, trim,
                                 layer="rule"))
        return out

    def buildings(self, cands: list[Candidate], words: list[str]) -> None:
        """`در کاخ سفید`, `وارد کاخ سفید شد`: an institution named by its building (`buildings`:
        the ids) is the place, LOC, after a word that makes it one (`place_before`); elsewhere
        it is the institution that acts (`کاخ سفید اعلام کرد`)."""
        rule = self._building_rule
        if not rule:
            return
        ids, before = rule
        for c in cands:
            if c.canonical in ids and c.start > 0 and any(key in before for _, key in readings(self.gaz, words[c.start - 1])):
                c.type = "LOC"

    def jurisdictions(self, cands: list[Candidate], words: list[str], keys: list[str],
                      tags: list[str] | None) -> list[Candidate]:
        """`شهردار تروا`, `امام‌جمعه دابو و دشت‌سر`, `نماینده مردم ساری`: the word after an
        office held over a place (`jurisdiction_titles`) names the place, and so does a word
        joined to it by the conjunction: a person or place the model read there is that place, a GPE,
        and a word nothing covers (a noun, not a common word, not one of `not_places`) becomes one."""
        rule = self._office_rule
        if not rule:
            return cands
        titles, not_places, longest, conj, upos = rule
        starting = {c.start: c for c in cands}
        taken = covered(cands)
        out = list(cands)
        for i in range(len(words)):
            k = longest_phrase(titles, keys, i, longest)
            if k is None or i in taken:
                continue
            while k < len(words):
                c = starting.get(k)
                end = k + 1
                if c is not None and c.end == k + 1 and c.type in ("PER", "LOC") and c.layer == "model":
                    c.type = "GPE"  # a place an office is held over is a political unit
                elif c is not None and c.type == "GPE":
                    end = c.end
                elif (k in taken or keys[k] in not_places or words[k] in self.common or keys[k] in self.gaz.name_stops
                      or not words[k].isalpha() or (tags and tags[k] not in upos)):
                    break
                else:
                    out.append(Candidate(k, k + 1, "GPE", None, None, f"rule:{self.lang}/actor/jurisdiction", 0.6,
                                         layer="rule"))
                if end + 1 < len(words) and keys[end] == conj and longest_phrase(titles, keys, end + 1, longest) is None:
                    k = end + 1  # `دابو و دشت‌سر`, not `شهردار تروا و فرماندار`
                    continue
                break
        out.sort(key=lambda c: c.start)
        return out

    def portfolios(self, cands: list[Candidate], words: list[str], keys: list[str]) -> list[Candidate]:
        """`وزیر نفت`, `معاون وزیر امور خارجه روسیه`: the portfolio named right after a
        minister's title (`portfolios`: the titles, the portfolios, longest first) is the
        ministry, an organization, with the state named right after it inside when
        `state_inside`; it takes the place of model mentions there, never of the lexicons'."""
        rule = self._portfolio_rule
        if not rule:
            return cands
        titles, names, not_after, longest, state_inside = rule
        out = list(cands)
        for i in range(len(words) - 1):
            if keys[i] not in titles or (i > 0 and keys[i - 1] in not_after):
                continue
            k = i + 1
            named = longest_phrase(names, keys, k, longest)
            if named is None:
                continue
            # a state's name right after (`خارجه روسیه`), whatever layer read it
            state = next(((named + w, ident) for w in range(min(4, len(words) - named), 0, -1)
                          if (ident := self._state("".join(keys[named:named + w])))), None) if state_inside else None
            end, country = state or (named, None)
            inside = [c for c in out if c.start < end and k < c.end]
            if any(c.start < k or (c.layer not in ("model", "propagated") and not (state and named <= c.start and is_country(c)))
                   for c in inside):
                continue  # a name the lexicons know there, or one that began before
            # the model's organization from here on to the same end or further stays
            # (`وزیر کار دولت جرج بوش`): the rule only adds what it left out
            same = next((c for c in inside if c.start == k and c.end >= end and c.type == "ORG"), None)
            if same is not None:
                same.confidence, same.country = boost(same.confidence, 0.7), same.country or country
                continue
            out = [c for c in out if not any(c is o for o in inside)]
            out.append(Candidate(k, end, "ORG", None, None, f"rule:{self.lang}/actor/portfolio", 0.7, country=country,
                                 layer="rule"))
        out.sort(key=lambda c: c.start)
        return out

    def cited_sources(self, cands: list[Candidate], words: list[str], keys: list[str],
                      tags: list[str] | None) -> list[Candidate]:
        """`به گزارش تراز ،`, `منبع : تبیان`: the words from a phrase that cites a source to
        the mark that closes the citation (`cited_sources`: the phrases, words that start no
        name there, the closing marks, at most how many words, their UPOS) name the source, an
        organization, where nothing else was found and no stop word stands between."""
        rule = self._cited_rule
        if not rule:
            return cands
        before, longest, not_names, ends, most, upos = rule
        taken = covered(cands)
        out = list(cands)
        for i in range(len(words)):
            k = longest_phrase(before, keys, i, longest)
            if k is None or k >= len(words):
                continue
            end = next((e for e in range(k, min(len(words), k + most + 1)) if keys[e] in ends), len(words))
            if not k < end <= k + most or keys[k] in not_names or any(
                    e in taken or keys[e] in self.gaz.name_stops or (tags and tags[e] not in upos) for e in range(k, end)):
                continue  # nothing, a name running on past reach, a common word or verb, or one found
            out.append(Candidate(k, end, "ORG", None, None, f"rule:{self.lang}/actor/cited-source", 0.5, layer="rule"))
            taken.update(range(k, end))
        out.sort(key=lambda c: c.start)
        return out

    def bracket_aliases(self, cands: list[Candidate], words: list[str], tags: list[str] | None) -> list[Candidate]:
        """`سازمان تجارت جهانی ( WTO )`, `شرکت ... ( توانیر )`: a short name in brackets right
        after an organization or a person (`bracket_aliases`: the brackets, the types, at most
        how many words, the UPOS of words in the text's own script, the types named again only
        in capitalized Latin words, marks that may stand between) names it again: where nothing
        covers it, no stop word, number or lone letter is in it, it is no honorific (`not_names`), and
        its words are all Latin, or one or two of the text's script that are no common words.
        One word there (an acronym or short form) or a person's name in Latin letters is the
        same actor: it takes the lexicon id, also where another layer found it."""
        rule = self._alias_rule
        if not rule:
            return cands
        opening, closing, types, most, upos, not_names, latin_only, between = rule
        taken = covered(cands)
        out = list(cands)
        for c in cands:
            k = c.end + (c.end < len(words) and words[c.end] in between)  # `« کتی تور » ( Katy Tur )`
            if c.type not in types or k >= len(words) or words[k] != opening:
                continue
            k += 1
            end = next((e for e in range(k, min(len(words), k + most + 1)) if words[e] == closing), None)
            if end is None or end == k:
                continue
            same = end - k == 1 or c.type in latin_only  # an acronym, a short form, a name in Latin letters
            filled = next((o for o in out if (o.start, o.end) == (k, end)), None)
            if filled is not None:
                if same and filled.type == c.type and c.canonical and not filled.canonical \
                        and filled.layer in ("model", "propagated"):
                    filled.canonical, filled.name = c.canonical, c.name
                continue
            if any(e in taken for e in range(k, end)) or not self._alias_words(
                    words[k:end], tags[k:end] if tags else None, c.type in latin_only, upos, not_names):
                continue
            out.append(Candidate(k, end, c.type, c.canonical if same else None, c.name if same else None,
                                 f"rule:{self.lang}/actor/bracket-alias",
                                 round(min(0.8, c.confidence), 3), country=c.country, layer="rule"))
            taken.update(range(k, end))
        out.sort(key=lambda c: c.start)
        return out

    def _alias_words(self, inner: list[str], tags: list[str] | None, latin_only: bool, upos: set[str],
                     not_names: set[str]) -> bool:
        """Words in brackets that can be a name said again: no stop word, number or lone letter
        (`( در شمال )`, `( 2016 )`, `( K )`), no honorific (`( عج )`), not a mix of scripts
        (`( تولیدکننده XBOX )`); capitalized Latin words where only those count (a person's
        name), else one or two words of the text's script that are no common words and are
        tagged as names or nouns (`( دوره‌های دوم )` is not)."""
        keyer = self.gaz.keyer
        if (any(keyer.token(w) in self.gaz.name_stops or any(ch.isdigit() for ch in w) or len(w) < 2 for w in inner)
                or keyer.form(" ".join(inner)) in not_names):
            return False
        latin = [w.isascii() for w in inner]
        if all(latin):
            return not latin_only or all(w[:1].isupper() for w in inner)
        return (not any(latin) and not latin_only and len(inner) <= 2 and not any(w in self.common for w in inner)
                and not (tags and any(t not in upos for t in tags)))

    def counted_persons(self, cands: list[Candidate], words: list[str]) -> list[Candidate]:
        """`یک روحانی`, `هزار نفر روحانی`: a one-word person right after a word that counts
        people (`person_counters`) is a counted common noun (a cleric, not Hassan Rouhani),
        no actor."""
        if not self._counters:
            return cands
        keyer = self.gaz.keyer
        return [c for c in cands if not (c.type == "PER" and c.end - c.start == 1 and not c.trim and c.start > 0
                                         and keyer.token(words[c.start - 1]) in self._counters)]

    def _state(self, key: str) -> str | None:
        """The country id a lexicon key names, if it names a state."""
        entry = self.gaz.entries.get(key)
        return entry.id if entry is not None and entry.type == "GPE" and entry.country == entry.id else None

    def groups_alone(self, cands: list[Candidate], words: list[str]) -> list[Candidate]:
        """`الطلبة`, `للمراقبين`, `المرشحين`: a definite plural noun of people (`groups_alone`:
        a class of `model_hints` with the article) that nothing else covers is a group,
        NORP, its joined proclitic outside; not after a title or a body's kind word that it
        completes (`رئيس الوزراء`, `مجلس النواب`)."""
        if not self._groups_alone:
            return cands
        taken = covered(cands)
        out = list(cands)
        for k, word in enumerate(words):
            if k in taken:
                continue
            trim = next((t for t, key in readings(self.gaz, word) if key in self._groups_alone), None)
            if trim is None or (k > 0 and self._heads_word(words[k - 1], word)):
                continue  # none, or part of an office or a body's name: `رئيس الوزراء`, `مجلس النواب`
            out.append(Candidate(k, k + 1, "NORP", None, None, f"rule:{self.lang}/actor/group-alone", 0.6, trim,
                                 layer="rule"))
        out.sort(key=lambda c: c.start)
        return out

    def _heads_word(self, before: str, word: str) -> bool:
        """`before` is a title or a body's kind word that `word` completes (`رئيس الوزراء`)."""
        keys = [key for _, key in readings(self.gaz, before)]
        kinds = self._kind_rule["heads"] if self._kind_rule else set()
        return any(key in self.gaz.titles or key in kinds or key in self.gaz.organization_heads
                   or key + self.gaz.keyer.token(word) in self.gaz.titles for key in keys)

    def topic_names(self, sentences) -> None:
        """`استقلال` is independence, but in a football report the club: in a document
        with at least `least_cues` words of a topic of `topic_names` (`بازی`, `سرمربی`,
        `لیگ`; `least_distinct_cues` of them different), its names are actors where nothing else covers them, and a mention of exactly
        such a name takes its id (`بارسلونا`: the club, not the city); elsewhere the model's
        mention of one alone is dropped (`استقلال کشور`)."""
        keyed = [[self.gaz.keyer.token(w) for w in words] for _, words, _ in sentences] if self._topics else []
        for cues, least, distinct, names in self._topics:
            seen = [k for keys in keyed for k in keys if k in cues]
            on_topic = len(seen) >= least and len(set(seen)) >= distinct  # not `بازی سیاسی` three times
            longest = max(map(len, names))
            for (_, _, cands), keys in zip(sentences, keyed):
                for c in list(cands):
                    ident = names.get(tuple(keys[c.start:c.end])) if not c.trim else None
                    if ident and on_topic:  # the club, also where the gazetteer read its city
                        info = self.gaz.ids[ident]
                        c.type, c.canonical, c.country = info["type"], ident, info.get("country")
                        c.name = info.get("name", ident)
                        if c.layer == "gazetteer":
                            c.source = f"rule:{self.lang}/actor/topic-name"
                    elif ident and c.layer in ("model", "propagated"):
                        cands.remove(c)
                if not on_topic:
                    continue
                taken = covered(cands)
                for i in range(len(keys)):
                    for n in range(min(longest, len(keys) - i), 0, -1):
                        ident = names.get(tuple(keys[i:i + n]))
                        if ident and not taken & set(range(i, i + n)):
                            info = self.gaz.ids[ident]
                            cands.append(Candidate(i, i + n, info["type"], ident, info.get("name", ident),
                                                   f"rule:{self.lang}/actor/topic-name", 0.7,
                                                   country=info.get("country"), layer="rule"))
                            taken.update(range(i, i + n))
                            break
                cands.sort(key=lambda c: c.start)
