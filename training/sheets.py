"""Write reading sheets: the texts of the selected records of each report, for labellers.

    python training/sheets.py                      # every report in selection.json
    python training/sheets.py 80479_knowsley_2025-01-20 --out artifacts/sheets

A sheet (``<report id>.md``, never committed: it holds report text) lists each selected
record under a heading with its record id, text hash, kind and section.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ofsted_themes.datasets import find_report
from ofsted_themes.reports import Record, Report, read_report

SELECTION = Path("training/data/selection.json")


def write_sheet(path: Path, report: Report, records: list[Record]) -> None:
    """One report's sheet: a heading line per record, then its text."""
    lines = [f"# {report.report_id}: {report.local_authority}, {report.era}, "
             f"inspected {report.inspection_start} to {report.inspection_end}", ""]
    for record in records:
        lines += [f"## {record.record_id} | hash {record.text_hash} | {record.kind} | section {record.section}",
                  record.text, ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", nargs="*", help="report ids (default: every report in selection.json)")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--out", type=Path, default=Path("artifacts/sheets"))
    args = parser.parse_args()
    selected = json.loads(SELECTION.read_text(encoding="utf-8"))["records"]
    for report_id in args.reports or sorted(selected):
        report = read_report(find_report(args.corpus, report_id))
        write_sheet(args.out / f"{report_id}.md", report, [report.record(r) for r in selected[report_id]])
    print(f"{len(args.reports or selected)} sheets in {args.out}")


if __name__ == "__main__":
    main()
