"""Statistical named-entity recognition (the `actors` stage's model layer).

`features` turns a sentence of normalized tokens into CRF features, `data` reads the
public NER corpora through the gold importers and labels the pipeline's own tokens,
`train` writes `models/ner-<lang>-crf/`, `tagger` loads it and finds typed spans.
`stanza_ner` is the second backend (official stanza models, or `train_stanza`'s
`models/ner-<lang>-stanza/`); `backends.load_ner` chooses (`--ner auto|crf|stanza`).
"""
