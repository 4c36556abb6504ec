"""Write ``training/data/labels.jsonl``: the first passes, with the adjudicated decisions applied.

    python training/merge_labels.py training/data/pass0 training/data/single training/data/pass4 \\
        --resolved training/data/adjudicated --resolved training/data/rechecked \\
        --relabelled training/data/relabelled

Rows are checked (theme ids, stance, duplicates) and keyed to the reports as the reader
parses them today: when the reader has renumbered a record since it was labelled, the row
follows the record with the same text hash; a row whose text the reader no longer yields
(a reader fix dropped or changed it) is listed and left out. A ``--resolved`` row (from
adjudicating a text on which two labelling passes disagreed) replaces the first pass's themes,
stance and hash; when several ``--resolved`` sources decide the same text, the last one given
wins (``rechecked`` holds the adjudication of a later re-check pass against the merged labels).
A ``--relabelled`` row (a text a reader fix changed or newly yielded, labelled again) replaces
every earlier row of its record and adds records no pass held; it too follows its text's hash.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from ofsted_themes.datasets import LABELS, find_report, read_labels, write_labels
from ofsted_themes.reports import read_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first", type=Path, nargs="+", help="first-pass label files or folders")
    parser.add_argument("--resolved", type=Path, action="append", default=[],
                        help="adjudicated decisions: a label file or folder (repeatable; later ones win)")
    parser.add_argument("--relabelled", type=Path, action="append", default=[],
                        help="labels of texts a reader fix changed or added: they replace earlier rows of their record")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--out", type=Path, default=LABELS)
    args = parser.parse_args()
    resolved = {label.uid: label for source in args.resolved for label in read_labels(source)}
    by_report: dict[str, list] = {}
    for label in (label for source in args.first for label in read_labels(source)):
        by_report.setdefault(label.report_id, []).append(label)
    merged, moved, gone = [], 0, []
    for report_id, rows in sorted(by_report.items()):
        report = read_report(find_report(args.corpus, report_id))
        by_hash: dict[str, list] = {}
        for record in report.records:
            by_hash.setdefault(record.text_hash, []).append(record)
        for label in rows:
            label = resolved.get(label.uid, label)
            try:
                current = report.record(label.record_id).text_hash
            except KeyError:
                current = None
            if current != label.text_hash:
                if len(by_hash.get(label.text_hash, [])) != 1:
                    gone.append(f"{label.source}: {label.uid}: the reader no longer yields this text")
                    continue
                record = by_hash[label.text_hash][0]
                stance = "weakness" if record.kind == "recommendation" else label.stance
                label = replace(label, record_id=record.record_id, stance=stance)
                moved += 1
                later = resolved.get(label.uid)  # a decision made on the record's current id
                label = later if later is not None and later.text_hash == label.text_hash else label
            merged.append(label)
    relabelled = {}
    for label in (label for source in args.relabelled for label in read_labels(source)):
        found = [r for r in read_report(find_report(args.corpus, label.report_id)).records
                 if r.text_hash == label.text_hash]
        if len(found) != 1:
            raise SystemExit(f"{label.source}: {label.uid}: hash {label.text_hash} is not one of the reader's texts")
        stance = "weakness" if found[0].kind == "recommendation" else label.stance
        label = replace(label, record_id=found[0].record_id, stance=stance)  # followed if since renumbered
        relabelled[label.uid] = label
    merged = [label for label in merged if label.uid not in relabelled] + list(relabelled.values())
    gone = [line for line in gone if line.split(": ")[1] not in relabelled]
    write_labels(merged, args.out)
    print(*gone, sep="\n")
    print(f"{len(merged)} labels from {len(by_report)} reports written to {args.out} "
          f"({moved} followed a renumbered record, {len(gone)} left out because their text is gone, "
          f"{len(resolved)} adjudicated decisions, {len(relabelled)} relabelled after reader fixes)")


if __name__ == "__main__":
    main()
