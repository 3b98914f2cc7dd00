"""Cleaning what people type before it is stored: NFC, no invisible or control characters,
bounded length. Shared by every free-text step of the tip journey."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Invisible characters that carry no meaning in a tip but hide words from search and filters.
# U+200D (zero-width joiner) is kept: emoji sequences (👨‍👩‍👧) need it.
_DROP = frozenset(
    [
        *(0x00AD, 0x180E, 0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF, 0xFFFE, 0xFFFF),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)


_REMOVED = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # controls (Unicode category Cc) but \t \n \r
    + "".join(re.escape(chr(cp)) for cp in sorted(_DROP))
    + "\ud800-\udfff"  # lone surrogates cannot be stored as UTF-8
    + "]"
)
_LINE_BREAKS = re.compile("[\u2028\u2029]")  # categories Zl and Zp
_WHOLE_NUMBER = re.compile("-?[0-9]{1,18}")


def clean(text: str) -> str:
    """NFC, invisible/control characters removed (PostgreSQL refuses NUL in text), CR made a
    space, Unicode line/paragraph separators made newlines, ends trimmed.  Regular
    expressions, not a per-character loop: every message of a tip passes through here."""
    kept = _LINE_BREAKS.sub("\n", _REMOVED.sub("", text).replace("\r", " "))
    return unicodedata.normalize("NFC", kept).strip()


def whole_number(text: str, *, signed: bool = False) -> int | None:
    """The number ``text`` spells in ASCII digits (what our buttons carry and what people
    type for a day or an advisory number), else None.  ``str.isdigit`` is not the test: it
    accepts "¹" and "²", which ``int`` refuses, so a forged button crashed its handler."""
    if _WHOLE_NUMBER.fullmatch(text) is None or (text.startswith("-") and not signed):
        return None
    return int(text)


def has_visible(text: str) -> bool:
    """True when something a person can read remains (not only spaces or marks)."""
    return any(
        not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Mn", "Me", "Cc")
        for ch in text
    )


@dataclass(frozen=True, slots=True)
class Clipped:
    text: str
    truncated: bool
    original_length: int


def clip(text: str, limit: int) -> Clipped:
    """Clean, then cut to ``limit`` characters (never in the middle of a letter with its
    accent: the cut is made after NFC, and trailing combining marks are dropped)."""
    cleaned = clean(text)
    if len(cleaned) <= limit:
        return Clipped(cleaned, False, len(cleaned))
    cut = cleaned[:limit]
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return Clipped(unicodedata.normalize("NFC", cut).rstrip(), True, len(cleaned))
