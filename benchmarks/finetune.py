"""Accuracy lever: fine-tuning the encoder on the labels (SetFit-style), against the frozen encoder.

    python benchmarks/finetune.py --epochs 1       # 87 minutes on 2 cores
    python benchmarks/finetune.py                  # 2 epochs: one more epoch of fine-tuning

On the 28,275 train texts, one epoch of fine-tuning on four folds (22,620 texts) took
2,566 s on 2 cores, embedding every text with the fine-tuned encoder about 20 minutes, and
each scoring of the head (grouped cross-validation on four folds for its thresholds, then
the held-out fold) about 20 minutes.

One fold of the train split (fold 0 of 5, grouped by report) is held out; the encoder is
fine-tuned on the other four with a multi-label head over sentence-mean embeddings (the
shipped pooling), then the shipped head (embeddings + TF-IDF + keywords + section, C=16) is trained
on the same four folds over frozen and over fine-tuned embeddings and scored on the held-out
fold. Thresholds: 0.5 for both (a fair comparison), and tuned by grouped cross-validation on
the four folds (favours the fine-tuned encoder a little: it has seen those labels). The test
split is never read.
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
import torch
from sklearn.model_selection import GroupKFold

from ofsted_themes.datasets import build_dataset
from ofsted_themes.encoders import DEFAULT_ENCODER, OnnxEncoder, resolve_model, split_sentences
from ofsted_themes.evaluation import score
from ofsted_themes.model import ThemeClassifier, binarize, tune_thresholds


def sentence_mean(transformer, tokenizer, texts: list[str]) -> torch.Tensor:
    """Normalised mean of each text's normalised sentence vectors (the shipped pooling)."""
    sentences, owner = [], []
    for index, text in enumerate(texts):
        for sentence in split_sentences(text):
            sentences.append(sentence)
            owner.append(index)
    batch = tokenizer(sentences, padding=True, truncation=True, max_length=128, return_tensors="pt")
    hidden = transformer(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    vectors = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
    pooled = torch.zeros(len(texts), vectors.shape[1]).index_add_(0, torch.tensor(owner), vectors)
    return torch.nn.functional.normalize(pooled, dim=-1)


def fine_tune(texts: list[str], y: np.ndarray, epochs: int, learning_rate: float) -> callable:
    """Fine-tune the default encoder on (texts, y); return a function that embeds texts with it."""
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    shuffle = random.Random(0)
    model = SentenceTransformer(str(resolve_model(DEFAULT_ENCODER)), device="cpu")
    transformer, tokenizer = model[0].auto_model, model.tokenizer
    head = torch.nn.Linear(transformer.config.hidden_size, y.shape[1])
    positives = y.sum(0)
    loss_function = torch.nn.BCEWithLogitsLoss(
        pos_weight=torch.tensor(np.clip((len(y) - positives) / np.maximum(positives, 1), 1, 20) ** 0.5))
    optimiser = torch.optim.AdamW([{"params": transformer.parameters(), "lr": learning_rate},
                                   {"params": head.parameters(), "lr": 2e-3}], weight_decay=0.01)
    steps = epochs * ((len(texts) + 15) // 16)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / (0.1 * steps)) * max(0.0, (steps - step) / steps))
    started = time.perf_counter()
    for epoch in range(epochs):
        transformer.train()
        order = list(range(len(texts)))
        shuffle.shuffle(order)
        total = 0.0
        for start in range(0, len(order), 16):
            batch = order[start:start + 16]
            logits = head(sentence_mean(transformer, tokenizer, [texts[i] for i in batch]) * 10)
            loss = loss_function(logits, torch.tensor(y[batch], dtype=torch.float32))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
        print(f"epoch {epoch + 1}/{epochs}: loss {total:.1f}, {time.perf_counter() - started:.0f} s", flush=True)
    transformer.eval()

    def embed(batch_texts: list[str]) -> np.ndarray:
        with torch.no_grad():
            return np.vstack([sentence_mean(transformer, tokenizer, batch_texts[i:i + 32]).numpy()
                              for i in range(0, len(batch_texts), 32)])
    return embed


def held_out_scores(texts, y, groups, sections, embeddings, train, held) -> dict[str, float]:
    """Shipped head (with sections) on ``train`` rows, scored on ``held`` at 0.5 and at grouped-CV thresholds."""
    fit, fit_sections = [texts[i] for i in train], [sections[i] for i in train]
    inner, _ = ThemeClassifier(encoder="given")._cross_validate(embeddings[train], fit, y[train], groups[train],
                                                                 fit_sections)
    head = ThemeClassifier(encoder="given")
    head._fit_head(embeddings[train], fit, y[train], fit_sections)
    probabilities = head._probabilities(embeddings[held], [texts[i] for i in held], [sections[i] for i in held])
    at_half = score(y[held], (probabilities >= 0.5).astype(np.int8))
    tuned = score(y[held], (probabilities >= tune_thresholds(y[train], inner)).astype(np.int8))
    return {"micro 0.5": at_half.micro_f1, "macro 0.5": at_half.macro_f1,
            "micro tuned": tuned.micro_f1, "macro tuned": tuned.macro_f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="../shared/corpus", help="folder of report PDFs")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--learning-rate", type=float, default=5e-5)
    args = parser.parse_args()
    torch.set_num_threads(2)

    data = build_dataset(corpus=args.corpus, progress=True)["train"]
    texts, y, groups = list(data["text"]), binarize(data["themes"]), np.array(data["report_id"])
    sections = [section or None for section in data["section"]]
    train, held = next(GroupKFold(5).split(texts, y, groups))
    print(f"fine-tuning on {len(train)} train-split texts ({len(set(groups[train]))} reports); "
          f"held out {len(held)} ({len(set(groups[held]))} reports)", flush=True)

    def report(name: str, embeddings: np.ndarray) -> None:
        s = held_out_scores(texts, y, groups, sections, embeddings, train, held)
        print(f"{name:40s} {s['micro 0.5']:9.3f} {s['macro 0.5']:9.3f} {s['micro tuned']:12.3f} "
              f"{s['macro tuned']:12.3f}", flush=True)

    print(f"\n{'encoder':40s} {'micro@0.5':>9s} {'macro@0.5':>9s} {'micro CV-thr':>12s} {'macro CV-thr':>12s}")
    report("frozen all-MiniLM-L6-v2 (shipped)", OnnxEncoder().encode(texts))  # before the long fine-tuning
    embed = fine_tune([texts[i] for i in train], y[train], args.epochs, args.learning_rate)
    report(f"fine-tuned, {args.epochs} epoch(s)", embed(texts))


if __name__ == "__main__":
    main()
