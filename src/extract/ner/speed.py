"""How much the NER model and the whole actors stage cost, in ms per 1,000 characters,
on `../shared/data/raw-news`, in CPU time of one process (one core; other jobs on the
machine do not inflate it):

    python -m extract.ner.speed --lang fa|ar [--limit N] [--ner auto|crf|stanza] [--record]

`--record` writes the model's cost into the committed CRF model's manifest and card
(measure on a quiet machine: the figure is the card's).

The budget of the issue: the model adds at most 5 ms per 1,000 characters.
"""
from __future__ import annotations

import argparse
import json
import time


def measure(lang: str, limit: int | None = None, ner: str = "auto") -> dict:
    from ..bench import DEFAULT_DATA, load_news
    from ..pipeline import Pipeline
    from ..stages import is_content

    texts = load_news(DEFAULT_DATA, lang, limit)
    pipeline = Pipeline(lang, tagger="crf", ner=ner)  # the tagger does not change the actors' input
    stage = pipeline.nlp.get_pipe("extract_actors")
    docs = []
    for text in texts:
        doc = pipeline.nlp.make_doc(text)
        for name, component in pipeline.nlp.pipeline:
            if name != "extract_actors":
                doc = component(doc)
        docs.append(doc)
    chars = sum(len(t) for t in texts)
    per_doc = []
    for doc in docs:
        keep = is_content(doc)
        per_doc.append([([t.norm_ for t in s if keep[t.i]], [t.pos_ for t in s if keep[t.i]]) for s in doc.sents])
    batched = getattr(stage.model, "tag_sentences", None)  # one call per document, as the stage does
    start = time.process_time()
    for sentences in per_doc:
        if batched:
            batched([words for words, _ in sentences if words], [tags for words, tags in sentences if words])
        else:
            for words, tags in sentences:
                stage.model.tag_words(words, tags)
    model = time.process_time() - start
    start = time.process_time()
    for doc in docs:
        stage(doc)
    whole = time.process_time() - start
    return {"lang": lang, "model": stage.model.source, "docs": len(texts), "chars": chars,
            "ner_ms_per_1000_chars": round(1000 * model / chars * 1000, 2),
            "actors_stage_ms_per_1000_chars": round(1000 * whole / chars * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m extract.ner.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=["fa", "ar"])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--ner", default="auto", help="NER backend: auto, crf, stanza")
    parser.add_argument("--record", action="store_true", help="write the model's cost into models/ner-<lang>-crf")
    args = parser.parse_args()
    result = measure(args.lang, args.limit, args.ner)
    print(json.dumps(result))
    if args.record:
        record(args.lang, result["ner_ms_per_1000_chars"])


def record(lang: str, cpu_ms: float) -> None:
    """The CRF model's CPU cost into its manifest (`CPU_KEY`) and card."""
    from ..models import models_dir
    from .train import CPU_KEY, refresh_folder

    refresh_folder(models_dir() / f"ner-{lang}-crf", **{CPU_KEY: cpu_ms})


if __name__ == "__main__":
    main()
