"""The anonymous two-way relay between an officer and the person who sent a tip, and the
"next message" the bot waits for (an outcome note, a reason, a question, an answer).

The reporter sees "Công an <area> hỏi về tin TB-…", never the officer's account; the officer
sees "Trả lời về tin TB-…", never the reporter's. Both directions are stored with the tip, with
the Telegram message ids of both sides, so replying to a relayed message continues the thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from services import rate_limits
from services.access import Profile
from services.areas import police_unit
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.inbox_actions import InboxActions
from services.inbox_guard import InboxGuard
from services.ports import (
    DeliveryStatus,
    InlineButton,
    L10n,
    MediaRef,
    OutgoingMessage,
    RateLimiter,
    Recipient,
)
from services.reach import PersonReacher
from services.text_input import clip, has_visible
from services.tip_card_tracker import CardTracker, UntrackedCards
from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO
from storage.hotpath import HotPath, SessionHotPath
from storage.models import PendingAction, RelayDirection
from storage.rate_limits import DatabaseRateLimiter
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.relay import (
    PendingDTO,
    PendingRepository,
    RelayDTO,
    RelayRepository,
    has_pending,
)
from storage.repositories.tips import TipRepository
from storage.repositories.users import UserRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)

MAX_RELAY_TEXT = 2000
QUESTION_SENT = "relay-question"
"""The outbox step that records a relayed question's message id (:func:`question_sent`)."""
ANSWER_SENT = "relay-answer"
"""The outbox step that records a relayed answer's message id (:func:`answer_sent`)."""
PENDING_TTL = timedelta(hours=12)
"""A request for "your next message" older than this is forgotten: a message sent a day
later is most likely about something else."""


async def question_sent(session: Any, relay_id: int, message_id: int | None) -> None:
    """A question reached the reporter (maybe later, through the outbox): remember the
    message, so that replying to it threads back to the tip."""
    await RelayRepository(session).set_delivered(relay_id, reporter_message_id=message_id)


async def answer_sent(session: Any, relay_id: int, message_id: int | None) -> None:
    """An answer reached the police chat: replying to it there asks the reporter again."""
    await RelayRepository(session).set_delivered(relay_id, police_message_id=message_id)


RELAY_AFTER_SENT = {QUESTION_SENT: question_sent, ANSWER_SENT: answer_sent}
"""The relay's outbox steps, for :class:`services.reach.PersonReacher`."""


@dataclass(frozen=True, slots=True)
class Incoming:
    """A message someone sent, as the relay needs it."""

    chat_id: int
    message_id: int
    text: str
    media: MediaRef | None = None
    reply_to_message_id: int | None = None
    reply_to_bot: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """What to answer the sender with (a catalogue key and args)."""

    key: str
    args: dict[str, Any] = field(default_factory=dict)
    report_id: int | None = None


@dataclass(frozen=True, slots=True)
class Prompt:
    code: str
    action: PendingAction
    report_id: int
    version: int | None


class RelayService:
    def __init__(
        self,
        sessions: Sessions,
        reacher: PersonReacher,
        guard: InboxGuard,
        inbox: InboxActions,
        *,
        default_language: str,
        hot: HotPath | None = None,
        limiter: RateLimiter | None = None,
        cards: CardTracker | None = None,
    ) -> None:
        self._cards = cards or UntrackedCards()
        self._sessions = sessions
        self._hot = hot or SessionHotPath(sessions)
        self._limiter = limiter or DatabaseRateLimiter(self._hot)
        self._reacher = reacher
        self._guard = guard
        self._inbox = inbox
        self._default_language = default_language

    # -- asking for the next message -------------------------------------------------------
    async def request(
        self,
        profile: Profile,
        action: PendingAction,
        report_id: int,
        version: int | None,
        *,
        chat_id: int,
        anchor_message_id: int | None,
    ) -> Prompt:
        """An officer pressed "Đã xử lý" / "Không xác thực" / "Trả lời người báo": check now
        (rights, state, version) and wait for their next message in this chat."""
        name = {
            PendingAction.HANDLED_NOTE: "handled",
            PendingAction.REJECT_REASON: "reject",
            PendingAction.RELAY_QUESTION: "reply",
        }[action]
        checked = await self._guard.check(profile, name, report_id, version, chat_id=chat_id)
        report = checked.report
        if action is PendingAction.RELAY_QUESTION:
            await self._reporter_recipient(report)  # refuse early when nobody can be asked
        async with transaction(self._sessions) as session:
            await PendingRepository(session).put(
                chat_id=chat_id,
                user_id=profile.user.id,
                action=action,
                report_id=report.id,
                version=version if version is not None else report.version,
                anchor_message_id=anchor_message_id,
            )
        return Prompt(report.code, action, report.id, version)

    async def cancel(self, chat_id: int, user_id: int) -> PendingDTO | None:
        async with transaction(self._sessions) as session:
            return await PendingRepository(session).pop(chat_id, user_id)

    async def start_answer(self, profile: Profile, relay_id: int, chat_id: int) -> str:
        """The reporter pressed "Trả lời" under a question: their next message is the answer."""
        async with transaction(self._sessions) as session:
            question = await self._question(session, relay_id)
            report = await TipRepository(session).get(question.report_id) if question else None
        if (
            question is None
            or report is None
            or report.reporter_user_id != profile.user.id
            or question.reporter_chat_id != chat_id
        ):
            await self._deny(profile, relay_id, report)
            raise PermissionDenied("relay-denied")
        async with transaction(self._sessions) as session:
            await PendingRepository(session).put(
                chat_id=chat_id,
                user_id=profile.user.id,
                action=PendingAction.RELAY_ANSWER,
                report_id=report.id,
                version=None,
                anchor_message_id=question.reporter_message_id,
            )
        return report.code

    @staticmethod
    async def _question(session: Any, relay_id: int) -> RelayDTO | None:
        row = await RelayRepository(session).get(relay_id)
        return row if row is not None and row.direction is RelayDirection.TO_REPORTER else None

    async def _deny(self, profile: Profile, relay_id: int, report: ReportDTO | None) -> None:
        logger.info("relay action refused: relay %s", relay_id)
        async with transaction(self._sessions) as session:
            await AuditRepository(session).add(
                "denied",
                actor_user_id=profile.user.id,
                target_type="report",
                target_id=report.id if report else None,
                area_id=report.area_id if report else None,
                after={"action": "relay-answer", "relay_id": relay_id},
            )

    # -- a message arrived -----------------------------------------------------------------
    async def on_message(
        self, profile: Profile, message: Incoming, *, waiting: bool | None = None
    ) -> Reply | None:
        """Route a message that continues a tip conversation; None when it does not.
        ``waiting``: whether a pending request was found when the update arrived (None: look
        it up here)."""
        if message.reply_to_message_id is not None and message.reply_to_bot:
            async with transaction(self._sessions) as session:
                relay = RelayRepository(session)
                question = await relay.by_reporter_message(
                    message.chat_id, message.reply_to_message_id
                )
                answer = await relay.by_police_message(
                    message.chat_id, message.reply_to_message_id
                )
            if question is not None and question.direction is RelayDirection.TO_REPORTER:
                await self.cancel(message.chat_id, profile.user.id)
                return await self._answer(profile, question, message)
            if answer is not None and answer.direction is RelayDirection.TO_POLICE:
                await self.cancel(message.chat_id, profile.user.id)
                return await self._ask(
                    profile,
                    answer.report_id,
                    message,
                    thread_message_id=answer.thread_message_id or answer.police_message_id,
                )
        if waiting is None:
            waiting = await has_pending(self._hot, message.chat_id, profile.user.id)
        if not waiting:
            return None
        async with transaction(self._sessions) as session:
            pending = await PendingRepository(session).pop(message.chat_id, profile.user.id)
        if pending is None or utcnow() - pending.created_at > PENDING_TTL:
            return None
        if pending.action is PendingAction.RELAY_QUESTION:
            return await self._ask(
                profile, pending.report_id, message, thread_message_id=pending.anchor_message_id
            )
        if pending.action is PendingAction.RELAY_ANSWER:
            async with transaction(self._sessions) as session:
                question = (
                    await RelayRepository(session).by_reporter_message(
                        message.chat_id, pending.anchor_message_id
                    )
                    if pending.anchor_message_id is not None
                    else await RelayRepository(session).latest_question(pending.report_id)
                )
            if question is None:
                raise NotFound("relay-question-missing")
            return await self._answer(profile, question, message)
        action = "handled" if pending.action is PendingAction.HANDLED_NOTE else "reject"
        note = clip(message.text, 1000).text
        if not has_visible(note):
            # A photo or sticker instead of words: keep waiting for the note.
            async with transaction(self._sessions) as session:
                await PendingRepository(session).put(
                    chat_id=pending.chat_id,
                    user_id=pending.user_id,
                    action=pending.action,
                    report_id=pending.report_id,
                    version=pending.version,
                    anchor_message_id=pending.anchor_message_id,
                )
            return Reply("tipact-note-empty")
        outcome = await self._inbox.act(
            profile, action, pending.report_id, pending.version, note=note, chat_id=pending.chat_id
        )
        return Reply(
            "tipact-done",
            {
                "code": outcome.report.code,
                "status": L10n(f"tip-status-{outcome.report.status.value}"),
                "officer": profile.user.display_name,
            },
            report_id=outcome.report.id,
        )

    # -- officer → reporter ---------------------------------------------------------------
    async def ask_from_console(self, profile: Profile, report_id: int, text: str) -> Reply:
        """The console's "ask the reporter": relayed as a question typed in the chat is, with
        the same checks; the answer comes back to the officer's private chat with the bot
        (and shows in the tip's thread on the console)."""
        if profile.user.telegram_id is None:
            raise InvalidInput("web-no-telegram")
        message = Incoming(chat_id=profile.user.telegram_id, message_id=0, text=text)
        return await self._ask(profile, report_id, message, thread_message_id=None)

    async def _ask(
        self,
        profile: Profile,
        report_id: int,
        message: Incoming,
        *,
        thread_message_id: int | None,
    ) -> Reply:
        checked = await self._guard.check(
            profile, "reply", report_id, None, chat_id=message.chat_id
        )
        report = checked.report
        text = clip(message.text, MAX_RELAY_TEXT).text
        if not has_visible(text) and message.media is None:
            raise InvalidInput("relay-empty")
        earlier = None
        if message.message_id:  # 0: asked from the console, no chat message to match
            async with transaction(self._sessions) as session:
                earlier = await RelayRepository(session).by_police_message(
                    message.chat_id, message.message_id
                )
        if earlier is not None and earlier.reporter_message_id is not None:
            # This very message was relayed already (handled again after a crash).
            return Reply("relay-question-sent", {"code": report.code}, report_id=report.id)
        reporter = await self._reporter_recipient(report)
        unit = await self._unit(checked.area)
        async with transaction(self._sessions) as session:
            row = await RelayRepository(session).add(
                report_id=report.id,
                direction=RelayDirection.TO_REPORTER,
                author_user_id=profile.user.id,
                text=text,
                media_kind=message.media.kind.value if message.media else None,
                media_file_id=message.media.file_id if message.media else None,
                police_chat_id=message.chat_id,
                police_message_id=message.message_id or None,
                thread_message_id=thread_message_id,
                reporter_chat_id=reporter.chat_id,
            )
            await AuditRepository(session).add(
                "report.relay_question",
                actor_user_id=profile.user.id,
                target_type="report",
                target_id=report.id,
                area_id=report.area_id,
                after={"relay_id": row.id},
            )
            # Stored with the question (the notice outbox): a 502 or a timeout delays it,
            # never loses it.
            notice = await self._reacher.store(
                session,
                report.reporter_user_id,
                OutgoingMessage(
                    "relay-question",
                    {"unit": unit, "code": report.code, "text": text or L10n("relay-photo-only")},
                    buttons=((InlineButton("relay-button-answer", f"relay:answer:{row.id}"),),),
                    media=(message.media,) if message.media else (),
                ),
                what=QUESTION_SENT,
                report_id=report.id,
                after_sent=(QUESTION_SENT, row.id),
            )
        result = await self._reacher.deliver(notice)
        self._cards.changed(report.id)
        if result.status is DeliveryStatus.RETRY_LATER:
            return Reply("relay-question-queued", {"code": report.code}, report_id=report.id)
        if not result.ok:
            return Reply("relay-undelivered", {"code": report.code}, report_id=report.id)
        logger.info("report %s: question relayed", report.id)
        return Reply("relay-question-sent", {"code": report.code}, report_id=report.id)

    async def _unit(self, area: AreaDTO | None) -> str | L10n:
        """The police unit residents know: the ward (or the nearest level above a tổ dân phố),
        never a person."""
        if area is None:
            return L10n("relay-unit-unknown")
        async with transaction(self._sessions) as session:
            lineage = await AreaRepository(session).get_many(area.ancestor_ids)
        return police_unit(lineage) or area.name

    async def _reporter_recipient(self, report: ReportDTO) -> Recipient:
        to = await self._reacher.recipient_of(report.reporter_user_id)
        if to is None:
            raise InvalidInput("relay-no-reporter", code=report.code)
        return to

    # -- reporter → officer ---------------------------------------------------------------
    async def _answer(self, profile: Profile, question: RelayDTO, message: Incoming) -> Reply:
        async with transaction(self._sessions) as session:
            report = await TipRepository(session).get(question.report_id)
        if report is None or report.reporter_user_id != profile.user.id:
            await self._deny(profile, question.id, report)
            raise PermissionDenied("relay-denied")
        text = clip(message.text, MAX_RELAY_TEXT).text
        if not has_visible(text) and message.media is None:
            raise InvalidInput("relay-empty")
        if question.police_chat_id is None:
            raise NotFound("relay-question-missing")
        async with transaction(self._sessions) as session:
            earlier = await RelayRepository(session).by_reporter_message(
                message.chat_id, message.message_id
            )
        if earlier is not None:
            # This very message was relayed already (handled again after a crash): it was
            # stored with its notice, which the outbox delivers.
            return Reply("relay-answer-sent", {"code": report.code})
        await rate_limits.require(
            self._limiter, rate_limits.RELAY_ANSWERS, f"report:{report.id}", code=report.code
        )
        async with transaction(self._sessions) as session:
            row = await RelayRepository(session).add(
                report_id=report.id,
                direction=RelayDirection.TO_POLICE,
                author_user_id=profile.user.id,
                text=text,
                media_kind=message.media.kind.value if message.media else None,
                media_file_id=message.media.file_id if message.media else None,
                police_chat_id=question.police_chat_id,
                thread_message_id=question.thread_message_id,
                reporter_chat_id=message.chat_id,
                reporter_message_id=message.message_id,
            )
            locale = await self._police_locale(session, question)
            # Stored with the answer (the notice outbox): a 502 or a timeout delays it, never
            # loses it. Threaded under the question or card; sent unthreaded if that is gone.
            notice = await self._reacher.store_for_chat(
                session,
                Recipient(question.police_chat_id, locale),
                OutgoingMessage(
                    "relay-answer",
                    {"code": report.code, "text": text or L10n("relay-photo-only")},
                    media=(message.media,) if message.media else (),
                    reply_to_message_id=question.thread_message_id or question.police_message_id,
                ),
                what=ANSWER_SENT,
                report_id=report.id,
                after_sent=(ANSWER_SENT, row.id),
            )
        result = await self._reacher.deliver(notice)
        self._cards.changed(report.id)
        if result.status is DeliveryStatus.RETRY_LATER:
            return Reply("relay-answer-queued", {"code": report.code})
        if not result.ok:
            return Reply("relay-answer-undelivered", {"code": report.code})
        logger.info("report %s: answer relayed", report.id)
        return Reply("relay-answer-sent", {"code": report.code})

    async def _police_locale(self, session: Any, question: RelayDTO) -> str:
        """Private chat with the officer: their language; a police group: the default."""
        if question.author_user_id is not None and question.police_chat_id:
            officer = await UserRepository(session).get(question.author_user_id)
            if officer is not None and officer.telegram_id == question.police_chat_id:
                return officer.language or self._default_language
        return self._default_language

    async def thread(self, profile: Profile, report_id: int) -> list[RelayDTO]:
        """The whole exchange of a tip (officers of its area only), for their private chat."""
        assert profile.user.telegram_id is not None
        await self._guard.check(profile, "open", report_id, None, chat_id=profile.user.telegram_id)
        async with transaction(self._sessions) as session:
            return await RelayRepository(session).for_report(report_id)
