"""The demo's web chat in a real browser: personas, private chat and groups, keyboards, uploads,
and live updates over server-sent events, with the real bot and the demo data behind it."""

from __future__ import annotations

import asyncio
import io
import json
import re
from pathlib import Path

from PIL import Image
from playwright.async_api import expect
from telegram.constants import ParseMode

from bot.i18n import t
from sandbox.client import SandboxClient
from tests.browser.conftest import ChatPage

LAN = 1001  # Nguyễn Lan, resident of tổ dân phố 1, phường Thống Nhất
HUNG = 2001  # Trần Hùng, cảnh sát khu vực phường Thống Nhất
TN_GROUP_1 = -1_001_001  # "An ninh TDP 1 — Thống Nhất": Lan and Hùng are members
TN_POLICE = -1_000_100  # "Công an Phường Thống Nhất — tổ công tác"


def jpeg_file(tmp_path: Path, color: str = "orange") -> Path:
    path = tmp_path / "xe-la.jpg"
    out = io.BytesIO()
    Image.new("RGB", (320, 200), color).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


async def image_loaded(ui: ChatPage, selector: str) -> bool:
    return bool(
        await ui.page.locator(selector).last.evaluate(
            "img => img.complete && img.naturalWidth > 0"
        )
    )


async def test_a_resident_talks_to_the_bot_with_keyboards_buttons_photo_and_location(
    chat_page: ChatPage, tmp_path: Path
) -> None:
    ui = chat_page
    page = ui.page
    options = await page.locator("#persona option").all_inner_texts()
    assert "Trần Hùng" in options  # the name; the title is on the card and the option's title
    hung = page.locator(f'#persona option[value="{HUNG}"]')
    await expect(hung).to_have_attribute("title", "Cảnh sát khu vực Phường Thống Nhất")
    assert await page.locator("#persona optgroup").evaluate_all(
        "groups => groups.map(g => g.label)"
    ) == ["Người dân", "Cảnh sát khu vực", "Người kiểm duyệt", "Quản trị"]

    await ui.as_persona(LAN)
    await expect(page.locator("#persona-card")).to_contain_text("Người dân tổ 1")
    chats = page.locator("#chat-list li")
    await expect(chats).to_have_count(2)  # the private chat and the tổ dân phố's group
    await expect(chats.nth(1)).to_contain_text("An ninh TDP 1 — Thống Nhất")

    await ui.say("/start")
    greeting = ui.bot("Xin chào Lan!")
    await expect(greeting).to_be_visible()
    await expect(greeting.locator(".text")).to_contain_text("113 (Công an)")
    # The /help in the greeting is a bot_command entity: rendered as a clickable command.
    await expect(greeting.locator(".cmd", has_text="/help")).to_be_visible()

    help_key = ui.reply_key(t("button-help", "vi"))
    await expect(help_key).to_be_visible()
    await ui.reply_key(t("button-language", "vi")).click()
    offer = ui.bot(t("language-current", "vi"))
    await expect(offer).to_be_visible()
    await offer.locator('.inline-kb button[data-data="lang:en"]').click()
    await expect(ui.bot("Switched to English.")).to_be_visible()
    # The keyboard that came with the confirmation replaces the old one, in English.
    await expect(ui.reply_key(t("button-help", "en"))).to_be_visible()
    await expect(help_key).to_have_count(0)
    await ui.say("/language vi")
    await expect(ui.bot("Đã chuyển sang Tiếng Việt.")).to_be_visible()

    await page.fill("#text", "Ảnh xe máy lạ đỗ trước nhà số 12")
    await page.set_input_files("#file-input", str(jpeg_file(tmp_path)))
    sent = ui.mine("Ảnh xe máy lạ đỗ trước nhà số 12")
    await expect(sent.locator("img.photo")).to_be_visible()
    assert await image_loaded(ui, ".msg.out img.photo")
    history = ui.demo.server.state.chats[LAN].messages
    uploaded = [m.data for m in history.values() if "photo" in m.data]
    assert uploaded and uploaded[-1]["photo"][-1]["width"] == 320
    assert uploaded[-1]["caption"] == "Ảnh xe máy lạ đỗ trước nhà số 12"

    await page.click("#location-btn")
    await expect(page.locator("#loc-lat")).to_have_value("20.42")
    await expect(page.locator("#loc-lon")).to_have_value("106.17")
    await page.fill("#loc-lat", "20.4306")
    await page.click("#loc-send")
    await expect(page.locator(".msg.out .location").last).to_contain_text("20.43060, 106.17000")
    located = [m.data for m in history.values() if "location" in m.data]
    assert located[-1]["location"] == {"latitude": 20.4306, "longitude": 106.17}

    await ui.screenshot("resident-private-chat")


async def test_groups_show_other_people_and_bot_changes_live(chat_page: ChatPage) -> None:
    ui = chat_page
    page = ui.page
    bot = ui.demo.app.bot
    await ui.as_persona(HUNG)
    titles = await page.locator("#chat-list li").all_inner_texts()
    assert any("Công an Phường Thống Nhất — tổ công tác" in x for x in titles)
    assert sum("— Thống Nhất" in x for x in titles) == 3  # the ward's three tổ dân phố

    await ui.open_chat(TN_GROUP_1)
    await expect(page.locator("#chat-title")).to_have_text("An ninh TDP 1 — Thống Nhất")
    await expect(page.locator(".msg.service").first).to_contain_text("tham gia nhóm")
    await expect(page.locator("#chat-sub")).to_contain_text("thành viên")
    await ui.say("/start")
    await expect(ui.bot("nhắn riêng")).to_be_visible()

    # Someone else writes in the group (another browser, a test): it appears without reload.
    lan = {"id": LAN, "first_name": "Lan", "last_name": "Nguyễn", "is_bot": False}
    async with SandboxClient(ui.demo.server.base_url) as client:
        await client.send_message(
            TN_GROUP_1, lan, "Tối nay có người lạ đi xe không biển số", chat_type="supergroup"
        )
        incoming = ui.bot("Tối nay có người lạ")
        await expect(incoming).to_be_visible()
        await expect(incoming.locator(".sender")).to_have_text("Nguyễn Lan")

        # The bot formats, edits, pins, sends files and deletes: each shows as it happens.
        warning = await bot.send_message(
            TN_GROUP_1,
            "<b>CẢNH BÁO</b> giả danh <i>công an</i> gọi điện — <code>0389 123 456</code>",
            parse_mode=ParseMode.HTML,
        )
        shown = ui.bot("giả danh")
        await expect(shown.locator("b")).to_have_text("CẢNH BÁO")
        await expect(shown.locator("i")).to_have_text("công an")
        await expect(shown.locator("code")).to_have_text("0389 123 456")
        await bot.edit_message_text(
            "<b>CẢNH BÁO</b> giả danh công an — đã có 3 nhà bị gọi",
            chat_id=TN_GROUP_1,
            message_id=warning.message_id,
            parse_mode=ParseMode.HTML,
        )
        await expect(shown).to_contain_text("đã có 3 nhà bị gọi")
        await expect(shown.locator(".meta")).to_contain_text("đã sửa")
        await bot.pin_chat_message(TN_GROUP_1, warning.message_id)
        await expect(page.locator("#pinned")).to_contain_text("CẢNH BÁO")
        await expect(page.locator(".msg.service").last).to_contain_text("đã ghim")

        chart = io.BytesIO()
        Image.new("RGB", (400, 240), "steelblue").save(chart, "PNG")
        await bot.send_photo(TN_GROUP_1, chart.getvalue(), caption="Biểu đồ tin báo theo tháng")
        photo = ui.bot("Biểu đồ tin báo theo tháng")
        await expect(photo.locator("img.photo")).to_be_visible()
        assert await image_loaded(ui, ".msg.in img.photo")
        await bot.send_document(TN_GROUP_1, b"thang,so_tin\n7,12\n", filename="thong-ke.csv")
        link = page.locator("a.doc", has_text="thong-ke.csv")
        await expect(link).to_have_attribute("download", "thong-ke.csv")
        href = await link.get_attribute("href")
        assert href is not None and href.startswith("/sandbox/files/")
        body = await page.evaluate("url => fetch(url).then(r => r.text())", href)
        assert body == "thang,so_tin\n7,12\n"

        await bot.delete_message(TN_GROUP_1, warning.message_id)
        await expect(shown).to_have_class(re.compile(r"\bdeleted\b"))
        await expect(shown.locator(".deleted-note")).to_have_text("Tin nhắn đã bị xóa")
        await expect(page.locator("#pinned")).to_be_hidden()
        await ui.screenshot("group-edits-pins-files-deletions")

        # A message in a chat that is not open shows as unread; opening it clears the badge.
        await client.send_message(TN_POLICE, {"id": 9001, "first_name": "Quản trị"},
                                  "Họp giao ban 8h sáng mai", chat_type="supergroup")  # fmt: skip
        badge = page.locator(f'#chat-list li[data-chat-id="{TN_POLICE}"] .badge')
        await expect(badge).to_have_text("1")
        await ui.open_chat(TN_POLICE)
        await expect(badge).to_have_count(0)
        await expect(ui.bot("Họp giao ban")).to_be_visible()
    await ui.screenshot("officer-group-live")


async def more_bot_messages(ui: ChatPage, than: int) -> None:
    await ui.page.wait_for_function(
        "n => document.querySelectorAll('.msg.in').length > n", arg=than, timeout=15_000
    )


async def test_a_tip_with_a_photo_reaches_the_ward_police_and_its_handling_reaches_the_resident(
    chat_page: ChatPage, tmp_path: Path
) -> None:
    """The whole product in one story: Lan sends an anonymous tip with a photo; Hùng, the ward's
    officer, sees it arrive in the police work chat, marks it handled with a note; Lan is told."""
    ui = chat_page
    page = ui.page
    await ui.as_persona(LAN)
    await ui.say("/start")
    await ui.reply_key(t("tip-menu-send", "vi")).click()
    await expect(ui.bot("Bước 1.")).to_be_visible()
    await ui.inline("tipf:cat:crime").click()
    await expect(ui.bot("Hãy kể lại sự việc")).to_be_visible()
    await ui.say("Hai thanh niên đi xe máy không biển số rình nhà số 12 lúc 23h.")
    await expect(ui.bot("Đã ghi nhận")).to_be_visible()
    before = await page.locator(".msg.in").count()
    await page.set_input_files("#file-input", str(jpeg_file(tmp_path, "darkred")))
    await expect(page.locator(".msg.out img.photo")).to_be_visible()
    await more_bot_messages(ui, before)
    await ui.inline("tipf:done").click()
    await expect(ui.bot("ở đâu")).to_be_visible()
    await ui.reply_key(t("tip-button-skip-location", "vi")).click()
    # Lan's home tổ dân phố is known (demo data), so it is offered first; else the area picker.
    area = page.locator(
        '.inline-kb button[data-data^="tipf:home:"], .inline-kb button[data-data^="tipa:pick:"]'
    ).first
    await expect(area).to_be_visible()
    await area.click()
    await expect(ui.bot("giấu tên")).to_be_visible()
    await ui.inline("tipf:anon:1").click()
    summary = ui.bot("Tệp đính kèm: 1")
    await expect(summary).to_be_visible()
    await ui.inline("tipf:send").click()
    done = ui.bot("Đã gửi tin báo")
    await expect(done).to_be_visible()
    match = re.search(r"Đã gửi tin báo (TB-\d{4}-\d+)", await done.inner_text())
    assert match, await done.inner_text()
    code = match.group(1)
    # The police are told in the background: let the notice land while Lan is still shown,
    # so what is checked is the unread badge, not a persona switch racing a delivery.
    async with SandboxClient(ui.demo.server.base_url) as client:
        for _ in range(300):
            sent = await client.history(TN_POLICE, from_bot=True)
            if any(code in json.dumps(m, ensure_ascii=False) for m in sent):
                break
            await asyncio.sleep(0.1)

    await ui.as_persona(HUNG)
    police = page.locator(f'#chat-list li[data-chat-id="{TN_POLICE}"]')
    await expect(police.locator(".badge")).to_be_visible()  # arrived while Lan was shown
    await ui.open_chat(TN_POLICE)
    notice = ui.bot(code)
    await expect(notice).to_be_visible()
    assert "Lan" not in await notice.inner_text()  # anonymous: the police never see who
    await expect(page.locator(".msg.in img.photo").last).to_be_visible()
    assert await image_loaded(ui, ".msg.in img.photo")
    await notice.locator('.inline-kb button[data-data^="tip:handled:"]').click()
    await expect(ui.bot(t("tipact-button-nonote", "vi"))).to_be_visible()
    await ui.say("Đã mời hai thanh niên lên làm việc.")
    await expect(ui.bot(re.compile(rf"{code}.*Đã xử lý"))).to_be_visible()
    await ui.screenshot("tip-handled-police-chat")

    await ui.as_persona(LAN)
    told = ui.bot(re.compile(rf"{code}[\s\S]*Đã xử lý"))
    await expect(told).to_be_visible()
    await expect(told).to_contain_text("mời hai thanh niên")
    await ui.screenshot("tip-handled-resident")
