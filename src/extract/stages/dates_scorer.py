"""A learned check on the date rules' candidates: `models/dates-<lang>-scorer/`.

The rules (dates_tables) propose every reading they can; many words are dates only in some
contexts («امروز» is a day or «nowadays»; «اليوم» the same).  The scorer is a maximum-entropy
classifier (python-crfsuite on one-item sequences, L2) over candidate-level features — the
rule and its family, the value's type and granularity, the candidate's words, two words
either side, punctuation and line breaks around it, the last word of its sentence — trained on the rule output of a train
split, a candidate's label being whether an oracle would keep it (`train_label`), and on the
language's examples corpus (the spec's reading, which outweighs the corpus's habits).  The stage
keeps a candidate when its probability reaches the model's threshold (chosen by
cross-validation on the train split, never on dev); a dropped candidate lets a shorter
overlapping reading be tried (`سال ۲۰۱۴ تاکنون` dropped → `سال ۲۰۱۴`).

Features are language-free: words are the normalized view's own strings.
"""
from __future__ import annotations

import bisect
import json
import re
from pathlib import Path

from ..errors import ExtractError
from ..models import ModelInfo, load_model

MODEL_FILE = "model.crfsuite"
CONFIG_FILE = "config.json"
FEATURE_VERSION = 2
KEEP = "1"

TOKEN = re.compile(r"[\w\u200c]+|[^\w\s]")
DIGIT = re.compile(r"[0-9]")
TOKEN_WORD = re.compile(r"[\w\u200c]")
# a sentence's end reads as the text's edge: «. امروز» in a document is the context of «امروز» at
# the start of an examples case, so the two are one feature
SENTENCE_END = frozenset(".!?؟؛")


def model_name(lang: str) -> str:
    return f"dates-{lang}-scorer"


def shape(word: str) -> str:
    """Digits folded to 0 (years 1395 and 1396 are one feature), ZWNJ kept."""
    return DIGIT.sub("0", word)


class Context:
    """The normalized text's word tokens, located once per document."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [m.span() for m in TOKEN.finditer(text)]
        self.starts = [s for s, _ in self.spans]

    def around(self, a: int, b: int, n: int = 2) -> tuple[list[str], list[str], list[str]]:
        """(n words before, the candidate's words, n words after); a line break or a sentence's
        end counts as the edge of the text, marked `<s>` / `</s>`."""
        i = bisect.bisect_left(self.starts, a)
        j = bisect.bisect_left(self.starts, b)
        inside = [shape(self.text[s:e]) for s, e in self.spans[i:j]]
        before, after = [], []
        edge = a
        for s, e in reversed(self.spans[max(0, i - n):i]):
            if "\n" in self.text[e:edge] or self.text[s:e] in SENTENCE_END:
                break
            before.insert(0, shape(self.text[s:e]))
            edge = s
        before = ["<s>"] * (n - len(before)) + before if len(before) < n else before
        edge = b
        for s, e in self.spans[j:j + n]:
            if "\n" in self.text[edge:s] or self.text[s:e] in SENTENCE_END:
                break
            after.append(shape(self.text[s:e]))
            edge = e
        after = after + ["</s>"] * (n - len(after))
        return before, inside, after

    def sentence_end(self, b: int, limit: int = 30) -> str:
        """The last word of the sentence the candidate ending at `b` is in (within `limit`
        words): in a verb-final language its verb, whose tense tells a day («امروز ... برگزار
        شد») from the present era («امروز ... است»); `</s>` when no sentence end follows
        (the text ends first, or the sentence runs past `limit`)."""
        j = bisect.bisect_left(self.starts, b)
        last, edge = "</s>", b
        for s, e in self.spans[j:j + limit]:
            if "\n" in self.text[edge:s] or self.text[s:e] in SENTENCE_END:
                return last
            if TOKEN_WORD.match(self.text[s:e]):
                last = shape(self.text[s:e])
            edge = e
        return "</s>"


def features(ctx: Context, a: int, b: int, rule: str, kind: str, item: dict) -> list[str]:
    before, inside, after = ctx.around(a, b)
    end = ctx.sentence_end(b)
    p2, p1 = before
    n1, n2 = after
    words = inside or [""]
    fam = f"{item.get('type', 'DATE')}/{item.get('granularity')}"
    out = ["bias", f"r={rule}", f"k={kind}", f"t={fam}", f"rel={item.get('relative')}",
           f"len={min(len(inside), 6)}", f"f={words[0]}", f"l={words[-1]}", f"span={' '.join(words)}",
           f"p1={p1}", f"p2={p2}", f"n1={n1}", f"n2={n2}", f"p1r={p1}|{rule}", f"n1r={n1}|{rule}",
           f"p2p1={p2}|{p1}", f"n1n2={n1}|{n2}", f"p1n1={p1}|{n1}", f"fn1={words[-1]}|{n1}",
           f"p1f={p1}|{words[0]}", f"val={item.get('value') is not None}",
           f"end={end}", f"end2={end[-2:]}", f"endr={end}|{rule}"]
    out += [f"w={w}" for w in set(inside)]
    return out


def train_label(a: int, b: int, gold: list[tuple[int, int]], matched: set[tuple[int, int]]) -> bool:
    """Would an oracle keep this candidate?  Yes when it is a gold span, or when it overlaps a
    gold span that no candidate matches exactly (a partial hit beats a miss)."""
    if (a, b) in gold:
        return True
    return any(x < b and a < y and (x, y) not in matched for x, y in gold)


class DateScorer:
    """Loads a trained scorer; `probability` is P(keep) of one candidate."""

    def __init__(self, info: ModelInfo) -> None:
        import pycrfsuite

        try:
            self.config = json.loads(info.file(CONFIG_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ExtractError("E202", name=info.name, directory=str(info.path.parent), detail=str(exc)) from exc
        if self.config.get("feature_version") != FEATURE_VERSION:
            raise ExtractError("E202", name=info.name, directory=str(info.path.parent),
                               detail=f"feature version {self.config.get('feature_version')}, code {FEATURE_VERSION}")
        self.threshold = float(self.config["threshold"])
        self.source = info.source
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(info.file(MODEL_FILE)))

    @classmethod
    def load(cls, lang: str, directory: Path | str | None = None) -> "DateScorer":
        name = model_name(lang)
        try:
            info = load_model(name, Path(directory) if directory is not None else None)
        except ExtractError as exc:
            if exc.code == "E201":
                raise ExtractError("E206", name=name, directory=exc.fields["directory"], lang=lang) from exc
            raise
        return cls(info)

    def probability(self, feats: list[str]) -> float:
        self._tagger.set([feats])
        return self._tagger.marginal(KEEP, 0)
