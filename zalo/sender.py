"""The Zalo implementation of :class:`services.ports.Sender`, and the router that sends each
message through the channel its chat key belongs to (services.channels).

Zalo's errors, as the Zalo Bot Platform documents them (bot.zaloplatforms.com/docs/error-code,
verbatim copy in lamdt1/ckvn-bot ``docs/zalo-bot-doc.md`` @f307749): 400 bad request, 401 token
expired or invalid, **403 "Internal server error"**, 404 invalid access request, 408 request
timeout, 429 quota exceeded. Confirmed: none of them means "the user blocked the bot", and the
docs name no other error for it, so a Zalo failure never marks a person blocked (a resident
who blocked the bot and one hit by a Zalo outage look the same to us; stopping their tip
updates for an outage is the worse mistake). Unconfirmed: what the real server answers a send
to someone who blocked the bot. python-zalo-bot 0.1.9 maps HTTP 403 to ``Forbidden`` ("bot
lacks rights"): python-telegram-bot's meaning, kept from the code it was forked from.

Pacing: every send draws on the Zalo bot's own :class:`~storage.send_budget.SendBudget` (the
Telegram bot's mechanism, shared by every instance through Redis). The Zalo Bot Platform
publishes no rate limits (its docs name only the 429 "quota exceeded" answer), so the numbers
below are our conservative choice, not the platform's; a 429 pauses the budget.
"""

from __future__ import annotations

import logging
from typing import Protocol

from services.channels import ZALO, ZALO_OA, channel_of, dm_user_id, group_id_of
from services.domain import Priority, SendBudget, SendLimits, Window
from services.ports import DeliveryResult, DeliveryStatus, OutgoingMessage, Recipient, Sender
from zalo import render
from zalo.client import ZaloApiError, ZaloClient, ZaloNetworkError

logger = logging.getLogger(__name__)


class ChatDirectory(Protocol):
    """Turns chat keys back into Zalo ids and remembers numbered choices (ZaloChats)."""

    async def zalo_id_of(self, user_id: int) -> str | None: ...

    async def group_zalo_id(self, group_id: int) -> str | None: ...

    async def set_menu(self, chat_key: int, options: list[str]) -> None: ...

    @property
    def groups_enabled(self) -> bool: ...


ZALO_LIMITS = SendLimits(per_second=10, private_chat=Window(1, 1), group_chat=Window(20, 60))
"""Undocumented by Zalo: a third of Telegram's overall rate, Telegram's per-chat limits."""
ZALO_QUOTA_PAUSE = 5.0
"""Seconds without Zalo sends after a 429 (Zalo gives no retry_after)."""
RETRYABLE = frozenset({403, 408, 429})
"""Documented as internal server error, request timeout and quota exceeded: worth trying
again later (as are 5xx answers and no answer at all)."""


def _result(exc: ZaloApiError) -> DeliveryResult:
    """Never BLOCKED nor NOT_FOUND: the docs give no error that says the person or chat is
    gone (404 is "invalid access request"), so a failure changes nobody's state."""
    if exc.code in RETRYABLE or exc.code >= 500:
        return DeliveryResult(DeliveryStatus.RETRY_LATER, error=f"{exc.code}")
    return DeliveryResult(DeliveryStatus.FAILED, error=f"{exc.code}: {exc.description[:150]}")


class ZaloSender:
    def __init__(
        self,
        client: ZaloClient,
        directory: ChatDirectory,
        budget: SendBudget,
        priority: Priority = Priority.INTERACTIVE,
    ) -> None:
        self._client = client
        self._directory = directory
        self._budget = budget
        self._priority = priority

    def with_priority(self, priority: Priority) -> ZaloSender:
        """The same sender on the same budget, for advisories (:attr:`Priority.BULK`)."""
        return ZaloSender(self._client, self._directory, self._budget, priority)

    async def _slot(self, chat_key: int) -> None:
        limits = self._budget.limits
        window = limits.group_chat if group_id_of(chat_key) is not None else limits.private_chat
        await self._budget.acquire(str(chat_key), window, self._priority)

    async def resolve(self, chat_key: int) -> str | None:
        user_id = dm_user_id(chat_key)
        if user_id is not None:
            return await self._directory.zalo_id_of(user_id)
        group_id = group_id_of(chat_key)
        if group_id is not None:
            return await self._directory.group_zalo_id(group_id)
        return None

    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
        if group_id_of(to.chat_id) is not None and not self._directory.groups_enabled:
            # A group linked while ZALO_GROUPS_ENABLED was on: skipped, its row left as it is.
            return DeliveryResult(DeliveryStatus.FAILED, error="Zalo groups are not enabled")
        zalo_id = await self.resolve(to.chat_id)
        if zalo_id is None:
            return DeliveryResult(DeliveryStatus.NOT_FOUND, error="no Zalo chat for this key")
        full, photos, options = render.outgoing(message, to.locale)
        if options:
            # Known before they are shown: a quick "2" must not arrive before its choices.
            await self._directory.set_menu(to.chat_id, options)
        try:
            for photo in photos:
                await self._slot(to.chat_id)
                await self._client.send_photo(zalo_id, photo)
            sent: dict[str, object] = {}
            for part in render.split(full):
                await self._slot(to.chat_id)
                sent = await self._client.send_message(zalo_id, part)
        except ZaloApiError as exc:
            if exc.code == 429:
                await self._budget.pause(ZALO_QUOTA_PAUSE)
            await self._unseen(to.chat_id, options)
            return _result(exc)
        except ZaloNetworkError as exc:
            await self._unseen(to.chat_id, options)
            return DeliveryResult(DeliveryStatus.RETRY_LATER, error=str(exc))
        message_id = sent.get("message_id")
        key = render.message_key(str(message_id)) if message_id else None
        return DeliveryResult(DeliveryStatus.SENT, message_id=key)

    async def _unseen(self, chat_key: int, options: list[str]) -> None:
        """The choices were stored but their message did not go: a bare number answers
        nothing (rather than a menu the person never saw)."""
        if options:
            await self._directory.set_menu(chat_key, [])

    async def delete(self, chat_id: int, message_id: int, channel: str = ZALO) -> bool:
        """The Zalo Bot API cannot delete messages."""
        return False

    async def edit(
        self, to: Recipient, message_id: int, message: OutgoingMessage
    ) -> DeliveryResult:
        """The Zalo Bot API cannot edit messages: a Zalo message showing a tip is never
        recorded for redrawing (services/tip_cards.py), so this is not reached."""
        return DeliveryResult(DeliveryStatus.NOT_FOUND, error="Zalo messages cannot be edited")


def _bulk(sender: Sender | None) -> Sender | None:
    """The sender's BULK twin when it has one (same budget), else the sender."""
    with_priority = getattr(sender, "with_priority", None)
    return with_priority(Priority.BULK) if with_priority is not None else sender


class ChannelRouter:
    """One Sender for the services: each chat key goes to its own channel.

    A Zalo direct-chat key (``zalo_dm_key``) stands for a person on Zalo, who may talk to us
    through the Zalo bot or through the ward's Official Account (or both, as two people: the
    two give different Zalo ids). The bot is tried first; a person it does not know
    (NOT_FOUND) is reached through the OA when one runs. OA-created groups have their own
    keys (``oa_group_key``) and go to the OA sender only."""

    def __init__(
        self, telegram: Sender | None, zalo: Sender | None, zalo_oa: Sender | None = None
    ) -> None:
        self.telegram = telegram
        self.zalo = zalo
        self.zalo_oa = zalo_oa
        """None until the OA surface sends: its chats are then "not configured", never
        handed to another channel."""

    def with_telegram(self, telegram: Sender) -> ChannelRouter:
        """The same routing with another Telegram sender (the advisory engine's, which marks
        its sends bulk); the Zalo bot's and the OA's senders are switched to bulk too."""
        return ChannelRouter(telegram, _bulk(self.zalo), _bulk(self.zalo_oa))

    def _for(self, chat_id: int) -> Sender | None:
        channel = channel_of(chat_id)
        if channel == ZALO_OA:
            return self.zalo_oa
        return self.zalo if channel == ZALO else self.telegram

    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
        sender = self._for(to.chat_id)
        oa_too = self.zalo_oa is not None and dm_user_id(to.chat_id) is not None
        if sender is None and not oa_too:
            return DeliveryResult(DeliveryStatus.NOT_FOUND, error="channel not configured")
        result = (
            await sender.send(to, message)
            if sender is not None
            else DeliveryResult(DeliveryStatus.NOT_FOUND, error="channel not configured")
        )
        if oa_too and result.status is DeliveryStatus.NOT_FOUND:
            assert self.zalo_oa is not None
            return await self.zalo_oa.send(to, message)
        return result

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        sender = self._for(chat_id)
        return await sender.delete(chat_id, message_id) if sender is not None else False

    async def edit(
        self, to: Recipient, message_id: int, message: OutgoingMessage
    ) -> DeliveryResult:
        sender = self._for(to.chat_id)
        if sender is None:
            return DeliveryResult(DeliveryStatus.NOT_FOUND, error="channel not configured")
        return await sender.edit(to, message_id, message)
