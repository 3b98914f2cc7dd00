"""Phone numbers: ``normalize_phone`` (E.164), display formatting and the free-text VN shape."""

from __future__ import annotations

import re
from typing import Final

import phonenumbers

from storage.models.indicators import Indicator, IndicatorKind

from .text import _clean

# ---------------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------------

_PHONE_CHARS_RE: Final = re.compile(r"\+?[0-9\s.\-()/]{1,40}")
_MAX_PHONE_INPUT: Final = 64


def normalize_phone(raw: str) -> str | None:
    """Return the E.164 form of a phone number (region VN), or None if it isn't a valid one."""
    if not isinstance(raw, str):
        return None
    text = _clean(raw).strip()
    if len(text) > _MAX_PHONE_INPUT:
        return None
    if text[:4].lower() == "tel:":
        text = text[4:].strip()
    # Only number-ish characters: phonenumbers would happily parse vanity letters
    # ("1-800-FLOWERS") or pull a number out of a sentence, which is not what a key wants.
    if not text or not _PHONE_CHARS_RE.fullmatch(text):
        return None
    try:
        parsed = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """ "0912 345 678" for Vietnamese numbers (what residents dial), +CC otherwise."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    # Vietnamese readers expect the domestic "0912 345 678"; foreign numbers keep their +CC.
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 84
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)


def _phone_indicator(e164: str) -> Indicator:
    return Indicator(IndicatorKind.PHONE, e164, display_phone(e164))


def _vn_phone_shape(digits: str) -> bool:
    """Digit strings that look like a Vietnamese number in free text (no leading '+').

    Stricter than phonenumbers on purpose: in free text we only accept the shapes people
    actually write (10-digit mobiles, 11-digit 02x landlines, with 84/0084 in front), which keeps
    order numbers and amounts that happen to be "valid" somewhere out.
    """
    if digits.startswith("0084"):
        rest = digits[4:]
    elif digits.startswith("84"):
        rest = digits[2:]
    elif digits.startswith("0") and not digits.startswith("00"):
        rest = digits[1:]
    else:
        return False
    return (len(rest) == 9 and rest[0] in "35789") or (len(rest) == 10 and rest[0] == "2")
