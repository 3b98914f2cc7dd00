"""What residents read in the tip journey (issue 18, "The conversations")."""

from __future__ import annotations

from bot.i18n import t
from tests.e2e.harness import BotHarness
from tests.e2e.test_tips import LAN, data_of, db_id, finish_tip, jpeg, seed, start_tip


async def test_an_old_cancel_button_after_the_tip_was_sent_says_there_is_nothing_to_cancel(
    harness: BotHarness,
) -> None:
    await seed(harness)
    describe = await start_tip(harness)
    [ack] = await harness.say(LAN, "Có người lạ rình nhà số 12.")
    done = await finish_tip(harness, LAN, ack)
    assert "Đã gửi tin báo" in done
    # The description question lost its "❌ Hủy" to the next step: a press still on its way
    # (an old client) is refused with a toast, and there is nothing to cancel.
    cancel = data_of(describe, "tipf:cancel")
    answer, _ = await harness.press(LAN, describe, cancel, forged=True)
    assert answer is not None and answer["text"] == t("error-button-expired", "vi")


async def test_an_old_cancel_button_does_not_drop_the_next_tip(harness: BotHarness) -> None:
    await seed(harness)
    first = await start_tip(harness)
    [ack] = await harness.say(LAN, "Có người lạ rình nhà số 12.")
    await finish_tip(harness, LAN, ack)
    await start_tip(harness)  # a second tip, now being written
    answer, _ = await harness.press(LAN, first, data_of(first, "tipf:cancel"), forged=True)
    assert answer is not None and answer["text"] == t("error-button-expired", "vi")
    assert await harness.services.tip_steps.current(await db_id(harness, LAN)) is not None


async def test_the_summary_names_the_address_once_and_the_ward_of_the_group(
    harness: BotHarness,
) -> None:
    await seed(harness)
    await start_tip(harness)
    [ack] = await harness.say(LAN, "Có người lạ rình nhà số 12.")
    await harness.press(LAN, ack, "tipf:done", expect=1)
    [_, picker] = await harness.say(LAN, "12 ngõ 3 Trần Hưng Đạo", expect=2)
    pick = data_of(picker, "tipa:pick:")
    _, [anon] = await harness.press(LAN, picker, pick, expect=1)
    _, [summary] = await harness.press(LAN, anon, "tipf:anon:1", expect=1)
    assert "• Nơi xảy ra: 12 ngõ 3 Trần Hưng Đạo\n" in summary["text"]
    assert "• Tổ dân phố: Tổ dân phố số 1, Phường Thống Nhất\n" in summary["text"]


async def test_a_photo_sent_with_no_tip_open_can_start_a_tip_with_it(
    harness: BotHarness,
) -> None:
    await seed(harness)
    [offer] = await harness.say(LAN, photo=jpeg("green"))
    assert offer["text"] == t("tip-media-offer", "vi")
    _, [question] = await harness.press(LAN, offer, "tipf:offer:yes", expect=1)
    _, [describe] = await harness.press(LAN, question, "tipf:cat:crime", expect=1)
    assert "1 tệp đính kèm" in describe["text"]
