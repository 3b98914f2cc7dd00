"""The police console's plain parts: its filters (parsed from what a browser sends, bad values
named so the page can say which) and the results the pages render. No storage, no sending."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from services.categories import CATEGORIES, parse_category
from services.inbox_model import TipCard
from services.stats_period import MAX_RANGE_DAYS, parse_day
from services.text_input import clean

PAGE_SIZE = 25
COUNT_CAP = 10_000
"""The inbox counts matches up to this ("10.000+"): enough to page through, and a province's
three years are never counted row by row on every page."""
MAX_SEARCH = 100
STATUS_FILTERS = ("open", "all", "received", "verifying", "handled", "rejected")
"""``open`` (received or being verified) is the inbox's default: the work still to do."""
MAP_PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}
"""Days back from today the map shows (``30`` by default), unless dates are given."""


def _whole(value: str | None, default: int = 0, limit: int = 10**9) -> int | None:
    text = (value or "").strip()
    if not text:
        return default
    if not text.isdigit() or len(text) > 10:
        return None
    return min(int(text), limit)


@dataclass(frozen=True, slots=True)
class ConsoleFilter:
    """What the inbox and the map are narrowed to. Dates are local days, both included."""

    status: str = "open"
    category: str = "all"
    area_id: int = 0
    """0: all of the officer's areas."""
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""
    page: int = 0
    days: str = "30"
    """The map's period when no dates are given (a key of MAP_PERIODS)."""
    problems: tuple[str, ...] = field(default=(), compare=False)
    """Catalogue keys of values that were not understood (and were left out)."""

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> ConsoleFilter:
        problems: list[str] = []
        status = (query.get("status") or "open").strip().lower()
        if status not in STATUS_FILTERS:
            problems.append("web-filter-bad-status")
            status = "open"
        category = (query.get("category") or "all").strip().lower()
        if category != "all" and parse_category(category) is None:
            problems.append("web-filter-bad-category")
            category = "all"
        area_id = _whole(query.get("area"))
        if area_id is None:
            problems.append("web-filter-bad-area")
            area_id = 0
        page = _whole(query.get("page"), limit=COUNT_CAP // PAGE_SIZE)
        if page is None:
            problems.append("web-filter-bad-page")
            page = 0
        dates: list[date | None] = []
        for key in ("from", "to"):
            raw = (query.get(key) or "").strip()[:20]
            day = parse_day(raw) if raw else None
            if raw and day is None:
                problems.append("web-filter-bad-date")
            dates.append(day)
        date_from, date_to = dates
        if date_from and date_to and date_to < date_from:
            problems.append("web-filter-dates-reversed")
            date_from, date_to = date_to, date_from
        if date_from and date_to and (date_to - date_from).days >= MAX_RANGE_DAYS:
            problems.append("web-filter-range-too-long")
            date_from = date_to - timedelta(days=MAX_RANGE_DAYS - 1)
        days = (query.get("days") or "30").strip()
        if days not in MAP_PERIODS:
            problems.append("web-filter-bad-period")
            days = "30"
        search = " ".join(clean(query.get("q") or "").split())[:MAX_SEARCH]
        return cls(
            status, category, area_id, date_from, date_to, search, page, days, tuple(problems)
        )

    def with_page(self, page: int) -> ConsoleFilter:
        return replace(self, page=page)

    def query(self, **changes: object) -> dict[str, str]:
        """The filter as URL parameters (for links to other pages of the same list)."""
        f = replace(self, **changes)  # type: ignore[arg-type]
        params = {
            "status": f.status,
            "category": f.category,
            "area": str(f.area_id) if f.area_id else "",
            "from": f.date_from.isoformat() if f.date_from else "",
            "to": f.date_to.isoformat() if f.date_to else "",
            "q": f.search,
            "page": str(f.page) if f.page else "",
            "days": f.days if f.days != "30" else "",
        }
        return {k: v for k, v in params.items() if v}


CATEGORY_CODES: tuple[str, ...] = tuple(c.value for c in CATEGORIES)


@dataclass(frozen=True, slots=True)
class AreaOption:
    id: int
    name: str
    depth: int
    """Levels below the officer's top area (for indenting the choice)."""


@dataclass(frozen=True, slots=True)
class InboxLine:
    id: int
    code: str
    kind: str
    category: str
    status: str
    created_at: datetime
    area_name: str | None
    attachments: int
    has_pin: bool
    reporter_name: str | None
    """None for an anonymous tip (and the name is never read for one)."""
    needs_review: bool
    summary: str


@dataclass(frozen=True, slots=True)
class InboxResult:
    lines: tuple[InboxLine, ...]
    filter: ConsoleFilter
    total: int
    capped: bool
    """``total`` stopped counting at COUNT_CAP."""
    pages: int
    areas: tuple[AreaOption, ...]


@dataclass(frozen=True, slots=True)
class TipAction:
    """One of the chat card's buttons, as the page offers it."""

    action: str
    version: int


@dataclass(frozen=True, slots=True)
class TipPage:
    card: TipCard
    actions: tuple[TipAction, ...]
    duplicates: tuple[tuple[int, str], ...]
    """(id, code) of the tips merged into this one."""
    merged_into: tuple[int, str] | None
    area_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MapLabel:
    area_id: int
    name: str
    count: int
    latitude: float | None
    longitude: float | None
    """The middle of the area's pinned tips; None when none of them has a pin."""


@dataclass(frozen=True, slots=True)
class MapData:
    points: tuple[tuple[int, float, float, str, str], ...]
    """(tip id, latitude, longitude, category, status)."""
    labels: tuple[MapLabel, ...]
    since: date
    until: date
    truncated: bool
    filter: ConsoleFilter
    areas: tuple[AreaOption, ...]
