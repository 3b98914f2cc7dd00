"""The police console's reads: the inbox with filters, one tip's page, its media, the map.

Rights are the chat's, through the chat's own calls: the inbox's scope and refusal come from
:meth:`services.inbox.InboxQueries.scope` (what /hopthu lists), a tip's page from
:meth:`~services.inbox.InboxQueries.card` (what opening a card in the chat checks and audits),
media from :meth:`~services.inbox_guard.InboxGuard.check`. Choosing an area outside one's own is
refused, not silently widened or emptied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.access import Profile
from services.console_model import (
    COUNT_CAP,
    MAP_PERIODS,
    PAGE_SIZE,
    AreaOption,
    ConsoleFilter,
    InboxLine,
    InboxResult,
    MapData,
    MapLabel,
    TipAction,
    TipPage,
)
from services.errors import NotFound, PermissionDenied
from services.inbox import InboxQueries
from services.inbox_guard import InboxGuard
from services.inbox_model import card_buttons
from services.stats_figures import roll_up
from storage.dto import AreaDTO
from storage.models import AreaKind, ReportStatus, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.console import MAP_LIMIT, ConsoleRepository, InboxQuery, MapPoint
from storage.repositories.inbox import InboxRepository
from storage.repositories.relay import RelayRepository
from storage.repositories.tips import TipRepository
from storage.uow import Session, Sessions, transaction

CODE = re.compile(r"^[A-Za-z]{1,6}-\d{4}-\d{1,10}$")
"""A tip's reference code (``TB-2611-0042``): searched exactly, not as words."""
MAX_WORDS = 5
SUMMARY = 140
STATUS_SETS: dict[str, tuple[ReportStatus, ...]] = {
    "open": (ReportStatus.RECEIVED, ReportStatus.VERIFYING),
    "all": (),
    **{s.value: (s,) for s in ReportStatus},
}


class ConsoleService:
    def __init__(
        self, sessions: Sessions, inbox: InboxQueries, guard: InboxGuard, *, tz: ZoneInfo
    ) -> None:
        self._sessions = sessions
        self._inbox = inbox
        self._guard = guard
        self._tz = tz

    # -- scope -----------------------------------------------------------------------------
    async def _narrow(self, session: Session, profile: Profile, area_id: int) -> list[str] | None:
        """The officer's inbox scope, or one area of it (another area is refused)."""
        paths = self._inbox.scope(profile)
        if not area_id:
            return paths
        area = await AreaRepository(session).get(area_id)
        if area is None or not (profile.is_superadmin or profile.can(Role.POLICE, area)):
            raise PermissionDenied("web-area-not-yours")
        return [area.path]

    async def _area_options(self, session: Session, profile: Profile) -> tuple[AreaOption, ...]:
        """The areas one may narrow to: down to the wards, and to the tổ dân phố when the
        officer's areas are wards (a province's hundred thousand tổ would drown the list)."""
        tops = profile.areas_for(Role.POLICE)
        paths = None if profile.is_superadmin else [a.path for a in tops]
        deepest = max((a.kind.depth for a in tops), default=AreaKind.PROVINCE.depth)
        if profile.is_superadmin:
            kinds = [AreaKind.PROVINCE, AreaKind.DISTRICT]
        elif deepest >= AreaKind.WARD.depth:
            kinds = list(AreaKind)
        else:
            kinds = [k for k in AreaKind if k.depth <= AreaKind.WARD.depth]
        found = await ConsoleRepository(session).areas_under(paths, kinds)
        top = min((a.kind.depth for a in found), default=0)
        return tuple(AreaOption(a.id, a.name, a.kind.depth - top) for a in found)

    def _bounds(self, f: ConsoleFilter) -> tuple[datetime | None, datetime | None]:
        since = (
            datetime.combine(f.date_from, time(0), tzinfo=self._tz).astimezone(UTC)
            if f.date_from
            else None
        )
        until = (
            datetime.combine(f.date_to + timedelta(days=1), time(0), tzinfo=self._tz).astimezone(
                UTC
            )
            if f.date_to
            else None
        )
        return since, until

    # -- the inbox -------------------------------------------------------------------------
    async def inbox(self, profile: Profile, f: ConsoleFilter) -> InboxResult:
        since, until = self._bounds(f)
        code = f.search.upper() if CODE.match(f.search) else None
        words = () if code else tuple(w for w in f.search.split() if w)[:MAX_WORDS]
        async with transaction(self._sessions) as session:
            paths = await self._narrow(session, profile, f.area_id)
            query = InboxQuery(
                paths,
                statuses=STATUS_SETS[f.status],
                category=None if f.category == "all" else f.category,
                since=since,
                until=until,
                code=code,
                words=words,
            )
            repo = ConsoleRepository(session)
            total = await repo.count(query, cap=COUNT_CAP + 1)
            pages = max(1, -(-min(total, COUNT_CAP) // PAGE_SIZE))
            f = f.with_page(min(f.page, pages - 1))
            rows = await repo.inbox(query, offset=f.page * PAGE_SIZE, limit=PAGE_SIZE)
            review = await InboxRepository(session).open_review_ids([r.report.id for r in rows])
            names = {
                a.id: a.name
                for a in await AreaRepository(session).get_many(
                    sorted({r.report.area_id for r in rows if r.report.area_id is not None})
                )
            }
            areas = await self._area_options(session, profile)
        lines = tuple(
            InboxLine(
                id=r.report.id,
                code=r.report.code,
                kind=r.report.kind.value,
                category=r.report.category,
                status=r.report.status.value,
                created_at=r.report.created_at,
                area_name=names.get(r.report.area_id) if r.report.area_id else None,
                attachments=r.attachments,
                has_pin=r.report.latitude is not None and r.report.longitude is not None,
                reporter_name=r.reporter_name,
                needs_review=r.report.id in review,
                summary=_summary(r.report.text),
            )
            for r in rows
        )
        return InboxResult(lines, f, min(total, COUNT_CAP), total > COUNT_CAP, pages, areas)

    # -- one tip ---------------------------------------------------------------------------
    async def tip(self, profile: Profile, report_id: int) -> TipPage:
        """The chat's tip card (same check, same audit of a refusal), with what the page adds:
        the tips merged into it and the actions the chat's buttons offer."""
        card = await self._inbox.card(profile, report_id, chat_id=_own_view(profile))
        async with transaction(self._sessions) as session:
            repo = ConsoleRepository(session)
            duplicates = await repo.duplicates(report_id)
            kept = await repo.merged_into(report_id)
        actions = []
        for row in card_buttons(card):
            for button in row:
                _, action, _, version = button.data.split(":")
                actions.append(TipAction(action, int(version)))
        return TipPage(
            card=card,
            actions=tuple(actions),
            duplicates=tuple((d.id, d.code) for d in duplicates),
            merged_into=(kept.id, kept.code) if kept is not None else None,
            area_names=tuple(a.name for a in card.lineage),
        )

    async def attachment(self, profile: Profile, report_id: int, index: int) -> tuple[str, str]:
        """(kind, file id or URL) of a tip's photo, video or voice, for officers of its area."""
        await self._guard.check(profile, "open", report_id, None, chat_id=_own_view(profile))
        async with transaction(self._sessions) as session:
            items = await TipRepository(session).attachments(report_id)
        if not 0 <= index < len(items):
            raise NotFound("web-media-not-found")
        return items[index].kind, items[index].file_id

    async def relay_media(
        self, profile: Profile, report_id: int, relay_id: int
    ) -> tuple[str, str]:
        """(kind, file id) of a photo sent in a tip's relay thread."""
        await self._guard.check(profile, "open", report_id, None, chat_id=_own_view(profile))
        async with transaction(self._sessions) as session:
            row = await RelayRepository(session).get(relay_id)
        if row is None or row.report_id != report_id or not row.media_file_id:
            raise NotFound("web-media-not-found")
        return row.media_kind or "photo", row.media_file_id

    # -- the map ---------------------------------------------------------------------------
    async def map(
        self,
        profile: Profile,
        f: ConsoleFilter,
        today: date | None = None,
        *,
        with_areas: bool = True,
    ) -> MapData:
        """Pinned tips of the period, and each area one level below the scope with its count
        and the middle of its pins (the labels that stay when no map tiles load);
        ``with_areas``: also the areas one may narrow to (the page's form needs them, the
        data alone does not)."""
        today = today or datetime.now(UTC).astimezone(self._tz).date()
        until_day = f.date_to or today
        since_day = f.date_from or until_day - timedelta(days=MAP_PERIODS[f.days] - 1)
        bounds = ConsoleFilter(date_from=since_day, date_to=until_day)
        since, until = self._bounds(bounds)
        assert since is not None and until is not None
        category = None if f.category == "all" else f.category
        async with transaction(self._sessions) as session:
            paths = await self._narrow(session, profile, f.area_id)
            repo = ConsoleRepository(session)
            points = await repo.map_points(paths, since=since, until=until, category=category)
            counts = await repo.counts_by_area(paths, since=since, until=until, category=category)
            units = await self._units(session, profile, f.area_id, paths)
            areas = await self._area_options(session, profile) if with_areas else ()
        labels = _labels(units, counts, points)
        return MapData(
            points=tuple((p.id, p.latitude, p.longitude, p.category, p.status) for p in points),
            labels=labels,
            since=since_day,
            until=until_day,
            truncated=len(points) >= MAP_LIMIT,
            filter=f,
            areas=areas,
        )

    async def _units(
        self, session: Session, profile: Profile, area_id: int, paths: list[str] | None
    ) -> list[AreaDTO]:
        areas = AreaRepository(session)
        if area_id:
            scope = await areas.get_many([area_id])
        elif paths is None:
            return await areas.children(None)
        else:
            scope = profile.areas_for(Role.POLICE)
        units: list[AreaDTO] = []
        for area in scope:
            units += await areas.children(area.id) or [area]
        return units


def _summary(text: str) -> str:
    flat = " ".join(text.split())
    return flat[:SUMMARY] + ("…" if len(flat) > SUMMARY else "")


def _unit_of(path: str, unit_paths: dict[str, int]) -> int | None:
    """The unit (one of disjoint subtrees) that contains the area with this path."""
    parts = path.strip("/").split("/")
    for depth in range(len(parts), 0, -1):
        found = unit_paths.get("/" + "/".join(parts[:depth]) + "/")
        if found is not None:
            return found
    return None


def _labels(
    units: Sequence[AreaDTO],
    counts: dict[int, tuple[str, int]],
    points: Sequence[MapPoint],
) -> tuple[MapLabel, ...]:
    totals = roll_up(units, dict(counts.values()))
    unit_paths = {u.path: u.id for u in units}
    unit_of_area = {a: _unit_of(path, unit_paths) for a, (path, _) in counts.items()}
    sums: dict[int, list[float]] = {}
    for p in points:
        unit = unit_of_area.get(p.area_id) if p.area_id is not None else None
        if unit is not None:
            acc = sums.setdefault(unit, [0.0, 0.0, 0.0])
            acc[0] += p.latitude
            acc[1] += p.longitude
            acc[2] += 1
    out = []
    for unit in units:
        if not totals.get(unit.id):
            continue
        acc = sums.get(unit.id)
        out.append(
            MapLabel(
                unit.id,
                unit.name,
                totals[unit.id],
                acc[0] / acc[2] if acc else None,
                acc[1] / acc[2] if acc else None,
            )
        )
    return tuple(sorted(out, key=lambda label: (-label.count, label.name)))


def _own_view(profile: Profile) -> int:
    """The console is the officer's own screen, as their private chat with the bot is: tip
    cards are shown there under the same rule (see InboxGuard's chat check)."""
    return profile.user.telegram_id or 0
