"""The demo page on a phone (390×844) and on a desktop (1280×800): it opens as the first
resident in her private chat with a hint of what else to try; a resident's tip (started from
her group, whose "write to me privately" link stays in the page) and the ward officer's handling
go through with nothing wider than the screen, no word broken inside, and the composer and the
next buttons on screen at every step. ``ANNINH_UPDATE_SCREENSHOT=1`` refreshes the README's
pictures (docs/demo-phone.png, docs/demo-desktop.png)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil

import pytest
from playwright.async_api import expect

from bot.i18n import t
from sandbox.client import SandboxClient
from services.demo_showcase import SCAM_CONFIRMED, SCAM_ONE_REPORT, SCAM_REPORTED, SCAM_UNKNOWN
from tests.browser.conftest import ROOT, ChatPage
from tests.browser.layout import layout_problems, reply_keyboard_height

LAN = 1001  # Nguyễn Lan, the first resident (tổ dân phố 1, Phường Thống Nhất)
HUNG = 2001  # Trần Hùng, cảnh sát khu vực of Phường Thống Nhất
TN_GROUP_1 = -1_001_001  # "An ninh TDP 1 — Thống Nhất"
TN_POLICE = -1_000_100  # "Công an Phường Thống Nhất — tổ công tác"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SIZES = [pytest.param(PHONE, id="phone-390x844"), pytest.param(DESKTOP, id="desktop-1280x800")]
INLINE = ".msg.in:last-of-type .inline-kb button"


async def fits(
    ui: ChatPage, step: str, *, press: tuple[str, ...] = (), composer: bool = True
) -> None:
    problems = await layout_problems(ui.page, press=press, composer=composer)
    if problems:
        await ui.screenshot(f"layout-{step}")
    assert problems == [], f"{step}: {problems}"


@pytest.mark.parametrize("viewport", SIZES)
async def test_it_opens_as_the_first_resident_with_a_hint_and_names_fit_the_picker(
    chat_page: ChatPage, viewport: dict[str, int]
) -> None:
    ui = chat_page
    page = ui.page
    await expect(page.locator("body")).to_have_attribute("data-persona", str(LAN))
    await ui.loaded(LAN)
    await expect(page.locator("#chat-title")).to_contain_text("trò chuyện riêng")
    hint = page.locator("#hint")
    await expect(hint).to_be_visible()
    for named in ("Trần Hùng", "Hoàng Thu", "Quản trị", SCAM_CONFIRMED, SCAM_REPORTED):
        await expect(hint).to_contain_text(named)
    await expect(hint).to_contain_text(SCAM_ONE_REPORT)
    await expect(hint).to_contain_text(SCAM_UNKNOWN)
    await fits(ui, "opened")
    if viewport == PHONE:  # the pickers are folded away; the chat has the whole width
        await expect(page.locator("#sidebar")).to_be_hidden()
        chat_width = await page.eval_on_selector("#chat", "e => e.getBoundingClientRect().width")
        assert chat_width == PHONE["width"]
        await expect(page.locator("#picker-toggle")).to_contain_text("Nguyễn Lan")

    # A command of the hint is sent as if typed: the confirmed number's answer. On a phone the
    # hint shows its first line; the numbers unfold with ▾.
    numbers = hint.locator(".cmd", has_text=SCAM_CONFIRMED)
    if viewport == PHONE:
        await expect(numbers).to_be_hidden()
        await page.click("#hint-more")
    await expect(numbers).to_be_visible()
    await fits(ui, "hint-unfolded")
    await numbers.click()
    await expect(ui.bot("Công an đã xác nhận")).to_be_visible()
    await page.click("#hint-close")
    await expect(hint).to_be_hidden()

    # Every link to a bot stays in the page (a button, a text link, a bare URL: the same rule);
    # other links open outside.
    starts = await page.evaluate(
        """urls => urls.map(botLinkStart)""",
        [
            "https://t.me/anninh_sandbox_7000000001_bot?start=baotin",
            "t.me/anninh_bot?start=ND-TN-01",
            "https://t.me/AnNinhBot",
            "https://t.me/+sandbox1001001",
            "https://t.me/some_channel",
            "https://example.org/?start=x",
        ],
    )
    assert starts == ["/start baotin", "/start ND-TN-01", "/start", None, None, None]

    await ui.pickers()
    await fits(
        ui, "pickers-open", press=("#persona", "#chat-list li"), composer=viewport == DESKTOP
    )
    # No persona's name is cut off in the picker: each option's text fits the closed box.
    too_wide = await page.eval_on_selector(
        "#persona",
        """s => {
          const ctx = document.createElement('canvas').getContext('2d');
          ctx.font = getComputedStyle(s).font;
          const room = s.clientWidth - 36;  // padding and the arrow
          return [...s.options].filter(o => ctx.measureText(o.text).width > room)
            .map(o => o.text);
        }""",
    )
    assert too_wide == []
    await ui.open_chat(TN_GROUP_1)
    if viewport == PHONE:  # choosing a conversation folds the drawer away
        await expect(page.locator("#sidebar")).to_be_hidden()
    await fits(ui, "group")


async def wait_for_police_notice(ui: ChatPage, code: str) -> None:
    async with SandboxClient(ui.demo.server.base_url) as client:
        for _ in range(300):
            sent = await client.history(TN_POLICE, from_bot=True)
            if any(code in json.dumps(m, ensure_ascii=False) for m in sent):
                return
            await asyncio.sleep(0.1)
    raise AssertionError(f"{code} never reached the police chat")


@pytest.mark.parametrize("viewport", SIZES)
async def test_a_tip_and_its_handling_fit_the_screen(
    chat_page: ChatPage, viewport: dict[str, int]
) -> None:
    ui = chat_page
    page = ui.page
    size = "phone" if viewport == PHONE else "desktop"
    await ui.loaded(LAN)
    # In her group Lan asks to send a tip: the bot's link to its private chat stays in the page.
    await ui.open_chat(TN_GROUP_1)
    await ui.say("/baotin")
    link = ui.bot(t("tip-private-only", "vi")[:30]).locator(".inline-kb a")
    await expect(link).to_have_text(t("tip-button-open-private", "vi"))
    assert await link.get_attribute("target") is None
    assert "t.me" not in (await link.get_attribute("href") or "")
    await fits(ui, f"{size}-group-link", press=(".msg.in .inline-kb a",))
    await link.click()
    await ui.loaded(LAN)
    await expect(ui.mine("/start baotin")).to_be_visible()
    await expect(ui.bot("Bước 1.")).to_be_visible()
    await fits(ui, f"{size}-categories", press=(INLINE,))

    await ui.inline("tipf:cat:crime").click()
    await expect(ui.bot("Hãy kể lại sự việc")).to_be_visible()
    await ui.say("Hai thanh niên đi xe máy không biển số rình nhà số 12 lúc 23h.")
    await expect(ui.bot("Đã ghi nhận")).to_be_visible()
    await ui.inline("tipf:done").click()
    await expect(ui.bot("ở đâu")).to_be_visible()
    skip = ui.reply_key(t("tip-button-skip-location", "vi"))
    await expect(skip).to_be_visible()
    await fits(ui, f"{size}-location", press=("#reply-kb button",))
    shown, _ = await reply_keyboard_height(page)
    assert shown <= viewport["height"] * 0.35 + 1  # the keyboard leaves the chat its room
    await skip.click()
    area = page.locator(
        '.inline-kb button[data-data^="tipf:home:"], .inline-kb button[data-data^="tipa:pick:"]'
    ).first
    await expect(area).to_be_visible()
    await area.click()
    await expect(ui.bot("giấu tên")).to_be_visible()
    await ui.inline("tipf:anon:1").click()
    await expect(ui.bot("Nội dung")).to_be_visible()
    await fits(ui, f"{size}-summary", press=(INLINE,))
    await ui.inline("tipf:send").click()
    done = ui.bot("Đã gửi tin báo")
    await expect(done).to_be_visible()
    match = re.search(r"Đã gửi tin báo ((?:TB|LD)-\d{4}-\d+)", await done.inner_text())
    assert match, await done.inner_text()
    code = match.group(1)
    await fits(ui, f"{size}-sent")
    await wait_for_police_notice(ui, code)

    # The ward officer handles it from the police work chat.
    await ui.as_persona(HUNG)
    await ui.open_chat(TN_POLICE)
    notice = ui.bot(code)
    await expect(notice).to_be_visible()
    handled = notice.locator('.inline-kb button[data-data^="tip:handled:"]')
    await handled.scroll_into_view_if_needed()
    await fits(ui, f"{size}-police-card")
    await handled.click()
    await expect(ui.bot(t("tipact-button-nonote", "vi"))).to_be_visible()
    await fits(ui, f"{size}-police-note", press=(INLINE,))
    await ui.say("Đã mời hai thanh niên lên làm việc.")
    await expect(ui.bot(re.compile(rf"{code}.*Đã xử lý"))).to_be_visible()
    await fits(ui, f"{size}-police-handled")
    await ui.screenshot(f"demo-{size}-police")

    await ui.as_persona(LAN)
    told = ui.bot(re.compile(rf"{code}[\s\S]*Đã xử lý"))
    await expect(told).to_be_visible()
    await fits(ui, f"{size}-resident-told")
    path = await ui.screenshot(f"demo-{size}")
    if os.environ.get("ANNINH_UPDATE_SCREENSHOT") == "1":  # the README's pictures
        shutil.copyfile(path, ROOT / "docs" / f"demo-{size}.png")

    if viewport == PHONE:  # a small phone: the menu keyboard scrolls within its bounded height
        await page.set_viewport_size({"width": 360, "height": 480})
        await expect(ui.reply_key(t("button-language", "vi"))).to_be_attached()
        shown, full = await reply_keyboard_height(page)
        assert shown <= 480 * 0.35 + 1 < full
        last = page.locator("#reply-kb button").last
        await last.scroll_into_view_if_needed()
        await fits(ui, "small-phone-menu", press=("#reply-kb",))
        await expect(last).to_be_in_viewport()
