"""The flood guard: a member who writes too fast is muted and queued for review."""

from __future__ import annotations

import time
from collections.abc import Callable

from services.access import Profile
from services.groups import GroupService
from services.moderation_model import FloodOutcome, FloodTracker, GroupActions, Member
from services.moderation_targets import GroupAudit, until_after
from services.protection import Protection, shields
from services.review import enqueue_in
from storage.models import ReviewKind
from storage.repositories.users import UserRepository
from storage.uow import Sessions, transaction


class FloodGuard:
    def __init__(
        self,
        sessions: Sessions,
        groups: GroupService,
        actions: GroupActions,
        protection: Protection,
        audit: GroupAudit,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._groups = groups
        self._actions = actions
        self._protection = protection
        self._audit = audit
        self._clock = clock
        self.tracker = FloodTracker()
        """Messages counted in this process (in memory)."""

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
        if not self.tracker.hit(
            chat_id,
            member.telegram_id,
            settings.flood_messages,
            settings.flood_seconds,
            self._clock(),
        ):
            return None
        self.tracker.reset(chat_id, member.telegram_id)
        if sender is None and await self._protection.covers(member.telegram_id, ctx.area):
            return None
        until = until_after(settings.flood_mute_minutes)
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
            await self._audit.record(
                "mod.mute",
                None,
                ctx,
                member,
                session=session,
                after={"until": until.isoformat(), "because": "flood", "review_item": item.id},
            )
        return FloodOutcome(until, item.id)
