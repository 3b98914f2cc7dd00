"""Cells for files that people open in a spreadsheet (the statistics export, the audit log).

Text starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) is
run as a formula by Excel and LibreOffice: a resident's or an officer's chosen name like
``=HYPERLINK(...)`` would become a live link or worse (OWASP "CSV injection"). Such text is
kept as text by a leading apostrophe, which spreadsheets hide.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value to write in a cell: formula-like text neutralised, anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV, every cell through :func:`safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def xlsx_bytes(rows: Iterable[Sequence[object]], sheet: str) -> bytes:
    """Rows as a one-sheet workbook (the first row bold, frozen), every cell through
    :func:`safe_cell`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet[:31]
    for row in rows:
        page.append([safe_cell(v) for v in row])
    for cell in page[1]:
        cell.font = Font(bold=True)
    page.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
