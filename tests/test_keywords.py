"""Keyword patterns: the fast matcher agrees with a plain case-insensitive regex search."""

from __future__ import annotations

import re

import numpy as np

from ofsted_themes.evaluation import KeywordBaseline
from ofsted_themes.keywords import KEYWORDS, keyword_matches, main_clauses
from ofsted_themes.taxonomy import THEME_IDS

TEXTS = [
    "The MASH screens contacts promptly; re-referrals are low.",
    "Smash and grab, and nothing else.",                        # "mash" inside a word
    "The LADO (designated officer) manages allegations against staff.",
    "Privately fostered children are visited; foster carers are trained.",
    "Families step up and step-down between early help and social care.",
    "Children who go missing are offered return home interviews.",
    "",
    "Caseloads are high, and agency staff turnover is frequent.",
]


def test_fast_matcher_agrees_with_plain_regex():
    plain = np.array([[1 if re.search(KEYWORDS[theme], text, re.I) else 0 for theme in THEME_IDS]
                      for text in TEXTS], dtype=np.int8)
    assert (keyword_matches(TEXTS) == plain).all()


def test_word_boundary_and_baseline():
    matches = KeywordBaseline().predict(TEXTS)
    mash = THEME_IDS.index("mash")
    assert matches[0, mash] == 1 and matches[1, mash] == 0
    assert matches[2, THEME_IDS.index("lado")] == 1
    assert matches.shape == (len(TEXTS), 32) and keyword_matches([]).shape == (0, 32)


def test_main_clauses_drop_passing_mentions():
    text = ("Leaders have improved services, including for young carers and care leavers. "
            "Return home interviews are timely; for example, the LADO reviews them. The MASH is strong.")
    kept = main_clauses(text)
    assert "young carers" not in kept and "LADO" not in kept
    assert "Leaders have improved services" in kept and "Return home interviews are timely;" in kept
    assert kept.endswith("The MASH is strong.")
    matches = keyword_matches([text, kept])
    young_carers, mash = THEME_IDS.index("young_carers"), THEME_IDS.index("mash")
    assert matches[0, young_carers] == 1 and matches[1, young_carers] == 0 and matches[1, mash] == 1
