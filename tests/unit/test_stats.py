"""Statistics without a database: the calendar, comparisons, wording in both languages, number
formatting, roll-ups and the chart."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import t
from services import charts, stats_text
from services.errors import InvalidInput
from services.stats_figures import Direction, aggregate, compare, compare_duration, roll_up
from services.stats_period import Granularity, Period, PeriodKind, add_months, parse_range, series
from storage.dto import AreaDTO
from storage.models import AreaKind, ReportKind, ReportStatus
from storage.repositories.stats import GroupCount

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def phrase(current: int, base: int, locale: str, base_key: str = "stats-base-last-year") -> str:
    return stats_text.change(compare(current, base), "tip", base_key, locale, t)


# -- comparisons and their wording ------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "base", "vi", "en"),
    [
        (
            84,
            96,
            "giảm 12 tin (12,5%) so với cùng kỳ",
            "down 12 (12.5%) on the same period last year",
        ),
        (74, 71, "tăng 3 tin (+4,2%) so với cùng kỳ", "up 3 (+4.2%) on the same period last year"),
        (5, 5, "bằng cùng kỳ", "same as the same period last year"),
        (0, 0, "bằng cùng kỳ", "same as the same period last year"),
        (7, 0, "cùng kỳ: 0", "the same period last year: 0"),
        (0, 7, "giảm 7 tin (100%) so với cùng kỳ", "down 7 (100%) on the same period last year"),
        (
            2468,
            1234,
            "tăng 1.234 tin (+100%) so với cùng kỳ",
            "up 1,234 (+100%) on the same period last year",
        ),
        (
            12345,
            1000,
            "tăng 11.345 tin (+1.134,5%) so với cùng kỳ",
            "up 11,345 (+1,134.5%) on the same period last year",
        ),
        (1, 3, "giảm 2 tin (66,7%) so với cùng kỳ", "down 2 (66.7%) on the same period last year"),
        (9, 8, "tăng 1 tin (+12,5%) so với cùng kỳ", "up 1 (+12.5%) on the same period last year"),
    ],
    ids=[
        "seed example: 84 against 96 is down 12 (12.5%)",
        "up with one decimal",
        "equal",
        "zero against zero is equal",
        "zero base is said as zero (a base without data is left out, said once)",
        "down to zero is 100 percent",
        "thousands separators",
        "thousands in the percentage too",
        "two thirds rounds to 66.7",
        "half rounds up",
    ],
)
def test_change_wording_in_both_languages(current: int, base: int, vi: str, en: str) -> None:
    assert phrase(current, base, "vi") == vi
    assert phrase(current, base, "en") == en


def test_change_names_the_previous_period() -> None:
    assert phrase(74, 71, "vi", "stats-base-month") == "tăng 3 tin (+4,2%) so với tháng trước"
    assert phrase(74, 71, "en", "stats-base-month") == "up 3 (+4.2%) on last month"
    assert phrase(3, 3, "vi", "stats-base-week") == "bằng tuần trước"
    assert phrase(3, 0, "vi", "stats-base-quarter") == "quý trước: 0"


def test_percentages_round_half_up_not_to_even() -> None:
    # 1 of 8 is 12.5 exactly; 1 of 400 is 0.25, which banker's rounding would make 0.2.
    assert compare(401, 400).pct == Decimal("0.3")
    assert compare(9, 8).pct == Decimal("12.5")
    assert compare(0, 0).direction is Direction.SAME
    assert compare(3, 0).direction is Direction.NO_BASE


def test_units_agree_in_english_and_stay_invariant_in_vietnamese() -> None:
    assert stats_text.amount("tip", 1, "en", t) == "1 tip"
    assert stats_text.amount("tip", 1234, "en", t) == "1,234 tips"
    assert stats_text.amount("tip", 1234, "vi", t) == "1.234 tin"
    assert stats_text.amount("group", 1, "vi", t) == "1 nhóm"


@pytest.mark.parametrize(
    ("seconds", "vi", "en"),
    [
        (20, "dưới 1 phút", "under a minute"),
        (45 * 60, "45 phút", "45 min"),
        (3600, "1 giờ", "1 h"),
        (2 * 3600 + 15 * 60, "2 giờ 15 phút", "2 h 15 min"),
        (36 * 3600, "36 giờ", "36 h"),
        (3 * 86400 + 12 * 3600, "3,5 ngày", "3.5 days"),
    ],
)
def test_durations(seconds: float, vi: str, en: str) -> None:
    assert stats_text.duration(seconds, "vi", t) == vi
    assert stats_text.duration(seconds, "en", t) == en


def test_duration_comparison_says_faster_or_slower() -> None:
    faster = compare_duration(3600, 7200)
    assert faster.direction is Direction.DOWN and faster.diff == 3600
    assert compare_duration(3600, None).direction is Direction.NO_BASE
    assert compare_duration(3601, 3590).direction is Direction.SAME
    text = t(
        "stats-speed",
        "vi",
        direction="down",
        amount=stats_text.duration(faster.diff, "vi", t),
        base=t("stats-base-month", "vi"),
    )
    assert text == "nhanh hơn 1 giờ so với tháng trước"


# -- the calendar ---------------------------------------------------------------------------


def test_period_boundaries_are_local_midnights_in_utc() -> None:
    october = Period(PeriodKind.CUSTOM, date(2026, 10, 1), date(2026, 10, 31))
    since, until = october.utc_bounds(HCM)
    assert since == datetime(2026, 9, 30, 17, 0, tzinfo=UTC)
    assert until == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
    last_minute = datetime(2026, 10, 31, 23, 30, tzinfo=HCM).astimezone(UTC)
    next_day = datetime(2026, 11, 1, 0, 10, tzinfo=HCM).astimezone(UTC)
    assert since <= last_minute < until
    assert not next_day < until


def test_current_periods_as_of_a_thursday() -> None:
    today = date(2026, 11, 26)  # a Thursday
    assert Period.current(PeriodKind.WEEK, today) == Period(
        PeriodKind.WEEK, date(2026, 11, 23), today
    )
    assert Period.current(PeriodKind.MONTH, today).start == date(2026, 11, 1)
    assert Period.current(PeriodKind.QUARTER, today).start == date(2026, 10, 1)
    assert Period.current(PeriodKind.YEAR, today).start == date(2026, 1, 1)
    assert Period.current(PeriodKind.LAST_MONTH, today) == Period(
        PeriodKind.LAST_MONTH, date(2026, 10, 1), date(2026, 10, 31)
    )
    assert Period.current(PeriodKind.LAST_WEEK, today) == Period(
        PeriodKind.LAST_WEEK, date(2026, 11, 16), date(2026, 11, 22)
    )


def test_previous_periods_keep_their_shape() -> None:
    month_to_date = Period(PeriodKind.MONTH, date(2026, 3, 1), date(2026, 3, 31))
    assert month_to_date.previous() == Period(
        PeriodKind.MONTH, date(2026, 2, 1), date(2026, 2, 28)
    )
    partial = Period(PeriodKind.MONTH, date(2026, 3, 1), date(2026, 3, 15))
    assert partial.previous() == Period(PeriodKind.MONTH, date(2026, 2, 1), date(2026, 2, 15))
    week = Period(PeriodKind.WEEK, date(2026, 11, 23), date(2026, 11, 26))
    assert week.previous() == Period(PeriodKind.WEEK, date(2026, 11, 16), date(2026, 11, 19))
    quarter = Period(PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 11, 26))
    assert quarter.previous() == Period(PeriodKind.QUARTER, date(2026, 7, 1), date(2026, 8, 26))
    assert Period(PeriodKind.YEAR, date(2026, 1, 1), date(2026, 11, 26)).previous() is None
    typed_month = Period(PeriodKind.CUSTOM, date(2026, 10, 1), date(2026, 10, 31))
    assert typed_month.previous() == Period(PeriodKind.CUSTOM, date(2026, 9, 1), date(2026, 9, 30))
    ten_days = Period(PeriodKind.CUSTOM, date(2026, 10, 11), date(2026, 10, 20))
    assert ten_days.previous() == Period(PeriodKind.CUSTOM, date(2026, 10, 1), date(2026, 10, 10))


def test_same_period_last_year_handles_the_leap_day() -> None:
    feb = Period(PeriodKind.CUSTOM, date(2028, 2, 1), date(2028, 2, 29))
    assert feb.last_year() == Period(PeriodKind.CUSTOM, date(2027, 2, 1), date(2027, 2, 28))
    leap_day = Period(PeriodKind.CUSTOM, date(2028, 2, 29), date(2028, 2, 29))
    assert leap_day.last_year().start == date(2027, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_typed_dates() -> None:
    assert parse_range(["01/10/2026", "31/10/2026"]) == Period(
        PeriodKind.CUSTOM, date(2026, 10, 1), date(2026, 10, 31)
    )
    assert parse_range(["2026-10-01", "2026-10-31"]).end == date(2026, 10, 31)
    assert parse_range(["1/10/2026-31/10/2026"]).start == date(2026, 10, 1)
    for bad in (["hôm", "qua"], ["31/02/2026", "01/03/2026"], ["01/10/2026"], ["x" * 5000, "y"]):
        with pytest.raises(InvalidInput) as caught:
            parse_range(bad)
        assert caught.value.message_key == "stats-bad-dates"
    with pytest.raises(InvalidInput) as caught:
        parse_range(["31/10/2026", "01/10/2026"])
    assert caught.value.message_key == "stats-dates-reversed"
    with pytest.raises(InvalidInput) as caught:
        parse_range(["01/01/2000", "31/12/2026"])
    assert caught.value.message_key == "stats-range-too-long"


def test_period_tokens_round_trip_and_reject_forgeries() -> None:
    period = Period(PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 26))
    assert Period.from_token(period.token()) == period
    assert Period.from_token("m.20261131.20261201") is None
    assert Period.from_token("zz.20261101.20261102") is None
    assert Period.from_token("m.20261102.20261101") is None
    assert Period.from_token("m.19000101.20261101") is None


def test_series_fills_every_bucket() -> None:
    october = Period(PeriodKind.CUSTOM, date(2026, 10, 1), date(2026, 10, 31))
    assert october.granularity is Granularity.DAY
    daily = [(date(2026, 10, 1), 2), (date(2026, 10, 31), 1), (date(2026, 11, 1), 9)]
    result = series(october, Granularity.DAY, daily)
    assert len(result) == 31 and result[0] == (date(2026, 10, 1), 2)
    assert result[-1] == (date(2026, 10, 31), 1) and sum(n for _, n in result) == 3
    quarter = Period(PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31))
    assert quarter.granularity is Granularity.WEEK
    weekly = series(quarter, Granularity.WEEK, daily)
    assert weekly[0] == (date(2026, 9, 28), 2)  # the Monday of the week of 1/10
    year = Period(PeriodKind.YEAR, date(2026, 1, 1), date(2026, 12, 31))
    monthly = series(year, year.granularity, daily)
    assert len(monthly) == 12 and dict(monthly)[date(2026, 10, 1)] == 3
    assert dict(monthly)[date(2026, 11, 1)] == 9


# -- aggregation -------------------------------------------------------------------------------


def test_aggregate_counts_categories_statuses_and_fraud() -> None:
    figures = aggregate(
        [
            GroupCount(ReportKind.TIP, "crime", ReportStatus.HANDLED, 3),
            GroupCount(ReportKind.TIP, "crime", ReportStatus.RECEIVED, 1),
            GroupCount(ReportKind.FRAUD, "online_fraud", ReportStatus.REJECTED, 2),
            GroupCount(ReportKind.TIP, "retired_code", ReportStatus.RECEIVED, 4),
            GroupCount(ReportKind.TIP, "crime", ReportStatus.REJECTED, 2, merged=True),
        ]
    )
    assert figures.total == 12 and figures.duplicates == 2 and figures.cases == 10
    assert figures.by_category["crime"] == 6
    assert figures.by_category["online_fraud"] == 2
    assert figures.by_category["other"] == 4  # an unknown (old) code counts as "other"
    assert figures.by_status == {
        ReportStatus.RECEIVED: 5,
        ReportStatus.VERIFYING: 0,
        ReportStatus.HANDLED: 3,
        ReportStatus.REJECTED: 4,
    }
    assert figures.fraud == 2
    assert figures.median_first_action is None


def _area(id_: int, path: str, kind: AreaKind = AreaKind.RESIDENTIAL_GROUP) -> AreaDTO:
    return AreaDTO(id_, f"A{id_}", f"Area {id_}", kind, None, path)


def test_roll_up_sums_each_subtree_into_its_child() -> None:
    children = [_area(5, "/1/5/"), _area(6, "/1/6/")]
    counts = {"/1/5/": 2, "/1/5/50/": 3, "/1/6/60/61/": 4, "/1/": 7, "/9/": 1}
    # The ward itself (/1/) and other trees are in no child: not counted in any line.
    assert roll_up(children, counts) == {5: 5, 6: 4}


# -- the chart ----------------------------------------------------------------------------------


def test_chart_is_a_png_with_vietnamese_labels() -> None:
    spec = charts.ChartSpec(
        title="Tin báo — Phường Thống Nhất — 01/10/2026 – 31/10/2026",
        bars_title="Theo lĩnh vực",
        bars=[("Tội phạm", 3), ("Tệ nạn xã hội", 1), ("Lừa đảo trực tuyến", 2)],
        line_title="Theo ngày",
        x_labels=[f"{d:02d}/10" for d in range(1, 32)],
        current=[1, 0, 2] + [0] * 28,
        current_label="Kỳ này",
        comparison=[0, 1] + [0] * 29,
        comparison_label="Cùng kỳ năm trước",
        y_label="Số tin",
    )
    png = charts.render_png(spec)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 10_000
