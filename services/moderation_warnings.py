"""Warnings: one more per command, and at the group's limit a mute."""

from __future__ import annotations

from services.access import Profile
from services.errors import InvalidInput
from services.groups import GroupContext, GroupService
from services.moderation_model import GroupActions, Member, WarnOutcome
from services.moderation_targets import GroupAudit, Targets, until_after
from services.text_input import clip
from storage.repositories.moderation import WarningRepository
from storage.repositories.users import UserRepository
from storage.uow import Sessions, transaction

MAX_REASON = 500


class Warnings:
    def __init__(
        self,
        sessions: Sessions,
        groups: GroupService,
        actions: GroupActions,
        targets: Targets,
        audit: GroupAudit,
    ) -> None:
        self._sessions = sessions
        self._groups = groups
        self._actions = actions
        self._targets = targets
        self._audit = audit

    async def warn(
        self,
        actor: Profile | None,
        chat_id: int,
        target: Member,
        reason: str | None = None,
        *,
        ctx: GroupContext | None = None,
        source_message_id: int | None = None,
    ) -> WarnOutcome:
        """One more warning; at the group's limit the member is muted. ``source_message_id``
        (the command message) makes it happen once however often that message is handled.
        ``ctx``: the group's context when the caller already checked the target."""
        if ctx is None:
            assert actor is not None
            ctx = await self._targets.checked(actor, chat_id, target)
        limit = ctx.settings.warn_limit
        reason = (clip(reason, MAX_REASON).text or None) if reason else None
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).ensure_telegram_id(target.telegram_id)
            count = await WarningRepository(session).add(
                chat_id, user.id, actor.user.id if actor else None, reason, source_message_id
            )
            if count is None:
                return WarnOutcome(0, limit, None, repeated=True)
            await self._audit.record(
                "mod.warn",
                actor,
                ctx,
                target,
                session=session,
                before={"warnings": count - 1},
                after={"warnings": count, "reason": reason},
            )
        if count < limit:
            return WarnOutcome(count, limit, None)
        until = until_after(ctx.settings.warn_mute_minutes)
        if not await self._actions.restrict(chat_id, target.telegram_id, until):
            return WarnOutcome(count, limit, None, mute_failed=True)
        async with transaction(self._sessions) as session:
            await WarningRepository(session).reset(chat_id, user.id)
            await self._audit.record(
                "mod.mute",
                actor,
                ctx,
                target,
                session=session,
                after={"until": until.isoformat(), "because": "warn_limit"},
            )
        return WarnOutcome(count, limit, until)

    async def unwarn(
        self, actor: Profile, chat_id: int, target: Member, source_message_id: int | None = None
    ) -> int:
        """Lift the newest warning; the remaining count. ``source_message_id`` (the command
        message) lifts one however often that message is handled."""
        ctx = await self._groups.require(actor, chat_id)
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).ensure_telegram_id(target.telegram_id)
            warnings = WarningRepository(session)
            if source_message_id is not None and await warnings.lifted_by(
                chat_id, source_message_id
            ):
                return await warnings.count(chat_id, user.id)
            remaining = await warnings.remove_latest(chat_id, user.id, source_message_id)
            if remaining is None:
                raise InvalidInput("mod-no-warnings", name=target.name)
            await self._audit.record(
                "mod.unwarn",
                actor,
                ctx,
                target,
                session=session,
                before={"warnings": remaining + 1},
                after={"warnings": remaining},
            )
        return remaining
