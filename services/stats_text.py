"""Statistics in words, in the style of the ward's own reports: "84 tin, giảm 12 tin (12,5%)
so với cùng kỳ", "tăng 3 tin (+4,2%) so với tháng trước", "bằng cùng kỳ", "chưa có số liệu
cùng kỳ" — numbers formatted for the reader's language with Babel (vi: "1.234", "12,5").

Phrases live in the catalogue (``stats-`` keys); this module picks and assembles them. It gets
the translator (``bot.i18n.t``) as an argument, so services stay free of the bot layer. The
``*_html`` functions escape every piece of user data (area names) themselves.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

from services.charts import ChartSpec
from services.stats_figures import (
    STATUSES,
    Breakdown,
    Change,
    Figures,
    StatsReport,
    compare,
    compare_duration,
)
from services.stats_period import Granularity, Period

Translate = Callable[..., str]


# -- numbers, dates, durations --------------------------------------------------------


def number(value: int | float | Decimal, locale: str) -> str:
    """Thousands and decimal separators of the language: vi "1.234,5", en "1,234.5"."""
    return format_decimal(value, format="#,##0.#", locale=locale)


def day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def span(period: Period) -> str:
    if period.start == period.end:
        return day(period.start)
    return f"{day(period.start)} – {day(period.end)}"


def duration(seconds: float, locale: str, t: Translate) -> str:
    """Under an hour in minutes, under two days in hours and minutes, else days ("1,5 ngày")."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return t("stats-duration-under-minute", locale)
    if minutes < 60:
        return t("stats-duration-minutes", locale, m=minutes, minutes=number(minutes, locale))
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        if rest == 0:
            return t("stats-duration-hours", locale, h=hours, hours=number(hours, locale))
        return t(
            "stats-duration-hours-minutes",
            locale,
            h=hours,
            hours=number(hours, locale),
            m=rest,
            minutes=number(rest, locale),
        )
    days = (Decimal(minutes) / Decimal(24 * 60)).quantize(Decimal("0.1"))
    return t("stats-duration-days", locale, d=float(days), days=number(days, locale))


def amount(unit: str, n: int | float, locale: str, t: Translate) -> str:
    """``n`` with its unit: "84 tin", "84 tips", "1 tip"."""
    return t(f"stats-unit-{unit}", locale, n=n, count=number(n, locale))


# -- comparisons -------------------------------------------------------------------------


def change(c: Change, unit: str, base_key: str, locale: str, t: Translate) -> str:
    """One comparison: "giảm 12 tin (12,5%) so với cùng kỳ" / "down 12 (12.5%) on …"."""
    return t(
        "stats-change",
        locale,
        direction=c.direction.value,
        amount=amount(unit, c.diff, locale, t),
        diff=number(c.diff, locale),
        pct=number(c.pct, locale) if c.pct is not None else "",
        base=t(base_key, locale),
    )


def _comparisons(report: StatsReport, pick: Callable[[Figures], int]) -> list[tuple[int, str]]:
    """(base value, base key) pairs: the previous period (if any), then last year."""
    out: list[tuple[int, str]] = []
    if report.before is not None and report.previous is not None and report.previous_comparable:
        out.append((pick(report.before), report.period.previous_key))
    if report.last_year_comparable:
        out.append((pick(report.year_ago), "stats-base-last-year"))
    return out


def _with_changes(value: str, parts: list[str], locale: str, t: Translate) -> str:
    if not parts:
        return value
    return t("stats-with-changes", locale, value=value, changes="; ".join(parts))


def no_comparison(report: StatsReport, locale: str, t: Translate) -> str | None:
    """Said once, not on every line: the periods the figures are not compared with."""
    missing = []
    if report.previous is not None and not report.previous_comparable:
        missing.append(t(report.period.previous_key, locale))
    if not report.last_year_comparable:
        missing.append(t("stats-base-last-year", locale))
    if not missing:
        return None
    bases = (
        missing[0]
        if len(missing) == 1
        else t("stats-bases-both", locale, first=missing[0], second=missing[1])
    )
    return t("stats-no-comparison", locale, bases=bases)


def counted(
    report: StatsReport,
    pick: Callable[[Figures], int],
    unit: str,
    locale: str,
    t: Translate,
    *,
    value_text: str | None = None,
) -> str:
    """ "84 tin, tăng 3 tin (+3,7%) so với tháng trước; giảm 12 tin (12,5%) so với cùng kỳ"."""
    value = pick(report.current)
    parts = [
        change(compare(value, base), unit, key, locale, t)
        for base, key in _comparisons(report, pick)
    ]
    return _with_changes(value_text or amount(unit, value, locale, t), parts, locale, t)


def speed(report: StatsReport, locale: str, t: Translate) -> str:
    """Median time to first action, with "nhanh hơn 30 phút so với tháng trước"."""
    current = report.current.median_first_action
    if current is None:
        return t("stats-median-none", locale)
    parts = []
    bases: list[tuple[float | None, str]] = []
    if report.before is not None and report.previous_comparable:
        bases.append((report.before.median_first_action, report.period.previous_key))
    if report.last_year_comparable:
        bases.append((report.year_ago.median_first_action, "stats-base-last-year"))
    for base, key in bases:
        c = compare_duration(current, base)
        parts.append(
            t(
                "stats-speed",
                locale,
                direction=c.direction.value,
                amount=duration(c.diff, locale, t) if c.diff else "",
                base=t(key, locale),
            )
        )
    return _with_changes(duration(current, locale, t), parts, locale, t)


# -- whole messages ------------------------------------------------------------------------


def _esc(value: str) -> str:
    return html.escape(value, quote=False)


def period_name(period: Period, locale: str, t: Translate) -> str:
    return t("stats-period-name", locale, kind=period.kind.value, dates=span(period))


def report_html(report: StatsReport, locale: str, t: Translate, *, digest: bool = False) -> str:
    """The figures message (Telegram HTML)."""
    cur = report.current
    lines = [
        t("stats-header-digest" if digest else "stats-header", locale),
        t("stats-scope", locale, areas=_esc(report.scope_names)),
        t("stats-period", locale, period=period_name(report.period, locale, t)),
        *([note] if (note := no_comparison(report, locale, t)) else []),
        "",
        t("stats-line-total", locale, value=counted(report, lambda f: f.total, "tip", locale, t)),
    ]
    if cur.duplicates or any(f.duplicates for f in _bases(report)):
        # Several residents reporting one incident: the police count it once.
        cases = counted(report, lambda f: f.cases, "case", locale, t)
        lines.append(t("stats-line-cases", locale, value=cases, duplicates=cur.duplicates))
    if cur.total or (report.before and report.before.total) or report.year_ago.total:
        lines.append(t("stats-categories-title", locale))
        for category in report.categories:
            code = category.value

            def pick(f: Figures, code: str = code) -> int:
                return f.by_category.get(code, 0)

            if pick(cur) == 0 and all(pick(f) == 0 for f in _bases(report)):
                continue
            lines.append(
                t(
                    "stats-item",
                    locale,
                    label=t(f"stats-cat-{code}", locale),
                    value=counted(report, pick, "tip", locale, t),
                )
            )
        lines.append(t("stats-statuses-title", locale))
        for status in STATUSES:
            lines.append(
                t(
                    "stats-item",
                    locale,
                    label=t(f"stats-status-{status.value}", locale),
                    value=number(cur.by_status.get(status, 0), locale),
                )
            )
    lines += [
        t(
            "stats-line-fraud",
            locale,
            value=counted(report, lambda f: f.fraud, "alert", locale, t),
        ),
        t(
            "stats-line-indicators",
            locale,
            value=counted(report, lambda f: f.indicators, "indicator", locale, t),
        ),
        t("stats-line-median", locale, value=speed(report, locale, t)),
        t(
            "stats-line-advisories",
            locale,
            value=counted(
                report,
                lambda f: f.broadcasts,
                "broadcast",
                locale,
                t,
                value_text=t(
                    "stats-reach",
                    locale,
                    broadcasts=amount("broadcast", cur.broadcasts, locale, t),
                    groups=amount("group", cur.groups_reached, locale, t),
                ),
            ),
        ),
        t("stats-line-helpful", locale, value=amount("tip", cur.helpful, locale, t)),
    ]
    if digest:
        lines += ["", t("stats-digest-footer", locale)]
    return "\n".join(lines)


def _bases(report: StatsReport) -> list[Figures]:
    return [f for f in (report.before, report.year_ago) if f is not None]


def breakdown_html(b: Breakdown, locale: str, t: Translate) -> str:
    lines = [
        t(
            "stats-breakdown-header",
            locale,
            areas=_esc(", ".join(a.name for a in b.scope)),
            period=period_name(b.period, locale, t),
        )
    ]
    if not b.lines:
        lines.append(t("stats-breakdown-empty", locale))
    for line in b.lines:
        lines.append(
            t(
                "stats-item",
                locale,
                label=_esc(line.area.name),
                value=t(
                    "stats-with-changes",
                    locale,
                    value=amount("tip", line.count, locale, t),
                    changes=change(line.change, "tip", b.base_key, locale, t),
                ),
            )
        )
    if b.more:
        lines.append(t("stats-breakdown-more", locale, n=b.more, count=number(b.more, locale)))
    return "\n".join(lines)


# -- the chart's words -----------------------------------------------------------------------


def bucket_label(start: date, granularity: Granularity) -> str:
    if granularity is Granularity.MONTH:
        return start.strftime("%m/%Y")
    return start.strftime("%d/%m")


def chart_spec(report: StatsReport, locale: str, t: Translate) -> ChartSpec:
    bars = [
        (t(f"stats-cat-{c.value}", locale), report.current.by_category.get(c.value, 0))
        for c in report.categories
    ]
    x_labels = [bucket_label(d, report.granularity) for d, _ in report.series]
    current = [n for _, n in report.series]
    last_year: Sequence[int] = [n for _, n in report.series_last_year][: len(current)]
    return ChartSpec(
        title=t(
            "stats-chart-title",
            locale,
            areas=report.scope_names,
            dates=span(report.period),
        ),
        bars_title=t("stats-chart-by-category", locale),
        bars=bars,
        line_title=t("stats-chart-over-time", locale, granularity=report.granularity.value),
        x_labels=x_labels,
        current=current,
        current_label=t("stats-chart-this-period", locale),
        comparison=list(last_year) if any(last_year) and report.last_year_comparable else None,
        comparison_label=t("stats-chart-last-year", locale),
        y_label=t("stats-chart-count", locale),
    )
