"""Text cleaning and folding helpers shared by every indicator kind.

``_clean`` maps look-alike digits/spaces/dashes to ASCII and drops invisible characters;
``_fold`` lowercases and strips Vietnamese diacritics without changing offsets.
"""

from __future__ import annotations

import unicodedata
from typing import Final

# ---------------------------------------------------------------------------------------------
# Text cleaning
# ---------------------------------------------------------------------------------------------

# Invisible characters scammers (and copy-paste from apps) sprinkle into numbers and links to
# dodge filters.  Besides the zero-width set we drop the soft hyphen and bidi controls: none of
# them carry meaning in a phone number or a domain.
_INVISIBLE: Final = frozenset(
    [
        *(0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)
# Typographic dashes people (and autocorrect) put between digit groups.
_DASHES: Final = frozenset([*range(0x2010, 0x2016), 0x2212, 0xFE63])
# The translation caches are bounded so adversarial input using every code point can't grow
# them without limit; past the limit characters are still mapped, just not memoised.
_TABLE_CACHE_LIMIT: Final = 20_000


def _clean_char(cp: int) -> str | None:
    if cp < 0x80:
        if (cp < 0x20 and cp not in (0x09, 0x0A, 0x0D)) or cp == 0x7F:
            return " "
        return chr(cp)
    if cp in _INVISIBLE or 0xD800 <= cp <= 0xDFFF:  # lone surrogates can't be encoded later
        return None
    if 0xFF01 <= cp <= 0xFF5E:  # full-width ASCII (IME input): "０９１２" -> "0912"
        return chr(cp - 0xFEE0)
    if cp in _DASHES:
        return "-"
    ch = chr(cp)
    category = unicodedata.category(ch)
    if category == "Nd":  # any script's decimal digit counts as that digit
        return str(unicodedata.decimal(ch))
    if category == "Zs":  # NBSP, thin space, ideographic space...
        return " "
    if category in ("Zl", "Zp"):
        return "\n"
    if category == "Cc":
        return " "
    return ch


class _CleanTable(dict[int, str | None]):
    def __missing__(self, cp: int) -> str | None:
        mapped = _clean_char(cp)
        if len(self) < _TABLE_CACHE_LIMIT:
            self[cp] = mapped
        return mapped


_CLEAN_TABLE: Final = _CleanTable()


def _clean(text: str) -> str:
    """Map digits/spaces/dashes to ASCII, drop invisibles, then NFC.

    NFC comes last because dropping a zero-width char between a letter and a combining mark
    creates a new composition opportunity.
    """
    return unicodedata.normalize("NFC", text.translate(_CLEAN_TABLE))


def _fold_char(cp: int) -> str:
    # Accent/case folding that keeps exactly one output char per input char, so offsets in the
    # folded text are offsets in the original text.
    ch = chr(cp)
    if ch in "đĐ":
        return "d"
    base = "".join(
        c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)
    ).lower()
    if len(base) == 1:
        return base
    lowered = ch.lower()
    return lowered if len(lowered) == 1 else ch


class _FoldTable(dict[int, str]):
    def __missing__(self, cp: int) -> str:
        mapped = _fold_char(cp)
        if len(self) < _TABLE_CACHE_LIMIT:
            self[cp] = mapped
        return mapped


_FOLD_TABLE: Final = _FoldTable()


def _fold(text: str) -> str:
    """Lowercase and strip Vietnamese diacritics ("Ngân hàng" -> "ngan hang"), same length."""
    return text.translate(_FOLD_TABLE)


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())
