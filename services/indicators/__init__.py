"""Scam indicators: find them in free text and reduce them to one canonical key each.

Residents paste scam messages in every imaginable spelling ("0912.345.678", "+84 912 345 678",
"STK 0123 456 789 VCB", "https://WWW.Vietcombank-hotro.com/xac-nhan?id=1", "zalo.me/0987654321").
For the database one scammer's phone, bank account, link or social profile must be *one* row,
so every indicator gets a canonical ``value`` (the key) and a human-friendly ``display``.

Canonical forms (documented here because other code stores and compares them):

* phone        – E.164, ``+84912345678`` (any country when written with ``+``).
* bank_account – ``BANKCODE:digits`` (``VCB:0123456789``) or just ``digits`` when no bank is known.
* url          – ``host[:port]/path``: lowercase host without ``www.``, no scheme, no query, no
                 fragment, no trailing slash.  IDN hosts are stored *decoded* to Unicode NFC
                 (``xn--bcher-kva.de`` -> ``bücher.de``) because that is what residents read and
                 type; the path is stored percent-encoded (RFC 3986 normalisation) so ``/xác`` and
                 ``/x%C3%A1c`` are the same key.
* social       – ``platform:ident``: ``facebook:lua.dao``, ``facebook:1000123``,
                 ``facebook:groups/name``, ``zalo:+84987654321``, ``zalo:<numeric id>``,
                 ``zalo:g/<code>``, ``telegram:name``, ``telegram:+<invite>``, ``tiktok:name``,
                 ``instagram:name``.

Every ``normalize_*`` function accepts its own output (idempotent), so stored values can be
re-validated.  Nothing here raises on bad input and nothing does I/O; all regexes are written so
that they cannot backtrack catastrophically (bounded repetitions, disjoint character classes).
"""

from __future__ import annotations

# The plain value types live in storage (which may not import services); re-exported here.
from storage.models.indicators import Indicator, IndicatorKind

from .banks import _BANKS as _BANKS
from .banks import normalize_bank, normalize_bank_account
from .extract import extract_indicators
from .phones import display_phone, normalize_phone
from .query import normalize_any
from .social import normalize_social
from .urls import normalize_url

__all__ = [
    "Indicator",
    "IndicatorKind",
    "display_phone",
    "extract_indicators",
    "normalize_any",
    "normalize_bank",
    "normalize_bank_account",
    "normalize_phone",
    "normalize_social",
    "normalize_url",
]
