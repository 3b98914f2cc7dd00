"""Why the bot or a command could not start, in one line for the operator: what is wrong and
which setting to change. Anything not recognised here keeps its traceback (it is a bug)."""

from __future__ import annotations

from telegram.error import InvalidToken, NetworkError

from bot.logs import SecretScrubber
from bot.settings import Settings
from bot.webhook import WebhookUnavailable
from storage.db import DatabaseUnreachable, safe_url


def explain(exc: BaseException, settings: Settings) -> str | None:
    """The one-line message for a start-up failure, or None when it is not one."""
    if isinstance(exc, DatabaseUnreachable):
        return (
            f"cannot open the database {safe_url(settings.database_url)} ({exc.reason}): "
            "check that it is running and reachable, or set DATABASE_URL"
        )
    if isinstance(exc, InvalidToken):
        # PTB's message quotes the token: never repeat it.
        return (
            f"the Bot API at {settings.bot_api_base_url} refused the bot token "
            "(401 Unauthorized): set BOT_TOKEN to the token @BotFather gave the bot"
        )
    if isinstance(exc, NetworkError):
        return (
            f"cannot reach the Bot API at {settings.bot_api_base_url} ({_scrubbed(exc)}): "
            "check the network, or set BOT_API_BASE_URL"
        )
    if isinstance(exc, WebhookUnavailable):
        return f"cannot listen for the webhook on {exc}: set WEBHOOK_LISTEN and WEBHOOK_PORT"
    return None


def _scrubbed(exc: NetworkError) -> str:
    return SecretScrubber().scrub(exc.message)[:200]
