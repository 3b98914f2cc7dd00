"""The residents' tip journey, end to end through the local Bot API server."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from bot.i18n import t
from services.access import Profile
from storage.models import ChatPurpose, ReportStatus
from storage.repositories.chats import ChatRepository
from storage.repositories.tips import TipRepository
from storage.repositories.users import UserRepository
from storage.uow import transaction
from tests.e2e.harness import BotHarness, buttons, keyboard_labels, user

LAN = user(1001, "Lan", "lan_nd", last_name="Nguyễn")
HUNG = user(2001, "Hùng", "csqk_tn")
POLICE_CHAT = -100777
AREAS = (
    "code,name,kind,parent_code\n"
    "ND,Nam Định,province,\n"
    "ND-TP,TP Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-TN-01,Tổ dân phố số 1,residential_group,ND-TN\n"
    "ND-TN-02,Tổ dân phố số 2,residential_group,ND-TN\n"
)


def jpeg(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


async def db_id(harness: BotHarness, who: dict[str, Any]) -> int:
    async with transaction(harness.services.sessions) as session:
        found = await UserRepository(session).get_by_telegram_id(who["id"])
    assert found is not None
    return found.id


def data_of(message: dict[str, Any], prefix: str) -> str:
    found = [d for _, d in buttons(message) if d.startswith(prefix)]
    assert found, f"no button {prefix!r} in {buttons(message)}"
    return found[0]


async def seed(harness: BotHarness, *, police_chat: bool = True) -> Profile:
    """The ward with two tổ dân phố, an officer, and (optionally) the ward's police chat."""
    await harness.services.areas.import_csv(AREAS)
    _, officer = await harness.services.grants.grant(
        target_telegram_id=HUNG["id"], role="police", area_code="ND-TN"
    )
    if police_chat:
        await harness.client.members(POLICE_CHAT, joined=[HUNG], title="CA P. Thống Nhất")
        ward = await harness.services.areas.get("ND-TN")
        async with transaction(harness.services.sessions) as session:
            chats = ChatRepository(session)
            await chats.upsert(POLICE_CHAT, "supergroup", "CA P. Thống Nhất")
            await chats.update(POLICE_CHAT, area_id=ward.id, purpose=ChatPurpose.POLICE)
    profile = await harness.services.users.profile_of(officer.id)
    assert profile is not None
    return profile


async def start_tip(harness: BotHarness, who: dict[str, Any] = LAN) -> dict[str, Any]:
    """/baotin → category → returns the description question."""
    [question] = await harness.say(who, "/baotin")
    assert question["text"].startswith("Bước 1.")
    _, [describe] = await harness.press(who, question, "tipf:cat:crime", expect=1)
    assert "Hãy kể lại sự việc" in describe["text"]
    return describe


async def finish_tip(
    harness: BotHarness, who: dict[str, Any], after: dict[str, Any], locale: str = "vi"
) -> str:
    """From the description step to the stored tip; returns the confirmation text."""
    _, [where] = await harness.press(who, after, "tipf:done", expect=1)
    assert where["text"].split("\n")[0] == t("tip-ask-location", locale).split("\n")[0].replace(
        "<b>", ""
    ).replace("</b>", "")
    [_, picker] = await harness.say(who, t("tip-button-skip-location", locale), expect=2)
    home = [d for _, d in buttons(picker) if d.startswith("tipf:home:")]
    choice = home[0] if home else data_of(picker, "tipa:pick:")
    _, [anon] = await harness.press(who, picker, choice, expect=1)
    _, [summary] = await harness.press(who, anon, "tipf:anon:1", expect=1)
    _, [done] = await harness.press(who, summary, "tipf:send", expect=1)
    return str(done["text"])


async def test_a_resident_sends_an_anonymous_tip_with_an_album_and_a_location(
    harness: BotHarness,
) -> None:
    officer = await seed(harness)
    [menu] = await harness.say(LAN, "/start")
    assert t("tip-menu-send", "vi") in keyboard_labels(menu)
    assert t("mytips-menu", "vi") in keyboard_labels(menu)

    [question] = await harness.say(LAN, t("tip-menu-send", "vi"))
    labels = [label for label, _ in buttons(question)]
    assert t("category-social_evils", "vi") in labels
    _, [describe] = await harness.press(LAN, question, "tipf:cat:crime", expect=1)
    assert "Hãy kể lại sự việc" in describe["text"]
    [ack] = await harness.say(LAN, "Có hai người lạ đi xe máy không biển số, hay rình nhà số 12.")
    assert "Đã ghi nhận" in ack["text"]

    first = await harness.client.send_message(
        LAN["id"], LAN, photo=jpeg("red"), media_group_id="album-1", caption="Ảnh xe"
    )
    [album_ack] = await harness.client.wait_for_bot_messages(
        LAN["id"], after_message_id=first["message_id"]
    )
    assert "album" in album_ack["text"]
    await harness.client.send_message(LAN["id"], LAN, photo=jpeg("blue"), media_group_id="album-1")

    # The press is processed after the second photo (updates are handled in order).
    _, [where] = await harness.press(LAN, album_ack, "tipf:done", expect=1)
    assert "ở đâu" in where["text"]
    assert keyboard_labels(where)[0] == t("tip-button-send-location", "vi")
    received, picker = await harness.say(LAN, location=(20.4306, 106.1779), expect=2)
    assert received["text"] == t("tip-location-received", "vi")
    # One province, one city, one ward: the picker opens straight at the tổ dân phố.
    assert [label for label, _ in buttons(picker)][:2] == ["Tổ dân phố số 1", "Tổ dân phố số 2"]
    _, [anon] = await harness.press(LAN, picker, data_of(picker, "tipa:pick:"), expect=1)
    assert "giấu tên" in anon["text"]
    _, [summary] = await harness.press(LAN, anon, "tipf:anon:1", expect=1)
    assert "Tệp đính kèm: 2" in summary["text"] and "Ẩn danh" in summary["text"]
    assert "Ảnh xe" in summary["text"]

    police_before = await harness.client.history(POLICE_CHAT)
    _, [done] = await harness.press(LAN, summary, "tipf:send", expect=1)
    assert "113" in done["text"] and "114" in done["text"] and "115" in done["text"]
    code = done["text"].split("Đã gửi tin báo ")[1].split()[0]
    assert code.startswith("TB-") and len(code.split("-")) == 3

    # Stored before the answer: the report, its two attachments, its first history row.
    async with transaction(harness.services.sessions) as session:
        repo = TipRepository(session)
        _, total = await repo.for_reporter(officer.user.id, offset=0, limit=5)
        assert total == 0  # the officer sent nothing
        lan = await UserRepository(session).get_by_telegram_id(LAN["id"])
        assert lan is not None
        [report], _ = await repo.for_reporter(lan.id, offset=0, limit=5)
        attachments = await repo.attachments(report.id)
    assert report.code == code and report.anonymous and report.latitude == 20.4306
    assert [a.kind for a in attachments] == ["photo", "photo"]
    assert all(a.file_unique_id for a in attachments)
    assert lan.home_area_id == report.area_id  # remembered for next time

    # The police chat of the ward: album (2) + the tip with its buttons + the map pin.
    police = await harness.client.wait_for_bot_messages(
        POLICE_CHAT,
        after_message_id=max((m["message_id"] for m in police_before), default=0),
        count=4,
    )
    tip_message = next(m for m in police if "text" in m)
    assert code in tip_message["text"] and "Phường Thống Nhất" in tip_message["text"]
    assert f"tip:verify:{report.id}" in [d for _, d in buttons(tip_message)]
    assert sum("photo" in m for m in police) == 2 and any("location" in m for m in police)
    for message in await harness.client.history(POLICE_CHAT):
        shown = f"{message.get('text', '')} {message.get('caption', '')} {buttons(message)}"
        for secret in ("Lan", "Nguyễn", "lan_nd", str(LAN["id"])):
            assert secret not in shown, f"{secret!r} leaked to the police: {shown}"

    # The resident follows it...
    [mine] = await harness.say(LAN, "/tincuatoi")
    assert code in mine["text"] and t("tip-status-received", "vi") in mine["text"]
    _, [detail] = await harness.press(LAN, mine, f"mytips:show:{report.id}", expect=1)
    assert "Quá trình xử lý" in detail["text"]

    # ...and is told in Vietnamese when the officer moves it on.
    before = await harness.client.history(LAN["id"])
    await harness.services.tip_followup.change_status(
        report.id, ReportStatus.VERIFYING, officer, "Đã cử tổ tuần tra đến kiểm tra", 1
    )
    [pushed] = await harness.client.wait_for_bot_messages(
        LAN["id"], after_message_id=max(m["message_id"] for m in before)
    )
    assert code in pushed["text"] and "Đang xác minh" in pushed["text"]
    assert "Đã cử tổ tuần tra" in pushed["text"]
    [mine] = await harness.say(LAN, "/mytips")
    assert t("tip-status-verifying", "vi") in mine["text"]


async def test_a_half_written_tip_survives_a_restart(harness: BotHarness) -> None:
    await seed(harness)
    await start_tip(harness)
    await harness.say(LAN, "Cháy nhỏ ở bãi rác đầu ngõ 5")
    await harness.restart()
    [resume] = await harness.say(LAN, "Khói vẫn còn")
    assert resume["text"] == t("tip-resume", "vi")
    _, [question] = await harness.press(LAN, resume, "tipf:resume", expect=1)
    assert "Đã ghi nhận nội dung" in question["text"]
    _, [where] = await harness.press(LAN, question, "tipf:done", expect=1)
    assert "ở đâu" in where["text"]
    [_, picker] = await harness.say(LAN, t("tip-button-skip-location", "vi"), expect=2)
    _, [anon] = await harness.press(LAN, picker, data_of(picker, "tipa:pick:"), expect=1)
    _, [summary] = await harness.press(LAN, anon, "tipf:anon:0", expect=1)
    # Nothing was lost: the text before the restart and the message that woke the bot.
    assert "Cháy nhỏ ở bãi rác" in summary["text"] and "Khói vẫn còn" in summary["text"]
    police_before = await harness.client.history(POLICE_CHAT)
    _, [done] = await harness.press(LAN, summary, "tipf:send", expect=1)
    assert "Đã gửi tin báo" in done["text"]
    [tip_message] = await harness.client.wait_for_bot_messages(
        POLICE_CHAT, after_message_id=max((m["message_id"] for m in police_before), default=0)
    )
    # Not anonymous: the police (only they) see the name, never the username or id.
    assert "Nguyễn Lan" in tip_message["text"]
    assert "lan_nd" not in tip_message["text"] and str(LAN["id"]) not in tip_message["text"]


async def test_baotin_with_a_draft_asks_to_continue_or_drop(harness: BotHarness) -> None:
    await seed(harness)
    await start_tip(harness)
    [resume] = await harness.say(LAN, "/baotin")
    assert resume["text"] == t("tip-resume", "vi")
    _, [fresh] = await harness.press(LAN, resume, "tipf:new", expect=1)
    assert fresh["text"].startswith("Bước 1.")


async def test_the_intake_limit_stops_a_flood_politely(harness: BotHarness) -> None:
    await harness.stop()
    await harness.start(tips_per_hour=2)
    await seed(harness)
    for n in range(2):
        describe = await start_tip(harness)
        [ack] = await harness.say(LAN, f"Tin số {n}")
        text = await finish_tip(harness, LAN, ack)
        assert "Đã gửi tin báo" in text
    [refused] = await harness.say(LAN, "/baotin")
    assert "2 tin báo trong một giờ" in refused["text"] and "113" in refused["text"]
    del describe


async def test_a_free_message_is_offered_as_a_tip(harness: BotHarness) -> None:
    await seed(harness)
    [offer] = await harness.say(LAN, "Tối qua có người lạ bẻ khóa xe ở ngõ 3")
    assert "thành tin báo" in offer["text"]
    _, [question] = await harness.press(LAN, offer, "tipf:offer:yes", expect=1)
    _, [describe] = await harness.press(LAN, question, "tipf:cat:crime", expect=1)
    assert "Đã ghi nhận nội dung" in describe["text"]
    text = await finish_tip(harness, LAN, describe)
    assert "Đã gửi tin báo" in text
    [mine] = await harness.say(LAN, "/tincuatoi")
    assert "TB-" in mine["text"]
    [offer] = await harness.say(LAN, "Cảm ơn")
    _, [declined] = await harness.press(LAN, offer, "tipf:offer:no", expect=1)
    assert declined["text"] == t("tip-offer-declined", "vi")


async def test_huy_cancels_at_any_step(harness: BotHarness) -> None:
    await seed(harness)
    await start_tip(harness)
    assert await harness.services.tip_steps.current(await db_id(harness, LAN)) is not None
    [cancelled] = await harness.say(LAN, "/huy")
    assert cancelled["text"] == t("tip-cancelled", "vi")
    [again] = await harness.say(LAN, "/cancel")
    assert again["text"] == t("tip-nothing-to-cancel", "vi")
    assert await harness.services.tip_steps.current(await db_id(harness, LAN)) is None


async def test_a_fraud_alert_asks_for_the_scammer_and_gets_an_ld_code(harness: BotHarness) -> None:
    await seed(harness)
    [intro, describe] = await harness.say(LAN, t("tip-menu-scam", "vi"), expect=2)
    assert "lừa đảo" in intro["text"] and "Hãy kể lại" in describe["text"]
    [ack] = await harness.say(LAN, "Có người gọi tự xưng công an bắt chuyển tiền")
    _, [fraud] = await harness.press(LAN, ack, "tipf:done", expect=1)
    assert "số tài khoản" in fraud["text"]
    [understood] = await harness.say(LAN, "SĐT 0912.345.678, STK 0123456789 Vietcombank")
    assert [label for label, _ in buttons(understood)][:2] == [
        t("tip-pick-on", "vi", display="0912 345 678"),
        t("tip-pick-on", "vi", display="Vietcombank 0123456789"),
    ]
    _, [where] = await harness.press(LAN, understood, "tipf:whoseok", expect=1)
    assert "ở đâu" in where["text"]
    [_, picker] = await harness.say(LAN, "Ngõ 3 đường Trần Hưng Đạo", expect=2)
    _, [anon] = await harness.press(LAN, picker, data_of(picker, "tipa:pick:"), expect=1)
    _, [summary] = await harness.press(LAN, anon, "tipf:anon:1", expect=1)
    assert "0912.345.678" in summary["text"] and "Trần Hưng Đạo" in summary["text"]
    _, [done] = await harness.press(LAN, summary, "tipf:send", expect=1)
    assert "Đã gửi tin báo LD-" in done["text"]
    police = await harness.client.wait_for_bot_messages(POLICE_CHAT, count=1)
    assert "0912.345.678" in police[-1]["text"]


async def test_bad_input_gets_clear_answers_and_loses_nothing(harness: BotHarness) -> None:
    await seed(harness)
    [hint] = await harness.say(LAN, "/baotin", chat_id=-100500, chat_title="TDP 1")
    assert "nhắn riêng" in hint["text"]
    assert any(d.startswith("https://t.me/") for _, d in buttons(hint))

    [question] = await harness.say(LAN, "/baotin")
    [again] = await harness.say(LAN, "trộm")  # typing instead of choosing a category
    assert again["text"] == t("tip-use-buttons", "vi")
    [_, reask] = await harness.client.wait_for_bot_messages(
        LAN["id"], after_message_id=question["message_id"], count=2
    )
    answer, _ = await harness.press(LAN, reask, "tipf:cat:no_such_thing", forged=True)
    assert answer is not None and answer.get("show_alert")
    _, [describe] = await harness.press(LAN, reask, "tipf:cat:order", expect=1)

    sent = await harness.client.send_message(LAN["id"], LAN, sticker=True)
    [sticker] = await harness.client.wait_for_bot_messages(
        LAN["id"], after_message_id=sent["message_id"]
    )
    assert sticker["text"] == t("tip-sticker", "vi")
    [odd] = await harness.say(LAN, "Ca\u0300 phe\u0302 \u200b😀 đo\u0302ng người")
    assert "Đã ghi nhận" in odd["text"]
    long = await harness.client.send_message(LAN["id"], LAN, "Xe đỗ chắn lối " + "rất lâu " * 600)
    [cut] = await harness.client.wait_for_bot_messages(
        LAN["id"], after_message_id=long["message_id"]
    )
    assert "3.500" in cut["text"]
    await harness.client.edit_message(LAN["id"], LAN, long["message_id"], "sửa")
    [edited] = await harness.client.wait_for_bot_messages(
        LAN["id"], after_message_id=cut["message_id"]
    )
    assert edited["text"] == t("tip-edit-ignored", "vi")
    draft = await harness.services.tip_steps.current(await db_id(harness, LAN))
    assert draft is not None and "Cà phê" in draft.text and "\u200b" not in draft.text

    # A police button pressed by a resident: refused with an alert (expired, or not found).
    answer, _ = await harness.press(LAN, describe, "tip:verify:1", forged=True)
    assert answer is not None and answer.get("show_alert") and answer["text"]
    answer, _ = await harness.press(LAN, describe, "tipa:pick:abc", forged=True)
    assert answer is not None and answer.get("show_alert")
    assert answer["text"] == t("error-button-expired", "vi")
    del draft


async def test_a_reporter_who_blocked_the_bot_is_marked_and_nothing_breaks(
    harness: BotHarness,
) -> None:
    officer = await seed(harness)
    describe = await start_tip(harness)
    [ack] = await harness.say(LAN, "Đánh nhau trước quán")
    assert "113" in await finish_tip(harness, LAN, ack)
    await harness.client.block_bot(LAN["id"])
    [report] = (await harness.services.tip_followup.list_mine(await db_id(harness, LAN))).items
    await harness.services.tip_followup.change_status(report.id, "handled", officer, "Đã giải tán")
    async with transaction(harness.services.sessions) as session:
        lan = await UserRepository(session).get_by_telegram_id(LAN["id"])
    assert lan is not None and lan.blocked_bot
    del describe


async def test_an_english_speaker_gets_english_and_no_police_means_admins_are_told(
    harness: BotHarness,
) -> None:
    await harness.stop()
    await harness.start(admin_ids="9001")
    await harness.services.areas.import_csv(AREAS)
    admin = user(9001, "Quản trị")
    [greeting] = await harness.say(admin, "/start")
    john = user(1500, "John", language_code="en")
    await harness.say(john, "/language en")
    [question] = await harness.say(john, "/tip")
    assert question["text"].startswith("Step 1.")
    _, [describe] = await harness.press(john, question, "tipf:cat:property_fire", expect=1)
    assert "Tell us what happened" in describe["text"]
    [ack] = await harness.say(john, "Smoke from the warehouse")
    text = await finish_tip(harness, john, ack, "en")
    assert "Tip TB-" in text and "113" in text
    [to_admin] = await harness.client.wait_for_bot_messages(
        9001, after_message_id=greeting["message_id"]
    )
    assert "chưa có công an phụ trách" in to_admin["text"]
    assert "John" not in to_admin["text"] and "1500" not in to_admin["text"]
