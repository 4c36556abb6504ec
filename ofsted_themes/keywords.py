"""Keyword patterns per theme: the keyword baseline, and lexical features beside the embedding.

A pattern says a theme *may* be present; it is no label. The baseline in ``evaluation``
predicts a theme whenever its pattern matches; the classifier in ``model`` uses the 32
matches as features, in the whole text and in its main clauses (passing mentions removed),
and learns how much each is worth.
"""

from __future__ import annotations

import re
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

PASSING_MENTION = re.compile(r"\b(such as|including|for example|for instance|particularly|in particular|notably|"
                             r"these include|this includes|these included|this included|e\.g\.)\b[^.;:]*", re.I)
"""Examples named in passing, from the cue to the end of the clause: the labelling guide
(``docs/labelling.md``) does not count them as findings unless they get a finding of their own."""


def main_clauses(text: str) -> str:
    """The text without its passing mentions ("such as ...", "including ...", "for example ...")."""
    return PASSING_MENTION.sub(" ", text)


class _Alternative:
    """One top-level alternative of a theme's pattern, searched in lower-cased text. Two
    shortcuts keep this fast: a text without the alternative's leading literal is skipped
    with a plain substring test, and a leading word boundary is checked by hand (in
    Python's ``re`` it would disable the fast literal scan)."""

    def __init__(self, pattern: str):
        self.word_start = pattern.startswith(r"\b")
        body = pattern[2:] if self.word_start else pattern
        self.regex = re.compile(body)
        literal = re.match(r"[a-z0-9 '-]*", body).group()
        self.prefix = literal[:-1] if body[len(literal):len(literal) + 1] in ("?", "*", "{") else literal

    def search(self, text: str) -> bool:
        if self.prefix not in text:
            return False
        for match in self.regex.finditer(text):
            before = text[match.start() - 1] if match.start() else " "
            if not self.word_start or not (before.isalnum() or before == "_"):
                return True
        return False


def _alternatives(pattern: str) -> list[str]:
    """Split a pattern at its top-level ``|`` (not inside parentheses)."""
    parts, depth, current = [], 0, ""
    for char in pattern:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return parts + [current]


_CUES = [[_Alternative(part) for part in _alternatives(KEYWORDS[theme].lower())] for theme in THEME_IDS]


def keyword_matches(texts: Sequence[str]) -> np.ndarray:
    """A (texts x 32) 0/1 matrix: does each theme's pattern match each text (ignoring case)?"""
    lowered = [text.lower() for text in texts]
    return np.array([[any(cue.search(text) for cue in cues) for cues in _CUES] for text in lowered],
                    dtype=np.int8).reshape(len(texts), len(THEME_IDS))
