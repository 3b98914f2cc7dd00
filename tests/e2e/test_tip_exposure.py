"""What of residents' tips moderators see: only tips a moderator can judge (spam or flood, a
likely duplicate, flagged by police), never the police-only categories (crime, social evils,
reintegration), never who sent them; a moderator's rejection shows in the police inbox and
the police can undo it."""

from __future__ import annotations

import json
from typing import Any

from bot.i18n import t
from storage.dto_tips import ReportDTO
from tests.e2e.harness import BotHarness, buttons, user
from tests.hardening.support import user_db_id

AREAS = (
    "code,name,kind,parent_code\nND,Tỉnh Nam Định,province,\n"
    "ND-TP,Thành phố Nam Định,district,ND\nND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-TN-01,Tổ dân phố số 1,residential_group,ND-TN\n"
)
POLICE = user(2301, "Hùng")
MOD = user(3301, "Mai")
LAN = user(5301, "Lan", last_name="Nguyễn")
CUC = user(5302, "Cúc")
DAO = user(5303, "Đào")
LINKS = "xem https://quatang.vn/a https://quatang.vn/b và www.nhanqua.top để nhận"


async def _world(harness: BotHarness) -> None:
    await harness.services.areas.import_csv(AREAS)
    grants = harness.services.grants
    await grants.grant(target_telegram_id=POLICE["id"], role="police", area_code="ND-TN")
    await grants.grant(target_telegram_id=MOD["id"], role="moderator", area_code="ND-TN")
    for who in (POLICE, MOD, LAN, CUC, DAO):
        await harness.say(who, "/start")


async def _tip(
    harness: BotHarness, who: dict[str, Any], category: str, body: str, *, anonymous: bool = True
) -> ReportDTO:
    """A tip sent through the service, as the conversation would send it."""
    intake = harness.services.tip_intake
    steps = harness.services.tip_steps
    uid = await user_db_id(harness, who["id"], who["first_name"])
    area = await harness.services.areas.get("ND-TN-01")
    await intake.begin(uid)
    await steps.choose_category(uid, category)
    await steps.add_text(uid, body)
    await steps.finish_description(uid)
    await steps.skip_location(uid)
    await steps.choose_area(uid, area.id)
    await steps.set_anonymous(uid, anonymous)
    return (await intake.submit(uid)).report


async def _duyet(harness: BotHarness) -> list[dict[str, Any]]:
    """What the moderator's /duyet shows: the overview, then a card or "nothing to review"."""
    return await harness.say(MOD, "/duyet", expect=2)


async def _card(harness: BotHarness, report: ReportDTO) -> dict[str, Any]:
    [card] = await harness.say(POLICE, f"/hopthu {report.code}")
    return card


async def test_first_tips_and_police_only_tips_never_reach_the_moderators(
    harness: BotHarness,
) -> None:
    await _world(harness)
    drugs = await _tip(harness, LAN, "social_evils", f"Nhà số 7 bán ma túy, {LINKS}")
    theft = await _tip(harness, CUC, "crime", "Tổ trưởng lấy trộm xe đạp của nhà bên cạnh")
    returned = await _tip(harness, CUC, "reintegration", "Anh Tư mới ra tù về ở ngõ 3")
    plain = await _tip(harness, DAO, "order", "Quán karaoke ngõ 5 hát to quá 23 giờ")
    overview, card = await _duyet(harness)
    for tip in (drugs, theft, returned, plain):
        assert tip.text[:20] not in card["text"] and tip.code not in card["text"]
    assert card["text"] == t("review-empty", "vi")
    assert "Phường Thống Nhất" not in overview["text"]


async def test_a_rejection_by_a_moderator_shows_in_the_inbox_and_police_restore_it(
    harness: BotHarness,
) -> None:
    await _world(harness)
    spam = await _tip(harness, LAN, "order", f"Khuyến mãi lớn, {LINKS}", anonymous=False)
    _, card = await _duyet(harness)
    assert spam.code in card["text"] and "Khuyến mãi lớn" in card["text"]
    assert "Lan" not in card["text"] and "Nguyễn" not in card["text"]
    reject = next(d for _, d in buttons(card) if d.endswith(":reject"))
    answer, _ = await harness.press(MOD, card, reject)
    assert answer is not None and answer["text"] == t("review-done", "vi")

    [listing] = await harness.say(POLICE, "/hopthu")
    assert t("inbox-review-rejected-mark", "vi").strip(" ·") in listing["text"]
    police_card = await _card(harness, spam)
    assert "Người kiểm duyệt Mai đã từ chối tin này" in police_card["text"]
    restore = next(d for _, d in buttons(police_card) if d.startswith("tip:restore:"))
    before = await harness.client.history(LAN["id"])
    answer, [done] = await harness.press(POLICE, police_card, restore, expect=1)
    assert answer is not None and done["text"] == t("tipact-restored", "vi", code=spam.code)
    assert (await harness.services.tip_followup.get(spam.id)).status.value == "verifying"  # type: ignore[union-attr]
    told = await harness.client.wait_for_bot_messages(
        LAN["id"], after_message_id=max(m["message_id"] for m in before)
    )
    assert spam.code in told[-1]["text"]
    log = json.loads(await harness.services.audit.export(fmt="json"))
    restored = [r for r in log if r["action"] == "report.restore"]
    assert restored and restored[-1]["actor"] == "Hùng"
    # Once restored there is nothing left to restore: a replayed press is refused.
    answer, _ = await harness.press(POLICE, police_card, restore, forged=True)
    assert answer is not None and answer.get("show_alert")
    # A moderator cannot restore (police rights on the area are needed).
    answer, _ = await harness.press(MOD, card, restore, forged=True)
    assert answer is not None and answer["text"] == t("tipact-denied", "vi")[:190]


async def test_an_officer_cannot_hand_a_police_only_tip_to_the_moderators(
    harness: BotHarness,
) -> None:
    await _world(harness)
    await _tip(harness, CUC, "order", "Đèn đường ngõ 3 hỏng cả tuần nay rồi")
    theft = await _tip(harness, CUC, "crime", "Có người lạ cạy khóa xe máy ở nhà văn hóa")
    card = await _card(harness, theft)
    assert not [d for _, d in buttons(card) if d.startswith("tip:review:")]
    answer, _ = await harness.press(
        POLICE, card, f"tip:review:{theft.id}:{theft.version}", forged=True
    )
    refusal = t("tipact-review-police-only", "vi", category=t("category-crime", "vi"))
    assert answer is not None and answer["text"] == refusal[:190]
    _, empty = await _duyet(harness)
    assert empty["text"] == t("review-empty", "vi")


async def _theft_taken_up(harness: BotHarness) -> ReportDTO:
    """A crime tip and an ordinary one; the police take the crime tip up."""
    await _world(harness)
    theft = await _tip(harness, CUC, "crime", "Có người lạ cạy khóa xe máy ở nhà văn hóa")
    await _tip(harness, DAO, "order", "Quán karaoke ngõ 5 hát to quá 23 giờ")
    card = await _card(harness, theft)
    verify = next(d for _, d in buttons(card) if d.startswith("tip:verify:"))
    await harness.press(POLICE, card, verify, expect=1)
    return theft


async def test_moderators_statistics_leave_out_police_only_tips(harness: BotHarness) -> None:
    await _theft_taken_up(harness)
    [menu] = await harness.say(MOD, "/thongke")
    _, [_photo, figures] = await harness.press(MOD, menu, "st:p:w:0", expect=2)
    assert "Tin báo nhận được: 1 tin" in figures["text"]
    assert "Tội phạm" not in figures["text"] and "• Trật tự: 1 tin" in figures["text"]
    [menu] = await harness.say(POLICE, "/thongke")
    _, [_photo, figures] = await harness.press(POLICE, menu, "st:p:w:0", expect=2)
    assert "Tin báo nhận được: 2 tin" in figures["text"] and "• Tội phạm: 1 tin" in figures["text"]


async def test_moderators_log_leaves_out_the_police_work_on_tips(harness: BotHarness) -> None:
    theft = await _theft_taken_up(harness)
    [page] = await harness.say(MOD, "/nhatky")
    assert "tin báo #" not in page["text"] and "đổi trạng thái tin báo" not in page["text"]
    [page] = await harness.say(POLICE, "/nhatky")
    assert f"(tin báo #{theft.id})" in page["text"]
