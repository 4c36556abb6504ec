"""Speed levers: what each optimisation of the classify path does, one at a time.

    python benchmarks/speed_levers.py               # about 5 minutes
    python benchmarks/speed_levers.py --paragraphs 1000

Each lever is timed on the same corpus paragraphs against the way it would be done without
it, in the same run (best of ``--repeats``). Import costs are measured in fresh processes.
ONNX Runtime is compared only when ``onnxruntime`` is installed (it is not a dependency).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from ofsted_themes import encoders
from ofsted_themes.keywords import KEYWORDS, keyword_matches
from ofsted_themes.model import ThemeClassifier
from ofsted_themes.reports import ReportError, read_report, report_files
from ofsted_themes.taxonomy import THEME_IDS

ROOT = Path(__file__).resolve().parent.parent


def corpus_paragraphs(corpus: str, count: int) -> list[str]:
    texts: list[str] = []
    for path in report_files(corpus):
        try:
            texts += [record.text for record in read_report(path).records]
        except ReportError:
            continue
        if len(texts) >= count:
            return texts[:count]
    return texts


def best_seconds(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def import_seconds(statement: str, repeats: int) -> float:
    """Fresh-process time of ``statement`` alone (the interpreter's own start subtracted)."""
    def fresh(code: str) -> float:
        return best_seconds(lambda: subprocess.run([sys.executable, "-c", code], check=True), repeats)
    return fresh(statement) - fresh("pass")


class OrtEncoder(encoders.OnnxEncoder):
    """The same exported ONNX file run with ONNX Runtime, one batch at a time, instead of OpenVINO."""

    def __init__(self, batch_size: int = 16):
        import onnxruntime

        super().__init__(batch_size=batch_size)
        self.session = onnxruntime.InferenceSession(str(self.onnx_file), providers=["CPUExecutionProvider"])

    _encode_batches = encoders._WindowedEncoder._encode_batches

    def _forward(self, ids, mask):
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                       "token_type_ids": np.zeros_like(ids)})[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--paragraphs", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from tabulate import tabulate

    texts = corpus_paragraphs(args.corpus, args.paragraphs)
    rows = []

    def compare(lever: str, without: str, without_work, with_: str, with_work) -> None:
        before, after = best_seconds(without_work, args.repeats), best_seconds(with_work, args.repeats)
        rows.append([lever, without, f"{before:.2f}", with_, f"{after:.2f}", f"{before / after:.2f}x"])
        print(f"{lever}: {before:.2f} s -> {after:.2f} s", flush=True)

    # The encoder.
    from sentence_transformers import SentenceTransformer

    naive = SentenceTransformer(str(encoders.resolve_model(encoders.DEFAULT_ENCODER)), device="cpu")
    shipped = encoders.OnnxEncoder()
    compare("encoder runtime", "sentence-transformers (torch)", lambda: naive.encode(texts, batch_size=32),
            "ONNX with OpenVINO, async queue", lambda: shipped.encode(texts))
    try:
        ort = OrtEncoder()
        compare("ONNX runtime", "ONNX Runtime, one batch at a time", lambda: ort.encode(texts),
                "OpenVINO, async queue", lambda: shipped.encode(texts))
    except ImportError:
        print("ONNX Runtime: skipped (pip install onnxruntime to compare)")
    large = encoders.OnnxEncoder(batch_size=64)
    compare("batch size", "64 windows", lambda: large.encode(texts), "16 windows", lambda: shipped.encode(texts))

    # The features computed from the text.
    patterns = [re.compile(KEYWORDS[theme], re.I) for theme in THEME_IDS]
    compare("keyword features", "re.search per theme", lambda: [[bool(p.search(t)) for p in patterns] for t in texts],
            "literal prefilter matcher", lambda: keyword_matches(texts))
    static = encoders.StaticEncoder(ROOT / "models" / "fast" / "static")
    compare("static embeddings", "model2vec StaticModel.encode", lambda: static.model.encode(texts),
            "one sparse (texts x vocabulary) product", lambda: static.encode(texts))

    # The whole predict path.
    for name in ("default", "fast"):
        model = ThemeClassifier.load(ROOT / "models" / name)

        def one_after_other(model=model):
            model._probabilities(model._embed(texts), texts)

        compare(f"predict ({name})", "encode, then text features", one_after_other,
                "text features while the encoder runs", lambda model=model: model.predict_proba(texts))

    print("import costs (fresh processes)...", flush=True)
    torch_import = import_seconds("import sentence_transformers", args.repeats)
    sklearn_import = import_seconds("import sklearn.linear_model", args.repeats)
    ours = import_seconds("import ofsted_themes.predictions, ofsted_themes.model", args.repeats)
    rows.append(["import at classify time", "torch + sentence-transformers", f"{torch_import:.2f}",
                 "ofsted_themes (no torch, no scikit-learn)", f"{ours:.2f}", f"{torch_import / ours:.1f}x"])
    rows.append(["scikit-learn import (avoided at classify time)", "import sklearn.linear_model",
                 f"{sklearn_import:.2f}", "", "", ""])

    print(f"\n{len(texts)} corpus paragraphs; best of {args.repeats} runs\n")
    print(tabulate(rows, ["lever", "without", "seconds", "with", "seconds", "speed-up"]))


if __name__ == "__main__":
    main()
