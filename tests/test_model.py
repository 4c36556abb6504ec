"""The classifier: TF-IDF features, fit/predict, bundles and their compatibility checks."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ofsted_themes import THEME_IDS, BundleError, ThemeClassifier
from ofsted_themes.model import LexicalFeatures, binarize, tune_thresholds
from ofsted_themes.taxonomy import UnknownThemeError

PHRASES = {
    "lado": "the designated officer handles allegations against staff",
    "mash": "referrals to the front door are screened promptly",
    "early_help": "early help workers in family hubs support families",
    "care_leavers": "personal advisers keep in touch with care leavers",
    "education": "the virtual school tracks attendance and exclusions",
    "workforce": "caseloads are high and agency staff turnover is frequent",
}


def tiny_data(repeats: int = 6):
    """Texts built from theme phrases (one or two themes each), every theme present."""
    texts, themes, groups = [], [], []
    ids = list(PHRASES)
    for r in range(repeats):
        for i, theme in enumerate(ids):
            other = ids[(i + r) % len(ids)]
            pair = [theme] if other == theme else [theme, other]
            texts.append(f"In report {r}, " + " and ".join(PHRASES[t] for t in pair) + ".")
            themes.append(pair)
            groups.append(f"report-{r}")
    # themes outside the six above get one text each so that every head can be fitted
    for theme in THEME_IDS:
        if theme not in PHRASES:
            texts.append(f"A paragraph about {theme.replace('_', ' ')} practice.")
            themes.append([theme])
            groups.append("report-extra")
    return texts, themes, groups


def test_lexical_features_match_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts, _, _ = tiny_data()
    new = ["Allegations against staff: the designated officer's work!", "nothing known here zzz"]
    ours = LexicalFeatures.fit(texts, min_df=1)
    reference = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1).fit(texts)
    assert np.allclose(ours.transform(new).toarray(), reference.transform(new).toarray())
    ours = LexicalFeatures.fit(texts, "char", min_df=1)
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1).fit(texts)
    assert ours.terms == reference.get_feature_names_out().tolist()
    assert np.allclose(ours.transform(new).toarray(), reference.transform(new).toarray())


def test_fit_predict_save_load_round_trip(tmp_path):
    texts, themes, groups = tiny_data()
    model = ThemeClassifier(encoder=None, char_ngrams=True, folds=3).fit(texts, themes, groups=groups)
    probabilities = model.predict_proba(["The designated officer handles allegations against staff well."])
    assert probabilities.shape == (1, len(THEME_IDS))
    predicted = model.predict(["The designated officer handles allegations against staff well."])[0]
    assert predicted[THEME_IDS.index("lado")] == 1
    assert predicted[THEME_IDS.index("education")] == 0
    model.save(tmp_path / "bundle", {"training_data": {"texts": len(texts)}})
    loaded = ThemeClassifier.load(tmp_path / "bundle")
    assert np.allclose(loaded.predict_proba(texts), model.predict_proba(texts))
    bundle = json.loads((tmp_path / "bundle" / "bundle.json").read_text())
    assert bundle["taxonomy_version"] == "1" and bundle["themes"] == list(THEME_IDS) and bundle["keywords"] is True
    assert bundle["char_ngrams"] is True and loaded.chars_.terms == model.chars_.terms
    assert "numpy" in bundle["libraries"]
    assert not (tmp_path / "bundle" / "head.pkl").exists()
    with np.load(tmp_path / "bundle" / "head.npz", allow_pickle=False) as arrays:
        assert set(arrays.files) == {"coef", "intercept", "thresholds", "thresholds_alone", "idf", "char_idf"}


def test_sections_inform_the_head(tmp_path):
    """A text that names no theme gets the theme of the report section it sits in, when the
    section is given; given alone it is scored from its words; a wrong section is an error."""
    texts, themes, groups = tiny_data()
    sections = [None] * len(texts)
    for r in range(8):
        for section, theme in (("care_leavers", "care_leavers"), ("leaders", "workforce")):
            texts.append(f"In report {r}, practice in this area is strong and improving.")
            themes.append([theme])
            groups.append(f"report-{r}")
            sections.append(section)
    model = ThemeClassifier(encoder=None, folds=3).fit(texts, themes, groups=groups, sections=sections)
    vague = ["Practice in this area is strong and improving."]
    care_leavers, workforce = THEME_IDS.index("care_leavers"), THEME_IDS.index("workforce")
    in_care_leavers = model.predict_proba(vague, sections=["care_leavers"])[0]
    in_leaders = model.predict_proba(vague, sections=["leaders"])[0]
    assert in_care_leavers[care_leavers] > in_leaders[care_leavers] + 0.3
    assert in_leaders[workforce] > in_care_leavers[workforce] + 0.3
    unknown = model.predict_proba(vague)[0]
    assert np.allclose(unknown, model.predict_proba(vague, sections=[None])[0])
    model.save(tmp_path)
    assert json.loads((tmp_path / "bundle.json").read_text())["sections"] is True
    assert np.allclose(ThemeClassifier.load(tmp_path).predict_proba(vague, sections=["leaders"])[0], in_leaders)
    with pytest.raises(ValueError, match="unknown section 'care leavers'.*known: summary"):
        model.predict(vague, sections=["care leavers"])
    with pytest.raises(ValueError, match="2 sections given for 1 texts"):
        model.predict(vague, sections=["leaders", "leaders"])


def test_bundle_from_another_taxonomy_version(tmp_path):
    texts, themes, groups = tiny_data()
    ThemeClassifier(encoder=None, folds=2).fit(texts, themes, groups=groups).save(tmp_path)
    bundle = json.loads((tmp_path / "bundle.json").read_text())
    bundle["taxonomy_version"] = "0"
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))
    with pytest.raises(BundleError, match="taxonomy version 0.*retrain"):
        ThemeClassifier.load(tmp_path)


def tiny_static_encoder(folder, texts):
    """A static-embedding encoder (the fast tier's kind) over the words of the test texts."""
    from model2vec import StaticModel
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = sorted({w for t in texts for w in t.lower().replace(".", " ").replace(",", " ").split()})
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(["[UNK]", *words])}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    vectors = np.random.default_rng(0).normal(size=(len(words) + 1, 16)).astype(np.float32)
    StaticModel(vectors=vectors, tokenizer=tokenizer, normalize=True).save_pretrained(str(folder / "static"))


def test_static_tier_and_encoder_mismatch(tmp_path):
    texts, themes, groups = tiny_data()
    tiny_static_encoder(tmp_path, texts)
    model = ThemeClassifier(encoder="static", static_folder=tmp_path, folds=2).fit(texts, themes, groups=groups)
    model.save(tmp_path)
    assert np.allclose(ThemeClassifier.load(tmp_path).predict_proba(texts[:3]), model.predict_proba(texts[:3]),
                       atol=1e-5)
    bundle = json.loads((tmp_path / "bundle.json").read_text())
    bundle["encoder"]["fingerprint"] = "0123456789abcdef"
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))
    with pytest.raises(BundleError, match="trained with encoder.*0123456789abcdef.*retrain"):
        ThemeClassifier.load(tmp_path).predict(["a text"])


def test_missing_and_damaged_bundles(tmp_path):
    with pytest.raises(BundleError, match="no model bundle"):
        ThemeClassifier.load(tmp_path / "nowhere")
    (tmp_path / "bundle.json").write_text("{not json")
    with pytest.raises(BundleError, match="damaged"):
        ThemeClassifier.load(tmp_path)


def test_unknown_theme_in_training_data():
    with pytest.raises(UnknownThemeError, match="row 2.*lado_service"):
        binarize([["lado"], ["lado_service"]])


def test_bad_texts():
    texts, themes, groups = tiny_data()
    model = ThemeClassifier(encoder=None, folds=2).fit(texts, themes, groups=groups)
    with pytest.raises(ValueError, match="text 2 is empty"):
        model.predict(["fine", "   "])
    with pytest.raises(TypeError, match="text 1 is int"):
        model.predict([42])
    with pytest.raises(TypeError, match="not a single string"):
        model.predict("one string")


def test_unfitted_and_theme_without_examples():
    with pytest.raises(RuntimeError, match="not fitted"):
        ThemeClassifier(encoder=None).predict(["text"])
    with pytest.raises(ValueError, match="no positive training text for themes"):
        ThemeClassifier(encoder=None).fit(["one text", "another"], [["lado"], ["mash"]])


def test_thresholds_maximise_f1():
    y = np.array([[1], [1], [0], [0]])
    probabilities = np.array([[0.9], [0.4], [0.3], [0.1]])
    assert 0.3 < tune_thresholds(y, probabilities)[0] <= 0.4
