"""The advisory composer (/phatcanhbao, and the text edit offered by /lichphat) as a flow of the
conversation engine (services/conversation.py): its typed draft, its step table and its rules.

Every surface (the Telegram chat, the web console) renders the step a :class:`Composition` is
at from :data:`STEPS` and :func:`choices`, and hands the answer to :class:`AdvisoryComposer`,
which checks it, moves the draft on and stores it. The steps, in order::

    text -> media (skippable; a text sent with a photo or file skips it) -> target (an area, or
    groups ticked one by one) -> options (pin, silent) -> when: now -> preview
                                                          at a moment -> datetime -> preview
                                                          daily -> time -> until -> preview
                                                          weekly -> weekdays -> time -> ...
                                                          monthly -> monthday -> time -> ...
    preview -> confirm: the advisory is created.        edit (from /lichphat): new text, done.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from services.access import Profile
from services.advisories import AdvisoryService
from services.advisory_targets import AdvisoryTargets
from services.advisory_types import AdvisoryDraft, AdvisoryDTO
from services.conversation import Conversations, Flow, StaleStep, Turn
from services.domain import Recurrence
from services.errors import InvalidInput
from services.schedule_text import Schedule, format_hm, parse_date, parse_moment, parse_time
from services.text_input import whole_number


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


def expect(turn: Turn[Composition] | None, action: str | None = None) -> Turn[Composition]:
    """The draft, if ``action`` (None: a typed answer) acts at its step; StaleStep otherwise."""
    if turn is None:
        raise StaleStep()
    spec = STEPS[turn.draft.step]
    if action is None and not spec.typed:
        raise StaleStep()
    if action is not None and action != "cancel" and action not in spec.actions:
        raise StaleStep()
    return turn


class AdvisoryComposer:
    """The composer's moves: each reads nothing but the turn it is given, checks the answer,
    and stores the next step over that turn's version."""

    def __init__(
        self,
        conversations: Conversations,
        advisories: AdvisoryService,
        targets: AdvisoryTargets,
        tz: ZoneInfo,
    ) -> None:
        self._conversations = conversations
        self._advisories = advisories
        self._targets = targets
        self._tz = tz

    async def current(self, profile: Profile) -> Turn[Composition] | None:
        return await self._conversations.current(COMPOSE, profile.user.id)

    async def start(self, profile: Profile) -> Turn[Composition]:
        self._targets.require_police(profile)
        return await self._conversations.begin(
            COMPOSE, profile.user.id, Composition(ComposeStep.TEXT)
        )

    async def start_edit(self, profile: Profile, advisory_id: int) -> Turn[Composition]:
        await self._advisories.get_editable(profile, advisory_id)
        draft = Composition(ComposeStep.EDIT, editing=advisory_id)
        return await self._conversations.begin(COMPOSE, profile.user.id, draft)

    async def cancel(self, profile: Profile) -> bool:
        return await self._conversations.finish(COMPOSE, profile.user.id)

    async def _to(
        self, profile: Profile, seen: Turn[Composition], draft: Composition
    ) -> Turn[Composition]:
        if draft.step is ComposeStep.PREVIEW:
            await self._advisories.preview(profile, draft.to_advisory())
        return await self._conversations.advance(COMPOSE, profile.user.id, seen, draft)

    async def answer(
        self,
        profile: Profile,
        seen: Turn[Composition],
        text: str | None,
        media: tuple[str, str] | None = None,
    ) -> Turn[Composition]:
        """A typed answer (``text`` as HTML; ``media``: kind and file id of a photo or file)."""
        draft = expect(seen).draft
        step, raw = draft.step, (text or "").strip()
        if step is ComposeStep.TEXT:
            if not text:
                raise InvalidInput("adv-need-text")
            checked = self._advisories.check_text(text)
            if media:
                new = replace(draft, text=checked, media_kind=media[0], media_file_id=media[1])
                return await self._to(profile, seen, replace(new, step=ComposeStep.TARGET))
            return await self._to(
                profile, seen, replace(draft, text=checked, step=ComposeStep.MEDIA)
            )
        if step is ComposeStep.MEDIA:
            if media is None:
                raise InvalidInput("adv-need-media")
            new = replace(draft, media_kind=media[0], media_file_id=media[1])
            return await self._to(profile, seen, replace(new, step=ComposeStep.TARGET))
        if step is ComposeStep.DATETIME:
            moment = parse_moment(raw, datetime.now(UTC), self._tz)
            new = replace(draft, schedule=Schedule(Recurrence.ONCE, run_at=moment))
            return await self._to(profile, seen, replace(new, step=ComposeStep.PREVIEW))
        if step is ComposeStep.MONTHDAY:
            day = whole_number(raw)
            if day is None or not 1 <= day <= 31:
                raise InvalidInput("sched-month-day-invalid")
            return await self._to(
                profile, seen, replace(draft, month_day=day, step=ComposeStep.TIME)
            )
        if step is ComposeStep.TIME:
            hm = parse_time(raw) if len(raw) <= 32 else None
            if hm is None:
                raise InvalidInput("sched-time-invalid", text=raw[:32])
            new = replace(draft, time_of_day=format_hm(*hm), step=ComposeStep.UNTIL)
            return await self._to(profile, seen, new)
        if step is ComposeStep.UNTIL:
            until = parse_date(raw[:32], datetime.now(self._tz).date())
            if until is None:
                raise InvalidInput("sched-date-invalid", text=raw[:32])
            return await self._to(profile, seen, self._recurring(draft, until))
        raise StaleStep()  # EDIT has its own move: edit()

    def _recurring(self, draft: Composition, until: date | None) -> Composition:
        assert draft.recurrence is not None
        schedule = Schedule(
            draft.recurrence,
            time_of_day=draft.time_of_day,
            weekdays=draft.weekdays,
            month_day=draft.month_day,
            until=until,
        ).validate()
        if schedule.next_after(datetime.now(UTC), self._tz) is None:
            raise InvalidInput("sched-no-future-run")
        return replace(draft, schedule=schedule, step=ComposeStep.PREVIEW)

    async def edit(
        self, profile: Profile, seen: Turn[Composition], text: str | None
    ) -> AdvisoryDTO:
        """EDIT: the advisory's new text (HTML); the flow ends."""
        draft = expect(seen).draft
        if draft.step is not ComposeStep.EDIT or draft.editing is None:
            raise StaleStep()
        if not text:
            raise InvalidInput("adv-need-text")
        advisory = await self._advisories.edit_text(profile, draft.editing, text)
        await self._conversations.finish(COMPOSE, profile.user.id, seen)
        return advisory

    async def press(
        self, profile: Profile, seen: Turn[Composition], data: str
    ) -> Turn[Composition]:
        """A button of the step (``data`` as in :func:`choices`, or "groups:<page>" and
        "g:<group id>" from the surface's group list)."""
        action, _, arg = data.partition(":")
        draft = expect(seen, action).draft
        if action == "skipmedia":
            return await self._to(profile, seen, replace(draft, step=ComposeStep.TARGET))
        if action == "groups":
            return await self._to(
                profile, seen, replace(draft, groups_page=whole_number(arg) or 0)
            )
        if action == "g":
            group_id = whole_number(arg)
            chosen = set(draft.chat_ids) ^ ({group_id} if group_id is not None else set())
            return await self._to(profile, seen, replace(draft, chat_ids=tuple(sorted(chosen))))
        if action == "gdone":
            if not draft.chat_ids:
                raise InvalidInput("adv-groups-none")
            new = replace(draft, area_id=None, target="", count=len(draft.chat_ids))
            return await self._to(profile, seen, replace(new, step=ComposeStep.OPTIONS))
        if action == "opt":
            if arg in ("pin", "silent"):
                new = replace(draft, **{arg: not getattr(draft, arg)})
                return await self._to(profile, seen, new)
            return await self._to(profile, seen, replace(draft, step=ComposeStep.WHEN))
        if action == "when":
            return await self._to(profile, seen, self._when(draft, arg))
        if action == "wd":
            if arg == "done":
                if not draft.weekdays:
                    raise InvalidInput("adv-weekdays-none")
                return await self._to(profile, seen, replace(draft, step=ComposeStep.TIME))
            day = whole_number(arg)
            days = set(draft.weekdays) ^ ({day} if day is not None and day in range(7) else set())
            return await self._to(profile, seen, replace(draft, weekdays=tuple(sorted(days))))
        if action == "nountil":
            return await self._to(profile, seen, self._recurring(draft, None))
        raise StaleStep()  # "cancel" and "confirm" are their own moves

    def _when(self, draft: Composition, choice: str) -> Composition:
        if choice == "now":
            schedule = Schedule(Recurrence.ONCE, run_at=datetime.now(UTC))
            return replace(draft, now=True, schedule=schedule, step=ComposeStep.PREVIEW)
        draft = replace(draft, now=False)
        if choice == "at":
            return replace(draft, step=ComposeStep.DATETIME)
        if choice == "weekly":
            return replace(
                draft, recurrence=Recurrence.WEEKLY, weekdays=(), step=ComposeStep.WEEKDAYS
            )
        if choice == "monthly":
            return replace(draft, recurrence=Recurrence.MONTHLY, step=ComposeStep.MONTHDAY)
        return replace(draft, recurrence=Recurrence.DAILY, step=ComposeStep.TIME)

    async def pick_area(
        self, profile: Profile, seen: Turn[Composition], area_id: int
    ) -> Turn[Composition]:
        """TARGET: every group of an area (InvalidInput when it has none)."""
        draft = expect(seen, "area").draft
        area, count = await self._targets.area_target(profile, area_id)
        if count == 0:
            raise InvalidInput("adv-no-groups")
        new = replace(draft, area_id=area.id, chat_ids=(), target=area.name, count=count)
        return await self._to(profile, seen, replace(new, step=ComposeStep.OPTIONS))

    async def confirm(self, profile: Profile, seen: Turn[Composition]) -> AdvisoryDTO:
        """PREVIEW: the advisory is created; of two presses only one ends the flow and
        creates it (the other is refused as stale)."""
        draft = expect(seen, "confirm").draft
        await self._conversations.finish(COMPOSE, profile.user.id, seen)
        if draft.now:
            draft = replace(draft, schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)))
        return await self._advisories.create(profile, draft.to_advisory())
