"""What every moderation action shares: which member it is about and whether they may be
acted upon (:class:`Targets`), and its line in the audit log (:class:`GroupAudit`).

Every action that changes something in a group is written to the audit log *after* the chat
platform accepted it, so the log never claims a mute that did not happen.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from services.access import Profile
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.groups import GroupContext, GroupService
from services.moderation_model import Member
from services.protection import Protection
from services.users import username_holder
from storage.repositories.audit import AuditRepository
from storage.repositories.users import UserRepository
from storage.types import utcnow
from storage.uow import Session, Sessions, transaction


def until_after(minutes: int) -> datetime:
    """When a restriction of ``minutes`` from now ends (UTC)."""
    return utcnow() + timedelta(minutes=minutes)


def acted(ok: bool) -> None:
    """The platform refused (typically: the bot is not an admin of the group)."""
    if not ok:
        raise InvalidInput("mod-bot-cannot-act")


class GroupAudit:
    """The audit line of an action in a group, on a member or on the chat itself."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def record(
        self,
        action: str,
        actor: Profile | None,
        ctx: GroupContext,
        target: Member | None,
        *,
        session: Session | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Written in ``session`` (the caller's transaction) or in a transaction of its own."""
        if session is None:
            async with transaction(self._sessions) as own:
                await self.record(
                    action, actor, ctx, target, session=own, before=before, after=after
                )
            return
        target_id = None
        if target is not None:
            user = await UserRepository(session).ensure_telegram_id(target.telegram_id)
            target_id = user.id
        await AuditRepository(session).add(
            action,
            actor_user_id=actor.user.id if actor else None,
            target_type="user" if target is not None else "chat",
            target_id=target_id if target is not None else ctx.chat.telegram_chat_id,
            area_id=ctx.area.id if ctx.area else None,
            before=before,
            after={"chat": ctx.chat.telegram_chat_id, **(after or {})},
        )


class Targets:
    """The member a moderation action is about. Rights: moderators (or police/admins, roles
    nest) of the group's area; a protected member is never a target."""

    def __init__(self, sessions: Sessions, groups: GroupService, protection: Protection) -> None:
        self._sessions = sessions
        self._groups = groups
        self._protection = protection

    async def named(self, actor: Profile, chat_id: int, username: str) -> Member:
        """The member a command in ``chat_id`` names by "@username": someone the bot has seen
        write (the Bot API has no look-up by username). Only a moderator of the group's area
        may ask: nobody else learns whether the bot knows a username."""
        await self._groups.require(actor, chat_id)
        async with transaction(self._sessions) as session:
            user = await username_holder(session, username)
        if user is None or user.telegram_id is None:
            raise NotFound("mod-user-unknown", username=username[:64])
        return Member(user.telegram_id, user.display_name, False, user.username)

    async def checked(self, actor: Profile, chat_id: int, target: Member) -> GroupContext:
        """The group's context, once ``actor`` may act there on ``target``."""
        ctx = await self._groups.require(actor, chat_id)
        await self.ensure(actor, ctx, target)
        return ctx

    async def ensure(self, actor: Profile | None, ctx: GroupContext, target: Member) -> None:
        """Every action on a member passes here, whichever path it comes by."""
        if actor is not None and target.telegram_id == actor.user.telegram_id:
            raise InvalidInput("mod-target-self")
        if ctx.area is None:
            raise InvalidInput("group-not-linked")
        if await self._protection.covers(target.telegram_id, ctx.area):
            raise PermissionDenied("mod-target-protected")
