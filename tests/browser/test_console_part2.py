"""The console's part 2 in a real browser, with the demo behind it: the ward officer composes a
daily advisory and sees it on the calendar, sends one now, reads its per-group delivery report
and retracts it after confirming; the audit log filters and exports a formula-safe CSV; the
officer of another ward sees none of it; the moderator clears a queue item on the page and the
chat's /duyet agrees. Phone-sized pages do not scroll sideways."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, expect

from bot.demo import DemoRun
from bot.i18n import t
from services.demo_cast import MODERATOR_ID
from services.review import enqueue_in
from storage.models import ChatPurpose, ReviewKind
from storage.repositories.chats import ChatRepository
from storage.uow import transaction
from tests.browser.conftest import ARTIFACTS, ChatPage
from tests.browser.layout import OVERFLOW_JS

HUNG = 2001  # cảnh sát khu vực, Phường Thống Nhất
DUNG = 2002  # cảnh sát khu vực, Phường Vị Hoàng
FORMULA_AREA = '=HYPERLINK("http://x","tổ 99")'
NOW_TEXT = "Cảnh báo: kẻ gian giả nhân viên điện lực vào nhà"
QUEUE_TEXT = "Bán sim số đẹp, nhận làm giấy tờ nhanh"
PHONE = {"width": 390, "height": 844}


async def _signed_in(
    browser: Browser, run: DemoRun, telegram_id: int, viewport: dict[str, int] | None = None
) -> tuple[BrowserContext, Page, list[str]]:
    """A browser of its own, signed in as this persona through the demo's /web shortcut."""
    context = await browser.new_context(
        viewport=viewport or {"width": 1280, "height": 900}, locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True,
    )  # fmt: skip
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{run.console_url}/demo/enter/{telegram_id}")
    await page.click("#sign-in")
    return context, page, errors


async def _compose(page: Page, text: str, area: int, when: str, **fields: str) -> int:
    await page.click("nav >> text=Cảnh báo")
    await page.click("#compose")
    await page.fill("#adv-text", text)
    await page.select_option("#adv-area", str(area))
    await page.check(f"input[name=when][value={when}]")
    for name, value in fields.items():
        await page.fill(f"input[name={name}]", value)
    await page.click("#adv-preview")
    await expect(page.locator("#adv-message")).to_contain_text(text)
    await page.click("#adv-send")
    done = "console-adv-sending" if when == "now" else "console-adv-created"
    await expect(page.locator("#notice")).to_have_text(t(done, "vi"))
    return int(await page.locator("#advisory").get_attribute("data-advisory") or 0)


async def test_advisories_the_log_and_the_review_queue_on_the_console(
    chat_page: ChatPage, browser: Browser
) -> None:
    ui = chat_page
    run = ui.demo
    services = run.services
    await services.areas.add(
        code="ND-TN-99", name=FORMULA_AREA, kind="residential_group", parent_code="ND-TN"
    )
    tn = (await services.areas.get("ND-TN")).id
    tn99 = (await services.areas.get("ND-TN-99")).id
    context, page, errors = await _signed_in(browser, run, HUNG)
    await expect(page).to_have_url(re.compile(r"/inbox$"))

    # A daily advisory: on the calendar every day from today.
    daily = await _compose(page, "Nhắc khóa cửa, tắt bếp trước khi ngủ", tn,
                           "daily", time_of_day="21:30")  # fmt: skip
    await expect(page.locator("#adv-schedule")).to_contain_text("21:30")
    await page.click("#advisory >> text=" + t("console-back-to-calendar", "vi"))
    planned = page.locator(f'#calendar .entry-planned[data-advisory="{daily}"]')
    await expect(planned.first).to_be_visible()
    await page.click("#month-next")
    assert await planned.count() >= 28
    await page.screenshot(path=str(_artifact("console-calendar")), full_page=True)

    # Sent now: its per-group report fills in, then it is retracted after confirming.
    sent = await _compose(page, NOW_TEXT, tn, "now")
    finished = page.locator('#advisory .run[data-run-status="done"]')
    for _ in range(120):
        if await finished.count():
            break
        await asyncio.sleep(0.5)
        await page.reload()
    delivered = page.locator('#advisory tr[data-delivery="sent"]')
    assert await delivered.count() > 0, "no group shows the advisory as sent"
    assert await page.locator('#advisory tr[data-delivery="failed"]').count() == 0
    await expect(page.locator("#advisory")).not_to_contain_text("Vị Hoàng")
    await page.screenshot(path=str(_artifact("console-advisory-report")), full_page=True)
    groups = await delivered.count()
    await page.click("#retract")
    await expect(page.locator("#retract-confirm")).to_contain_text(str(groups))
    await page.click("#retract-no")
    await expect(page.locator('#advisory tr[data-delivery="sent"]')).to_have_count(groups)
    await page.click("#retract")
    await page.click("#retract-yes")
    await expect(page.locator("#notice")).to_contain_text(f"{groups}/{groups}")
    await expect(page.locator('#advisory tr[data-delivery="retracted"]')).to_have_count(groups)

    # One more in the tổ whose name looks like a formula (its group linked: an advisory needs
    # one to reach), then the log: filter and export.
    async with transaction(services.sessions) as session:
        chats = ChatRepository(session)
        await chats.upsert(-1_009_099, "supergroup", "An ninh tổ 99")
        await chats.update(-1_009_099, area_id=tn99, purpose=ChatPurpose.RESIDENTS)
    await _compose(page, "Cảnh báo tổ 99", tn99, "daily", time_of_day="08:00")
    await page.click("nav >> text=Nhật ký")
    await page.select_option("select[name=action]", "advisory.create")
    await page.click("#audit-apply")
    await expect(page).to_have_url(re.compile(r"action=advisory\.create"))
    rows = page.locator("#audit-table tbody tr")
    await expect(rows).to_have_count(3)
    assert set(await rows.evaluate_all("rs => rs.map(r => r.dataset.action)")) == {
        "advisory.create"
    }
    async with page.expect_download() as download_info:
        await page.click("#audit-csv")
    saved = await (await download_info.value).path()
    text = await asyncio.to_thread(Path(saved).read_text, encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 4 and table[0][1] == t("console-audit-col-action", "vi")
    assert any(row[3].startswith("'" + FORMULA_AREA) for row in table[1:])  # with its ward
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)

    # The officer of Vị Hoàng sees none of Thống Nhất's advisories or log.
    other_context, other, other_errors = await _signed_in(browser, run, DUNG)
    await other.goto(f"{run.console_url}/advisories")
    await expect(other.locator("#calendar")).to_be_visible()
    for advisory in (daily, sent):
        assert await other.locator(f'[data-advisory="{advisory}"]').count() == 0
        answer = await other.goto(f"{run.console_url}/advisories/{advisory}")
        assert answer is not None and answer.status == 403
    await other.goto(f"{run.console_url}/audit?action=advisory.create")
    await expect(other.locator("#audit-table tbody tr")).to_have_count(0)
    await other_context.close()

    # The moderator: a flagged message of a tổ dân phố they keep, cleared on the page.
    item = await _flag(run)
    mod_context, mod, mod_errors = await _signed_in(browser, run, MODERATOR_ID, PHONE)
    await expect(mod).to_have_url(re.compile(r"/review$"))
    card = mod.locator(f'.review-card[data-item="{item}"]')
    await expect(card).to_contain_text(QUEUE_TEXT)
    assert await mod.evaluate(OVERFLOW_JS) == []
    await mod.screenshot(path=str(_artifact("console-review-phone")), full_page=True)
    answer = await mod.goto(f"{run.console_url}/inbox")
    assert answer is not None and answer.status == 403
    await mod.goto(f"{run.console_url}/review")
    await mod.locator(f'.review-card[data-item="{item}"] button[data-action="dismiss"]').click()
    await expect(mod.locator("#notice")).to_be_visible()
    await expect(mod.locator(f'.review-card[data-item="{item}"]')).to_have_count(0)
    # The chat's queue agrees: /duyet no longer offers the item.
    await ui.as_persona(MODERATOR_ID)
    await ui.say("/duyet")
    await expect(ui.bot(re.compile("Hàng chờ duyệt"))).to_be_visible()
    await asyncio.sleep(1)
    await expect(ui.page.locator(".msg.in").filter(has_text=QUEUE_TEXT)).to_have_count(0)

    # The calendar on a phone: a list of the busy days, nothing wider than the screen.
    phone_context, phone, phone_errors = await _signed_in(browser, run, HUNG, PHONE)
    await phone.goto(f"{run.console_url}/advisories")
    await expect(phone.locator(f'#calendar [data-advisory="{daily}"]').first).to_be_visible()
    assert await phone.evaluate(OVERFLOW_JS) == []
    await phone.screenshot(path=str(_artifact("console-calendar-phone")), full_page=True)
    for path in (f"/advisories/{sent}", "/advisories/new", "/areas", "/audit"):
        await phone.goto(f"{run.console_url}{path}")
        assert (found := await phone.evaluate(OVERFLOW_JS)) == [], (path, found)
    await phone.screenshot(path=str(_artifact("console-audit-phone")), full_page=True)

    for found in (errors, other_errors, mod_errors, phone_errors):
        assert found == [], f"JavaScript errors on the console: {found}"
    for opened in (context, mod_context, phone_context):
        await opened.close()


async def _flag(run: DemoRun) -> int:
    """A message reported in the first residents' group of Thống Nhất (the moderator's)."""
    services = run.services
    tdp = await services.areas.get("ND-TN-01")
    async with transaction(services.sessions) as session:
        item = await enqueue_in(
            session,
            kind=ReviewKind.GROUP_MESSAGE,
            area_id=tdp.id,
            reason="report",
            chat_id=-1_001_001,
            message_id=1,
            subject_name="Người bán hàng",
            text=QUEUE_TEXT,
            details={"chat_title": "An ninh TDP 1 — Thống Nhất"},
        )
    return item.id


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"
