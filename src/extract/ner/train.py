"""Train the NER CRF of one language and write `models/ner-<lang>-crf/` (`make models`).

    python -m extract.ner.train --lang fa|ar [--out DIR] [--data DIR] [--max-iterations N]

fa: PEYMA-600k without its dev documents (`evaluate/peyma_dev.txt`) (ArmanPersoNER was
tried and left out: see data.OPTIONAL);
ar: NewsFANE + Wojood train.  The dev split (PEYMA dev / Wojood val) is only scored.
Word clusters are the tagger's (`models/tagger-<lang>-crf/clusters.tsv`, from raw news
text); gazetteer membership comes from the actors lexicons (`gazetteer.tsv`).
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Sequence

from ..models import models_dir, write_manifest
from ..regression import shared_data
from . import data
from .features import CLUSTER_FILE, EMB_FILE, EXTRAS, FEATURE_VERSION, GAZETTEER_FILE, SHARES_FILE, cues_by_sentence, load_tsv
from .stacked import STAGE2_FILE, STAGE2_VERSION, document_features, jackknife, run_stage1, train_stage2_crf
from .tagger import CONFIG_FILE, MODEL_FILE, decode_labels, featurizer_for

CROSSVAL_FILE = "crossval.json"  # written by `crossval --record`, shown on the card

PARAMS = {"c1": 0.4, "c2": 0.05, "max_iterations": 120, "feature.possible_transitions": True,
          "feature.minfreq": 2}
# feature extras (features.py) per language, chosen on the dev split; `doc` by 4-fold
# cross-validation over PEYMA train (whole actors stage 0.8145 -> 0.8195 strict F1); over
# Wojood train it lowered Arabic's (0.7857 -> 0.7812), whose documents join unrelated snippets
EXTRAS_BY_LANG = {"fa": ("upos", "shares", "emb", "doc"), "ar": ()}
# two-stage model (stacked.py): the jackknife folds that give stage 2 its training input
# per language (0: stage 1 alone; `--stacked 4` trains one), and stage 2's training
# parameters.  Off for fa: over 4-fold cross-validation on PEYMA train it gained +0.009
# model alone (0.797 → 0.805) and +0.004 for the whole actors stage (0.806 → 0.810), on
# PEYMA dev +0.005 model alone but -0.002 for the stage, and it cost about a third more
# CPU (stage 2's document features and tagging: over the 5 ms budget on a busy machine).
STACKED_BY_LANG = {"fa": 0, "ar": 0}
STAGE2_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 100, "feature.possible_transitions": True,
                 "feature.minfreq": 1}
LICENCES = {
    "fa": "PEYMA-600k (ITRC; research use only); ArmanPersoNER (academic research use only), not trained on but "
          "read for the name-share feature and the word2vec clusters; raw-text Hamshahri (research use only) and "
          "Fars News/Varzesh3/Namnak text (© its publishers) for the word2vec clusters",
    "ar": "NewsFANE Gold (Alotaibi & Lee 2014; see its licence file) and the Wojood sample (Jarrar et al. 2022)",
}


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def spans(labels: Sequence[str]) -> set[tuple[int, int, str]]:
    return {(a, b, t) for a, b, t, _ in decode_labels(labels)}


def score(gold: list[data.Sentence], pred: list[list[str]]) -> dict:
    """Token-sequence span P/R/F1 (strict, typed) of the model alone, per type and micro."""
    counts: dict[str, Counter] = {}
    for sent, labels in zip(gold, pred):
        g, p = spans(sent.labels), spans(labels)
        for kind in {t for *_, t in g | p}:
            c = counts.setdefault(kind, Counter())
            gk, pk = {s for s in g if s[2] == kind}, {s for s in p if s[2] == kind}
            c["tp"] += len(gk & pk); c["gold"] += len(gk); c["pred"] += len(pk)
    out = {}
    total = sum(counts.values(), Counter())
    for kind, c in sorted(counts.items()) + [("micro", total)]:
        f1 = 2 * c["tp"] / (c["gold"] + c["pred"]) if c["gold"] + c["pred"] else 0.0
        out[kind] = {"f1": round(f1, 4), "precision": round(c["tp"] / c["pred"], 4) if c["pred"] else 0.0,
                     "recall": round(c["tp"] / c["gold"], 4) if c["gold"] else 0.0, "gold": c["gold"]}
    return out


def upos_tags(lang: str, sentences: list[data.Sentence]) -> list[list[str]]:
    from ..tagging.crf import CRFTagger

    tagged = iter(CRFTagger.load(lang).tag([s.words for s in sentences if s.words]))
    return [[upos for upos, _ in next(tagged)] if s.words else [] for s in sentences]


EXTRA_TEXT = {
    "upos": "the UPOS of the word and of two words either side, and UPOS bigrams (training data tagged by "
            "the CRF tagger `tagger-{lang}-crf`; at run time the pipeline's tagger)",
    "shares": "how often the word and its neighbours are part of a PER/LOC/ORG name (first word or not, five "
              "buckets) in {shares}, read but never trained on (`name_shares.tsv`)",
    "emb": "the word2vec clusters of the word (k-means at three granularities) and of two words either "
           "side (`emb_clusters.tsv`: skip-gram vectors from raw-text, raw-news and the training corpora's words, "
           "`extract/ner/embclusters.py`)",
    "doc": "what the rest of the document says of the word (and, but for its count, of its neighbours): "
           "it follows a person's title (or a title and one word), a word that mostly starts persons' names "
           "in {shares}, or an organization's, place's or person's kind word somewhere; it stands before a "
           "title or a verb of saying, or in quotes, somewhere; how often the document has it "
           "(`Featurizer.document_cues`; kind words and verbs of saying are `gazetteer.tsv` rows)",
}


def score_rows(scores: dict) -> str:
    """The per-type rows of an NER card's score table."""
    return "\n".join(f"| {t} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['gold']} |"
                      for t, v in scores.items())


def extras_text(extras: list[str], lang: str = "fa") -> str:
    if not extras:
        return ""
    shares = ", ".join(c[0] for c in data.SHARE_CORPORA.get(lang, [])) or "-"
    items = "; ".join(EXTRA_TEXT[e].format(lang=lang, shares=shares) for e in extras)
    return f"\nExtras: {items}."


CPU_KEY = "cpu_ms_per_1000_chars"  # the manifest's record of the measured CPU cost


def refresh_folder(folder: Path, **updates: object) -> None:
    """After a file of a committed model folder changed: its manifest again (checksums,
    with `updates` to the manifest's own keys) and its card."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    extra = {k: v for k, v in manifest.items() if k not in ("name", "files")}
    write_manifest(folder, manifest["name"], **{**extra, **updates})
    write_card(folder, manifest["name"])


def write_card(folder: Path, name: str, cpu_ms: float | None = None) -> None:
    """MODEL_CARD.md from the folder's manifest and metrics (and, when given, the CPU
    cost measured by `python -m extract.ner.speed`)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    lang = manifest["lang"]
    cpu_ms = cpu_ms or manifest.get(CPU_KEY)  # recorded by `python -m extract.ner.speed --record`
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 1e6
    rows = score_rows(metrics["dev_scores"])
    stage1 = two_stage = ""
    if "stage1_dev_scores" in metrics:
        s1 = metrics["stage1_dev_scores"]["micro"]
        stage1 = f"\nStage 1 alone: P {s1['precision']:.3f} R {s1['recall']:.3f} F1 {s1['f1']:.3f}.\n"
        p2 = metrics["stage2_params"]
        two_stage = f"""
## Two stages (`src/extract/ner/stacked.py`, Krishnan & Manning 2006)
Stage 1 is the CRF above (`model.crfsuite`).  Stage 2 (`{STAGE2_FILE}`, c1={p2['c1']}, c2={p2['c2']},
{p2['max_iterations']} iterations) re-tags each sentence from stage 1's labels (the token's and two either
side), how sure stage 1 was (marginals, in fifths), and what stage 1 found elsewhere in the
same document: the majority type of the word's other occurrences, occurrences of the token
sequences it tagged as names, and words of its longer names.  Stage 2 is trained on stage-1
outputs of the training documents from {metrics['jackknife_folds']}-fold jackknifing (each document tagged by a stage 1
trained without it), so it learns how far to trust stage 1 on unseen text.  A span's
confidence is its mean label marginal, the higher of the two stages' where they agree.
"""
    corpora = ", ".join(f"{c[0]} ({c[2] or 'all'}{', x' + str(c[3]) if len(c) > 3 and c[3] > 1 else ''})"
                        for c in manifest["corpora"])
    crossval = ""
    if (folder / CROSSVAL_FILE).is_file():
        cv = json.loads((folder / CROSSVAL_FILE).read_text(encoding="utf-8"))
        stage = (f"; the whole actors stage, `extract eval --scheme {cv['scheme']}`: strict F1 "
                 f"**{cv['stage_strict_f1']}**, partial {cv['stage_partial_f1']}" if "stage_strict_f1" in cv else "")
        two = (f" (stage 1 alone {cv['stage1_strict_f1']}; stage 2 of fold k trained on the other folds' jackknifed "
               f"stage-1 outputs)" if "stage1_strict_f1" in cv else "")
        crossval = f"""
## Cross-validation ({cv['folds']} folds over the {cv['documents']} documents of {cv['corpus']})
Each fold trained as above without its documents (`python -m extract.ner.crossval --lang {lang} --stage`),
scores summed over the folds: model alone strict F1 **{cv['model_strict_f1']}**{two}{stage}.
"""
    text = f"""# {name}

A linear-chain CRF (python-crfsuite, L-BFGS, c1={metrics['params']['c1']}, c2={metrics['params']['c2']},
{metrics['params']['max_iterations']} iterations, features seen at least {metrics['params']['feature.minfreq']} times)
tagging {', '.join(sorted({l[2:].split('|')[0] for l in metrics['labels'] if l != 'O'}))} mentions in BIO
over the pipeline's own normalized tokens.  It is the model layer of the `actors` stage
(`src/extract/stages/actors.py`), which merges it with the gazetteers and rules.
{two_stage}
## Data
- training: {corpora}; {metrics['train_sentences']} sentences, {metrics['train_tokens']} tokens,
  read through `extract gold import` presets and re-tokenized by the pipeline tokenizer
  (`src/extract/ner/data.py`);
- never trained on: the dev split {manifest['dev'][0]} ({manifest['dev'][2]}), used for the scores below
  (it also chose the regularization and the corpora, so it is not a blind test);
- licences: {LICENCES[lang]}.  **Research use only** where a source says so: the
  model inherits its training data's terms.

## Features (`src/extract/ner/features.py`, version {manifest['feature_version']})
word, 2-3 letter prefixes and suffixes, length, digit/punctuation/Latin flags, the word
clusters of `clusters.tsv` (the tagger's, learned from raw news text; a clitic-free stem
for Arabic when the word itself has none), gazetteer membership and gazetteer phrases
(`gazetteer.tsv`, a frozen copy of the actors lexicons: names, titles, institution heads,
and the word classes of `model_hints` in `actors_rules.yaml`, e.g. ar GROUP), and the same
for two words either side.{extras_text(manifest.get("extras") or [], lang)}

## Dev scores (model alone, strict typed spans, {manifest['dev'][0]} {manifest['dev'][2]})
| type | precision | recall | F1 | gold |
|---|---|---|---|---|
{rows}
{stage1}
The whole `actors` stage (model + gazetteers + rules) is scored by `extract eval`; see README.
{crossval}
## Size and speed
{size:.1f} MB on disk.  {f"{cpu_ms} ms CPU per 1,000 characters of raw-news for features + tagging on one core (`python -m extract.ner.speed --lang {lang}`); " if cpu_ms else ""}{metrics['ms_per_1000_chars']} ms wall-clock per 1,000 characters on the dev split during training{" (stage 1 alone)" if stage1 else ""}, on a shared
machine.  The budget is 5 ms.

## Retrain
`python -m extract.ner.train --lang {lang}` (part of `make models`; about 10 minutes for fa, half of it
the word2vec clusters (`--emb-clusters FILE` reuses a built file), 1 for ar on one core{
"; a two-stage model trains stage 1 four more times for the jackknife: about 30 minutes for fa on a shared machine"
if stage1 else ""}).  `manifest.json` holds the sha256 of every file; loading checks them (E202).
"""
    (folder / "MODEL_CARD.md").write_text(text, encoding="utf-8")


def train_stage2(train_docs, featurize, params: dict, folds: int, work: Path, stage1, dev_feats, dev_docs
                 ) -> list[list[str]]:
    """Train stage 2 of the two-stage model (stacked.py) into `work` on jackknifed stage-1
    outputs of the training documents; its labels of the dev sentences."""
    import pycrfsuite

    outs = jackknife(train_docs, featurize, params, folds, work, log=lambda m: log("[stage 2] " + m))
    for k in range(folds):
        (work / f"jackknife{k}.crfsuite").unlink()
    train_stage2_crf(((f, sent.labels) for doc, out in zip(train_docs, outs)
                      for sent, f in zip(doc, document_features([s.words for s in doc], out))),
                     work / STAGE2_FILE, STAGE2_PARAMS)
    stage2 = pycrfsuite.Tagger()
    stage2.open(str(work / STAGE2_FILE))
    pred = []
    for doc, feats in zip(dev_docs, dev_feats):
        first = [run_stage1(stage1, f if s.words else []) for s, f in zip(doc, feats)]
        pred.extend(list(stage2.tag(f)) if s.words else [] for s, f in zip(doc, document_features([s.words for s in doc], first)))
    return pred


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.ner.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=sorted(data.CORPORA))
    parser.add_argument("--out", type=Path, default=None, help="models folder (default: models/)")
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--max-iterations", type=int, default=PARAMS["max_iterations"])
    parser.add_argument("--c1", type=float, default=PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=PARAMS["c2"])
    parser.add_argument("--skip", action="append", default=[], help="leave out a training corpus (folder name)")
    parser.add_argument("--add", action="append", default=[], help="add an optional corpus (data.OPTIONAL)")
    parser.add_argument("--emb-clusters", type=Path, default=None,
                        help="an emb_clusters.tsv built before (embclusters.py) instead of building it (minutes)")
    parser.add_argument("--extras", default=None,
                        help=f"comma-separated feature extras ({', '.join(EXTRAS)}); default: the language's")
    parser.add_argument("--stacked", type=int, default=None,
                        help="jackknife folds of the two-stage model (stacked.py); 0: stage 1 alone; default: the language's")
    args = parser.parse_args(argv)
    import pycrfsuite

    lang, root = args.lang, args.out or models_dir()
    data_dir = args.data or shared_data()
    name = f"ner-{lang}-crf"
    work = root / (name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy(models_dir() / f"tagger-{lang}-crf" / CLUSTER_FILE, work / CLUSTER_FILE)
    from ..stages.actors_lexicon import write_gazetteer_keys

    extras = tuple(e for e in (args.extras.split(",") if args.extras is not None else EXTRAS_BY_LANG[lang]) if e)
    if set(extras) - set(EXTRAS):
        parser.error(f"unknown extras {sorted(set(extras) - set(EXTRAS))}")
    write_gazetteer_keys(lang, work / GAZETTEER_FILE, heads="doc" in extras)
    shares = None
    if "shares" in extras:
        from .shares import build

        log(f"[{lang}] name shares: {build(lang, data_dir, work / SHARES_FILE)} words")
        shares = load_tsv(work / SHARES_FILE)
    emb = None
    if "emb" in extras:
        if args.emb_clusters:
            shutil.copy(args.emb_clusters, work / EMB_FILE)
        else:
            from .embclusters import build as build_emb

            build_emb(lang, data_dir, work / EMB_FILE, log=log)
        emb = load_tsv(work / EMB_FILE)
    feats = featurizer_for(lang, load_tsv(work / CLUSTER_FILE), load_tsv(work / GAZETTEER_FILE), shares,
                           "upos" in extras, emb, "doc" in extras)
    log(f"[{lang}] reading corpora")
    corpora = [c for c in data.CORPORA[lang] + [o for o in data.OPTIONAL[lang] if o[0] in args.add]
               if c[0] not in args.skip]
    train_docs = [sents for _, sents in data.load_documents(lang, data_dir, corpora)]
    dev_docs = [sents for _, sents in data.load_documents(lang, data_dir, [data.DEV[lang]])]
    train, dev = [s for d in train_docs for s in d], [s for d in dev_docs for s in d]
    log(f"[{lang}] train {len(train)} sentences / {sum(len(s.words) for s in train)} tokens; "
        f"dev {len(dev)} / {sum(len(s.words) for s in dev)}")
    train_tags = dev_tags = None
    if "upos" in extras:  # tagged by the CRF tagger, as the pipeline can tag them at run time
        train_tags, dev_tags = upos_tags(lang, train), upos_tags(lang, dev)
        log(f"[{lang}] tagged with the CRF tagger")
    # each sentence read with its document's cues (the `doc` extra)
    cues_of = cues_by_sentence(feats, train_docs + dev_docs)
    trainer = pycrfsuite.Trainer(verbose=False)
    for k, sent in enumerate(train):
        trainer.append(feats.sentence(sent.words, train_tags[k] if train_tags else None, cues_of[id(sent)]), sent.labels)
    params = {**PARAMS, "max_iterations": args.max_iterations, "c1": args.c1, "c2": args.c2}
    trainer.set_params(params)
    started = time.time()
    trainer.train(str(work / MODEL_FILE))
    del trainer  # its copy of the data
    log(f"[{lang}] trained in {time.time() - started:.0f} s")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(work / MODEL_FILE))
    started = time.time()
    dev_feats = {id(s): feats.sentence(s.words, dev_tags[k] if dev_tags else None, cues_of[id(s)])
                 for k, s in enumerate(dev)}
    pred = [list(tagger.tag(dev_feats[id(s)])) if s.words else [] for s in dev]
    seconds = time.time() - started
    folds = STACKED_BY_LANG[lang] if args.stacked is None else args.stacked
    stage1_scores = None
    if folds:
        stage1_scores = score(dev, pred)
        log(f"[{lang}] stage 1 dev {json.dumps(stage1_scores['micro'])}")
        tags_of = {id(s): train_tags[k] for k, s in enumerate(train)} if train_tags else {}
        pred = train_stage2(train_docs, lambda s: feats.sentence(s.words, tags_of.get(id(s)), cues_of[id(s)]), params, folds, work,
                            tagger, [[dev_feats[id(s)] for s in d] for d in dev_docs], dev_docs)
    chars = sum(len(" ".join(s.words)) for s in dev)
    metrics = {"dev": data.DEV[lang], "dev_scores": score(dev, pred),
               "ms_per_1000_chars": round(1000 * seconds / chars * 1000, 2),
               "train_sentences": len(train), "train_tokens": sum(len(s.words) for s in train),
               "labels": dict(Counter(l for s in train for l in s.labels).most_common()), "params": params}
    log(f"[{lang}] dev {json.dumps(metrics['dev_scores'])} ; {metrics['ms_per_1000_chars']} ms/1000 chars")
    if folds:
        metrics.update(stage1_dev_scores=stage1_scores, stage2_params=STAGE2_PARAMS, jackknife_folds=folds)
    config = {"feature_version": FEATURE_VERSION, "lang": lang, **({"extras": list(extras)} if extras else {}),
              **({"stacked": STAGE2_VERSION} if folds else {})}
    (work / CONFIG_FILE).write_text(json.dumps(config) + "\n")
    (work / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n")
    write_manifest(work, name, kind="crf-ner", lang=lang, feature_version=FEATURE_VERSION,
                   corpora=[list(c) for c in corpora], dev=list(data.DEV[lang]), extras=list(extras),
                   dev_micro_f1=metrics["dev_scores"]["micro"]["f1"])
    write_card(work, name)
    final = root / name
    shutil.rmtree(final, ignore_errors=True)
    work.rename(final)
    log(f"[{lang}] written {final}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
