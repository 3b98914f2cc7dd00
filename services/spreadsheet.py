"""Cells for files that people open in a spreadsheet (the statistics export, the audit log).

Text starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) is
run as a formula by Excel and LibreOffice: a resident's or an officer's chosen name like
``=HYPERLINK(...)`` would become a live link or worse (OWASP "CSV injection"). Such text is
kept as text by a leading apostrophe, which spreadsheets hide.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value to write in a cell: formula-like text neutralised, anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
