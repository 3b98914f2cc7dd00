"""The console's filters as a browser sends them: understood, or named and left out."""

from __future__ import annotations

from datetime import date

from services.console_model import COUNT_CAP, PAGE_SIZE, ConsoleFilter


def test_a_plain_filter_reads_as_given_and_round_trips() -> None:
    f = ConsoleFilter.parse(
        {"status": "all", "category": "crime", "area": "12", "from": "01/10/2026",
         "to": "2026-10-31", "q": "  đua   xe ", "page": "2", "days": "90"}
    )  # fmt: skip
    assert (f.status, f.category, f.area_id, f.page, f.days) == ("all", "crime", 12, 2, "90")
    assert (f.date_from, f.date_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert f.search == "đua xe" and f.problems == ()
    assert ConsoleFilter.parse(f.query()) == f


def test_what_is_not_understood_is_named_and_left_out() -> None:
    f = ConsoleFilter.parse(
        {"status": "x", "category": "nope", "area": "-1", "from": "31/02/2026",
         "page": "99999999999", "days": "7000"}
    )  # fmt: skip
    assert f == ConsoleFilter()
    assert set(f.problems) == {
        "web-filter-bad-status", "web-filter-bad-category", "web-filter-bad-area",
        "web-filter-bad-date", "web-filter-bad-page", "web-filter-bad-period",
    }  # fmt: skip


def test_reversed_or_too_long_ranges_are_mended_and_said() -> None:
    f = ConsoleFilter.parse({"from": "31/10/2026", "to": "01/10/2026"})
    assert (f.date_from, f.date_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert f.problems == ("web-filter-dates-reversed",)
    long = ConsoleFilter.parse({"from": "01/01/2000", "to": "01/01/2026"})
    assert "web-filter-range-too-long" in long.problems
    assert long.date_from is not None and (long.date_to - long.date_from).days < 3 * 366 + 1


def test_pages_stop_where_counting_stops() -> None:
    assert ConsoleFilter.parse({"page": str(10**6)}).page == COUNT_CAP // PAGE_SIZE
