"""Hand annotation (gold, v1) of the two seed documents, kept as data.

Run:  .venv/bin/python corpus/annotate_seeds.py
Writes corpus/fa/us-pakistan-relations.json and corpus/ar/us-pakistan-relations.json
(extract/1, see ../shared/spec/document-format.md and event-types.md).

How the data is written
-----------------------
Every span is given as (surface string copied exactly from the raw text, n) = the n-th
occurrence (1-based, counting overlapping occurrences, no normalisation) of that string in
the raw text read with open(p, encoding="utf-8-sig", newline="").  Each item also names
the sentence it must fall in; the script fails if it does not (a guard against a wrong n).
Events refer to dates / amounts / actors by the same (string, n) key.  Ids are assigned in
text order: d1.. (dates), m1.. (amounts), a1.. (actors), e1.. (events, by trigger start).

Sentences: split the raw text at . ! ؟ ? followed by whitespace and at every line break;
each sentence is [start, end) with surrounding whitespace stripped (the final punctuation
is inside).  The Arabic text has machine-translation breaks ("الولايات المتحدة. الدول",
"في العراق. أفغانستان") that split sentences mid-phrase; the rule is applied literally.

Conventions chosen (where the spec leaves room)
-----------------------------------------------
DATES
* A leading preposition / prepositional signal is outside the span: در, از, تا, في, من,
  منذ, اعتبارًا من, بعد, خلال, and the joined ل of لعام (-> span عام 2016).  So
  "منذ 1948 - 2016" -> "1948 - 2016" (one DATE, value 1948/2016); "من 1979 إلى 1989" ->
  "1979 إلى 1989" (1979/1989); "بعد شهرين وستة أيام" -> "شهرين وستة أيام" (DURATION P2M6D);
  "منذ عام 2002" -> "عام 2002" with modifier null (since/from/as-of are signals, like
  TimeML SIGNALs, not modifiers).  modifier is used only for in-span words (اوايل -> early).
* The calendar-unit noun is inside the span: "سال ۱۹۵۰", "عام 1990".  A bare year is a
  DATE too ("جنگ ۱۹۷۱" -> "۱۹۷۱", "(2005)" -> "2005").
* Durations: "۱۵ سال" (the demonstrative اين before it is outside) -> P15Y.
* "سنوية" (annual, in "منح سنوية") is a SET, value P1Y (like سنويا in the spec).
* "اليوم" in "وحتى اليوم" (even today) is a relative DATE, value null (reference_date is
  null), granularity day, relative true.
* Not dates: event-anchored phrases ("پس از پايان جنگ جهانى دوم", "تا زمان خروج نيروهاى
  شوروى"), vague adverbs (بعدها later, مجدداً / مرة أخرى again), "لأول مرة".
* All dates are Gregorian; granularity of a range or duration is its finest unit.
AMOUNTS
* Span = number + scale words + unit/currency/counted noun as written; approximation words
  (ما يقرب من, ما يقدر بـ, حوالي, معادل) are outside the span and only set approx
  (معادل "equivalent to" is not an approximation).
* Persian "/" between digits is the decimal separator, read in logical (memory) order:
  "۲/۱ ميليارد" -> 2100000000 (as in the spec), "۲/۳ ميليارد" -> 2300000000.
* دلار / دولار -> USD (the texts are about US aid).  Percent: value is the number (59).
* Counts with a numeral and their noun are QUANTITY, unit = the noun's lemma in the
  document's language, in standard orthography (Persian ی/ک, ZWNJ): "دو کشور" -> 2 کشور,
  "دو هم پيمان" -> 2 هم‌پیمان, "39 دولة" -> 39 دولة, "554202 أمريكيًا" -> أمريكي (span as
  in the spec example, without the following باكستانيًا).  Not amounts: years, ordinals
  (نخستين, جنگ جهانى دوم, ثاني أكبر), the article يک / "one of" (يکى از, واحدة من),
  "هر دو" (both) with no counted noun, the adjective "دو جانبه" (bilateral), Arabic duals
  (البلدين, شهرين - the latter is inside a DURATION).
* The bare Pew favourability figures "23" and "10" (s20 of ar) are QUANTITY, unit null:
  they are percentages in substance but no unit is written.
ACTORS
* Separable clitics are outside the span: prepositions و/ب/ل/ف joined to the word
  ("لباكستان" -> "باكستان", "وجمهورية ..." -> "جمهورية ...").  When ل + the article ال
  contract ("للولايات المتحدة", "للهند", "للأمريكيين"), only the preposition's ل is removed,
  so the span keeps the article's ل: "لولايات المتحدة", "لهند", "لأمريكيين".
* Titles are outside PER spans (الرئيس, رئيس الوزراء, نخست وزير, الملا): "فضل الله".
* Multi-word names are one mention ("سازمان پيمان جنوب شرقى آسيا", "کنگرهٔ آمريکا",
  "الكونجرس الأمريكي", "البرلمان الباكستاني", "طالبان الأفغان", "اتحاد جماهير شوروى",
  "پاکستان شرقي"); names nested inside another mention are not annotated separately
  (آمريکا inside کنگرهٔ آمريکا, كويتا inside شورى كويتا, آسيا inside the SEATO name).
  A descriptive head noun is left out when the name stands alone after it: "پيمان سيتو"
  -> "سيتو", "مدينة كراتشي" -> "كراتشي", "حكومة الولايات المتحدة" -> "الولايات المتحدة";
  but "پيمان بغداد" (Baghdad Pact) is itself the name.
* Countries: ISO 3166-1 alpha-3 (PAK USA IND IRN TUR CHN AFG GBR for انگليس, BGD JOR
  SOM BIH IRQ, SUN for the Soviet Union / شوروى).  Historical or sub-national places get
  an English name (British India, East Pakistan, Islamabad, Karachi, Lahore, Salala).
  SEATO and CENTO (= Baghdad Pact = سنتو = سازمان پيمان مرکزي) are ORG.
* NORP: every demonym / nationality / religious-group word, nominal or adjectival
  ("الباكستانيين", "المسؤولون الباكستانيون" -> "الباكستانيون", "السوق الباكستاني" ->
  "الباكستاني", "الخدمات الأمريكية" -> "الأمريكية", "الحرب السوفيتية الأفغانية" -> two NORP),
  unless it is part of a larger name (الكونجرس الأمريكي, البرلمان الباكستاني, طالبان
  الأفغان, الولايات المتحدة الأمريكية).  NORP canonical ids are English plural group names
  (Pakistanis, Americans, Afghans, Soviets, Muslims, Afghan mujahideen, Pakistani
  Americans); "مجاهدان افغانى" / "المجاهدين الأفغان" are one NORP mention each.
* Not actors: pronouns and descriptions without a name (اين کشور, البلدين, الدول,
  رئيس جمهور پاکستان as a whole - only پاکستان in it is annotated), ideologies (کمونيسم),
  event names (جنگ جهانى دوم, انقلاب اسلامى) and the treaty name "موافقتنامه همکارى دفاعى
  دو جانبه" (a document, not an actor of the five types).
EVENTS
* One event per event mention; a repeated mention of the same real-world event in another
  sentence is annotated again (fa s13 and s14: the 1971 war), because scoring matches
  events by sentence and type.  Within one sentence, one event per type+act.
* trigger = the shortest word/phrase stating the act (contiguous).
* date: the dates item syntactically attached to the event's clause; null when the only
  date in the sentence belongs to another clause (e.g. "after this trip ... was announced"
  gets null, not 1953).  A DURATION is linked when it is the event's only time frame
  (fa "طى اين ۱۵ سال" -> P15Y).
* agents/targets: mentions in the same sentence; when the sentence names the actor only by
  pronoun or description (اين کشور, دو کشور, البلدين), the nearest mention of that actor in
  the same paragraph (at most 3 sentences away) is used; if there is none, the list is left
  empty (ar s11: drone strikes "by the two countries", friendly fire, the spy's arrest).
  Mutual acts (signing, war, cooperation, mutual criticism) put all parties in agents.
* Statements of fact, states and capabilities are not events (largest market, is an ally
  since 2002, hosts an embassy, polls, population figures, "could benefit from the help of
  its two allies", training "has been" an aspect of relations, independence/partition,
  collapse of the USSR, renaming the Baghdad Pact).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from extract.document import Document, sha256_text  # noqa: E402

DOC = "us-pakistan-relations"
G = "gregorian"

# Canonical id -> (type, English display name).  Shared by both documents so the same actor
# always gets the same id, type and name.
CANON = {
    "PAK": ("GPE", "Pakistan"),
    "USA": ("GPE", "United States"),
    "IND": ("GPE", "India"),
    "IRN": ("GPE", "Iran"),
    "TUR": ("GPE", "Turkey"),
    "CHN": ("GPE", "China"),
    "AFG": ("GPE", "Afghanistan"),
    "GBR": ("GPE", "United Kingdom"),
    "SUN": ("GPE", "Soviet Union"),
    "BGD": ("GPE", "Bangladesh"),
    "JOR": ("GPE", "Jordan"),
    "SOM": ("GPE", "Somalia"),
    "BIH": ("GPE", "Bosnia and Herzegovina"),
    "IRQ": ("GPE", "Iraq"),
    "East Pakistan": ("GPE", "East Pakistan"),
    "British India": ("GPE", "British India"),
    "Islamabad": ("GPE", "Islamabad"),
    "Karachi": ("GPE", "Karachi"),
    "Lahore": ("GPE", "Lahore"),
    "Salala": ("GPE", "Salala"),
    "South and Central Asia": ("LOC", "South and Central Asia"),
    "Eastern Europe": ("LOC", "Eastern Europe"),
    "SEATO": ("ORG", "Southeast Asia Treaty Organization (SEATO)"),
    "CENTO": ("ORG", "Central Treaty Organization (CENTO, Baghdad Pact)"),
    "NATO": ("ORG", "NATO"),
    "United States Congress": ("ORG", "United States Congress"),
    "Parliament of Pakistan": ("ORG", "Parliament of Pakistan"),
    "Afghan Taliban": ("ORG", "Afghan Taliban"),
    "Quetta Shura": ("ORG", "Quetta Shura"),
    "Pew Research Center": ("ORG", "Pew Research Center"),
    "Liaquat Ali Khan": ("PER", "Liaquat Ali Khan"),
    "Osama bin Laden": ("PER", "Osama bin Laden"),
    "Fazlullah": ("PER", "Mullah Fazlullah"),
    "Imran Khan": ("PER", "Imran Khan"),
    "Donald Trump": ("PER", "Donald Trump"),
    "Pakistanis": ("NORP", "Pakistanis"),
    "Americans": ("NORP", "Americans"),
    "Afghans": ("NORP", "Afghans"),
    "Soviets": ("NORP", "Soviets"),
    "Muslims": ("NORP", "Muslims"),
    "Afghan mujahideen": ("NORP", "Afghan mujahideen"),
    "Pakistani Americans": ("NORP", "Pakistani Americans"),
}

# ---------------------------------------------------------------------------------------
# Persian
# ---------------------------------------------------------------------------------------
FA = {
    # (text, n, sentence, type, value, granularity, modifier, relative)
    "dates": [
        ("سپتامبر ۱۹۵۴", 1, 0, "DATE", "1954-09", "month", None, False),
        ("اوايل ۱۹۵۵", 1, 0, "DATE", "1955", "year", "early", False),
        ("سال ۱۹۵۰", 1, 5, "DATE", "1950", "year", None, False),
        ("سال ۱۹۵۳", 1, 6, "DATE", "1953", "year", None, False),
        ("مه ۱۹۵۴", 1, 6, "DATE", "1954-05", "month", None, False),
        ("سال ۱۹۵۶", 1, 7, "DATE", "1956", "year", None, False),
        ("سال ۱۹۶۲", 1, 8, "DATE", "1962", "year", None, False),
        ("سال ۱۹۶۵", 1, 9, "DATE", "1965", "year", None, False),
        ("۱۵ سال", 1, 10, "DURATION", "P15Y", "year", None, False),
        ("سال ۱۹۶۶", 1, 12, "DATE", "1966", "year", None, False),
        ("۱۹۷۱", 1, 13, "DATE", "1971", "year", None, False),
        ("نوامبر ۱۹۷۳", 1, 14, "DATE", "1973-11", "month", None, False),
        ("سال ۱۹۷۴", 1, 15, "DATE", "1974", "year", None, False),
        ("سال ۱۹۷۹", 1, 18, "DATE", "1979", "year", None, False),
        ("سال ۱۹۷۹", 2, 19, "DATE", "1979", "year", None, False),
    ],
    # (text, n, sentence, type, value, unit, approx, upper)
    "amounts": [
        ("دو هم پيمان", 1, 2, "QUANTITY", 2, "هم‌پیمان", False, None),
        ("۲۵۰ ميليون دلارى", 1, 6, "MONEY", 250_000_000, "USD", False, None),
        ("دو کشور", 1, 7, "QUANTITY", 2, "کشور", False, None),
        ("۲/۱ ميليارد دلار", 1, 10, "MONEY", 2_100_000_000, "USD", False, None),
        ("دو کشور", 2, 11, "QUANTITY", 2, "کشور", False, None),
        ("۲/۳ ميليارد دلارى", 1, 20, "MONEY", 2_300_000_000, "USD", False, None),
    ],
    # (text, n, sentence, canonical)
    "actors": [
        ("پاکستان", 1, 0, "PAK"),
        ("سازمان پيمان جنوب شرقى آسيا", 1, 0, "SEATO"),
        ("سيتو", 1, 0, "SEATO"),
        ("پيمان بغداد", 1, 0, "CENTO"),
        ("پاکستان", 2, 1, "PAK"),
        ("هند", 1, 1, "IND"),
        ("پيمان بغداد", 2, 2, "CENTO"),
        ("سنتو", 1, 2, "CENTO"),
        ("سازمان پيمان مرکزي", 1, 2, "CENTO"),
        ("پاکستان", 3, 2, "PAK"),
        ("ايران", 1, 2, "IRN"),
        ("ترکيه", 1, 2, "TUR"),
        ("آمريکا", 1, 3, "USA"),
        ("شوروى", 1, 3, "SUN"),
        ("پاکستان", 4, 4, "PAK"),
        ("لياقت علىخان", 1, 5, "Liaquat Ali Khan"),
        ("پاکستان", 5, 5, "PAK"),
        ("آمريکا", 2, 5, "USA"),
        ("پاکستان", 6, 6, "PAK"),
        ("آمريکا", 3, 6, "USA"),
        ("آمريکا", 4, 6, "USA"),
        ("پاکستان", 7, 6, "PAK"),
        ("آمريکا", 5, 6, "USA"),
        ("پاکستان", 8, 6, "PAK"),
        ("آمريکا", 6, 7, "USA"),
        ("هند", 2, 8, "IND"),
        ("چين", 1, 8, "CHN"),
        ("آمريکا", 7, 8, "USA"),
        ("پاکستان", 9, 8, "PAK"),
        ("انگليس", 1, 9, "GBR"),
        ("آمريکا", 8, 9, "USA"),
        ("هند", 3, 9, "IND"),
        ("پاکستان", 10, 9, "PAK"),
        ("آمريکا", 9, 10, "USA"),
        ("پاکستان", 11, 10, "PAK"),
        ("پاکستان", 12, 11, "PAK"),
        ("آمريکا", 10, 11, "USA"),
        ("انگليس", 2, 12, "GBR"),
        ("آمريکا", 11, 12, "USA"),
        ("پاکستان", 13, 13, "PAK"),
        ("هند", 4, 13, "IND"),
        ("بنگلادش", 1, 13, "BGD"),
        ("مسلمانى", 1, 13, "Muslims"),
        ("پاکستان", 14, 13, "PAK"),
        ("ايران", 2, 13, "IRN"),
        ("ترکيه", 2, 13, "TUR"),
        ("اردن", 1, 13, "JOR"),
        ("سيتو", 2, 14, "SEATO"),
        ("پاکستان", 15, 14, "PAK"),
        ("هند", 5, 14, "IND"),
        ("پاکستان شرقي", 1, 14, "East Pakistan"),
        ("پاکستان", 17, 14, "PAK"),
        ("هند", 6, 15, "IND"),
        ("پاکستان", 18, 15, "PAK"),
        ("پاکستان", 19, 16, "PAK"),
        ("چين", 2, 16, "CHN"),
        ("آمريکا", 12, 17, "USA"),
        ("پاکستان", 20, 18, "PAK"),
        ("ايران", 3, 18, "IRN"),
        ("سنتو", 2, 18, "CENTO"),
        ("افغانستان", 1, 19, "AFG"),
        ("شوروى", 2, 19, "SUN"),
        ("کنگرهٔ آمريکا", 1, 19, "United States Congress"),
        ("پاکستان", 21, 19, "PAK"),
        ("پاکستان", 22, 19, "PAK"),
        ("پاکستان", 23, 20, "PAK"),
        ("شوروى", 3, 21, "SUN"),
        ("افغانستان", 2, 21, "AFG"),
        ("پاکستان", 24, 21, "PAK"),
        ("مجاهدان افغانى", 1, 21, "Afghan mujahideen"),
        ("پاکستان", 25, 21, "PAK"),
        ("افغانستان", 3, 22, "AFG"),
        ("اتحاد جماهير شوروى", 1, 22, "SUN"),
        ("پاکستان", 26, 22, "PAK"),
        ("آمريکا", 14, 22, "USA"),
    ],
    "events": [
        dict(s=0, type="COOPERATE", sub="join_alliance", trig=("عضويت", 1),
             date=("سپتامبر ۱۹۵۴", 1), agents=[("پاکستان", 1)],
             targets=[("سازمان پيمان جنوب شرقى آسيا", 1)]),
        dict(s=0, type="COOPERATE", sub="join_alliance", trig=("عضو", 2),
             date=("اوايل ۱۹۵۵", 1), agents=[("پاکستان", 1)], targets=[("پيمان بغداد", 1)]),
        # "these pacts ... were backed by America": verbal/political backing of SEATO, CENTO
        dict(s=3, type="SUPPORT", sub="endorse", trig=("حمايت", 1),
             agents=[("آمريکا", 1)], targets=[("سيتو", 1), ("پيمان بغداد", 2)]),
        # "this country tried to obtain military aid from various countries"
        dict(s=4, type="REQUEST", sub="request_aid", trig=("سعى مىکرد", 1),
             agents=[("پاکستان", 4)]),
        dict(s=5, type="CONSULT", sub="visit", trig=("سفر کرد", 1), date=("سال ۱۹۵۰", 1),
             agents=[("لياقت علىخان", 1)], targets=[("آمريکا", 2)]),
        dict(s=6, type="CONSULT", sub="visit", trig=("ديدار نمود", 1), date=("سال ۱۹۵۳", 1),
             agents=[("پاکستان", 6)], targets=[("آمريکا", 3)]),
        # granting announced "after this trip": no date of its own
        dict(s=6, type="AID", sub="military_aid", trig=("کمک نظامى", 1),
             agents=[("آمريکا", 4)], targets=[("پاکستان", 7)],
             amounts=[("۲۵۰ ميليون دلارى", 1)]),
        dict(s=6, type="SUPPORT", sub="sign_agreement", trig=("به امضاء رسيد", 1),
             date=("مه ۱۹۵۴", 1), agents=[("آمريکا", 5), ("پاکستان", 8)]),
        dict(s=7, type="AID", sub="military_aid", trig=("ارسال", 1), date=("سال ۱۹۵۶", 1),
             agents=[("آمريکا", 6)], targets=[("پاکستان", 8)]),
        # "numerous agreements were signed between the two countries"
        dict(s=7, type="SUPPORT", sub="sign_agreement", trig=("به امضاء رسيد", 2),
             agents=[("آمريکا", 6), ("پاکستان", 8)]),
        dict(s=8, type="ASSAULT", sub="war", trig=("جنگ", 2), date=("سال ۱۹۶۲", 1),
             agents=[("هند", 2), ("چين", 1)]),
        # "US-Pakistan military cooperation decreased" (after the 1962 war: no own date)
        dict(s=8, type="SANCTION", sub="reduce_cooperation", trig=("کاهش يافت", 1),
             agents=[("آمريکا", 7), ("پاکستان", 9)]),
        dict(s=9, type="SANCTION", sub="arms_embargo", trig=("تحريم تسليحاتى کردند", 1),
             date=("سال ۱۹۶۵", 1), agents=[("انگليس", 1), ("آمريکا", 8)],
             targets=[("هند", 3), ("پاکستان", 10)]),
        dict(s=10, type="AID", sub="military_aid", trig=("گذاشته بود", 1),
             date=("۱۵ سال", 1), agents=[("آمريکا", 9)], targets=[("پاکستان", 11)],
             amounts=[("۲/۱ ميليارد دلار", 1)]),
        dict(s=12, type="RETREAT", sub="lift_sanctions", trig=("لغو کرد", 1),
             date=("سال ۱۹۶۶", 1), agents=[("انگليس", 2)],
             targets=[("هند", 3), ("پاکستان", 10)]),
        # partial lifting (spare parts only)
        dict(s=12, type="RETREAT", sub="lift_sanctions", trig=("برداشت", 1),
             date=("سال ۱۹۶۶", 1), agents=[("آمريکا", 11)],
             targets=[("هند", 3), ("پاکستان", 10)]),
        dict(s=13, type="ASSAULT", sub="war", trig=("جنگ", 3), date=("۱۹۷۱", 1),
             agents=[("پاکستان", 13), ("هند", 4)]),
        dict(s=13, type="AID", sub="military_aid", trig=("قرار دادند", 1), date=("۱۹۷۱", 1),
             agents=[("ايران", 2), ("ترکيه", 2), ("اردن", 1)], targets=[("پاکستان", 14)]),
        # "the non-assistance of SEATO and its members to Pakistan in the war with India"
        dict(s=14, type="AID", sub="military_aid", trig=("عدم مساعدت", 1), negated=True,
             agents=[("سيتو", 2)], targets=[("پاکستان", 15)]),
        dict(s=14, type="ASSAULT", sub="war", trig=("جنگ", 4),
             agents=[("پاکستان", 15), ("هند", 5)]),
        dict(s=14, type="SANCTION", sub="leave_alliance", trig=("خارج شد", 1),
             date=("نوامبر ۱۹۷۳", 1), agents=[("پاکستان", 17)], targets=[("سيتو", 2)]),
        dict(s=15, type="MOBILIZE", sub="nuclear_test", trig=("انفجار بمب اتمى", 1),
             date=("سال ۱۹۷۴", 1), agents=[("هند", 6)]),
        # "Pakistan turned to China to obtain nuclear weapons"
        dict(s=16, type="REQUEST", sub="request_aid", trig=("متوسل شود", 1),
             agents=[("پاکستان", 19)], targets=[("چين", 2)]),
        # "America again found a pretext to cut its military aid"
        dict(s=17, type="SANCTION", sub="cut_aid", trig=("قطع", 1),
             agents=[("آمريکا", 12)], targets=[("پاکستان", 19)]),
        dict(s=18, type="SANCTION", sub="leave_alliance", trig=("خروج", 1),
             date=("سال ۱۹۷۹", 1), agents=[("پاکستان", 20), ("ايران", 3)],
             targets=[("سنتو", 2)]),
        dict(s=19, type="ASSAULT", sub="occupation", trig=("اشغال نظامى", 1),
             date=("سال ۱۹۷۹", 2), agents=[("شوروى", 2)], targets=[("افغانستان", 1)]),
        # the earlier ban on military aid (the phrase is duplicated in the raw text: one event)
        dict(s=19, type="SANCTION", sub="cut_aid", trig=("منع", 1),
             agents=[("کنگرهٔ آمريکا", 1)], targets=[("پاکستان", 21)]),
        dict(s=19, type="RETREAT", sub="lift_sanctions", trig=("لغو کرد", 2),
             agents=[("کنگرهٔ آمريکا", 1)], targets=[("پاکستان", 21)]),
        # economic-military aid; the giver is America (named in s22)
        dict(s=20, type="AID", sub="military_aid", trig=("اعطاى", 1),
             agents=[("آمريکا", 14)], targets=[("پاکستان", 23)],
             amounts=[("۲/۳ ميليارد دلارى", 1)]),
        dict(s=21, type="AID", sub="military_aid", trig=("ادامه داشت", 1),
             agents=[("آمريکا", 14)], targets=[("پاکستان", 24), ("مجاهدان افغانى", 1)]),
        dict(s=21, type="RETREAT", sub="withdraw_forces", trig=("خروج", 2),
             agents=[("شوروى", 3)], targets=[("افغانستان", 2)]),
        dict(s=22, type="RETREAT", sub="withdraw_forces", trig=("خروج", 3),
             agents=[("اتحاد جماهير شوروى", 1)], targets=[("افغانستان", 3)]),
        dict(s=22, type="SANCTION", sub="cut_aid", trig=("قطع گرديد", 1),
             agents=[("آمريکا", 14)], targets=[("پاکستان", 26)]),
    ],
}

# ---------------------------------------------------------------------------------------
# Arabic
# ---------------------------------------------------------------------------------------
AR = {
    "dates": [
        ("20 أكتوبر 1947", 1, 1, "DATE", "1947-10-20", "day", None, False),
        ("شهرين وستة أيام", 1, 1, "DURATION", "P2M6D", "day", None, False),
        ("1948 - 2016", 1, 3, "DATE", "1948/2016", "year", None, False),
        ("عام 2016", 1, 3, "DATE", "2016", "year", None, False),
        ("سنوية", 1, 3, "SET", "P1Y", "year", None, False),
        ("1979 إلى 1989", 1, 6, "DATE", "1979/1989", "year", None, False),
        ("عام 1990", 1, 7, "DATE", "1990", "year", None, False),
        ("عام 1994", 1, 8, "DATE", "1994", "year", None, False),
        ("عام 1998", 1, 8, "DATE", "1998", "year", None, False),
        ("عام 2001", 1, 8, "DATE", "2001", "year", None, False),
        ("عام 2013", 1, 12, "DATE", "2013", "year", None, False),
        ("عام 2002", 1, 13, "DATE", "2002", "year", None, False),
        ("اليوم", 1, 14, "DATE", None, "day", None, True),
        ("21 يوليو 2019", 1, 16, "DATE", "2019-07-21", "day", None, False),
        ("عام 2014", 1, 18, "DATE", "2014", "year", None, False),
        ("عام 2012", 1, 18, "DATE", "2012", "year", None, False),
        ("2005", 1, 20, "DATE", "2005", "year", None, False),
        ("2002", 2, 20, "DATE", "2002", "year", None, False),
        ("1999-2013", 1, 20, "DATE", "1999/2013", "year", None, False),
    ],
    "amounts": [
        ("78.3 مليار دولار أمريكي", 1, 3, "MONEY", 78_300_000_000, "USD", True, None),
        ("59٪", 1, 18, "PERCENT", 59, "%", False, None),
        ("74٪", 1, 18, "PERCENT", 74, "%", False, None),
        ("39 دولة", 1, 19, "QUANTITY", 39, "دولة", False, None),
        ("23", 1, 20, "QUANTITY", 23, None, False, None),
        ("10", 1, 20, "QUANTITY", 10, None, False, None),
        ("554202 أمريكيًا", 1, 21, "QUANTITY", 554202, "أمريكي", True, None),
        ("52486 أمريكيًا", 1, 21, "QUANTITY", 52486, "أمريكي", True, None),
    ],
    "actors": [
        ("الولايات المتحدة الأمريكية", 1, 0, "USA"),
        ("جمهورية باكستان الإسلامية", 1, 0, "PAK"),
        ("باكستان", 2, 1, "PAK"),
        ("الهند البريطانية", 1, 1, "British India"),
        ("الولايات المتحدة", 2, 1, "USA"),
        ("باكستان", 3, 1, "PAK"),
        ("الولايات المتحدة", 3, 2, "USA"),
        ("جنوب ووسط آسيا", 1, 2, "South and Central Asia"),
        ("أوروبا الشرقية", 1, 2, "Eastern Europe"),
        ("الولايات المتحدة", 4, 3, "USA"),
        ("باكستان", 4, 3, "PAK"),
        ("باكستان", 5, 4, "PAK"),
        ("الأمريكية", 2, 4, "Americans"),
        ("الصين", 1, 5, "CHN"),
        ("الباكستاني", 1, 5, "Pakistanis"),
        ("الولايات المتحدة", 5, 5, "USA"),
        ("باكستان", 7, 5, "PAK"),
        ("باكستان", 8, 5, "PAK"),
        ("الولايات المتحدة", 6, 6, "USA"),
        ("باكستان", 9, 6, "PAK"),
        ("المجاهدين الأفغان", 1, 6, "Afghan mujahideen"),
        ("الاتحاد السوفيتي", 1, 6, "SUN"),
        ("السوفيتية", 1, 6, "Soviets"),
        ("الأفغانية", 1, 6, "Afghans"),
        ("الولايات المتحدة", 7, 6, "USA"),
        ("الباكستانيون", 1, 7, "Pakistanis"),
        ("لهند", 2, 7, "IND"),
        ("باكستان", 11, 8, "PAK"),
        ("الولايات المتحدة", 8, 8, "USA"),
        ("الصومال", 1, 8, "SOM"),
        ("البوسنة", 1, 8, "BIH"),
        ("الولايات المتحدة", 9, 8, "USA"),
        ("الهند", 2, 8, "IND"),
        ("الولايات المتحدة", 10, 8, "USA"),
        ("أفغانستان", 1, 8, "AFG"),
        ("الأفغانية", 2, 9, "Afghans"),
        ("الأمريكيون", 1, 10, "Americans"),
        ("الكونجرس الأمريكي", 1, 10, "United States Congress"),
        ("باكستان", 12, 10, "PAK"),
        ("أسامة بن لادن", 1, 10, "Osama bin Laden"),
        ("طالبان الأفغان", 1, 10, "Afghan Taliban"),
        ("شورى كويتا", 1, 10, "Quetta Shura"),
        ("البرلمان الباكستاني", 1, 10, "Parliament of Pakistan"),
        ("لأمريكيين", 1, 10, "Americans"),
        ("أفغانستان", 2, 10, "AFG"),
        ("فضل الله", 1, 10, "Fazlullah"),
        ("باكستان", 14, 10, "PAK"),
        ("صلالة", 1, 11, "Salala"),
        ("لاهور", 1, 11, "Lahore"),
        ("باكستان", 15, 13, "PAK"),
        ("الأمريكية", 3, 13, "Americans"),
        ("الناتو", 1, 13, "NATO"),
        ("الولايات المتحدة", 11, 14, "USA"),
        ("باكستان", 16, 14, "PAK"),
        ("الولايات المتحدة", 12, 14, "USA"),
        ("باكستان", 17, 14, "PAK"),
        ("الصين", 2, 14, "CHN"),
        ("باكستان", 18, 14, "PAK"),
        ("باكستان", 19, 15, "PAK"),
        ("الولايات المتحدة", 13, 15, "USA"),
        ("إسلام أباد", 1, 15, "Islamabad"),
        ("كراتشي", 1, 15, "Karachi"),
        ("الباكستاني", 4, 16, "Pakistanis"),
        ("لولايات المتحدة", 14, 16, "USA"),
        ("عمران خان", 1, 16, "Imran Khan"),
        ("دونالد ترامب", 1, 16, "Donald Trump"),
        ("ترامب", 2, 16, "Donald Trump"),
        ("باكستان", 21, 16, "PAK"),
        ("العراق", 1, 16, "IRQ"),
        ("أفغانستان", 3, 17, "AFG"),
        ("باكستان", 22, 17, "PAK"),
        ("الأفغانية", 3, 17, "Afghans"),
        ("الباكستانيين", 1, 18, "Pakistanis"),
        ("الولايات المتحدة", 14, 18, "USA"),
        ("الباكستانيون", 2, 19, "Pakistanis"),
        ("لولايات المتحدة", 16, 19, "USA"),
        ("بيو", 1, 19, "Pew Research Center"),
        ("الأمريكية", 4, 20, "Americans"),
        ("أمريكيًا باكستانيًا", 1, 21, "Pakistani Americans"),
        ("الولايات المتحدة", 15, 21, "USA"),
        ("أمريكيًا", 2, 21, "Americans"),
        ("باكستان", 26, 21, "PAK"),
    ],
    "events": [
        dict(s=0, type="SUPPORT", sub="establish_relations", trig=("تقيم", 1),
             agents=[("الولايات المتحدة الأمريكية", 1), ("جمهورية باكستان الإسلامية", 1)]),
        dict(s=1, type="SUPPORT", sub="establish_relations", trig=("أقامت علاقات", 1),
             date=("20 أكتوبر 1947", 1), agents=[("الولايات المتحدة", 2)],
             targets=[("باكستان", 3)]),
        dict(s=3, type="AID", sub="military_aid", trig=("قدمت", 1), date=("1948 - 2016", 1),
             agents=[("الولايات المتحدة", 4)], targets=[("باكستان", 4)],
             amounts=[("78.3 مليار دولار أمريكي", 1)]),
        dict(s=6, type="COOPERATE", sub="military_cooperation", trig=("تعاونت", 1),
             date=("1979 إلى 1989", 1), agents=[("الولايات المتحدة", 6), ("باكستان", 9)]),
        # funding the Afghan mujahideen (aid to a third party)
        dict(s=6, type="AID", sub="military_aid", trig=("تمويل", 1),
             date=("1979 إلى 1989", 1), agents=[("الولايات المتحدة", 6), ("باكستان", 9)],
             targets=[("المجاهدين الأفغان", 1)]),
        dict(s=6, type="ASSAULT", sub="war", trig=("اشتبكوا", 1), date=("1979 إلى 1989", 1),
             agents=[("المجاهدين الأفغان", 1)], targets=[("الاتحاد السوفيتي", 1)]),
        # unilateral military embargo; its "1990" is syntactically in the next sentence,
        # attached to India's attack (machine-translation order), so no date here
        dict(s=6, type="SANCTION", sub="arms_embargo", trig=("حظر عسكري", 1),
             agents=[("الولايات المتحدة", 7)], targets=[("باكستان", 9)]),
        # "in light of India's larger conventional military attack in 1990" (as written)
        dict(s=7, type="ASSAULT", sub="attack", trig=("الهجوم العسكري", 1),
             date=("عام 1990", 1), agents=[("لهند", 2)]),
        # who lifted is not said; the US is the sanctioning party of the previous sentences
        dict(s=8, type="RETREAT", sub="lift_sanctions", trig=("إلغاء العقوبات", 1),
             date=("عام 1994", 1), agents=[("الولايات المتحدة", 8)],
             targets=[("باكستان", 11)]),
        # Pakistan's readiness to take part with the US in the wars in Somalia and Bosnia
        dict(s=8, type="AGREE", sub="intent_cooperate", trig=("استعداد", 1),
             agents=[("باكستان", 11)], targets=[("الولايات المتحدة", 8)]),
        dict(s=8, type="SANCTION", sub="cut_aid", trig=("علقت", 1), date=("عام 1998", 1),
             agents=[("الولايات المتحدة", 9)], targets=[("باكستان", 11)]),
        dict(s=8, type="SANCTION", sub="impose_sanctions", trig=("فرضت عقوبات", 1),
             date=("عام 1998", 1), agents=[("الولايات المتحدة", 9)],
             targets=[("باكستان", 11), ("الهند", 2)]),
        dict(s=8, type="RETREAT", sub="lift_sanctions", trig=("رفعها", 1),
             date=("عام 2001", 1), agents=[("الولايات المتحدة", 10)],
             targets=[("باكستان", 11), ("الهند", 2)]),
        # mutual criticism: "both sides began criticising each other's strategy"
        dict(s=9, type="ACCUSE", sub="criticize", trig=("انتقاد", 2),
             agents=[("الولايات المتحدة", 10), ("باكستان", 11)],
             targets=[("الولايات المتحدة", 10), ("باكستان", 11)]),
        dict(s=10, type="ACCUSE", sub="accuse", trig=("اتهم", 2),
             agents=[("الأمريكيون", 1), ("الكونجرس الأمريكي", 1)],
             targets=[("باكستان", 12)]),
        dict(s=10, type="ACCUSE", sub="accuse", trig=("اتهامات", 1),
             agents=[("البرلمان الباكستاني", 1)], targets=[("لأمريكيين", 1)]),
        # "drone strikes by the two countries": no named actor in the paragraph for both
        dict(s=11, type="ASSAULT", sub="airstrike", trig=("ضربات", 1)),
        dict(s=11, type="ASSAULT", sub="attack", trig=("نيران صديقة", 1)),
        dict(s=11, type="COERCE", sub="arrest", trig=("اعتقال", 1)),
        # the visitor is the Pakistani prime minister, named in the same sentence
        dict(s=16, type="CONSULT", sub="visit", trig=("زيارة", 1),
             date=("21 يوليو 2019", 1), agents=[("عمران خان", 1)],
             targets=[("لولايات المتحدة", 14)]),
        dict(s=16, type="AGREE", sub="intent_cooperate", trig=("اتفق", 1),
             date=("21 يوليو 2019", 1), agents=[("عمران خان", 1), ("دونالد ترامب", 1)]),
        dict(s=16, type="AGREE", sub="intent_cooperate", trig=("اتفقا", 1),
             date=("21 يوليو 2019", 1), agents=[("عمران خان", 1), ("دونالد ترامب", 1)]),
        dict(s=16, type="SUPPORT", sub="praise", trig=("أشاد", 1), date=("21 يوليو 2019", 1),
             agents=[("ترامب", 2)], targets=[("باكستان", 21)]),
        # Pakistan's participation in the Afghan peace process
        dict(s=17, type="CONSULT", sub="mediate", trig=("مشاركة", 3),
             agents=[("باكستان", 22)]),
    ],
}


# ---------------------------------------------------------------------------------------
# Building and checking
# ---------------------------------------------------------------------------------------
def read_raw(path: Path) -> str:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def split_sentences(raw: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence: breaks after . ! ؟ ? + whitespace and at newlines."""
    spans, start = [], 0
    for match in re.finditer(r"[.!؟?](?=\s)|\n", raw + "\n"):
        end = match.start() if match.group() == "\n" else match.end()
        segment = raw[start:end]
        s = start + len(segment) - len(segment.lstrip())
        e = start + len(segment.rstrip())
        if e > s:
            spans.append((s, e))
        start = end
    return spans


class Annotator:
    def __init__(self, lang: str, raw: str):
        self.lang, self.raw = lang, raw
        self.sentences = split_sentences(raw)
        self.errors: list[str] = []

    def sentence_of(self, offset: int) -> int:
        for index, (s, e) in enumerate(self.sentences):
            if s <= offset < e:
                return index
        return -1

    def locate(self, text: str, n: int, sentence: int | None = None) -> tuple[int, int]:
        """Start/end of the n-th (1-based, overlapping) exact occurrence of text."""
        found, at = 0, self.raw.find(text)
        while at != -1:
            found += 1
            if found == n:
                if sentence is not None and self.sentence_of(at) != sentence:
                    self.errors.append(f"{self.lang}: {text!r}#{n} is in sentence "
                                       f"{self.sentence_of(at)}, not {sentence}")
                return at, at + len(text)
            at = self.raw.find(text, at + 1)
        raise SystemExit(f"{self.lang}: {text!r} occurs {found} times, wanted #{n}")


def build(lang: str, data: dict, raw: str) -> tuple[dict, list[str]]:
    ann = Annotator(lang, raw)
    errors = ann.errors

    def items(rows, make):
        located = []
        for row in rows:
            text, n, sentence = row[0], row[1], row[2]
            start, end = ann.locate(text, n, sentence)
            located.append(((text, n), start, end, make(row)))
        keys = [key for key, *_ in located]
        if len(set(keys)) != len(keys):
            errors.append(f"{lang}: duplicate (text, n) keys")
        located.sort(key=lambda item: (item[1], item[2]))
        for (k1, s1, e1, _), (k2, s2, e2, _) in zip(located, located[1:]):
            if s2 < e1:
                errors.append(f"{lang}: overlapping spans {k1} and {k2}")
        return located

    dates = items(data["dates"], lambda r: dict(
        type=r[3], value=r[4], granularity=r[5], calendar=G, modifier=r[6], relative=r[7]))
    amounts = items(data["amounts"], lambda r: dict(
        type=r[3], value=r[4], unit=r[5], approx=r[6],
        **({"upper": r[7]} if r[7] is not None else {})))
    actors = items(data["actors"], lambda r: dict(
        type=CANON[r[3]][0], canonical=r[3], name=CANON[r[3]][1]))

    ids: dict[str, dict] = {}
    out: dict[str, list] = {}
    for name, prefix, located in (("dates", "d", dates), ("amounts", "m", amounts),
                                  ("actors", "a", actors)):
        ids[name], out[name] = {}, []
        for number, (key, start, end, fields) in enumerate(located, 1):
            item_id = f"{prefix}{number}"
            ids[name][key] = item_id
            out[name].append({"id": item_id, "start": start, "end": end,
                              "text": raw[start:end], **fields})

    by_id = {item["id"]: item for name in out for item in out[name]}

    def ref(name: str, key: tuple, event_sentence: int, max_distance: int | None = None):
        if key not in ids[name]:
            raise SystemExit(f"{lang}: event refers to {name} {key!r}, which is not annotated")
        item_id = ids[name][key]
        distance = abs(ann.sentence_of(by_id[item_id]["start"]) - event_sentence)
        if max_distance is not None and distance > max_distance:
            errors.append(f"{lang}: {name} {key!r} is {distance} sentences from its event")
        return item_id

    events = []
    for spec in data["events"]:
        s = spec["s"]
        t_start, t_end = ann.locate(*spec["trig"], sentence=s)
        date_id = ref("dates", spec["date"], s, 0) if spec.get("date") else None
        events.append({
            "type": spec["type"], "subtype": spec["sub"],
            "trigger": {"start": t_start, "end": t_end, "text": raw[t_start:t_end]},
            "sentence": s,
            "date": date_id,
            "when": by_id[date_id]["value"] if date_id else None,
            "agents": [ref("actors", k, s, 3) for k in spec.get("agents", [])],
            "targets": [ref("actors", k, s, 3) for k in spec.get("targets", [])],
            "amounts": [ref("amounts", k, s, 0) for k in spec.get("amounts", [])],
            "negated": spec.get("negated", False),
        })
    events.sort(key=lambda e: (e["trigger"]["start"], e["type"]))
    for number, event in enumerate(events, 1):
        event_id = {"id": f"e{number}"}
        event_id.update(event)
        events[number - 1] = event_id

    document = {
        "schema": "extract/1",
        "doc_id": f"{lang}/{DOC}",
        "lang": lang,
        "text_sha256": sha256_text(raw),
        "reference_date": None,
        "sentences": [list(span) for span in ann.sentences],
        "dates": out["dates"],
        "amounts": out["amounts"],
        "actors": out["actors"],
        "events": events,
        "pipeline": {
            "gold": "hand annotation v1",
            "annotator": "hand annotation (helper session), data in corpus/annotate_seeds.py",
            "guidelines": "document-format.md + event-types.md; conventions in the header "
                          "of corpus/annotate_seeds.py",
        },
    }
    return document, errors


def check(document: dict, raw: str) -> list[str]:
    problems = []
    model = Document.model_validate(document)
    problems += model.offset_errors(raw)
    def subset(ours, theirs, where="document"):
        # every field we write must survive the model unchanged
        if isinstance(ours, dict):
            for key, value in ours.items():
                subset(value, theirs.get(key, "<missing>"), f"{where}.{key}")
        elif isinstance(ours, list):
            if len(ours) != len(theirs):
                problems.append(f"{where}: length changed in the model")
            for index, (a, b) in enumerate(zip(ours, theirs)):
                subset(a, b, f"{where}[{index}]")
        elif ours != theirs:
            problems.append(f"{where}: {ours!r} becomes {theirs!r} in the model")

    subset(json.loads(json.dumps(document)), model.to_json_dict())
    ids = {name: {item["id"] for item in document[name]}
           for name in ("dates", "amounts", "actors")}
    for event in document["events"]:
        if event["date"] is not None and event["date"] not in ids["dates"]:
            problems.append(f"{event['id']}: unknown date {event['date']}")
        for field, name in (("agents", "actors"), ("targets", "actors"), ("amounts", "amounts")):
            for item_id in event[field]:
                if item_id not in ids[name]:
                    problems.append(f"{event['id']}: unknown {name} id {item_id}")
        start, end = document["sentences"][event["sentence"]]
        if not (start <= event["trigger"]["start"] and event["trigger"]["end"] <= end):
            problems.append(f"{event['id']}: trigger outside sentence {event['sentence']}")
    for canonical in {a["canonical"] for a in document["actors"]}:
        kinds = {(a["type"], a["name"]) for a in document["actors"] if a["canonical"] == canonical}
        if len(kinds) != 1:
            problems.append(f"canonical {canonical} has several type/name pairs: {kinds}")
    return problems


def summary(document: dict) -> str:
    from collections import Counter
    lines = [document["doc_id"]]
    for name in ("dates", "amounts", "actors", "events"):
        counts = Counter(item["type"] for item in document[name])
        lines.append(f"  {name:8} {len(document[name]):3}  " +
                     ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    lines.append(f"  sentences {len(document['sentences'])}")
    return "\n".join(lines)


def main() -> int:
    failed = False
    for lang, data in (("fa", FA), ("ar", AR)):
        path = HERE / lang / f"{DOC}.txt"
        raw = read_raw(path)
        document, errors = build(lang, data, raw)
        errors += check(document, raw)
        if errors:
            failed = True
            print("\n".join(errors), file=sys.stderr)
            continue
        target = path.with_suffix(".json")
        target.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
        print(summary(document))
        print(f"  -> {target}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
