"""Accuracy levers: what each feature, encoder, pooling, setting and amount of labels does.

    python benchmarks/levers.py                     # all levers (35 minutes on 7,335 train texts; more on more)
    python benchmarks/levers.py --only features     # one group: features, pooling, settings, labels

Every figure is micro- and macro-F1 of out-of-fold predictions from 5-fold cross-validation
on the train split, folds grouped by report, thresholds tuned per theme on those predictions
(as ``ofsted-themes train`` does). The test split is never read. Each row prints its
difference from the shipped default configuration, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import random
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from ofsted_themes import encoders
from ofsted_themes.datasets import build_dataset
from ofsted_themes.evaluation import score
from ofsted_themes.keywords import keyword_matches
from ofsted_themes.model import ThemeClassifier, binarize, tune_thresholds

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = {setting: json.loads((ROOT / "models" / "default" / "bundle.json").read_text())[setting]
           for setting in ("lexical", "lexical_weight", "char_ngrams", "keywords", "main_clause_keywords", "sections",
                           "C")}


@contextmanager
def captured_pieces():
    """Record the per-sentence (window) vectors the encoder averages, to pool them other ways."""
    seen: dict = {}
    original = encoders._mean_by_owner

    def capture(vectors, owner, count):
        seen.update(vectors=vectors.copy(), owner=owner, count=count)
        return original(vectors, owner, count)

    encoders._mean_by_owner = capture
    try:
        yield seen
    finally:
        encoders._mean_by_owner = original


@contextmanager
def whole_text_windows():
    """Encode each text as one piece (token windows of the whole paragraph), not by sentence."""
    original = encoders.split_sentences
    encoders.split_sentences = lambda text: [text]
    try:
        yield
    finally:
        encoders.split_sentences = original


def max_pooled(pieces: dict) -> np.ndarray:
    pooled = np.full((pieces["count"], pieces["vectors"].shape[1]), -np.inf, dtype=np.float32)
    np.maximum.at(pooled, pieces["owner"], pieces["vectors"])
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def cross_validated(texts, y, groups, embeddings, fraction: float = 1.0, section_names=None, **settings):
    """Grouped 5-fold out-of-fold scores, and the mean number of texts each fold trained on;
    ``fraction`` of each fold's training reports is kept; ``section_names`` (each text's
    section) are used when the settings ask for sections."""
    sections = section_names if settings.get("sections") else None
    out_of_fold, sizes = np.zeros(y.shape), []
    for fold, (train, held) in enumerate(GroupKFold(5).split(texts, y, groups)):
        if fraction < 1.0:
            reports = sorted(set(groups[train]))
            kept = set(random.Random(fold).sample(reports, round(fraction * len(reports))))
            train = train[np.isin(groups[train], list(kept))]
        sizes.append(len(train))
        head = ThemeClassifier(encoder="given" if embeddings is not None else None, **settings)
        head._fit_head(None if embeddings is None else embeddings[train], [texts[i] for i in train], y[train],
                       None if sections is None else [sections[i] for i in train])
        out_of_fold[held] = head._probabilities(None if embeddings is None else embeddings[held],
                                                [texts[i] for i in held],
                                                None if sections is None else [sections[i] for i in held])
    return score(y, (out_of_fold >= tune_thresholds(y, out_of_fold)).astype(np.int8)), float(np.mean(sizes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="../shared/corpus", help="folder of report PDFs")
    parser.add_argument("--only", choices=["features", "pooling", "settings", "labels"], action="append",
                        help="run only these groups of levers (repeatable)")
    args = parser.parse_args()
    groups_wanted = set(args.only or ["features", "pooling", "settings", "labels"])

    train = build_dataset(corpus=args.corpus, progress=True)["train"]
    texts, y, groups = list(train["text"]), binarize(train["themes"]), np.array(train["report_id"])
    sections = list(train["section"])
    print(f"train split: {len(texts)} texts from {len(set(groups))} reports; 5-fold CV grouped by report\n")

    with captured_pieces() as pieces:
        minilm = encoders.OnnxEncoder().encode(texts, progress=True)
    static = encoders.StaticEncoder(ROOT / "models" / "fast" / "static").encode(texts)

    alone = dict(SHIPPED, lexical=False, keywords=False, sections=False)
    rows = [(f"shipped default: MiniLM sentence-mean + TF-IDF x{SHIPPED['lexical_weight']:g}"
             f"{' + character n-grams' if SHIPPED['char_ngrams'] else ''} + keywords"
             f"{' (text, main clauses)' if SHIPPED['main_clause_keywords'] else ''}"
             f"{' + section' if SHIPPED['sections'] else ''}, C={SHIPPED['C']:g}", minilm, SHIPPED, 1.0)]
    if "features" in groups_wanted:
        rows += [
            (f"TF-IDF alone (C={SHIPPED['C']:g})", None, dict(alone, lexical=True, lexical_weight=1.0), 1.0),
            ("MiniLM alone", minilm, alone, 1.0),
            ("shipped without keywords", minilm, dict(SHIPPED, keywords=False), 1.0),
            ("shipped without main-clause keywords", minilm, dict(SHIPPED, main_clause_keywords=False), 1.0),
            ("shipped without TF-IDF", minilm, dict(SHIPPED, lexical=False), 1.0),
            ("shipped without sections (MiniLM + TF-IDF + keywords)", minilm, dict(SHIPPED, sections=False), 1.0),
            ("static (fast tier) alone", static, alone, 1.0),
            ("static in place of MiniLM (shipped fast)", static, SHIPPED, 1.0),
            ("MiniLM and static side by side", np.hstack([minilm, static]), SHIPPED, 1.0),
        ]
    if "pooling" in groups_wanted:
        with whole_text_windows():
            whole = encoders.OnnxEncoder().encode(texts, progress=True)
        rows += [
            ("pooling: max over sentences", max_pooled(pieces), SHIPPED, 1.0),
            ("pooling: whole-paragraph windows, no sentence split", whole, SHIPPED, 1.0),
        ]
    if "settings" in groups_wanted:
        rows += [(f"C={C}", minilm, dict(SHIPPED, C=C), 1.0) for C in (4.0, 64.0)]
        rows += [(f"TF-IDF weight {w}", minilm, dict(SHIPPED, lexical_weight=w), 1.0) for w in (1.0, 4.0)]
        rows += [("character 3- to 5-gram TF-IDF added (--char-ngrams)", minilm, dict(SHIPPED, char_ngrams=True), 1.0)]
    if "labels" in groups_wanted:
        rows += [(f"labels: {f:.0%} of each fold's training reports", minilm, SHIPPED, f) for f in (0.25, 0.5, 0.75)]

    def line(name: str, result, texts_used: float) -> None:
        print(f"{name:64s} {texts_used:7.0f} {result.micro_f1:8.3f} {result.macro_f1:8.3f}"
              f" {result.micro_f1 - shipped.micro_f1:+10.3f}", flush=True)

    print(f"{'lever':64s} {'texts':>7s} {'micro-F1':>8s} {'macro-F1':>8s} {'vs shipped':>10s}")
    (name, embeddings, settings, fraction), *others = rows
    shipped, texts_used = cross_validated(texts, y, groups, embeddings, fraction, sections, **settings)
    line(name, shipped, texts_used)
    line("keyword rules (no training)", score(y, keyword_matches(texts).astype(np.int8)), 0)
    for name, embeddings, settings, fraction in others:
        line(name, *cross_validated(texts, y, groups, embeddings, fraction, sections, **settings))

if __name__ == "__main__":
    main()
