"""Labels keyed to records, joined with texts rebuilt from the reports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, needs_corpus

from ofsted_themes import read_report
from ofsted_themes.datasets import (LabelError, build_dataset, data_hash, load_table, read_labels, read_split,
                                    summary_tables)


@pytest.fixture
def labelled(tmp_path, small_report):
    """A corpus folder with the small report, a label file for it and a split file."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    report_path = corpus / small_report.name
    report_path.write_text(small_report.read_text())
    report = read_report(report_path)
    themes = {"r1": ["lado"], "r2": ["health"], "p1": ["lado"], "p2": ["child_protection", "partnerships"],
              "p3": ["young_carers"], "s1": ["leadership", "workforce"]}
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"report_id": report.report_id, "record_id": rid,
                                          "text_hash": report.record(rid).text_hash, "themes": ids,
                                          "stance": "weakness" if rid.startswith("r") else "strength",
                                          "labeller": "test"}) + "\n" for rid, ids in themes.items()))
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"train": [report.report_id], "test": []}))
    return labels, corpus, split, report


def test_build_dataset_rebuilds_texts(labelled):
    labels, corpus, split, report = labelled
    data = build_dataset(labels, corpus, split)
    assert set(data) == {"train", "test"} and len(data["train"]) == 6 and len(data["test"]) == 0
    row = data["train"][0]
    assert row["text"] == report.record(row["record_id"]).text
    assert row["era"] == "ILACS" and row["kind"] in {"recommendation", "summary", "paragraph"}
    tables = summary_tables(data)
    assert dict((r[0], r[1]) for r in tables["theme"])["lado"] == 2
    assert tables["total"][0] == ["texts", 6, 0]


def test_hash_mismatch_names_the_record(labelled):
    labels, corpus, split, report = labelled
    rows = [json.loads(line) for line in labels.read_text().splitlines()]
    rows[3]["text_hash"] = "0000000000"
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(LabelError, match=f"{report.report_id}/p2: text hash .* does not match"):
        build_dataset(labels, corpus, split)


def test_unknown_theme_names_file_and_line(labelled):
    labels, *_ = labelled
    lines = labels.read_text().splitlines()
    lines[1] = lines[1].replace('"health"', '"healthcare"')
    labels.write_text("\n".join(lines) + "\n")
    with pytest.raises(LabelError, match=f"{labels}:2.*healthcare"):
        read_labels(labels)


def test_duplicate_and_missing_fields(tmp_path):
    path = tmp_path / "labels.jsonl"
    row = {"report_id": "a", "record_id": "p1", "text_hash": "x", "themes": ["lado"], "stance": "strength"}
    path.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n")
    with pytest.raises(LabelError, match="labelled twice"):
        read_labels(path)
    path.write_text(json.dumps({"report_id": "a", "record_id": "p1"}) + "\n")
    with pytest.raises(LabelError, match="labels.jsonl:1: missing field"):
        read_labels(path)
    path.write_text(json.dumps({**row, "stance": "neutral"}) + "\n")
    with pytest.raises(LabelError, match="stance 'neutral'"):
        read_labels(path)


def test_missing_report_and_empty_corpus(labelled, tmp_path):
    labels, _, split, report = labelled
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(LabelError, match=f"{report.report_id} is labelled but not found in {empty}"):
        build_dataset(labels, empty, split)
    with pytest.raises(LabelError, match="no such corpus folder"):
        build_dataset(labels, tmp_path / "absent", split)


def test_user_table_csv(tmp_path):
    table = tmp_path / "mine.csv"
    table.write_text("text,themes\nThe LADO is effective.,lado\nCare leavers have homes.,care_leavers;housing\n")
    data = load_table(table)
    assert data["themes"] == [["lado"], ["care_leavers", "housing"]]
    table.write_text("text,themes\nSomething.,not_a_theme\n")
    with pytest.raises(LabelError, match="not_a_theme"):
        load_table(table)


def test_data_hash_depends_on_labels():
    assert data_hash(["a"], [["lado"]]) != data_hash(["a"], [["mash"]])


def test_committed_split_is_disjoint_and_whole_reports():
    split = read_split()
    assert len(split["test"]) >= 25 and not set(split["train"]) & set(split["test"])
    labels = read_labels(ROOT / "training" / "data" / "labels.jsonl")
    councils = {s: {r.split("_")[1] for r in split[s]} for s in ("train", "test")}
    assert not councils["train"] & councils["test"]
    assert {l.report_id for l in labels} <= set(split["train"]) | set(split["test"])


@needs_corpus
def test_committed_labels_match_the_corpus():
    """Every committed label's hash matches the text the reader gives today."""
    from conftest import CORPUS

    data = build_dataset(corpus=CORPUS)
    assert len(data["train"]) + len(data["test"]) >= 3000
    assert len(data["test"]) >= 600


def test_summary_command(labelled):
    labels, corpus, split, _ = labelled
    out = subprocess.run([sys.executable, "-m", "ofsted_themes.cli", "dataset", "summary", "--labels", str(labels),
                          "--corpus", str(corpus), "--split", str(split)], capture_output=True, text=True, check=True)
    assert "young_carers" in out.stdout and "ILACS" in out.stdout and "weakness" in out.stdout
