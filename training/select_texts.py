"""Choose the reports and texts to label, and write reading sheets for the labellers.

Reports: every local authority goes wholly to train or to test (no council is in both);
eras are sampled in proportion. Texts: every recommendation and summary paragraph of a
chosen report, numbered paragraphs that keyword rules flag as *candidates* for the rare
themes, and a random draw of the other paragraphs. The keyword rules only choose what to
read: every label is written by a person reading the text against the taxonomy.

    python training/select_texts.py --corpus ../shared/corpus --out artifacts/sheets

writes ``selection.json`` (report ids per split, record ids per report) into
``training/data/`` and one reading sheet per report (with the text, never committed).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

from ofsted_themes.reports import ReportError, read_report
from training.sheets import write_sheet

RARE_THEME_CUES = {
    "young_carers": r"young carer",
    "private_fostering": r"private(ly)? foster",
    "out_of_hours": r"out[- ]of[- ](office )?hours|emergency duty|\bEDT\b",
    "lado": r"\bLADO\b|designated officer|allegations? (made )?against",
    "transitions": r"transition|preparing for adulthood|adult social care|adult services",
    "uasc": r"unaccompanied|asylum",
    "homeless_16_17": r"homeless",
    "youth_justice": r"youth (offending|justice)|custody|remand|criminalis",
    "domestic_abuse": r"domestic (abuse|violence)|MARAC",
    "disabled_children": r"disabled children|disabilit",
    "pre_proceedings": r"pre-proceedings|public law outline|\bPLO\b",
    "edge_of_care": r"edge of care|edge-of-care|family group conferenc|family network",
    "housing": r"housing|bed and breakfast|tenanc",
    "adoption": r"adopt",
    "health": r"health assessment|mental health|CAMHS",
    "missing_exploitation": r"missing|exploitation",
    "early_help": r"early help|family hub",
    "out_of_area": r"out of area|out-of-area",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--out", type=Path, default=Path("artifacts/sheets"))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    rows = list(csv.DictReader(open(args.corpus / "manifest.csv", encoding="utf-8")))
    reports = {}
    for row in rows:
        try:
            reports[row["file"]] = read_report(args.corpus / row["file"])
        except ReportError:
            continue
    by_era: dict[str, list] = {}
    for report in reports.values():
        if not report.numbering_gaps():
            by_era.setdefault(report.framework, []).append(report)
    councils = sorted({r.local_authority.lower() for r in reports.values()})
    rng.shuffle(councils)

    wanted_test = {"ilacs": 18, "sif": 7, "ilacs_2026": 5}
    wanted_train = {"ilacs": 62, "sif": 30, "ilacs_2026": 7}
    test, train = [], []
    test_councils: set[str] = set()
    for era, count in wanted_test.items():
        pool = sorted(by_era[era], key=lambda r: r.report_id)
        rng.shuffle(pool)
        for report in pool:
            if len([r for r in test if r.framework == era]) >= count:
                break
            test.append(report)
            test_councils.add(report.local_authority.lower())
    for era, count in wanted_train.items():
        pool = [r for r in sorted(by_era[era], key=lambda r: r.report_id)
                if r.local_authority.lower() not in test_councils and r not in test]
        rng.shuffle(pool)
        train.extend(pool[:count])

    selection = {"seed": args.seed, "test_reports": sorted(r.report_id for r in test),
                 "train_reports": sorted(r.report_id for r in train), "records": {}}
    args.out.mkdir(parents=True, exist_ok=True)
    for report in test + train:
        paragraphs_wanted = 24 if report in test else 20
        chosen = [r for r in report.recommendations] + report.summaries[:3]
        paragraphs = list(report.paragraphs)
        rng.shuffle(paragraphs)
        candidates = []
        for cue in RARE_THEME_CUES.values():
            hits = [p for p in paragraphs if re.search(cue, p.text, re.I) and p not in candidates]
            candidates.extend(hits[:2])
        picked = candidates[:paragraphs_wanted]
        picked += [p for p in paragraphs if p not in picked][: max(0, paragraphs_wanted - len(picked))]
        picked.sort(key=lambda r: r.number)
        chosen += picked
        selection["records"][report.report_id] = [r.record_id for r in chosen]
        write_sheet(args.out / f"{report.report_id}.md", report, chosen)
    # Council names on front pages vary between years ("Blackpool Council", "Blackpool Borough
    # Council"); the file name's council slug does not. Any council left on both sides after the
    # draw above has its train reports moved to test, so that no council is in both splits.
    slug = lambda report_id: report_id.split("_")[1]  # noqa: E731
    shared = {slug(r) for r in selection["train_reports"]} & {slug(r) for r in selection["test_reports"]}
    moved = [r for r in selection["train_reports"] if slug(r) in shared]
    selection["train_reports"] = [r for r in selection["train_reports"] if r not in moved]
    selection["test_reports"] = sorted(selection["test_reports"] + moved)
    out = Path("training/data/selection.json")
    out.write_text(json.dumps(selection, indent=1) + "\n", encoding="utf-8")
    total = sum(len(v) for v in selection["records"].values())
    print(f"{len(selection['test_reports'])} test and {len(selection['train_reports'])} train reports "
          f"({len(moved)} moved to test), {total} texts; sheets in {args.out}")
    split = {"description": "Fixed report-level split: every council is wholly in train or in test. "
                            "No training or tuning step reads the test reports.",
             "train": selection["train_reports"], "test": selection["test_reports"]}
    Path("training/data/split.json").write_text(json.dumps(split, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
