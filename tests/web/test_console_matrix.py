"""Every route of the console against every kind of visitor: nobody signed in, the area's
moderator (the review queue only), police of another ward, police of the area, an admin of
the province (residents cannot sign in: their /web is refused,
tests/hardening/test_permissions_matrix.py). The table says what each gets; a route of the
application that has no row here fails the first test, and every POST route refuses a request
without the page's CSRF token."""

from __future__ import annotations

from typing import Any

import httpx

from bot.settings import load_settings
from services.advisories import AdvisoryDraft
from services.review import enqueue_in
from services.schedule_text import Schedule
from storage.models import Recurrence, ReviewKind
from storage.uow import transaction
from tests.e2e.test_advisories_support import seed_groups
from tests.hardening.support import user_db_id
from tests.web.conftest import GROUP_ID, PEOPLE, Console, csrf_in
from web.app import ConsoleConfig, build_console
from web.routes import ROUTES

ALLOW, DENY, LOGIN, GONE = "allow", "deny", "login", "gone"
SIGNED = ("moderator", "police_other", "police", "admin")
POLICE = ("police_other", "police", "admin")
EVERYONE = ("nobody", *SIGNED)


def _all(outcome: str) -> dict[str, str]:
    return dict.fromkeys(EVERYONE, outcome)


def _signed(outcome: str, *, other: str | None = None, post: bool = False) -> dict[str, str]:
    """Signed-in visitors get ``outcome`` (police of the other ward ``other``); nobody is sent
    to sign in (a GET) or refused (a POST)."""
    return {"nobody": DENY if post else LOGIN, "moderator": DENY,
            "police_other": other or outcome, "police": outcome, "admin": outcome}  # fmt: skip


def _anyone_signed(*, post: bool = False) -> dict[str, str]:
    return {**_signed(ALLOW, post=post), "moderator": ALLOW}


def _moderators(*, post: bool = False) -> dict[str, str]:
    """The review queue: the moderator only (the police review in their inbox and chat)."""
    return {**dict.fromkeys(POLICE, DENY), "nobody": DENY if post else LOGIN, "moderator": ALLOW}


# (route name, method, path, form, expected per visitor). Paths take {hidden}, {other}, {tn},
# {hb} (the hidden tip of Thống Nhất, a tip of Hạ Long, the two wards' ids).
TABLE: list[tuple[str, str, str, dict[str, str], dict[str, str]]] = [
    ("health", "GET", "/healthz", {}, _all(ALLOW)),
    ("login", "GET", "/login", {}, _all(ALLOW)),
    ("login-widget", "GET", "/login/widget?id=1&hash=x", {}, _all(GONE)),  # widget off
    ("login-link", "GET", "/login/not-a-real-link", {}, _all(GONE)),
    ("login-open", "POST", "/login/not-a-real-link", {}, _all(DENY)),  # no pre-login token
    ("demo-enter", "GET", "/demo/enter/1904", {}, _all(GONE)),  # only in the demo
    ("root", "GET", "/", {}, _anyone_signed()),
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
    ("advisories", "GET", "/advisories", {}, _signed(ALLOW)),
    ("advisories", "GET", "/advisories?month=2026-13", {}, _signed(ALLOW)),
    ("advisories", "GET", "/advisories?month=9999-12", {}, _signed(ALLOW)),
    ("advisory-new", "GET", "/advisories/new", {}, _signed(ALLOW)),
    ("advisory-compose", "POST", "/advisories/new",
     {"step": "preview", "text": "Cảnh báo", "target": "area", "area_id": "{tn}", "when": "now"},
     _signed(ALLOW, other=DENY, post=True)),
    ("advisory", "GET", "/advisories/{advisory}", {}, _signed(ALLOW, other=DENY)),
    ("advisory-retract-confirm", "GET", "/advisories/{advisory}/retract", {},
     _signed(ALLOW, other=DENY)),
    ("advisory-retract", "POST", "/advisories/{advisory}/retract", {},
     _signed(ALLOW, other=DENY, post=True)),
    ("areas", "GET", "/areas", {}, _signed(ALLOW)),
    ("areas", "GET", "/areas?area={tn}", {}, _signed(ALLOW, other=DENY)),
    ("audit", "GET", "/audit", {}, _signed(ALLOW)),
    ("audit", "GET", "/audit?area={tn}&action=advisory.", {}, _signed(ALLOW, other=DENY)),
    ("audit-export", "GET", "/audit/export?format=xlsx&area={tn}", {},
     _signed(ALLOW, other=DENY)),
    ("review", "GET", "/review", {}, _moderators()),
    ("review-act", "POST", "/review/{item}/act", {"action": "dismiss"}, _moderators(post=True)),
    ("language", "POST", "/language", {"language": "vi", "next": "/"},
     _anyone_signed(post=True)),
    # Last: it ends the session.
    ("logout", "POST", "/logout", {}, _anyone_signed(post=True)),
]  # fmt: skip


def test_every_route_of_the_console_is_in_the_table() -> None:
    settings = load_settings(bot_token="1:x", webhook_url=None, web_port=8099)
    app = build_console(None, None, ConsoleConfig.from_settings(settings, bot_username=None))  # type: ignore[arg-type]
    names = {r.name for r in app.router.resources() if r.name and r.name != "static"}
    in_table = {row[0] for row in TABLE}
    assert names - in_table == set(), f"routes without a row in the matrix: {names - in_table}"
    assert in_table - names == set(), f"rows for routes that do not exist: {in_table - names}"
    assert {r.name for r in ROUTES} == names
    assert all(
        r.who in ("anyone", "signed in", "console", "area police", "moderator") for r in ROUTES
    )


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
        **await _part_two_ids(console),
    }
    clients = {"nobody": httpx.AsyncClient(base_url=console.base, timeout=20)}
    for who in SIGNED:
        clients[who] = await console.signed_in(who)
    tokens = {"nobody": None}
    for who in SIGNED:
        page = await clients[who].get("/", follow_redirects=True)
        tokens[who] = csrf_in(page.text)
    wrong = []
    try:
        for name, method, path, form, expected in TABLE:
            # Refused visitors first, so a refusal is never "helped" by an allowed change.
            for who in sorted(EVERYONE, key=lambda v: expected[v] == ALLOW):
                filled = {key: value.format(**ids) for key, value in form.items()}
                response = await _request(
                    clients[who], method, path.format(**ids), filled, tokens[who]
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


async def _part_two_ids(console: Console) -> dict[str, int]:
    """An advisory of Thống Nhất (scheduled, never sent; its residents' group linked, as an
    area advisory needs one to reach) and a flagged group message there."""
    await seed_groups(console.h, ["ND-TN-01"], base=-1002300)
    services = console.h.services
    tn = await services.areas.get("ND-TN")
    tdp = await services.areas.get("ND-TN-01")
    profile = await _profile(console, "police")
    advisory = await services.advisories.create(
        profile,
        AdvisoryDraft(
            text="Cảnh báo lịch hằng ngày",
            schedule=Schedule(Recurrence.DAILY, time_of_day="07:30"),
            area_id=tn.id,
        ),
    )
    async with transaction(services.sessions) as session:
        item = await enqueue_in(
            session,
            kind=ReviewKind.GROUP_MESSAGE,
            area_id=tdp.id,
            reason="report",
            chat_id=GROUP_ID,
            message_id=7,
            subject_name="Rác",
            text="Mua bán tài khoản giá rẻ",
            details={"chat_title": "An ninh TDP 1"},
        )
    return {"advisory": advisory.id, "item": item.id}


async def _profile(console: Console, who: str) -> Any:
    uid = await user_db_id(console.h, PEOPLE[who]["id"])
    return await console.h.services.users.profile_of(uid)


async def test_every_post_route_refuses_a_request_without_the_csrf_token(
    console: Console,
) -> None:
    """Signed in (as the route's own kind of visitor), a POST without the token, or with a
    forged one, is refused before the route runs."""
    ids = {"hidden": console.ids["hidden"].id, **await _part_two_ids(console)}
    ids["tn"] = (await console.h.services.areas.get("ND-TN")).id
    clients = {who: await console.signed_in(who) for who in ("police", "moderator")}
    refused = []
    try:
        for name, method, path, form, expected in TABLE:
            if method != "POST" or name == "login-open":
                continue
            who = "moderator" if expected["moderator"] == ALLOW else "police"
            filled = {key: value.format(**ids) for key, value in form.items()}
            for token in (None, "forged"):
                data = dict(filled) if token is None else {**filled, "csrf": token}
                response = await clients[who].post(path.format(**ids), data=data)
                if response.status_code != 403:
                    refused.append(f"{name} as {who} with {token}: {response.status_code}")
    finally:
        for client in clients.values():
            await client.aclose()
    assert not refused, "\n".join(refused)
    # Nothing changed: the advisory still runs, the item is still in the queue.
    advisory = await console.h.services.advisory_runs.get(ids["advisory"])
    assert advisory is not None and advisory.status.value == "active"
    profile = await _profile(console, "moderator")
    overview = await console.h.services.review.overview(profile)
    assert sum(c.count for c in overview.counts) >= 1
