"""The console's advisory form answers the chat composer's steps (/phatcanhbao) through the
same rules: a value the chat refuses, the form refuses with the same words."""

from __future__ import annotations

import httpx

from bot.i18n import t
from tests.e2e.harness import buttons
from tests.web.conftest import PEOPLE, Console, csrf_in


async def _preview(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    form = await client.get("/advisories/new")
    assert form.status_code == 200
    data = {"csrf": csrf_in(form.text), "step": "preview", **fields}
    return await client.post("/advisories/new", data=data)


async def test_an_area_with_no_residents_group_is_refused_alike_in_chat_and_console(
    console: Console,
) -> None:
    """Thống Nhất has no residents' group linked: the chat refuses it at the target step, and
    the form (which stored an advisory reaching nobody) refuses it with the same message."""
    h = console.h
    officer = PEOPLE["police"]
    ward = (await h.services.areas.get("ND-TN")).id
    refusal = t("adv-no-groups", "vi")

    await h.say(officer, "/phatcanhbao")
    [media_step] = await h.say(officer, "Cảnh báo: giả danh điện lực")
    _, [target_step] = await h.press(officer, media_step, "adv:skipmedia", expect=1)
    picks = [data for _, data in buttons(target_step) if data.startswith("advt:pick:")]
    assert f"advt:pick:{ward}" in picks, picks
    answer, _ = await h.press(officer, target_step, f"advt:pick:{ward}")
    assert answer is not None and answer.get("text") == refusal, answer

    police = await console.signed_in("police")
    try:
        page = await _preview(police, text="Cảnh báo: giả danh điện lực", area_id=str(ward))
        assert page.status_code == 400, page.text[:300]
        assert refusal in page.text
        sent = await police.post(
            "/advisories/new",
            data={"csrf": csrf_in(page.text), "step": "send", "text": "x", "area_id": str(ward)},
        )
        assert sent.status_code == 400 and refusal in sent.text
    finally:
        await police.aclose()
