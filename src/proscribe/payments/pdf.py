"""A minimal PDF writer (text pages in Helvetica): enough for the OFAC reports, no dependency.

Text is Latin-1 (other characters become ``?``), wrapped at the page width, paginated; the
file is PDF 1.4 with a correct cross-reference table, readable by any viewer.
"""

from __future__ import annotations

import textwrap

PAGE_W, PAGE_H = 612, 792  # US Letter, points
MARGIN = 54
LEADING = 13
FONT_SIZE = 9.5
WRAP = 108


def _escape(text: str) -> str:
    text = text.encode("latin-1", errors="replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def render(title: str, lines: list[str]) -> bytes:
    """A PDF of ``title`` (bold, first page) and ``lines`` (wrapped; '' is a blank line,
    a line starting with '# ' a bold heading)."""
    wrapped: list[tuple[bool, str]] = [(True, title), (False, "")]
    for line in lines:
        if line.startswith("# "):
            wrapped.append((True, line[2:]))
            continue
        indent = len(line) - len(line.lstrip(" "))
        for part in textwrap.wrap(line, WRAP, subsequent_indent=" " * (indent + 2)) or [""]:
            wrapped.append((False, part))
    per_page = int((PAGE_H - 2 * MARGIN) / LEADING)
    pages = [wrapped[i : i + per_page] for i in range(0, len(wrapped), per_page)] or [[]]
    objects: list[bytes] = []
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{5 + 2 * n} 0 R" for n in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for number, page in enumerate(pages, start=1):
        ops = [f"BT /F1 {FONT_SIZE} Tf {LEADING} TL {MARGIN} {PAGE_H - MARGIN} Td"]
        for bold, text in page:
            font = "/F2" if bold else "/F1"
            ops.append(f"{font} {FONT_SIZE} Tf ({_escape(text)}) Tj T*")
        ops.append(f"/F1 8 Tf 0 -{LEADING} Td (Page {number} of {len(pages)}) Tj ET")
        stream = "\n".join(ops).encode("latin-1")
        content_id = 6 + 2 * (number - 1)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {content_id} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
