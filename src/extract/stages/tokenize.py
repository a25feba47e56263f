"""The tokenizer: raw text → normalized view → tokens → a Doc whose text IS the raw text.

spaCy's Doc must tile its text exactly, so the stretches between tokens (runs of
whitespace, invisible marks that normalization dropped) become gap tokens: `token._.gap`
is true for them, later stages skip them, and no span ever starts or ends on one.
"""
from __future__ import annotations

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..lang import get_language

VERSION = "raw_tokenizer.v1"


def token_spans(normalized, spans) -> list[tuple[int, int, int, int]]:
    """Raw spans of the language's tokens, merged where two would share raw characters."""
    out: list[tuple[int, int, int, int]] = []  # raw start, raw end, norm start, norm end
    text = normalized.text
    for start, end in spans:
        while start < end and text[start].isspace():  # a token never holds whitespace at its edges
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        raw_start, raw_end = normalized.to_raw(start, end)
        if raw_start == raw_end:
            continue  # made only of inserted characters: nothing in the raw text to point at
        if out and raw_start < out[-1][1]:
            prev = out.pop()
            out.append((prev[0], max(prev[1], raw_end), prev[2], end))
        else:
            out.append((raw_start, raw_end, start, end))
    return out


class RawTokenizer:
    version = VERSION

    def __init__(self, vocab: Vocab, lang: str) -> None:
        self.vocab = vocab
        self.profile = get_language(lang)

    def __call__(self, raw: str) -> Doc:
        normalized = self.profile.normalize(raw)
        spans = token_spans(normalized, self.profile.tokenize(normalized.text))
        words: list[str] = []
        spaces: list[bool] = []
        norms: list[str | None] = []
        pos = 0

        def add_gap(end: int) -> None:
            gap = raw[pos:end]
            if gap.startswith(" ") and words and not spaces[-1] and norms[-1] is not None:
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
                norms.append(None)

        for raw_start, raw_end, norm_start, norm_end in spans:
            add_gap(raw_start)
            words.append(raw[raw_start:raw_end])
            spaces.append(False)
            norms.append(normalized.text[norm_start:norm_end])
            pos = raw_end
        add_gap(len(raw))

        doc = Doc(self.vocab, words=words, spaces=spaces)
        assert doc.text == raw, "tokenizer lost characters"  # cannot happen: gaps tile the text
        features: list[dict | None] = []
        for token, norm in zip(doc, norms):
            if norm is None:
                token.norm_ = token.text
                token.pos_ = "SPACE" if token.text.isspace() else "X"
                features.append(None)
            else:
                token.norm_ = norm
                features.append({name: fn(norm) for name, fn in self.profile.token_features.items()})
        doc._.normalized = normalized
        doc._.lang = self.profile.code
        doc._.token_features = features
        return doc

    # spaCy serializes tokenizers with the pipeline; ours is rebuilt from the config.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "RawTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "RawTokenizer":
        return self


@spacy.registry.tokenizers("extract.raw_tokenizer.v1")
def create_raw_tokenizer(lang: str):
    def make(nlp) -> RawTokenizer:
        return RawTokenizer(nlp.vocab, lang)

    return make
