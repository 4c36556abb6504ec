"""Add train reports to the labelled selection, and write their reading sheets.

    python -m training.add_reports --cue "young carer" 80479_knowsley_2025-01-20 ...
    python -m training.add_reports --whole 80444_calderdale_2019-03-22 ...

With ``--cue``, an added report contributes every recommendation, up to three summary
paragraphs, every paragraph matching the cue (the cue only chooses what to read; labels are
written by reading) and ten other paragraphs drawn at random (seeded); with ``--whole``,
every record. The reports' councils must not be in the test split.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from ofsted_themes.datasets import find_report
from ofsted_themes.reports import read_report
from training.sheets import write_sheet

DATA = Path("training/data")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", nargs="+")
    how = parser.add_mutually_exclusive_group(required=True)
    how.add_argument("--cue", help="a regular expression for the theme being sought")
    how.add_argument("--whole", action="store_true", help="select every record of each report")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--out", type=Path, default=Path("artifacts/sheets"))
    args = parser.parse_args()
    selection = json.loads((DATA / "selection.json").read_text())
    split = json.loads((DATA / "split.json").read_text())
    test_councils = {r.split("_")[1] for r in split["test"]}
    rng = random.Random(selection["seed"])
    for report_id in args.reports:
        if report_id.split("_")[1] in test_councils:
            raise SystemExit(f"{report_id}: its council is in the test split")
        report = read_report(find_report(args.corpus, report_id))
        if args.whole:
            chosen = report.records
        else:
            cued = [r for r in report.paragraphs if re.search(args.cue, r.text, re.I)]
            others = [r for r in report.paragraphs if r not in cued]
            rng.shuffle(others)
            chosen = report.recommendations + report.summaries[:3] + sorted(cued + others[:10], key=lambda r: r.number)
        selection["records"][report_id] = [r.record_id for r in chosen]
        selection.setdefault("added", {})[report_id] = "whole report" if args.whole else f"cue: {args.cue}"
        if report_id not in split["train"]:
            split["train"] = sorted(split["train"] + [report_id])
            selection["train_reports"] = sorted(selection["train_reports"] + [report_id])
        write_sheet(args.out / f"{report_id}.md", report, chosen)
        print(f"{report_id}: {len(chosen)} texts")
    (DATA / "selection.json").write_text(json.dumps(selection, indent=1) + "\n")
    (DATA / "split.json").write_text(json.dumps(split, indent=1) + "\n")


if __name__ == "__main__":
    main()
