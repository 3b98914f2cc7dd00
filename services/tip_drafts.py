"""The tip draft: its steps, its stored form and the pure rules of moving through it.

No storage and no sending here: :mod:`services.tip_steps` reads and writes drafts (a
conversation of the engine, :mod:`services.conversation`, flow :data:`TIP`), and
:mod:`services.tips` (the service) submits them. Kept pure so the model is tested and reused
(the chat surfaces render a :class:`Draft`) without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from services.categories import Category, parse_category
from services.conversation import Flow, Prompt, Turn
from services.errors import InvalidInput
from services.indicators import Indicator, IndicatorKind
from services.ports import InlineButton, MediaKind
from services.text_input import has_visible

MAX_TEXT = 3500
"""Description limit: a police message with the summary must fit Telegram's 4096 characters."""
MAX_ADDRESS = 300
MAX_FRAUD_DETAILS = 1000
MAX_PICKS = 10
"""Indicators of the fraud details the resident is asked about, one toggle each; more than this
in one answer is not a scammer's contact list any more, and the rest stay with the police."""
MAX_ATTACHMENTS = 20
"""Per tip: enough for an album or two, not enough to flood a police chat."""
TAKEN_KEPT = 30
"""Message keys a draft remembers: more than a burst that can be delivered again at once."""
STEP_ATTEMPTS = 25
"""A step redone this often because the draft changed under it each time is given up (the
user is told to try again). Each round one of the racing steps wins, so this covers an album
of 20 photos arriving at once on several instances; only a runaway writer could exhaust it."""


class Step(StrEnum):
    OFFER = "offer"
    """Free text was offered as a tip; not started yet."""
    CATEGORY = "category"
    DESCRIPTION = "description"
    FRAUD = "fraud"
    FRAUD_PICK = "fraud_pick"
    """What the bot understood of the fraud details, each ticked as the scammer's: the
    resident unticks what is theirs (their own phone or account)."""
    LOCATION = "location"
    AREA = "area"
    ANONYMITY = "anonymity"
    CONFIRM = "confirm"


EDITABLE = (Step.CATEGORY, Step.DESCRIPTION, Step.FRAUD, Step.LOCATION, Step.AREA, Step.ANONYMITY)


@dataclass(frozen=True, slots=True)
class DraftAttachment:
    kind: MediaKind
    file_id: str
    file_unique_id: str | None = None
    mime_type: str | None = None
    media_group_id: str | None = None


@dataclass(frozen=True, slots=True)
class FraudPick:
    """One indicator found in the fraud details, and whether the resident says it is the
    scammer's (then `/kiemtra` may show it) or their own (then only the police see it)."""

    indicator: Indicator
    scammer: bool = True


@dataclass(frozen=True, slots=True)
class Draft:
    step: Step
    category: Category | None = None
    text: str = ""
    attachments: tuple[DraftAttachment, ...] = ()
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    area_id: int | None = None
    anonymous: bool | None = None
    fraud_details: str | None = None
    picks: tuple[FraudPick, ...] = ()
    """The indicators of ``fraud_details``, as the resident ticked them (fraud alerts only)."""
    editing: bool = False
    taken: tuple[str, ...] = ()
    """Keys of the last messages taken into the description (TAKEN_KEPT of them): a message
    handled again (Telegram delivers it again after a crash) is not added twice."""
    started: str = ""
    """A token drawn when the tip was begun: the cancel buttons of its questions carry it, so
    an old "Hủy" of a tip already sent never drops the next one."""
    updated_at: datetime | None = field(default=None, compare=False)
    version: int = field(default=0, compare=False)
    """The stored version this draft was read at (see :meth:`TipSteps._change
    <services.tip_steps.TipSteps._change>`)."""
    prompt: Prompt | None = field(default=None, compare=False)
    """The message asking the current step (only its buttons act)."""

    @property
    def has_content(self) -> bool:
        return bool(self.attachments) or has_visible(self.text)

    @property
    def is_fraud(self) -> bool:
        return self.category is Category.ONLINE_FRAUD

    @property
    def given(self) -> tuple[Indicator, ...]:
        """What the resident gave as the scammer's (ticked at the fraud-details step)."""
        return tuple(p.indicator for p in self.picks if p.scammer) if self.is_fraud else ()

    def to_data(self) -> dict[str, Any]:
        return {
            "category": self.category.value if self.category else None,
            "text": self.text,
            "attachments": [
                {
                    "kind": a.kind.value,
                    "file_id": a.file_id,
                    "file_unique_id": a.file_unique_id,
                    "mime_type": a.mime_type,
                    "media_group_id": a.media_group_id,
                }
                for a in self.attachments
            ],
            "latitude": self.latitude,
            "longitude": self.longitude,
            "address": self.address,
            "area_id": self.area_id,
            "anonymous": self.anonymous,
            "fraud_details": self.fraud_details,
            "picks": [
                {
                    "kind": p.indicator.kind.value,
                    "value": p.indicator.value,
                    "display": p.indicator.display,
                    "scammer": p.scammer,
                }
                for p in self.picks
            ],
            "editing": self.editing,
            "taken": list(self.taken),
            "started": self.started,
        }

    @classmethod
    def read(cls, step: str, data: dict[str, Any]) -> Draft:
        """The draft as stored (the engine's row): what cannot be read is left out."""
        attachments = []
        for item in data.get("attachments") or []:
            try:
                attachments.append(
                    DraftAttachment(
                        MediaKind(item["kind"]),
                        str(item["file_id"]),
                        item.get("file_unique_id"),
                        item.get("mime_type"),
                        item.get("media_group_id"),
                    )
                )
            except (KeyError, ValueError, TypeError):
                continue
        picks = []
        for item in data.get("picks") or []:
            try:
                found = Indicator(
                    IndicatorKind(item["kind"]), str(item["value"]), str(item["display"])
                )
                picks.append(FraudPick(found, bool(item.get("scammer", True))))
            except (KeyError, ValueError, TypeError):
                continue
        try:
            parsed_step = Step(step)
        except ValueError:
            parsed_step = Step.CATEGORY
        return cls(
            step=parsed_step,
            category=parse_category(data.get("category")),
            text=str(data.get("text") or ""),
            attachments=tuple(attachments),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            address=data.get("address"),
            area_id=data.get("area_id"),
            anonymous=data.get("anonymous"),
            fraud_details=data.get("fraud_details"),
            picks=tuple(picks),
            editing=bool(data.get("editing")),
            taken=tuple(str(k) for k in data.get("taken") or ()),
            started=str(data.get("started") or ""),
        )

    @classmethod
    def of(cls, turn: Turn[Draft]) -> Draft:
        """The draft of an engine turn, carrying the version it was read at and its prompt."""
        return replace(
            turn.draft, version=turn.version, prompt=turn.prompt, updated_at=turn.updated_at
        )

    def turn(self) -> Turn[Draft]:
        """The engine turn this draft was read at (what a step writes over)."""
        return Turn(self, self.version, self.prompt, self.updated_at)


TIP: Flow[Draft] = Flow("tip", Draft.read)
"""The tip and fraud-alert conversation: a free message offered as a tip (step OFFER), then
the steps of :class:`Step` up to the summary. Its step table is :class:`services.tip_steps.
TipSteps` (one method per answer) with :func:`step_after`."""


class WrongStep(InvalidInput):
    """The input belongs to another step (an old button, a photo while choosing the area...).
    The surface re-asks the question of ``draft.step``."""

    message_key = "tip-wrong-step"

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft


@dataclass(frozen=True, slots=True)
class TextAccepted:
    draft: Draft
    truncated: bool
    limit: int


@dataclass(frozen=True, slots=True)
class AttachmentAccepted:
    draft: Draft
    acknowledge: bool
    """False for the 2nd, 3rd... item of an album: one acknowledgement per album is enough."""
    album: bool


def editable_steps(draft: Draft) -> tuple[Step, ...]:
    """What the resident may go back and change, in order; every surface offers these (with
    the catalogue's ``tip-edit-<step>`` labels). Fraud details only on a fraud alert."""
    return tuple(step for step in EDITABLE if step is not Step.FRAUD or draft.is_fraud)


def pick_buttons(draft: Draft) -> tuple[tuple[InlineButton, ...], ...]:
    """The fraud-details step's toggles, one per indicator found (ticked: the scammer's;
    unticked: the resident's own), then "that's right, continue". Every surface shows these;
    each adds its own way to cancel."""
    rows = [
        (
            InlineButton(
                "tip-pick-on" if pick.scammer else "tip-pick-off",
                f"tipf:whose:{i}",
                label_args={"display": pick.indicator.display},
            ),
        )
        for i, pick in enumerate(draft.picks)
    ]
    rows.append((InlineButton("tip-button-picks-done", "tipf:whoseok"),))
    return tuple(rows)


def taken_with(draft: Draft, message_key: str | None) -> tuple[str, ...]:
    """The draft's taken message keys with ``message_key`` added (the oldest dropped)."""
    if message_key is None:
        return draft.taken
    return (*draft.taken, message_key)[-TAKEN_KEPT:]


def expect(draft: Draft, *steps: Step) -> None:
    """Refuse input meant for another step: the surface then re-asks ``draft.step``."""
    if draft.step not in steps:
        raise WrongStep(draft)


def step_after(draft: Draft, done: Step) -> Step:
    """The step that follows ``done`` (back to the summary when editing one answer)."""
    if draft.editing:
        return Step.CONFIRM
    order = [Step.CATEGORY, Step.DESCRIPTION, Step.FRAUD, Step.LOCATION, Step.AREA]
    order += [Step.ANONYMITY, Step.CONFIRM]
    for step in order[order.index(done) + 1 :]:
        if step is Step.FRAUD and not draft.is_fraud:
            continue
        return step
    return Step.CONFIRM
