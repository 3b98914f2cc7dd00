"""The Official Account's :class:`services.ports.Sender`: how the services' messages reach a
follower's OA chat or an OA-created group (registered as ``ChannelRouter.zalo_oa``).

* Text: the catalogue message as the Zalo bot shows it (zalo.render.outgoing: plain text,
  numbered choices, which the follower answers with a bare number), cut into parts of at
  most 2,000 characters (the OA's limit). Up to 5 choices also come as ``oa.query.hide``
  buttons whose payload is the choice's number, so tapping one and typing it are the same.
  Photos are not re-uploaded: the text says how many there are (as on the Zalo bot for
  files it cannot fetch).
* Pacing: every call draws on the OA's own :class:`~services.domain.SendBudget` (Redis-shared
  with REDIS_URL). Zalo publishes no rate for the OA API; the numbers below are our choice.
  "Too fast" (-32) pauses the budget and the call is tried again, with a doubling pause, a few
  times; then the message is left for a later try (RETRY_LATER: the outbox's or the advisory
  engine's).
* Quota (-211): the OA's quota for this kind of message is spent. Nothing more is tried for
  :data:`QUOTA_PAUSE` (another call would only be refused again): each message meanwhile is
  FAILED with :data:`services.channels.QUOTA_ERROR`, which an advisory's summary counts and
  reports ("not sent: Zalo OA quota").
* The 7-day customer-service window: a follower whose last interaction is older than 7 days
  (or who never wrote) cannot get a customer-service message (-230/-232). **Fallback chosen:
  the message is held** (services.zalo_oa.OaHeld) and sent when they next write to the OA,
  which opens the window again; held messages older than the window are dropped. Why not the
  OA's broadcast ("tin truyền thông") messages: they depend on the unit's paid package, go
  out in the daytime only (-234 at night), target by province/age/gender rather than by a
  person or tổ dân phố, and their endpoint and payload are not confirmed by any source we
  could read. A held message is FAILED with :data:`services.channels.WINDOW_ERROR`, so an
  advisory's summary counts it as "held until they write".
* Groups (``oa_group_key``): a text into a group the OA created (Group Message Framework);
  no window applies there (unconfirmed: no source says one does).

The message ids Zalo returns are 32 hex digits; they become the relay's integer keys the
way the Zalo bot's do (zalo.render.message_key).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from services.channels import QUOTA_ERROR, WINDOW_ERROR, ZALO_OA, dm_user_id, oa_group_id_of
from services.domain import Priority, SendBudget, SendLimits, Window
from services.ports import DeliveryResult, DeliveryStatus, OutgoingMessage, Recipient
from services.zalo_oa import OaFollowers, OaGroups, OaHeld
from zalo import render
from zalo_oa.client import (
    MAX_BUTTONS,
    MAX_TEXT,
    OaBadRequest,
    OaClient,
    OaError,
    OaNetworkError,
    OaNotFollower,
    OaOutsideWindow,
    OaQuotaExceeded,
    OaTooFast,
)

logger = logging.getLogger(__name__)

OA_LIMITS = SendLimits(per_second=8, private_chat=Window(1, 1), group_chat=Window(20, 60))
"""Not published by Zalo for the OA API: below the Zalo bot's own choice (zalo.sender)."""
TOO_FAST_TRIES = 4
"""Calls answered -32 tried again this many times in all before RETRY_LATER."""
TOO_FAST_PAUSE = 1.0
"""Seconds of the first pause after a -32; doubled at each further -32."""
QUOTA_PAUSE = 3600.0
"""Seconds without OA sends after a -211 (Zalo says neither when the quota renews nor which
messages count against it)."""
BUTTON_TITLE = 100
"""Characters of a button's title kept (the limit is not documented; the full text is in the
numbered line above it)."""


class QuotaStop:
    """Until when the OA's quota is known to be spent (shared by a sender and its BULK twin;
    per process: another instance learns it from its own first -211)."""

    def __init__(self) -> None:
        self._until = 0.0

    def stop_for(self, seconds: float) -> None:
        self._until = time.monotonic() + seconds

    def stopped(self) -> bool:
        return time.monotonic() < self._until


class ChatMenus(Protocol):
    """Remembers what each number of the last choices stands for (services.zalo)."""

    async def set_menu(self, chat_key: int, options: list[str]) -> None: ...


class OaSender:
    def __init__(
        self,
        client: OaClient,
        followers: OaFollowers,
        groups: OaGroups,
        held: OaHeld,
        menus: ChatMenus,
        budget: SendBudget,
        *,
        too_fast_pause: float = TOO_FAST_PAUSE,
        quota_pause: float = QUOTA_PAUSE,
        priority: Priority = Priority.INTERACTIVE,
    ) -> None:
        self._client = client
        self._followers = followers
        self._groups = groups
        self._held = held
        self._menus = menus
        self._budget = budget
        self._too_fast_pause = too_fast_pause
        self._quota_pause = quota_pause
        self._priority = priority
        self._quota = QuotaStop()

    def with_priority(self, priority: Priority) -> OaSender:
        """The same sender on the same budget and quota, for advisories (BULK): replies to a
        follower go first."""
        twin = OaSender(
            self._client,
            self._followers,
            self._groups,
            self._held,
            self._menus,
            self._budget,
            too_fast_pause=self._too_fast_pause,
            quota_pause=self._quota_pause,
            priority=priority,
        )
        twin._quota = self._quota
        return twin

    # -- the Sender port ----------------------------------------------------------------
    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
        row_id = oa_group_id_of(to.chat_id)
        if row_id is not None:
            group_id = await self._groups.group_id_of(row_id)
            if group_id is None:
                return DeliveryResult(DeliveryStatus.NOT_FOUND, error="no OA group for this key")
            return await self._to_group(to, group_id, message)
        user_id = dm_user_id(to.chat_id)
        oa_user = await self._followers.oa_user_of(user_id) if user_id is not None else None
        if oa_user is None:
            return DeliveryResult(DeliveryStatus.NOT_FOUND, error="not an OA follower")
        if not await self._followers.can_answer(oa_user):
            return await self._hold(oa_user, message)
        return await self._to_follower(to, oa_user, message)

    async def delete(self, chat_id: int, message_id: int, channel: str = ZALO_OA) -> bool:
        """The OA API has no way to take a message back (none documented)."""
        return False

    async def deliver_held(self, oa_user_id: str, locale: str, chat_key: int) -> int:
        """The follower wrote (the window is open): send what was held for them, oldest
        first. Returns how many went out; one outside the window again, or that could not
        go now (too fast, quota spent, Zalo unreachable), is held again."""
        sent = 0
        for message in await self._held.take(oa_user_id):
            result = await self._to_follower(
                Recipient(chat_key, locale, ZALO_OA), oa_user_id, message
            )
            if result.status is DeliveryStatus.RETRY_LATER or result.error == QUOTA_ERROR:
                await self._held.hold(oa_user_id, message)  # not lost: at their next message
            sent += result.ok
        return sent

    # -- sending ------------------------------------------------------------------------
    async def _hold(self, oa_user: str, message: OutgoingMessage) -> DeliveryResult:
        await self._held.hold(oa_user, message)
        return DeliveryResult(DeliveryStatus.FAILED, error=WINDOW_ERROR)

    async def _to_follower(
        self, to: Recipient, oa_user: str, message: OutgoingMessage
    ) -> DeliveryResult:
        full, photos, options = render.outgoing(message, to.locale)
        if photos:
            full += "\n" + render.text("zalo-media-hidden", to.locale, {"count": len(photos)})
        parts = render.split(full, MAX_TEXT)
        buttons = _buttons(message, to.locale) if 0 < len(options) <= MAX_BUTTONS else ()
        if options:
            # Known before they are shown: a quick "2" must not arrive before its choices. As
            # on the Zalo bot, a message without choices keeps the last ones.
            await self._menus.set_menu(to.chat_id, options)
        message_id = ""
        for n, part in enumerate(parts, 1):
            last = n == len(parts)

            def call(part: str = part, last: bool = last) -> Awaitable[str]:
                return self._client.send_text(oa_user, part, buttons if last else ())

            outcome = await self._call(to.chat_id, call)
            if isinstance(outcome, DeliveryResult):
                if outcome.error == WINDOW_ERROR:
                    await self._held.hold(oa_user, message)
                if options:  # not shown: a bare number answers nothing rather than them
                    await self._menus.set_menu(to.chat_id, [])
                return outcome
            message_id = outcome
        key = render.message_key(message_id) if message_id else None
        return DeliveryResult(DeliveryStatus.SENT, message_id=key)

    async def _to_group(
        self, to: Recipient, group_id: str, message: OutgoingMessage
    ) -> DeliveryResult:
        full, _photos, _options = render.outgoing(message, to.locale)
        message_id = ""
        for part in render.split(full, MAX_TEXT):

            def call(part: str = part) -> Awaitable[str]:
                return self._client.send_group_text(group_id, part)

            outcome = await self._call(to.chat_id, call)
            if isinstance(outcome, DeliveryResult):
                return outcome
            message_id = outcome
        key = render.message_key(message_id) if message_id else None
        return DeliveryResult(DeliveryStatus.SENT, message_id=key)

    async def _call(
        self, chat_key: int, call: Callable[[], Awaitable[str]]
    ) -> str | DeliveryResult:
        """One API call, paced; its message id, or the result that ends the message."""
        if self._quota.stopped():
            return DeliveryResult(DeliveryStatus.FAILED, error=QUOTA_ERROR)
        window = OA_LIMITS.group_chat if chat_key < 0 else OA_LIMITS.private_chat
        pause = self._too_fast_pause
        for attempt in range(1, TOO_FAST_TRIES + 1):
            await self._budget.acquire(str(chat_key), window, self._priority)
            if self._quota.stopped():  # spent while this call waited its turn
                return DeliveryResult(DeliveryStatus.FAILED, error=QUOTA_ERROR)
            try:
                return await call()
            except OaTooFast:
                if attempt == TOO_FAST_TRIES:
                    return DeliveryResult(
                        DeliveryStatus.RETRY_LATER, retry_after=pause, error="-32 too fast"
                    )
                logger.info("Zalo OA: too fast (-32); pausing %.1f s", pause)
                await self._budget.pause(pause)
                await asyncio.sleep(pause)
                pause *= 2
            except OaQuotaExceeded:
                self._quota.stop_for(self._quota_pause)
                logger.warning(
                    "Zalo OA quota exceeded (-211): no sends for %.0f s", self._quota_pause
                )
                return DeliveryResult(DeliveryStatus.FAILED, error=QUOTA_ERROR)
            except OaOutsideWindow:
                return DeliveryResult(DeliveryStatus.FAILED, error=WINDOW_ERROR)
            except (OaNotFollower, OaBadRequest) as exc:
                return DeliveryResult(DeliveryStatus.FAILED, error=f"{exc.code}")
            except OaError as exc:  # -216 after a refresh, an error page, a code we do not know
                return DeliveryResult(DeliveryStatus.RETRY_LATER, error=f"{exc.code}")
            except OaNetworkError as exc:
                return DeliveryResult(DeliveryStatus.RETRY_LATER, error=str(exc))
        raise AssertionError("unreachable")


def _buttons(message: OutgoingMessage, locale: str) -> tuple[tuple[str, str], ...]:
    """``oa.query.hide`` buttons for the numbered choices: title, and the number as payload
    (what the follower's tap sends back as text)."""
    flat = [b for row in message.buttons for b in row if b.data or b.url]
    return tuple((render.label(b, locale)[:BUTTON_TITLE], str(n)) for n, b in enumerate(flat, 1))
