"""The advisory composer's flow (/phatcanhbao, and the text edit offered by /lichphat) for the
conversation engine (services/conversation.py): its typed draft, its step table and the
buttons of each step, pure, so every surface (the Telegram chat, the web console) renders the
same steps; services/advisory_compose.py holds the moves that check an answer and store it.
The steps, in order::

    text -> media (skippable; a text sent with a photo or file skips it) -> target (an area, or
    groups ticked one by one) -> options (pin, silent) -> when: now -> preview
                                                          at a moment -> datetime -> preview
                                                          daily -> time -> until -> preview
                                                          weekly -> weekdays -> time -> ...
                                                          monthly -> monthday -> time -> ...
    preview -> confirm: the advisory is created.        edit (from /lichphat): new text, done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from services.advisory_types import AdvisoryDraft
from services.conversation import Flow, StaleStep, Turn
from services.domain import Recurrence
from services.schedule_text import Schedule


class ComposeStep(StrEnum):
    TEXT = "text"
    MEDIA = "media"
    TARGET = "target"
    OPTIONS = "options"
    WHEN = "when"
    DATETIME = "datetime"
    WEEKDAYS = "weekdays"
    MONTHDAY = "monthday"
    TIME = "rtime"
    UNTIL = "until"
    PREVIEW = "preview"
    EDIT = "edit"


@dataclass(frozen=True, slots=True)
class StepSpec:
    prompt: str
    """The catalogue key that asks the step."""
    typed: bool = False
    """The step waits for a typed answer (text, or a photo or file at TEXT and MEDIA)."""
    actions: frozenset[str] = frozenset()
    """The buttons that act at this step ("cancel" acts at every step)."""


STEPS: dict[ComposeStep, StepSpec] = {
    ComposeStep.TEXT: StepSpec("adv-ask-text", typed=True),
    ComposeStep.MEDIA: StepSpec("adv-ask-media", typed=True, actions=frozenset({"skipmedia"})),
    ComposeStep.TARGET: StepSpec(
        "adv-ask-target", actions=frozenset({"area", "groups", "g", "gdone"})
    ),
    ComposeStep.OPTIONS: StepSpec("adv-ask-options", actions=frozenset({"opt"})),
    ComposeStep.WHEN: StepSpec("adv-ask-when", actions=frozenset({"when"})),
    ComposeStep.DATETIME: StepSpec("adv-ask-datetime", typed=True),
    ComposeStep.WEEKDAYS: StepSpec("adv-ask-weekdays", actions=frozenset({"wd"})),
    ComposeStep.MONTHDAY: StepSpec("adv-ask-monthday", typed=True),
    ComposeStep.TIME: StepSpec("adv-ask-time", typed=True),
    ComposeStep.UNTIL: StepSpec("adv-ask-until", typed=True, actions=frozenset({"nountil"})),
    ComposeStep.PREVIEW: StepSpec("adv-preview-note", actions=frozenset({"confirm"})),
    ComposeStep.EDIT: StepSpec("adv-edit-prompt", typed=True),
}


@dataclass(frozen=True, slots=True)
class Composition:
    """An advisory being composed (or an existing one's text being replaced: ``editing``)."""

    step: ComposeStep
    text: str = ""
    media_kind: str | None = None
    media_file_id: str | None = None
    area_id: int | None = None
    chat_ids: tuple[int, ...] = ()
    target: str = ""
    """The chosen area's name, or "" for groups ticked one by one (shown with ``count``)."""
    count: int = 0
    pin: bool = False
    silent: bool = False
    now: bool = False
    recurrence: Recurrence | None = None
    weekdays: tuple[int, ...] = ()
    month_day: int | None = None
    time_of_day: str | None = None
    schedule: Schedule | None = None
    editing: int | None = None
    """EDIT: the advisory whose text is replaced."""
    groups_page: int = field(default=0)

    def to_data(self) -> dict[str, Any]:
        s = self.schedule
        return {
            "text": self.text,
            "media": [self.media_kind, self.media_file_id] if self.media_kind else None,
            "area_id": self.area_id,
            "chat_ids": list(self.chat_ids),
            "target": self.target,
            "count": self.count,
            "pin": self.pin,
            "silent": self.silent,
            "now": self.now,
            "recurrence": self.recurrence.value if self.recurrence else None,
            "weekdays": list(self.weekdays),
            "month_day": self.month_day,
            "time_of_day": self.time_of_day,
            "schedule": None
            if s is None
            else {
                "recurrence": s.recurrence.value,
                "run_at": s.run_at.isoformat() if s.run_at else None,
                "time_of_day": s.time_of_day,
                "weekdays": list(s.weekdays),
                "month_day": s.month_day,
                "until": s.until.isoformat() if s.until else None,
            },
            "editing": self.editing,
            "groups_page": self.groups_page,
        }

    @classmethod
    def read(cls, step: str, data: dict[str, Any]) -> Composition:
        s = data.get("schedule")
        schedule = (
            Schedule(
                Recurrence(s["recurrence"]),
                run_at=datetime.fromisoformat(s["run_at"]) if s.get("run_at") else None,
                time_of_day=s.get("time_of_day"),
                weekdays=tuple(s.get("weekdays") or ()),
                month_day=s.get("month_day"),
                until=date.fromisoformat(s["until"]) if s.get("until") else None,
            )
            if s
            else None
        )
        media = data.get("media") or [None, None]
        return cls(
            step=ComposeStep(step),
            text=data.get("text") or "",
            media_kind=media[0],
            media_file_id=media[1],
            area_id=data.get("area_id"),
            chat_ids=tuple(data.get("chat_ids") or ()),
            target=data.get("target") or "",
            count=int(data.get("count") or 0),
            pin=bool(data.get("pin")),
            silent=bool(data.get("silent")),
            now=bool(data.get("now")),
            recurrence=Recurrence(data["recurrence"]) if data.get("recurrence") else None,
            weekdays=tuple(data.get("weekdays") or ()),
            month_day=data.get("month_day"),
            time_of_day=data.get("time_of_day"),
            schedule=schedule,
            editing=data.get("editing"),
            groups_page=int(data.get("groups_page") or 0),
        )

    def to_advisory(self) -> AdvisoryDraft:
        assert self.schedule is not None
        return AdvisoryDraft(
            text=self.text,
            schedule=self.schedule,
            area_id=self.area_id,
            chat_ids=self.chat_ids,
            media_kind=self.media_kind,
            media_file_id=self.media_file_id,
            pin=self.pin,
            silent=self.silent,
        )


COMPOSE = Flow("adv", Composition.read)


@dataclass(frozen=True, slots=True)
class Choice:
    """One button of a step, channel-neutral: the action it sends, its label, and whether
    it shows ticked (None: not a toggle)."""

    data: str
    label_key: str
    label_args: dict[str, Any] = field(default_factory=dict)
    on: bool | None = None


def choices(draft: Composition) -> list[list[Choice]]:
    """The buttons of ``draft``'s step (the target step's pickers are the surface's: areas and
    groups are lists of the officer's own), "cancel" last."""
    step, rows = draft.step, []
    if step is ComposeStep.MEDIA:
        rows = [[Choice("skipmedia", "adv-skip")]]
    elif step is ComposeStep.OPTIONS:
        yes = {True: "yes", False: "no"}
        rows = [
            [Choice("opt:pin", "adv-opt-pin", {"on": yes[draft.pin]})],
            [Choice("opt:silent", "adv-opt-silent", {"on": yes[draft.silent]})],
            [Choice("opt:next", "adv-next")],
        ]
    elif step is ComposeStep.WHEN:
        rows = [
            [Choice("when:now", "adv-when-now"), Choice("when:at", "adv-when-at")],
            [Choice(f"when:{k}", f"adv-when-{k}") for k in ("daily", "weekly", "monthly")],
        ]
    elif step is ComposeStep.WEEKDAYS:
        days = [Choice(f"wd:{d}", f"sched-wd-short-{d}", on=d in draft.weekdays) for d in range(7)]
        rows = [days[:4], days[4:], [Choice("wd:done", "adv-groups-done")]]
    elif step is ComposeStep.UNTIL:
        rows = [[Choice("nountil", "adv-no-end")]]
    elif step is ComposeStep.PREVIEW:
        rows = [[Choice("confirm", "adv-confirm")]]
    if step is not ComposeStep.EDIT:
        rows.append([Choice("cancel", "adv-cancel")])
    return rows


def accepts(draft: Composition, action: str | None = None) -> None:
    """StaleStep unless ``action`` (None: a typed answer) acts at ``draft``'s step."""
    spec = STEPS[draft.step]
    if action is None and not spec.typed:
        raise StaleStep()
    if action is not None and action != "cancel" and action not in spec.actions:
        raise StaleStep()


def expect(turn: Turn[Composition] | None, action: str | None = None) -> Turn[Composition]:
    """The draft, if ``action`` (None: a typed answer) acts at its step; StaleStep otherwise."""
    if turn is None:
        raise StaleStep()
    accepts(turn.draft, action)
    return turn
