"""A real headless browser on the demo page: Debian's chromium driven by Playwright.

Playwright cannot download its own browsers here (no internet), so it launches the system
chromium (`apt-get install chromium`; `.ci/run` installs it when missing). Without it these
tests are skipped with the reason. Screenshots go to ``artifacts/`` (gitignored); set
``ANNINH_UPDATE_SCREENSHOT=1`` to refresh the README's ``docs/demo-{phone,desktop}.png``
(test_demo_phone.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.demo import DemoRun, running_demo

CHROMIUM = Path(os.environ.get("ANNINH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
WAIT_MS = 15_000

try:
    from playwright.async_api import Browser, Locator, Page, async_playwright, expect
except ImportError:  # pragma: no cover - the dev extra installs it
    HAVE_PLAYWRIGHT = False
else:
    HAVE_PLAYWRIGHT = True
    expect.set_options(timeout=WAIT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)
            if not HAVE_PLAYWRIGHT:
                item.add_marker(pytest.mark.skip(reason="playwright is not installed (.[dev])"))
            elif not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"no chromium at {CHROMIUM} (apt-get install chromium; "
                        "or set ANNINH_CHROMIUM)"
                    )
                )


@dataclass
class ChatPage:
    """The demo page as a person uses it: every step goes through the page's own controls."""

    page: Page
    demo: DemoRun
    errors: list[str] = field(default_factory=list)

    async def pickers(self) -> None:
        """Show the person and conversation pickers: on a phone they are in the drawer."""
        toggle = self.page.locator("#picker-toggle")
        if await toggle.is_visible() and await toggle.get_attribute("aria-expanded") != "true":
            await toggle.click()
        await expect(self.page.locator("#persona")).to_be_visible()

    async def as_persona(self, telegram_id: int) -> None:
        await self.pickers()
        await self.page.select_option("#persona", str(telegram_id))
        await expect(self.page.locator("body")).to_have_attribute("data-persona", str(telegram_id))
        await self.loaded(telegram_id)

    async def loaded(self, chat_id: int) -> None:
        await expect(self.page.locator("#messages")).to_have_attribute("data-loaded", str(chat_id))

    async def open_chat(self, chat_id: int) -> None:
        await self.pickers()
        await self.page.click(f'#chat-list li[data-chat-id="{chat_id}"]')
        await self.loaded(chat_id)

    async def say(self, text: str) -> None:
        await self.page.fill("#text", text)
        await self.page.press("#text", "Enter")
        await expect(self.mine(text)).to_be_visible()

    def mine(self, text: str) -> Locator:
        return self.page.locator(".msg.out").filter(has_text=text).last

    def bot(self, text: str | re.Pattern[str]) -> Locator:
        """The latest bot (or other person's) message containing ``text``."""
        return self.page.locator(".msg.in").filter(has_text=text).last

    def inline(self, data: str, *, prefix: bool = False) -> Locator:
        op = "^=" if prefix else "="
        return self.page.locator(f'.inline-kb button[data-data{op}"{data}"]').last

    def reply_key(self, label: str) -> Locator:
        return self.page.locator("#reply-kb button").filter(has_text=label)

    async def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        await self.page.screenshot(path=str(path))
        return path


@pytest.fixture
async def demo(database_url: str) -> AsyncIterator[DemoRun]:
    """The sandbox with its page, the real bot and the demo data, in this event loop."""
    async with running_demo(database_url) as run:
        yield run


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture
def viewport() -> dict[str, int]:
    """The browser window (a test parametrizes ``viewport`` to try other sizes)."""
    return DESKTOP


@pytest.fixture
async def chat_page(
    browser: Browser, demo: DemoRun, viewport: dict[str, int], request: pytest.FixtureRequest
) -> AsyncIterator[ChatPage]:
    context = await browser.new_context(
        viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    page = await context.new_page()
    ui = ChatPage(page, demo)
    page.on("pageerror", lambda exc: ui.errors.append(str(exc)))
    await page.goto(demo.page_url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "1")
    await expect(page.locator("#conn")).to_have_attribute("data-state", "open")
    try:
        yield ui
    finally:
        await ui.screenshot(f"last-{request.node.name}")
        await context.close()
    assert ui.errors == [], f"JavaScript errors on the page: {ui.errors}"
