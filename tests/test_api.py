"""The public API and the command line, with the shipped bundles and with a tiny model."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT
from test_model import tiny_data

from ofsted_themes import THEME_IDS, BundleError, classify, classify_many, classify_report
from ofsted_themes.evaluation import comparison_table, score, tfidf_baseline, wins
from ofsted_themes.predictions import load_model

CLI = [sys.executable, "-m", "ofsted_themes.cli"]
FAST = ROOT / "models" / "fast"


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("fast", [True, pytest.param(False, marks=pytest.mark.slow)])
def test_classify_short_texts_with_the_shipped_models(fast):
    result = classify("The designated officer manages allegations against staff who work with children well.",
                      fast=fast)
    assert "lado" in result.theme_ids
    lado = result.themes[result.theme_ids.index("lado")]
    assert lado.name == "Allegations against adults (LADO)" and lado.score >= lado.threshold
    assert [t.score for t in result.themes] == sorted((t.score for t in result.themes), reverse=True)
    many = classify_many(["Care leavers have personal advisers who keep in touch with them.",
                          "Foster carers are recruited, trained and supported well by the fostering service."],
                         fast=fast)
    assert "care_leavers" in many[0].theme_ids and "fostering" in many[1].theme_ids
    assert classify_many([], fast=fast) == []


def test_classify_report_gives_every_record(small_report):
    results = classify_report(small_report, fast=True)
    assert [r.record.record_id for r in results] == ["s1", "r1", "r2", *[f"p{n}" for n in range(1, 8)]]
    by_record = {r.record.record_id: r for r in results}
    assert "young_carers" in by_record["p3"].theme_ids and "lado" in by_record["p1"].theme_ids
    texts, sections = [r.text for r in results], [r.record.section for r in results]
    assert [r.themes for r in classify_many(texts, fast=True, sections=sections)] == [r.themes for r in results]
    model = load_model(fast=True)  # the shipped head uses sections; without them, the words alone
    assert not np.allclose(model.predict_proba(texts), model.predict_proba(texts, sections=sections), atol=1e-3)


def test_bad_inputs_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="text 1 is empty"):
        classify("  ", fast=True)
    with pytest.raises(TypeError, match="takes a str"):
        classify(42, fast=True)
    with pytest.raises(BundleError, match="model bundle not found"):
        classify("A text.", model=tmp_path / "no-bundle")


def test_cli_classify_text_stdin_and_report(small_report):
    out = run_cli("classify", "--fast", "--format", "jsonl", "Return home interviews follow missing episodes.")
    row = json.loads(out.stdout)
    assert out.returncode == 0 and "missing_exploitation" in row["themes"] and len(row["scores"]) == len(row["themes"])
    out = run_cli("classify", "--fast", "--format", "csv", "-", stdin="Caseloads are high.\nThe virtual school helps.\n")
    assert [r["source"] for r in csv.DictReader(out.stdout.splitlines())] == ["stdin", "stdin"]
    out = run_cli("classify", "--fast", str(small_report))
    assert out.returncode == 0 and "p7" in out.stdout and "leadership" in out.stdout


def test_cli_folder_skips_a_file_that_is_not_a_report_and_says_so(tmp_path, small_report):
    (tmp_path / small_report.name).write_text(small_report.read_text())
    (tmp_path / "notes.txt").write_text("Shopping list: bread, milk.")
    out = run_cli("classify", "--fast", "--format", "csv", str(tmp_path))
    assert out.returncode == 0 and "notes.txt" in out.stderr and "not an Ofsted" in out.stderr
    rows = list(csv.DictReader(out.stdout.splitlines()))
    assert {r["source"] for r in rows} == {str(tmp_path / small_report.name)}
    assert rows[0]["local_authority"] and rows[0]["framework"] and rows[0]["inspection_start"].startswith("20")
    assert [(r["record"], r["kind"]) for r in rows[:2]] == [("s1", "summary"), ("r1", "recommendation")]


def test_cli_errors_name_the_problem(tmp_path):
    out = run_cli("classify", "--model", str(tmp_path / "absent"), "A text.")
    assert out.returncode == 2 and "model bundle not found" in out.stderr
    out = run_cli("check-corpus", str(tmp_path))
    assert out.returncode == 2 and "no report PDFs" in out.stderr
    out = run_cli("classify", "--fast", str(tmp_path / "absent.pdf"))
    assert out.returncode == 2 and "absent.pdf: no such file" in out.stderr
    (tmp_path / "table.csv").write_text("text\nCaseloads are high.\n")
    out = run_cli("classify", "--fast", str(tmp_path / "table.csv"))
    assert out.returncode == 2 and "table.csv: not a report PDF" in out.stderr


def test_cli_texts_given_together_are_numbered_in_order():
    out = run_cli("classify", "--fast", "--format", "jsonl", "Caseloads are high.", "The virtual school helps.")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(r["source"], r["record"]) for r in rows] == [("text", "1"), ("text", "2")]
    assert "workforce" in rows[0]["themes"] and "education" in rows[1]["themes"]


def test_cli_train_on_a_table_then_classify(tmp_path):
    texts, themes, groups = tiny_data()
    table = tmp_path / "mine.csv"
    with table.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "themes", "report_id"])
        writer.writerows([t, ";".join(ids), g] for t, ids, g in zip(texts, themes, groups))
    out = run_cli("train", "--table", str(table), "--encoder", "none", "--out", str(tmp_path / "bundle"))
    assert out.returncode == 0, out.stderr
    bundle = json.loads((tmp_path / "bundle" / "bundle.json").read_text())
    assert bundle["training_data"]["texts"] == len(texts) and len(bundle["cross_validation"]["per_theme"]) == 32
    out = run_cli("classify", "--model", str(tmp_path / "bundle"), "--format", "jsonl",
                  "The designated officer handles allegations against staff.")
    assert "lado" in json.loads(out.stdout)["themes"]
    table.write_text("text,themes\nSomething.,not_a_theme\n")
    out = run_cli("train", "--table", str(table), "--encoder", "none", "--out", str(tmp_path / "b2"))
    assert out.returncode == 2 and "not_a_theme" in out.stderr


def test_baselines_and_comparison():
    texts, themes, groups = tiny_data()
    tfidf = tfidf_baseline(texts, themes, groups)
    assert not tfidf.keywords and tfidf.encoder is None
    from ofsted_themes.model import binarize

    y = binarize(themes)
    results = {"perfect": score(y, y), "tfidf": score(y, tfidf.predict(texts))}
    header, rows = comparison_table(results)
    assert header[:2] == ["theme", "support"] and rows[-2][0] == "micro-F1" and rows[-2][2] == 1.0
    assert wins(results, "perfect")["tfidf"] <= 32 and np.isclose(results["perfect"].macro_f1, 1.0)
