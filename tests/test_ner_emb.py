"""The NER feature extra `emb` (word2vec clusters, extract/ner/embclusters.py)."""
import json

from extract.models import models_dir
from extract.ner.features import EMB_FILE, Featurizer, load_tsv


def test_emb_clusters_are_features_of_the_word_and_its_neighbours():
    words = ["حسن", "روحانی", "گفت", "که"]
    plain = Featurizer({}, {}, lambda w: [], lambda w: w)
    assert not any(f.startswith(("e0=", "e=", "1:e")) for feats in plain.sentence(words) for f in feats)
    rich = Featurizer({}, {}, lambda w: [], lambda w: w, emb={"روحانی": ("3", "17", "250")})
    first, second, third, fourth = rich.sentence(words)
    assert {"e0=3", "e1=17", "e2=250"} <= set(second)
    assert "e=?" in first and {"1:e0=3", "1:e2=250"} <= set(first) and "-1:e2=250" in third
    # two words away only the coarsest cluster
    assert "-2:e0=3" in fourth and "-2:e2=250" not in fourth


def test_the_persian_model_reads_its_emb_clusters():
    folder = models_dir() / "ner-fa-crf"
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "emb" in config["extras"] and EMB_FILE in manifest["files"]
    emb = load_tsv(folder / EMB_FILE)
    # words of one kind share clusters: first names the finer two, cities the coarsest
    assert emb["محمد"][1:] == emb["علی"][1:] == emb["حسین"][1:]
    assert emb["تهران"][0] == emb["مشهد"][0] == emb["شیراز"][0] != emb["محمد"][0]
