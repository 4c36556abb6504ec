"""Write adjudication sheets: each text the two labelling passes disagree on, with both answers.

    python training/agreement.py --first training/data/pass0 --second training/data/pass1 \\
        --disagreements artifacts/disagreements.jsonl
    python training/adjudication_sheets.py artifacts/disagreements.jsonl --jobs 8 --out artifacts/adjudication

The two answers are shown as A and B in a seeded random order, so the adjudicator does not
know which pass gave which. Each sheet (never committed: it holds report text) lists, per
text, the themes both passes gave, the themes only one gave, and both stances.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from ofsted_themes.datasets import find_report
from ofsted_themes.reports import read_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("disagreements", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--out", type=Path, default=Path("artifacts/adjudication"))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows = [json.loads(line) for line in args.disagreements.read_text(encoding="utf-8").splitlines()]
    by_report: dict[str, list[dict]] = {}
    for row in rows:
        by_report.setdefault(row["uid"].split("/")[0], []).append(row)
    jobs: list[list[str]] = [[] for _ in range(args.jobs)]
    for index, report_id in enumerate(sorted(by_report, key=lambda r: -len(by_report[r]))):
        target = min(range(args.jobs), key=lambda j: sum(len(by_report[r]) for r in jobs[j]))
        jobs[target].append(report_id)
    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    for number, report_ids in enumerate(jobs):
        lines = []
        for report_id in sorted(report_ids):
            report = read_report(find_report(args.corpus, report_id))
            by_hash = {record.text_hash: record for record in report.records}
            for row in by_report[report_id]:
                record = by_hash.get(row["text_hash"])  # by hash: the reader may have renumbered it
                if record is None:
                    print(f"{row['uid']}: the reader no longer yields this text; left out")
                    continue
                a, b = (row["first"], row["second"]) if rng.random() < 0.5 else (row["second"], row["first"])
                both = sorted(set(a["themes"]) & set(b["themes"]))
                written += 1
                lines += [f"## {row['uid']} | hash {row['text_hash']} | {record.kind} | section {record.section}",
                          record.text, "",
                          f"- both: {', '.join(both) or '(none)'}",
                          f"- only A: {', '.join(sorted(set(a['themes']) - set(b['themes']))) or '(none)'}",
                          f"- only B: {', '.join(sorted(set(b['themes']) - set(a['themes']))) or '(none)'}",
                          f"- stance: A {a['stance']}, B {b['stance']}", ""]
        (args.out / f"job_{number:02d}.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(rows)} disagreements, {written} written to {args.jobs} sheets in {args.out}")


if __name__ == "__main__":
    main()
