"""Tag the paragraphs and recommendations of Ofsted children's services inspection reports with themes."""

from ofsted_themes.reports import Record, Report, ReportError, read_report
from ofsted_themes.taxonomy import TAXONOMY_VERSION, THEME_IDS, THEMES, Theme

__all__ = ["Record", "Report", "ReportError", "read_report", "TAXONOMY_VERSION", "THEME_IDS", "THEMES", "Theme"]
