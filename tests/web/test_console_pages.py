"""The console's pages as an officer uses them over HTTP: signing in by the bot's link, the
inbox's filters, acting on a tip (the reporter is told, as from the chat), media through the
console, exports, and the refusals: a used or unknown link, a group, a resident, a revoked
officer. The anonymous reporter's name appears in no page."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.i18n import t
from tests.e2e.harness import TEST_TOKEN
from tests.hardening.support import wait_until
from tests.web.conftest import (
    GROUP_ID,
    NAMED_REPORTER,
    PEOPLE,
    SECRET_REPORTER,
    Console,
    csrf_in,
    open_link,
)

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAMES = ("Bí Mật", "Nguyễn Thị", "bimat_9", str(SECRET_REPORTER["id"]))


async def _pages(client: httpx.AsyncClient, console: Console) -> dict[str, str]:
    hidden, named = console.ids["hidden"], console.ids["named"]
    paths = [
        "/inbox",
        "/inbox?status=all",
        f"/inbox?status=all&q={hidden.code}",
        f"/tips/{hidden.id}",
        f"/tips/{named.id}",
        "/map?days=365",
        "/map/data?days=365",
        "/stats",
        "/stats/export?format=csv",
        "/advisories",
        "/areas",
        "/audit",
        "/audit/export?format=csv",
    ]
    out = {}
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        out[path] = response.text
    return out


async def test_an_anonymous_reporters_name_is_on_no_page(console: Console) -> None:
    for who in ("police", "admin"):
        client = await console.signed_in(who)
        try:
            pages = await _pages(client, console)
        finally:
            await client.aclose()
        for path, html in pages.items():
            for secret in SECRET_NAMES:
                assert secret not in html, f"{secret!r} on {path} for {who}"
        # A reporter who gave their name is shown to the area's officers, family name first.
        named = f"{NAMED_REPORTER['last_name']} {NAMED_REPORTER['first_name']}"
        assert named in pages["/inbox?status=all"]
        assert named in pages[f"/tips/{console.ids['named'].id}"]
        assert "Ẩn danh" in pages[f"/tips/{console.ids['hidden'].id}"]
    # Nor on the moderator's queue.
    moderator = await console.signed_in("moderator")
    try:
        queue = await moderator.get("/review")
    finally:
        await moderator.aclose()
    assert queue.status_code == 200
    for secret in SECRET_NAMES:
        assert secret not in queue.text


async def test_the_inbox_filters_and_names_what_it_did_not_understand(console: Console) -> None:
    client = await console.signed_in("police")
    hidden, named = console.ids["hidden"], console.ids["named"]
    tdp = (await console.h.services.areas.get("ND-TN-01")).id
    try:

        async def codes(query: str) -> set[str]:
            html = (await client.get(f"/inbox?{query}")).text
            return {c for c in (hidden.code, named.code, console.ids["other"].code) if c in html}

        assert await codes("") == {hidden.code, named.code}  # open tips of Thống Nhất only
        assert await codes(f"q={hidden.code}") == {hidden.code}
        assert await codes("q=cạy+cửa") == {hidden.code}
        assert await codes(f"area={tdp}&category=crime") == {hidden.code, named.code}
        assert await codes("category=order") == set()
        assert await codes("status=handled") == set()
        assert await codes("from=2001-01-01&to=2001-12-31") == set()
        partial = await client.get("/inbox?status=all", headers={"HX-Request": "true"})
        assert "<html" not in partial.text and hidden.code in partial.text
        bad = (await client.get("/inbox?status=nope&from=31/02/2026&page=x")).text
        for key in ("web-filter-bad-status", "web-filter-bad-date", "web-filter-bad-page"):
            assert t(key, "vi") in bad
    finally:
        await client.aclose()


async def test_taking_a_tip_on_the_page_tells_the_reporter_as_the_chat_does(
    console: Console,
) -> None:
    client = await console.signed_in("police")
    hidden = console.ids["hidden"]
    h = console.h
    try:
        inbox = await client.get("/inbox")
        taken = await client.post(
            f"/tips/{hidden.id}/act",
            data={"csrf": csrf_in(inbox.text), "action": "verify", "next": "/inbox"},
        )
        assert taken.status_code == 303 and taken.headers["location"] == "/inbox?done=verify"
        page = (await client.get(f"/tips/{hidden.id}")).text
        assert 'data-status="verifying"' in page

        async def told() -> bool:
            history = await h.client.history(SECRET_REPORTER["id"], from_bot=True)
            return any(hidden.code in (m.get("text") or "") for m in history)

        await wait_until(told, timeout=10)
        # Taking it again: the chat's "already taken by …" refusal, shown on the page.
        again = await client.post(
            f"/tips/{hidden.id}/act", data={"csrf": csrf_in(page), "action": "verify"}
        )
        assert again.status_code == 409 and "CA Thống Nhất" in again.text
        # Closing needs a reason when not verified; asking needs a question.
        empty = await client.post(
            f"/tips/{hidden.id}/act", data={"csrf": csrf_in(page), "action": "reject"}
        )
        assert empty.status_code == 409 and t("web-reason-empty", "vi") in empty.text
        asked = await client.post(
            f"/tips/{hidden.id}/act",
            data={"csrf": csrf_in(page), "action": "reply", "note": "Xe màu gì ạ?"},
        )
        assert asked.status_code == 303
        page = (await client.get(f"/tips/{hidden.id}")).text
        assert "Xe màu gì ạ?" in page
        history = await h.client.history(SECRET_REPORTER["id"], from_bot=True)
        assert any("Xe màu gì ạ?" in (m.get("text") or "") for m in history)
        handled = await client.post(
            f"/tips/{hidden.id}/act",
            data={"csrf": csrf_in(page), "action": "handled", "note": "Đã bắt được."},
        )
        assert handled.status_code == 303
        assert "Đã bắt được." in (await client.get(f"/tips/{hidden.id}")).text
    finally:
        await client.aclose()


async def test_media_comes_through_the_console_never_by_a_url_with_the_token(
    console: Console,
) -> None:
    client = await console.signed_in("police")
    hidden = console.ids["hidden"]
    try:
        page = (await client.get(f"/tips/{hidden.id}")).text
        assert f'src="/tips/{hidden.id}/media/0"' in page
        assert TEST_TOKEN not in page and "/file/bot" not in page
        photo = await client.get(f"/tips/{hidden.id}/media/0")
        assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
        assert photo.content == console.ids["photo"]
        assert (await client.get(f"/tips/{hidden.id}/media/5")).status_code == 404
    finally:
        await client.aclose()


async def test_the_export_neutralises_formulas_and_names_no_reporter(console: Console) -> None:
    client = await console.signed_in("police")
    try:
        tn = (await console.h.services.areas.get("ND-TN")).id
        csv = await client.get(f"/stats/export?format=csv&period=y&area={tn}")
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        assert "'=HYPERLINK" in csv.text and "\n=HYPERLINK" not in csv.text
        assert "Công Khai" not in csv.text and "Bí Mật" not in csv.text
        xlsx = await client.get(f"/stats/export?format=xlsx&period=y&area={tn}")
        assert xlsx.content[:2] == b"PK"
        assert (await client.get("/stats/export?format=pdf")).status_code == 400
    finally:
        await client.aclose()


async def test_a_used_or_unknown_link_says_why_and_how_to_get_a_new_one(
    console: Console,
) -> None:
    link = await console.link_for("police")
    async with httpx.AsyncClient(timeout=20) as first, httpx.AsyncClient(timeout=20) as second:
        assert (await open_link(first, link)).status_code == 303
        again = await second.get(link)
        assert again.status_code == 410
        assert t("web-link-used", "vi") in again.text and "/web" in again.text
        unknown = await second.get(link[:-4] + "zzzz")
        assert unknown.status_code == 404 and t("web-link-unknown", "vi") in unknown.text


async def test_web_refuses_residents_and_groups(console: Console) -> None:
    h = console.h
    [answer] = await h.say(PEOPLE["resident"], "/web")
    assert answer["text"] == t("web-not-allowed", "vi")
    await h.client.members(GROUP_ID, joined=[PEOPLE["police"]], title="Nhóm")
    [answer] = await h.say(PEOPLE["police"], "/console", chat_id=GROUP_ID)
    assert answer["text"] == t("web-private-only", "vi")
    assert "/login/" not in str(answer)


async def test_revoking_the_last_grant_ends_the_session_by_chat_and_by_cli(
    console: Console, database_url: str
) -> None:
    h = console.h
    client = await console.signed_in("police")
    other = await console.signed_in("police_other")
    try:
        assert (await client.get("/inbox")).status_code == 200
        [answer] = await h.say(PEOPLE["admin"], "/thuquyen @ca_tn police ND-TN")
        assert answer["text"] == t("group-revoked", "vi")
        gone = await client.get("/inbox")
        assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
        partial = await client.get("/inbox?page=1", headers={"HX-Request": "true"})
        assert partial.headers["HX-Redirect"].startswith("/login?next=/inbox")
        # The operator's CLI revokes the same way.
        env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
        env.update({"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)})
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot.cli", "admin", "revoke", "--user",
             str(PEOPLE["police_other"]["id"]), "--role", "police", "--area", "ND-HB"],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
        )  # fmt: skip
        assert result.stdout.strip() == "revoked", result.stderr
        assert (await other.get("/inbox")).status_code == 303
    finally:
        await client.aclose()
        await other.aclose()


async def test_the_login_widget_signs_in_when_turned_on(console: Console) -> None:
    h = console.h
    async with httpx.AsyncClient(base_url=console.base, timeout=20) as client:
        fields = {"id": str(PEOPLE["police"]["id"]), "first_name": "CA",
                  "auth_date": str(int(time.time()))}  # fmt: skip
        signed = _widget_signed(fields)
        assert (await client.get("/login/widget", params=signed)).status_code == 404  # off
        await h.stop()
        await h.start(web_login_widget=True)
        login = await client.get("/login")
        assert "telegram-widget.js" in login.text
        assert "https://telegram.org" in login.headers["content-security-policy"]
        forged = await client.get("/login/widget", params={**signed, "id": "1905"})
        assert forged.status_code == 404
        opened = await client.get("/login/widget", params=signed)
        assert opened.status_code == 303 and opened.headers["location"] == "/inbox"
        assert (await client.get("/inbox")).status_code == 200


def _widget_signed(fields: dict[str, str]) -> dict[str, str]:
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hashlib.sha256(TEST_TOKEN.encode()).digest()
    return {**fields, "hash": hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()}
