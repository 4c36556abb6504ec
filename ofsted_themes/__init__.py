"""Tag the paragraphs and recommendations of Ofsted children's services inspection reports with themes.

    from ofsted_themes import classify, classify_report
    classify("The LADO manages allegations against professionals well.").theme_ids
"""

from ofsted_themes.datasets import build_dataset, read_labels
from ofsted_themes.model import BundleError, ThemeClassifier
from ofsted_themes.predictions import Classification, ThemeScore, classify, classify_many, classify_report
from ofsted_themes.reports import Record, Report, ReportError, read_report
from ofsted_themes.taxonomy import TAXONOMY_VERSION, THEME_IDS, THEMES, Theme

__all__ = ["classify", "classify_many", "classify_report", "Classification", "ThemeScore", "ThemeClassifier",
           "BundleError", "build_dataset", "read_labels", "Record", "Report", "ReportError", "read_report",
           "TAXONOMY_VERSION", "THEME_IDS", "THEMES", "Theme"]
