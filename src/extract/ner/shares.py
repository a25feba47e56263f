"""Name shares (the NER extra `shares`): for each word of an annotated corpus that the
model is not trained on, how often it is part of a PER/LOC/ORG name, first word (B) or
not (I), in five buckets.  The corpus is read like the training data (gold importer,
pipeline tokens), so the words are the forms the model sees at run time.

Why: ArmanPersoNER's span conventions differ from PEYMA's (its ORG holds nationalities,
its spans leave out titles and heads), so training on it lowers PEYMA scores, but which
words are names is evidence that carries over."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from . import data


def bucket(share: float) -> str | None:
    return None if share == 0 else "lo" if share < 0.2 else "mid" if share < 0.5 else "hi" if share < 0.8 else "all"


def build(lang: str, data_dir: Path, path: Path) -> int:
    """Write `word<TAB>TYPE+B|I=bucket...` for the words of `data.SHARE_CORPORA[lang]`
    ever inside a name; returns how many words."""
    total: Counter = Counter()
    inside: dict[str, Counter] = defaultdict(Counter)
    for sent in data.load(lang, data_dir, data.SHARE_CORPORA[lang]):
        for word, label in zip(sent.words, sent.labels):
            word = word.lower()
            total[word] += 1
            if label != "O":
                position, _, kind = label.partition("-")
                inside[word][kind.split("|")[0] + position] += 1
    rows = []
    for word in sorted(inside):
        found = sorted(f"{k}={b}" for k, n in inside[word].items() if (b := bucket(n / total[word])))
        if found and "\t" not in word:
            rows.append(word + "\t" + "\t".join(found))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)
