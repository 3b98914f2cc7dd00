"""Join verification: a new member is restricted until they press "I am human", or removed
when the time runs out. Suspicious newcomers (bot accounts, phone numbers or links in the
name — the usual scam-account habits) are queued for moderators whatever the setting.

Pending verifications live in the database, so a restart re-arms their timers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from services.groups import GroupContext, GroupService
from services.indicators import extract_indicators
from services.moderation_model import GroupActions, Member
from services.ports import InlineButton, OutgoingMessage, Recipient, Sender
from services.protection import Protection
from services.review import enqueue_in
from storage.models import ReviewKind
from storage.repositories.audit import AuditRepository
from storage.repositories.users import UserRepository
from storage.repositories.verification import PendingVerificationDTO, VerificationRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction

CALLBACK_PREFIX = "vf"


def job_name(chat_id: int, user_id: int) -> str:
    """Stable name of the timeout job (one per chat and member)."""
    return f"verify:{chat_id}:{user_id}"


@dataclass(frozen=True, slots=True)
class JoinOutcome:
    pending: PendingVerificationDTO | None
    """Set when the member must press the button before ``pending.deadline``."""
    flagged: tuple[str, ...] = ()


class PressResult(StrEnum):
    VERIFIED = "verified"
    NOT_YOU = "not_you"
    NOT_PENDING = "not_pending"


class VerificationService:
    def __init__(
        self,
        sessions: Sessions,
        groups: GroupService,
        actions: GroupActions,
        sender: Sender,
        protection: Protection,
        *,
        locale: str = "vi",
    ) -> None:
        self._sessions = sessions
        self._groups = groups
        self._actions = actions
        self._sender = sender
        self._protection = protection
        self._locale = locale

    async def member_joined(self, chat_id: int, member: Member) -> JoinOutcome:
        ctx = await self._groups.context(chat_id)
        if ctx is None:
            return JoinOutcome(None)
        if ctx.area is not None and await self._protection.covers(member.telegram_id, ctx.area):
            return JoinOutcome(None)
        flagged = await self._flag_suspicious(ctx, member)
        if not ctx.settings.verify or member.is_bot:
            return JoinOutcome(None, flagged)
        deadline = utcnow() + timedelta(seconds=ctx.settings.verify_seconds)
        if not await self._actions.restrict(chat_id, member.telegram_id, None):
            return JoinOutcome(None, flagged)
        async with transaction(self._sessions) as session:
            await VerificationRepository(session).put(chat_id, member.telegram_id, deadline)
        minutes = max(1, round(ctx.settings.verify_seconds / 60))
        sent = await self._sender.send(
            Recipient(chat_id, self._locale),
            OutgoingMessage(
                "mod-verify-prompt",
                {"name": member.name, "minutes": minutes},
                buttons=(
                    (
                        InlineButton(
                            "mod-verify-button",
                            f"{CALLBACK_PREFIX}:{chat_id}:{member.telegram_id}",
                        ),
                    ),
                ),
            ),
        )
        if sent.message_id is not None:
            async with transaction(self._sessions) as session:
                await VerificationRepository(session).set_prompt(
                    chat_id, member.telegram_id, sent.message_id
                )
        pending = PendingVerificationDTO(chat_id, member.telegram_id, deadline, sent.message_id)
        return JoinOutcome(pending, flagged)

    async def _flag_suspicious(self, ctx: GroupContext, member: Member) -> tuple[str, ...]:
        if ctx.area is None:
            return ()
        reasons: list[str] = []
        found = extract_indicators(member.name)
        if member.is_bot:
            reasons.append("bot_account")
        if found:
            reasons.append("suspicious_name")
        if not reasons:
            return ()
        async with transaction(self._sessions) as session:
            subject = await UserRepository(session).ensure_telegram_id(member.telegram_id)
            for reason in reasons:
                await enqueue_in(
                    session,
                    kind=ReviewKind.GROUP_MESSAGE,
                    area_id=ctx.area.id,
                    reason=reason,
                    chat_id=ctx.chat.telegram_chat_id,
                    subject_user_id=subject.id,
                    subject_name=member.name[:255],
                    text="",
                    details={
                        "chat_title": ctx.chat.title,
                        "subject_telegram_id": member.telegram_id,
                        "indicators": [i.display for i in found],
                        "username": member.username,
                    },
                )
        return tuple(reasons)

    async def press(self, presser_id: int, chat_id: int, user_id: int) -> PressResult:
        """Only the newcomer's own press counts."""
        if presser_id != user_id:
            return PressResult.NOT_YOU
        async with transaction(self._sessions) as session:
            pending = await VerificationRepository(session).pop(chat_id, user_id)
        if pending is None:
            return PressResult.NOT_PENDING
        if not await self._actions.unrestrict(chat_id, user_id):
            # Put it back: the member stays restricted and may press again.
            async with transaction(self._sessions) as session:
                await VerificationRepository(session).put(chat_id, user_id, pending.deadline)
            return PressResult.NOT_PENDING
        if pending.prompt_message_id is not None:
            await self._sender.delete(chat_id, pending.prompt_message_id)
        return PressResult.VERIFIED

    async def expire(self, chat_id: int, user_id: int) -> bool:
        """Time ran out: remove the member (ban + unban, so they may join again later)."""
        async with transaction(self._sessions) as session:
            pending = await VerificationRepository(session).pop(chat_id, user_id)
        if pending is None:
            return False
        ctx = await self._groups.context(chat_id)
        if pending.prompt_message_id is not None:
            await self._sender.delete(chat_id, pending.prompt_message_id)
        area = ctx.area if ctx is not None else None
        if area is not None and await self._protection.covers(user_id, area):
            # Granted a role while the timer ran: let them in rather than remove them.
            await self._actions.unrestrict(chat_id, user_id)
            return False
        kicked = await self._actions.kick(chat_id, user_id)
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).ensure_telegram_id(user_id)
            await AuditRepository(session).add(
                "mod.verify_kick",
                actor_user_id=None,
                target_type="user",
                target_id=user.id,
                area_id=ctx.area.id if ctx and ctx.area else None,
                after={"chat": chat_id, "removed": kicked},
            )
        return kicked

    async def pending(self) -> list[PendingVerificationDTO]:
        async with transaction(self._sessions) as session:
            return await VerificationRepository(session).all()

    @staticmethod
    def delay(pending: PendingVerificationDTO, now: datetime | None = None) -> float:
        """Seconds until the deadline (a little above zero when it already passed)."""
        remaining = (pending.deadline - (now or utcnow())).total_seconds()
        return max(remaining, 0.05)
