"""The Telegram implementation of :class:`services.moderation.GroupActions`."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Bot, ChatPermissions
from telegram.error import BadRequest, Forbidden, TelegramError

logger = logging.getLogger(__name__)

_SILENCED = ChatPermissions.no_permissions()
_FREE = ChatPermissions.all_permissions()


class TelegramGroupActions:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def _try(self, what: str, call) -> bool:  # type: ignore[no-untyped-def]
        try:
            return bool(await call)
        except (BadRequest, Forbidden) as exc:
            # Typically "not enough rights": the bot is not an admin of the group.
            logger.info("group action %s refused: %s", what, exc.message)
            return False
        except TelegramError as exc:
            logger.warning("group action %s failed: %s", what, exc)
            return False

    async def delete_message(self, chat_id: int, message_id: int) -> bool:
        return await self._try("delete", self._bot.delete_message(chat_id, message_id))

    async def restrict(self, chat_id: int, user_id: int, until: datetime | None) -> bool:
        return await self._try(
            "restrict",
            self._bot.restrict_chat_member(chat_id, user_id, _SILENCED, until_date=until),
        )

    async def unrestrict(self, chat_id: int, user_id: int) -> bool:
        return await self._try(
            "unrestrict", self._bot.restrict_chat_member(chat_id, user_id, _FREE)
        )

    async def ban(self, chat_id: int, user_id: int) -> bool:
        return await self._try("ban", self._bot.ban_chat_member(chat_id, user_id))

    async def unban(self, chat_id: int, user_id: int) -> bool:
        return await self._try(
            "unban", self._bot.unban_chat_member(chat_id, user_id, only_if_banned=True)
        )

    async def kick(self, chat_id: int, user_id: int) -> bool:
        """Remove without a lasting ban: ban, then lift it so they may rejoin later."""
        if not await self.ban(chat_id, user_id):
            return False
        return await self.unban(chat_id, user_id)
