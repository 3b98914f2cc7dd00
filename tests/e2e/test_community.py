"""Community services end to end: QR onboarding, who to call, the procedures FAQ, subscriptions
and thanking a tipster, through the real bot and the local Bot API server."""

from __future__ import annotations

import io
from typing import Any

import zxingcpp
from PIL import Image
from sqlalchemy import select

from bot.i18n import t
from services.users import IncomingUser
from storage.models import AuditLog, Report, ReportKind
from storage.repositories.users import UserRepository
from storage.uow import transaction
from tests.e2e.harness import BotHarness, buttons, keyboard_labels, user

TREE = (
    "code,name,kind,parent_code\n"
    "ND,Tỉnh Nam Định,province,\n"
    "ND-TP,Thành phố Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-TN-01,Tổ dân phố 1,residential_group,ND-TN\n"
    "ND-TN-02,Tổ dân phố 2,residential_group,ND-TN\n"
    "ND-VH,Phường Vị Hoàng,ward,ND-TP\n"
    "ND-VH-01,Tổ dân phố 1,residential_group,ND-VH\n"
)
LAN = user(1001, "Lan", "lan_nguyen")
BINH = user(1002, "Bình")
HUNG = user(2001, "Hùng", "csqk_tn")
DUNG = user(2002, "Dũng", "csqk_vh")
TN_01 = "Tổ dân phố 1, Phường Thống Nhất, Thành phố Nam Định"


async def seed(h: BotHarness) -> dict[str, int]:
    await h.services.areas.import_csv(TREE)
    await h.services.grants.grant(target_telegram_id=HUNG["id"], role="police", area_code="ND-TN")
    await h.services.grants.grant(target_telegram_id=DUNG["id"], role="police", area_code="ND-VH")
    return {a.code: a.id for a in await h.services.areas.all()}


async def current(h: BotHarness, message: dict[str, Any]) -> dict[str, Any]:
    """The message as it is now (after edits)."""
    history = await h.client.history(message["chat"]["id"])
    return next(m for m in history if m["message_id"] == message["message_id"])


async def forged_press(
    h: BotHarness, who: dict[str, Any], message: dict[str, Any], data: str
) -> dict[str, Any] | None:
    """A press with data the message's buttons do not (or no longer) carry: a double tap on
    an edited message, or a modified client."""
    pressed = await h.client.press_button(
        message["chat"]["id"], who, message["message_id"], data, forged=True
    )
    return await h.client.callback_answer(pressed["callback_query_id"], wait=10)


async def join_by_qr(h: BotHarness, who: dict[str, Any], code: str) -> dict[str, Any]:
    greeting, offer = await h.say(who, f"/start {code}", expect=2)
    assert greeting["text"].startswith("Xin chào")
    [(_, data), _no] = buttons(offer)
    await h.press(who, offer, data)
    return await current(h, offer)


async def test_a_resident_scans_the_qr_code_and_lands_in_their_to_dan_pho(
    harness: BotHarness,
) -> None:
    areas = await seed(harness)
    greeting, offer = await harness.say(LAN, "/start ND-TN-01", expect=2)
    assert greeting["text"].startswith("Xin chào Lan!")
    assert t("contact-button", "vi") in keyboard_labels(greeting)
    assert TN_01 in offer["text"] and "có phải nơi bạn đang ở" in offer["text"]
    assert buttons(offer) == [
        (t("onb-button-yes", "vi"), f"onb:yes:{areas['ND-TN-01']}"),
        (t("onb-button-no", "vi"), "onb:no"),
    ]
    await harness.press(LAN, offer, f"onb:yes:{areas['ND-TN-01']}")
    confirmed = await current(harness, offer)
    assert confirmed["text"].startswith("✅ Đã ghi nhận: bạn ở " + TN_01)
    assert ("🔔 Nhận khuyến cáo qua tin nhắn riêng", "onb:sub") in buttons(confirmed)
    # Pressing again (a double tap) changes nothing and raises no error.
    answer = await forged_press(harness, LAN, offer, f"onb:yes:{areas['ND-TN-01']}")
    assert answer is not None and not answer.get("show_alert")
    assert (await current(harness, offer))["text"] == confirmed["text"]
    [status] = await harness.say(LAN, "/khuvuc")
    assert f"Bạn đang ở: {TN_01}" in status["text"]


async def test_unknown_or_odd_codes_get_a_clear_message_and_the_greeting(
    harness: BotHarness,
) -> None:
    await seed(harness)
    greeting, unknown = await harness.say(LAN, "/start ND-XX-99", expect=2)
    assert greeting["text"].startswith("Xin chào")
    assert unknown["text"] == t("onb-unknown-code", "vi", code="ND-XX-99")
    greeting, unknown = await harness.say(LAN, "/start <b>ĐÂY", expect=2)
    assert greeting["text"].startswith("Xin chào") and "&lt;" not in unknown["text"]
    answer = await forged_press(harness, LAN, unknown, "onb:yes:99999999")
    assert answer is not None and answer.get("show_alert")
    [again] = await harness.say(LAN, "/start")  # a bare /start stays a bare greeting
    assert again["text"].startswith("Xin chào")
    # The tips flow's "write to me privately" link is not taken for an area code.
    greeting, tip = await harness.say(LAN, "/start baotin", expect=2)
    assert greeting["text"].startswith("Xin chào")
    assert tip["text"] != t("onb-unknown-code", "vi", code="baotin")


async def test_declining_the_qr_area_and_khuvuc_change_the_area_by_buttons(
    harness: BotHarness,
) -> None:
    areas = await seed(harness)
    _greeting, offer = await harness.say(BINH, "/start ND-TN-01", expect=2)
    await harness.press(BINH, offer, "onb:no")
    picker = await current(harness, offer)
    # One province and one city are skipped: the resident starts at the wards.
    assert [label for label, _ in buttons(picker)] == ["Phường Thống Nhất", "Phường Vị Hoàng"]

    [menu] = await harness.say(BINH, "/area")
    assert menu["text"].startswith("Bạn chưa chọn tổ dân phố")
    await harness.press(BINH, menu, f"home:open:{areas['ND-VH']}")
    level = await current(harness, menu)
    assert ("Tổ dân phố 1", f"home:pick:{areas['ND-VH-01']}") in buttons(level)
    await harness.press(BINH, level, f"home:pick:{areas['ND-VH-01']}")
    done = await current(harness, menu)
    assert "Tổ dân phố 1, Phường Vị Hoàng, Thành phố Nam Định" in done["text"]

    answer = await forged_press(harness, BINH, done, "home:pick:abc")
    assert answer is not None and answer.get("show_alert")
    assert answer["text"] == t("error-button-expired", "vi")
    [menu] = await harness.say(BINH, "/khuvuc")
    assert "Phường Vị Hoàng" in menu["text"]
    [group_reply] = await harness.say(BINH, "/khuvuc", chat_id=-100901, chat_title="TDP 1")
    assert group_reply["text"] == t("error-private-only", "vi")


async def test_subscribe_and_unsubscribe_to_the_areas_advisories(harness: BotHarness) -> None:
    areas = await seed(harness)
    [need] = await harness.say(LAN, "/dangky")
    assert need["text"] == t("onb-need-area", "vi")
    assert buttons(need) == [(t("onb-button-choose", "vi"), "onb:choose")]
    confirmed = await join_by_qr(harness, LAN, "ND-TN-01")
    _, [subscribed] = await harness.press(LAN, confirmed, "onb:sub", expect=1)
    assert subscribed["text"].startswith("🔔 Đã đăng ký") and TN_01 in subscribed["text"]
    subscribers = await harness.services.subscriptions.subscribers_for_areas([areas["ND-TN"]])
    assert [(s.telegram_id, s.locale) for s in subscribers] == [(LAN["id"], "vi")]
    [again] = await harness.say(LAN, "/subscribe")
    assert again["text"].startswith("Bạn đã đăng ký")
    [stopped] = await harness.say(LAN, "/huydangky")
    assert stopped["text"] == t("onb-unsubscribed", "vi")
    assert await harness.services.subscriptions.subscribers_for_areas([areas["ND-TN"]]) == []
    [nothing] = await harness.say(LAN, "/unsubscribe")
    assert nothing["text"] == t("onb-not-subscribed", "vi")


async def test_lienhe_shows_the_officer_the_police_entered(harness: BotHarness) -> None:
    await seed(harness)
    [usage] = await harness.say(HUNG, "/capnhatlienhe")
    assert "khu vực: ND-TN" in usage["text"]
    [saved] = await harness.say(
        HUNG,
        "/capnhatlienhe\nkhu vực: ND-TN-01\nvai trò: cán bộ\ntên: Trần Văn Hùng\n"
        "cấp bậc: Thượng úy\nsđt: 0912.345.678",
    )
    assert saved["text"].startswith("✅ Đã cập nhật cảnh sát khu vực phụ trách cho Tổ dân phố 1")
    [saved] = await harness.say(HUNG, "/setcontact area: ND-TN\nrole: duty\nphone: 02283849113")
    assert "trực ban" in saved["text"]
    [refused] = await harness.say(
        DUNG, "/capnhatlienhe\nkhu vực: ND-TN-01\nvai trò: cán bộ\ntên: X\nsđt: 0912345678"
    )
    assert refused["text"] == t("contact-not-yours", "vi", code="ND-TN-01")
    [bad] = await harness.say(HUNG, "/capnhatlienhe\nkhu vực: ND-TN-01\nvai trò: cán bộ\nsđt: 12")
    assert bad["text"] == t("contact-name-required", "vi")
    [resident_try] = await harness.say(LAN, "/capnhatlienhe\nkhu vực: ND-TN-01")
    assert resident_try["text"] == t("error-permission-denied", "vi")

    [no_area] = await harness.say(LAN, "/lienhe")
    assert no_area["text"] == t("contact-need-area", "vi")
    await join_by_qr(harness, LAN, "ND-TN-01")
    [card] = await harness.say(LAN, t("contact-button", "vi"))  # the reply-keyboard button
    assert TN_01 in card["text"]
    assert "Thượng úy Trần Văn Hùng — 0912 345 678" in card["text"]
    assert "Trực ban Công an phường Thống Nhất: 0228 3849 113" in card["text"]
    assert "113" in card["text"] and "114" in card["text"] and "115" in card["text"]
    [(label, data)] = buttons(card)
    assert label == t("contact-button-tip", "vi")
    _, [tip_start] = await harness.press(LAN, card, data, expect=1)  # starts /baotin
    assert tip_start["text"]
    await harness.say(LAN, "/language en")
    [card_en] = await harness.say(LAN, "/contacts")
    assert card_en["text"].startswith("☎️ Contacts — " + TN_01)
    async with transaction(harness.services.sessions) as session:
        audited = list(
            await session.scalars(select(AuditLog.action).where(AuditLog.action == "contact.set"))
        )
    assert audited == ["contact.set", "contact.set"]


async def test_free_text_tam_tru_o_dau_finds_the_temporary_residence_answer(
    harness: BotHarness,
) -> None:
    await seed(harness)
    [answer] = await harness.say(LAN, "tam tru o dau")
    assert answer["text"].startswith("Đăng ký tạm trú ở đâu")
    assert "VNeID" in answer["text"]
    assert (t("faq-button-not-it", "vi"), "tipf:offer:yes") in buttons(answer)
    # "Not what you meant? Send a tip": the tip starts with what the resident wrote.
    _, [category] = await harness.press(LAN, answer, "tipf:offer:yes", expect=1)
    assert category["text"].startswith("Bước 1.")
    profile = await harness.services.users.identify(IncomingUser(LAN["id"], "Lan"))
    draft = await harness.services.tip_steps.current(profile.user.id)
    assert draft is not None and draft.text == "tam tru o dau"
    await harness.say(LAN, "/huy")
    # A report that merely mentions a topic is not swallowed by the FAQ.
    [offer] = await harness.say(
        LAN, "Có người lạ gọi điện lừa đảo tự xưng công an phường bắt chuyển tiền"
    )
    assert not offer["text"].startswith("Bị lừa đảo qua mạng")

    [topics] = await harness.say(LAN, "/thutuc")
    labels = dict(buttons(topics))
    assert "Mất căn cước (CCCD) hoặc giấy tờ thì phải làm gì?" in labels
    data = labels["Khi có cháy thì làm gì? Phòng cháy trong nhà thế nào?"]
    _, [fire] = await harness.press(LAN, topics, data, expect=1)
    assert "114" in fire["text"]
    [searched] = await harness.say(LAN, "/faq mat cccd")
    assert searched["text"].startswith("Mất căn cước (CCCD)")
    answer = await forged_press(harness, LAN, topics, "faq:show:999999")
    assert answer is not None and answer.get("show_alert")


async def test_police_edit_an_faq_answer_in_chat(harness: BotHarness) -> None:
    await seed(harness)
    [usage] = await harness.say(HUNG, "/suathutuc")
    assert "tam-tru" in usage["text"]
    [updated] = await harness.say(
        HUNG,
        "/suathutuc\nmã: tam-tru\ntrả lời: Mang CCCD đến Công an phường Thống Nhất,\n"
        "số 5 Trần Hưng Đạo, sáng thứ Bảy có làm việc.",
    )
    assert updated["text"].startswith("✅ Đã cập nhật câu hỏi tam-tru")
    [answer] = await harness.say(BINH, "đăng ký tạm trú ở đâu?")
    assert "số 5 Trần Hưng Đạo, sáng thứ Bảy có làm việc." in answer["text"]
    [refused] = await harness.say(BINH, "/suathutuc\nmã: tam-tru\ntrả lời: hack")
    assert refused["text"] == t("error-permission-denied", "vi")


async def test_police_get_qr_posters_in_chat_with_decodable_codes(harness: BotHarness) -> None:
    await seed(harness)
    sent = await harness.client.send_message(HUNG["id"], HUNG, "/qr")
    messages = await harness.client.wait_for_bot_messages(
        HUNG["id"], after_message_id=sent["message_id"], count=3
    )
    notice, *posters = messages
    assert "2 áp phích" in notice["text"]
    bot_name = harness.app.bot.username  # type: ignore[union-attr]
    decoded = []
    for poster in posters:
        data = await harness.client.download(poster["document"]["file_id"])
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG"
        decoded += [r.text for r in zxingcpp.read_barcodes(image)]
    assert sorted(decoded) == [
        f"https://t.me/{bot_name}?start=ND-TN-01",
        f"https://t.me/{bot_name}?start=ND-TN-02",
    ]
    [refused] = await harness.say(HUNG, "/qr ND-VH")
    assert refused["text"] == t("onb-qr-not-yours", "vi", code="ND-VH")
    [resident] = await harness.say(LAN, "/qr ND-TN")
    assert resident["text"] == t("error-permission-denied", "vi")


async def test_camon_thanks_the_reporter_privately_and_nobody_else_learns_who(
    harness: BotHarness,
) -> None:
    areas = await seed(harness)
    await join_by_qr(harness, LAN, "ND-TN-01")
    async with transaction(harness.services.sessions) as session:
        reporter = await UserRepository(session).get_by_telegram_id(LAN["id"])
        assert reporter is not None
        session.add(
            Report(
                code="TB-2611-0042",
                kind=ReportKind.TIP,
                category="theft",
                text="Có người lạ dò xét xe máy ở ngõ 3",
                area_id=areas["ND-TN-01"],
                reporter_user_id=reporter.id,
                anonymous=True,
            )
        )
    group = -100777
    await harness.client.members(group, joined=[BINH], title="An ninh TDP 1")
    await harness.services.groups.link(None, group, "ND-TN-01", "residents", title="TDP 1")
    before_group = await harness.client.history(group)
    last_group = max((m["message_id"] for m in before_group), default=0)
    before_lan = max(m["message_id"] for m in await harness.client.history(LAN["id"]))

    [refused] = await harness.say(DUNG, "/camon TB-2611-0042")
    assert refused["text"] == t("thanks-not-yours", "vi", code="TB-2611-0042")
    [resident] = await harness.say(BINH, "/camon TB-2611-0042")
    assert resident["text"] == t("error-permission-denied", "vi")
    [done] = await harness.say(HUNG, "/camon tb-2611-0042")
    assert done["text"] == t("thanks-done", "vi", code="TB-2611-0042")
    [thanks] = await harness.client.wait_for_bot_messages(LAN["id"], after_message_id=before_lan)
    assert thanks["text"].startswith("🙏 Công an phường cảm ơn bạn! Tin báo TB-2611-0042")
    [again] = await harness.say(HUNG, "/thanks TB-2611-0042")
    assert again["text"] == t("thanks-already", "vi", code="TB-2611-0042")

    [published] = await harness.say(HUNG, "/loicamon")
    assert published["text"].startswith("✅ Đã gửi lời cảm ơn (1 tin báo có giá trị) đến 1 nhóm")
    [public] = await harness.client.wait_for_bot_messages(group, after_message_id=last_group)
    assert "đã cung cấp 1 tin báo có giá trị trong tháng" in public["text"]

    # Nobody but Lan learns it was Lan: not the officer, not the group, not the other police.
    identity = ("Lan", "lan_nguyen", str(LAN["id"]))
    for chat in (HUNG["id"], DUNG["id"], BINH["id"], group):
        for message in await harness.client.history(chat):
            if message.get("from", {}).get("is_bot"):
                assert not any(i in (message.get("text") or "") for i in identity), message


async def test_a_resident_asking_for_a_police_commands_usage_is_refused(
    harness: BotHarness,
) -> None:
    """The usage texts name the officer's areas: the service refuses a resident first, with
    the same message as the command itself (the handlers hold no check of their own)."""
    await seed(harness)
    for command in ("/qr", "/camon", "/loicamon", "/capnhatlienhe", "/suathutuc"):
        [refused] = await harness.say(LAN, command)
        assert refused["text"] == t("error-permission-denied", "vi"), command
    [own_area] = await harness.say(HUNG, "/loicamon")  # an officer's only area is the default
    assert own_area["text"] == t("thanks-nothing-yet", "vi", area="Phường Thống Nhất")


async def test_an_officer_of_two_wards_is_shown_each_commands_usage_with_their_codes(
    harness: BotHarness,
) -> None:
    """Without an area code, /qr and /loicamon use the officer's only area; with two they
    list both codes. /capnhatlienhe and /suathutuc with nothing after them show their form."""
    await seed(harness)
    await harness.services.grants.grant(
        target_telegram_id=HUNG["id"], role="police", area_code="ND-VH"
    )
    [qr] = await harness.say(HUNG, "/qr")
    assert qr["text"] == t("onb-qr-usage", "vi", codes="ND-TN, ND-VH")
    [thanks] = await harness.say(HUNG, "/loicamon")
    assert thanks["text"] == t("thanks-publish-usage", "vi", codes="ND-TN, ND-VH")
    [contact] = await harness.say(HUNG, "/capnhatlienhe")
    assert contact["text"].startswith(t("contact-set-usage", "vi", code="ND-TN").split("\n")[0])
    assert "khu vực: ND-TN" in contact["text"]
    [faq] = await harness.say(HUNG, "/suathutuc   ")
    assert faq["text"].startswith(t("faq-edit-usage", "vi", slugs="-").split("\n")[0])
