"""Every route of the console against every kind of visitor: nobody signed in, police of
another ward, police of the area, an admin of the province (residents and moderators cannot
sign in: their /web is refused, tests/hardening/test_permissions_matrix.py). The table says
what each gets; a route of the application that has no row here fails the first test."""

from __future__ import annotations

from typing import Any

import httpx

from bot.settings import load_settings
from tests.web.conftest import Console, csrf_in
from web.app import ConsoleConfig, build_console
from web.routes import ROUTES

ALLOW, DENY, LOGIN, GONE = "allow", "deny", "login", "gone"
SIGNED = ("police_other", "police", "admin")
EVERYONE = ("nobody", *SIGNED)


def _all(outcome: str) -> dict[str, str]:
    return dict.fromkeys(EVERYONE, outcome)


def _signed(outcome: str, *, other: str | None = None, post: bool = False) -> dict[str, str]:
    """Signed-in visitors get ``outcome`` (police of the other ward ``other``); nobody is sent
    to sign in (a GET) or refused (a POST)."""
    return {"nobody": DENY if post else LOGIN, "police_other": other or outcome,
            "police": outcome, "admin": outcome}  # fmt: skip


# (route name, method, path, form, expected per visitor). Paths take {hidden}, {other}, {tn},
# {hb} (the hidden tip of Thống Nhất, a tip of Hạ Long, the two wards' ids).
TABLE: list[tuple[str, str, str, dict[str, str], dict[str, str]]] = [
    ("health", "GET", "/healthz", {}, _all(ALLOW)),
    ("login", "GET", "/login", {}, _all(ALLOW)),
    ("login-widget", "GET", "/login/widget?id=1&hash=x", {}, _all(GONE)),  # widget off
    ("login-link", "GET", "/login/not-a-real-link", {}, _all(GONE)),
    ("login-open", "POST", "/login/not-a-real-link", {}, _all(DENY)),  # no pre-login token
    ("demo-enter", "GET", "/demo/enter/1904", {}, _all(GONE)),  # only in the demo
    ("root", "GET", "/", {}, _signed(ALLOW)),
    ("inbox", "GET", "/inbox?status=all", {}, _signed(ALLOW)),
    ("inbox", "GET", "/inbox?area={hb}", {}, {**_signed(DENY, other=ALLOW), "admin": ALLOW}),
    ("tip", "GET", "/tips/{hidden}", {}, _signed(ALLOW, other=DENY)),
    ("tip", "GET", "/tips/{other}", {}, {**_signed(DENY, other=ALLOW), "admin": ALLOW}),
    ("tip-act", "POST", "/tips/{hidden}/act", {"action": "helpful"},
     _signed(ALLOW, other=DENY, post=True)),
    ("tip-media", "GET", "/tips/{hidden}/media/0", {}, _signed(ALLOW, other=DENY)),
    ("relay-media", "GET", "/tips/{hidden}/relay/1/media", {}, _signed(GONE, other=DENY)),
    ("map", "GET", "/map", {}, _signed(ALLOW)),
    ("map", "GET", "/map?area={tn}", {}, _signed(ALLOW, other=DENY)),
    ("map-data", "GET", "/map/data?days=90", {}, _signed(ALLOW)),
    ("map-data", "GET", "/map/data?area={tn}", {}, _signed(ALLOW, other=DENY)),
    ("stats", "GET", "/stats", {}, _signed(ALLOW)),
    ("stats", "GET", "/stats?area={tn}", {}, _signed(ALLOW, other=DENY)),
    ("stats-export", "GET", "/stats/export?format=csv&area={tn}", {},
     _signed(ALLOW, other=DENY)),
    ("language", "POST", "/language", {"language": "vi", "next": "/inbox"},
     _signed(ALLOW, post=True)),
    # Last: it ends the session.
    ("logout", "POST", "/logout", {}, _signed(ALLOW, post=True)),
]  # fmt: skip


def test_every_route_of_the_console_is_in_the_table() -> None:
    settings = load_settings(bot_token="1:x", webhook_url=None, web_port=8099)
    app = build_console(None, None, ConsoleConfig.from_settings(settings, bot_username=None))  # type: ignore[arg-type]
    names = {r.name for r in app.router.resources() if r.name and r.name != "static"}
    in_table = {row[0] for row in TABLE}
    assert names - in_table == set(), f"routes without a row in the matrix: {names - in_table}"
    assert in_table - names == set(), f"rows for routes that do not exist: {in_table - names}"
    assert {r.name for r in ROUTES} == names
    assert all(r.who in ("anyone", "console", "area police") for r in ROUTES)


def _classify(response: httpx.Response) -> str:
    status = response.status_code
    location = response.headers.get("location", "")
    if status == 303 and location.startswith("/login") and "out=1" not in location:
        return LOGIN
    if status in (401, 403):
        return DENY
    if status in (404, 410):
        return GONE
    if status < 400:
        return ALLOW
    return f"error {status}"


async def _request(
    client: httpx.AsyncClient, method: str, path: str, form: dict[str, str], csrf: str | None
) -> httpx.Response:
    if method == "GET":
        return await client.get(path)
    data = dict(form)
    if csrf is not None:
        data["csrf"] = csrf
    return await client.post(path, data=data)


async def test_every_route_against_every_visitor(console: Console) -> None:
    ids: dict[str, Any] = {
        "hidden": console.ids["hidden"].id,
        "other": console.ids["other"].id,
        "tn": (await console.h.services.areas.get("ND-TN")).id,
        "hb": (await console.h.services.areas.get("ND-HB")).id,
    }
    clients = {"nobody": httpx.AsyncClient(base_url=console.base, timeout=20)}
    for who in SIGNED:
        clients[who] = await console.signed_in(who)
    tokens = {"nobody": None}
    for who in SIGNED:
        page = await clients[who].get("/inbox")
        tokens[who] = csrf_in(page.text)
    wrong = []
    try:
        for name, method, path, form, expected in TABLE:
            # Refused visitors first, so a refusal is never "helped" by an allowed change.
            for who in sorted(EVERYONE, key=lambda v: expected[v] == ALLOW):
                response = await _request(
                    clients[who], method, path.format(**ids), form, tokens[who]
                )
                got = _classify(response)
                if got != expected[who]:
                    wrong.append(f"{name} {method} {path} as {who}: expected {expected[who]}, "
                                 f"got {got} ({response.status_code})")  # fmt: skip
    finally:
        for client in clients.values():
            await client.aclose()
    assert not wrong, "\n".join(wrong)


async def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    console: Console,
) -> None:
    client = await console.signed_in("police")
    hidden = console.ids["hidden"]
    try:
        refused = await client.post(f"/tips/{hidden.id}/act", data={"action": "verify"})
        forged = await client.post(
            f"/tips/{hidden.id}/act", data={"action": "verify", "csrf": "forged"}
        )
        assert (refused.status_code, forged.status_code) == (403, 403)
        assert "mã bảo vệ" in refused.text
        page = await client.get(f"/tips/{hidden.id}")
        assert 'data-status="received"' in page.text
    finally:
        await client.aclose()
