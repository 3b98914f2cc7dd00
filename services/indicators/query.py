"""``normalize_any``: guess which kind of indicator a single typed value (/kiemtra) is."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from storage.models.indicators import Indicator

from .banks import _bank_indicator, normalize_bank, normalize_bank_account
from .phones import _phone_indicator, normalize_phone
from .social import _social_indicator, normalize_social
from .text import _clean, _fold
from .urls import _MAX_URL_LEN, _url_indicator, normalize_url

# ---------------------------------------------------------------------------------------------
# normalize_any
# ---------------------------------------------------------------------------------------------

_QUERY_CUE_RE: Final = re.compile(
    r"^[\s:;,.\-()]*(?:so\s?tai\s?khoan|tai\s?khoan|so\s?tk|stk|tk|account|acct|acc|a/c)?"
    r"[\s:;,.\-()]*"
)


def _bank_name_part(text: str) -> str:
    folded = _fold(text)
    folded = _QUERY_CUE_RE.sub("", folded, count=1)
    return folded.strip(" \t\n:;,.-()")


def _bank_account_from_query(text: str) -> str | None:
    direct = normalize_bank_account(text)
    if direct is not None:
        return direct
    digit_positions = [i for i, c in enumerate(text) if c.isdigit()]
    if not digit_positions:
        return None
    first, last = digit_positions[0], digit_positions[-1]
    number = text[first : last + 1]
    names = [
        part for part in (_bank_name_part(text[:first]), _bank_name_part(text[last + 1 :])) if part
    ]
    if len(names) > 1:
        return None
    bank = names[0] if names else None
    if bank is not None and normalize_bank(bank) is None:
        return None  # "0123456789 something-unknown" is not confidently an account
    return normalize_bank_account(number, bank)


_GUESSES: Final[tuple[tuple[Callable[[str], str | None], Callable[[str], Indicator]], ...]] = (
    (normalize_phone, _phone_indicator),
    (normalize_social, _social_indicator),
    (normalize_url, _url_indicator),
    (_bank_account_from_query, _bank_indicator),
)
"""What a typed value is tried as, in this order (the first that reads it wins)."""


def normalize_any(raw: str) -> Indicator | None:
    """Guess what a user typed into /kiemtra: phone, social link, URL, then bank account."""
    if not isinstance(raw, str):
        return None
    text = _clean(raw).strip()
    if not text or len(text) > _MAX_URL_LEN:
        return None
    for normalize, indicator in _GUESSES:
        value = normalize(text)
        if value is not None:
            return indicator(value)
    return None
