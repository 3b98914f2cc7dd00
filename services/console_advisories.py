"""The console's Cảnh báo page: composing an advisory, the calendar of scheduled ones, each
run's per-group delivery report, and retracting.

Every rule is the chat composer's (/phatcanhbao): the form's fields are that conversation's
steps answered at once, each through the step's own rule
(:class:`~services.advisory_compose.AdvisoryComposer`: :meth:`~.AdvisoryComposer.typed`,
:meth:`~.AdvisoryComposer.pressed`, :meth:`~.AdvisoryComposer.area_chosen`), so a value the
chat refuses the form refuses with the same words; storing goes through
:meth:`~services.advisories.AdvisoryService.create`; the calendar lists what /lichphat lists
(:meth:`~services.advisories.AdvisoryService.managed`), a report and a retraction check what
/thuhoi checks (:meth:`~services.advisories.AdvisoryService.get_editable`,
:meth:`~services.advisories.AdvisoryService.retract`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.access import Profile
from services.advisories import AdvisoryDraft, AdvisoryService, RetractResult, schedule_of
from services.advisory_compose import AdvisoryComposer
from services.advisory_runs import AdvisoryRuns
from services.advisory_steps import ComposeStep, Composition
from services.advisory_targets import AdvisoryTargets
from services.console_model import AreaOption
from services.errors import InvalidInput, PermissionDenied
from services.ports import OutgoingMessage
from services.schedule_text import Schedule
from services.text_input import whole_number
from storage.models import AdvisoryStatus, DeliveryState, Role, RunStatus
from storage.repositories.advisories import AdvisoryDTO
from storage.repositories.advisory_runs import RunDTO
from storage.repositories.areas import AreaRepository
from storage.repositories.console_pages import ConsolePagesRepository, DeliveryLine
from storage.uow import Sessions, transaction

WHEN_CHOICES = ("now", "at", "daily", "weekly", "monthly")
"""The chat composer's "when" buttons, in its order."""
MAX_TARGETS = 600
"""Areas offered as targets: a province officer picks down to the wards (as the chat's
picker, one level at a time, would take a while to reach a tổ dân phố)."""
MAX_PER_MONTH = 62
"""Occurrences of one advisory shown in a month (a daily one has at most 31)."""


@dataclass(frozen=True, slots=True)
class GroupChoice:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class ComposeChoices:
    areas: tuple[AreaOption, ...]
    groups: tuple[GroupChoice, ...]


@dataclass(frozen=True, slots=True)
class ComposeInput:
    """The form as typed (kept to show it again with a refusal)."""

    text: str = ""
    target: str = "area"
    area_id: int | None = None
    chat_ids: tuple[int, ...] = ()
    pin: bool = False
    silent: bool = False
    when: str = "now"
    at_date: str = ""
    """YYYY-MM-DD (a browser's date field)."""
    at_time: str = ""
    time_of_day: str = ""
    weekdays: tuple[int, ...] = ()
    month_day: str = ""
    until: str = ""

    @classmethod
    def parse(
        cls, one: Callable[[str], str], many: Callable[[str], Sequence[str]]
    ) -> ComposeInput:
        def numbers(name: str, top: int) -> tuple[int, ...]:
            found = {whole_number(v[:9]) for v in many(name)}
            return tuple(sorted(n for n in found if n is not None and n <= top))

        when = one("when")
        return cls(
            text=one("text")[:5000],
            target="groups" if one("target") == "groups" else "area",
            area_id=whole_number(one("area_id")[:9]),
            chat_ids=numbers("chat_ids", 10**12),
            pin=one("pin") == "on",
            silent=one("silent") == "on",
            when=when if when in WHEN_CHOICES else "now",
            at_date=one("at_date")[:10],
            at_time=one("at_time")[:32],
            time_of_day=one("time_of_day")[:32],
            weekdays=numbers("weekdays", 6),
            month_day=one("month_day")[:4],
            until=one("until")[:10],
        )


@dataclass(frozen=True, slots=True)
class Composed:
    """A checked draft: what the preview shows and what "send" stores."""

    draft: AdvisoryDraft
    target_name: str | None
    """The area's name, or None for groups chosen one by one."""
    count: int
    """Residents' groups it reaches (the chat's preview says the same number)."""
    message: OutgoingMessage
    now: bool


@dataclass(frozen=True, slots=True)
class AdvisoryLine:
    advisory: AdvisoryDTO
    schedule: Schedule
    area_name: str | None


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    advisory_id: int
    title: str
    at: datetime
    """Local time."""
    kind: str
    """``planned``, ``sent`` or ``missed``."""


@dataclass(frozen=True, slots=True)
class CalendarDay:
    day: date
    in_month: bool
    entries: tuple[CalendarEntry, ...]


@dataclass(frozen=True, slots=True)
class CalendarMonth:
    first: date
    weeks: tuple[tuple[CalendarDay, ...], ...]
    advisories: tuple[AdvisoryLine, ...]

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def following(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True, slots=True)
class RunReport:
    run: RunDTO
    groups: tuple[DeliveryLine, ...]
    direct: Mapping[str, int]
    """Residents reached by direct message, counted by delivery state (never named)."""
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class AdvisoryReport:
    line: AdvisoryLine
    runs: tuple[RunReport, ...]
    copies: int = field(default=0)
    """Copies in groups now: what a retraction would delete."""


class ConsoleAdvisories:
    def __init__(
        self,
        sessions: Sessions,
        advisories: AdvisoryService,
        targets: AdvisoryTargets,
        runs: AdvisoryRuns,
        composer: AdvisoryComposer,
        *,
        tz: ZoneInfo,
    ) -> None:
        self._sessions = sessions
        self._advisories = advisories
        self._targets = targets
        self._runs = runs
        self._composer = composer
        """Each field's rule: the chat composer's step that asks it."""
        self._tz = tz

    # -- composing -------------------------------------------------------------------------
    async def choices(self, profile: Profile) -> ComposeChoices:
        """The areas and groups this officer may warn (the chat picker's, as one list)."""
        areas = await self.target_areas(profile)
        groups = await self._targets.groups_for(profile)
        return ComposeChoices(
            areas, tuple(GroupChoice(g.id, g.title or f"#{g.id}") for g in groups)
        )

    async def target_areas(self, profile: Profile) -> tuple[AreaOption, ...]:
        """The officer's areas and what lies below them, in tree order."""
        self._targets.require_police(profile)
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            tops = (
                await areas.children(None)
                if profile.is_superadmin
                else sorted(profile.areas_for(Role.POLICE), key=lambda a: a.path)
            )
            found: list[AreaOption] = []
            for top in tops:
                base = top.path.count("/")
                for area in await areas.subtree(top):
                    if len(found) >= MAX_TARGETS:
                        break
                    found.append(AreaOption(area.id, area.name, area.path.count("/") - base))
        return tuple(found)

    async def compose(
        self, profile: Profile, form: ComposeInput, now: datetime | None = None
    ) -> Composed:
        """The form's fields answered as the chat's steps, in the chat's order, each through
        that step's rule (so a value the chat refuses the form refuses with the same words);
        the residents' message to preview."""
        self._targets.require_police(profile)
        now = now or datetime.now(UTC)
        rules = self._composer
        draft = Composition(ComposeStep.TEXT)
        draft = rules.typed(draft, html.escape(form.text.strip(), quote=False))
        draft = rules.pressed(draft, "skipmedia")
        if form.target == "area":
            if form.area_id is None:
                raise InvalidInput("adv-target-missing")
            draft = await rules.area_chosen(profile, draft, form.area_id)
        else:
            allowed = {g.id for g in await self._targets.groups_for(profile)}
            if not set(form.chat_ids) <= allowed:  # the chat offers only these to tick
                raise PermissionDenied("adv-area-not-yours")
            for chat_id in form.chat_ids:
                draft = rules.pressed(draft, f"g:{chat_id}")
            draft = rules.pressed(draft, "gdone")
        for option in ("pin", "silent"):
            if getattr(form, option):
                draft = rules.pressed(draft, f"opt:{option}")
        draft = rules.pressed(rules.pressed(draft, "opt:next"), f"when:{form.when}", now=now)
        for answer in _answers(form):
            if answer.startswith(":"):
                draft = rules.pressed(draft, answer[1:], now=now)
            else:
                draft = rules.typed(draft, answer, now=now)
        assert draft.step is ComposeStep.PREVIEW
        advisory = draft.to_advisory()
        message = await self._advisories.preview_message(profile, advisory)
        return Composed(advisory, draft.target or None, draft.count, message, draft.now)

    async def send(self, profile: Profile, form: ComposeInput) -> AdvisoryDTO:
        """Store it, checked again (a "now" is stamped at this press, as the chat does)."""
        composed = await self.compose(profile, form)
        return await self._advisories.create(profile, composed.draft)

    # -- the calendar ----------------------------------------------------------------------
    async def calendar(
        self, profile: Profile, month: date, now: datetime | None = None
    ) -> CalendarMonth:
        """The month's grid (weeks from Monday): runs that went out or were missed, and the
        occurrences still planned, of the advisories /lichphat lists for this officer."""
        now = now or datetime.now(UTC)
        first = month.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        start = datetime.combine(first, time(0), tzinfo=self._tz).astimezone(UTC)
        end = datetime.combine(following, time(0), tzinfo=self._tz).astimezone(UTC)
        lines = await self._lines(profile, await self._advisories.managed(profile))
        by_day: dict[date, list[CalendarEntry]] = {}

        def add(advisory: AdvisoryDTO, at: datetime, kind: str) -> None:
            local = at.astimezone(self._tz)
            entry = CalendarEntry(advisory.id, advisory.title, local, kind)
            by_day.setdefault(local.date(), []).append(entry)

        for line in lines:
            advisory = line.advisory
            for run in await self._runs.runs_of(advisory.id):
                if start <= run.scheduled_for < end:
                    add(advisory, run.scheduled_for, _run_kind(run))
            if advisory.status is not AdvisoryStatus.ACTIVE:
                continue
            moment = max(start, now)
            for _ in range(MAX_PER_MONTH):
                upcoming = line.schedule.next_after(moment, self._tz, inclusive=True)
                if upcoming is None or upcoming >= end:
                    break
                add(advisory, upcoming, "planned")
                moment = upcoming + timedelta(seconds=1)
        grid_start = first - timedelta(days=first.weekday())
        weeks = []
        day = grid_start
        while day < following:
            week = []
            for _ in range(7):
                entries = sorted(by_day.get(day, []), key=lambda e: (e.at, e.advisory_id))
                week.append(CalendarDay(day, day.month == first.month, tuple(entries)))
                day += timedelta(days=1)
            weeks.append(tuple(week))
        return CalendarMonth(first, tuple(weeks), tuple(lines))

    async def _lines(
        self, profile: Profile, advisories: Sequence[AdvisoryDTO]
    ) -> tuple[AdvisoryLine, ...]:
        async with transaction(self._sessions) as session:
            names = {
                a.id: a.name
                for a in await AreaRepository(session).get_many(
                    sorted({a.area_id for a in advisories if a.area_id is not None})
                )
            }
        return tuple(
            AdvisoryLine(a, schedule_of(a), names.get(a.area_id) if a.area_id else None)
            for a in advisories
        )

    # -- one advisory: its runs, retracting -------------------------------------------------
    async def report(self, profile: Profile, advisory_id: int) -> AdvisoryReport:
        """Each run with every group's delivery (rights: those of /thuhoi)."""
        advisory = await self._advisories.get_editable(profile, advisory_id)
        runs = await self._runs.runs_of(advisory_id)
        async with transaction(self._sessions) as session:
            lines = await ConsolePagesRepository(session).delivery_lines([r.id for r in runs])
        reports = []
        for run in sorted(runs, key=lambda r: r.scheduled_for, reverse=True):
            mine = [line for line in lines if line.run_id == run.id]
            direct: dict[str, int] = {}
            counts: dict[str, int] = {}
            for line in mine:
                counts[line.status.value] = counts.get(line.status.value, 0) + 1
                if not line.is_group:
                    direct[line.status.value] = direct.get(line.status.value, 0) + 1
            groups = tuple(line for line in mine if line.is_group)
            reports.append(RunReport(run, groups, direct, counts))
        copies = sum(1 for line in lines if line.is_group and line.status is DeliveryState.SENT)
        [line] = await self._lines(profile, [advisory])
        return AdvisoryReport(line, tuple(reports), copies)

    async def reach(self, profile: Profile, advisory_id: int) -> int:
        """Copies a retraction would delete (asked before the confirmation)."""
        return await self._advisories.reach(profile, advisory_id)

    async def retract(self, profile: Profile, advisory_id: int) -> RetractResult:
        return await self._advisories.retract(profile, advisory_id)


def _run_kind(run: RunDTO) -> str:
    return "missed" if run.status is RunStatus.MISSED else "sent"


def _answers(form: ComposeInput) -> list[str]:
    """What the chat would be sent after the "when" button, step by step: typed answers, and
    buttons as ``:<data>``. The browser's date fields (YYYY-MM-DD) are typed as the chat's
    day/month/year."""
    if form.when == "now":
        return []
    if form.when == "at":
        moment = form.at_time.strip()
        return [f"{moment} {_iso_day(form.at_date):%d/%m/%Y}" if form.at_date else moment]
    answers: list[str] = []
    if form.when == "weekly":
        answers = [f":wd:{day}" for day in form.weekdays] + [":wd:done"]
    elif form.when == "monthly":
        answers = [form.month_day]
    answers.append(form.time_of_day)
    answers.append(f"{_iso_day(form.until):%d/%m/%Y}" if form.until else ":nountil")
    return answers


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("sched-date-invalid", text=text[:32]) from None


def month_of(text: str, today: date) -> date:
    """``YYYY-MM`` from the address (within fifty years of today), else this month."""
    try:
        year, month = (int(part) for part in text.split("-", 1))
        if abs(year - today.year) <= 50:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)
