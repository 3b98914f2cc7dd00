"""The advisory composer's moves (services/advisory_steps.py has its draft and steps): each
step's rule reads an answer and gives the next draft (:meth:`AdvisoryComposer.typed`,
:meth:`~AdvisoryComposer.pressed`, :meth:`~AdvisoryComposer.area_chosen`), and the chat's
moves store that draft over the turn's version (services/conversation.py). The console's form
is the same steps answered at once, through the same rules
(services/console_advisories.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from services.access import Profile
from services.advisories import AdvisoryService
from services.advisory_steps import COMPOSE, ComposeStep, Composition, accepts, expect
from services.advisory_targets import AdvisoryTargets
from services.advisory_types import AdvisoryDTO
from services.conversation import Conversations, StaleStep, Turn
from services.domain import Recurrence
from services.errors import InvalidInput
from services.schedule_text import Schedule, format_hm, parse_date, parse_moment, parse_time
from services.text_input import whole_number


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

    # -- each step's rule: an answer read, the next draft (every surface) ------------------
    def typed(
        self,
        draft: Composition,
        text: str | None,
        media: tuple[str, str] | None = None,
        *,
        now: datetime | None = None,
    ) -> Composition:
        """A typed answer at ``draft``'s step (``text`` as HTML; ``media``: kind and file id
        of a photo or file): the next draft, or the step's refusal."""
        accepts(draft)
        step, raw = draft.step, (text or "").strip()
        if step is ComposeStep.TEXT:
            if text is None:  # a photo or file without a caption
                raise InvalidInput("adv-need-text")
            checked = self._advisories.check_text(text)
            if media:
                new = replace(draft, text=checked, media_kind=media[0], media_file_id=media[1])
                return replace(new, step=ComposeStep.TARGET)
            return replace(draft, text=checked, step=ComposeStep.MEDIA)
        if step is ComposeStep.MEDIA:
            if media is None:
                raise InvalidInput("adv-need-media")
            new = replace(draft, media_kind=media[0], media_file_id=media[1])
            return replace(new, step=ComposeStep.TARGET)
        now = now or datetime.now(UTC)
        if step is ComposeStep.DATETIME:
            moment = parse_moment(raw, now, self._tz)
            new = replace(draft, schedule=Schedule(Recurrence.ONCE, run_at=moment))
            return replace(new, step=ComposeStep.PREVIEW)
        if step is ComposeStep.MONTHDAY:
            day = whole_number(raw)
            if day is None or not 1 <= day <= 31:
                raise InvalidInput("sched-month-day-invalid")
            return replace(draft, month_day=day, step=ComposeStep.TIME)
        if step is ComposeStep.TIME:
            hm = parse_time(raw) if len(raw) <= 32 else None
            if hm is None:
                raise InvalidInput("sched-time-invalid", text=raw[:32])
            return replace(draft, time_of_day=format_hm(*hm), step=ComposeStep.UNTIL)
        if step is ComposeStep.UNTIL:
            until = parse_date(raw[:32], now.astimezone(self._tz).date())
            if until is None:
                raise InvalidInput("sched-date-invalid", text=raw[:32])
            return self._recurring(draft, until, now)
        raise StaleStep()  # EDIT has its own move: edit()

    def pressed(
        self, draft: Composition, data: str, *, now: datetime | None = None
    ) -> Composition:
        """A button of ``draft``'s step (``data`` as in :func:`choices`, or "groups:<page>" and
        "g:<group id>" from the surface's group list): the next draft, or its refusal."""
        action, _, arg = data.partition(":")
        accepts(draft, action)
        if action == "skipmedia":
            return replace(draft, step=ComposeStep.TARGET)
        if action == "groups":
            return replace(draft, groups_page=whole_number(arg) or 0)
        if action == "g":
            group_id = whole_number(arg)
            chosen = set(draft.chat_ids) ^ ({group_id} if group_id is not None else set())
            return replace(draft, chat_ids=tuple(sorted(chosen)))
        if action == "gdone":
            if not draft.chat_ids:
                raise InvalidInput("adv-groups-none")
            new = replace(draft, area_id=None, target="", count=len(draft.chat_ids))
            return replace(new, step=ComposeStep.OPTIONS)
        if action == "opt":
            if arg in ("pin", "silent"):
                return replace(draft, **{arg: not getattr(draft, arg)})
            return replace(draft, step=ComposeStep.WHEN)
        if action == "when":
            return self._when(draft, arg, now or datetime.now(UTC))
        if action == "wd":
            if arg == "done":
                if not draft.weekdays:
                    raise InvalidInput("adv-weekdays-none")
                return replace(draft, step=ComposeStep.TIME)
            day = whole_number(arg)
            days = set(draft.weekdays) ^ ({day} if day is not None and day in range(7) else set())
            return replace(draft, weekdays=tuple(sorted(days)))
        if action == "nountil":
            return self._recurring(draft, None, now or datetime.now(UTC))
        raise StaleStep()  # "cancel" and "confirm" are their own moves

    async def area_chosen(self, profile: Profile, draft: Composition, area_id: int) -> Composition:
        """TARGET: every group of an area (InvalidInput when it has none)."""
        accepts(draft, "area")
        area, count = await self._targets.area_target(profile, area_id)
        if count == 0:
            raise InvalidInput("adv-no-groups")
        new = replace(draft, area_id=area.id, chat_ids=(), target=area.name, count=count)
        return replace(new, step=ComposeStep.OPTIONS)

    def _recurring(self, draft: Composition, until: date | None, now: datetime) -> Composition:
        assert draft.recurrence is not None
        schedule = Schedule(
            draft.recurrence,
            time_of_day=draft.time_of_day,
            weekdays=draft.weekdays,
            month_day=draft.month_day,
            until=until,
        ).validate()
        if schedule.next_after(now, self._tz) is None:
            raise InvalidInput("sched-no-future-run")
        return replace(draft, schedule=schedule, step=ComposeStep.PREVIEW)

    def _when(self, draft: Composition, choice: str, now: datetime) -> Composition:
        if choice == "now":
            schedule = Schedule(Recurrence.ONCE, run_at=now)
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

    # -- the chat's moves: the rule's draft, stored over the turn's version ----------------
    async def answer(
        self,
        profile: Profile,
        seen: Turn[Composition],
        text: str | None,
        media: tuple[str, str] | None = None,
    ) -> Turn[Composition]:
        """A typed answer (``text`` as HTML; ``media``: kind and file id of a photo or file)."""
        return await self._to(profile, seen, self.typed(expect(seen).draft, text, media))

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
        """A button of the step (see :meth:`pressed`)."""
        draft = expect(seen, data.partition(":")[0]).draft
        return await self._to(profile, seen, self.pressed(draft, data))

    async def pick_area(
        self, profile: Profile, seen: Turn[Composition], area_id: int
    ) -> Turn[Composition]:
        """TARGET: every group of an area (see :meth:`area_chosen`)."""
        draft = await self.area_chosen(profile, expect(seen, "area").draft, area_id)
        return await self._to(profile, seen, draft)

    async def confirm(self, profile: Profile, seen: Turn[Composition]) -> AdvisoryDTO:
        """PREVIEW: the advisory is created; of two presses only one ends the flow and
        creates it (the other is refused as stale)."""
        draft = expect(seen, "confirm").draft
        await self._conversations.finish(COMPOSE, profile.user.id, seen)
        if draft.now:
            draft = replace(draft, schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)))
        return await self._advisories.create(profile, draft.to_advisory())
