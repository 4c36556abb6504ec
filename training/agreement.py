"""Agreement between two independent labelling passes, per theme, and their disagreements.

    python training/agreement.py --first training/data/pass0 --second training/data/pass1 \\
        --final training/data/labels.jsonl --disagreements artifacts/disagreements.jsonl

Prints, for the texts labelled in both passes, each theme's F1 between the passes (one pass
taken as reference; F1 is symmetric), with the counts, then micro and macro F1 and stance
agreement; with ``--final``, how far the final labels agree with each pass. Writes the texts
on which the passes differ, for adjudication.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tabulate import tabulate

from ofsted_themes.datasets import read_labels, read_split
from ofsted_themes.taxonomy import THEME_IDS

SELECTION = Path(__file__).resolve().parent / "data" / "selection.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--first", type=Path, required=True)
    parser.add_argument("--second", type=Path, required=True)
    parser.add_argument("--final", type=Path, help="the final labels, compared with each pass")
    parser.add_argument("--disagreements", type=Path)
    parser.add_argument("--split", choices=["train", "test"], help="only texts of this split's reports")
    parser.add_argument("--added", help="only reports added this way (selection.json 'added', e.g. 'cue: foster')")
    args = parser.parse_args()
    first = {l.uid: l for l in read_labels(args.first)}
    second = {l.uid: l for l in read_labels(args.second)}
    both = sorted(set(first) & set(second))
    if args.split:
        reports = set(read_split()[args.split])
        both = [u for u in both if u.split("/")[0] in reports]
    if args.added:
        added = json.loads(SELECTION.read_text(encoding="utf-8")).get("added", {})
        both = [u for u in both if added.get(u.split("/")[0]) == args.added]
    rows, total = [], {"both": 0, "first": 0, "second": 0}
    f1s = []
    for theme in THEME_IDS:
        a = {u for u in both if theme in first[u].themes}
        b = {u for u in both if theme in second[u].themes}
        agree = len(a & b)
        total["both"] += agree
        total["first"] += len(a)
        total["second"] += len(b)
        f1 = 2 * agree / (len(a) + len(b)) if a or b else None
        if f1 is not None:
            f1s.append(f1)
        rows.append([theme, len(a), len(b), agree, "" if f1 is None else f"{f1:.2f}"])
    micro = 2 * total["both"] / (total["first"] + total["second"])
    stance = sum(first[u].stance == second[u].stance for u in both) / len(both)
    exact = sum(set(first[u].themes) == set(second[u].themes) for u in both) / len(both)
    print(f"texts labelled in both passes: {len(both)} from {len({u.split('/')[0] for u in both})} reports\n")
    print(tabulate(rows, ["theme", "first pass", "second pass", "both", "F1"]))
    print(f"\nmicro-F1 {micro:.3f}; macro-F1 {sum(f1s) / len(f1s):.3f} over {len(f1s)} themes present; "
          f"identical theme sets {exact:.1%}; same stance {stance:.1%}")
    if args.final:
        final = {l.uid: set(l.themes) for l in read_labels(args.final)}
        for name, labels in (("first", first), ("second", second)):
            shared = [u for u in both if u in final]
            agree = sum(len(final[u] & set(labels[u].themes)) for u in shared)
            size = sum(len(final[u]) + len(labels[u].themes) for u in shared)
            print(f"final labels vs {name} pass: micro-F1 {2 * agree / size:.3f} over {len(shared)} texts")
    if args.disagreements:
        with args.disagreements.open("w", encoding="utf-8") as out:
            for uid in both:
                if set(first[uid].themes) != set(second[uid].themes) or first[uid].stance != second[uid].stance:
                    out.write(json.dumps({"uid": uid, "text_hash": first[uid].text_hash,
                                          "first": {"themes": list(first[uid].themes), "stance": first[uid].stance},
                                          "second": {"themes": list(second[uid].themes),
                                                     "stance": second[uid].stance}}) + "\n")


if __name__ == "__main__":
    main()
