"""Chat keys across channels.

Services address people and chats with one integer ``chat_id`` (:class:`services.ports.
Recipient`), stored as such in the relay, the pending inputs and the advisory ledger. Telegram
ids have at most 52 significant bits; Zalo ids are opaque strings. A Zalo chat therefore gets
an integer *key* far outside Telegram's range, so every table keyed by chat id works for both
channels without a second column, and the key itself tells the channel:

* a Zalo direct chat is ``ZALO_BASE + users.id`` (positive, like Telegram private chats);
* a Zalo group is ``-(ZALO_BASE + zalo_groups.id)`` (negative, like Telegram groups);
* a group the Zalo Official Account created is ``-(ZALO_OA_BASE + zalo_oa_groups.id)``.

The Zalo sender turns a key back into the Zalo id.
"""

from __future__ import annotations

from services.ports import Recipient
from storage.dto import UserDTO

TELEGRAM = "telegram"
ZALO = "zalo"
ZALO_OA = "zalo_oa"
ZALO_BASE = 1 << 61
"""Telegram ids stay below 2**53; BigInteger holds up to 2**63 - 1."""
ZALO_OA_BASE = 1 << 62
"""Above every Zalo bot key (ZALO_BASE + a 32-bit row id), below BigInteger's limit."""

QUOTA_ERROR = "quota: the channel's sending quota is spent"
"""A delivery's error when a channel stopped sending on its quota (the Official Account's
-211): counted apart in an advisory's summary."""
WINDOW_ERROR = "held: outside the 7-day window until they write"
"""A delivery's error when the Official Account may not message the person now (their last
message is over 7 days old): held for their next message, counted apart in the summary."""


def zalo_dm_key(user_id: int) -> int:
    return ZALO_BASE + user_id


def zalo_group_key(group_id: int) -> int:
    return -(ZALO_BASE + group_id)


def oa_group_key(group_row_id: int) -> int:
    return -(ZALO_OA_BASE + group_row_id)


def channel_of(chat_id: int) -> str:
    if abs(chat_id) >= ZALO_OA_BASE:
        return ZALO_OA
    return ZALO if abs(chat_id) >= ZALO_BASE else TELEGRAM


def dm_user_id(chat_id: int) -> int | None:
    """The users.id of a Zalo direct-chat key (None for other keys)."""
    return chat_id - ZALO_BASE if ZALO_BASE <= chat_id < ZALO_OA_BASE else None


def group_id_of(chat_id: int) -> int | None:
    """The zalo_groups.id of a Zalo group key (None for other keys)."""
    return -chat_id - ZALO_BASE if -ZALO_OA_BASE < chat_id <= -ZALO_BASE else None


def oa_group_id_of(chat_id: int) -> int | None:
    """The zalo_oa_groups.id of an OA group key (None for other keys)."""
    return -chat_id - ZALO_OA_BASE if chat_id <= -ZALO_OA_BASE else None


def recipient_for(user: UserDTO, default_language: str) -> Recipient | None:
    """Where to reach a person privately: Telegram when they have it (police and linked
    residents), else their Zalo chat. None when they blocked the bot. The one rule:
    services reach people through :class:`services.reach.PersonReacher`, which asks here."""
    if user.blocked_bot:
        return None
    return recipient_on(user, TELEGRAM if user.telegram_id else ZALO, default_language)


def recipient_on(user: UserDTO, channel: str, default_language: str) -> Recipient | None:
    """A person on one given channel (the other side of an account link request); None when
    they have no account there."""
    locale = user.language or default_language
    if channel == TELEGRAM:
        return Recipient(user.telegram_id, locale, TELEGRAM) if user.telegram_id else None
    return Recipient(zalo_dm_key(user.id), locale, ZALO)
