"""Địa bàn: the officer's areas as a tree, with linked groups (purpose, last activity) and
the contacts residents get from /lienhe (services/console_areas.py)."""

from __future__ import annotations

from aiohttp import web

from services.indicators import display_phone
from services.text_input import whole_number
from web.app import console_of, visitor_of, words_of
from web.render import page


async def areas_page(request: web.Request) -> web.Response:
    """GET /areas[?area=<id>]: the whole tree, or the subtree of one of the officer's areas."""
    visitor = visitor_of(request)
    raw = request.query.get("area", "").strip()[:9]
    area_id = whole_number(raw) if raw else None
    tree = await console_of(request).services.console_areas.tree(visitor.profile, area_id)
    return page(
        request,
        "areas.html",
        {"w": words_of(request), "visitor": visitor, "tree": tree, "nav": "areas",
         "here": request.path_qs, "phone": display_phone},
    )  # fmt: skip


ROUTES = (("GET", "/areas", "areas", areas_page, "console", "/lienhe"),)
