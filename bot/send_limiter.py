"""The Bot's rate limiter: every Bot API call of the one Bot per token goes through here.

Messages draw on the account's :class:`~storage.send_budget.SendBudget` (Telegram's flood
limits, shared by every instance through Redis); advisories pass
``rate_limit_args=Priority.BULK`` and take only what the replies leave.

Errors, unlike PTB's AIORateLimiter (which retries only 429s, so a reply that met a 502 was
dropped and the resident never got the next question):

* 429: the budget pauses for ``retry_after`` the chat whose own limit was hit (1 a second in
  a private chat, 20 a minute in a group), so replies to other chats go on, or the whole
  account when its 30 a second was (:meth:`~storage.send_budget.SendBudget.flood`); an
  interactive call is tried again, up to :data:`FLOOD_RETRIES` times.
* 5xx, timeouts and dropped connections: an interactive message, edit or button answer is
  tried again :data:`TRANSIENT_RETRIES` times with backoff (reads such as getMe are not).
  Telegram may have accepted a message before the answer was lost, so the person may see a
  prompt twice: a rare duplicate beats a silent bot.
  An edit tried again that finds its text already in place ("message is not modified") did
  its work the first time: it returns True.
* Bulk calls are tried once: the advisory ledger (scheduler/delivery.py) owns their retries,
  with attempts counted and a duplicate-prone retry marked ``uncertain``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

from storage.send_budget import Priority, SendBudget, SendLimits, Window

logger = logging.getLogger(__name__)

TELEGRAM_PER_SECOND = 30
"""Telegram's documented limit for one bot overall (core.telegram.org/bots/faq)."""
TELEGRAM_PRIVATE_CHAT = Window(1, 1)
"""One message a second in a private chat."""
TELEGRAM_GROUP_CHAT = Window(20, 60)
"""Twenty messages a minute in a group."""
FLOOD_RETRIES = 3
TRANSIENT_RETRIES = 2
TRANSIENT_BACKOFF = 0.5
"""Seconds before the first retry of a 5xx or timeout; the second waits three times as long."""

MESSAGE_METHODS = frozenset(
    {
        "sendmessage", "sendphoto", "senddocument", "sendvideo", "sendvoice", "sendaudio",
        "sendanimation", "sendmediagroup", "sendlocation", "sendvenue", "sendcontact",
        "sendsticker", "sendpoll", "senddice", "sendvideonote", "sendpaidmedia",
        "copymessage", "copymessages", "forwardmessage", "forwardmessages",
    }
)  # fmt: skip
"""The calls that create messages: what Telegram's flood limits count."""

Result = bool | dict[str, Any] | list[dict[str, Any]]


def telegram_limits(per_second: int, *, private_chats: bool = True) -> SendLimits:
    """Telegram's limits with ``per_second`` overall (below 30 leaves room for jitter);
    ``private_chats=False`` leaves private chats unpaced (a test server without limits)."""
    return SendLimits(
        per_second=per_second,
        private_chat=TELEGRAM_PRIVATE_CHAT if private_chats else None,
        group_chat=TELEGRAM_GROUP_CHAT,
    )


class BudgetRateLimiter(BaseRateLimiter[Priority]):
    def __init__(self, budget: SendBudget) -> None:
        self.budget = budget

    async def initialize(self) -> None:
        """The budget's storage connects on first use."""

    async def shutdown(self) -> None:
        await self.budget.close()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> Result:
        priority = rate_limit_args or Priority.INTERACTIVE
        interactive = priority is Priority.INTERACTIVE
        chat, window = self._chat_of(data)
        counted = endpoint.lower() in MESSAGE_METHODS and data.get("chat_id") is not None
        # What a person sees (a message, an edit, a button's answer) is worth a duplicate;
        # a read (getMe at start-up, getChat) fails at once, as its caller expects.
        told = counted or endpoint.startswith(("edit", "answerCallbackQuery"))
        floods = transients = 0
        while True:
            if counted:
                await self.budget.acquire(chat, window, priority)
            else:
                await self.budget.until_unpaused(chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                paused = await self.budget.flood(chat, _seconds(exc.retry_after) + 0.1)
                if not interactive or floods >= FLOOD_RETRIES:
                    raise
                floods += 1
                logger.info(
                    "429 on %s (%s paused); trying again after %s s",
                    endpoint,
                    paused,
                    exc.retry_after,
                )
            except BadRequest as exc:
                if transients and endpoint.startswith("edit") and "not modified" in exc.message:
                    return True
                raise
            except NetworkError as exc:  # 5xx, timeouts, dropped connections
                if not (interactive and told) or transients >= TRANSIENT_RETRIES:
                    raise
                transients += 1
                delay = TRANSIENT_BACKOFF * 3 ** (transients - 1) * random.uniform(0.8, 1.2)
                logger.info(
                    "%s on %s; try %d of %d in %.1f s",
                    type(exc).__name__,
                    endpoint,
                    transients + 1,
                    TRANSIENT_RETRIES + 1,
                    delay,
                )
                await asyncio.sleep(delay)

    def _chat_of(self, data: dict[str, Any]) -> tuple[str | None, Window | None]:
        """The chat's key and window: a negative id or an @username is a group or channel
        (as PTB's AIORateLimiter reads it), a positive id a private chat."""
        chat_id: Any = data.get("chat_id")
        if chat_id is None:
            return None, None
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        limits = self.budget.limits
        if isinstance(chat_id, int) and chat_id > 0:
            return str(chat_id), limits.private_chat
        return str(chat_id), limits.group_chat


def _seconds(retry_after: Any) -> float:
    return (
        float(retry_after.total_seconds())
        if hasattr(retry_after, "total_seconds")
        else float(retry_after)
    )
