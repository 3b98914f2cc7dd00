"""The "next message" the bot waits for after a button (an outcome note, a reason, a question
for the reporter, the reporter's answer), and the messages that continue a tip conversation.

A request is a draft of the conversation engine's ``relay-input`` flow (services/relay_model.py
says what it holds and how the chat is kept); the relay itself is
:class:`services.relay_exchange.RelayExchange`. The awaited message takes the draft by its
version before it acts: of two messages read against one request (two bot instances, a
double send) one lands and the other is refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from services.access import Profile
from services.conversation import Conversations, StaleStep, Turn
from services.errors import InvalidInput
from services.inbox_actions import InboxActions
from services.inbox_guard import InboxGuard
from services.ports import L10n
from services.relay_exchange import RelayExchange, relayed_text
from services.relay_model import (
    MAX_NOTE,
    RELAY_INPUT,
    Incoming,
    PendingAction,
    RelayInput,
    Reply,
)
from services.text_input import clip, has_visible
from storage.hotpath import HotPath
from storage.models import RelayDirection
from storage.repositories.relay import RelayDTO, has_pending

logger = logging.getLogger(__name__)

_GUARD_ACTION = {
    PendingAction.HANDLED_NOTE: "handled",
    PendingAction.REJECT_REASON: "reject",
    PendingAction.RELAY_QUESTION: "reply",
}
"""The inbox check a request makes when asked for (services.inbox_guard)."""


class InputTaken(StaleStep):
    """The request this message answers was taken by another message a moment ago."""

    message_key = "relay-input-taken"


@dataclass(frozen=True, slots=True)
class Asked:
    """A request made: the tip's code for the prompt, and the turn to record it with."""

    code: str
    turn: Turn[RelayInput]


class RelayService:
    def __init__(
        self,
        conversations: Conversations,
        exchange: RelayExchange,
        guard: InboxGuard,
        inbox: InboxActions,
        hot: HotPath,
    ) -> None:
        self._conversations = conversations
        self._exchange = exchange
        self._guard = guard
        self._inbox = inbox
        self._hot = hot

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
    ) -> Asked:
        """An officer pressed "Đã xử lý" / "Không xác thực" / "Trả lời người báo": check now
        (rights, state, version) and wait for their next message in this chat."""
        checked = await self._guard.check(
            profile, _GUARD_ACTION[action], report_id, version, chat_id=chat_id
        )
        report = checked.report
        if action is PendingAction.RELAY_QUESTION:
            await self._exchange.reporter(report)  # refuse early when nobody can be asked
        draft = RelayInput(
            action,
            report.id,
            chat_id,
            version if version is not None else report.version,
            anchor_message_id,
        )
        turn = await self._conversations.begin(RELAY_INPUT, profile.user.id, draft)
        return Asked(report.code, turn)

    async def start_answer(self, profile: Profile, relay_id: int, chat_id: int) -> str:
        """The reporter pressed "Trả lời" under a question: their next message is the answer
        (the tip's code, for the prompt)."""
        question, report = await self._exchange.answerable(profile, relay_id, chat_id)
        draft = RelayInput(
            PendingAction.RELAY_ANSWER,
            report.id,
            chat_id,
            anchor_message_id=question.reporter_message_id,
        )
        await self._conversations.begin(RELAY_INPUT, profile.user.id, draft)
        return report.code

    async def cancel(
        self, chat_id: int, user_id: int, *, pressed: int | None = None
    ) -> RelayInput | None:
        """Stop waiting for this person's next message in this chat; None when nothing was
        awaited there. ``pressed``: the message whose button asked for this (a button under an
        older prompt cancels nothing)."""
        turn = await self._conversations.current(RELAY_INPUT, user_id)
        if turn is None or turn.draft.chat_id != chat_id:
            return None
        prompt = turn.prompt
        if pressed is not None and prompt is not None and prompt.message_id != pressed:
            return None
        try:
            await self._conversations.finish(RELAY_INPUT, user_id, turn)
        except StaleStep:  # answered or replaced at this very moment
            return None
        return turn.draft

    # -- a message arrived -----------------------------------------------------------------
    async def on_message(
        self, profile: Profile, message: Incoming, *, waiting: bool | None = None
    ) -> Reply | None:
        """Route a message that continues a tip conversation; None when it does not.
        ``waiting``: whether a request in this chat was found when the update arrived (None:
        look it up here)."""
        if message.reply_to_message_id is not None and message.reply_to_bot:
            relayed = await self._exchange.replied_to(message.chat_id, message.reply_to_message_id)
            if relayed is not None:
                await self.cancel(message.chat_id, profile.user.id)
                return await self._continue(profile, relayed, message)
        if waiting is None:
            waiting = await has_pending(self._hot, message.chat_id, profile.user.id)
        if not waiting:
            return None
        turn = await self._conversations.current(RELAY_INPUT, profile.user.id)
        if turn is None or turn.draft.chat_id != message.chat_id:
            return None
        awaited = turn.draft
        if awaited.action in (PendingAction.HANDLED_NOTE, PendingAction.REJECT_REASON):
            note = clip(message.text, MAX_NOTE).text
            if not has_visible(note):
                return Reply("tipact-note-empty")  # a photo or sticker: still waiting
        else:
            relayed_text(message)  # nothing to relay: refused, still waiting
        try:
            await self._conversations.finish(RELAY_INPUT, profile.user.id, turn)
        except StaleStep:
            raise InputTaken() from None
        return await self._answered(profile, awaited, message)

    async def _answered(self, profile: Profile, awaited: RelayInput, message: Incoming) -> Reply:
        """Carry out what the awaited ``message`` was for."""
        if awaited.action is PendingAction.RELAY_QUESTION:
            return await self._exchange.ask(
                profile,
                awaited.report_id,
                message,
                thread_message_id=awaited.anchor_message_id,
            )
        if awaited.action is PendingAction.RELAY_ANSWER:
            question = await self._exchange.question_for(
                awaited.report_id, message.chat_id, awaited.anchor_message_id
            )
            return await self._exchange.answer(profile, question, message)
        action = "handled" if awaited.action is PendingAction.HANDLED_NOTE else "reject"
        outcome = await self._inbox.act(
            profile,
            action,
            awaited.report_id,
            awaited.version,
            note=clip(message.text, MAX_NOTE).text,
            chat_id=awaited.chat_id,
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

    async def _continue(self, profile: Profile, relayed: RelayDTO, message: Incoming) -> Reply:
        """A reply to a relayed message: to a question, the reporter answers; to an answer,
        the officer asks again, in the same thread."""
        if relayed.direction is RelayDirection.TO_REPORTER:
            return await self._exchange.answer(profile, relayed, message)
        return await self._exchange.ask(
            profile,
            relayed.report_id,
            message,
            thread_message_id=relayed.thread_message_id or relayed.police_message_id,
        )

    # -- the console and the officer's private chat ------------------------------------------
    async def ask_from_console(self, profile: Profile, report_id: int, text: str) -> Reply:
        """The console's "ask the reporter": relayed as a question typed in the chat is, with
        the same checks; the answer comes back to the officer's private chat with the bot
        (and shows in the tip's thread on the console)."""
        if profile.user.telegram_id is None:
            raise InvalidInput("web-no-telegram")
        message = Incoming(chat_id=profile.user.telegram_id, message_id=0, text=text)
        return await self._exchange.ask(profile, report_id, message, thread_message_id=None)

    async def thread(self, profile: Profile, report_id: int) -> list[RelayDTO]:
        """The whole exchange of a tip (officers of its area only), for their private chat."""
        return await self._exchange.thread(profile, report_id)
