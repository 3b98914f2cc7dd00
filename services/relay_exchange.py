"""The anonymous two-way relay between an officer and the person who sent a tip.

The reporter sees "Công an <area> hỏi về tin TB-…", never the officer's account; the officer
sees "Trả lời về tin TB-…", never the reporter's. Both directions are stored with the tip, with
the message ids of both sides, so replying to a relayed message continues the thread. Each
message is stored with its notice in one transaction (the notice outbox): a 502 or a timeout
delays it, never loses it.
"""

from __future__ import annotations

import logging
from typing import Any

from services import rate_limits
from services.access import Profile
from services.areas import police_unit
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.inbox_guard import InboxGuard
from services.ports import (
    DeliveryResult,
    DeliveryStatus,
    InlineButton,
    L10n,
    OutgoingMessage,
    RateLimiter,
    Recipient,
)
from services.reach import PersonReacher
from services.relay_model import MAX_RELAY_TEXT, Incoming, Reply
from services.text_input import clip, has_visible
from services.tip_card_tracker import CardTracker
from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO
from storage.models import RelayDirection
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.relay import RelayDTO, RelayRepository
from storage.repositories.tips import TipRepository
from storage.repositories.users import UserRepository
from storage.uow import Session, Sessions, transaction

logger = logging.getLogger(__name__)

QUESTION_SENT = "relay-question"
"""The outbox step that records a relayed question's message id (:func:`question_sent`)."""
ANSWER_SENT = "relay-answer"
"""The outbox step that records a relayed answer's message id (:func:`answer_sent`)."""


async def question_sent(session: Any, relay_id: int, message_id: int | None) -> None:
    """A question reached the reporter (maybe later, through the outbox): remember the
    message, so that replying to it threads back to the tip."""
    await RelayRepository(session).set_delivered(relay_id, reporter_message_id=message_id)


async def answer_sent(session: Any, relay_id: int, message_id: int | None) -> None:
    """An answer reached the police chat: replying to it there asks the reporter again."""
    await RelayRepository(session).set_delivered(relay_id, police_message_id=message_id)


RELAY_AFTER_SENT = {QUESTION_SENT: question_sent, ANSWER_SENT: answer_sent}
"""The relay's outbox steps, for :class:`services.reach.PersonReacher`."""


def relayed_text(message: Incoming) -> str:
    """The words to relay; InvalidInput when there is nothing to relay (no words, no media)."""
    text = clip(message.text, MAX_RELAY_TEXT).text
    if not has_visible(text) and message.media is None:
        raise InvalidInput("relay-empty")
    return text


class RelayExchange:
    """Officer → reporter (a question) and reporter → officer (an answer)."""

    def __init__(
        self,
        sessions: Sessions,
        reacher: PersonReacher,
        guard: InboxGuard,
        limiter: RateLimiter,
        cards: CardTracker,
        *,
        default_language: str,
    ) -> None:
        self._sessions = sessions
        self._reacher = reacher
        self._guard = guard
        self._limiter = limiter
        self._cards = cards
        self._default_language = default_language

    # -- finding the thread ------------------------------------------------------------------
    async def replied_to(self, chat_id: int, message_id: int) -> RelayDTO | None:
        """The relayed message a reply in ``chat_id`` continues: a question the reporter got,
        or an answer the police chat got (None: not a relayed message)."""
        async with transaction(self._sessions) as session:
            relay = RelayRepository(session)
            question = await relay.by_reporter_message(chat_id, message_id)
            answer = await relay.by_police_message(chat_id, message_id)
        if question is not None and question.direction is RelayDirection.TO_REPORTER:
            return question
        if answer is not None and answer.direction is RelayDirection.TO_POLICE:
            return answer
        return None

    async def question_for(self, report_id: int, chat_id: int, message_id: int | None) -> RelayDTO:
        """The question an awaited answer is for: the one shown at ``message_id`` in the
        reporter's chat, else the tip's latest."""
        async with transaction(self._sessions) as session:
            relay = RelayRepository(session)
            question = (
                await relay.by_reporter_message(chat_id, message_id)
                if message_id is not None
                else await relay.latest_question(report_id)
            )
        if question is None:
            raise NotFound("relay-question-missing")
        return question

    async def answerable(
        self, profile: Profile, relay_id: int, chat_id: int
    ) -> tuple[RelayDTO, ReportDTO]:
        """The question ``relay_id`` and its tip, if ``profile`` reported the tip and got the
        question in ``chat_id`` (PermissionDenied, logged, otherwise)."""
        async with transaction(self._sessions) as session:
            question = await RelayRepository(session).get(relay_id)
            if question is not None and question.direction is not RelayDirection.TO_REPORTER:
                question = None
            report = await TipRepository(session).get(question.report_id) if question else None
        if (
            question is None
            or report is None
            or report.reporter_user_id != profile.user.id
            or question.reporter_chat_id != chat_id
        ):
            await self._deny(profile, relay_id, report)
            raise PermissionDenied("relay-denied")
        return question, report

    async def _deny(self, profile: Profile, relay_id: int, report: ReportDTO | None) -> None:
        logger.info("relay action refused: relay %s", relay_id)
        async with transaction(self._sessions) as session:
            after = {"action": "relay-answer", "relay_id": relay_id}
            if report is None:
                await AuditRepository(session).add(
                    "denied", actor_user_id=profile.user.id, target_type="report", after=after
                )
            else:
                await AuditRepository(session).add_for_report(
                    "denied", report, actor_user_id=profile.user.id, after=after
                )

    async def reporter(self, report: ReportDTO) -> Recipient:
        """Where the reporter is reached; InvalidInput when nobody can be asked."""
        to = await self._reacher.recipient_of(report.reporter_user_id)
        if to is None:
            raise InvalidInput("relay-no-reporter", code=report.code)
        return to

    # -- officer → reporter ---------------------------------------------------------------
    async def ask(
        self,
        profile: Profile,
        report_id: int,
        message: Incoming,
        *,
        thread_message_id: int | None,
    ) -> Reply:
        """Relay ``message`` to the tip's reporter as the police unit's question."""
        checked = await self._guard.check(
            profile, "reply", report_id, None, chat_id=message.chat_id
        )
        report = checked.report
        text = relayed_text(message)
        earlier = None
        if message.message_id:  # 0: asked from the console, no chat message to match
            async with transaction(self._sessions) as session:
                earlier = await RelayRepository(session).by_police_message(
                    message.chat_id, message.message_id
                )
        if earlier is not None and earlier.reporter_message_id is not None:
            # This very message was relayed already (handled again after a crash).
            return Reply("relay-question-sent", {"code": report.code}, report_id=report.id)
        reporter = await self.reporter(report)
        unit = await self._unit(checked.area)
        async with transaction(self._sessions) as session:
            row = await _store(
                session,
                report,
                RelayDirection.TO_REPORTER,
                profile,
                text,
                message,
                police_chat_id=message.chat_id,
                police_message_id=message.message_id or None,
                thread_message_id=thread_message_id,
                reporter_chat_id=reporter.chat_id,
            )
            await AuditRepository(session).add_for_report(
                "report.relay_question",
                report,
                actor_user_id=profile.user.id,
                after={"relay_id": row.id},
            )
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
        result = await self._deliver(notice, report, "question")
        args = {"code": report.code}
        if result.status is DeliveryStatus.RETRY_LATER:
            return Reply("relay-question-queued", args, report_id=report.id)
        if not result.ok:
            return Reply("relay-undelivered", args, report_id=report.id)
        return Reply("relay-question-sent", args, report_id=report.id)

    async def _unit(self, area: AreaDTO | None) -> str | L10n:
        """The police unit residents know: the ward (or the nearest level above a tổ dân phố),
        never a person."""
        if area is None:
            return L10n("relay-unit-unknown")
        async with transaction(self._sessions) as session:
            lineage = await AreaRepository(session).get_many(area.ancestor_ids)
        return police_unit(lineage) or area.name

    # -- reporter → officer ---------------------------------------------------------------
    async def answer(self, profile: Profile, question: RelayDTO, message: Incoming) -> Reply:
        """Relay the reporter's ``message`` to the chat ``question`` was asked from."""
        async with transaction(self._sessions) as session:
            report = await TipRepository(session).get(question.report_id)
        if report is None or report.reporter_user_id != profile.user.id:
            await self._deny(profile, question.id, report)
            raise PermissionDenied("relay-denied")
        text = relayed_text(message)
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
            row = await _store(
                session,
                report,
                RelayDirection.TO_POLICE,
                profile,
                text,
                message,
                police_chat_id=question.police_chat_id,
                thread_message_id=question.thread_message_id,
                reporter_chat_id=message.chat_id,
                reporter_message_id=message.message_id,
            )
            locale = await self._police_locale(session, question)
            # Threaded under the question or card; sent unthreaded if that is gone.
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
        result = await self._deliver(notice, report, "answer")
        if result.status is DeliveryStatus.RETRY_LATER:
            return Reply("relay-answer-queued", {"code": report.code})
        if not result.ok:
            return Reply("relay-answer-undelivered", {"code": report.code})
        return Reply("relay-answer-sent", {"code": report.code})

    async def _police_locale(self, session: Session, question: RelayDTO) -> str:
        """Private chat with the officer: their language; a police group: the default."""
        if question.author_user_id is not None and question.police_chat_id:
            officer = await UserRepository(session).get(question.author_user_id)
            if officer is not None and officer.telegram_id == question.police_chat_id:
                return officer.language or self._default_language
        return self._default_language

    async def _deliver(self, notice: Any, report: ReportDTO, what: str) -> DeliveryResult:
        """Send a stored relay notice now; the tip's cards show the new message."""
        result = await self._reacher.deliver(notice)
        self._cards.changed(report.id)
        if result.ok:
            logger.info("report %s: %s relayed", report.id, what)
        return result

    async def thread(self, profile: Profile, report_id: int) -> list[RelayDTO]:
        """The whole exchange of a tip (officers of its area only), for their private chat."""
        assert profile.user.telegram_id is not None
        await self._guard.check(profile, "open", report_id, None, chat_id=profile.user.telegram_id)
        async with transaction(self._sessions) as session:
            return await RelayRepository(session).for_report(report_id)


async def _store(
    session: Session,
    report: ReportDTO,
    direction: RelayDirection,
    profile: Profile,
    text: str,
    message: Incoming,
    **sides: Any,
) -> RelayDTO:
    """One relayed message with its media; ``sides``: the chat and message ids known now."""
    return await RelayRepository(session).add(
        report_id=report.id,
        direction=direction,
        author_user_id=profile.user.id,
        text=text,
        media_kind=message.media.kind.value if message.media else None,
        media_file_id=message.media.file_id if message.media else None,
        **sides,
    )
