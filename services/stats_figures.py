"""Figures of a period and how they compare: pure aggregation over the grouped rows the
repository counted, the "up/down/same/no base" comparisons, and the result objects the
service hands to handlers, wording and exports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from services.categories import CATEGORIES, Category, parse_category
from services.stats_period import Granularity, Period
from storage.dto import AreaDTO
from storage.models import ReportKind, ReportStatus
from storage.repositories.stats import ExportRow, GroupCount, MedianDuration, Reach

STATUSES: tuple[ReportStatus, ...] = tuple(ReportStatus)


# -- figures and comparisons --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figures:
    total: int = 0
    duplicates: int = 0
    """Of ``total``, tips merged into another tip about the same incident."""
    by_category: Mapping[str, int] = field(default_factory=dict)
    """Every category code in display order (unknown codes counted as "other")."""
    by_status: Mapping[ReportStatus, int] = field(default_factory=dict)
    fraud: int = 0
    indicators: int = 0
    median_first_action: float | None = None
    """Seconds; None when nothing of the period has been acted on."""
    acted: int = 0
    broadcasts: int = 0
    groups_reached: int = 0
    deliveries: int = 0
    helpful: int = 0

    @property
    def cases(self) -> int:
        """Cases ("vụ"): the tips, duplicates merged into one."""
        return self.total - self.duplicates


def aggregate(
    counts: Iterable[GroupCount],
    *,
    indicators: int = 0,
    median: MedianDuration | None = None,
    reach: Reach | None = None,
    helpful: int = 0,
) -> Figures:
    by_category = {c.value: 0 for c in CATEGORIES}
    by_status = dict.fromkeys(STATUSES, 0)
    total = fraud = duplicates = 0
    for row in counts:
        total += row.count
        duplicates += row.count if row.merged else 0
        code = (parse_category(row.category) or Category.OTHER).value
        by_category[code] += row.count
        by_status[row.status] += row.count
        if row.kind is ReportKind.FRAUD:
            fraud += row.count
    return Figures(
        total=total,
        duplicates=duplicates,
        by_category=by_category,
        by_status=by_status,
        fraud=fraud,
        indicators=indicators,
        median_first_action=median.seconds if median else None,
        acted=median.acted if median else 0,
        broadcasts=reach.broadcasts if reach else 0,
        groups_reached=reach.groups if reach else 0,
        deliveries=reach.deliveries if reach else 0,
        helpful=helpful,
    )


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"
    NO_BASE = "nobase"
    """Nothing to compare with (the base period counted 0, or has no figure)."""


@dataclass(frozen=True, slots=True)
class Change:
    direction: Direction
    diff: float = 0
    """Absolute difference (a count, or seconds for durations)."""
    pct: Decimal | None = None
    """Absolute percentage of the base, rounded half-up to one decimal."""


_TENTH = Decimal("0.1")


def compare(current: int, base: int | None) -> Change:
    """``current`` against ``base``: 0 → n has no base; n → 0 is down 100%; 0 → 0 is equal."""
    if base is None:
        return Change(Direction.NO_BASE)
    if current == base:
        return Change(Direction.SAME)
    if base == 0:
        return Change(Direction.NO_BASE, diff=current)
    diff = abs(current - base)
    pct = (Decimal(diff) * 100 / Decimal(base)).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return Change(Direction.UP if current > base else Direction.DOWN, diff=diff, pct=pct)


def compare_duration(current: float | None, base: float | None) -> Change:
    """Durations compared to the minute: UP means slower."""
    if current is None or base is None:
        return Change(Direction.NO_BASE)
    if round(current / 60) == round(base / 60):
        return Change(Direction.SAME)
    return Change(
        Direction.UP if current > base else Direction.DOWN, diff=abs(current - base), pct=None
    )


# -- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatsReport:
    scope: tuple[AreaDTO, ...]
    area_id: int
    """The area asked for, or 0 for "all of the caller's areas"."""
    period: Period
    previous: Period | None
    last_year: Period
    current: Figures
    before: Figures | None
    year_ago: Figures
    granularity: Granularity
    series: tuple[tuple[date, int], ...]
    series_last_year: tuple[tuple[date, int], ...]
    can_break_down: bool
    categories: tuple[Category, ...] = CATEGORIES
    """The categories this reader may see, in display order (services.tip_exposure)."""
    previous_comparable: bool = True
    last_year_comparable: bool = True
    """False when the data does not cover that whole period (it starts later) or it counted
    nothing: then each line is not compared with it, and the message says so once."""

    @property
    def scope_names(self) -> str:
        return ", ".join(a.name for a in self.scope)


@dataclass(frozen=True, slots=True)
class Rendered:
    report: StatsReport
    html: str
    chart: bytes
    """PNG."""


@dataclass(frozen=True, slots=True)
class AreaLine:
    area: AreaDTO
    count: int
    change: Change
    has_children: bool


@dataclass(frozen=True, slots=True)
class Breakdown:
    scope: tuple[AreaDTO, ...]
    area_id: int
    period: Period
    base: Period
    base_key: str
    lines: tuple[AreaLine, ...]
    more: int
    """Areas left out of ``lines`` (beyond MAX_BREAKDOWN_AREAS, all with the fewest tips)."""


@dataclass(frozen=True, slots=True)
class DigestOutcome:
    enabled: bool
    changed: bool
    area: AreaDTO


@dataclass(frozen=True, slots=True)
class DigestRun:
    sent: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class Export:
    report: StatsReport
    rows: tuple[ExportRow, ...]


def roll_up(units: Sequence[AreaDTO], counts_by_path: Mapping[str, int]) -> dict[int, int]:
    """Counts per area path summed into the unit (disjoint subtrees) that contains each path."""
    by_path = {u.path: u.id for u in units}
    totals = dict.fromkeys((u.id for u in units), 0)
    for path, count in counts_by_path.items():
        parts = path.strip("/").split("/")
        for depth in range(len(parts), 0, -1):
            prefix = "/" + "/".join(parts[:depth]) + "/"
            if prefix in by_path:
                totals[by_path[prefix]] += count
                break
    return totals
