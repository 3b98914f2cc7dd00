"""Officers and moderators of a group's area are protected on every moderation path: the
review queue's buttons, the automatic hide after N reports, join verification and its timer.
A report against one of them goes to the police of the area, never to a hide or the queue."""

from __future__ import annotations

from typing import Any

from bot.i18n import t
from tests.e2e.harness import BotHarness, buttons, user

AREAS = (
    "code,name,kind,parent_code\nND,Tỉnh Nam Định,province,\n"
    "ND-TP,Thành phố Nam Định,district,ND\nND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-TN-01,Tổ dân phố số 1,residential_group,ND-TN\n"
)
POLICE = user(2101, "Hùng", "hung_ca")
MOD = user(3101, "Mai", "mai_kd")
SPAMMER = user(4101, "Tèo", "teo")
RESIDENTS = [user(5101, "Lan"), user(5102, "Cúc"), user(5103, "Đào")]
GROUP = -100410
POLICE_CHAT = -100411


async def _world(harness: BotHarness) -> None:
    """A residents' group of tổ 1 and the ward's police work chat; Hùng polices the ward,
    Mai moderates it."""
    await harness.services.areas.import_csv(AREAS)
    grants = harness.services.grants
    await grants.grant(target_telegram_id=POLICE["id"], role="police", area_code="ND-TN")
    await grants.grant(target_telegram_id=MOD["id"], role="moderator", area_code="ND-TN")
    await harness.client.members(
        GROUP, joined=[POLICE, MOD, SPAMMER, *RESIDENTS], title="An ninh TDP 1"
    )
    await harness.client.members(POLICE_CHAT, joined=[POLICE], title="CA P. Thống Nhất")
    for chat_id in (GROUP, POLICE_CHAT):
        await harness.client.set_admins(chat_id, [], bot_is_admin=True)
    await harness.services.groups.link(None, GROUP, "ND-TN-01", "residents")
    await harness.services.groups.link(None, POLICE_CHAT, "ND-TN", "police")


async def _calls(harness: BotHarness, method: str) -> int:
    return int((await harness.client.stats())["calls"].get(method, 0))


async def _status(harness: BotHarness, chat_id: int, user_id: int) -> str:
    chat = await harness.client.chat(chat_id)
    return str(next(m for m in chat["members"] if m["user"]["id"] == user_id)["status"])


async def _police_notices(harness: BotHarness, after: int = 0) -> list[dict[str, Any]]:
    return await harness.client.history(POLICE_CHAT, after=after, from_bot=True)


async def _review_cards(harness: BotHarness) -> list[dict[str, Any]]:
    """What the moderator gets from /duyet: the overview and, if any, the first card."""
    sent = await harness.client.send_message(MOD["id"], MOD, "/duyet")
    got = await harness.client.wait_for_bot_messages(
        MOD["id"], after_message_id=sent["message_id"]
    )
    await harness.client.history(MOD["id"], wait=0.5, after=10**9)
    return await harness.client.history(MOD["id"], after=got[0]["message_id"] - 1, from_bot=True)


async def test_a_report_against_an_officer_goes_to_the_police_and_nobody_can_ban_him(
    harness: BotHarness,
) -> None:
    """A resident replies /baocao to the ward officer's message; the moderator opens /duyet
    and presses ⛔ Chặn on whatever it shows: the officer is never banned, and the police
    of the area are told about the report instead."""
    await _world(harness)
    said = await harness.client.send_message(
        GROUP, POLICE, "Tối nay phường ra quân kiểm tra tạm trú.", chat_type="supergroup"
    )
    [answer] = await harness.say(
        RESIDENTS[0], "/baocao", chat_id=GROUP, reply_to_message_id=said["message_id"]
    )
    for message in await _review_cards(harness):
        ban = [d for _, d in buttons(message) if d.endswith(":ban")]
        if ban:
            await harness.press(MOD, message, ban[0])
    assert await _calls(harness, "banChatMember") == 0
    assert await _status(harness, GROUP, POLICE["id"]) == "member"
    assert answer["text"] == t("mod-report-protected", "vi")
    [notice] = await _police_notices(harness)
    assert "Hùng" in notice["text"] and "kiểm tra tạm trú" in notice["text"]
    assert "Lan" not in notice["text"]  # who reported stays private
    cards = await _review_cards(harness)
    assert cards[-1]["text"] == t("review-empty", "vi")


async def test_reports_against_a_moderator_never_hide_the_message(harness: BotHarness) -> None:
    """The automatic hide after N reports is a moderation action too: three residents
    reporting the moderator's message do not delete it; the police hear about it once."""
    await _world(harness)
    said = await harness.client.send_message(
        GROUP, MOD, "Nhắc cả nhà khóa cửa cẩn thận.", chat_type="supergroup"
    )
    for resident in RESIDENTS:
        await harness.say(
            resident, "/baocao", chat_id=GROUP, reply_to_message_id=said["message_id"]
        )
    history = await harness.client.history(GROUP)
    assert not next(m for m in history if m["message_id"] == said["message_id"]).get("deleted")
    assert await _calls(harness, "deleteMessage") == 0
    notices = await _police_notices(harness)
    assert len(notices) == 1 and "Mai" in notices[0]["text"]


async def test_queue_buttons_refuse_a_member_who_became_protected(harness: BotHarness) -> None:
    """A resident's message is queued; before the moderator gets to it the resident is made a
    moderator of the ward. Every button that acts on the member is refused at press time."""
    await _world(harness)
    said = await harness.client.send_message(
        GROUP, SPAMMER, "Bán sim số đẹp giá rẻ", chat_type="supergroup"
    )
    await harness.say(
        RESIDENTS[0], "/baocao", chat_id=GROUP, reply_to_message_id=said["message_id"]
    )
    await harness.services.grants.grant(
        target_telegram_id=SPAMMER["id"], role="moderator", area_code="ND-TN"
    )
    card = next(m for m in await _review_cards(harness) if buttons(m))
    for action in ("ban", "mute", "warn", "delete"):
        data = next(d for _, d in buttons(card) if d.endswith(f":{action}"))
        answer, _ = await harness.press(MOD, card, data)
        assert answer is not None and answer["text"] == t("mod-target-protected", "vi")[:190]
    for method in ("banChatMember", "restrictChatMember", "deleteMessage"):
        assert await _calls(harness, method) == 0, method
    assert await _status(harness, GROUP, SPAMMER["id"]) == "member"
    history = await harness.client.history(GROUP)
    assert not next(m for m in history if m["message_id"] == said["message_id"]).get("deleted")


async def test_join_verification_leaves_an_officer_alone(harness: BotHarness) -> None:
    """With verification on, a newcomer is restricted until they press the button, and removed
    when the timer fires; an officer of the area joining the group is neither."""
    await _world(harness)
    await harness.say(MOD, "/xacminh on", chat_id=GROUP)
    district = user(2102, "Sơn", "son_ca")
    await harness.services.grants.grant(
        target_telegram_id=district["id"], role="police", area_code="ND-TP"
    )
    await harness.client.members(GROUP, joined=[district])
    await harness.client.history(GROUP, wait=1.0, after=10**9)
    assert await _status(harness, GROUP, district["id"]) == "member"
    assert await _calls(harness, "restrictChatMember") == 0
    assert await harness.services.verification.pending() == []
    # The timer of someone who was pending when they were granted a role does not remove them.
    newcomer = user(6101, "Bình")
    await harness.client.members(GROUP, joined=[newcomer])
    for _ in range(100):
        if await harness.services.verification.pending():
            break
        await harness.client.history(GROUP, wait=0.05, after=10**9)
    await harness.services.grants.grant(
        target_telegram_id=newcomer["id"], role="moderator", area_code="ND-TN-01"
    )
    assert not await harness.services.verification.expire(GROUP, newcomer["id"])
    assert await _calls(harness, "banChatMember") == 0
    assert await _status(harness, GROUP, newcomer["id"]) == "member"
