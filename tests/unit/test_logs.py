"""Secrets never reach the logs."""

from __future__ import annotations

import logging

import pytest

from bot.logs import SecretScrubber

TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def captured() -> tuple[logging.Logger, list[str]]:
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(SecretScrubber(["s3cr3t-webhook"]))
    logger = logging.getLogger("test.scrubber")
    logger.handlers = [handler]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger, lines


def test_tokens_in_messages_args_and_tracebacks_are_masked(
    captured: tuple[logging.Logger, list[str]],
) -> None:
    logger, lines = captured
    logger.info("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
    logger.warning("secret header was s3cr3t-webhook")
    try:
        raise RuntimeError(f"failed calling /bot{TOKEN}/getMe")
    except RuntimeError:
        logger.exception("boom")
    text = "\n".join(lines)
    assert TOKEN not in text and "s3cr3t-webhook" not in text
    assert text.count("***") >= 3
    assert "sendMessage" in text and "getMe" in text


def test_ordinary_numbers_and_times_are_left_alone(
    captured: tuple[logging.Logger, list[str]],
) -> None:
    logger, lines = captured
    logger.info("report TB-2611-0042 at 07:30, chat -100123")
    assert lines == ["report TB-2611-0042 at 07:30, chat -100123"]


def test_every_configured_secret_reaches_the_scrubber() -> None:
    """Passwords inside DATABASE_URL and REDIS_URL too: a connection error quotes its URL."""
    from bot.settings import load_settings

    settings = load_settings(
        _env_file=None,
        bot_token="123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        database_url="postgresql+asyncpg://anninh:db-pass-9f3k@db.example:5432/anninh",
        redis_url="redis://:redis-pass-7q1z@cache.example:6379/0",
        zalo_oa_app_secret="oa-app-secret-x1",
    )
    scrubber = SecretScrubber(settings.secret_values())
    line = (
        "connect to postgresql+asyncpg://anninh:db-pass-9f3k@db.example failed; "
        "redis://:redis-pass-7q1z@cache.example; oa-app-secret-x1"
    )
    masked = scrubber.scrub(line)
    for secret in ("db-pass-9f3k", "redis-pass-7q1z", "oa-app-secret-x1"):
        assert secret not in masked
