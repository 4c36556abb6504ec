"""Check a labeller's JSONL files against the reading sheets they were written from.

    python training/check_labels.py training/data/labels/<report_id>.jsonl [...]

Each row must name a record of the sheet ``artifacts/sheets/<report_id>.md`` with its
hash, carry known theme ids and a stance, and every record of the sheet must be labelled
once. Prints one line per problem and exits non-zero when there is any.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from ofsted_themes.taxonomy import STANCES, THEME_IDS

SHEET_HEADING = re.compile(r"^## (\w+) \| hash (\w+) \| (\w+) \|")


def sheet_records(report_id: str, sheets: Path) -> dict[str, tuple[str, str]]:
    """Record id -> (hash, kind) for the records on a report's reading sheet."""
    records = {}
    for line in (sheets / f"{report_id}.md").read_text(encoding="utf-8").splitlines():
        match = SHEET_HEADING.match(line)
        if match:
            records[match[1]] = (match[2], match[3])
    return records


def check_file(path: Path, sheets: Path) -> list[str]:
    problems = []
    report_id = path.stem
    expected = sheet_records(report_id, sheets)
    seen = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{where}: not JSON ({error})")
            continue
        record_id = row.get("record_id")
        if row.get("report_id") != report_id:
            problems.append(f"{where}: report_id {row.get('report_id')!r} is not {report_id!r}")
        if record_id not in expected:
            problems.append(f"{where}: record {record_id!r} is not on the sheet")
            continue
        if record_id in seen:
            problems.append(f"{where}: record {record_id} labelled twice")
        seen.add(record_id)
        text_hash, kind = expected[record_id]
        if row.get("text_hash") != text_hash:
            problems.append(f"{where}: hash {row.get('text_hash')!r} is not {text_hash!r}")
        themes = row.get("themes")
        if not isinstance(themes, list) or not themes:
            problems.append(f"{where}: themes must be a non-empty list")
        else:
            unknown = [t for t in themes if t not in THEME_IDS]
            if unknown:
                problems.append(f"{where}: unknown theme ids {unknown}")
            if len(set(themes)) != len(themes):
                problems.append(f"{where}: a theme is repeated")
        if row.get("stance") not in STANCES:
            problems.append(f"{where}: stance {row.get('stance')!r} is not one of {STANCES}")
        elif kind == "recommendation" and row["stance"] != "weakness":
            problems.append(f"{where}: recommendations are always 'weakness'")
        if not row.get("labeller"):
            problems.append(f"{where}: labeller missing")
    for record_id in expected:
        if record_id not in seen:
            problems.append(f"{path}: record {record_id} not labelled")
    return problems


def main() -> int:
    sheets = Path("artifacts/sheets")
    problems = [p for name in sys.argv[1:] for p in check_file(Path(name), sheets)]
    print("\n".join(problems) if problems else f"{len(sys.argv) - 1} file(s) OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
