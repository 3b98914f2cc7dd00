"""Control API, part 3: the web chat page and the personas it lists.

``GET /`` serves ``static/index.html``, a small messenger-like page that only uses the control
API (so anything the page does, a test can do). ``PUT /sandbox/personas`` tells the page whom
it may act as; the sandbox does not know the project, so whoever starts it (``anninh demo``)
fills the list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web

from sandbox.control import ControlError, control, state_of
from sandbox.models import JSON
from sandbox.params import Params

STATIC_DIR = Path(__file__).with_name("static")
NO_CACHE = {"Cache-Control": "no-cache"}
MAX_PERSONAS = 500
PLATFORMS = ("telegram", "zalo", "zalo_oa", "web")
MAX_HINT = 600
"""A persona's ``hint``: a line or two the page shows above their chat (what else to try)."""


async def index(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers=NO_CACHE)


async def static_file(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    path = (STATIC_DIR / name).resolve()
    if path.parent != STATIC_DIR.resolve() or not path.is_file():
        raise web.HTTPNotFound(text="no such file")
    return web.FileResponse(path, headers=NO_CACHE)


def _text(raw: JSON, key: str, limit: int = 200) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str | int):
        raise ControlError(400, f"persona {key} must be text")
    return str(value)[:limit]


def normalise_persona(raw: Any) -> JSON:
    """Validate one persona: ``id`` is required; ``name`` or ``first_name`` names them; an
    optional ``hint`` (plain text, lines kept) is shown above their chat on the page."""
    if not isinstance(raw, dict):
        raise ControlError(400, "each persona must be an object")
    try:
        uid = int(raw["id"])
    except (KeyError, TypeError, ValueError):
        raise ControlError(400, "each persona needs an integer id") from None
    if uid <= 0:
        raise ControlError(400, "a persona id must be positive (it is also their private chat)")
    first = _text(raw, "first_name")
    last = _text(raw, "last_name")
    name = _text(raw, "name") or " ".join(p for p in (last, first) if p) or f"User {uid}"
    platform = _text(raw, "platform") or "telegram"
    if platform not in PLATFORMS:
        raise ControlError(400, f"platform must be one of {', '.join(PLATFORMS)}")
    persona: JSON = {
        "id": uid,
        "name": name,
        "first_name": first or name,
        "last_name": last,
        "username": _text(raw, "username"),
        "title": _text(raw, "title") or "",
        "role": _text(raw, "role"),
        "language_code": _text(raw, "language_code") or "vi",
        "platform": platform,
        "link": _link(raw.get("link")),
        "hint": _text(raw, "hint", MAX_HINT),
    }
    return {k: v for k, v in persona.items() if v is not None}


def _link(raw: Any) -> JSON | None:
    """An optional link the page shows on the persona's card (``{"url", "label"}``), such
    as a web page of the bot's own that the persona may open."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("url"), str):
        raise ControlError(400, 'a persona link is {"url": ..., "label": ...}')
    url = raw["url"][:500]
    if not url.startswith(("http://", "https://")):
        raise ControlError(400, "a persona link must be an http(s) URL")
    return {"url": url, "label": _text(raw, "label") or url}


@control
async def get_personas(request: web.Request) -> web.StreamResponse:
    return web.json_response(state_of(request).personas)


@control
async def put_personas(request: web.Request) -> web.StreamResponse:
    """Replace the list. Body: a JSON list, or ``{"personas": [...]}``."""
    state = state_of(request)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ControlError(400, "can't parse the JSON body") from None
        raw = body.get("personas") if isinstance(body, dict) else body
    else:
        raw = (await Params.from_request(request)).json("personas")
    if not isinstance(raw, list):
        raise ControlError(400, 'send a list of personas (or {"personas": [...]})')
    if len(raw) > MAX_PERSONAS:
        raise ControlError(400, f"at most {MAX_PERSONAS} personas")
    personas = [normalise_persona(p) for p in raw]
    ids = [p["id"] for p in personas]
    if len(set(ids)) != len(ids):
        raise ControlError(400, "persona ids must be unique")
    state.personas = personas
    for persona in personas:  # so members lists and messages show the same names
        state.remember_user(
            {
                k: persona.get(k)
                for k in ("id", "first_name", "last_name", "username", "language_code")
            }
        )
    state.publish("personas", None, personas=personas)
    return web.json_response(personas)
