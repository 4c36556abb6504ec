"""The ``ofsted-themes`` command line: parse, check-corpus, classify, train, evaluate, dataset."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

from ofsted_themes.reports import GRADES, JUDGEMENTS, Report, ReportError, read_report, report_files

CORPUS = Path("../shared/corpus")
EXAMPLES = """\
examples:
  ofsted-themes classify "Allegations against professionals are managed well by the LADO."
  ofsted-themes classify report.pdf                   every paragraph of a report, as a table
  ofsted-themes classify reports/ --fast --format csv > themes.csv   a folder, fast tier
  ofsted-themes parse report.pdf --format json        the records of a report, no themes
  ofsted-themes check-corpus ../shared/corpus          how well every report parses
  ofsted-themes dataset summary                       counts of the labelled data
  ofsted-themes train --out models/mine               retrain on the labels and the corpus
  ofsted-themes evaluate                              test-split scores beside the baselines

Run `ofsted-themes COMMAND --help` for each command's options.
"""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except (ReportError, FileNotFoundError, ValueError, TypeError, RuntimeError) as error:
        print(f"ofsted-themes: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ofsted-themes", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES,
        description="Tag the paragraphs and recommendations of Ofsted children's services inspection "
                    "reports with 32 themes (MASH, LADO, early help, care leavers, ...).")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    parse = commands.add_parser("parse", help="print the records of a report (no themes)",
                                description="Read a report PDF (or text copy) and print its recommendations, "
                                            "summary paragraphs and numbered paragraphs.")
    parse.add_argument("report", type=Path, help="a report PDF or plain-text copy")
    parse.add_argument("--format", choices=["table", "json", "csv"], default="table")
    parse.set_defaults(run=run_parse)

    check = commands.add_parser("check-corpus", help="parse every report in a folder and report completeness",
                                description="Parse every report of a corpus folder and print, per framework era, "
                                            "reports, paragraphs, recommendations and reports whose numbering has "
                                            "no gap or repeat; with a manifest.csv, also grade agreement.")
    check.add_argument("corpus", type=Path, nargs="?", default=CORPUS)
    check.add_argument("--list", action="store_true", help="list every incomplete or unreadable report")
    check.set_defaults(run=run_check_corpus)

    classify = commands.add_parser(
        "classify", help="tag texts or reports with themes", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Tag texts with themes. INPUT is a text in quotes, '-' for standard input (one text per "
                    "line), a .txt file (a report copy, else one text per blank-line-separated paragraph), a "
                    "report PDF or a folder of PDFs. A file named here that cannot be read is an error; "
                    "a file in a folder that is not an inspection report is skipped with a message.",
        epilog="jsonl and csv rows carry: source, local_authority, inspection_start, framework, record, kind, "
               "section, themes, scores, text (the report fields are empty for plain texts).\n\n"
               "examples:\n  ofsted-themes classify \"Care leavers live in suitable homes.\"\n"
               "  ofsted-themes classify report.pdf\n"
               "  ofsted-themes classify reports/ --fast --format jsonl > themes.jsonl")
    classify.add_argument("inputs", nargs="+", metavar="INPUT")
    classify.add_argument("--model", type=Path, help="a model bundle folder (default: the shipped model)")
    classify.add_argument("--fast", action="store_true", help="use the fast tier (static embeddings) for bulk runs")
    classify.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")
    classify.set_defaults(run=run_classify)

    train = commands.add_parser(
        "train", help="train a model bundle", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train a bundle on the train split of the label file (texts rebuilt from the corpus), "
                    "or on your own table of texts and themes (--table), and write it to --out. The test "
                    "split is never read.",
        epilog="examples:\n  ofsted-themes train --out models/mine\n"
               "  ofsted-themes train --table my_labels.csv --out models/mine    (columns: text, themes)\n"
               "  ofsted-themes train --encoder static --out models/fast")
    _data_options(train)
    train.add_argument("--table", type=Path, help="JSONL, CSV or saved datasets folder with text and themes "
                       "(optional columns: report_id, section)")
    train.add_argument("--encoder", default="sentence-transformers/all-MiniLM-L6-v2",
                       help="sentence-transformers model name or folder; 'static' to distil model2vec static "
                            "embeddings from the default model; 'none' for TF-IDF alone")
    train.add_argument("--no-lexical", action="store_true", help="leave TF-IDF features out of the head")
    train.add_argument("--char-ngrams", action="store_true",
                       help="add TF-IDF of character 3- to 5-grams to the head (+0.2 points micro-F1 in "
                            "cross-validation, for a much slower training; off in the shipped bundles)")
    train.add_argument("--no-keywords", action="store_true", help="leave keyword-pattern features out of the head")
    train.add_argument("--C", type=float, default=16.0, help="inverse regularisation of the logistic head")
    train.add_argument("--lexical-weight", type=float, default=2.0, help="scale of TF-IDF features beside embeddings")
    train.add_argument("--out", type=Path, required=True, help="folder to write the bundle to")
    train.set_defaults(run=run_train)

    evaluate = commands.add_parser(
        "evaluate", help="score a bundle on the test split beside the baselines",
        description="Per-theme precision, recall, F1 and support on the held-out test split, with a keyword "
                    "baseline and TF-IDF + the same linear head trained on the train split, in one run.")
    _data_options(evaluate)
    evaluate.add_argument("--model", type=Path, action="append",
                          help="bundle folder(s) to score (default: the shipped default and fast bundles)")
    evaluate.add_argument("--json", type=Path, help="also write all scores to this JSON file")
    evaluate.add_argument("--record", action="store_true",
                          help="write the scores into each evaluated bundle folder as evaluation.json")
    evaluate.set_defaults(run=run_evaluate)

    dataset = commands.add_parser("dataset", help="build or summarise the labelled data set",
                                  description="Join the labels with texts read from the corpus.")
    dataset_commands = dataset.add_subparsers(metavar="ACTION", required=True)
    summary = dataset_commands.add_parser("summary", help="counts per theme, split, era and stance")
    _data_options(summary)
    summary.set_defaults(run=run_dataset_summary)
    build = dataset_commands.add_parser("build", help="write the DatasetDict (train, test) to a folder")
    _data_options(build)
    build.add_argument("--out", type=Path, required=True)
    build.set_defaults(run=run_dataset_build)
    return parser


def _data_options(parser: argparse.ArgumentParser) -> None:
    from ofsted_themes.datasets import LABELS, SPLIT

    parser.add_argument("--labels", type=Path, default=LABELS, help="label file or folder (default: %(default)s)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of report PDFs (default: %(default)s)")
    parser.add_argument("--split", type=Path, default=SPLIT, help="train/test report lists (default: %(default)s)")


def _print_rows(header: list[str], rows: list[list], output_format: str) -> None:
    if output_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(rows)
    elif output_format in ("json", "jsonl"):
        for row in rows:
            print(json.dumps(dict(zip(header, row)), ensure_ascii=False))
    else:
        from tabulate import tabulate
        print(tabulate(rows, header, tablefmt="simple", maxcolwidths=[None] * (len(header) - 1) + [90]))


def run_parse(args) -> None:
    report = read_report(args.report)
    if args.format == "table":
        grades = ", ".join(f"{k}: {v}" for k, v in report.judgements.items())
        print(f"{report.local_authority} | {report.era} | {report.inspection_start} to {report.inspection_end} | "
              f"lead inspector {report.lead_inspector} | {grades}\n")
    header = ["record", "kind", "section", "page", "hash", "text"]
    _print_rows(header, [[r.record_id, r.kind, r.section, r.page, r.text_hash, r.text] for r in report.records],
                args.format)
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)


def run_check_corpus(args) -> int:
    from tabulate import tabulate
    from tqdm.auto import tqdm

    files = report_files(args.corpus)
    manifest = {}
    if (args.corpus / "manifest.csv").exists():
        with open(args.corpus / "manifest.csv", encoding="utf-8", newline="") as handle:
            manifest = {Path(row["file"]).name: row for row in csv.DictReader(handle)}
    stats: dict[str, Counter] = {}
    unreadable, incomplete, grade_checked, grade_agree, disagreements = [], [], 0, 0, []
    started = time.perf_counter()
    for path in tqdm(files, desc="parsing", unit="report"):
        try:
            report = read_report(path)
        except ReportError as error:
            unreadable.append(str(error))
            continue
        era = stats.setdefault(report.era, Counter())
        gaps = report.numbering_gaps()
        era.update(reports=1, paragraphs=len(report.paragraphs), recommendations=len(report.recommendations),
                   summaries=len(report.summaries), complete=not gaps, problems=len(report.problems))
        if gaps:
            incomplete.append(f"{path.name}: {'; '.join(gaps)}")
        expected = {k: manifest.get(path.name, {}).get(k) for k in JUDGEMENTS}
        expected = {k: v for k, v in expected.items() if v in GRADES}
        if expected:
            grade_checked += 1
            if all(report.judgements.get(k) == v for k, v in expected.items()):
                grade_agree += 1
            else:
                disagreements.append(f"{path.name}: manifest {expected}, report {report.judgements}")
    rows = [[era, s["reports"], s["paragraphs"], s["recommendations"], s["summaries"], s["complete"],
             f"{100 * s['complete'] / s['reports']:.1f}%", s["problems"]] for era, s in sorted(stats.items())]
    print(tabulate(rows, ["era", "reports", "paragraphs", "recommendations", "summaries", "complete",
                          "complete %", "problems reported"]))
    print(f"\nunreadable files (clear ReportError, no exception): {len(unreadable)}")
    if grade_checked:
        print(f"judgement grades agreeing with manifest.csv: {grade_agree}/{grade_checked} "
              f"({100 * grade_agree / grade_checked:.1f}%)")
    print(f"time: {time.perf_counter() - started:.1f} s for {len(files)} files")
    if args.list:
        for title, lines in [("unreadable", unreadable), ("incomplete numbering", incomplete),
                             ("grades differing from the manifest", disagreements)]:
            print(f"\n{title}:", *lines, sep="\n  ")
    return 0


def _classify_inputs(inputs: list[str]):
    """Yield (source, texts, Report or a PDF path) for each input; texts given as arguments form
    one input. A file named on the command line that cannot be read is an error; a file in a
    named folder that is not a report is skipped later, with a message."""
    texts = [item for item in inputs if _is_text(item)]
    if texts:
        yield "text", texts
    for item in (item for item in inputs if not _is_text(item)):
        path = Path(item)
        if item == "-":
            yield "stdin", [line.strip() for line in sys.stdin if line.strip()]
        elif path.is_dir():
            yield from ((str(p), p) for p in report_files(path))
        elif path.suffix.lower() == ".pdf":
            yield str(path), read_report(path)  # a file named on the command line must be a report
        elif not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        elif path.suffix.lower() != ".txt":
            raise ValueError(f"{path}: not a report PDF or a .txt file; to classify a table of texts, "
                             f"pass them on standard input, one per line ('-')")
        else:
            try:
                yield str(path), read_report(path)
            except ReportError:
                paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
                if not paragraphs:
                    raise ValueError(f"{path}: the file is empty")
                yield str(path), paragraphs


def _is_text(item: str) -> bool:
    """An argument that is neither '-', an existing file or folder, nor a .pdf or .txt name: a text."""
    path = Path(item)
    return not (item == "-" or path.exists() or path.suffix.lower() in (".pdf", ".txt"))


def run_classify(args) -> None:
    from ofsted_themes.predictions import classify_many, classify_report, load_model

    model = load_model(args.model, args.fast)
    header = (["source", "record", "themes", "scores", "text"] if args.format == "table" else
              ["source", "local_authority", "inspection_start", "framework", "record", "kind", "section",
               "themes", "scores", "text"])
    rows = []
    inputs = list(_classify_inputs(args.inputs))
    many_reports = sum(not isinstance(texts, list) for _, texts in inputs) > 1
    if many_reports and args.format == "table":
        print("tip: --format csv or jsonl suits many reports", file=sys.stderr)
    from tqdm.auto import tqdm
    for source, texts in tqdm(inputs, desc="reports", unit="report", disable=not many_reports):
        report = None
        if isinstance(texts, list):
            results = classify_many(texts, model, progress=len(texts) > 500)
        else:
            try:
                report = texts if isinstance(texts, Report) else read_report(texts)
            except ReportError as error:
                print(f"ofsted-themes: skipped: {error}", file=sys.stderr)
                continue
            results = classify_report(report, model, progress=not many_reports and args.format == "table")
        about = ([report.local_authority, str(report.inspection_start or ""), report.framework] if report
                 else ["", "", ""])
        for index, result in enumerate(results, 1):
            record = result.record
            where = [record.record_id, record.kind, record.section] if record else [str(index), "text", ""]
            ids = [t.theme for t in result.themes]
            if args.format == "table":
                rows.append([source if len(inputs) > 1 else "", where[0], "\n".join(ids),
                             "\n".join(f"{t.score:.2f}" for t in result.themes), result.text])
            else:
                rows.append([source, *about, *where, ids if args.format == "jsonl" else ";".join(ids),
                             [t.score for t in result.themes] if args.format == "jsonl"
                             else ";".join(f"{t.score:.3f}" for t in result.themes), result.text])
    if args.format == "table" and len(inputs) == 1:
        header, rows = header[1:], [row[1:] for row in rows]
    _print_rows(header, rows, args.format)


def _training_data(args):
    """Texts, theme lists, groups (report ids) and sections of the train split, or of a user's table."""
    if args.table:
        from ofsted_themes.datasets import load_table

        table = load_table(args.table)
        groups, sections = (table[column] if column in table.column_names else None
                            for column in ("report_id", "section"))
        return table["text"], table["themes"], groups, sections, str(args.table)
    from ofsted_themes.datasets import build_dataset

    train = build_dataset(args.labels, args.corpus, args.split, progress=True)["train"]
    return train["text"], train["themes"], train["report_id"], train["section"], project_relative(args.labels)


def project_relative(path: Path) -> str:
    """A label path as recorded in a bundle: relative to the project when it lies inside it."""
    from ofsted_themes.datasets import PROJECT

    resolved = Path(path).resolve()
    return str(resolved.relative_to(PROJECT)) if resolved.is_relative_to(PROJECT) else str(path)


def run_train(args) -> None:
    from ofsted_themes.datasets import data_hash
    from ofsted_themes.encoders import distil_static
    from ofsted_themes.model import ThemeClassifier

    texts, themes, groups, sections, source = _training_data(args)
    encoder = None if args.encoder == "none" else args.encoder
    if encoder == "static":
        distil_static("sentence-transformers/all-MiniLM-L6-v2", args.out / "static")
    model = ThemeClassifier(encoder, lexical=not args.no_lexical, lexical_weight=args.lexical_weight,
                            char_ngrams=args.char_ngrams, keywords=not args.no_keywords, C=args.C,
                            static_folder=args.out if encoder == "static" else None)
    started = time.perf_counter()
    model.fit(texts, themes, groups=groups, sections=sections, progress=True)
    metadata = {"training_data": {"source": source, "texts": len(texts), "hash": data_hash(texts, themes),
                                  "reports": len(set(groups)) if groups is not None else None}}
    model.save(args.out, metadata)
    print(f"trained on {len(texts)} texts in {time.perf_counter() - started:.0f} s; "
          f"cross-validated micro-F1 {model.info_['cross_validation']['micro_f1']:.3f}; bundle in {args.out}")


def run_evaluate(args) -> None:
    from tabulate import tabulate

    from ofsted_themes.datasets import build_dataset
    from ofsted_themes.evaluation import KeywordBaseline, comparison_table, score, tfidf_baseline, wins
    from ofsted_themes.model import ThemeClassifier, binarize
    from ofsted_themes.predictions import model_folder

    data = build_dataset(args.labels, args.corpus, args.split, progress=True)
    train, test = data["train"], data["test"]
    y_test = binarize(test["themes"])
    results = {"keywords": score(y_test, KeywordBaseline().predict(test["text"]))}
    tfidf = tfidf_baseline(train["text"], train["themes"], train["report_id"])
    results["tfidf"] = score(y_test, tfidf.predict(test["text"]))
    folders = args.model or [f for f in (model_folder(), model_folder(fast=True)) if f.exists()]
    speeds = {}
    for folder in folders:
        model = ThemeClassifier.load(folder)
        started = time.perf_counter()
        results[folder.name] = score(y_test, model.predict(test["text"], test["section"], progress=True))
        speeds[folder.name] = len(test) / (time.perf_counter() - started)
        if model.sections:  # as classify(text) sees a text: without its section
            results[f"{folder.name} (text alone)"] = score(y_test, model.predict(test["text"]))
    header, rows = comparison_table(results)
    print(f"test split: {len(test)} texts from {len(set(test['report_id']))} reports; "
          f"train split: {len(train)} texts from {len(set(train['report_id']))} reports\n")
    print(tabulate(rows, header))
    for name in list(results)[2:]:
        print(f"\n{name}: higher F1 than " + ", ".join(f"{other} on {n}/32 themes"
                                                     for other, n in wins(results, name).items())
              + (f"; {speeds[name]:.0f} texts/s" if name in speeds else ""))
        weak = [row[0] for row in rows[:-2] if row[1] >= 10 and row[header.index(f'F1 {name}')] < 0.70]
        print(f"{name}: themes with 10+ test positives below F1 0.70: {', '.join(weak) or 'none'}")
    report = json.dumps({"test_split": {"texts": len(test), "reports": len(set(test["report_id"])),
                                        "labels": project_relative(args.labels)},
                         "scores": {name: {"micro_f1": round(s.micro_f1, 4), "macro_f1": round(s.macro_f1, 4),
                                           "per_theme": s.per_theme()} for name, s in results.items()}},
                        indent=1) + "\n"
    if args.json:
        args.json.write_text(report)
    if args.record:
        for folder in folders:
            (folder / "evaluation.json").write_text(report)


def run_dataset_summary(args) -> None:
    from tabulate import tabulate

    from ofsted_themes.datasets import build_dataset, summary_tables

    data = build_dataset(args.labels, args.corpus, args.split, progress=True)
    for name, rows in summary_tables(data).items():
        print(f"\nper {name}:" if name != "total" else "\ntotal:")
        print(tabulate(rows, [name, *data.keys()]))


def run_dataset_build(args) -> None:
    from ofsted_themes.datasets import build_dataset

    data = build_dataset(args.labels, args.corpus, args.split, progress=True)
    data.save_to_disk(str(args.out))
    print(f"wrote {', '.join(f'{k}: {len(v)} texts' for k, v in data.items())} to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
