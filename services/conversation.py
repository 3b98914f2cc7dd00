"""One conversation engine for the multi-step flows (the advisory composer, the schedule edit,
the scam check's wait for a number...).

A flow is a typed draft and a step table, both in the flow's service; the surfaces only render
the step a draft is at and parse the answer. The engine keeps the draft in the database after
every step, one row per person and flow, so a restart in the middle costs nothing. Every step
writes only over the version it read: of two presses of one button (a double tap, two bot
instances) one advances and the other is refused as stale. The message that asks the current
step is recorded, so only its buttons act; the surface takes the buttons off the previous one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from services.errors import InvalidInput
from storage.repositories.compose import ComposeDraftRepository, ConversationRow
from storage.types import utcnow
from storage.uow import Sessions, transaction

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
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def current(self, flow: Flow[D], user_id: int) -> Turn[D] | None:
        """The person's draft of ``flow``; None when there is none, it is over (its lifetime)
        or it cannot be read as the flow's draft any more (then it is dropped)."""
        async with transaction(self._sessions) as session:
            repo = ComposeDraftRepository(session)
            row = await repo.get(user_id, flow.name)
            if row is None:
                return None
            turn = None if _expired(flow, row) else _read(flow, row)
            if turn is None:
                await repo.drop(user_id, flow.name, row.version)
        return turn

    async def begin(self, flow: Flow[D], user_id: int, draft: D) -> Turn[D]:
        """Start the flow afresh (whatever draft of it there was is replaced)."""
        async with transaction(self._sessions) as session:
            repo = ComposeDraftRepository(session)
            await repo.start(user_id, flow.name, str(draft.step), draft.to_data())
            row = await repo.get(user_id, flow.name)
        assert row is not None
        return _turn(flow, row)

    async def advance(self, flow: Flow[D], user_id: int, seen: Turn[D], draft: D) -> Turn[D]:
        """Store the step's result over the version ``seen`` was read at; StaleStep when
        another step wrote first."""
        async with transaction(self._sessions) as session:
            written = await ComposeDraftRepository(session).write_over(
                user_id, flow.name, seen.version, str(draft.step), draft.to_data()
            )
        if not written:
            raise StaleStep()
        return Turn(draft, seen.version + 1, seen.prompt, utcnow())

    async def finish(self, flow: Flow[D], user_id: int, seen: Turn[D] | None = None) -> bool:
        """End the flow (sent, cancelled). With ``seen`` only if nothing wrote since: of two
        presses of "send" only one finishes (the other gets StaleStep). Without: False when
        there was nothing to end."""
        async with transaction(self._sessions) as session:
            ended = await ComposeDraftRepository(session).drop(
                user_id, flow.name, seen.version if seen is not None else None
            )
        if seen is not None and not ended:
            raise StaleStep()
        return ended

    async def shown(
        self, flow: Flow[D], user_id: int, turn: Turn[D], chat_id: int, message_id: int
    ) -> Prompt | None:
        """Record the message asking ``turn``'s step; the previous step's message, whose
        buttons the surface now takes off, is returned (None: none, or the same message)."""
        async with transaction(self._sessions) as session:
            await ComposeDraftRepository(session).show(
                user_id, flow.name, turn.version, chat_id, message_id
            )
        old = turn.prompt
        if old is None or (old.chat_id, old.message_id) == (chat_id, message_id):
            return None
        return old


def check_press(turn: Turn[Any] | None, chat_id: int, message_id: int) -> Turn[Any]:
    """A button acts only on the message asking the current step (StaleStep otherwise)."""
    if turn is None:
        raise StaleStep()
    prompt = turn.prompt
    if prompt is not None and (prompt.chat_id, prompt.message_id) != (chat_id, message_id):
        raise StaleStep()
    return turn


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
