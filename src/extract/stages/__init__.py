"""Pipeline stages: spaCy components (and the tokenizer) that read language data from
`lang/<code>/` and write spans with raw offsets onto the Doc."""
from __future__ import annotations

from spacy.tokens import Doc, Token

# Doc-level data the stages share.  Registered once, at import.
for name, default in (("normalized", None), ("lang", None), ("token_features", None)):
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)


def _token_feature(token: Token) -> dict:
    features = token.doc._.token_features
    return features[token.i] if features else {}


if not Token.has_extension("features"):
    Token.set_extension("features", getter=_token_feature)
def is_content(doc: Doc) -> list[bool]:
    """Per token: does it hold text (not a gap)?  The fast path for loops over a Doc."""
    return [features is not None for features in doc._.token_features]


if not Token.has_extension("gap"):
    # a stretch between tokens that holds no text: line breaks, runs of spaces, invisible marks
    Token.set_extension("gap", getter=lambda token: token.doc._.token_features[token.i] is None)


# Each stage object has `version` (its code's version) and may have `source` (the model
# or rule set it runs, e.g. `model:tagger-fa-crf@1a2b3c4d`); the Document's `pipeline`
# field is built from these.
