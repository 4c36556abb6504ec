"""Reading reports: structure, metadata, cleaning, bad input, and the real corpus."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, SEED, SMALL_REPORT, needs_corpus, needs_seed, pdf_bytes

from ofsted_themes import Report, ReportError, read_report


def read_text_report(path: Path, text: str) -> Report:
    """Write a test report's text to ``path`` and read it back."""
    path.write_text(text, encoding="utf-8")
    return read_report(path)


def test_small_report_structure(small_report):
    report = read_report(small_report)
    assert report.local_authority == "Testshire County Council"
    assert report.framework == "ilacs"
    assert str(report.inspection_start) == "2025-03-03" and str(report.inspection_end) == "2025-03-14"
    assert report.lead_inspector == "Alex Example"
    assert report.judgements == {"overall": "good", "leaders": "good", "help_and_protection": "requires improvement",
                                 "children_in_care": "good", "care_leavers": "outstanding"}
    assert [r.record_id for r in report.recommendations] == ["r1", "r2"]
    assert [r.number for r in report.paragraphs] == list(range(1, 8))
    assert [r.section for r in report.paragraphs] == ["help_and_protection"] * 3 + ["children_in_care"] * 2 + [
        "care_leavers", "leaders"]
    assert len(report.summaries) == 1
    assert report.record("p3").text.endswith("offers respite and support that they value.")
    assert report.numbering_gaps() == [] and report.problems == []


def test_record_ids_and_hashes_are_stable(small_report):
    first, second = read_report(small_report), read_report(small_report)
    assert [r.uid for r in first.records][:2] == [f"{small_report.stem}/s1", f"{small_report.stem}/r1"]
    assert [r.text_hash for r in first.records] == [r.text_hash for r in second.records]
    assert all(re.fullmatch(r"[0-9a-f]{10}", r.text_hash) for r in first.records)


def test_pdf_paragraph_joined_across_page_break(tmp_path):
    lines = SMALL_REPORT.split("\n")
    cut = lines.index("support that they value.")
    path = tmp_path / "testshire.pdf"
    path.write_bytes(pdf_bytes(["\n".join(lines[:cut]), "\n".join(lines[cut:])]))
    report = read_report(path)
    assert [r.number for r in report.paragraphs] == list(range(1, 8))
    assert report.record("p3").text.endswith("offers respite and support that they value.")
    assert report.record("p4").section == "children_in_care"


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"hello, not a report", "not an Ofsted children's services inspection report"),
    (b"<!DOCTYPE html><html><title>Report not found</title></html>", "HTML page"),
    (b"%PDF-1.4 truncated nonsense", "not a readable PDF"),
])
def test_bad_files_name_the_file_and_problem(tmp_path, content, message):
    path = tmp_path / ("bad.pdf" if content.startswith(b"%PDF") else "bad.txt")
    path.write_bytes(content)
    with pytest.raises(ReportError, match=re.escape(str(path)) + ".*" + re.escape(message)):
        read_report(path)


def test_binary_file_that_is_not_a_pdf(tmp_path):
    path = tmp_path / "picture.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(ReportError, match="not a PDF"):
        read_report(path)


def test_scanned_and_empty_pdfs(tmp_path):
    scanned, blank = tmp_path / "scanned.pdf", tmp_path / "blank.pdf"
    scanned.write_bytes(pdf_bytes([None]))
    blank.write_bytes(pdf_bytes([""]))
    for path in (scanned, blank):
        with pytest.raises(ReportError, match=f"{re.escape(str(path))}.*no text layer"):
            read_report(path)


def test_pdf_that_is_not_a_report(tmp_path):
    path = tmp_path / "menu.pdf"
    path.write_bytes(pdf_bytes(["Menu of the day\nSoup and bread\nApple pie"]))
    with pytest.raises(ReportError, match="not an Ofsted children's services inspection report"):
        read_report(path)


def test_encrypted_pdf(tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="pypdf writes the encrypted test PDF")
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(pdf_bytes([SMALL_REPORT]))
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ReportError, match=f"{re.escape(str(locked))}.*encrypted"):
        read_report(locked)


def test_missing_file(tmp_path):
    with pytest.raises(ReportError, match="no such file"):
        read_report(tmp_path / "absent.pdf")


def test_paragraph_that_cannot_be_placed_is_reported(tmp_path):
    text = SMALL_REPORT.replace("7. Senior leaders", "Senior leaders")
    report = read_text_report(tmp_path / "testshire.txt", text)
    assert any("not placed" in problem and "Senior leaders" in problem for problem in report.problems)


@needs_seed
def test_plymouth_seed():
    report = read_report(SEED)
    assert len(report.recommendations) == 8
    assert [p.number for p in report.paragraphs] == list(range(1, 64))
    sections = {p.section for p in report.paragraphs}
    assert sections == {"help_and_protection", "children_in_care", "care_leavers", "leaders"}
    assert report.record("p3").text.endswith("can be seen in practice and partner agencies value it.") or \
        "consultation line" in report.record("p3").text
    assert all(p.text[-1] in ".)’'\"" for p in report.paragraphs)
    assert report.judgements["overall"] == "requires improvement"


def test_parse_command_formats(small_report):
    run = [sys.executable, "-m", "ofsted_themes.cli", "parse", str(small_report)]
    table = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert "Testshire County Council" in table and "p7" in table
    lines = subprocess.run(run + ["--format", "json"], capture_output=True, text=True, check=True).stdout
    assert len(lines.strip().splitlines()) == 10
    rows = list(csv.DictReader(subprocess.run(run + ["--format", "csv"], capture_output=True, text=True,
                                              check=True).stdout.splitlines()))
    assert rows[0]["record"] == "s1" and rows[-1]["section"] == "leaders"


@needs_corpus
def test_whole_corpus_parses_and_meets_targets():
    """Every file parses or fails with a ReportError; completeness and grades meet the targets."""
    from collections import Counter

    from ofsted_themes.reports import GRADES, JUDGEMENTS

    rows = list(csv.DictReader(open(CORPUS / "manifest.csv", encoding="utf-8")))
    complete, total, grades_agree, grades_checked = Counter(), Counter(), 0, 0
    for row in rows:
        try:
            report = read_report(CORPUS / row["file"])
        except ReportError:
            continue
        total[report.era] += 1
        complete[report.era] += not report.numbering_gaps()
        expected = {k: row[k] for k in JUDGEMENTS if row[k] in GRADES}
        if expected:
            grades_checked += 1
            grades_agree += all(report.judgements.get(k) == v for k, v in expected.items())
    ilacs = (complete["ILACS"] + complete["ILACS 2026"]) / (total["ILACS"] + total["ILACS 2026"])
    assert ilacs >= 0.98
    assert complete["pre-2018"] / total["pre-2018"] >= 0.90
    assert grades_agree / grades_checked >= 0.98


# A pre-2018 (single inspection framework) report in miniature, written for the tests.
SIF_REPORT = """\
Testshire County Council

Inspection of services for children in need of help and protection, children looked after and care leavers

Inspection date: 2 March 2015 - 20 March 2015

The judgements on areas of the service that contribute to overall effectiveness are:

1. Children who need help and protection Requires improvement

2. Leadership, management and governance Good

Summary of findings

Children's services in Testshire require improvement because:

\u2022 Assessments of children's needs are too variable in quality.

What does the local authority need to improve?

1. Ensure that strategy discussions include the police.

Information about this local authority area

Previous Ofsted inspections

Leadership, management and governance: Inadequate.

\u2022 Approximately 1,000 children live in Testshire.

The experiences and progress of children who need help and protection Requires improvement

Summary

\u2022 Early help is well coordinated by schools and family hubs.

\u2022 Strategy meetings do not always include the police.

Inspection findings

2. The front door responds quickly to referrals and decisions are clear.

3. Young carers are identified and supported well.

Leadership, management and governance Good

Summary

\u2022 Leaders know their services well and invest in the workforce.

4. Audits are thorough and lead to improvements in practice.
"""


def test_pre_2018_section_summaries_are_records_of_their_section(tmp_path):
    report = read_text_report(tmp_path / "900002_testshire_2015-05-01.txt", SIF_REPORT)
    assert report.framework == "sif"
    summaries = [(r.section, r.text) for r in report.summaries]
    assert ("help_and_protection", "Early help is well coordinated by schools and family hubs.") in summaries
    assert ("leaders", "Leaders know their services well and invest in the workforce.") in summaries
    assert report.record("p3").text == "Young carers are identified and supported well."  # no bullet absorbed
    assert [r.text for r in report.recommendations] == ["Ensure that strategy discussions include the police."]
    assert not any("not placed" in problem for problem in report.problems)
    # an earlier grade listed under "Previous Ofsted inspections" opens no section
    assert not any("1,000 children" in record.text for record in report.records)


def test_sub_bullets_belong_to_their_recommendation(tmp_path):
    text = SMALL_REPORT.replace(
        "- The response to allegations against adults who work with children.\n",
        "- The response to children:\n\u2212 experiencing neglect, and\n\u2212 in private fostering arrangements.\n")
    report = read_text_report(tmp_path / "testshire.txt", text)
    assert [r.text for r in report.recommendations] == [
        "The response to children: experiencing neglect, and in private fostering arrangements.",
        "The timeliness of health assessments for children in care."]
    assert report.problems == []


def test_paragraph_reference_ends_a_pre_2018_recommendation(tmp_path):
    recommendation = ("1. Ensure that strategy discussions include the police and that every decision about a child "
                      "is recorded with its reasons, so that managers can see why it was made (page 12, paragraph 40)")
    text = SIF_REPORT.replace("1. Ensure that strategy discussions include the police.",
                              recommendation + "\n\nSummary for children and young people\n\n"
                              "\u2022 Social workers listen to children.")
    report = read_text_report(tmp_path / "900002_testshire_2015-05-01.txt", text)
    assert [r.text for r in report.recommendations] == [recommendation[3:]]
    assert not any("listen to children" in record.text for record in report.records)


def test_short_bullet_after_a_paragraph_is_kept_not_taken_for_a_heading(tmp_path):
    text = SMALL_REPORT.replace(
        "7. Senior leaders and elected members have a clear plan for improvement, and audits give them an accurate "
        "picture of practice.",
        "7. Senior leaders have a clear plan for improvement, which includes:\n- early help\n- fostering")
    report = read_text_report(tmp_path / "testshire.txt", text)
    assert report.record("p7").text == "Senior leaders have a clear plan for improvement, which includes: - early help - fostering"


def test_recommendation_marker_ends_a_finding(tmp_path):
    finding = ("2. The front door responds quickly to referrals and decisions are clear, and the out-of-hours team "
               "shares what it learns overnight with day teams promptly. (Recommendation)")
    text = SIF_REPORT.replace("2. The front door responds quickly to referrals and decisions are clear.",
                              finding + "\nLeadership, management and governance Good")
    text = text.replace("Leadership, management and governance Good\n\nSummary", "Summary", 1)
    report = read_text_report(tmp_path / "900002_testshire_2015-05-01.txt", text)
    assert report.record("p2").text == finding[3:]
    assert "Leaders know their services well and invest in the workforce." in [r.text for r in report.summaries]


def test_sub_headings_inside_pre_2018_recommendations(tmp_path):
    text = SIF_REPORT
    for number in (4, 3, 2):  # paragraphs follow on from the recommendations' numbers
        text = text.replace(f"\n{number}. ", f"\n{number + 1}. ")
    text = text.replace(
        "1. Ensure that strategy discussions include the police.",
        "Leadership, management and governance\n\n1. Ensure that strategy discussions include the police.\n\n"
        "Quality of practice\n\n2. Improve the timeliness of assessments.")
    report = read_text_report(tmp_path / "900002_testshire_2015-05-01.txt", text)
    assert [r.text for r in report.recommendations] == ["Ensure that strategy discussions include the police.",
                                                        "Improve the timeliness of assessments."]
    assert [p.number for p in report.paragraphs] == [3, 4, 5] and report.numbering_gaps() == []
    assert report.record("p4").text == "Young carers are identified and supported well."


def test_stray_recommendations_heading_among_pre_2018_findings(tmp_path):
    text = SIF_REPORT.replace("4. Audits", "5. Audits").replace(
        "3. Young carers are identified and supported well.",
        "Recommendations\n\n3. Young carers are identified and supported well.\n\n"
        "4. Private fostering arrangements are identified promptly.")
    report = read_text_report(tmp_path / "900002_testshire_2015-05-01.txt", text)
    assert [r.record_id for r in report.recommendations] == ["r1"]
    assert [p.number for p in report.paragraphs] == [2, 3, 4, 5]
