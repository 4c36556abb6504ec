"""Check a labeller's JSONL files against the sheets they were written from.

    python training/check_labels.py training/data/pass1/<report_id>.jsonl [...]
    python training/check_labels.py --sheet artifacts/adjudication/job_03.md training/data/adjudicated/job_03.jsonl

A reading sheet is ``artifacts/sheets/<report_id>.md`` (headings ``## p14 | hash ...``); an
adjudication sheet names each text by uid (``## <report_id>/p14 | hash ...``). Each row must
name a text of its sheet with its hash, carry known theme ids and a stance, and every text of
the sheet must be labelled once. Prints one line per problem and exits non-zero when there is any.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from ofsted_themes.taxonomy import STANCES, THEME_IDS

SHEET_HEADING = re.compile(r"^## ([\w./-]+) \| hash (\w+) \| (\w+) \|")


def sheet_texts(sheet: Path) -> dict[str, tuple[str, str]]:
    """uid -> (hash, kind) for the texts on a sheet."""
    report_id = sheet.stem
    texts = {}
    for line in sheet.read_text(encoding="utf-8").splitlines():
        match = SHEET_HEADING.match(line)
        if match:
            uid = match[1] if "/" in match[1] else f"{report_id}/{match[1]}"
            texts[uid] = (match[2], match[3])
    return texts


def check_file(path: Path, sheet: Path) -> list[str]:
    problems = []
    expected = sheet_texts(sheet)
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
        uid = f"{row.get('report_id')}/{row.get('record_id')}"
        if uid not in expected:
            problems.append(f"{where}: {uid} is not on the sheet {sheet}")
            continue
        if uid in seen:
            problems.append(f"{where}: {uid} labelled twice")
        seen.add(uid)
        text_hash, kind = expected[uid]
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
    problems += [f"{path}: {uid} not labelled" for uid in expected if uid not in seen]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--sheet", type=Path, help="the sheet (default: artifacts/sheets/<file name>.md)")
    args = parser.parse_args()
    problems = [p for path in args.files
                for p in check_file(path, args.sheet or Path("artifacts/sheets") / f"{path.stem}.md")]
    print("\n".join(problems) if problems else f"{len(args.files)} file(s) OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
