"""What the relay works with: a message that may continue a tip conversation, the answer to
give, and the "next message" the bot waits for — a flow of the conversation engine
(services/conversation.py) whose one step is the thing awaited.

The engine keeps one draft per person and flow, so a person waits for one thing at a time:
pressing "Đã xử lý" on a second card (in the same chat or another) replaces the first
request, as every ``begin`` does; the officer's prompt is recorded as the step's message, so
the older prompt loses its buttons (handlers/tip_actions.py) and its "cancel" cancels
nothing. The chat the request was made in is part of the draft: only a message in that chat
answers it (an officer asked in a police group may go on talking in their private chat), and
the check made for every message (storage.repositories.relay.WAITING) compares it without a
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from services.conversation import Flow
from services.ports import MediaRef
from storage.repositories.relay import INPUT_CHAT, INPUT_FLOW

MAX_RELAY_TEXT = 2000
MAX_NOTE = 1000
PENDING_TTL = timedelta(hours=12)
"""A request for "your next message" older than this is forgotten: a message sent a day
later is most likely about something else."""


class PendingAction(StrEnum):
    """What the next message is (the flow's step)."""

    HANDLED_NOTE = "handled_note"
    """The officer's note on how the tip was handled."""
    REJECT_REASON = "reject_reason"
    """Why the officer finds the tip not genuine."""
    RELAY_QUESTION = "relay_question"
    """A question relayed to the reporter."""
    RELAY_ANSWER = "relay_answer"
    """The reporter's answer to a relayed question."""


@dataclass(frozen=True, slots=True)
class RelayInput:
    """The stored draft of a "next message" request."""

    action: PendingAction
    report_id: int
    chat_id: int
    """Where the request was made: only a message there answers it."""
    version: int | None = None
    """The tip's version the officer acted on (the note lands only if nothing changed)."""
    anchor_message_id: int | None = None
    """The card (or relayed question) the request came from, for threading."""

    @property
    def step(self) -> str:
        return self.action.value

    def to_data(self) -> dict[str, Any]:
        return {
            "report": self.report_id,
            INPUT_CHAT: self.chat_id,
            "version": self.version,
            "anchor": self.anchor_message_id,
        }

    @classmethod
    def read(cls, step: str, data: dict[str, Any]) -> RelayInput:
        return cls(
            PendingAction(step),
            int(data["report"]),
            int(data[INPUT_CHAT]),
            data.get("version"),
            data.get("anchor"),
        )


RELAY_INPUT: Flow[RelayInput] = Flow(INPUT_FLOW, RelayInput.read, PENDING_TTL)


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
