"""Mutes and bans: by a moderator's command, or from the review queue's buttons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.access import Profile
from services.groups import GroupContext, GroupService
from services.moderation_model import GroupActions, Member
from services.moderation_targets import GroupAudit, Targets, acted, until_after


class Sanctions:
    """Mute, unmute, ban and unban a member, by command or from the review queue."""

    def __init__(
        self, groups: GroupService, actions: GroupActions, targets: Targets, audit: GroupAudit
    ) -> None:
        self._groups = groups
        self._actions = actions
        self._targets = targets
        self._audit = audit

    async def mute(
        self,
        actor: Profile,
        chat_id: int,
        target: Member,
        minutes: int | None = None,
        *,
        ctx: GroupContext | None = None,
        review_item: int | None = None,
    ) -> datetime:
        """``ctx``: the group's context when the caller already checked the target (a review
        queue button, ``review_item`` its item)."""
        ctx = ctx or await self._targets.checked(actor, chat_id, target)
        until = until_after(minutes or ctx.settings.mute_minutes)
        acted(await self._actions.restrict(chat_id, target.telegram_id, until))
        after = {"until": until.isoformat(), **_item(review_item)}
        await self._audit.record("mod.mute", actor, ctx, target, after=after)
        return until

    async def unmute(self, actor: Profile, chat_id: int, target: Member) -> None:
        ctx = await self._groups.require(actor, chat_id)
        acted(await self._actions.unrestrict(chat_id, target.telegram_id))
        await self._audit.record("mod.unmute", actor, ctx, target)

    async def ban(
        self,
        actor: Profile,
        chat_id: int,
        target: Member,
        *,
        ctx: GroupContext | None = None,
        review_item: int | None = None,
    ) -> None:
        ctx = ctx or await self._targets.checked(actor, chat_id, target)
        acted(await self._actions.ban(chat_id, target.telegram_id))
        await self._audit.record("mod.ban", actor, ctx, target, after=_item(review_item) or None)

    async def unban(self, actor: Profile, chat_id: int, target: Member) -> None:
        ctx = await self._groups.require(actor, chat_id)
        acted(await self._actions.unban(chat_id, target.telegram_id))
        await self._audit.record("mod.unban", actor, ctx, target)


def _item(review_item: int | None) -> dict[str, Any]:
    return {} if review_item is None else {"review_item": review_item}
