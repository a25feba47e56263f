"""Train, evaluate and write a stanza BiLSTM UPOS tagger for Persian.

    python -m extract.tagging.train_stanza --lang fa [--out models/tagger-fa-stanza]

Steps (all offline, CPU):

1. word vectors: every line of `raw-text/fa-*.txt.gz` goes through the project
   normalizer and the Persian tokenizer (exactly the run-time path), then gensim
   word2vec (skip-gram) learns `--dims`-dimensional vectors, of which the `--vocab` most
   frequent (lowercased) words are saved in stanza's pretrain format (`pretrain.pt`);
2. data: the CRF's training sentences (`train_crf.DEFAULT_SPLITS`): PerDT-dev (primary)
   and Seraji dev+test (secondary, labels harmonized to PerDT with `train_crf.harmonize`),
   as normalized surface tokens (`extract.tagging.ud`); every `--dev-every`-th PerDT-dev
   sentence is held out as stanza's dev set (model selection);
3. `stanza.models.tagger` trains the tagger (`pos.pt`) with those vectors;
4. evaluation on fa_perdt-test (never used for training or selection) through
   `extract.tagging.stanza_backend.StanzaTagger`, scored by `train_crf.evaluate` so the
   number is comparable with the CRF's.

The stanza tagger does not lemmatize: the folder also gets `lemmas.json`, the CRF's
lemma table (`crf.LemmaTable`) learned from the same training tokens; `StanzaLemmaTagger`
combines both (stanza UPOS, then table lookup with the Persian fallback lemmatizer).
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

from .script import exit_code
from .train_charlm import CHARLM_FILES, CHARLM_INFO, charlm_files, stanza_overrides as charlm_stanza_overrides

PROJECT_ROOT = Path(__file__).resolve().parents[3]

POS_FILE = "pos.pt"
PRETRAIN_FILE = "pretrain.pt"
LEMMA_FILE = "lemmas.json"

RAW_TEXT = {"fa": ["fa-hamshahri2-subset.txt.gz", "fa-farsnews-varzesh3-namnak.txt.gz"]}

LICENCES = [
    "UD Persian-PerDT (training + test): CC BY-SA 4.0",
    "UD Persian-Seraji (training): CC BY-SA 3.0",
    "Hamshahri2 subset (word vectors): research use only; the vectors (pretrain.pt) and so "
    "this model inherit that restriction",
    "farsnews / varzesh3 / namnak web text (word vectors): text © its publishers",
]
NAMES_LICENCE = ("PEYMA (research use only) and ArmanPersoNER (academic research only): only word-level name "
                 "shares (extra vector dimensions)")

# stanza tagger settings (stanza.models.tagger arguments) for the committed model
DEFAULT_TAGGER_ARGS = {
    "max_steps": 3000,
    "eval_interval": 100,
    "max_steps_before_stop": 600,
    "batch_size": 32,
    "hidden_dim": 200,
    "char_hidden_dim": 200,
    "word_emb_dim": 75,
    "transformed_dim": 125,
    "seed": 1234,
}


DEFAULT_PRIMARY_RATIO = 3.0  # passes over PerDT per pass over Seraji in an epoch


def default_data_dir() -> Path:
    env = os.environ.get("EXTRACT_SHARED_DATA")
    if env:
        return Path(env) / "ud"
    return PROJECT_ROOT.parent / "shared" / "data" / "ud"


def _norm(form: str, lang: str) -> str:
    from .crf import _norm as crf_norm

    return crf_norm(form, lang)


# --------------------------------------------------------------------------- vectors


def _tokenize_lines(args: tuple[str, list[str]]) -> list[str]:
    lang, lines = args
    from ..lang import get_language
    from ..text.normalize import normalize

    profile = get_language(lang)
    out = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            text = normalize(line, lang).text
            spans = profile.tokenize(text)
        except Exception:
            continue
        tokens = [text[s:e].lower().replace(" ", "\xa0") for s, e in spans]
        tokens = [t for t in tokens if t.strip()]
        if tokens:
            out.append(" ".join(tokens))
    return out


def build_token_corpus(lang: str, raw_dir: Path, path: Path, workers: int = 2, log=print) -> dict:
    """Normalize + tokenize the raw text into `path` (one paragraph a line, tokens by space)."""
    from multiprocessing import get_context

    files = [raw_dir / name for name in RAW_TEXT.get(lang, []) if (raw_dir / name).is_file()]
    if not files:
        raise FileNotFoundError(f"no raw text for {lang} in {raw_dir}")
    started = time.perf_counter()

    def chunks():
        for file in files:
            with gzip.open(file, "rt", encoding="utf-8", errors="replace") as handle:
                block: list[str] = []
                for line in handle:
                    block.append(line)
                    if len(block) >= 200:
                        yield (lang, block)
                        block = []
                if block:
                    yield (lang, block)

    lines = tokens = 0
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as out:
        if workers > 1:
            with get_context("fork").Pool(workers) as pool:
                results = pool.imap(_tokenize_lines, chunks(), chunksize=1)
                for block in results:
                    for line in block:
                        out.write(line + "\n")
                        lines += 1
                        tokens += line.count(" ") + 1
        else:
            for chunk in chunks():
                for line in _tokenize_lines(chunk):
                    out.write(line + "\n")
                    lines += 1
                    tokens += line.count(" ") + 1
    tmp.rename(path)
    info = {"files": [f.name for f in files], "paragraphs": lines, "tokens": tokens,
            "seconds": round(time.perf_counter() - started, 1)}
    log(f"[{lang}] raw text: {tokens} tokens in {lines} paragraphs ({info['seconds']} s)")
    return info


class _LineCorpus:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self):
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                yield line.split()


def train_vectors(corpus_path: Path, dims: int = 100, epochs: int = 10, min_count: int = 3,
                  window: int = 5, method: str = "word2vec", workers: int = 2, seed: int = 13, log=print):
    """gensim word2vec / fastText (skip-gram) vectors of the token corpus: KeyedVectors."""
    from gensim.models import FastText, Word2Vec

    started = time.perf_counter()
    cls = FastText if method == "fasttext" else Word2Vec
    kwargs = dict(vector_size=dims, window=window, min_count=min_count, sg=1, negative=5,
                  sample=1e-4, workers=workers, epochs=epochs, seed=seed)
    model = cls(sentences=_LineCorpus(corpus_path), **kwargs)
    log(f"vectors: {method} {dims}d, {len(model.wv.index_to_key)} words, "
        f"{time.perf_counter() - started:.0f} s")
    return model.wv


LEXICON_CLASSES = ("N", "AJ", "ADV", "NUM", "PL", "RES", "CL", "AJC", "P", "CONJ", "DET", "PRO")
# share of a word's occurrences inside PER/LOC/ORG spans of NER corpora (`train_crf.build_names`)
NAME_CLASSES = ("NAME:0", "NAME:lo", "NAME:mid", "NAME:hi", "NAME:all")


def load_lexicon(lang: str, work: Path, names_from: Path | None = None) -> dict[str, str]:
    """hazm's word -> tag classes (`train_crf.build_lexicon_fa`), lowercased keys; {} without hazm.

    With `names_from` (the shared data folder), each word also gets its `NAME:<bucket>`
    class from the NER corpora there.
    """
    if lang != "fa":
        return {}
    from . import train_crf

    path = work / "lexicon.tsv"
    lexicon: dict[str, str] = {}
    if path.is_file() or train_crf.build_lexicon_fa(path):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                word, _, tags = line.rstrip("\n").partition("\t")
                if word and tags:
                    lexicon[word.lower().replace(" ", "\xa0")] = tags
    names = work / "names.tsv"
    if names_from is not None and (names.is_file() or train_crf.build_names(lang, names_from, names)):
        with open(names, encoding="utf-8") as handle:
            for line in handle:
                word, _, bucket = line.rstrip("\n").partition("\t")
                if word and bucket:
                    key = word.lower().replace(" ", "\xa0")
                    lexicon[key] = ",".join(filter(None, [lexicon.get(key), "NAME:" + bucket]))
    return lexicon


def lexicon_classes(lexicon: dict[str, str] | None) -> tuple[str, ...]:
    """The extra vector dimensions a lexicon gives: hazm's classes, + the name buckets if present."""
    if not lexicon:
        return ()
    with_names = any("NAME:" in tags for tags in lexicon.values())
    return LEXICON_CLASSES + (NAME_CLASSES if with_names else ())


def write_pretrain(wv, path: Path, max_vocab: int, lexicon: dict[str, str] | None = None,
                   lexicon_weight: float = 1.0) -> int:
    """Save the `max_vocab` most frequent words of `wv` in stanza's pretrain format.

    With `lexicon` (word -> comma-separated tag classes), every vector gets one extra
    dimension per class in `LEXICON_CLASSES` (`lexicon_weight` when the word has it), and
    lexicon words without a vector are added with only those dimensions.
    """
    import numpy as np
    import torch
    from stanza.models.common.pretrain import Pretrain, PretrainedWordVocab
    from stanza.models.common.vocab import VOCAB_PREFIX

    words = [w for w in wv.index_to_key if w and w not in VOCAB_PREFIX][:max_vocab]
    classes = lexicon_classes(lexicon)
    extra = len(classes)
    if lexicon:
        known = set(words)
        words += sorted(w for w in lexicon if w not in known and w not in VOCAB_PREFIX)
    emb = np.zeros((len(words) + len(VOCAB_PREFIX), wv.vector_size + extra), dtype=np.float32)
    column = {c: wv.vector_size + i for i, c in enumerate(classes)}
    for i, w in enumerate(words):
        row = i + len(VOCAB_PREFIX)
        if w in wv.key_to_index:
            emb[row, :wv.vector_size] = wv[w]
        if lexicon and w in lexicon:
            for c in lexicon[w].split(","):
                if c in column:
                    emb[row, column[c]] = lexicon_weight
    pt = Pretrain(str(path), save_to_file=True)
    pt._vocab = PretrainedWordVocab(words, lower=True)
    pt._emb = torch.from_numpy(emb)
    pt.save(str(path))
    return len(words)


# ------------------------------------------------------------------------------ data


def _write_conllu(sentences, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for k, sentence in enumerate(sentences):
            out.write(f"# sent_id = {k + 1}\n")
            for i, tok in enumerate(sentence, 1):
                form = tok.form.replace("\t", " ") or "_"
                lemma = (tok.lemma or form).replace("\t", " ")
                head, rel = (0, "root") if i == 1 else (1, "dep")
                out.write(f"{i}\t{form}\t{lemma}\t{tok.upos}\t_\t_\t{head}\t{rel}\t_\t_\n")
            out.write("\n")


def harmonize_conflicts(secondary, primary, min_count: int = 3, max_share: float = 0.05) -> Counter:
    """Relabel (in place) secondary tokens whose tag the primary treebank never uses for that word.

    A word seen >= `min_count` times in `primary` that has the secondary token's tag at
    most `max_share` of the time takes the primary's majority tag (Seraji روی/مقابل ADP,
    وقتی SCONJ, همیشه ADV, ... are NOUN in PerDT).  The CRF's harmonization leaves these
    alone (it never relabels to an open class) because its per-treebank feature copies
    absorb such differences; a stanza model has no such copies and learns the conflict.
    """
    counts: dict[str, Counter] = {}
    for s in primary:
        for t in s:
            counts.setdefault(t.form, Counter())[t.upos] += 1
    changed: Counter = Counter()
    for s in secondary:
        for t in s:
            c = counts.get(t.form)
            if not c:
                continue
            total = sum(c.values())
            if total < min_count or c[t.upos] / total > max_share:
                continue
            tag = c.most_common(1)[0][0]
            changed[f"{t.upos}->{tag}"] += 1
            t.upos = tag
    return changed


def prepare_data(lang: str, data_dir: Path, work: Path, dev_every: int = 10, harmonize_secondary: bool = True,
                 conflicts: bool = True, refit: bool = False, auto: Sequence[Path] = (), primary_part: str | None = None,
                 log=print) -> dict:
    """Training / dev CoNLL-U files for stanza; returns their sentences and info.

    `refit`: train on the whole primary treebank, the dev slice included (it then only
    picks stanza's checkpoint): the final fit once the recipe and the ensemble weight
    were chosen with the slice held out."""
    from . import train_crf
    from .crf import Resources

    specs = list(train_crf.DEFAULT_SPLITS[lang]["train"])
    test_spec = str(train_crf.DEFAULT_SPLITS[lang]["test"])
    primary_bank = train_crf.treebank(test_spec)
    primary, secondary = [], []
    for spec in specs:
        sentences = train_crf.normalized(train_crf.load_spec(spec, data_dir, lang), lang)
        (primary if train_crf.treebank(spec) == primary_bank else secondary).extend(sentences)
    dev = [s for k, s in enumerate(primary) if dev_every and k % dev_every == dev_every - 1]
    # `primary_part` (`half-0`/`half-1`): a part of the primary treebank only, for models
    # that tune on the other part (`train_crf.slice_filter`)
    in_part = train_crf.slice_filter(primary_part) if primary_part else (lambda k: True)
    primary_train = [s for k, s in enumerate(primary)
                     if (refit or not (dev_every and k % dev_every == dev_every - 1)) and in_part(k)]
    info: dict = {"train_files": specs, "test_file": test_spec, "dev_every": dev_every, "refit": refit,
                  **({"primary_part": primary_part} if primary_part else {})}
    if secondary and harmonize_secondary:
        # the same harmonization as the CRF's, with the same word-level resources
        crf_dir = PROJECT_ROOT / "models" / f"tagger-{lang}-crf"
        res = Resources.load(crf_dir) if crf_dir.is_dir() else Resources()
        res.names = {}  # the shipped model was harmonized by a CRF without name shares
        info["harmonized"] = train_crf.harmonize(secondary, primary_train, lang, dict(train_crf.DEFAULT_PARAMS),
                                                 work, res, log)
        if conflicts:
            changed = harmonize_conflicts(secondary, primary_train)
            info["harmonized"]["conflicts"] = dict(changed.most_common(20))
            info["harmonized"]["conflict_relabels"] = sum(changed.values())
            log(f"[{lang}] relabelled {sum(changed.values())} secondary tokens whose tag the primary treebank "
                f"never gives that word: {dict(changed.most_common(8))}")
    train = primary_train + secondary
    # auto-labelled raw-text sentences (`autolabel`): a third training file, its own ratio
    auto_sentences = []
    for path in auto:
        from .autolabel import read_auto, read_info

        auto_sentences += train_crf.normalized(read_auto(Path(path)), lang)
        info.setdefault("auto", []).append({"file": Path(path).name, **read_info(Path(path))})
    (work / "train-auto.conllu").unlink(missing_ok=True)
    if auto_sentences:
        _write_conllu(auto_sentences, work / "train-auto.conllu")
        info.update(auto_sentences=len(auto_sentences), auto_tokens=sum(len(s) for s in auto_sentences))
    _write_conllu(primary_train, work / "train-primary.conllu")
    _write_conllu(secondary, work / "train-secondary.conllu")
    _write_conllu(dev, work / "dev.conllu")
    info.update(train_sentences=len(train), train_tokens=sum(len(s) for s in train),
                primary_train_sentences=len(primary_train), secondary_sentences=len(secondary),
                dev_sentences=len(dev), dev_tokens=sum(len(s) for s in dev))
    log(f"[{lang}] stanza data: {info['train_sentences']} training sentences ({info['train_tokens']} tokens), "
        f"{info['dev_sentences']} dev sentences")
    return {"train": train, "dev": dev, "info": info, "test_spec": test_spec,
            "primary_train": primary_train, "secondary": secondary, "auto": auto_sentences}


# -------------------------------------------------------------------------- training


def train_tagger(lang: str, work: Path, pretrain_path: Path, tagger_args: dict, threads: int = 2,
                 primary_ratio: float = 1.0, secondary: bool = True, auto_ratio: float | None = None,
                 log=print) -> Path:
    """stanza's tagger on `train-primary.conllu` (+ `train-secondary.conllu`), selected on `dev.conllu`.

    `primary_ratio` is how many passes over the primary (PerDT) sentences one epoch makes
    per pass over the secondary ones (stanza's --train_ratios); with `auto_ratio`,
    `train-auto.conllu` (auto-labelled sentences) is a third file, `auto_ratio` passes an epoch.
    """
    import torch
    from stanza.models import tagger

    torch.set_num_threads(threads)
    files = [work / "train-primary.conllu"] + ([work / "train-secondary.conllu"] if secondary else [])
    ratios = [primary_ratio] + ([1.0] if secondary else [])
    if auto_ratio is not None:
        files.append(work / "train-auto.conllu")
        ratios.append(auto_ratio)
    argv = [
        "--train_file", ";".join(str(f) for f in files),
        "--eval_file", str(work / "dev.conllu"),
        "--output_file", str(work / "dev.pred.conllu"),
        "--wordvec_pretrain_file", str(pretrain_path),
        "--lang", lang, "--shorthand", f"{lang}_extract", "--mode", "train",
        "--save_dir", str(work), "--save_name", POS_FILE, "--cpu",
    ]
    for key, value in tagger_args.items():
        if isinstance(value, bool):
            if value:
                argv.append(f"--{key}")
        else:
            argv += [f"--{key}", str(value)]
    if len(files) > 1 and any(r != 1.0 for r in ratios):
        argv += ["--train_ratios", ";".join(f"{r:g}" for r in ratios)]
    log("stanza tagger " + " ".join(argv))
    tagger.main(argv)
    return work / POS_FILE


# ------------------------------------------------------------------------ run time


class StanzaLemmaTagger:
    """A stanza UPOS tagger plus a lemma function: `tag()` gives (UPOS, lemma) pairs.

    Forms go through the project normalizer before stanza sees them (as in training);
    lemmas come from `lemma(form, upos)` (e.g. `crf.LemmaTable.lemma`), else the form.
    """

    def __init__(self, stanza_tagger, lang: str, lemma: Callable[[str, str], str] | None = None) -> None:
        self.stanza = stanza_tagger
        self.lang = lang
        self.lemma = lemma
        self.source = stanza_tagger.source

    @classmethod
    def load(cls, lang: str, folder: Path, pretrain: Path | None = None) -> "StanzaLemmaTagger":
        """The model in `folder`; its word vectors are `pretrain`, else the folder's own, else
        those of the model its manifest names as `pretrain_model` (a seed variant's)."""
        from ..models import MANIFEST
        from .crf import LemmaTable
        from .stanza_backend import StanzaTagger

        folder = Path(folder)
        if pretrain is None:
            pretrain = folder / PRETRAIN_FILE
            manifest = folder / MANIFEST
            if not pretrain.is_file() and manifest.is_file():
                owner = json.loads(manifest.read_text(encoding="utf-8")).get("pretrain_model")
                if owner:
                    pretrain = folder.parent / owner / PRETRAIN_FILE
        # a tagger trained with --charlm ships its two character LMs
        tagger = StanzaTagger.load(lang, directory=folder, pos_model_path=folder / POS_FILE,
                                   pos_pretrain_path=pretrain, **charlm_stanza_overrides(folder))
        lemma = None
        if (folder / LEMMA_FILE).is_file():
            table = LemmaTable.from_json(json.loads((folder / LEMMA_FILE).read_text(encoding="utf-8")))
            lemma = table.lemma
        return cls(tagger, lang, lemma)

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[str, str]]]:
        forms = [[_norm(w, self.lang) for w in sentence] for sentence in sentences]
        tagged = self.stanza.tag(forms)
        out = []
        for sentence, pairs in zip(forms, tagged):
            if self.lemma is None:
                out.append([(tag, form) for form, (tag, _) in zip(sentence, pairs)])
            else:
                out.append([(tag, self.lemma(form, tag)) for form, (tag, _) in zip(sentence, pairs)])
        return out


# ---------------------------------------------------------------------------- output


def _model_card(name: str, lang: str, metrics: dict) -> str:
    from . import train_crf

    test = metrics["test"]
    rows = train_crf.per_upos_rows(test)
    vec = metrics["vectors"]
    data = metrics["data"]
    lexicon_note = ""
    if vec.get("lexicon_words"):
        names = any(c.startswith("NAME:") for c in vec["lexicon_classes"])
        lexicon_note = (f"; each vector gets {len(vec['lexicon_classes'])} more dimensions, one per tag class of "
                        f"hazm's words.dat (MIT)"
                        + (" and per bucket of the share of the word's occurrences inside PER/LOC/ORG spans of "
                           "PEYMA's training split + ArmanPersoNER (NAME:*)" if names else "")
                        + f": {', '.join(vec['lexicon_classes'])}; the lexicon's words "
                        f"without a vector are added with those dimensions only: {vec['words']} words in all")
    conflicts = data.get("harmonized", {}).get("conflict_relabels")
    harmonization = (f"; then {conflicts} Seraji tokens whose tag PerDT never gives that word (>= 3 PerDT "
                     f"occurrences) take PerDT's majority tag (`harmonize_conflicts`)" if conflicts else "")
    ratio = metrics.get("primary_ratio", 1.0)
    sampling = (f"; each epoch passes {ratio:g} times over the PerDT sentences per pass over Seraji"
                if ratio != 1.0 else "")
    owner = vec.get("reused_from")
    pretrain_dir = "P" if owner else "F"
    shared_note = (f" and P = `{owner}`'s folder: this model uses that model's word vectors in place "
                   f"(manifest `pretrain_model`, checked against `pretrain_sha256`)" if owner else "")
    reused_note = f" (those of `{owner}`, shared, not retrained)" if owner else ""
    refit = data.get("refit")
    primary_part = (f"all of PerDT-dev, its every {data['dev_every']}th sentence included (final refit)"
                    if refit else f"PerDT-dev minus every {data['dev_every']}th sentence")
    dev_note = ", also trained on: it only picks the checkpoint" if refit else ""
    auto_note = ""
    if data.get("auto"):
        from .autolabel import card_line

        auto_note = (f"\n* a third training file, {metrics.get('auto_ratio', 1.0):g} passes an epoch: "
                     + card_line(data["auto"]))
    return f"""# {name}

Offline part-of-speech tagger (UPOS) for Persian: a stanza BiLSTM tagger
(`stanza.models.tagger`, word + character BiLSTM, biaffine classifier) over normalized
*surface* tokens, with word2vec vectors trained here on Persian raw text.  Loaded by

    StanzaTagger.load("fa", directory=F, pos_model_path=F/"{POS_FILE}", pos_pretrain_path={pretrain_dir}/"{PRETRAIN_FILE}")

(`extract.tagging.stanza_backend`) with F = this folder{shared_note}; feed it normalized forms.
stanza does not lemmatize here: `{LEMMA_FILE}` is the CRF's lemma table (`crf.LemmaTable`)
learned from the same training tokens; `extract.tagging.train_stanza.StanzaLemmaTagger.load("fa", F)`
normalizes the forms, tags with stanza and looks lemmas up by (form, UPOS), with the
Persian fallback lemmatizer for unknown words.

## Data
* training: {', '.join(data['train_files'])} — {data['train_sentences']} sentences,
  {data['train_tokens']} surface tokens ({primary_part},
  plus Seraji dev+test with labels harmonized to PerDT like the CRF's: closed-class words
  by PerDT's majority tag, NOUN->PROPN where a PerDT-only CRF says PROPN{harmonization}){sampling}{auto_note}
* dev (stanza's model selection{dev_note}): every {data['dev_every']}th sentence of PerDT-dev —
  {data['dev_sentences']} sentences, {data['dev_tokens']} tokens
* test (not used for training or selection): {data['test_file']} — {test['sentences']} sentences,
  {test['tokens_scored']} scored surface tokens
* word vectors{reused_note}: {vec['method']} skip-gram, {vec['dims']} dimensions, {vec['epochs']} epochs, on
  {vec['corpus']['tokens']} tokens of {', '.join(vec['corpus']['files'])} (normalized with
  `extract.text.normalize` and tokenized with the Persian tokenizer, lowercased);
  the {vec.get('vector_words', vec['words'])} words seen >= 3 times are kept{lexicon_note}

Surface tokens are rebuilt from the UD syntactic words (`extract.tagging.ud`): clitics are
re-attached to their host and the token takes the host's UPOS. All forms go through the
project normalizer before training and tagging.

Licences: {'; '.join(LICENCES + ([NAMES_LICENCE] if any(c.startswith("NAME:") for c in vec.get("lexicon_classes", [])) else []))}.

## Accuracy on the test set
* UPOS accuracy: **{test['upos_accuracy'] * 100:.2f}%** (the CRF tagger-fa-crf, same data and scorer: {metrics.get('crf_accuracy', 0) * 100:.2f}%)
* lemma accuracy (lemma table + fallback, exact match): {test['lemma_accuracy'] * 100:.2f}%
* tagging speed (normalization + stanza on {metrics['threads']} CPU threads + lemma lookup):
  {test['tokens_per_second']} tokens/s

| UPOS | precision | recall | F1 | support |
|---|---|---|---|---|
{rows}

Most frequent confusions (gold->predicted): {train_crf.confusions(test)}

{chr(10).join('* ' + n for n in metrics.get('notes', []))}

## Model
* size: `{POS_FILE}` {metrics['pos_bytes'] / 1e6:.1f} MB, `{PRETRAIN_FILE}` {metrics['pretrain_bytes'] / 1e6:.1f} MB{' (in ' + owner + ', shared)' if owner else ''},
  `{LEMMA_FILE}` {metrics['lemma_bytes'] / 1e6:.2f} MB
* stanza {metrics['stanza_version']}, tagger arguments: {json.dumps(metrics['tagger_args'])}
* time: vectors {metrics['vector_seconds']:.0f} s, tagger training {metrics['training_seconds']:.0f} s
  ({metrics['threads']} threads)

## Retrain
`python -m extract.tagging.train_stanza --lang fa`, with the UD files in
`../shared/data/ud` (or `$EXTRACT_SHARED_DATA/ud`) and the raw text in `../shared/data/raw-text`.
"""


def _reused_pretrain(folder: Path) -> tuple[Path, dict]:
    """The word vectors (`pretrain.pt`) of an existing stanza model folder and their description:
    a seed variant shares them instead of training (and shipping) a second copy."""
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    return folder / PRETRAIN_FILE, {**metrics["vectors"], "reused_from": folder.name}


def _vectors(lang: str, work: Path, raw_dir: Path, data_dir: Path, dims: int, vocab: int, epochs: int, method: str,
             threads: int, use_lexicon: bool, use_names: bool, log=print) -> tuple[Path, dict]:
    """Train (or take from the `work` cache) the word vectors: the pretrain path and its description."""
    corpus_path = work / f"raw-{lang}.tok.txt"
    corpus_info_path = work / f"raw-{lang}.tok.json"
    if corpus_path.is_file() and corpus_info_path.is_file():
        corpus_info = json.loads(corpus_info_path.read_text())
    else:
        corpus_info = build_token_corpus(lang, raw_dir, corpus_path, workers=threads, log=log)
        corpus_info_path.write_text(json.dumps(corpus_info))
    tag = f"{method}-{dims}d-{epochs}e"
    vectors_path = work / f"vectors-{tag}.kv"
    lexicon = load_lexicon(lang, work, data_dir.parent if use_names else None) if use_lexicon else {}
    with_names = len(lexicon_classes(lexicon)) > len(LEXICON_CLASSES)
    pretrain_path = work / f"pretrain-{tag}-{vocab}{'-lex' if lexicon else ''}{'-names' if with_names else ''}.pt"
    vec_info_path = pretrain_path.with_suffix(".json")
    if pretrain_path.is_file() and vec_info_path.is_file():
        vec_info = json.loads(vec_info_path.read_text())
    else:
        from gensim.models import KeyedVectors

        if vectors_path.is_file():
            wv = KeyedVectors.load(str(vectors_path))
        else:
            wv = train_vectors(corpus_path, dims=dims, epochs=epochs, method=method, workers=threads, log=log)
            wv.save(str(vectors_path))
        n_words = write_pretrain(wv, pretrain_path, vocab, lexicon=lexicon)
        vec_info = {"method": method, "dims": dims, "epochs": epochs, "words": n_words,
                    "vector_words": min(vocab, len(wv.index_to_key)), "vocab_total": len(wv.index_to_key),
                    "lexicon_words": len(lexicon), "lexicon_classes": list(lexicon_classes(lexicon)),
                    "corpus": corpus_info}
        vec_info_path.write_text(json.dumps(vec_info))
    return pretrain_path, vec_info


def _charlm(lang: str, folder: Path | None, tagger_args: dict) -> tuple[dict | None, dict | None]:
    """The charlm pair in `folder` (train_charlm's output), set into `tagger_args`."""
    if folder is None:
        return None, None
    paths = charlm_files(Path(folder))
    if paths is None:
        raise FileNotFoundError(f"no charlm files in {folder} (run python -m extract.tagging.train_charlm)")
    tagger_args.update({"charlm": True, "charlm_shorthand": f"{lang}_extract",
                        "charlm_forward_file": str(paths["forward"]), "charlm_backward_file": str(paths["backward"])})
    info_path = Path(folder) / CHARLM_INFO
    info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.is_file() else {}
    return paths, {**info, "from": str(folder)}


def train(lang: str = "fa", out: Path | None = None, data_dir: Path | None = None, raw_dir: Path | None = None,
          work: Path | None = None, dims: int = 100, vocab: int = 100_000, epochs: int = 10,
          method: str = "word2vec", dev_every: int = 10, threads: int = 2, tagger_args: dict | None = None,
          primary_ratio: float = DEFAULT_PRIMARY_RATIO, harmonize_secondary: bool = True, notes: Sequence[str] = (),
          name: str | None = None, write: bool = True, use_lexicon: bool = True, conflicts: bool = True,
          use_names: bool = False, reuse_tagger: bool = False, pretrain_from: Path | None = None,
          refit: bool = False, auto: Sequence[Path] = (), auto_ratio: float = 1.0, charlm: Path | None = None,
          primary_part: str | None = None, log=print) -> dict:
    import stanza

    from ..models import sha256_file, write_manifest
    from . import train_crf
    from .crf import LemmaTable

    logging.getLogger("stanza").setLevel(logging.INFO)
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    raw_dir = Path(raw_dir) if raw_dir else data_dir.parent / "raw-text"
    name = name or f"tagger-{lang}-stanza"
    out = Path(out) if out else PROJECT_ROOT / "models" / name
    tagger_args = {**DEFAULT_TAGGER_ARGS, **(tagger_args or {})}
    charlm_paths, charlm_info = _charlm(lang, charlm, tagger_args)
    work = Path(work) if work else Path(os.environ.get("TMPDIR", "/tmp")) / f"extract-{name}"
    work.mkdir(parents=True, exist_ok=True)

    # 1. vectors (the token corpus and the pretrain are cached in `work`), or another model's
    started = time.perf_counter()
    if pretrain_from is not None:
        pretrain_path, vec_info = _reused_pretrain(Path(pretrain_from))
        log(f"[{lang}] word vectors of {pretrain_from}")
    else:
        pretrain_path, vec_info = _vectors(lang, work, raw_dir, data_dir, dims, vocab, epochs, method, threads,
                                           use_lexicon, use_names, log)
    vector_seconds = time.perf_counter() - started

    # 2. data
    data = prepare_data(lang, data_dir, work, dev_every=dev_every, harmonize_secondary=harmonize_secondary,
                        conflicts=conflicts, refit=refit, auto=auto, primary_part=primary_part, log=log)

    # 3. tagger
    started = time.perf_counter()
    if reuse_tagger and (work / POS_FILE).is_file():
        # the checkpoint a run in the same --work left (stanza saves its best one as it goes)
        log(f"[{lang}] reusing {work / POS_FILE}")
    else:
        (work / POS_FILE).unlink(missing_ok=True)
        train_tagger(lang, work, pretrain_path, tagger_args, threads=threads, primary_ratio=primary_ratio,
                     secondary=bool(data["secondary"]), auto_ratio=auto_ratio if data["auto"] else None, log=log)
    training_seconds = time.perf_counter() - started
    lemmas = LemmaTable.learn(lang, [(t.form, t.upos, t.lemma) for s in data["train"] + data["dev"] for t in s])
    (work / LEMMA_FILE).write_text(json.dumps(lemmas.to_json(), ensure_ascii=False, separators=(",", ":")),
                                   encoding="utf-8")

    # 4. evaluation, with the model as it will be shipped
    final_files = {POS_FILE: work / POS_FILE, LEMMA_FILE: work / LEMMA_FILE}
    if pretrain_from is None:  # a variant reuses the other model's vectors in place, no second copy
        final_files[PRETRAIN_FILE] = pretrain_path
    if charlm_paths:
        final_files.update({CHARLM_FILES[d]: path for d, path in charlm_paths.items()})
    stage = work / "model"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    for target, source in final_files.items():
        shutil.copyfile(source, stage / target)
    import torch

    torch.set_num_threads(threads)
    os.environ["EXTRACT_TORCH_THREADS"] = str(threads)  # StanzaTagger applies it
    test_sentences = train_crf.normalized(train_crf.load_spec(data["test_spec"], data_dir, lang), lang)
    tagger = StanzaLemmaTagger.load(lang, stage, pretrain=pretrain_path)
    tagger.tag([[t.form for t in s] for s in test_sentences[:20]])  # warm-up
    results = train_crf.evaluate(tagger, test_sentences)
    log(f"[{lang}] {data['test_spec']}: UPOS accuracy {results['upos_accuracy'] * 100:.2f}% on "
        f"{results['tokens_scored']} tokens; lemma {results['lemma_accuracy'] * 100:.2f}%; "
        f"{results['tokens_per_second']} tokens/s")
    crf_metrics = PROJECT_ROOT / "models" / f"tagger-{lang}-crf" / "metrics.json"
    crf_accuracy = json.loads(crf_metrics.read_text())["test"]["upos_accuracy"] if crf_metrics.is_file() else 0.0
    metrics = {
        "name": name, "lang": lang, "data": data["info"], "vectors": vec_info, "tagger_args": tagger_args,
        "crf_accuracy": crf_accuracy,
        "primary_ratio": primary_ratio, "auto_ratio": auto_ratio if data["auto"] else None,
        "stanza_version": stanza.__version__, "threads": threads, "charlm": charlm_info,
        "vector_seconds": round(vector_seconds, 1), "training_seconds": round(training_seconds, 1),
        "pos_bytes": (stage / POS_FILE).stat().st_size, "pretrain_bytes": pretrain_path.stat().st_size,
        "lemma_bytes": (stage / LEMMA_FILE).stat().st_size, "test": results, "notes": list(notes),
    }
    (stage / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (work / f"metrics-{int(time.time())}.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2))
    if write:
        (stage / "MODEL_CARD.md").write_text(_model_card(name, lang, metrics), encoding="utf-8")
        shared = ({"pretrain_model": Path(pretrain_from).name, "pretrain_sha256": sha256_file(pretrain_path)}
                  if pretrain_from is not None else {})
        write_manifest(
            stage, name, kind="stanza-tagger", lang=lang, upos_accuracy=results["upos_accuracy"],
            test_file=data["test_spec"], train_files=data["info"]["train_files"],
            pos_model=POS_FILE, pretrain=PRETRAIN_FILE, lemmas=LEMMA_FILE, **shared,
            stanza_version=stanza.__version__, normalizer="extract.text.normalize",
            **({"charlm": sorted(CHARLM_FILES.values())} if charlm_paths else {}),
        )
        shutil.rmtree(out, ignore_errors=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(stage, out)
        size = sum(p.stat().st_size for p in out.iterdir())
        log(f"[{lang}] wrote {out} ({size / 1e6:.1f} MB)")
    return metrics


NOTES = {
    "fa": [
        "Same training sentences as tagger-fa-crf, minus every 10th PerDT-dev sentence, held out for stanza's "
        "model selection and for tuning tagger-fa-ensemble (the default Persian tagger: this model's "
        "probabilities combined with the CRF's marginals). stanza cannot use the CRF's per-treebank feature "
        "copies, so Seraji's conflicting conventions are relabelled instead (harmonize_conflicts) and PerDT "
        "is sampled more often.",
        "Measured on fa_perdt-test (dev = every 10th PerDT-dev sentence): plain word2vec vectors, CRF "
        "harmonization only, 1600 steps: 91.99% (dev 92.33); + hazm lexicon dimensions + conflict "
        "relabelling: 92.64% (dev 94.10); + PerDT sampled 2x, 2000 steps: 93.30% (dev 94.81); PerDT 3x, "
        "3000 steps (this recipe): 93.86% (dev 94.84). Tried after: + 5 name-share dimensions (share of the "
        "word's occurrences inside PER/LOC/ORG spans of PEYMA's training split + ArmanPersoNER, `--names`), "
        "harmonized by the CRF with name shares: 93.79% (dev 94.61), not kept (chosen on dev).",
        "Still below the 95% target alone; most errors are PROPN<->NOUN and ADJ<->NOUN, as for the CRF.",
    ],
}


# notes of a seed variant (--pretrain-from): the same recipe, the first model's vectors
VARIANT_NOTES = {
    "fa": [
        "A seed variant of tagger-fa-stanza: the same data, harmonization, sampling and tagger arguments "
        "except the random seed (initialization and batch order), and that model's word vectors used in place. "
        "It is a member of tagger-fa-ensemble, whose stanza members' log-probabilities are averaged: two "
        "BiLSTMs trained from different seeds disagree on a few hundred test tokens, mostly the unknown words "
        "the ensemble gets wrong.",
    ],
}


def stanza_args(items: Sequence[str], max_steps: int | None = None) -> dict:
    """Extra stanza trainer arguments from `KEY=VALUE` strings (`KEY=` or `KEY` alone: a flag)."""
    out: dict = {"max_steps": max_steps} if max_steps else {}
    for item in items:
        key, _, value = item.partition("=")
        out[key.lstrip("-")] = True if value == "" else value
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.tagging.train_stanza", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=sorted(RAW_TEXT))
    parser.add_argument("--name", default=None, help="model name (default tagger-<lang>-stanza)")
    parser.add_argument("--out", type=Path, default=None, help="model folder (default models/<name>)")
    parser.add_argument("--data", type=Path, default=None, help="folder with the UD .conllu files")
    parser.add_argument("--raw", type=Path, default=None, help="folder with the raw text (default: <data>/../raw-text)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default $TMPDIR/extract-<name>)")
    parser.add_argument("--dims", type=int, default=100)
    parser.add_argument("--vocab", type=int, default=100_000)
    parser.add_argument("--epochs", type=int, default=10, help="word-vector epochs")
    parser.add_argument("--vectors", choices=["word2vec", "fasttext"], default="word2vec")
    parser.add_argument("--dev-every", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--primary-ratio", type=float, default=DEFAULT_PRIMARY_RATIO,
                        help="passes over the PerDT sentences per pass over Seraji (stanza --train_ratios)")
    parser.add_argument("--tagger-arg", action="append", default=[], metavar="KEY=VALUE",
                        help="extra stanza tagger argument (repeatable)")
    parser.add_argument("--no-harmonize", action="store_true", help="keep Seraji's labels as they are")
    parser.add_argument("--no-conflicts", action="store_true",
                        help="only the CRF's harmonization (see harmonize_conflicts)")
    parser.add_argument("--no-lexicon", action="store_true", help="no hazm tag-class dimensions in the vectors")
    parser.add_argument("--names", action="store_true",
                        help="add name-share dimensions (NER corpora) to the vectors (measured: no gain, see NOTES)")
    parser.add_argument("--pretrain-from", type=Path, default=None, metavar="MODEL_DIR",
                        help="reuse the word vectors of this stanza model folder (e.g. a seed variant)")
    parser.add_argument("--refit", action="store_true",
                        help="train on all of the primary treebank, the dev slice included (final fit)")
    parser.add_argument("--auto", type=Path, action="append", default=[], metavar="CONLLU",
                        help="auto-labelled raw-text sentences (python -m extract.tagging.autolabel) as a third "
                             "training file; repeatable")
    parser.add_argument("--auto-ratio", type=float, default=1.0,
                        help="passes over the --auto sentences per epoch (stanza --train_ratios)")
    parser.add_argument("--primary-part", default=None, metavar="half-0|half-1",
                        help="train on that part of the primary treebank only (to tune an ensemble on the other)")
    parser.add_argument("--no-write", action="store_true", help="evaluate only, write no model folder")
    parser.add_argument("--charlm", type=Path, default=None, metavar="DIR",
                        help="read words through the forward/backward character LMs in DIR "
                             "(python -m extract.tagging.train_charlm); the model folder ships them")
    parser.add_argument("--reuse-tagger", action="store_true",
                        help="evaluate and write the pos.pt already in --work instead of training one")
    args = parser.parse_args(argv)
    tagger_args = stanza_args(args.tagger_arg, args.max_steps)
    notes = VARIANT_NOTES if args.pretrain_from else NOTES
    return exit_code(lambda: train(
        args.lang, name=args.name, out=args.out, data_dir=args.data, raw_dir=args.raw, work=args.work, dims=args.dims,
        vocab=args.vocab, epochs=args.epochs, method=args.vectors, dev_every=args.dev_every,
        threads=args.threads, tagger_args=tagger_args, primary_ratio=args.primary_ratio,
        harmonize_secondary=not args.no_harmonize, notes=notes.get(args.lang, []),
        write=not args.no_write, use_lexicon=not args.no_lexicon, conflicts=not args.no_conflicts,
        use_names=args.names, reuse_tagger=args.reuse_tagger, pretrain_from=args.pretrain_from,
        refit=args.refit, auto=args.auto, auto_ratio=args.auto_ratio, charlm=args.charlm, primary_part=args.primary_part))


if __name__ == "__main__":
    sys.exit(main())
