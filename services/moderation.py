"""Keeping neighbourhood groups clean: member reports, warnings, mutes, bans and the flood guard.

Rights: moderators (or police/admins, roles nest) of the group's area. Every action that
changes something in a group is written to the audit log *after* Telegram accepted it, so the
log never claims a mute that did not happen.
"""

from __future__ import annotations

import collections
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from services.access import ROLE_IMPLIES, Profile
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.groups import GroupContext, GroupService
from services.ports import L10n
from services.review import ReviewAction, ReviewKindSpec, ReviewService, enqueue_in
from services.text_input import clip
from storage.dto import AreaDTO
from storage.models import ReviewKind, ReviewStatus, Role
from storage.repositories.audit import AuditRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.moderation import ReviewItemDTO, ReviewRepository, WarningRepository
from storage.repositories.users import UserRepository
from storage.types import utcnow
from storage.uow import Session, Sessions, transaction

MAX_REASON = 500


class GroupActions(Protocol):
    """What moderation needs from the chat platform. Each returns False when the platform
    refused (typically: the bot is not an admin of the group)."""

    async def delete_message(self, chat_id: int, message_id: int) -> bool: ...

    async def restrict(self, chat_id: int, user_id: int, until: datetime | None) -> bool: ...

    async def unrestrict(self, chat_id: int, user_id: int) -> bool: ...

    async def ban(self, chat_id: int, user_id: int) -> bool: ...

    async def unban(self, chat_id: int, user_id: int) -> bool: ...

    async def kick(self, chat_id: int, user_id: int) -> bool: ...


class DeferredGroupActions:
    """Built with the services; the surface attaches the real implementation once the bot
    exists (offline CLI commands never attach one, and must not moderate)."""

    def __init__(self) -> None:
        self._impl: GroupActions | None = None

    def attach(self, impl: GroupActions) -> None:
        self._impl = impl

    @property
    def impl(self) -> GroupActions:
        if self._impl is None:
            raise RuntimeError("no chat platform attached: this process cannot moderate")
        return self._impl

    async def delete_message(self, chat_id: int, message_id: int) -> bool:
        return await self.impl.delete_message(chat_id, message_id)

    async def restrict(self, chat_id: int, user_id: int, until: datetime | None) -> bool:
        return await self.impl.restrict(chat_id, user_id, until)

    async def unrestrict(self, chat_id: int, user_id: int) -> bool:
        return await self.impl.unrestrict(chat_id, user_id)

    async def ban(self, chat_id: int, user_id: int) -> bool:
        return await self.impl.ban(chat_id, user_id)

    async def unban(self, chat_id: int, user_id: int) -> bool:
        return await self.impl.unban(chat_id, user_id)

    async def kick(self, chat_id: int, user_id: int) -> bool:
        return await self.impl.kick(chat_id, user_id)


@dataclass(frozen=True, slots=True)
class Member:
    """A group member as the platform describes them."""

    telegram_id: int
    name: str
    is_bot: bool = False
    username: str | None = None


@dataclass(frozen=True, slots=True)
class FlaggedMessage:
    message_id: int
    sender: Member
    text: str


@dataclass(frozen=True, slots=True)
class FlagOutcome:
    item_id: int
    count: int
    threshold: int
    new_flag: bool
    hidden: bool
    """The message was deleted from the group by this flag."""


@dataclass(frozen=True, slots=True)
class WarnOutcome:
    count: int
    limit: int
    muted_until: datetime | None
    mute_failed: bool = False
    repeated: bool = False
    """The command was handled before (redelivered after a crash): nothing was added."""


@dataclass(frozen=True, slots=True)
class FloodOutcome:
    muted_until: datetime
    item_id: int


class FloodTracker:
    """Messages per (chat, member) in a sliding window, in memory.

    Memory stays bounded: a member's deque holds at most ``limit`` timestamps, and members
    silent for longer than the window are dropped every ``SWEEP_EVERY`` calls.
    """

    SWEEP_EVERY = 1000

    def __init__(self) -> None:
        self._seen: dict[tuple[int, int], collections.deque[float]] = {}
        self._calls = 0

    def hit(self, chat_id: int, user_id: int, limit: int, window_s: float, now: float) -> bool:
        """Record one message; True when this makes ``limit`` messages within the window."""
        self._calls += 1
        if self._calls % self.SWEEP_EVERY == 0:
            self._sweep(now, window_s)
        stamps = self._seen.setdefault((chat_id, user_id), collections.deque(maxlen=limit))
        if stamps.maxlen != limit:
            stamps = collections.deque(stamps, maxlen=limit)
            self._seen[(chat_id, user_id)] = stamps
        stamps.append(now)
        return len(stamps) >= limit and now - stamps[0] <= window_s

    def reset(self, chat_id: int, user_id: int) -> None:
        self._seen.pop((chat_id, user_id), None)

    def _sweep(self, now: float, window_s: float) -> None:
        stale = [k for k, v in self._seen.items() if not v or now - v[-1] > max(window_s, 60)]
        for key in stale:
            del self._seen[key]

    def __len__(self) -> int:
        return len(self._seen)


async def _protected(session: Session, telegram_id: int, area: AreaDTO) -> bool:
    """Moderators, police and admins of the area are not moderated by their peers' tools."""
    user = await UserRepository(session).get_by_telegram_id(telegram_id)
    if user is None:
        return False
    grants = await GrantRepository(session).for_user(user.id)
    return any(Role.MODERATOR in ROLE_IMPLIES[g.role] and g.area.contains(area) for g in grants)


def describe_group_item(item: ReviewItemDTO, area: AreaDTO | None) -> tuple[str, dict[str, Any]]:
    return "review-card-group", {
        "id": item.id,
        "group": str(item.details.get("chat_title") or item.chat_id or "?"),
        "area": area.name if area else "?",
        "reason": L10n("review-reason", {"reason": item.reason}),
        "name": item.subject_name or "?",
        "count": item.flag_count,
        "hidden": "yes" if item.hidden else "no",
        "text": item.text[:1500] or "—",
        "indicators": ", ".join(item.details.get("indicators", [])) or "—",
    }


class ModerationService:
    def __init__(
        self,
        sessions: Sessions,
        groups: GroupService,
        review: ReviewService,
        actions: GroupActions,
        *,
        clock: Any = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._groups = groups
        self._actions = actions
        self._clock = clock
        self.flood = FloodTracker()
        review.register(
            ReviewKindSpec(
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
                    ReviewAction("delete", "review-button-delete", self._review_delete),
                    ReviewAction("warn", "review-button-warn", self._review_warn),
                    ReviewAction("mute", "review-button-mute", self._review_mute),
                    ReviewAction("ban", "review-button-ban", self._review_ban),
                ),
            )
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
        assert ctx.area is not None
        if target.telegram_id == actor.user.telegram_id:
            raise InvalidInput("mod-target-self")
        async with transaction(self._sessions) as session:
            if await _protected(session, target.telegram_id, ctx.area):
                raise PermissionDenied("mod-target-protected")
        return ctx

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
                    chat_id=chat_id,
                    message_id=message.message_id,
                    subject_user_id=subject.id,
                    subject_name=message.sender.name[:255],
                    text=message.text,
                    details={
                        "chat_title": ctx.chat.title,
                        "subject_telegram_id": message.sender.telegram_id,
                    },
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
            user = await UserRepository(session).get_by_username(username)
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
        if sender is not None and sender.can(Role.MODERATOR, ctx.area):
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


__all__ = [
    "DeferredGroupActions",
    "FlagOutcome",
    "FlaggedMessage",
    "FloodOutcome",
    "FloodTracker",
    "GroupActions",
    "Member",
    "ModerationService",
    "WarnOutcome",
]
