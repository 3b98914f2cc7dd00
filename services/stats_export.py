"""Exports of an area's statistics for a period: the figures (this period, the previous one,
the same period last year) and the list of tips, as CSV or an Excel workbook (openpyxl).

No column says anything about who sent a tip — not the name, not the username, not the
Telegram id, not even whether it was sent anonymously: the export leaves the police station.
Times are local (settings.tz).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from services.categories import CATEGORIES, Category, parse_category
from services.spreadsheet import safe_cell
from services.stats_figures import STATUSES, Export, Figures, StatsReport
from services.stats_text import span
from storage.models import ReportKind

Translate = Callable[..., str]

TEXT_LIMIT = 32_000
"""Excel cells hold at most 32,767 characters."""


def summary_rows(report: StatsReport, locale: str, t: Translate) -> list[list[object]]:
    """Header, then one row per figure: label, this period, previous period, last year."""
    figures: list[Figures | None] = [report.current, report.before, report.year_ago]

    def row(label: str, pick: Callable[[Figures], object]) -> list[object]:
        return [label, *(pick(f) if f is not None else "" for f in figures)]

    def minutes(f: Figures) -> object:
        return "" if f.median_first_action is None else round(f.median_first_action / 60, 1)

    rows: list[list[object]] = [
        [
            t("stats-export-metric", locale),
            t("stats-export-current", locale) + f" ({span(report.period)})",
            t("stats-export-previous", locale)
            + (f" ({span(report.previous)})" if report.previous else ""),
            t("stats-export-last-year", locale) + f" ({span(report.last_year)})",
        ],
        row(t("stats-export-total", locale), lambda f: f.total),
        row(t("stats-export-cases", locale), lambda f: f.cases),
    ]
    for category in CATEGORIES:
        label = t("stats-export-category", locale, label=t(f"stats-cat-{category.value}", locale))
        rows.append(row(label, lambda f, c=category.value: f.by_category.get(c, 0)))
    for status in STATUSES:
        label = t("stats-export-status", locale, label=t(f"stats-status-{status.value}", locale))
        rows.append(row(label, lambda f, s=status: f.by_status.get(s, 0)))
    rows += [
        row(t("stats-export-fraud", locale), lambda f: f.fraud),
        row(t("stats-export-indicators", locale), lambda f: f.indicators),
        row(t("stats-export-median-minutes", locale), minutes),
        row(t("stats-export-broadcasts", locale), lambda f: f.broadcasts),
        row(t("stats-export-groups", locale), lambda f: f.groups_reached),
        row(t("stats-export-helpful", locale), lambda f: f.helpful),
    ]
    return rows


TIP_COLUMNS = (
    "stats-export-col-code",
    "stats-export-col-date",
    "stats-export-col-kind",
    "stats-export-col-category",
    "stats-export-col-status",
    "stats-export-col-area",
    "stats-export-col-first-action",
    "stats-export-col-handled",
    "stats-export-col-text",
)


def tip_rows(export: Export, locale: str, t: Translate, tz: ZoneInfo) -> list[list[object]]:
    def local(value: datetime | None) -> str:
        return "" if value is None else value.astimezone(tz).strftime("%d/%m/%Y %H:%M")

    rows: list[list[object]] = [[t(key, locale) for key in TIP_COLUMNS]]
    for r in export.rows:
        rows.append(
            [
                r.code,
                local(r.created_at),
                t(f"stats-export-kind-{'fraud' if r.kind is ReportKind.FRAUD else 'tip'}", locale),
                _plain_category(r.category, locale, t),
                t(f"stats-status-{r.status}", locale),
                f"{r.area_code} {r.area_name}",
                local(r.first_action_at),
                local(r.handled_at),
                r.text[:TEXT_LIMIT],
            ]
        )
    return rows


def _plain_category(code: str, locale: str, t: Translate) -> str:
    known = (parse_category(code) or Category.OTHER).value
    return t(f"stats-cat-{known}", locale)


def to_csv(export: Export, locale: str, t: Translate, tz: ZoneInfo) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    area = export.report.scope[0]
    writer.writerow(
        [t("stats-export-title", locale, area=area.name, dates=span(export.report.period))]
    )
    for row in summary_rows(export.report, locale, t):
        writer.writerow([safe_cell(v) for v in row])
    writer.writerow([])
    for row in tip_rows(export, locale, t, tz):
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def to_xlsx(export: Export, locale: str, t: Translate, tz: ZoneInfo) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = t("stats-export-sheet-summary", locale)[:31]
    area = export.report.scope[0]
    summary.append(
        [t("stats-export-title", locale, area=area.name, dates=span(export.report.period))]
    )
    summary["A1"].font = Font(bold=True, size=13)
    for row in summary_rows(export.report, locale, t):
        summary.append([safe_cell(v) for v in row])
    for cell in summary[2]:
        cell.font = Font(bold=True)
    summary.column_dimensions["A"].width = 52
    for column in ("B", "C", "D"):
        summary.column_dimensions[column].width = 30

    tips = book.create_sheet(t("stats-export-sheet-tips", locale)[:31])
    for row in tip_rows(export, locale, t, tz):
        tips.append([safe_cell(v) for v in row])
    for cell in tips[1]:
        cell.font = Font(bold=True)
    widths = {"A": 16, "B": 17, "C": 18, "D": 24, "E": 24, "F": 30, "G": 17, "H": 17, "I": 80}
    for column, width in widths.items():
        tips.column_dimensions[column].width = width
    for (cell,) in tips.iter_rows(min_row=2, min_col=9, max_col=9):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    tips.freeze_panes = "A2"

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
