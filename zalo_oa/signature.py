"""X-ZEvent-Signature: which webhook bodies really come from Zalo.

The header is ``mac=<64 hex digits>`` over ``app_id + raw body + timestamp`` with the OA
secret key (see FACTS in ``zalo_oa``). Two readings exist: the official SDK's plain SHA-256
with the key appended, and an HMAC keyed by it. One is chosen (``ZALO_OA_SIGNATURE``) and
the other refused: accepting both would let whichever is weaker decide.

No age check: Zalo retries the same event (same body, same timestamp) for hours, and a retry
must be accepted; the msg_id dedupe makes a replay harmless.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from enum import StrEnum

HEADER = "X-ZEvent-Signature"
PREFIX = "mac="


class Scheme(StrEnum):
    SHA256 = "sha256"
    HMAC_SHA256 = "hmac-sha256"


def mac(scheme: Scheme, app_id: str, body: bytes, timestamp: str, secret_key: str) -> str:
    """The header value Zalo sends for ``body`` (``mac=`` and lower-case hex)."""
    signed = app_id.encode() + body + timestamp.encode()
    if scheme is Scheme.SHA256:
        digest = hashlib.sha256(signed + secret_key.encode()).hexdigest()
    else:
        digest = hmac.new(secret_key.encode(), signed, hashlib.sha256).hexdigest()
    return PREFIX + digest


def body_timestamp(body: bytes) -> str | None:
    """The ``timestamp`` the signature covers, read from the body; None when the body is not
    a JSON object with one (it cannot carry a valid signature then)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("timestamp") is None:
        return None
    return str(data["timestamp"])


def verify(scheme: Scheme, header: str, body: bytes, app_id: str, secret_key: str) -> bool:
    """Our app id, not the body's, goes into the check: an event for another app fails."""
    timestamp = body_timestamp(body)
    if timestamp is None or not header:
        return False
    expected = mac(scheme, app_id, body, timestamp, secret_key)
    return hmac.compare_digest(header.strip().lower().encode(), expected.encode())
