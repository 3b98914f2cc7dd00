"""The demo page as the follower of the ward police's Zalo Official Account: one chat with
the OA, numbered choices, a photo sent through the OA."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from playwright.async_api import expect

from services.demo import OA_PERSONA_ID
from tests.browser.conftest import ChatPage


async def test_the_oa_follower_tips_through_the_oa_on_the_page(
    chat_page: ChatPage, tmp_path: Path
) -> None:
    ui = chat_page
    page = ui.page
    options = await page.locator("#persona option").all_inner_texts()
    assert any(o.startswith("Nguyễn Văn Tâm") and o.endswith("[Zalo OA]") for o in options)
    await ui.as_persona(OA_PERSONA_ID)
    chats = page.locator("#chat-list li")
    await expect(chats).to_have_count(1)
    await expect(chats.first).to_contain_text("Zalo OA")

    await ui.say("baotin")
    question = ui.bot("Bước 1. Bạn muốn báo về việc gì?")
    await expect(question).to_contain_text("Trả lời 1, 2")
    await ui.say("1")
    await expect(ui.bot("Hãy kể lại sự việc")).to_be_visible()
    photo = tmp_path / "xe.jpg"
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "green").save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    await page.set_input_files("#file-input", str(photo))
    await expect(ui.bot("Đã nhận ảnh (tổng cộng 1)")).to_be_visible()
    mine = page.locator(".msg.out img.photo").last
    await expect(mine).to_be_visible()
    assert await mine.evaluate("img => img.complete && img.naturalWidth > 0")
