"""The admin and group screens on a phone (390×844), in Vietnamese and in English: what the
ward officer and the admin read in their private chats (/nhatky, /help) and what a group shows
(/lienket, /caidat, /capquyen answers, a new member's verification prompt). Nothing wider than
the screen, no word broken inside, the composer on screen; the log names a tổ dân phố with its
ward. Screenshots of every screen go to artifacts/ (admin-<language>-<screen>.png)."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from sandbox.client import SandboxClient
from tests.browser.conftest import ChatPage
from tests.browser.layout import layout_problems

HUNG = 2001  # Trần Hùng, cảnh sát khu vực of Phường Thống Nhất
ADMIN = 9001  # Quản trị
TN_GROUP_1 = -1_001_001  # "An ninh TDP 1 — Thống Nhất"
PHONE = {"width": 390, "height": 844}
NEWCOMER = {"id": 7001, "first_name": "Khách", "last_name": "Mới", "is_bot": False}

# (screen, what to type, text of the answer) per language.
PRIVATE = {
    "vi": [("log", "/nhatky", "Nhật ký"), ("help", "/help", "/hopthu")],
    "en": [("log", "/audit", "Audit log"), ("help", "/help", "/inbox")],
}
GROUP = {
    "vi": [
        ("link", "/lienket", "Cách dùng: /lienket"),
        ("settings", "/caidat", "Xác minh người mới: tắt"),
        ("grant", "/capquyen", "Cách dùng: /capquyen"),
        ("verify", "/xacminh on", "Đã bật xác minh thành viên mới"),
    ],
    "en": [
        ("link", "/link", "Usage: /link"),
        ("settings", "/settings", "Verify newcomers: off"),
        ("grant", "/grant", "Usage: /grant"),
        ("verify", "/verify on", "Newcomer verification is on"),
    ],
}


@pytest.fixture
def viewport() -> dict[str, int]:
    return PHONE


async def _fits(ui: ChatPage, name: str) -> None:
    shot = await ui.screenshot(name)
    problems = await layout_problems(ui.page)
    assert problems == [], f"{name} ({shot}): {problems}"


async def _answered(ui: ChatPage, typed: str, expected: str, name: str) -> None:
    await ui.say(typed)
    await expect(ui.bot(expected)).to_be_visible()
    await _fits(ui, name)


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_admin_and_group_screens_fit_a_phone(chat_page: ChatPage, language: str) -> None:
    ui = chat_page
    for person in (HUNG, ADMIN):
        await ui.as_persona(person)
        if language == "en":
            await ui.say("/language en")
            await expect(ui.bot("English")).to_be_visible()
        for screen, typed, expected in PRIVATE[language]:
            await _answered(ui, typed, expected, f"admin-{language}-{person}-{screen}")
    await ui.as_persona(HUNG)
    log = ui.bot("Nhật ký" if language == "vi" else "Audit log")
    await ui.say("/nhatky" if language == "vi" else "/audit")
    await expect(log).to_contain_text(", Phường ")  # a tổ dân phố with its ward, or a ward

    await ui.open_chat(TN_GROUP_1)
    for screen, typed, expected in GROUP[language]:
        await _answered(ui, typed, expected, f"admin-{language}-group-{screen}")
    async with SandboxClient(ui.demo.server.base_url) as client:
        await client.members(TN_GROUP_1, joined=[NEWCOMER])
    prompt = ui.bot("Khách")
    await expect(prompt).to_be_visible()
    await _fits(ui, f"admin-{language}-group-verification")
