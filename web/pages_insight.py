"""Bản đồ (the map) and Thống kê (statistics, charts, exports)."""

from __future__ import annotations

import dataclasses
import json

from aiohttp import web
from markupsafe import Markup

from bot.i18n import t
from services import stats_export, stats_text
from services.console_model import CATEGORY_CODES, MAP_PERIODS, ConsoleFilter, MapData
from services.console_stats import PERIOD_CHOICES
from web.app import console_of, visitor_of, words_of
from web.render import download, export_format, page

CATEGORY_COLOURS = {
    "crime": "#c0392b",
    "social_evils": "#8e44ad",
    "property_fire": "#e67e22",
    "order": "#2980b9",
    "reintegration": "#16a085",
    "online_fraud": "#d35400",
    "other": "#7f8c8d",
}


async def map_page(request: web.Request) -> web.Response:
    visitor = visitor_of(request)
    console = console_of(request)
    f = ConsoleFilter.parse(request.query)
    # One read: the page carries its points (a refusal is a page, not a blank map).
    data = await console.services.console.map(visitor.profile, f)
    w = words_of(request)
    config = {
        "data": _map_json(data),
        "tileUrl": console.config.tile_url,
        "attribution": console.config.tile_attribution,
        "colours": CATEGORY_COLOURS,
        "categories": {c: w.category(c) for c in CATEGORY_CODES},
        "statuses": {s: w.status(s) for s in ("received", "verifying", "handled", "rejected")},
        "open": w.t("web-map-open-tip"),
    }
    return page(
        request,
        "map.html",
        {
            "w": w,
            "visitor": visitor,
            "data": data,
            "f": data.filter,
            "categories": CATEGORY_CODES,
            "periods": tuple(MAP_PERIODS),
            "config_json": Markup(_json(config)),
            "nav": "map",
        },
    )


async def map_data(request: web.Request) -> web.Response:
    """The map's points and area labels as JSON (what the page draws)."""
    visitor = visitor_of(request)
    data = await console_of(request).services.console.map(
        visitor.profile, ConsoleFilter.parse(request.query), with_areas=False
    )
    return web.json_response(_map_json(data), headers={"Cache-Control": "no-store"})


def _map_json(data: MapData) -> dict[str, object]:
    return {
        "points": data.points,
        "labels": [dataclasses.asdict(label) for label in data.labels],
        "truncated": data.truncated,
    }


def _json(value: object) -> str:
    """JSON safe inside a <script type="application/json"> element."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


async def stats_page(request: web.Request) -> web.Response:
    visitor = visitor_of(request)
    console = console_of(request)
    w = words_of(request)
    locale = w.locale
    choice = console.services.console_stats.choice(request.query)
    result = await console.services.console_stats.page(visitor.profile, choice)
    report = result.report
    spec = stats_text.chart_spec(report, locale, t)
    chart = {
        "title": spec.title,
        "barsTitle": spec.bars_title,
        "bars": [{"label": label, "value": value} for label, value in spec.bars],
        "lineTitle": spec.line_title,
        "labels": spec.x_labels,
        "current": spec.current,
        "currentLabel": spec.current_label,
        "comparison": spec.comparison,
        "comparisonLabel": spec.comparison_label,
        "areas": [
            {"label": line.area.name, "value": line.count} for line in result.breakdown.lines
        ],
        "areasTitle": w.t("web-stats-by-area"),
    }
    headline = stats_text.counted(report, lambda f: f.cases, "case", locale, t)
    return page(
        request,
        "stats.html",
        {
            "w": w,
            "visitor": visitor,
            "report": report,
            "choice": choice,
            "periods": PERIOD_CHOICES,
            "headline": headline,
            "figures_html": Markup(stats_text.report_html(report, locale, t)),
            "breakdown_html": Markup(stats_text.breakdown_html(result.breakdown, locale, t)),
            "breakdown": result.breakdown,
            "chart_json": Markup(_json(chart)),
            "export_query": request.query_string,
            "nav": "stats",
        },
    )


async def stats_export_file(request: web.Request) -> web.Response:
    """CSV or XLSX of the figures and the period's tips (no reporter column of any kind)."""
    visitor = visitor_of(request)
    console = console_of(request)
    fmt = export_format(request)
    choice = console.services.console_stats.choice(request.query)
    export = await console.services.console_stats.export(visitor.profile, choice)
    locale = visitor.profile.locale
    tz = console.config.tz
    area = export.report.scope[0].code if len(export.report.scope) == 1 else "all"
    name = f"thongke-{area}-{choice.period.start:%Y%m%d}-{choice.period.end:%Y%m%d}.{fmt}"
    if fmt == "csv":
        return download(name, stats_export.to_csv(export, locale, t, tz))
    return download(name, stats_export.to_xlsx(export, locale, t, tz))
