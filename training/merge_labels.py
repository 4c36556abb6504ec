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
from functools import cache
from pathlib import Path

from ofsted_themes.datasets import LABELS, Label, find_report, read_labels, write_labels
from ofsted_themes.reports import Report, read_report


def follow(label: Label, report: Report) -> Label | None:
    """``label`` moved to the one record whose text has its hash (renumbered since it was
    labelled; a recommendation's stance is weakness), or None when no one record has it."""
    found = [record for record in report.records if record.text_hash == label.text_hash]
    if len(found) != 1:
        return None
    stance = "weakness" if found[0].kind == "recommendation" else label.stance
    return replace(label, record_id=found[0].record_id, stance=stance)


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
    report_of = cache(lambda report_id: read_report(find_report(args.corpus, report_id)))
    resolved = {label.uid: label for source in args.resolved for label in read_labels(source)}
    by_report: dict[str, list] = {}
    for label in (label for source in args.first for label in read_labels(source)):
        by_report.setdefault(label.report_id, []).append(label)
    merged, moved, gone = [], 0, []
    for report_id, rows in sorted(by_report.items()):
        report = report_of(report_id)
        for label in rows:
            label = resolved.get(label.uid, label)
            try:
                current = report.record(label.record_id).text_hash
            except KeyError:
                current = None
            if current != label.text_hash:
                followed = follow(label, report)
                if followed is None:
                    gone.append(label)
                    continue
                label, moved = followed, moved + 1
                later = resolved.get(label.uid)  # a decision made on the record's current id
                label = later if later is not None and later.text_hash == label.text_hash else label
            merged.append(label)
    relabelled = {}
    for label in (label for source in args.relabelled for label in read_labels(source)):
        followed = follow(label, report_of(label.report_id))  # followed if since renumbered
        if followed is None:
            raise SystemExit(f"{label.source}: {label.uid}: hash {label.text_hash} is not one of the reader's texts")
        relabelled[followed.uid] = followed
    merged = [label for label in merged if label.uid not in relabelled] + list(relabelled.values())
    gone = [label for label in gone if label.uid not in relabelled]
    write_labels(merged, args.out)
    print(*(f"{label.source}: {label.uid}: the reader no longer yields this text" for label in gone), sep="\n")
    print(f"{len(merged)} labels from {len(by_report)} reports written to {args.out} "
          f"({moved} followed a renumbered record, {len(gone)} left out because their text is gone, "
          f"{len(resolved)} adjudicated decisions, {len(relabelled)} relabelled after reader fixes)")


if __name__ == "__main__":
    main()
