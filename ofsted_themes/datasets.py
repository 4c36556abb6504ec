"""Labelled data: label files keyed to report records, joined with texts read from the PDFs.

Label rows carry no report text, only ``report_id``, ``record_id`` and ``text_hash``; the
text is rebuilt from the reports so that Crown-copyright text never enters the repository.
``build_dataset`` returns a Hugging Face ``DatasetDict`` with ``train`` and ``test`` splits.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

from ofsted_themes.reports import Report, ReportError, read_report
from ofsted_themes.taxonomy import STANCES, THEME_IDS, UnknownThemeError, check_theme_ids

PROJECT = Path(__file__).resolve().parent.parent
LABELS = PROJECT / "training" / "data" / "labels.jsonl"
SPLIT = PROJECT / "training" / "data" / "split.json"
COLUMNS = ["uid", "report_id", "record_id", "kind", "section", "era", "local_authority",
           "text", "themes", "stance", "labeller"]


class LabelError(ValueError):
    """A label file or a label row is wrong (the message names the file, line or record)."""


@dataclass(frozen=True)
class Label:
    """One labelled text: which record of which report, its themes and stance."""

    report_id: str
    record_id: str
    text_hash: str
    themes: tuple[str, ...]
    stance: str
    labeller: str
    source: str = ""

    @property
    def uid(self) -> str:
        return f"{self.report_id}/{self.record_id}"


def read_labels(path: str | Path) -> list[Label]:
    """Read labels from a JSONL or CSV file, or every such file in a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted([*path.glob("*.jsonl"), *path.glob("*.csv")])
        if not files:
            raise LabelError(f"{path}: no .jsonl or .csv label files in this folder")
        return [label for file in files for label in read_labels(file)]
    if not path.exists():
        raise LabelError(f"{path}: no such label file")
    labels, seen = [], {}
    for line_number, row in _rows(path):
        where = f"{path}:{line_number}"
        try:
            themes = row["themes"]
            if isinstance(themes, str):
                themes = [t.strip() for t in themes.replace(";", ",").split(",") if t.strip()]
            label = Label(str(row["report_id"]), str(row["record_id"]), str(row["text_hash"]),
                          tuple(themes), row.get("stance") or "", row.get("labeller") or "", where)
        except KeyError as error:
            raise LabelError(f"{where}: missing field {error}") from error
        if not label.themes:
            raise LabelError(f"{where}: {label.uid} has no themes")
        try:
            check_theme_ids(label.themes, where)
        except UnknownThemeError as error:
            raise LabelError(str(error)) from error
        if label.stance and label.stance not in STANCES:
            raise LabelError(f"{where}: stance {label.stance!r} is not one of {', '.join(STANCES)}")
        if label.uid in seen:
            raise LabelError(f"{where}: {label.uid} is labelled twice (also at {seen[label.uid]})")
        seen[label.uid] = where
        labels.append(label)
    return labels


def _rows(path: Path) -> Iterable[tuple[int, dict]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            yield from enumerate(csv.DictReader(handle), start=2)
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                raise LabelError(f"{path}:{number}: not a JSON object ({error.msg})") from error


def write_labels(labels: Iterable[Label], path: str | Path) -> None:
    """Write labels as JSONL, sorted by report and record."""
    order = {"r": 0, "s": 1, "p": 2}
    rows = sorted(labels, key=lambda l: (l.report_id, order[l.record_id[0]], int(l.record_id[1:])))
    Path(path).write_text("".join(json.dumps({k: (list(v) if k == "themes" else v) for k, v in asdict(l).items()
                                              if k != "source"}) + "\n" for l in rows), encoding="utf-8")


def read_split(path: str | Path = SPLIT) -> dict[str, list[str]]:
    """Report ids of the fixed ``train`` and ``test`` splits."""
    split = json.loads(Path(path).read_text(encoding="utf-8"))
    overlap = set(split["train"]) & set(split["test"])
    if overlap:
        raise LabelError(f"{path}: reports in both train and test: {sorted(overlap)}")
    return split


def find_report(corpus: Path, report_id: str) -> Path:
    """The PDF (or text copy) of a report in a corpus folder or its ``reports`` subfolder."""
    for folder in (corpus, corpus / "reports"):
        for suffix in (".pdf", ".txt"):
            if (folder / f"{report_id}{suffix}").exists():
                return folder / f"{report_id}{suffix}"
    raise LabelError(f"report {report_id} is labelled but not found in {corpus}")


def join_texts(labels: list[Label], corpus: str | Path, progress: bool = False) -> list[dict]:
    """Rows of the data set: each label with its record's text, read from the corpus."""
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise LabelError(f"{corpus}: no such corpus folder")
    by_report: dict[str, list[Label]] = {}
    for label in labels:
        by_report.setdefault(label.report_id, []).append(label)
    reports = sorted(by_report)
    if progress:
        from tqdm.auto import tqdm
        reports = tqdm(reports, desc="reading reports", unit="report")
    rows = []
    for report_id in reports:
        try:
            report = read_report(find_report(corpus, report_id))
        except ReportError as error:
            raise LabelError(f"cannot rebuild the texts of {report_id}: {error}") from error
        rows += [_row(report, label) for label in by_report[report_id]]
    return rows


def _row(report: Report, label: Label) -> dict:
    try:
        record = report.record(label.record_id)
    except KeyError as error:
        raise LabelError(f"{label.source}: {label.uid}: the report has no record {label.record_id}") from error
    if record.text_hash != label.text_hash:
        raise LabelError(f"{label.source}: {label.uid}: text hash {record.text_hash} does not match the label's "
                         f"{label.text_hash}; the report text or the reader changed, so re-read and relabel it")
    return {"uid": label.uid, "report_id": label.report_id, "record_id": label.record_id, "kind": record.kind,
            "section": record.section or "", "era": report.era, "local_authority": report.local_authority,
            "text": record.text, "themes": list(label.themes), "stance": label.stance, "labeller": label.labeller}


def build_dataset(labels: str | Path | list[Label] = LABELS, corpus: str | Path = "../shared/corpus",
                  split: str | Path = SPLIT, progress: bool = False):
    """A ``datasets.DatasetDict`` with ``train`` and ``test`` splits of labelled texts."""
    from datasets import Dataset, DatasetDict, Features, Sequence, Value

    features = Features({column: Sequence(Value("string")) if column == "themes" else Value("string")
                         for column in COLUMNS})
    labels = labels if isinstance(labels, list) else read_labels(labels)
    reports = read_split(split)
    unsplit = sorted({l.report_id for l in labels} - set(reports["train"]) - set(reports["test"]))
    if unsplit:
        raise LabelError(f"labelled reports missing from {split}: {', '.join(unsplit[:5])}")
    rows = join_texts(labels, corpus, progress)
    splits = {}
    for name in ("train", "test"):
        chosen = [r for r in rows if r["report_id"] in set(reports[name])]
        splits[name] = Dataset.from_dict({c: [r[c] for r in chosen] for c in COLUMNS}, features=features)
    return DatasetDict(splits)


def load_table(path: str | Path):
    """A user's own labelled table (JSONL, CSV or a saved ``datasets`` folder) with a ``text``
    column and a ``themes`` column (a list, or ids separated by ``;`` or ``,``)."""
    from datasets import Dataset, load_from_disk

    path = Path(path)
    if path.is_dir():
        table = load_from_disk(str(path))
        table = table["train"] if hasattr(table, "keys") else table
    elif path.suffix in (".jsonl", ".json", ".csv"):
        table = Dataset.from_list([row for _, row in _rows(path)])
    else:
        raise LabelError(f"{path}: a training table must be .jsonl, .csv or a saved datasets folder")
    for column in ("text", "themes"):
        if column not in table.column_names:
            raise LabelError(f"{path}: the table has no {column!r} column (it has {table.column_names})")

    def split_themes(row):
        themes = row["themes"]
        if isinstance(themes, str):
            themes = [t.strip() for t in themes.replace(";", ",").split(",") if t.strip()]
        try:
            check_theme_ids(themes, f"{path}, text {row['text'][:40]!r}")
        except UnknownThemeError as error:
            raise LabelError(str(error)) from error
        return {"themes": themes}

    return table.map(split_themes)


def data_hash(texts: list[str], themes: list[list[str]]) -> str:
    """Short hash of a training set's texts and labels (recorded in model bundles)."""
    digest = hashlib.sha256()
    for text, ids in zip(texts, themes):
        digest.update(text.encode() + b"\0" + ",".join(sorted(ids)).encode() + b"\n")
    return digest.hexdigest()[:16]


def summary_tables(dataset) -> dict[str, list[list]]:
    """Counts per theme, era, stance and kind, for each split (rows for a table)."""
    splits = list(dataset.keys())
    tables: dict[str, list[list]] = {}
    count = {name: Counter(t for ids in dataset[name]["themes"] for t in ids) for name in splits}
    tables["theme"] = [[theme, *(count[name][theme] for name in splits)] for theme in THEME_IDS]
    for column in ("era", "stance", "kind"):
        values = {name: Counter(dataset[name][column]) for name in splits}
        keys = sorted(set().union(*values.values()))
        tables[column] = [[key, *(values[name][key] for name in splits)] for key in keys]
    tables["total"] = [["texts", *(len(dataset[name]) for name in splits)],
                       ["reports", *(len(set(dataset[name]["report_id"])) for name in splits)]]
    return tables
