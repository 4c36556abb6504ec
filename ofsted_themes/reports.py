"""Read an Ofsted children's services inspection report (PDF or plain text) into records.

A :class:`Report` carries the metadata of the front page, the recommendations
("What needs to improve?"), the unnumbered summary paragraphs and every numbered
paragraph with the judgement section it sits in. Each :class:`Record` has a stable
id and a short hash of its text, so that labels can point at it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

FRAMEWORKS = ("sif", "ilacs", "ilacs_2026")
"""Single inspection framework (to 2018), ILACS (2018 to March 2026), reformed ILACS (2026)."""

JUDGEMENTS = ("overall", "leaders", "help_and_protection", "children_in_care", "care_leavers")
GRADES = ("outstanding", "good", "requires improvement", "inadequate")


class ReportError(ValueError):
    """A file that cannot be read as an inspection report; the message names the file."""


@dataclass(frozen=True)
class Record:
    """One labellable text of a report: a recommendation, a summary or a numbered paragraph."""

    report_id: str
    kind: str  # "recommendation", "summary" or "paragraph"
    number: int
    section: str
    text: str
    page: int

    @property
    def record_id(self) -> str:
        """Stable id within the report: ``r3`` (recommendation), ``s2`` (summary), ``p14`` (paragraph)."""
        return f"{self.kind[0]}{self.number}"

    @property
    def uid(self) -> str:
        """Id unique across the corpus: ``<report id>/<record id>``."""
        return f"{self.report_id}/{self.record_id}"

    @property
    def text_hash(self) -> str:
        """First 10 hex digits of the SHA-1 of the text: detects a text that changed under a label."""
        return text_hash(self.text)


@dataclass
class Report:
    """A parsed inspection report."""

    report_id: str
    path: Path
    local_authority: str
    framework: str
    inspection_start: date | None
    inspection_end: date | None
    lead_inspector: str
    judgements: dict[str, str]
    records: list[Record]
    problems: list[str] = field(default_factory=list)

    @property
    def recommendations(self) -> list[Record]:
        return [r for r in self.records if r.kind == "recommendation"]

    @property
    def paragraphs(self) -> list[Record]:
        return [r for r in self.records if r.kind == "paragraph"]

    @property
    def summaries(self) -> list[Record]:
        return [r for r in self.records if r.kind == "summary"]

    @property
    def era(self) -> str:
        """``pre-2018`` for the single inspection framework, else ``ILACS`` or ``ILACS 2026``."""
        return {"sif": "pre-2018", "ilacs": "ILACS", "ilacs_2026": "ILACS 2026"}[self.framework]

    def numbering_gaps(self) -> list[str]:
        """Gaps or repeats in the paragraph numbering, as readable strings (empty when complete)."""
        numbers = [r.number for r in self.records if r.kind == "paragraph"]
        # SIF reports number recommendations and paragraphs in one sequence
        filled = {r.number for r in self.recommendations} if self.framework == "sif" else set()
        faults = []
        seen: set[int] = set()
        for previous, number in zip([0] + numbers, numbers):
            if number in seen:
                faults.append(f"paragraph {number} repeated")
            elif number != previous + 1 and not set(range(previous + 1, number)) <= filled:
                faults.append(f"paragraphs {previous + 1}-{number - 1} missing" if number > previous + 1
                              else f"paragraph {number} out of order after {previous}")
            seen.add(number)
        return faults

    def record(self, record_id: str) -> Record:
        """The record with this id (``p12``, ``r3``, ``s1``); ``KeyError`` names the report."""
        for r in self.records:
            if r.record_id == record_id:
                return r
        raise KeyError(f"{self.report_id}: no record {record_id!r}")


def text_hash(text: str) -> str:
    """Short, stable hash of a record's text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


# --- text clean-up -----------------------------------------------------------------

_CHAR_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\ufeff": "",
    "\u00ad": "", "\ufffe": "-", "\u2010": "-", "\u2011": "-",
    "\r": "",
}
_TRANSLATE = str.maketrans(_CHAR_MAP)
BULLET_CHARS = "\u2022\u25aa\u25cf\u25fc\u25a0\u25e6\uf0b7\uf0a7\uf0d8\uf06e\uf02d\uf0fc\uf076\uf0a8-*\u2013\u2212"


def normalise(text: str) -> str:
    """Unify quotes, dashes, spaces and ligatures."""
    return unicodedata.normalize("NFKC", text.translate(_TRANSLATE))


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines, keeping compound-word hyphens at line ends without a space."""
    out = ""
    for line in (normalise(x).strip() for x in lines):
        if not line:
            continue
        if out.endswith("-") and line[:1].isalnum() and len(out) > 1 and out[-2].isalpha():
            out += line
        else:
            out = f"{out} {line}" if out else line
    return re.sub(r"\s+", " ", out).strip()


# --- blocks: paragraph-level chunks from either source --------------------------------


@dataclass
class Block:
    """A visual paragraph: its text and the page it starts on."""

    text: str
    page: int


_NUMBERED = re.compile(r"^(\d{1,3})\.(?:\s+|(?=[A-Z'\"(]))(?=\S)")
_BULLET = re.compile(rf"^[{re.escape(BULLET_CHARS)}]\s*")
# a sentence's end, or the reference that closes a finding: "... (page 25, paragraph 85)",
# "... (paragraphs 64 and 99)", "... (Recommendation)"
_ENDS_SENTENCE = re.compile(
    r"(?:[.!?:;]['\")]?|\((?:pages? [\d\s,–-]+(?:and \d+)?,? )?paragraphs? [^()]*\)|\(recommendations?\))$", re.I)


def _continues(previous: str, following: str) -> bool:
    """Does ``following`` continue ``previous`` across a page or column break?"""
    if re.fullmatch(r"\(recommendations?\)", following, re.I):
        return True  # the marker that closes a finding, alone on its line
    if _NUMBERED.match(following) or _BULLET.match(following):
        return False
    if not _ENDS_SENTENCE.search(previous):
        return len(previous) > 150 or bool(following[:1].islower() or following[:1].isdigit() or previous.endswith((",", "-", "and", "or", "the")))
    return following[:1].islower()


def _merge_breaks(blocks: list[Block]) -> list[Block]:
    merged: list[Block] = []
    for block in blocks:
        if merged and _continues(merged[-1].text, block.text):
            merged[-1].text = join_lines([merged[-1].text, block.text])
        else:
            merged.append(block)
    return merged


def _text_blocks(text: str) -> list[Block]:
    """Blocks of a plain-text copy: blank lines separate blocks; one-line paragraphs and bullets split too."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", normalise(text)):
        for line in chunk.split("\n"):
            line = line.strip()
            if not line:
                continue
            starts_new = (_NUMBERED.match(line) or _BULLET.match(line) or "\t" in line
                          or not blocks or blocks[-1].page == -1)
            if blocks and not starts_new and not _ENDS_SENTENCE.search(blocks[-1].text) \
                    and line[:1].islower():
                blocks[-1].text = join_lines([blocks[-1].text, line])
            else:
                blocks.append(Block(line, 1))
        blocks.append(Block("", -1))  # chunk boundary marker
    cleaned: list[Block] = []
    for block in blocks:
        if block.page == -1:
            continue
        cleaned.append(block)
    return _merge_breaks(cleaned)


@dataclass
class _Line:
    text: str
    baseline: float
    size: float


_SUPERSCRIPT = re.compile(r"(?<=[^\s\d])\d{1,2}(?=[\s,.;:)]|$)")


def _page_lines(page) -> list[_Line]:
    """Lines of a PDF page in pdfium's reading order, with baseline, type size and no footnote markers."""
    import pypdfium2.raw as pdfium_raw

    textpage = page.get_textpage()
    text = textpage.get_text_range()
    lines = []
    offset = 0
    for raw_line in re.split(r"(\r\n|\n)", text):
        if raw_line in ("\r\n", "\n"):
            offset += len(raw_line)
            continue
        start = offset
        offset += len(raw_line)
        first = next((i for i, ch in enumerate(raw_line) if ch.isalnum()), None)
        if first is None:
            if raw_line.strip():
                lines.append(_Line(raw_line, lines[-1].baseline if lines else 0.0, lines[-1].size if lines else 0.0))
            continue
        size = pdfium_raw.FPDFText_GetFontSize(textpage, start + first)
        x, y = ctypes_origin(pdfium_raw, textpage, start + first)
        if raw_line[first].isdigit() and len(raw_line) > first + 3:
            probe = next((i for i in range(first + 1, len(raw_line)) if raw_line[i].isalpha()), first)
            size = max(size, pdfium_raw.FPDFText_GetFontSize(textpage, start + probe))
        kept = raw_line
        for match in reversed(list(_SUPERSCRIPT.finditer(raw_line))):
            if pdfium_raw.FPDFText_GetFontSize(textpage, start + match.start()) < 0.85 * size:
                kept = kept[:match.start()] + kept[match.end():]
        lines.append(_Line(kept, y, size))
    return lines


def ctypes_origin(pdfium_raw, textpage, index: int) -> tuple[float, float]:
    """Baseline origin of one character."""
    import ctypes

    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_raw.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y))
    return x.value, y.value


def _page_key(text: str) -> str:
    return re.sub(r"\d+", "#", normalise(text)).strip().lower()


def _pdf_blocks(pages_lines: list[list[_Line]], page_height: float) -> list[Block]:
    """Turn positioned lines into blocks: drop running headers, page numbers and footnotes."""
    sizes: dict[float, int] = {}
    repeated: dict[str, int] = {}
    for lines in pages_lines:
        for line in lines:
            sizes[round(line.size)] = sizes.get(round(line.size), 0) + len(line.text)
        for key in {_page_key(line.text) for line in lines}:
            repeated[key] = repeated.get(key, 0) + 1
    body_size = max(sizes, key=sizes.get) if sizes else 12.0
    blocks: list[Block] = []
    for page_number, lines in enumerate(pages_lines, start=1):
        body = []
        for line in lines:
            key = _page_key(line.text)
            margin = line.baseline < 75 or line.baseline > page_height - 60
            if margin and (repeated.get(key, 0) >= 2 or re.fullmatch(r"[#\s]*", key) or line.size < body_size - 1):
                continue
            body.append(line)
        body = _drop_footnotes(body, body_size)
        current: list[_Line] = []
        for line in body:
            text = normalise(line.text).strip()
            if not text:
                continue
            if current:
                gap = current[-1].baseline - line.baseline
                size = max(line.size, current[-1].size)
                broken_range = current[-1].text.rstrip().endswith(("–", "-"))  # "in 2014–" / "15. It has"
                new = (gap > 1.45 * size or gap < -size or (_NUMBERED.match(text) and not broken_range)
                       or _BULLET.match(text) or abs(line.size - current[-1].size) > 1)
                if new:
                    blocks.append(Block(join_lines([x.text for x in current]), page_number))
                    current = []
            current.append(line)
        if current:
            blocks.append(Block(join_lines([x.text for x in current]), page_number))
    return _merge_breaks([b for b in blocks if b.text])


def _drop_footnotes(lines: list[_Line], body_size: float) -> list[_Line]:
    """Remove the footnote block at the foot of a page: smaller type starting with its number."""
    for i in range(len(lines) - 1, 0, -1):
        if lines[i].size >= body_size - 1 and lines[i].text.strip():
            break
        if re.match(r"^\s*\d{1,2}(\s|$)", lines[i].text) and \
                all(x.size < body_size - 1 or not x.text.strip() for x in lines[i:]):
            return lines[:i]
    return lines


def _read_pdf(path: Path) -> list[Block]:
    import pypdfium2 as pdfium  # imported here: plain-text input needs no PDF library

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            raise ReportError(f"{path}: the PDF is encrypted (password required)") from None
        raise ReportError(f"{path}: not a readable PDF ({message})") from None
    try:
        if len(pdf) == 0:
            raise ReportError(f"{path}: the PDF has no pages")
        pages_lines = [_page_lines(page) for page in pdf]
        page_height = pdf[0].get_size()[1]
    finally:
        pdf.close()
    if sum(len(lines) for lines in pages_lines) == 0:
        raise ReportError(f"{path}: the PDF has no text layer (a scanned or empty document); "
                          "run OCR on it first")
    return _pdf_blocks(pages_lines, page_height)


# --- structure ------------------------------------------------------------------------

SECTIONS = ("summary", "recommendations", "help_and_protection", "children_in_care", "care_leavers", "leaders",
            "adoption", "lscb")
"""The names a record's ``section`` takes: where in the report the text sits."""

_SECTION_PATTERNS = [
    ("help_and_protection", r"^the experiences and progress of children who need help and protection"),
    ("children_in_care", r"^the experiences and progress of children (in care|looked after)"),
    ("care_leavers", r"^the experiences and progress of care leavers"),
    ("leaders", r"^the impact of leaders on social work practice"),
    ("adoption", r"^adoption performance"),
    ("care_leavers", r"^the (graded judgement|experiences and progress) .*care leavers"),
    ("leaders", r"^leadership,? management and governance"),
    ("lscb", r"^(the )?local safeguarding children board \(lscb\)$|^inspection findings . the local safeguarding"),
    ("lscb", r"^the local safeguarding children board(\s*\(lscb\))?$"),
]
_SUMMARY_HEADINGS = re.compile(r"^(executive summary|summary|summary of findings)$", re.I)
_RECOMMENDATION_HEADINGS = re.compile(
    r"^(what needs to improve\??|recommendations|what does the (local authority|lscb) need to improve\??)$", re.I)
_SKIPPED_HEADINGS = re.compile(
    r"^(contents|the local authority|information about this local authority area|"
    r"summary for children and young people|information about this inspection|the inspection team|"
    r"ofsted produces this report|review of the effectiveness of the local safeguarding children board|"
    r"the office for standards in education|if you would like a copy of this document|you may reuse this information|"
    r"this report is available at|interested in our work|what the inspection judgements mean)",
    re.I)
_GRADE = re.compile(r"(outstanding|good|requires improvement(?: to be good)?|inadequate)\s*$", re.I)
_EARLIER_GRADE = re.compile(r":\s*(outstanding|good|requires improvement|inadequate)\.$", re.I)
"""A line such as "Leadership, management and governance: Inadequate." lists an earlier grade; no heading."""
_DATE = re.compile(r"(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})")
_INSPECTION_DATES = re.compile(r"inspection dates?:\s*(.+?)(?:report published|lead inspector|$)", re.I)


def _section_of(text: str) -> str | None:
    heading = re.sub(r"\s*[:\u2013-]?\s*(outstanding|good|requires improvement( to be good)?|inadequate)\s*$",
                     "", text.strip(), flags=re.I).strip().lower()
    if len(heading) > 140:
        return None
    for key, pattern in _SECTION_PATTERNS:
        if re.search(pattern, heading):
            return key
    return None


def _grade(text: str) -> str | None:
    match = _GRADE.search(text.strip())
    if not match:
        return None
    grade = match.group(1).lower()
    return "requires improvement" if grade.startswith("requires") else grade


def _parse_dates(text: str) -> tuple[date | None, date | None]:
    """'22 January to 2 February 2024' or '6 July 2015 - 30 July 2015' -> (start, end)."""
    text = text.replace("\u2013", "-")
    parts = re.split(r"\s+(?:to|-)\s+", text.strip(), maxsplit=1)
    if len(parts) != 2:
        return None, None
    end_match = _DATE.search(parts[1])
    if not end_match:
        return None, None
    end = _to_date(*end_match.groups())
    start_match = re.match(r"(\d{1,2})\s*([A-Z][a-z]+)?\s*(\d{4})?", parts[0].strip())
    if not start_match or end is None:
        return None, end
    day, month, year = start_match.groups()
    start = _to_date(day, month or end_match.group(2), year or end_match.group(3))
    if start and start > end:  # '28 November to 9 December 2022' style dates across a year end
        start = start.replace(year=start.year - 1)
    return start, end


def _to_date(day: str, month: str, year: str) -> date | None:
    try:
        return datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
    except ValueError:
        return None


def _front_matter(blocks: list[Block], path: Path) -> tuple[str, str, tuple, str, dict[str, str]]:
    """Local authority, framework, inspection dates, lead inspector and judgements from the first pages."""
    front = " \n".join(b.text for b in blocks if b.page <= 2)
    head = " ".join(b.text for b in blocks[:8])
    la_match = (re.search(r"Inspection of (.+?) local authority children'?s services", head, re.I)
                or re.search(r"^(.+?)\s+(?:Re-)?inspection of (?:services for children|children'?s social care|"
                             r"local authority children'?s social care services)", head, re.I)
                or re.search(r"Inspection of (.+? (?:Children and Families|Children's|Childrens) (?:Trust|Services))",
                             head, re.I))
    if la_match is None:
        raise ReportError(f"{path}: not an Ofsted children's services inspection report "
                          "(no 'Inspection of ... local authority children's services' title)")
    local_authority = re.sub(r"^(Inspection of\s+)", "", la_match.group(1)).strip()
    is_sif = bool(re.search(r"inspection of services for children in need of help and protection", head, re.I))
    dates_match = _INSPECTION_DATES.search(front.replace("\n", " "))
    start, end = _parse_dates(dates_match.group(1)) if dates_match else (None, None)
    lead = re.search(r"Lead inspector:\s*([^,\n]+?)(?:,|\s+HMI\b|\s+Her|\s+His|\n|$)", front + "\n" +
                     "\n".join(b.text for b in blocks[-60:]))
    judgements = _judgements(blocks, is_sif)
    if is_sif:
        framework = "sif"
    elif "overall" not in judgements and end and end >= date(2025, 11, 1):
        framework = "ilacs_2026"
    else:
        framework = "ilacs"
    return local_authority, framework, (start, end), (lead.group(1).strip() if lead else ""), judgements


def _judgements(blocks: list[Block], is_sif: bool) -> dict[str, str]:
    labels = {
        "overall": r"overall effectiveness",
        "leaders": r"the impact of leaders on (?:social work )?practice with children and families"
                   if not is_sif else r"leadership,? management and governance",
        "help_and_protection": r"(the experiences and progress of )?children who need help and protection",
        "children_in_care": r"the experiences and progress of children in care(?: and care leavers)?"
                            if not is_sif else r"children looked after and achieving permanence",
        "care_leavers": r"the experiences and progress of (?:children )?care leavers"
                        if not is_sif else r"experiences and progress of care leavers",
    }
    front = re.sub(r"\s+", " ", " ".join(b.text for b in blocks if b.page <= 2 and len(b.text) < 400))
    table = front
    if not is_sif:
        start = front.lower().find("judgement grade")
        table = front[start:] if start >= 0 else ""
    grade_words = r"(outstanding|good|requires improvement(?: to be good)?|inadequate)"
    found: dict[str, str] = {}
    for key, label in labels.items():
        match = re.search(rf"{label}\s*[:\-]?\s*{grade_words}", table, re.I)
        if match:
            found[key] = _grade(match.group(match.lastindex))
    if is_sif:
        overall = re.search(rf"children'?s services in .+? (?:are|is) {grade_words}", front, re.I)
        if overall:
            found["overall"] = _grade(overall.group(1))
    return found


def report_files(folder: str | Path) -> list[Path]:
    """Report PDFs and text copies in a folder and its subfolders, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder")
    files = sorted([*folder.rglob("*.pdf"), *folder.rglob("*.txt")], key=lambda p: p.name)
    if not files:
        raise FileNotFoundError(f"{folder}: no report PDFs or text copies in this folder")
    return files


def read_report(path: str | Path) -> Report:
    """Read an inspection report (``.pdf`` or a ``.txt`` copy) into a :class:`Report`.

    Raises :class:`ReportError`, naming the file, for a file that is missing, not a PDF,
    encrypted, without a text layer, or not a children's services inspection report.
    """
    path = Path(path)
    if not path.is_file():
        raise ReportError(f"{path}: no such file")
    head = path.read_bytes()[:5]
    if head.startswith(b"%PDF"):
        blocks = _read_pdf(path)
    elif head.lstrip().lower().startswith((b"<!doc", b"<html")):
        title = re.search(rb"<title>(.*?)</title>", path.read_bytes()[:4000], re.I | re.S)
        raise ReportError(f"{path}: an HTML page, not a report"
                          + (f" (its title: {title.group(1).decode('utf-8', 'replace').strip()!r})" if title else ""))
    elif path.suffix.lower() == ".pdf":
        raise ReportError(f"{path}: not a PDF (the file does not start with %PDF)")
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ReportError(f"{path}: neither a PDF nor UTF-8 text") from None
        if not text.strip():
            raise ReportError(f"{path}: the file is empty")
        blocks = _text_blocks(text)
    if not blocks:
        raise ReportError(f"{path}: no text found")
    return _structure(path, blocks)


def _structure(path: Path, blocks: list[Block]) -> Report:
    report_id = path.stem
    local_authority, framework, (start, end), lead, judgements = _front_matter(blocks, path)
    records: list[Record] = []
    problems: list[str] = []
    mode = "front"  # front, summary, recommendations, sections, skip
    section = "summary"
    last_number = 0
    recommendation_number = 0
    summary_number = 0
    judgement_seen = False
    heading_since_record = False  # text after a heading never continues the record before it
    current_recommendation: list[Block] = []

    def flush_recommendation() -> None:
        nonlocal recommendation_number
        if current_recommendation:
            text = join_lines([_strip_marker(b.text) for b in current_recommendation])
            printed = _NUMBERED.match(current_recommendation[0].text)
            number = int(printed.group(1)) if printed and framework == "sif" else recommendation_number + 1
            recommendation_number = number
            records.append(Record(report_id, "recommendation", number, "recommendations", text,
                                  current_recommendation[0].page))
            current_recommendation.clear()

    def add_paragraph(block: Block, number: int) -> None:
        nonlocal last_number, heading_since_record
        records.append(Record(report_id, "paragraph", number, section, _strip_marker(block.text), block.page))
        last_number, heading_since_record = number, False

    for index, block in enumerate(blocks):
        text = block.text.strip()
        if _BULLET.fullmatch(text):
            continue  # a bullet glyph with no text after it
        numbered = _NUMBERED.match(text)
        heading_section = _section_of(text) if not numbered and not _EARLIER_GRADE.search(text) else None
        lowered = text.lower().rstrip(" :")
        if mode == "front":
            if re.match(r"^judgement\s+grade", lowered) or _grade(text) or lowered.startswith("judgement"):
                judgement_seen = True
            if framework == "sif":
                if (lowered == "executive summary" or re.search(r"summary of (key )?findings$", lowered)) \
                        and not re.search(r"\d$", lowered):
                    mode = "summary"
                if not _RECOMMENDATION_HEADINGS.match(lowered):
                    continue
            if not judgement_seen:
                continue
            if _is_front_matter(text):
                continue
            mode = "summary"
        if _RECOMMENDATION_HEADINGS.match(lowered):
            flush_recommendation()
            if not (framework == "sif" and mode == "sections" and _findings_follow(blocks, index)):
                mode = "recommendations"  # not a stray heading among numbered findings
            continue
        unfinished = bool(current_recommendation) and not _ENDS_SENTENCE.search(current_recommendation[-1].text)
        if framework == "sif" and mode == "recommendations" and not numbered and not unfinished and \
                _grade(text) is None and (heading_section or _looks_like_heading(text)) and \
                not text.startswith("(") and _more_recommendations(blocks, index):
            flush_recommendation()  # a sub-heading ("Quality of practice") inside a pre-2018 list
            continue
        if heading_section:
            flush_recommendation()
            section = heading_section
            mode = "sections"
            heading_since_record = True
            continue
        if mode in ("sections", "skip") and _SUMMARY_HEADINGS.match(lowered):
            mode = "summary"  # the key findings that open each judgement section (pre-2018, early ILACS)
            continue
        if _SKIPPED_HEADINGS.match(lowered):
            flush_recommendation()
            mode = "skip"
            continue
        if mode == "skip":
            if numbered and framework == "sif" and int(numbered.group(1)) > last_number:
                mode = "sections"
            else:
                continue
        if mode == "summary":
            if numbered:
                mode = "sections"
            elif _looks_like_heading(text):
                continue
            else:
                summary_number += 1
                records.append(Record(report_id, "summary", summary_number, section, _strip_marker(text),
                                      block.page))
                heading_since_record = False
                continue
        if mode == "recommendations":
            if numbered and framework != "sif" and int(numbered.group(1)) == last_number + 1 and \
                    not current_recommendation:
                mode = "sections"
            elif current_recommendation and _is_sub_bullet(current_recommendation, text):
                current_recommendation.append(block)
                continue
            elif _BULLET.match(text) and (framework != "sif" or not current_recommendation):
                flush_recommendation()
                current_recommendation.append(block)
                continue
            elif numbered and framework == "sif":
                flush_recommendation()
                current_recommendation.append(block)
                continue
            elif current_recommendation and (
                    text[:1].islower() or _BULLET.match(text) or (framework == "sif" and unfinished)):
                current_recommendation.append(block)
                continue
            elif _looks_like_heading(text):
                if framework == "sif" and not current_recommendation and records[-1:] and \
                        records[-1].kind != "recommendation":
                    continue  # a sub-heading ("Areas for improvement") before the first recommendation
                flush_recommendation()
                mode = "sections" if framework == "sif" else mode
                continue
            else:
                flush_recommendation()
                mode = "sections"
        # mode == "sections"
        if numbered:
            number = int(numbered.group(1))
            if last_number < number <= last_number + 4 or (framework == "sif" and number > last_number):
                add_paragraph(block, number)
                continue
        unfinished = records and records[-1].kind == "paragraph" and not _ENDS_SENTENCE.search(records[-1].text)
        if _looks_like_heading(text) and not (unfinished and not heading_since_record):
            heading_since_record = True
            continue
        if framework == "sif" and section != "summary" and records and records[-1].kind != "paragraph":
            summary_number += 1
            records.append(Record(report_id, "summary", summary_number, section, text, block.page))
            continue
        if records and records[-1].kind == "paragraph" and not heading_since_record and (
                text[:1].islower() or _BULLET.match(text) or not _ENDS_SENTENCE.search(records[-1].text)):
            last = records.pop()
            records.append(Record(report_id, last.kind, last.number, last.section,
                                  join_lines([last.text, text]), last.page))
            continue
        if framework == "sif" and records and records[-1].kind == "summary":
            summary_number += 1
            records.append(Record(report_id, "summary", summary_number, section, text, block.page))
            continue
        problems.append(f"page {block.page}: text not placed in any record: {text[:80]!r}")
    flush_recommendation()
    if not any(r.kind == "paragraph" for r in records):
        raise ReportError(f"{path}: not an inspection report with numbered findings "
                          "(no numbered paragraphs found)")
    report = Report(report_id, path, local_authority, framework, start, end, lead, judgements, records, problems)
    problems.extend(f"numbering: {fault}" for fault in report.numbering_gaps())
    return report


_IMPERATIVE = re.compile(
    r"(ensure|improve|provide|strengthen|develop|increase|review|raise|consider|work|drive|implement|establish|"
    r"reduce|make|undertake|continue|monitor|embed|further|promote|take|publish|enhance|produce|secure|evaluate|"
    r"identify|build|agree|use|complete|extend|analyse|clarify|update|assess|prioritise|put|give|support|challenge|"
    r"seek|maintain|address|record|share|set|formalise|introduce|engage|urgently|revise|tackle|focus|target|better|"
    r"consolidate|accelerate|expand|coordinate|collate|deliver|maximise|tighten|place|track|refresh|fully|"
    r"systematically|carry|with)\b", re.I)
"""The verbs that open pre-2018 recommendations ("Ensure that ...", "Improve the ...")."""
_ASKS = re.compile(r"\b(should|must|needs? to|ensure)\b", re.I)


def _texts_after(blocks: list[Block], index: int, count: int) -> list[str]:
    """The next ``count`` texts after block ``index`` that are not headings."""
    following = (b.text.strip() for b in blocks[index + 1:])
    return [text for text in following if not _looks_like_heading(text)][:count]


def _more_recommendations(blocks: list[Block], index: int) -> bool:
    """After a heading in a pre-2018 list of recommendations: is the next text another one
    (numbered, opening with an imperative verb), so that the heading is only a sub-heading?"""
    return any(_NUMBERED.match(text) and _IMPERATIVE.match(_strip_marker(text))
               for text in _texts_after(blocks, index, 1))


def _findings_follow(blocks: list[Block], index: int) -> bool:
    """Are the next two texts numbered findings rather than recommendations (no imperative
    verb, no "should", "must" or "need to")? Then a "Recommendations" heading is a stray one."""
    following = _texts_after(blocks, index, 2)
    return len(following) == 2 and all(
        _NUMBERED.match(text) and not _IMPERATIVE.match(_strip_marker(text)) and not _ASKS.search(text)
        for text in following)


def _is_sub_bullet(recommendation: list[Block], text: str) -> bool:
    """A bullet that belongs to the recommendation before it: after a colon, or with another marker."""
    if not _BULLET.match(text):
        return False
    return recommendation[-1].text.rstrip().endswith(":") or text[:1] != recommendation[0].text.strip()[:1]


def _strip_marker(text: str) -> str:
    return _BULLET.sub("", _NUMBERED.sub("", text.strip(), count=1), count=1).strip()


def _looks_like_heading(text: str) -> bool:
    """A short line with no closing full stop: a heading, not a finding."""
    return len(text) < 120 and not _ENDS_SENTENCE.search(text) and not text[:1].islower() and not _BULLET.match(text)


def _is_front_matter(text: str) -> bool:
    lowered = text.lower()
    return (lowered.startswith(("judgement", "the impact of leaders", "the experiences and progress",
                                "overall effectiveness", "inspection of", "inspection dates", "lead inspector"))
            or bool(_GRADE.fullmatch(text.strip())) or len(text) < 60 and _grade(text) is not None)
