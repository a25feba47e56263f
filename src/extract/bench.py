"""`make bench`: throughput and memory of every stage on ../shared/data/raw-news.

Also times dateparser's `search_dates` (languages=[lang]) alone on the same documents,
the baseline the date stage must at least match.

Two passes per language: one timed (wall clock per stage, no tracing), one under
tracemalloc for the peak Python heap each stage allocates on a document.
Prints a table and writes the figures to outputs/bench.json.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = Path(os.environ.get("EXTRACT_SHARED_DATA", ROOT.parent / "shared" / "data"))


def news_articles(data: Path, lang: str) -> list[dict]:
    """The raw-news articles of a language, by file format, not by name: `raw-news/<lang>-*.json`
    (a list of {title, abstract, paragraphs}) and `raw-news/<lang>-*.jsonl` (one {title, content}
    a line)."""
    articles: list[dict] = []
    for path in sorted((data / "raw-news").glob(f"{lang}-*")):
        if path.suffix == ".json":
            articles += json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".jsonl":
            with open(path, encoding="utf-8") as handle:
                articles += [json.loads(line) for line in handle if line.strip()]
    return articles


def article_text(article: dict) -> str:
    """An article as one document: its title, then its paragraphs or its content."""
    if "paragraphs" in article:
        return "\n".join([article.get("title", "")] + list(article.get("paragraphs") or []))
    return article.get("title", "") + "\n" + article.get("content", "")


def load_news(data: Path, lang: str, limit: int | None) -> list[str]:
    texts = [t for t in map(article_text, news_articles(data, lang)) if t.strip()]
    return texts[:limit] if limit else texts


def run_stages(nlp, text: str, clock: dict[str, float]) -> None:
    start = time.perf_counter()
    doc = nlp.make_doc(text)
    clock["tokenizer"] = clock.get("tokenizer", 0.0) + time.perf_counter() - start
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        doc = component(doc)
        clock[name] = clock.get(name, 0.0) + time.perf_counter() - start


def peak_memory(nlp, texts: list[str]) -> dict[str, float]:
    peaks: dict[str, float] = {}
    stages = [("tokenizer", None)] + list(nlp.pipeline)
    for text in texts:
        doc = None
        for name, component in stages:
            tracemalloc.start()
            doc = nlp.make_doc(text) if component is None else component(doc)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            peaks[name] = max(peaks.get(name, 0.0), peak / 2**20)
    return peaks


def bench_language(lang: str, texts: list[str], tagger: str, ner: str = "auto") -> dict:
    from .pipeline import Pipeline

    start = time.perf_counter()
    nlp = Pipeline(lang, tagger=tagger, ner=ner).nlp
    load_seconds = time.perf_counter() - start
    run_stages(nlp, texts[0], {})  # warm-up (lazy lexicons)
    clock: dict[str, float] = {}
    for text in texts:
        run_stages(nlp, text, clock)
    chars = sum(len(t) for t in texts)
    peaks = peak_memory(nlp, texts[: min(len(texts), 40)])
    stages = {
        name: {"seconds": round(seconds, 3), "docs_per_s": round(len(texts) / seconds, 1),
               "chars_per_s": round(chars / seconds), "peak_mb": round(peaks.get(name, 0.0), 2)}
        for name, seconds in clock.items()
    }
    total = sum(clock.values())
    return {"lang": lang, "docs": len(texts), "chars": chars, "load_seconds": round(load_seconds, 2),
            "stages": stages, "total": {"seconds": round(total, 3), "docs_per_s": round(len(texts) / total, 1),
                                         "chars_per_s": round(chars / total)}}


def bench_search_dates(lang: str, texts: list[str], date_stage_seconds: float | None) -> dict:
    """dateparser's `search_dates` alone on the same documents, next to our date stage."""
    import warnings

    from dateparser.search import search_dates

    start = time.perf_counter()
    found = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in texts:
            try:
                found += len(search_dates(text, languages=[lang]) or [])
            except Exception:  # dateparser raises on some inputs
                pass
    seconds = time.perf_counter() - start
    chars = sum(len(t) for t in texts)
    row = {"seconds": round(seconds, 3), "docs_per_s": round(len(texts) / seconds, 1),
           "chars_per_s": round(chars / seconds), "found": found}
    if date_stage_seconds:
        row["extract_dates_speedup"] = round(seconds / date_stage_seconds, 1)
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="documents per language")
    parser.add_argument("--tagger", default="auto")
    parser.add_argument("--ner", default="auto", help="NER backend of the actors stage: auto, crf, stanza")
    parser.add_argument("--no-search-dates", action="store_true", help="skip timing dateparser's search_dates")
    parser.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench.json")
    args = parser.parse_args(argv)
    results = []
    for lang in ("fa", "ar"):
        result = bench_language(lang, load_news(args.data, lang, args.limit), args.tagger, args.ner)
        results.append(result)
        print(f"\n{lang}: {result['docs']} docs, {result['chars']:,} chars (pipeline load {result['load_seconds']} s)")
        print(f"  {'stage':<20}{'docs/s':>10}{'chars/s':>12}{'peak MB':>10}")
        for name, row in result["stages"].items():
            print(f"  {name:<20}{row['docs_per_s']:>10}{row['chars_per_s']:>12,}{row['peak_mb']:>10}")
        total = result["total"]
        print(f"  {'total':<20}{total['docs_per_s']:>10}{total['chars_per_s']:>12,}")
        if not args.no_search_dates:
            texts = load_news(args.data, lang, args.limit)
            stage = result["stages"].get("extract_dates", {}).get("seconds")
            row = result["search_dates"] = bench_search_dates(lang, texts, stage)
            print(f"  {'search_dates alone':<20}{row['docs_per_s']:>10}{row['chars_per_s']:>12,}"
                  + (f"   (extract_dates is {row['extract_dates_speedup']}x faster)" if stage else ""))
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS: {max_rss:.0f} MB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"results": results, "max_rss_mb": round(max_rss)}, indent=2) + "\n")


if __name__ == "__main__":
    main()
