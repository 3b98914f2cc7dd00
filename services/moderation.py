"""Keeping neighbourhood groups clean: member reports, warnings, mutes, bans and the flood guard.

Rights: moderators (or police/admins, roles nest) of the group's area. Every action that
changes something in a group is written to the audit log *after* Telegram accepted it, so the
log never claims a mute that did not happen.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from services.access import Profile
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.groups import GroupContext, GroupService
from services.moderation_model import (
    FlaggedMessage,
    FlagOutcome,
    FloodOutcome,
    FloodTracker,
    GroupActions,
    Member,
    WarnOutcome,
    describe_group_item,
)
from services.police import PoliceNotices
from services.ports import OutgoingMessage
from services.protection import Protection, shields
from services.review import ReviewAction, ReviewKindSpec, enqueue_in
from services.text_input import clip
from services.users import username_holder
from storage.models import ReviewKind, ReviewStatus, Role
from storage.repositories.audit import AuditRepository
from storage.repositories.moderation import ReviewItemDTO, ReviewRepository, WarningRepository
from storage.repositories.users import UserRepository
from storage.types import utcnow
from storage.uow import Session, Sessions, transaction

MAX_REASON = 500
TO_POLICE = "protected_member"
"""Reason of the (closed) item that records reports against a protected member: never in
the queue; it keeps who reported (privately) so the police are told once per message."""


class ModerationService:
    def __init__(
        self,
        sessions: Sessions,
        groups: GroupService,
        actions: GroupActions,
        protection: Protection,
        police: PoliceNotices,
        *,
        clock: Any = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._groups = groups
        self._actions = actions
        self._protection = protection
        self._police = police
        self._clock = clock
        self.flood = FloodTracker()

    def review_spec(self) -> ReviewKindSpec:
        """The review queue's ``group_message`` kind: what a moderator may do with a flagged
        message (the review service is built with it)."""
        return ReviewKindSpec(
            kind=ReviewKind.GROUP_MESSAGE,
            role=Role.MODERATOR,
            describe=describe_group_item,
            actions=(
                ReviewAction(
                    "dismiss",
                    "review-button-dismiss",
                    self._review_dismiss,
                    ReviewStatus.DISMISSED,
                ),
                ReviewAction(
                    "delete",
                    "review-button-delete",
                    self._review_delete,
                    check=self._review_target_allowed,
                ),
                ReviewAction(
                    "warn",
                    "review-button-warn",
                    self._review_warn,
                    check=self._review_target_allowed,
                ),
                ReviewAction(
                    "mute",
                    "review-button-mute",
                    self._review_mute,
                    check=self._review_target_allowed,
                ),
                ReviewAction(
                    "ban",
                    "review-button-ban",
                    self._review_ban,
                    check=self._review_target_allowed,
                ),
            ),
        )

    # -- helpers ---------------------------------------------------------------------------
    async def _audit(
        self,
        action: str,
        actor: Profile | None,
        ctx: GroupContext,
        target: Member | None,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        async with transaction(self._sessions) as session:
            await self._audit_in(session, action, actor, ctx, target, before=before, after=after)

    @staticmethod
    async def _audit_in(
        session: Session,
        action: str,
        actor: Profile | None,
        ctx: GroupContext,
        target: Member | None,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
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

    async def _target_checked(self, actor: Profile, chat_id: int, target: Member) -> GroupContext:
        ctx = await self._groups.require(actor, chat_id)
        await self._ensure_target(actor, ctx, target)
        return ctx

    async def _ensure_target(
        self, actor: Profile | None, ctx: GroupContext, target: Member
    ) -> None:
        """Every action on a member passes here, whichever path it comes by."""
        if actor is not None and target.telegram_id == actor.user.telegram_id:
            raise InvalidInput("mod-target-self")
        if ctx.area is None:
            raise InvalidInput("group-not-linked")
        if await self._protection.covers(target.telegram_id, ctx.area):
            raise PermissionDenied("mod-target-protected")

    @staticmethod
    def _until(minutes: int) -> datetime:
        return utcnow() + timedelta(minutes=minutes)

    async def _do(self, ok: bool) -> None:
        if not ok:
            raise InvalidInput("mod-bot-cannot-act")

    # -- member reports ------------------------------------------------------------------
    async def flag_message(
        self, reporter: Profile, chat_id: int, message: FlaggedMessage
    ) -> FlagOutcome:
        """A member reports a group message. N distinct members hide it pending review."""
        ctx = await self._groups.context(chat_id)
        if ctx is None or ctx.area is None:
            raise InvalidInput("group-not-linked")
        if message.sender.is_bot:
            raise InvalidInput("mod-report-bot")
        if message.sender.telegram_id == reporter.user.telegram_id:
            raise InvalidInput("mod-report-self")
        if await self._protection.covers(message.sender.telegram_id, ctx.area):
            return await self._report_to_police(reporter, ctx, message)
        threshold = ctx.settings.report_threshold
        async with transaction(self._sessions) as session:
            repo = ReviewRepository(session)
            item = await repo.open_for_message(chat_id, message.message_id, "reported")
            if item is None:
                subject = await UserRepository(session).ensure_telegram_id(
                    message.sender.telegram_id
                )
                item = await enqueue_in(
                    session,
                    kind=ReviewKind.GROUP_MESSAGE,
                    area_id=ctx.area.id,
                    reason="reported",
                    **_flagged_fields(ctx, message, subject.id),
                )
            new_flag, count = await repo.add_flag(item.id, reporter.user.id)
        hide = count >= threshold and not item.hidden
        if hide and await self._actions.delete_message(chat_id, message.message_id):
            async with transaction(self._sessions) as session:
                await ReviewRepository(session).set_hidden(item.id)
                await self._audit_in(
                    session,
                    "mod.hide",
                    None,
                    ctx,
                    message.sender,
                    after={
                        "message_id": message.message_id,
                        "review_item": item.id,
                        "reports": count,
                    },
                )
        else:
            hide = False
        return FlagOutcome(item.id, count, threshold, new_flag, hide)

    async def _report_to_police(
        self, reporter: Profile, ctx: GroupContext, message: FlaggedMessage
    ) -> FlagOutcome:
        """A report against a protected member: recorded (closed, never in the queue) and
        handed to the police of the area once per message; the reporter's name stays out."""
        assert ctx.area is not None
        chat_id = ctx.chat.telegram_chat_id
        async with transaction(self._sessions) as session:
            repo = ReviewRepository(session)
            item = await repo.for_message(chat_id, message.message_id, TO_POLICE)
            first = item is None
            if item is None:
                subject = await UserRepository(session).ensure_telegram_id(
                    message.sender.telegram_id
                )
                item = await repo.add(
                    kind=ReviewKind.GROUP_MESSAGE,
                    area_id=ctx.area.id,
                    reason=TO_POLICE,
                    status=ReviewStatus.RESOLVED,
                    resolution="police",
                    **_flagged_fields(ctx, message, subject.id),
                )
            new_flag, count = await repo.add_flag(item.id, reporter.user.id)
            if first:
                await self._audit_in(
                    session,
                    "mod.report_to_police",
                    None,
                    ctx,
                    message.sender,
                    after={"message_id": message.message_id, "review_item": item.id},
                )
        if first:
            await self._police.tell(
                ctx.area,
                OutgoingMessage(
                    "mod-report-protected-police",
                    {
                        "name": message.sender.name,
                        "group": ctx.chat.title or str(chat_id),
                        "area": ctx.area.name,
                        "text": clip(message.text, 1500).text or "—",
                    },
                ),
            )
        threshold = ctx.settings.report_threshold
        return FlagOutcome(item.id, count, threshold, new_flag, False, to_police=True)

    # -- warnings ----------------------------------------------------------------------------
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
        (the command message) makes it happen once however often that message is handled."""
        if ctx is None:
            assert actor is not None
            ctx = await self._target_checked(actor, chat_id, target)
        limit = ctx.settings.warn_limit
        reason = (clip(reason, MAX_REASON).text or None) if reason else None
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).ensure_telegram_id(target.telegram_id)
            count = await WarningRepository(session).add(
                chat_id, user.id, actor.user.id if actor else None, reason, source_message_id
            )
            if count is None:
                return WarnOutcome(0, limit, None, repeated=True)
            await self._audit_in(
                session,
                "mod.warn",
                actor,
                ctx,
                target,
                before={"warnings": count - 1},
                after={"warnings": count, "reason": reason},
            )
        if count < limit:
            return WarnOutcome(count, limit, None)
        until = self._until(ctx.settings.warn_mute_minutes)
        if not await self._actions.restrict(chat_id, target.telegram_id, until):
            return WarnOutcome(count, limit, None, mute_failed=True)
        async with transaction(self._sessions) as session:
            await WarningRepository(session).reset(chat_id, user.id)
            await self._audit_in(
                session,
                "mod.mute",
                actor,
                ctx,
                target,
                after={"until": until.isoformat(), "because": "warn_limit"},
            )
        return WarnOutcome(count, limit, until)

    async def member_named(self, actor: Profile, chat_id: int, username: str) -> Member:
        """The member a command in ``chat_id`` names by "@username": someone the bot has seen
        write (the Bot API has no look-up by username). Only a moderator of the group's area
        may ask: nobody else learns whether the bot knows a username."""
        await self._groups.require(actor, chat_id)
        async with transaction(self._sessions) as session:
            user = await username_holder(session, username)
        if user is None or user.telegram_id is None:
            raise NotFound("mod-user-unknown", username=username[:64])
        return Member(user.telegram_id, user.display_name, False, user.username)

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
            await self._audit_in(
                session,
                "mod.unwarn",
                actor,
                ctx,
                target,
                before={"warnings": remaining + 1},
                after={"warnings": remaining},
            )
        return remaining

    # -- mute / ban ----------------------------------------------------------------------
    async def mute(
        self, actor: Profile, chat_id: int, target: Member, minutes: int | None = None
    ) -> datetime:
        ctx = await self._target_checked(actor, chat_id, target)
        until = self._until(minutes or ctx.settings.mute_minutes)
        await self._do(await self._actions.restrict(chat_id, target.telegram_id, until))
        await self._audit("mod.mute", actor, ctx, target, after={"until": until.isoformat()})
        return until

    async def unmute(self, actor: Profile, chat_id: int, target: Member) -> None:
        ctx = await self._groups.require(actor, chat_id)
        await self._do(await self._actions.unrestrict(chat_id, target.telegram_id))
        await self._audit("mod.unmute", actor, ctx, target)

    async def ban(self, actor: Profile, chat_id: int, target: Member) -> None:
        ctx = await self._target_checked(actor, chat_id, target)
        await self._do(await self._actions.ban(chat_id, target.telegram_id))
        await self._audit("mod.ban", actor, ctx, target)

    async def unban(self, actor: Profile, chat_id: int, target: Member) -> None:
        ctx = await self._groups.require(actor, chat_id)
        await self._do(await self._actions.unban(chat_id, target.telegram_id))
        await self._audit("mod.unban", actor, ctx, target)

    # -- flood guard -------------------------------------------------------------------
    async def note_message(
        self, sender: Profile | None, chat_id: int, member: Member, message_id: int, text: str
    ) -> FloodOutcome | None:
        """Count a group message; a member over the limit is muted and queued for review."""
        ctx = await self._groups.context(chat_id)
        if ctx is None or ctx.area is None or member.is_bot:
            return None
        if sender is not None and shields(sender, ctx.area):
            return None
        settings = ctx.settings
        if not self.flood.hit(
            chat_id,
            member.telegram_id,
            settings.flood_messages,
            settings.flood_seconds,
            self._clock(),
        ):
            return None
        self.flood.reset(chat_id, member.telegram_id)
        if sender is None and await self._protection.covers(member.telegram_id, ctx.area):
            return None
        until = self._until(settings.flood_mute_minutes)
        if not await self._actions.restrict(chat_id, member.telegram_id, until):
            return None
        async with transaction(self._sessions) as session:
            subject = await UserRepository(session).ensure_telegram_id(member.telegram_id)
            item = await enqueue_in(
                session,
                kind=ReviewKind.GROUP_MESSAGE,
                area_id=ctx.area.id,
                reason="flood",
                chat_id=chat_id,
                message_id=message_id,
                subject_user_id=subject.id,
                subject_name=member.name[:255],
                text=text,
                details={
                    "chat_title": ctx.chat.title,
                    "subject_telegram_id": member.telegram_id,
                    "messages": settings.flood_messages,
                    "seconds": settings.flood_seconds,
                },
            )
            await self._audit_in(
                session,
                "mod.mute",
                None,
                ctx,
                member,
                after={"until": until.isoformat(), "because": "flood", "review_item": item.id},
            )
        return FloodOutcome(until, item.id)

    # -- review queue actions (group_message) -----------------------------------------------
    async def _item_ctx(self, item: ReviewItemDTO) -> tuple[GroupContext, Member]:
        if item.chat_id is None:
            raise InvalidInput("review-item-no-chat")
        ctx = await self._groups.context(item.chat_id)
        if ctx is None:
            raise InvalidInput("review-item-no-chat")
        subject = item.subject_telegram_id
        if subject is None:
            raise InvalidInput("review-item-no-chat")
        return ctx, Member(subject, item.subject_name or "?")

    async def _review_target_allowed(self, actor: Profile, item: ReviewItemDTO) -> None:
        """Checked before a queue button acts: the member may have been protected all along
        (an item queued before the rule) or have become so since it was queued."""
        ctx, member = await self._item_ctx(item)
        await self._ensure_target(actor, ctx, member)

    async def _review_dismiss(self, actor: Profile, item: ReviewItemDTO) -> None:
        # Telegram cannot restore a deleted message; dismissing keeps the copy and ends it.
        return None

    async def _review_delete(self, actor: Profile, item: ReviewItemDTO) -> None:
        ctx, member = await self._item_ctx(item)
        if not item.hidden and item.message_id is not None:
            await self._do(
                await self._actions.delete_message(ctx.chat.telegram_chat_id, item.message_id)
            )
        await self._audit(
            "mod.delete",
            actor,
            ctx,
            member,
            after={"message_id": item.message_id, "review_item": item.id},
        )

    async def _review_warn(self, actor: Profile, item: ReviewItemDTO) -> None:
        ctx, member = await self._item_ctx(item)
        await self.warn(actor, ctx.chat.telegram_chat_id, member, f"#{item.id}", ctx=ctx)

    async def _review_mute(self, actor: Profile, item: ReviewItemDTO) -> None:
        ctx, member = await self._item_ctx(item)
        until = self._until(ctx.settings.mute_minutes)
        await self._do(
            await self._actions.restrict(ctx.chat.telegram_chat_id, member.telegram_id, until)
        )
        await self._audit(
            "mod.mute",
            actor,
            ctx,
            member,
            after={"until": until.isoformat(), "review_item": item.id},
        )

    async def _review_ban(self, actor: Profile, item: ReviewItemDTO) -> None:
        ctx, member = await self._item_ctx(item)
        await self._do(await self._actions.ban(ctx.chat.telegram_chat_id, member.telegram_id))
        await self._audit("mod.ban", actor, ctx, member, after={"review_item": item.id})


def _flagged_fields(ctx: GroupContext, message: FlaggedMessage, subject_id: int) -> dict[str, Any]:
    """What a review item records of a flagged group message, for the queue and for the
    police alike."""
    return {
        "chat_id": ctx.chat.telegram_chat_id,
        "message_id": message.message_id,
        "subject_user_id": subject_id,
        "subject_name": message.sender.name[:255],
        "text": message.text,
        "details": {
            "chat_title": ctx.chat.title,
            "subject_telegram_id": message.sender.telegram_id,
        },
    }
