"""Evaluation: per-theme precision, recall and F1, and the baselines the model must beat.

Baselines, measured in the same run as the model:
- ``KeywordBaseline``: a careful list of keyword patterns per theme, no training;
- TF-IDF with the same kind of linear head, trained on the same data, its regularisation
  chosen by its own grouped cross-validation (``tfidf_baseline``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ofsted_themes.keywords import keyword_matches
from ofsted_themes.taxonomy import THEME_IDS


class KeywordBaseline:
    """Themes from keyword patterns alone (a theme whose pattern matches the text)."""

    def fit(self, texts: Sequence[str], themes=None, groups=None) -> "KeywordBaseline":
        return self

    def predict(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return keyword_matches(texts)


def tfidf_baseline(texts: Sequence[str], themes, groups: Sequence[str], choices=(1.0, 4.0, 16.0)):
    """TF-IDF alone with a logistic head per theme; C is the choice with the best
    cross-validated micro-F1 on the training data (grouped by report)."""
    from ofsted_themes.model import ThemeClassifier

    fitted = [ThemeClassifier(encoder=None, keywords=False, lexical_weight=1.0, C=C).fit(texts, themes, groups=groups)
              for C in choices]
    return max(fitted, key=lambda model: model.info_["cross_validation"]["micro_f1"])


@dataclass
class Scores:
    """Precision, recall, F1 and support per theme, with micro and macro F1."""

    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    support: np.ndarray
    micro_f1: float
    macro_f1: float

    def per_theme(self) -> dict[str, dict[str, float]]:
        return {theme: {"precision": round(float(self.precision[j]), 4), "recall": round(float(self.recall[j]), 4),
                        "f1": round(float(self.f1[j]), 4), "support": int(self.support[j])}
                for j, theme in enumerate(THEME_IDS)}


def score(y_true: np.ndarray, y_pred: np.ndarray) -> Scores:
    """Multi-label scores with scikit-learn's metrics."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0)
    return Scores(precision, recall, f1, support,
                  float(f1_score(y_true, y_pred, average="micro", zero_division=0)),
                  float(f1_score(y_true, y_pred, average="macro", zero_division=0)))


def comparison_table(results: dict[str, Scores]) -> tuple[list[str], list[list]]:
    """Header and rows: each theme's support and F1 per model, then micro and macro F1."""
    names = list(results)
    header = ["theme", "support", *[f"F1 {name}" for name in names]]
    first = results[names[0]]
    rows = [[theme, int(first.support[j]), *[round(float(results[n].f1[j]), 3) for n in names]]
            for j, theme in enumerate(THEME_IDS)]
    rows.append(["micro-F1", int(first.support.sum()), *[round(results[n].micro_f1, 3) for n in names]])
    rows.append(["macro-F1", "", *[round(results[n].macro_f1, 3) for n in names]])
    return header, rows


def wins(results: dict[str, Scores], model: str) -> dict[str, int]:
    """For each other entry, on how many themes ``model`` has the higher F1."""
    return {name: int((results[model].f1 > scores.f1).sum()) for name, scores in results.items() if name != model}
