"""Whose numbers /kiemtra shows, end to end through the local Bot API server (Telegram and Zalo).

An indicator is public only when a resident gave it as the scammer's (the fraud-details step,
where the resident unticks what is theirs) or an officer confirmed that one indicator; numbers
found only in the description stay with the police. One resident's report is "1 báo cáo chưa
xác minh" with no ward and no date, two different people (a linked Telegram + Zalo pair is one)
are "đã bị N người báo" with the wards, a police confirmation is "Công an đã xác nhận"."""

from __future__ import annotations

import re
from typing import Any

from bot.i18n import t
from services.channels import TELEGRAM, ZALO
from services.users import IncomingUser
from tests.e2e.harness import BotHarness, buttons, user
from tests.e2e.test_zalo import BINH, HUNG, LAN, choice, seed, zh, zsay  # noqa: F401 - zh

JSON = dict[str, Any]
LAN_TG = user(1001, "Lan", "lan_nd")
DUNG_TG = user(1002, "Dũng", "dung_nd")
VICTIM_STORY = (
    "Họ gọi vào số của tôi 0912 345 678 tự xưng công an, bảo tôi chuyển từ tài khoản của tôi "
    "Vietcombank 0123456789 sang một tài khoản khác để xác minh."
)
DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
WARD = "Phường Thống Nhất"


def _label_data(message: JSON, needle: str) -> str:
    found = [d for label, d in buttons(message) if needle in label]
    assert len(found) == 1, f"no single button with {needle!r} in {buttons(message)}"
    return found[0]


async def _current(h: BotHarness, message: JSON) -> JSON:
    """The message as it is now (a press may have edited it in place)."""
    for m in await h.client.history(message["chat"]["id"]):
        if m["message_id"] == message["message_id"]:
            return m
    raise AssertionError("message gone")


async def fraud_tip(
    h: BotHarness,
    who: JSON,
    description: str,
    details: str | None = None,
    *,
    untick: tuple[str, ...] = (),
    tdp: str = "Tổ dân phố số 1",
) -> str:
    """/canhbaolua in the private chat, from the description to the stored tip; ``untick``:
    what the resident says is theirs at the fraud-details step. Returns the tip's code."""
    [_, describe] = await h.say(who, "/canhbaolua", expect=2)
    assert "Hãy kể lại" in describe["text"]
    [ack] = await h.say(who, description)
    _, [fraud_q] = await h.press(who, ack, "tipf:done", expect=1)
    if details is None:
        _, [where] = await h.press(who, fraud_q, "tipf:skipfraud", expect=1)
    else:
        [understood] = await h.say(who, details)
        for mine in untick:
            await h.press(who, understood, _label_data(understood, mine))
            understood = await _current(h, understood)
            assert t("tip-pick-off", "vi", display=mine) in [
                label for label, _ in buttons(understood)
            ]
        _, [where] = await h.press(who, understood, "tipf:whoseok", expect=1)
    assert "ở đâu" in where["text"]
    [_, picker] = await h.say(who, t("tip-button-skip-location", "vi"), expect=2)
    home = [d for label, d in buttons(picker) if d.startswith("tipf:home:") and tdp in label]
    if not home and any(d == "tipf:otherarea" for _, d in buttons(picker)):
        _, [picker] = await h.press(who, picker, "tipf:otherarea", expect=1)
    _, [anon] = await h.press(who, picker, home[0] if home else _label_data(picker, tdp), expect=1)
    _, [summary] = await h.press(who, anon, "tipf:anon:1", expect=1)
    _, [done] = await h.press(who, summary, "tipf:send", expect=1)
    assert "Đã gửi tin báo LD-" in done["text"]
    return str(done["text"].split("Đã gửi tin báo ")[1].split()[0])


async def zalo_fraud_tip(
    h: BotHarness, who: JSON, description: str, details: str, *, untick: tuple[str, ...] = ()
) -> None:
    """ "canhbaolua" on Zalo: what was understood comes back as numbered choices, each ☑
    the scammer's; ``untick``: the numbers the resident answers to mark theirs (☐)."""
    await zsay(h, who, "canhbaolua", expect=2)
    await zsay(h, who, description)
    [fraud_q] = await zsay(h, who, "xong")
    assert "kẻ lừa đảo" in fraud_q["text"]
    [understood] = await zsay(h, who, details)
    assert "☑" in understood["text"], understood["text"]
    for mine in untick:
        [understood] = await zsay(h, who, choice(understood, mine))
        assert f"☐ {mine}" in understood["text"], understood["text"]
    [where] = await zsay(h, who, choice(understood, t("tip-button-picks-done", "vi")))
    _, area_q = await zsay(h, who, choice(where, "Bỏ qua"), expect=2)
    _, anon_q = await zsay(h, who, choice(area_q, "Tổ dân phố số 1"), expect=2)
    [summary] = await zsay(h, who, choice(anon_q, "Ẩn danh"))
    [done] = await zsay(h, who, choice(summary, "Gửi tin báo"))
    assert "LD-" in done["text"]


async def check(h: BotHarness, who: JSON, query: str, **where: Any) -> str:
    [reply] = await h.say(who, f"/kiemtra {query}", **where)
    return str(reply["text"])


def assert_unknown(text: str) -> None:
    assert "chưa có ai báo" in text, text
    assert WARD not in text and not DATE.search(text), text


def assert_one_unverified(text: str) -> None:
    assert "1 báo cáo chưa xác minh" in text, text
    assert WARD not in text and not DATE.search(text), text  # nothing ties it to the tipster
    assert "Công an đã xác nhận" not in text


async def test_a_victims_own_number_in_the_description_stays_private(
    harness: BotHarness,
) -> None:
    h = harness
    await seed(h)
    await fraud_tip(h, LAN_TG, VICTIM_STORY)  # the fraud details skipped

    assert_unknown(await check(h, DUNG_TG, "0912345678"))
    assert_unknown(await check(h, DUNG_TG, "Vietcombank 0123456789"))
    group = -100901
    await h.client.members(group, joined=[DUNG_TG], title="Tổ 1")
    assert_unknown(await check(h, DUNG_TG, "0912 345 678", chat_id=group, chat_title="Tổ 1"))
    # The police still see them on the tip card, marked as found only in the description.
    [listing] = await h.say(HUNG, "/hopthu")
    opens = [d for _, d in buttons(listing) if d.startswith("inbox:o:")]
    _, [card] = await h.press(HUNG, listing, opens[0], expect=1)
    assert t("inbox-card-indicator", "vi", display="0912 345 678", state="private") in card["text"]


async def test_the_resident_unticks_what_is_theirs_at_the_fraud_details_step(
    harness: BotHarness,
) -> None:
    h = harness
    await seed(h)
    details = (
        "Số gọi đến 0987 654 321. Tôi đã chuyển từ STK của tôi Vietcombank 0123456789 "
        "sang STK 0333444555 MB Bank"
    )
    [_, _describe] = await h.say(LAN_TG, "/canhbaolua", expect=2)
    [ack] = await h.say(LAN_TG, "Có người gọi giả danh nhân viên ngân hàng")
    _, [_fraud_q] = await h.press(LAN_TG, ack, "tipf:done", expect=1)
    [understood] = await h.say(LAN_TG, details)
    # What the bot understood, each one ticked as the scammer's, with a button to untick.
    labels = [label for label, _ in buttons(understood)]
    for display in ("0987 654 321", "Vietcombank 0123456789", "MB Bank 0333444555"):
        assert t("tip-pick-on", "vi", display=display) in labels
    await h.press(LAN_TG, understood, _label_data(understood, "Vietcombank 0123456789"))
    understood = await _current(h, understood)
    labels = [label for label, _ in buttons(understood)]
    assert t("tip-pick-off", "vi", display="Vietcombank 0123456789") in labels
    assert t("tip-pick-on", "vi", display="0987 654 321") in labels
    _, [where] = await h.press(LAN_TG, understood, "tipf:whoseok", expect=1)
    assert "ở đâu" in where["text"]
    [_, picker] = await h.say(LAN_TG, t("tip-button-skip-location", "vi"), expect=2)
    _, [anon] = await h.press(LAN_TG, picker, _label_data(picker, "Tổ dân phố số 1"), expect=1)
    _, [summary] = await h.press(LAN_TG, anon, "tipf:anon:1", expect=1)
    assert "0987 654 321" in summary["text"]
    _, [done] = await h.press(LAN_TG, summary, "tipf:send", expect=1)
    assert "Đã gửi tin báo LD-" in done["text"]

    assert_one_unverified(await check(h, DUNG_TG, "0987654321"))
    assert_one_unverified(await check(h, DUNG_TG, "MB 0333444555"))
    assert_unknown(await check(h, DUNG_TG, "Vietcombank 0123456789"))


async def test_wards_appear_only_once_two_different_residents_reported(
    harness: BotHarness,
) -> None:
    h = harness
    await seed(h)
    scam = "Có người gọi giả danh công an đòi chuyển tiền"
    await fraud_tip(h, LAN_TG, scam, "Số lừa đảo 0987 654 321")
    assert_one_unverified(await check(h, DUNG_TG, "0987654321"))
    # The same resident again is still one person.
    await fraud_tip(h, LAN_TG, "Lại số đó gọi", "0987.654.321")
    assert_one_unverified(await check(h, DUNG_TG, "0987654321"))
    # A second resident: now the count of people and the ward.
    await fraud_tip(h, DUNG_TG, scam, "+84 987 654 321", tdp="Tổ dân phố số 2")
    text = await check(h, LAN_TG, "0987 654 321")
    assert "đã bị 2 người báo" in text and WARD in text, text
    assert "chưa xác minh" not in text and "Lan" not in text and "Dũng" not in text
    assert not DATE.search(text)
    group = -100902
    await h.client.members(group, joined=[LAN_TG], title="Tổ 1")
    text = await check(h, LAN_TG, "0987654321", chat_id=group, chat_title="Tổ 1")
    assert "đã bị 2 người báo" in text and WARD in text


async def test_an_officer_confirms_indicators_one_by_one(harness: BotHarness) -> None:
    h = harness
    await seed(h)
    code = await fraud_tip(h, LAN_TG, VICTIM_STORY, "Số lừa đảo 0987 654 321")
    other = await fraud_tip(h, DUNG_TG, "Số 0977 888 999 gọi đòi tiền phạt nguội")

    [listing] = await h.say(HUNG, "/hopthu")
    _, [card] = await h.press(HUNG, listing, _label_data(listing, code), expect=1)
    scam_button = [d for _, d in buttons(card) if d.startswith("tip:scam:")]
    assert scam_button, buttons(card)
    _, [choices] = await h.press(HUNG, card, scam_button[0], expect=1)
    # Nothing is confirmed by opening the list: the victim's number stays as it was.
    assert_unknown(await check(h, DUNG_TG, "0912345678"))
    assert_one_unverified(await check(h, DUNG_TG, "0987654321"))
    # One button per indicator of the tip, none for "all of them".
    confirm = [(label, d) for label, d in buttons(choices) if d.startswith("tipscam:")]
    assert len(confirm) == 3, buttons(choices)  # the scammer's phone, the victim's two
    for display in ("0987 654 321", "0912 345 678", "Vietcombank 0123456789"):
        assert t("tipact-scam-confirm-one", "vi", display=display) in [x for x, _ in confirm]
    answer, _ = await h.press(HUNG, choices, _label_data(choices, "0987 654 321"))
    assert answer is not None and "0987 654 321" in answer["text"]
    choices = await _current(h, choices)
    assert t("tipact-scam-unconfirm-one", "vi", display="0987 654 321") in [
        label for label, _ in buttons(choices)
    ]

    confirmed = await check(h, DUNG_TG, "0987654321")
    assert "Công an đã xác nhận" in confirmed
    assert_unknown(await check(h, DUNG_TG, "0912345678"))
    assert_unknown(await check(h, DUNG_TG, "Vietcombank 0123456789"))

    # A number only in a description becomes public when an officer confirms that one.
    [listing] = await h.say(HUNG, "/hopthu")
    _, [card] = await h.press(HUNG, listing, _label_data(listing, other), expect=1)
    _, [choices] = await h.press(HUNG, card, _label_data(card, "Xác nhận lừa đảo"), expect=1)
    await h.press(HUNG, choices, _label_data(choices, "0977 888 999"))
    assert "Công an đã xác nhận" in await check(h, DUNG_TG, "0977 888 999")


async def test_zalo_fraud_details_are_unticked_with_numbered_choices(zh: BotHarness) -> None:  # noqa: F811
    h = zh
    await seed(h)
    details = "0912345678, tôi chuyển từ Vietcombank 0123456789 của tôi"
    await zalo_fraud_tip(
        h, BINH, "Có người gọi giả danh công an", details, untick=("Vietcombank",)
    )

    [found] = await zsay(h, LAN, "kiemtra 0912 345 678")
    assert_one_unverified(found["text"])
    [mine] = await zsay(h, LAN, "kiemtra Vietcombank 0123456789")
    assert_unknown(mine["text"])


async def test_a_linked_telegram_and_zalo_pair_counts_as_one_person(zh: BotHarness) -> None:  # noqa: F811
    h = zh
    await seed(h)
    # Lan reports the scammer on Zalo, then again on Telegram.
    await zalo_fraud_tip(h, LAN, "Số 0987 654 321 gọi giả danh công an", "0987654321")
    await fraud_tip(h, LAN_TG, "Số đó lại gọi", "0987 654 321")

    two = await check(h, DUNG_TG, "0987654321")
    assert "đã bị 2 người báo" in two, two  # two accounts not linked: two people, as far as known

    # She links her accounts: one person, one report's worth of trust.
    services = h.services
    telegram = await services.users.identify(IncomingUser(LAN_TG["id"], "Lan", None, "lan_nd"))
    zalo = await services.zalo.identify(LAN["id"], LAN["display_name"])
    code = await services.zalo.issue_code(telegram.user.id, TELEGRAM)
    proposal = await services.zalo.redeem(zalo.user.id, ZALO, code.code)
    await services.zalo.answer(zalo.user.id, proposal.request_id, True)  # she confirms on Zalo
    linked = await services.zalo.answer(telegram.user.id, proposal.request_id, True)
    assert linked.outcome == "linked"
    assert_one_unverified(await check(h, DUNG_TG, "0987654321"))
