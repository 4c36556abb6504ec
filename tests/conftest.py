"""Shared test inputs: a small report written for the tests, PDF builders, corpus paths."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seeds" / "000_4486cda7fa7204d7.txt"

needs_corpus = pytest.mark.skipif(not (CORPUS / "manifest.csv").exists(),
                                  reason=f"the report corpus is not at {CORPUS}")
needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"the Plymouth seed text is not at {SEED}")

# A report in the layout of an ILACS report, written for the tests (not Ofsted's text).
SMALL_REPORT = """\
Inspection of Testshire County Council local authority children's services

Inspection dates: 3 to 14 March 2025

Lead inspector: Alex Example, His Majesty's Inspector

Judgement\tGrade
The impact of leaders on social work practice with children and families\tGood
The experiences and progress of children who need help and protection\tRequires improvement to be good
The experiences and progress of children in care\tGood
The experiences and progress of care leavers\tOutstanding
Overall effectiveness\tGood

Children in Testshire receive good help. Leaders know their services well and have invested in the workforce.

What needs to improve?

- The response to allegations against adults who work with children.
- The timeliness of health assessments for children in care.

The experiences and progress of children who need help and protection: requires improvement to be good

1. The designated officer manages allegations against professionals carefully, but records of the advice given are too brief.
2. Strategy meetings are held promptly when children are at risk of significant harm, and police and health partners attend and contribute.
3. Young carers are identified early by schools, and the young carers service assesses their needs and offers respite and

support that they value.

The experiences and progress of children in care: good

4. Children in care live in stable homes close to their families, and their foster carers are well supported.
5. Health assessments for children in care are often late, so some children wait too long for help with their emotional health.

The experiences and progress of care leavers: outstanding

6. Personal advisers know care leavers well and help them to find suitable accommodation and to stay in education or work.

The impact of leaders on social work practice with children and families: good

7. Senior leaders and elected members have a clear plan for improvement, and audits give them an accurate picture of practice.
"""


@pytest.fixture
def small_report(tmp_path: Path) -> Path:
    path = tmp_path / "900001_testshire_2025-04-01.txt"
    path.write_text(SMALL_REPORT, encoding="utf-8")
    return path


def pdf_bytes(pages: list[str | None]) -> bytes:
    """A minimal PDF: each page shows its lines in Helvetica 11 pt, or an image when None."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
               "/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"]
    kids = []
    for page in pages:
        if page is None:
            content = "q 400 0 0 600 100 100 cm /Im1 Do Q"
        else:
            lines = [line.replace("(", r"\(").replace(")", r"\)") for line in page.split("\n")]
            content = "BT /F1 11 Tf 14 TL 60 780 Td " + " ".join(f"({line}) '" for line in lines) + " ET"
        objects.append(f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream")
        content_number = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_number} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
