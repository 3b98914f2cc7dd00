"""The demo page as a Zalo resident, through the Zalo bot or as a follower of the ward police's
Official Account: one chat, numbered choices, a photo."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.async_api import expect

from services.demo import OA_PERSONA_ID, ZALO_PERSONA_ID
from tests.browser.conftest import ChatPage


@pytest.mark.parametrize(
    ("name", "channel", "persona"),
    [("Đỗ Thị Mai", "[Zalo]", ZALO_PERSONA_ID), ("Nguyễn Văn Tâm", "[Zalo OA]", OA_PERSONA_ID)],
    ids=["zalo-bot", "zalo-oa"],
)
async def test_a_zalo_persona_tips_in_numbers_with_a_photo(
    chat_page: ChatPage, tmp_path: Path, name: str, channel: str, persona: int
) -> None:
    ui = chat_page
    page = ui.page
    options = await page.locator("#persona option").all_inner_texts()
    assert any(o.startswith(name) and o.endswith(channel) for o in options)
    await ui.as_persona(persona)
    chats = page.locator("#chat-list li")
    await expect(chats).to_have_count(1)
    await expect(chats.first).to_contain_text(channel.strip("[]"))

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
