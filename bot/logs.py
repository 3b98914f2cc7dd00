"""Logging setup and the scrubber that keeps secrets out of logs.

Library chatter is kept at WARNING (httpx logs every request URL, which contains the bot
token). Whatever still gets through passes :class:`SecretScrubber`, which masks bot tokens and
webhook secrets wherever they appear, including in exception text and tracebacks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

TOKEN_PATTERN = re.compile(r"(?<!\d)\d{3,}:[A-Za-z0-9_-]{20,}")
MASK = "***"
MIN_SECRET = 4
LEARNED_KEPT = 64
"""Secrets learned while running that are kept (older ones are spent tokens by then)."""

_learned: dict[str, None] = {}
"""Secrets that appear while running (the Zalo OA's tokens rotate every day): masked by
every scrubber from the moment they are known. A dict, for its order: the oldest go first."""


def remember_secret(value: str) -> None:
    """Mask ``value`` in every log record from now on."""
    if not value or len(value) < MIN_SECRET or value in _learned:
        return
    _learned[value] = None
    while len(_learned) > LEARNED_KEPT:
        del _learned[next(iter(_learned))]


class SecretScrubber(logging.Filter):
    """Masks bot tokens (``123456:ABC...``) and any configured secret in every record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s and len(s) >= MIN_SECRET]

    def scrub(self, text: str) -> str:
        # Longest first: a secret that contains another is masked whole.
        for secret in sorted({*self._secrets, *_learned}, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return TOKEN_PATTERN.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = self.scrub(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        return True


def setup_logging(level: str = "INFO", secrets: Iterable[str] = ()) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    scrubber = SecretScrubber(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(scrubber)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
