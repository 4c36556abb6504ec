"""The taxonomy module is the single source of truth and agrees with docs/taxonomy.md."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from ofsted_themes.taxonomy import THEME_IDS, THEMES, UnknownThemeError, check_theme_ids, get_theme


def test_32_unique_ids_matching_the_documented_taxonomy():
    documented = re.findall(r"^\| (\w+) \| ([^|]+) \|", (ROOT / "docs" / "taxonomy.md").read_text(), re.M)
    documented = [(i, name.strip()) for i, name in documented if i != "id"]
    assert len(THEME_IDS) == len(set(THEME_IDS)) == 32
    assert [(t.id, t.name) for t in THEMES] == documented


def test_lookup_and_unknown_ids():
    assert get_theme("lado").name == "Allegations against adults (LADO)"
    with pytest.raises(UnknownThemeError, match="labels.jsonl:3.*'front_door'"):
        check_theme_ids(["mash", "front_door"], "labels.jsonl:3")
