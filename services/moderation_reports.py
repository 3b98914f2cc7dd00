"""Member reports: members flag a group message; enough distinct reporters hide it pending
review. A report against a protected member goes to the police of the area instead."""

from __future__ import annotations

from typing import Any

from services.access import Profile
from services.errors import InvalidInput
from services.groups import GroupContext, GroupService
from services.moderation_model import FlaggedMessage, FlagOutcome, GroupActions
from services.moderation_targets import GroupAudit
from services.police import PoliceNotices
from services.ports import OutgoingMessage
from services.protection import Protection
from services.review import enqueue_in
from services.text_input import clip
from storage.models import ReviewKind, ReviewStatus
from storage.repositories.moderation import ReviewRepository
from storage.repositories.users import UserRepository
from storage.uow import Sessions, transaction

TO_POLICE = "protected_member"
"""Reason of the (closed) item that records reports against a protected member: never in
the queue; it keeps who reported (privately) so the police are told once per message."""


class MemberReports:
    def __init__(
        self,
        sessions: Sessions,
        groups: GroupService,
        actions: GroupActions,
        protection: Protection,
        police: PoliceNotices,
        audit: GroupAudit,
    ) -> None:
        self._sessions = sessions
        self._groups = groups
        self._actions = actions
        self._protection = protection
        self._police = police
        self._audit = audit

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
                await self._audit.record(
                    "mod.hide",
                    None,
                    ctx,
                    message.sender,
                    session=session,
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
                await self._audit.record(
                    "mod.report_to_police",
                    None,
                    ctx,
                    message.sender,
                    session=session,
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
