"""The numbered choices of a Zalo chat are a conversation of the engine
(services/conversation.py, flow ``choices``): the bot restarting between the question and the
answer loses nothing, and a message whose answer is free text ends them."""

from __future__ import annotations

import asyncio

from services.zalo import CHOICES
from tests.e2e.harness import BotHarness
from tests.e2e.test_zalo import LAN, choice, seed, zh, zsay

__all__ = ["zh"]  # the fixture, used by name


async def test_a_numbered_choice_survives_a_restart(zh: BotHarness) -> None:
    h = zh
    await seed(h)
    [menu] = await zsay(h, LAN, "khuvuc")
    assert "Tổ dân phố số 2" in menu["text"]
    number = choice(menu, "Tổ dân phố số 2")
    person = await h.services.zalo.identify(LAN["id"], "Lan Zalo")
    stored = await h.services.conversations.current(CHOICES, person.user.id)
    assert stored is not None and len(stored.draft.options) >= 2
    await h.restart()
    # The stopped process's last long poll (ZALO_POLL_TIMEOUT, 1 s here) may still be open at
    # the sandbox, which would hand it the next update: let it end first.
    await asyncio.sleep(1.5)
    [done] = await zsay(h, LAN, number)
    assert "Đã ghi nhận: bạn ở" in done["text"] and "Tổ dân phố số 2" in done["text"]
    profile = await h.services.users.profile_of(person.user.id)
    tdp = await h.services.areas.get("ND-TN-02")
    assert profile is not None and profile.user.home_area_id == tdp.id
