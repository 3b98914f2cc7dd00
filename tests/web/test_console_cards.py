"""The console is one more surface over the same services: taking a tip on its page redraws
the tip's card in the police chat (status and buttons), as taking it in the chat does."""

from __future__ import annotations

from typing import Any

from bot.i18n import t
from tests.e2e.harness import buttons
from tests.hardening.support import draft_ready, user_db_id, wait_until
from tests.web.conftest import PEOPLE, SECRET_REPORTER, Console, csrf_in

POLICE_CHAT = -100902


async def test_taking_a_tip_on_the_page_redraws_the_police_chat_card(console: Console) -> None:
    h = console.h
    officer = PEOPLE["police"]
    await h.client.members(POLICE_CHAT, joined=[officer], title="CA Thống Nhất")
    await h.services.groups.link(None, POLICE_CHAT, "ND-TN", "police", title="CA Thống Nhất")
    reporter = await user_db_id(h, SECRET_REPORTER["id"])
    await draft_ready(h, SECRET_REPORTER["id"], "ND-TN-01", "Có người lạ dò cửa nhà số 15.")
    tip = (await h.services.tip_intake.submit(reporter)).report

    async def card() -> dict[str, Any] | None:
        for m in await h.client.history(POLICE_CHAT, from_bot=True):
            if tip.code in _shown(m):
                return m
        return None

    async def routed() -> bool:
        return await card() is not None

    await wait_until(routed, timeout=10)
    before = await card()
    assert before is not None and f"tip:verify:{tip.id}" in [d for _, d in buttons(before)]

    client = await console.signed_in("police")
    try:
        page = await client.get(f"/tips/{tip.id}")
        taken = await client.post(
            f"/tips/{tip.id}/act",
            data={"csrf": csrf_in(page.text), "action": "verify", "version": str(tip.version)},
        )
        assert taken.status_code == 303
    finally:
        await client.aclose()

    verifying = t("tip-status-verifying", "vi")

    async def redrawn() -> bool:
        now = await card()
        return now is not None and verifying in _shown(now)

    await wait_until(redrawn, timeout=10)
    after = await card()
    assert after is not None and after["message_id"] == before["message_id"]
    datas = [d for _, d in buttons(after)]
    assert not [d for d in datas if d.startswith("tip:verify:")]
    assert f"tip:handled:{tip.id}:{tip.version + 1}" in datas
    assert "CA Thống Nhất" in _shown(after)  # who took it, in the card's history


def _shown(message: dict[str, Any]) -> str:
    """A card's text (a card sent with the tip's one photo is that photo's caption)."""
    return str(message.get("text") or message.get("caption") or "")
