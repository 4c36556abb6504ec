"""Speed benchmark: start-up, throughput, peak memory and accuracy of each tier, against the
naive pipeline (sentence-transformers ``encode`` + a linear head) measured in the same run.

    python benchmarks/speed.py                      # everything (about 10 minutes)
    python benchmarks/speed.py --paragraphs 2000 --repeats 3 --no-corpus-run

Every measurement runs in a fresh Python process, so imports and model loading count as a
user would see them; peak memory is that process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLI = str(Path(PYTHON).parent / "ofsted-themes")

# Each snippet runs in its own process and prints one JSON line.
PARAGRAPHS = """
import json, sys
from ofsted_themes.reports import read_report, report_files
texts = []
for path in report_files(sys.argv[1]):
    try:
        texts += [r.text for r in read_report(path).records]
    except Exception:
        continue
    if len(texts) >= int(sys.argv[2]):
        break
json.dump(texts[:int(sys.argv[2])], open(sys.argv[3], "w"))
"""
PEAK = "import resource; peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024"
NAIVE_FIRST = """
import time; started = time.perf_counter()
import numpy as np
from sentence_transformers import SentenceTransformer
from ofsted_themes.encoders import resolve_model
model = SentenceTransformer(str(resolve_model("all-MiniLM-L6-v2")), device="cpu")
head = np.load("models/default/head.npz")
scores = model.encode(["some text"]) @ head["coef"][:, :384].T + head["intercept"]
print('{"seconds": %f}' % (time.perf_counter() - started))
"""
API_FIRST = """
import time; started = time.perf_counter()
from ofsted_themes import classify
classify("some text", fast=FAST)
print('{"seconds": %f}' % (time.perf_counter() - started))
"""
NAIVE_MANY = """
import json, sys, time
import numpy as np
from sentence_transformers import SentenceTransformer
from ofsted_themes.encoders import resolve_model
texts = json.load(open(sys.argv[1]))
model = SentenceTransformer(str(resolve_model("all-MiniLM-L6-v2")), device="cpu")
head = np.load("models/default/head.npz")
model.encode(texts[:32])
started = time.perf_counter()
scores = model.encode(texts, batch_size=32) @ head["coef"][:, :384].T + head["intercept"]
seconds = time.perf_counter() - started
PEAK
print(json.dumps({"per_second": len(texts) / seconds, "peak_mb": peak}))
""".replace("PEAK", PEAK)
API_MANY = """
import json, sys, time
from ofsted_themes import classify_many
from ofsted_themes.predictions import load_model
texts = json.load(open(sys.argv[1]))
model = load_model(fast=FAST)
classify_many(texts[:32], model)
started = time.perf_counter()
classify_many(texts, model)
seconds = time.perf_counter() - started
PEAK
print(json.dumps({"per_second": len(texts) / seconds, "peak_mb": peak}))
""".replace("PEAK", PEAK)
ACCURACY = """
import json, sys
from ofsted_themes.datasets import build_dataset
from ofsted_themes.evaluation import score
from ofsted_themes.model import ThemeClassifier, binarize
test = build_dataset(corpus=sys.argv[1])["test"]
y = binarize(test["themes"])
result = {}
for name, folder, backend in [("torch", "models/default", "torch"), ("onnx", "models/default", "onnx"),
                              ("fast", "models/fast", "onnx")]:
    model = ThemeClassifier.load(folder, backend=backend)
    result[name] = score(y, model.predict(test["text"], test["section"])).micro_f1
print(json.dumps(result))
"""


def run(code: str, *args: str) -> dict:
    """Run a snippet in a fresh interpreter (from the project folder); return its JSON line."""
    done = subprocess.run([PYTHON, "-c", code, *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--paragraphs", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3, help="start-up runs per variant (median reported)")
    parser.add_argument("--no-corpus-run", action="store_true", help="skip the whole-corpus fast-tier run")
    parser.add_argument("--no-accuracy", action="store_true", help="skip the test-split micro-F1 check")
    args = parser.parse_args()
    from tabulate import tabulate

    texts_file = "/tmp/ofsted-themes-benchmark-texts.json"
    run(PARAGRAPHS + "\nprint('{}')", args.corpus, str(args.paragraphs), texts_file)
    print(f"machine: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; "
          f"{args.paragraphs} corpus paragraphs; start-up: median of {args.repeats} fresh processes\n")
    wall([CLI, "classify", "warm the file cache"])

    def median(measure) -> float:
        return statistics.median(measure() for _ in range(args.repeats))

    start = {
        "naive": median(lambda: run(NAIVE_FIRST)["seconds"]),
        "default": median(lambda: run(API_FIRST.replace("FAST", "False"))["seconds"]),
        "fast": median(lambda: run(API_FIRST.replace("FAST", "True"))["seconds"]),
    }
    cli = {"default": median(lambda: wall([CLI, "classify", "some text"])),
           "fast": median(lambda: wall([CLI, "classify", "--fast", "some text"]))}
    many = {"naive": run(NAIVE_MANY, texts_file),
            "default": run(API_MANY.replace("FAST", "False"), texts_file),
            "fast": run(API_MANY.replace("FAST", "True"), texts_file)}
    rows = []
    for name in ("naive", "default", "fast"):
        rows.append([name, f"{start[name]:.2f}", f"{start['naive'] / start[name]:.1f}x",
                     f"{cli[name]:.2f}" if name in cli else "",
                     f"{many[name]['per_second']:.0f}", f"{many[name]['per_second'] / many['naive']['per_second']:.1f}x",
                     f"{many[name]['peak_mb']:.0f}"])
    print(tabulate(rows, ["pipeline", "import + first classify (s)", "vs naive", "cold CLI classify (s)",
                          "paragraphs/s", "vs naive", "peak MB"]))
    if not args.no_accuracy:
        f1 = run(ACCURACY, args.corpus)
        print(f"\ntest-split micro-F1: torch (unoptimised) {f1['torch']:.4f}, ONNX default {f1['onnx']:.4f} "
              f"(difference {f1['onnx'] - f1['torch']:+.4f}), fast tier {f1['fast']:.4f} "
              f"(difference from default {f1['fast'] - f1['onnx']:+.4f})")
    if not args.no_corpus_run:
        seconds = wall([CLI, "classify", args.corpus, "--fast", "--format", "jsonl"])
        print(f"\nwhole corpus with the fast tier (PDF reading included): {seconds:.0f} s")


if __name__ == "__main__":
    main()
