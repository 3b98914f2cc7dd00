"""The police console in a real browser, with the demo behind it: an officer asks the bot for
the link in the demo's web chat, signs in, filters the inbox, takes a tip, opens it, looks at
the map (with map tiles, then with the tile server gone: the markers stay) and the
statistics, and downloads a CSV. Refused: a resident's /web, a link used twice, a POST
without the page's CSRF token, the session of an officer whose grant was revoked. The
anonymous reporter's name is in no page."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from PIL import Image
from playwright.async_api import Browser, Page, expect

from bot.demo import DemoRun, running_demo
from bot.i18n import t
from services.users import IncomingUser
from tests.browser.conftest import ARTIFACTS, ChatPage

HUNG = 2001  # cảnh sát khu vực, Phường Thống Nhất
LAN = 1001  # resident
SECRET = {"id": 1999, "first": "Giấu", "last": "Tên Thật"}
SECRET_NAME = "Giấu Tên Thật"
SECRET_TEXT = "Có người lạ theo dõi nhà số 12 mấy đêm nay"


class TileServer:
    """A stand-in map tile server on this machine, which the test can take away."""

    def __init__(self) -> None:
        out = io.BytesIO()
        Image.new("RGB", (256, 256), (205, 225, 205)).save(out, "PNG")
        self.png = out.getvalue()
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{z}/{x}/{y}.png", self._tile)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _tile(self, request: web.Request) -> web.Response:
        return web.Response(body=self.png, content_type="image/png")

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None


@pytest.fixture
async def tiles() -> AsyncIterator[TileServer]:
    server = TileServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def demo(database_url: str, tiles: TileServer) -> AsyncIterator[DemoRun]:
    """The demo (as the chat tests use it) with the console's tiles from ``tiles``."""
    url = f"http://127.0.0.1:{tiles.port}/{{z}}/{{x}}/{{y}}.png"
    async with running_demo(database_url, tile_url=url) as run:
        yield run


async def _anonymous_tip(run: DemoRun) -> str:
    """A resident of Thống Nhất sends a tip without their name; returns its code."""
    services = run.services
    profile = await services.users.identify(
        IncomingUser(SECRET["id"], SECRET["first"], SECRET["last"], "giau_ten")
    )
    uid = profile.user.id
    area = await services.areas.get("ND-TN-01")
    intake = services.tip_intake
    steps = services.tip_steps
    await intake.begin(uid)
    await steps.choose_category(uid, "crime")
    await steps.add_text(uid, SECRET_TEXT)
    await steps.finish_description(uid)
    await steps.skip_location(uid)
    await steps.choose_area(uid, area.id)
    await steps.set_anonymous(uid, True)
    return (await intake.submit(uid)).report.code


async def _link_from_chat(ui: ChatPage) -> str:
    await ui.say("/web")
    message = ui.bot("Trang quản lý")
    await expect(message).to_be_visible()
    href = await message.locator("a[href*='/login/']").first.get_attribute("href")
    assert href is not None
    return href


async def test_an_officer_works_on_the_console_and_refusals_hold(
    chat_page: ChatPage, browser: Browser, tiles: TileServer
) -> None:
    ui = chat_page
    run = ui.demo
    secret_code = await _anonymous_tip(run)
    seen: list[str] = []

    async def keep(page: Page) -> None:
        seen.append(await page.content())

    # A resident asks: a polite refusal, no link.
    await ui.as_persona(LAN)
    await ui.say("/web")
    await expect(ui.bot(t("web-not-allowed", "vi"))).to_be_visible()

    # The officer asks in the demo chat and opens the link. (The persona card also links to
    # the console: the demo's shortcut to the same sign-in.)
    await ui.as_persona(HUNG)
    shortcut = ui.page.locator("#persona-link")
    await expect(shortcut).to_have_attribute("href", f"{run.console_url}/demo/enter/{HUNG}")
    link = await _link_from_chat(ui)
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
    )  # fmt: skip
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(link)
    await page.click("#sign-in")
    await expect(page).to_have_url(re.compile(r"/inbox$"))
    await expect(page.locator("#inbox-table")).to_be_visible()
    await keep(page)

    # Filters (applied by htmx in place, the address follows).
    await page.select_option("select[name=status]", "all")
    await expect(page).to_have_url(re.compile(r"status=all"))
    await page.fill("input[name=q]", secret_code)
    await page.click("#inbox-filters button.primary")
    rows = page.locator("#inbox-table tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(t("web-anonymous", "vi"))
    await keep(page)

    # Take it from the list, then open it.
    await rows.first.locator("button.take").click()
    await expect(page.locator("#inbox-table tbody tr").first).to_have_attribute(
        "data-status", "verifying"
    )
    await page.click(f"text={secret_code}")
    await expect(page.locator("#tip")).to_have_attribute("data-status", "verifying")
    await expect(page.locator("#history")).to_contain_text("Trần Hùng")
    await keep(page)
    tip_url = page.url

    # The map: tiles load; then the tile server is gone and the markers stay.
    await page.goto(page.url.split("/tips/")[0] + "/map?days=365")
    await expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    await expect(page.locator("body")).to_have_attribute("data-tiles", "loaded")
    markers = page.locator(".tip-marker, .marker-cluster")
    assert await markers.count() > 0
    await expect(page.locator(".area-label").first).to_be_visible()
    await keep(page)
    await page.screenshot(path=str(_artifact("console-map")))
    await tiles.stop()
    await page.reload()
    await expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    await expect(page.locator("body")).to_have_attribute("data-tiles", "unreachable")
    assert await page.locator(".tip-marker, .marker-cluster").count() > 0
    await expect(page.locator(".area-label").first).to_be_visible()
    await page.check("#view-heat")
    await expect(page.locator("#map")).to_have_attribute("data-view", "heat")
    await page.screenshot(path=str(_artifact("console-map-offline")))

    # Statistics, and a CSV of them.
    await page.click("nav >> text=Thống kê")
    await expect(page.locator("body")).to_have_attribute("data-charts", "drawn")
    await expect(page.locator("#headline")).to_contain_text("vụ")
    await keep(page)
    await page.screenshot(path=str(_artifact("console-stats")), full_page=True)
    async with page.expect_download() as download_info:
        await page.click("#export-csv")
    download = await download_info.value
    saved = await download.path()
    csv_text = await asyncio.to_thread(Path(saved).read_text, encoding="utf-8-sig")
    assert t("stats-export-col-code", "vi") in csv_text
    assert SECRET_NAME not in csv_text

    # A POST without the page's CSRF token is refused and changes nothing.
    tip_id = tip_url.rsplit("/", 1)[1]
    base = tip_url.split("/tips/")[0]
    refused = await page.request.post(
        f"{base}/tips/{tip_id}/act", form={"action": "handled"}, max_redirects=0
    )
    assert refused.status == 403
    await page.goto(tip_url)
    await expect(page.locator("#tip")).to_have_attribute("data-status", "verifying")

    # The link cannot be used again.
    other = await context.new_page()
    await other.goto(link)
    await expect(other.locator("#link-problem")).to_have_attribute("data-problem", "used")
    await expect(other.locator("#link-problem")).to_contain_text("/web")

    # Revoking the officer's grant ends the open session at once.
    await run.services.grants.revoke(target_telegram_id=HUNG, role="police", area_code="ND-TN")
    await page.goto(f"{base}/inbox")
    await expect(page).to_have_url(re.compile(r"/login\?next="))

    for html in seen:
        assert SECRET_NAME not in html and "giau_ten" not in html
    assert errors == [], f"JavaScript errors on the console: {errors}"
    await context.close()


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"
