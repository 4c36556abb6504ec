"""The public API: ``classify``, ``classify_many`` and ``classify_report`` with the shipped model.

The default model (``models/default``, or the folder in ``OFSTED_THEMES_MODEL``) is loaded
once, on first use. ``fast=True`` uses the fast tier (``models/fast``) for bulk runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from ofsted_themes.model import BundleError, ThemeClassifier
from ofsted_themes.reports import Record, Report, read_report
from ofsted_themes.taxonomy import THEME_IDS, get_theme

MODELS = Path(__file__).resolve().parent.parent / "models"


@dataclass(frozen=True)
class ThemeScore:
    """A theme given to a text, with the model's probability and the theme's threshold."""

    theme: str
    name: str
    score: float
    threshold: float


@dataclass
class Classification:
    """The themes of one text (most probable first); ``record`` is set for report texts."""

    text: str
    themes: list[ThemeScore]
    record: Record | None = field(default=None, repr=False)

    @property
    def theme_ids(self) -> list[str]:
        return [t.theme for t in self.themes]


def model_folder(fast: bool = False) -> Path:
    """Where the shipped bundle is: ``OFSTED_THEMES_MODEL`` (or ``..._FAST_MODEL``) or ``models/``."""
    variable = "OFSTED_THEMES_FAST_MODEL" if fast else "OFSTED_THEMES_MODEL"
    return Path(os.environ.get(variable, MODELS / ("fast" if fast else "default")))


@lru_cache(maxsize=4)
def load_model(folder: str | Path | None = None, fast: bool = False) -> ThemeClassifier:
    """Load a bundle once (the shipped default when no folder is given)."""
    folder = Path(folder) if folder else model_folder(fast)
    if not folder.exists():
        raise BundleError(f"{folder}: model bundle not found; train one with `ofsted-themes train` "
                          "or point OFSTED_THEMES_MODEL at a bundle folder")
    return ThemeClassifier.load(folder)


def _classifications(model: ThemeClassifier, texts: list[str], probabilities: np.ndarray,
                     records: Sequence[Record | None], sections: Sequence[str | None] | None) -> list[Classification]:
    results = []
    thresholds = model.thresholds_for(sections, len(texts))
    for text, row, limits, record in zip(texts, probabilities, thresholds, records):
        chosen = np.flatnonzero(row >= limits)
        chosen = chosen[np.argsort(-row[chosen])]
        results.append(Classification(text, [ThemeScore(THEME_IDS[j], get_theme(THEME_IDS[j]).name,
                                                         round(float(row[j]), 4), float(limits[j]))
                                              for j in chosen], record))
    return results


def classify_many(texts: Sequence[str], model: ThemeClassifier | str | Path | None = None, fast: bool = False,
                  progress: bool = False, sections: Sequence[str | None] | None = None) -> list[Classification]:
    """Themes of each text (a list of ``Classification``); ``sections`` optionally says where each
    text sits in its report (a ``Record.section`` name such as ``"care_leavers"``, or None)."""
    model = model if isinstance(model, ThemeClassifier) else load_model(model, fast)
    texts = list(texts)
    if not texts:
        return []
    probabilities = model.predict_proba(texts, sections=sections, progress=progress)
    return _classifications(model, texts, probabilities, [None] * len(texts), sections)


def classify(text: str, model: ThemeClassifier | str | Path | None = None, fast: bool = False) -> Classification:
    """Themes of one text, e.g. ``classify("The LADO responds swiftly.").theme_ids``."""
    if not isinstance(text, str):
        raise TypeError(f"classify() takes a str, not {type(text).__name__}")
    return classify_many([text], model, fast)[0]


def classify_report(report: str | Path | Report, model: ThemeClassifier | str | Path | None = None,
                    fast: bool = False, progress: bool = False) -> list[Classification]:
    """Every recommendation, summary and numbered paragraph of a report, with its themes (scored
    with the section each text sits in)."""
    report = report if isinstance(report, Report) else read_report(report)
    model = model if isinstance(model, ThemeClassifier) else load_model(model, fast)
    texts = [record.text for record in report.records]
    sections = [record.section for record in report.records]
    probabilities = model.predict_proba(texts, sections=sections, progress=progress)
    return _classifications(model, texts, probabilities, report.records, sections)
