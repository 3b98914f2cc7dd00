"""One Zalo message being answered (:class:`Conversation`: who, in which chat, in which
language) and the numbered-choice "keyboards" the answers carry: :func:`_one` rows, the
shared cancel choice and the describing step's "Xong"."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from services.channels import ZALO
from services.ports import InlineButton, OutgoingMessage, Recipient
from zalo import render
from zalo.sender import ZaloSender

logger = logging.getLogger("zalo.surface")
"""Logged under the surface's name, as before the split: log lines and searches for
``zalo.surface:`` stay the same."""


class _Surface(Protocol):
    """What a conversation needs of :class:`zalo.surface.ZaloSurface`."""

    services: Any
    sender: ZaloSender


class Conversation:
    """One message being handled: who, where, and how to answer."""

    def __init__(self, surface: _Surface, profile: Any, chat_key: int) -> None:
        self.surface = surface
        self.services = surface.services
        self.profile = profile
        self.user_id: int = profile.user.id
        self.locale: str = profile.locale
        self.chat_key = chat_key

    async def say(
        self, key: str, buttons: tuple[tuple[InlineButton, ...], ...] = (), **args: Any
    ) -> None:
        result = await self.surface.sender.send(
            Recipient(self.chat_key, self.locale, ZALO),
            OutgoingMessage(key, args, buttons=buttons),
        )
        if not result.ok:
            logger.info("zalo reply not delivered: %s", result.status.value)

    def text(self, key: str, **args: Any) -> str:
        return render.text(key, self.locale, args)


def _one(key: str, data: str, **args: Any) -> tuple[InlineButton, ...]:
    return (InlineButton(key, data, label_args=args),)


CANCEL = _one("zalo-choice-cancel", "tipf:cancel")


def _done_rows() -> tuple[tuple[InlineButton, ...], ...]:
    """Only "Xong" while describing: a "2" typed there ("tổ 2") must not cancel the tip."""
    return (_one("tip-button-done", "tipf:done"),)
