"""The police inbox: tips of an officer's areas, one card per tip, and the officer's actions on
them (take, close with a note, reject with a reason, escalate, confirm a scam, send to review).

Every action is checked again when it arrives (buttons can be forged or replayed): the
presser's police rights on the tip's *current* area, the tip's current status and, when the
button carries one, the version the officer was looking at. Refusals are audited as
``denied`` (:class:`services.inbox_guard.InboxGuard`). Status changes go through
:meth:`services.tip_followup.TipFollowUp.change_status`, which records the history and tells
the reporter.

The listing and the tip card are here (:class:`InboxQueries`); the plain parts (constants,
result types, buttons, callback parsing) are in :mod:`services.inbox_model`, the checks in
:mod:`services.inbox_guard` and the actions in :mod:`services.inbox_actions`.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from services.access import Profile, police_areas
from services.areas import local_names
from services.errors import NotFound, PermissionDenied
from services.inbox_guard import PRIVATE, InboxGuard
from services.inbox_model import (
    PAGE_SIZE,
    STATUS_CODES,
    InboxEntry,
    InboxPage,
    TipCard,
)
from services.text_input import clean
from services.tip_card_data import load_tip_card
from storage.dto import AreaDTO
from storage.models import Role
from storage.repositories.areas import AreaRepository
from storage.repositories.inbox import InboxRepository
from storage.uow import Session, Sessions, transaction


class InboxQueries:
    """What an officer sees of the tips of their areas: the listing and one tip's card."""

    def __init__(self, sessions: Sessions, guard: InboxGuard, *, tz: ZoneInfo) -> None:
        self._sessions = sessions
        self._guard = guard
        self._tz = tz

    def local_time(self, moment: datetime) -> str:
        return moment.astimezone(self._tz).strftime("%H:%M %d/%m/%Y")

    @staticmethod
    def _paths(profile: Profile) -> list[str] | None:
        if profile.is_superadmin:
            return None
        return [a.path for a in profile.areas_for(Role.POLICE)]

    async def _paths_in(
        self, session: Session, profile: Profile, chat_id: int
    ) -> list[str] | None:
        """The area paths whose tips may be listed in ``chat_id`` (None: every area)."""
        where = await self._guard.police_chat_area(session, profile, chat_id)
        if where is PRIVATE:
            return self._paths(profile)
        if not isinstance(where, AreaDTO):
            raise PermissionDenied("inbox-wrong-chat")
        if profile.is_superadmin or profile.can(Role.POLICE, where):
            return [where.path]
        # Officers of parts of the chat's area see those parts.
        parts = [a.path for a in profile.areas_for(Role.POLICE) if where.contains(a)]
        if not parts:
            raise PermissionDenied("inbox-wrong-chat")
        return parts

    def scope(self, profile: Profile) -> list[str] | None:
        """The area paths of the officer's inbox (None: every area, a super-admin); anyone
        without police rights is refused, on every surface that lists tips."""
        police_areas(profile, "inbox-not-police")
        return self._paths(profile)

    # -- listing -----------------------------------------------------------------------------
    async def page(
        self,
        profile: Profile,
        *,
        chat_id: int,
        status: str = "a",
        category: str = "all",
        page: int = 0,
    ) -> InboxPage:
        """A page of the officer's tips, to show in ``chat_id``: in their private chat every
        area of theirs; in a police work chat only that chat's area; elsewhere refused."""
        self.scope(profile)
        if status not in STATUS_CODES:
            status = "a"
        category = (category or "all")[:32]
        page = max(0, page)
        async with transaction(self._sessions) as session:
            paths = await self._paths_in(session, profile, chat_id)
            repo = InboxRepository(session)
            page_at = partial(
                repo.page,
                paths,
                status=STATUS_CODES[status],
                category=None if category == "all" else category,
                limit=PAGE_SIZE,
            )
            items, total = await page_at(offset=page * PAGE_SIZE)
            pages = max(1, -(-total // PAGE_SIZE))
            if page >= pages and total:  # past the end (tips were closed since): the last page
                page = pages - 1
                items, total = await page_at(offset=page * PAGE_SIZE)
            review = await repo.open_review_ids([r.id for r in items])
            closed = await repo.review_closings([r.id for r in items])
            names = await local_names(
                AreaRepository(session), {r.area_id for r in items if r.area_id is not None}
            )
        entries = tuple(
            InboxEntry(
                r,
                names.get(r.area_id) if r.area_id is not None else None,
                r.id in review,
                r.id in closed,
            )
            for r in items
        )
        return InboxPage(entries, page, pages, total, status, category)

    async def find_code(self, profile: Profile, code: str) -> int:
        """The id of the tip with this code, if the officer may see it. Another area's tip
        reads as "not found" (and the attempt is audited)."""
        police_areas(profile, "inbox-not-police")
        async with transaction(self._sessions) as session:
            report = await InboxRepository(session).get_by_code(clean(code).upper())
            area = (
                await AreaRepository(session).get(report.area_id)
                if report is not None and report.area_id is not None
                else None
            )
        if report is None:
            raise NotFound("inbox-code-not-found", code=code)
        if not (profile.is_superadmin or (area is not None and profile.can(Role.POLICE, area))):
            await self._guard.deny(profile, "open", report.id, report.area_id, "rights")
            raise NotFound("inbox-code-not-found", code=code)
        return report.id

    # -- one tip -----------------------------------------------------------------------------
    async def card(self, profile: Profile, report_id: int, *, chat_id: int) -> TipCard:
        """The whole tip for an officer of its area, to show in ``chat_id``: their private
        chat or the police work chat of the tip's area (anyone or anywhere else is refused
        and audited)."""
        checked = await self._guard.check(profile, "open", report_id, None, chat_id=chat_id)
        async with transaction(self._sessions) as session:
            return await load_tip_card(session, checked.report, checked.area)
