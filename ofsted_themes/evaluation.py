"""Evaluation: per-theme precision, recall and F1, and the baselines the model must beat.

Baselines, measured in the same run as the model:
- ``KeywordBaseline``: a careful list of keyword patterns per theme, no training;
- TF-IDF with the same linear head, trained on the same data (``ThemeClassifier(encoder=None)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ofsted_themes.taxonomy import THEME_IDS

KEYWORDS: dict[str, str] = {
    "early_help": r"early help|family hubs?|family help|step(ped|ping)?[- ](up|down)",
    "mash": r"\bMASH\b|front door|multi-agency safeguarding hub|referrals?\b|contacts? (are|is|were|was) |"
            r"threshold|consent|re-referral|no further action",
    "out_of_hours": r"out[- ]of[- ]hours|emergency duty|\bEDT\b|out of office hours",
    "lado": r"\bLADO\b|designated officer|allegations? (made )?against|people who work with children",
    "child_protection": r"strategy (meeting|discussion)s?|section 47|child protection (plan|conference|enquir|review)|"
                        r"core group|initial child protection|conference chair",
    "assessment_and_planning": r"assessments?\b|plans? (are|is|were|was)|planning|drift|delay|child in need plan|"
                               r"care plans?",
    "pre_proceedings": r"pre-proceedings|public law outline|\bPLO\b|care proceedings|letters? before|court",
    "edge_of_care": r"edge of care|edge-of-care|family group conferenc|family network|return home safely|"
                    r"remain (safely )?at home|intensive (family )?support",
    "domestic_abuse": r"domestic (abuse|violence)|\bMARAC\b|perpetrator",
    "missing_exploitation": r"missing|exploitation|exploited|county lines|gangs?\b|extra-familial|contextual "
                            r"safeguarding|trafficking|radicalis",
    "disabled_children": r"disabled children|disabilit|special educational needs|\bSEND\b|short breaks",
    "homeless_16_17": r"homeless|16- and 17-year-olds|16 and 17 year olds|joint housing protocol",
    "private_fostering": r"private(ly)? foster",
    "young_carers": r"young carers?",
    "uasc": r"unaccompanied|asylum|age assessment|national transfer scheme|separated children",
    "youth_justice": r"youth (offending|justice)|custody|remand|criminalis",
    "permanence": r"permanence|kinship|special guardian|connected (carers?|persons?)|reunification|family time|"
                  r"\bcontact with|brothers and sisters|siblings",
    "adoption": r"adopt",
    "fostering": r"foster(ing)? (carers?|service|panel|household)|mockingbird|fostering",
    "placements": r"sufficiency|placements?\b|children's homes?|unregistered|unregulated|homes? (for|that) "
                  r"children|stability|out of area|matching",
    "health": r"health|CAMHS|dental|therap|substance misuse|wellbeing",
    "education": r"virtual school|education|school|attendance|exclusion|\bPEPs?\b|attainment|employment|training "
                 r"(or|and) employment|\bNEET\b|\bEET\b",
    "voice_and_participation": r"wishes and feelings|voice|advoca|independent visitor|children in care council|"
                               r"participation|co-produc|complaints?|views",
    "direct_work": r"direct work|life[- ]story|later life letter|relationships? with (their )?(social worker|"
                   r"personal adviser)|visits?\b|changes? of social worker",
    "care_leavers": r"care leavers?|personal advisers?|pathway plan|local offer|staying (put|close)|"
                    r"care-experienced|independence",
    "housing": r"housing|accommodation|bed and breakfast|tenanc",
    "transitions": r"transition|preparing for adulthood|adult social care|adult services|adult mental health",
    "leadership": r"leaders|director of children's services|\bDCS\b|chief executive|elected members|"
                  r"corporate parent|investment|improvement (plan|board)|self-evaluation|scrutiny",
    "partnerships": r"partners|partnership|police|health (colleagues|partners)|schools and",
    "quality_assurance": r"audit|quality assurance|performance (data|information|management)|"
                         r"learning from",
    "management_oversight": r"management oversight|supervision|managers'? (oversight|decisions?)|"
                            r"independent reviewing officer|\bIROs?\b|oversight",
    "workforce": r"caseloads?|agency (staff|social workers?)|recruit|retention|turnover|workforce|"
                 r"training|morale|staff",
}


class KeywordBaseline:
    """Themes from keyword patterns alone (a theme whose pattern matches the text)."""

    def __init__(self, keywords: dict[str, str] = KEYWORDS):
        self.patterns = [re.compile(keywords[theme], re.I) for theme in THEME_IDS]

    def fit(self, texts: Sequence[str], themes=None, groups=None) -> "KeywordBaseline":
        return self

    def predict(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return np.array([[1 if p.search(text) else 0 for p in self.patterns] for text in texts], dtype=np.int8)


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
