"""The tip as a conversation of the engine (services/conversation.py), through the local Bot
API server: only the messages of the current step have live buttons (its question, and for the
description every acknowledgement, each with its "Xong"), and a press on an older step's
message is refused with the "button expired" toast and changes nothing."""

from __future__ import annotations

from bot.i18n import t
from services.tip_drafts import Step
from tests.e2e.harness import BotHarness, buttons
from tests.e2e.test_advisories_steps import _no_buttons
from tests.e2e.test_tips import LAN, data_of, db_id, seed


async def _step(h: BotHarness) -> Step:
    draft = await h.services.tip_steps.current(await db_id(h, LAN))
    assert draft is not None
    return draft.step


async def _refused(h: BotHarness, message: dict, data: str) -> bool:
    """A press on ``message`` (its buttons may be gone: a client that still shows them) is
    answered with the "button expired" toast."""
    answer, _ = await h.press(LAN, message, data, forged=True)
    return answer is not None and answer["text"] == t("error-button-expired", "vi")


async def test_an_old_tip_steps_buttons_go_and_their_press_is_refused(
    harness: BotHarness,
) -> None:
    h = harness
    await seed(h)
    [question] = await h.say(LAN, "/baotin")
    _, [describe] = await h.press(LAN, question, "tipf:cat:crime", expect=1)
    assert await _no_buttons(h, question)
    cancel = data_of(describe, "tipf:cancel")
    [ack] = await h.say(LAN, "Có người lạ bẻ khóa xe ở ngõ 3")
    [latest] = await h.say(LAN, "Xe máy Wave màu đỏ")
    assert "tipf:done" in [data for _, data in buttons(ack)]
    assert "tipf:done" in [data for _, data in buttons(latest)]

    # A press on an older step's message: a toast, and the draft stays where it is.
    assert await _refused(h, question, "tipf:cat:online_fraud")
    assert await _step(h) is Step.DESCRIPTION

    # Every message of the description step says "Xong" for it, an earlier one too.
    _, [where] = await h.press(LAN, ack, "tipf:done", expect=1)
    assert "ở đâu" in where["text"] and await _step(h) is Step.LOCATION
    assert await _no_buttons(h, describe) and await _no_buttons(h, ack)
    for older in (ack, latest, describe):  # the step is over: its buttons expired
        assert await _refused(h, older, "tipf:done")
    assert await _refused(h, describe, cancel)
    assert await _step(h) is Step.LOCATION
    [_, picker] = await h.say(LAN, t("tip-button-skip-location", "vi"), expect=2)
    _, [anon] = await h.press(LAN, picker, data_of(picker, "tipa:pick:"), expect=1)
    _, [summary] = await h.press(LAN, anon, "tipf:anon:1", expect=1)
    assert await _refused(h, anon, "tipf:anon:0")
    assert await _step(h) is Step.CONFIRM
    _, [done] = await h.press(LAN, summary, "tipf:send", expect=1)
    assert "Đã gửi tin báo" in done["text"]
    # Sent: nothing of it acts any more.
    assert await _refused(h, summary, "tipf:send")


async def test_a_new_tip_takes_the_buttons_off_the_abandoned_one(harness: BotHarness) -> None:
    h = harness
    await seed(h)
    [question] = await h.say(LAN, "/baotin")
    _, [describe] = await h.press(LAN, question, "tipf:cat:crime", expect=1)
    [resume] = await h.say(LAN, "/baotin")
    _, [fresh] = await h.press(LAN, resume, "tipf:new", expect=1)
    assert fresh["text"].startswith("Bước 1.")
    assert await _no_buttons(h, describe)
    assert await _refused(h, describe, "tipf:done")
    assert await _step(h) is Step.CATEGORY
