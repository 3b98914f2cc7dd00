"""One conversation engine for the multi-step flows (the tip and the fraud alert, the
advisory composer, the schedule edit, the scam check's wait for a number, the numbered choices
of a Zalo chat...).

A flow is a typed draft and a step table, both in the flow's service; the surfaces only render
the step a draft is at and parse the answer. The engine keeps the draft in the database after
every step, one row per person and flow, so a restart in the middle costs nothing. Every step
writes only over the version it read: of two presses of one button (a double tap, two bot
instances) one advances and the other is refused as stale. The message that asks the current
step is recorded, so only its buttons act; the surface takes the buttons off the previous one.

A step is one read and one conditional write of that row, each a single statement on the hot
path (storage/hotpath.py): the tip conversation, the busiest path of the bot, costs no more
than those two statements per message. Steps that change other rows together with the draft
(a tip stored, a home area remembered) run inside the caller's transaction (:func:`read_in`,
:func:`store_in`, :func:`drop_in`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from services.errors import InvalidInput
from storage.hotpath import HotPath, SessionHotPath
from storage.repositories.compose import (
    ComposeDraftRepository,
    ConversationRow,
    read_conversation,
    show_conversation,
    write_conversation_over,
)
from storage.types import utcnow
from storage.uow import Session, Sessions, transaction

logger = logging.getLogger(__name__)


class FlowDraft(Protocol):
    """What a flow's typed draft offers the engine: the step it is at and its answers."""

    @property
    def step(self) -> str: ...

    def to_data(self) -> dict[str, Any]: ...


D = TypeVar("D", bound=FlowDraft)


@dataclass(frozen=True, slots=True)
class Flow(Generic[D]):
    """A kind of conversation: its name (the stored key) and how its draft is read back."""

    name: str
    read: Callable[[str, dict[str, Any]], D]
    """(step, answers) as stored -> the typed draft."""
    lasts: timedelta | None = None
    """A draft not advanced for this long is over (None: until finished or cancelled)."""


@dataclass(frozen=True, slots=True)
class Prompt:
    """The message that asks a step (where its buttons are)."""

    chat_id: int
    message_id: int


@dataclass(frozen=True, slots=True)
class Turn(Generic[D]):
    """A draft as read, at the version a step writes over."""

    draft: D
    version: int
    prompt: Prompt | None = None
    updated_at: datetime | None = None


class StaleStep(InvalidInput):
    """A press or answer for a step the conversation is no longer at (an old step's button, the
    second of two presses): refused with a toast, nothing changes."""

    message_key = "error-button-expired"


class Conversations:
    def __init__(self, sessions: Sessions, hot: HotPath | None = None) -> None:
        self._sessions = sessions
        self._hot = hot or SessionHotPath(sessions)

    async def current(self, flow: Flow[D], user_id: int) -> Turn[D] | None:
        """The person's draft of ``flow``; None when there is none, it is over (its lifetime)
        or it cannot be read as the flow's draft any more (then it is dropped)."""
        return await self.arrived(flow, await read_conversation(self._hot, user_id, flow.name))

    async def arrived(self, flow: Flow[D], row: ConversationRow | None) -> Turn[D] | None:
        """The draft of a row read elsewhere (with the sender of an update, in one statement)."""
        if row is None:
            return None
        turn = None if _expired(flow, row) else _read(flow, row)
        if turn is None:
            async with transaction(self._sessions) as session:
                await ComposeDraftRepository(session).drop(row.user_id, flow.name, row.version)
        return turn

    async def begin(self, flow: Flow[D], user_id: int, draft: D) -> Turn[D]:
        """Start the flow afresh (whatever draft of it there was is replaced)."""
        async with transaction(self._sessions) as session:
            return await store_in(session, flow, user_id, draft)

    async def advance(self, flow: Flow[D], user_id: int, seen: Turn[D], draft: D) -> Turn[D]:
        """Store the step's result over the version ``seen`` was read at; StaleStep when
        another step wrote first."""
        written = await write_conversation_over(
            self._hot, user_id, flow.name, seen.version, str(draft.step), draft.to_data()
        )
        if written is None:
            raise StaleStep()
        return Turn(draft, seen.version + 1, seen.prompt, written)

    async def finish(self, flow: Flow[D], user_id: int, seen: Turn[D] | None = None) -> bool:
        """End the flow (sent, cancelled). With ``seen`` only if nothing wrote since: of two
        presses of "send" only one finishes (the other gets StaleStep). Without: False when
        there was nothing to end."""
        async with transaction(self._sessions) as session:
            ended = await drop_in(session, flow, user_id, seen)
        if seen is not None and not ended:
            raise StaleStep()
        return ended

    async def shown(
        self, flow: Flow[D], user_id: int, turn: Turn[D], chat_id: int, message_id: int
    ) -> Prompt | None:
        """Record the message asking ``turn``'s step; the previous step's message, whose
        buttons the surface now takes off, is returned (None: none, or the same message)."""
        await show_conversation(self._hot, user_id, flow.name, turn.version, chat_id, message_id)
        old = turn.prompt
        if old is None or (old.chat_id, old.message_id) == (chat_id, message_id):
            return None
        return old


async def read_in(session: Session, flow: Flow[D], user_id: int) -> Turn[D] | None:
    """The person's draft of ``flow`` inside the caller's transaction (None: none, or it
    cannot be read as the flow's draft)."""
    row = await ComposeDraftRepository(session).get(user_id, flow.name)
    return None if row is None or _expired(flow, row) else _read(flow, row)


async def store_in(
    session: Session, flow: Flow[D], user_id: int, draft: D, *, over: Turn[D] | None = None
) -> Turn[D]:
    """Write the draft inside the caller's transaction: a new conversation (replacing any),
    or with ``over`` a step over the version it read (StaleStep when another wrote first)."""
    repo = ComposeDraftRepository(session)
    if over is not None:
        if not await repo.write_over(
            user_id, flow.name, over.version, str(draft.step), draft.to_data()
        ):
            raise StaleStep()
        return Turn(draft, over.version + 1, over.prompt, utcnow())
    await repo.start(user_id, flow.name, str(draft.step), draft.to_data())
    row = await repo.get(user_id, flow.name)
    assert row is not None
    return _turn(flow, row)


async def drop_in(
    session: Session, flow: Flow[Any], user_id: int, at: Turn[Any] | None = None
) -> bool:
    """End the conversation inside the caller's transaction (only at ``at``'s version when
    given); False when nothing ended."""
    return await ComposeDraftRepository(session).drop(
        user_id, flow.name, at.version if at is not None else None
    )


def check_press(turn: Turn[Any] | None, chat_id: int, message_id: int) -> Turn[Any]:
    """A button acts only on the message asking the current step (StaleStep otherwise). A
    message newer than the one recorded is the current step's, pressed before the surface
    recorded it (it is recorded after it is sent; a quick press can come first)."""
    if turn is None:
        raise StaleStep()
    prompt = turn.prompt
    if prompt is None or (prompt.chat_id, prompt.message_id) == (chat_id, message_id):
        return turn
    if prompt.chat_id == chat_id and message_id > prompt.message_id:
        return turn
    raise StaleStep()


def _expired(flow: Flow[Any], row: ConversationRow) -> bool:
    return (
        flow.lasts is not None
        and row.updated_at is not None
        and row.updated_at + flow.lasts < utcnow()
    )


def _read(flow: Flow[D], row: ConversationRow) -> Turn[D] | None:
    try:
        return _turn(flow, row)
    except (KeyError, ValueError, TypeError, IndexError):
        logger.warning("a %s draft could not be read; dropped", flow.name, exc_info=True)
        return None


def _turn(flow: Flow[D], row: ConversationRow) -> Turn[D]:
    prompt = (
        Prompt(row.prompt_chat_id, row.prompt_message_id)
        if row.prompt_chat_id is not None and row.prompt_message_id is not None
        else None
    )
    return Turn(flow.read(row.step, row.data), row.version, prompt, row.updated_at)
