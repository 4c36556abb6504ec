"""Merge per-report label files into ``training/data/labels.jsonl``.

    python training/merge_labels.py training/data/labels/*.jsonl [--resolved artifacts/resolved.jsonl]

Rows are checked (theme ids, stance, duplicates) and keyed to the reports as the reader
parses them today: when the reader has renumbered a record since it was labelled (for
example a pre-2018 "Ensure that ..." paragraph now read as a recommendation), the row
follows the record with the same text hash. ``--resolved`` rows (uid, themes, stance) from
adjudicating the double-labelled texts replace the first pass's themes and stance.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from ofsted_themes.datasets import LABELS, find_report, read_labels, write_labels
from ofsted_themes.reports import read_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--resolved", type=Path)
    parser.add_argument("--out", type=Path, default=LABELS)
    args = parser.parse_args()
    labels = [label for file in args.files for label in read_labels(file)]
    resolved = {}
    if args.resolved:
        for line in args.resolved.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            resolved[row["uid"]] = row
    merged, moved = [], 0
    by_report: dict[str, list] = {}
    for label in labels:
        by_report.setdefault(label.report_id, []).append(label)
    for report_id, rows in sorted(by_report.items()):
        report = read_report(find_report(args.corpus, report_id))
        by_hash = {}
        for record in report.records:
            by_hash.setdefault(record.text_hash, []).append(record)
        for label in rows:
            try:
                current = report.record(label.record_id).text_hash
            except KeyError:
                current = None
            if current != label.text_hash and len(by_hash.get(label.text_hash, [])) == 1:
                record = by_hash[label.text_hash][0]
                stance = "weakness" if record.kind == "recommendation" else label.stance
                label = replace(label, record_id=record.record_id, stance=stance)
                moved += 1
            if label.uid in resolved:
                fix = resolved[label.uid]
                label = replace(label, themes=tuple(fix["themes"]), stance=fix["stance"],
                                labeller=f"{label.labeller}+adjudicated")
            merged.append(label)
    write_labels(merged, args.out)
    print(f"{len(merged)} labels from {len(by_report)} reports written to {args.out} "
          f"({moved} followed a renumbered record, {len(resolved)} adjudicated rows applied)")


if __name__ == "__main__":
    main()
