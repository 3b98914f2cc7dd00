"""Every route of the console, with who may use it and the chat command whose rights it
shares. tests/web/test_console_matrix.py fails when a route is added to the application
without a row here, and runs each row against each kind of visitor."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from web import (
    auth,
    pages_advisories,
    pages_areas,
    pages_audit,
    pages_insight,
    pages_review,
    pages_tips,
)
from web.app import SIDES_KEY, Handler, home_of, visitor_of


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    name: str
    handler: Handler
    who: str
    """``anyone`` (signing in, files), ``signed in`` (any console visitor: the language,
    logging out, the start page), ``console`` (police or admin, signed in), ``area police``
    (police of the tip's or advisory's area: the chat's check), or ``moderator`` (moderators
    who are not police: the review queue). The guard refuses a moderator on a police route
    and the police on a moderator's."""
    mirrors: str = ""
    """The chat command or button whose rights the route has, through the same call."""


async def health(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def root(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther(home_of(visitor_of(request)))


ROUTES: tuple[Route, ...] = (
    Route("GET", "/healthz", "health", health, "anyone"),
    Route("GET", "/login", "login", auth.login_page, "anyone"),
    Route("GET", "/login/widget", "login-widget", auth.login_widget, "anyone"),
    Route("GET", "/login/{token}", "login-link", auth.login_link, "anyone"),
    Route("POST", "/login/{token}", "login-open", auth.login_open, "anyone", "/web"),
    Route("GET", "/demo/enter/{telegram_id}", "demo-enter", auth.demo_enter, "anyone", "/web"),
    Route("POST", "/logout", "logout", auth.logout, "signed in"),
    Route("POST", "/language", "language", auth.set_language, "signed in", "/language"),
    Route("GET", "/", "root", root, "signed in"),
    Route("GET", "/inbox", "inbox", pages_tips.inbox_page, "console", "/hopthu"),
    Route("GET", "/tips/{report_id}", "tip", pages_tips.tip_page, "area police", "inbox:o"),
    Route(
        "POST",
        "/tips/{report_id}/act",
        "tip-act",
        pages_tips.tip_act,
        "area police",
        "tip:<action>",
    ),
    Route(
        "GET",
        "/tips/{report_id}/media/{index}",
        "tip-media",
        pages_tips.tip_media,
        "area police",
        "inbox:o",
    ),
    Route(
        "GET",
        "/tips/{report_id}/relay/{relay_id}/media",
        "relay-media",
        pages_tips.relay_media,
        "area police",
        "inbox:o",
    ),
    Route("GET", "/map", "map", pages_insight.map_page, "console", "/hopthu"),
    Route("GET", "/map/data", "map-data", pages_insight.map_data, "console", "/hopthu"),
    Route("GET", "/stats", "stats", pages_insight.stats_page, "console", "/thongke"),
    Route(
        "GET",
        "/stats/export",
        "stats-export",
        pages_insight.stats_export_file,
        "console",
        "/thongke",
    ),
    *(
        Route(*row)
        for module in (pages_advisories, pages_areas, pages_audit, pages_review)
        for row in module.ROUTES
    ),
)


def add_routes(app: web.Application, static_dir: Path) -> None:
    app[SIDES_KEY] = {route.name: route.who for route in ROUTES}
    for route in ROUTES:
        app.router.add_route(route.method, route.path, route.handler, name=route.name)
    app.router.add_static("/static/", static_dir, name="static", append_version=True)
