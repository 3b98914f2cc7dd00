"""The Zalo channel end to end: the real bot (PTB for Telegram + the Zalo poller) against the
sandbox's Telegram and Zalo Bot APIs, with a real database."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from bot.i18n import t
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.access import Profile
from services.advisory_types import AdvisoryDraft
from services.channels import zalo_dm_key
from services.schedule_text import Schedule
from storage.models import AdvisoryDelivery, ChatPurpose, DeliveryState, Recurrence
from storage.repositories.chats import ChatRepository
from storage.repositories.tips import TipRepository
from storage.repositories.zalo import ZaloRepository
from storage.uow import transaction
from tests.e2e.harness import FAST_OUTBOX, BotHarness, buttons, user

JSON = dict[str, Any]
ZALO_TOKEN = "987654:ZALO-test-token"
HUNG = user(2001, "Hùng", "csqk_tn")
MAI_TG = user(3001, "Mai", "mai_nd")
RESIDENTS_CHAT = -100555
POLICE_CHAT = -100777
AREAS = (
    "code,name,kind,parent_code\n"
    "ND,Nam Định,province,\n"
    "ND-TP,TP Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-TN-01,Tổ dân phố số 1,residential_group,ND-TN\n"
    "ND-TN-02,Tổ dân phố số 2,residential_group,ND-TN\n"
)


def zuser(uid: str, name: str) -> JSON:
    return {"id": uid, "display_name": name}


LAN = zuser("6ede9afa66b88fe6d6a9", "Lan Zalo")
BINH = zuser("7a1c0e55d2b34f8e9c01", "Bình")
CHI = zuser("0c0ffee0c0ffee0c0ffe", "Chi")


def jpeg(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


def zalo_bot(
    sandbox: SandboxServer, client: SandboxClient, database_url: str, **overrides: Any
) -> BotHarness:
    """A bot with both channels (not started); ``overrides`` are settings."""
    return BotHarness(
        sandbox,
        client,
        database_url,
        overrides={
            "zalo_bot_token": ZALO_TOKEN,
            "zalo_api_base_url": f"{sandbox.base_url}/zalo",
            "zalo_poll_timeout": 1,
            **overrides,
        },
    )


@pytest.fixture
async def zh(
    sandbox: SandboxServer, client: SandboxClient, database_url: str
) -> AsyncIterator[BotHarness]:
    """A running bot with both channels."""
    h = zalo_bot(sandbox, client, database_url)
    await h.start()
    yield h
    await h.stop()


async def zsay(
    h: BotHarness, who: JSON, text: str | None = None, *, expect: int = 1, **kw: Any
) -> list[JSON]:
    """A Zalo user writes in their private chat; the bot's next ``expect`` messages."""
    sent = await h.client.zalo_send(who["id"], who, text, **kw)
    if expect == 0:
        return []
    return await h.client.zalo_wait_for_bot(who["id"], after_seq=sent["seq"], count=expect)


async def zmark(h: BotHarness, chat_id: str) -> int:
    try:
        return len(await h.client.zalo_history(chat_id))
    except Exception:
        return 0


def choice(message: JSON, label: str) -> str:
    """The number in front of a choice line containing ``label``."""
    for line in message["text"].splitlines():
        head, _, rest = line.partition(". ")
        if head.isdigit() and label in rest:
            return head
    raise AssertionError(f"no choice {label!r} in:\n{message['text']}")


async def seed(h: BotHarness) -> Profile:
    await h.services.areas.import_csv(AREAS)
    _, officer = await h.services.grants.grant(
        target_telegram_id=HUNG["id"], role="police", area_code="ND-TN"
    )
    await h.client.members(POLICE_CHAT, joined=[HUNG], title="CA P. Thống Nhất")
    await h.client.members(RESIDENTS_CHAT, joined=[MAI_TG], title="Tổ 1 Thống Nhất")
    ward = await h.services.areas.get("ND-TN")
    tdp = await h.services.areas.get("ND-TN-01")
    async with transaction(h.services.sessions) as session:
        chats = ChatRepository(session)
        await chats.upsert(POLICE_CHAT, "supergroup", "CA P. Thống Nhất")
        await chats.update(POLICE_CHAT, area_id=ward.id, purpose=ChatPurpose.POLICE)
        await chats.upsert(RESIDENTS_CHAT, "supergroup", "Tổ 1 Thống Nhất")
        await chats.update(RESIDENTS_CHAT, area_id=tdp.id, purpose=ChatPurpose.RESIDENTS)
    profile = await h.services.users.profile_of(officer.id)
    assert profile is not None
    return profile


async def test_help_on_zalo(zh: BotHarness) -> None:
    [answer] = await zsay(zh, LAN, "help")
    assert "baotin" in answer["text"] and "kiemtra" in answer["text"]


def data_of(message: JSON, prefix: str) -> str:
    found = [d for _, d in buttons(message) if d.startswith(prefix)]
    assert found, f"no button {prefix!r} in {buttons(message)}"
    return found[0]


async def with_button(h: BotHarness, chat_id: int, after: int, prefix: str) -> JSON:
    """The first new bot message carrying a button ``prefix`` (media may come before it)."""
    for count in range(1, 5):
        for m in await h.client.wait_for_bot_messages(
            chat_id, after_message_id=after, count=count
        ):
            if any(d.startswith(prefix) for _, d in buttons(m)):
                return m
    raise AssertionError(f"no message with a {prefix!r} button")


async def tg_message(h: BotHarness, chat_id: int, message_id: int) -> JSON:
    for m in await h.client.history(chat_id):
        if m["message_id"] == message_id:
            return m
    raise AssertionError(f"message {message_id} not in chat {chat_id}")


async def tg_latest(h: BotHarness, chat_id: int) -> int:
    history = await h.client.history(chat_id)
    return max((m["message_id"] for m in history), default=0)


async def test_zalo_tip_with_photo_police_relay_and_status(zh: BotHarness) -> None:
    h = zh
    await seed(h)
    [question] = await zsay(h, LAN, "baotin")
    assert "Bước 1" in question["text"] and "Trả lời 1, 2" in question["text"]
    [describe] = await zsay(h, LAN, choice(question, "Tội phạm"))
    assert "Hãy kể lại sự việc" in describe["text"]
    [noted] = await zsay(h, LAN, "Có người lạ cạy khóa xe máy ở ngõ 5 lúc 2 giờ sáng.")
    assert noted["text"].startswith("✍️")
    [photo_ok] = await zsay(h, LAN, photo=jpeg(), caption="Ảnh camera nhà tôi")
    assert "tổng cộng 1" in photo_ok["text"]
    [where] = await zsay(h, LAN, choice(photo_ok, "Xong"))
    assert "Việc xảy ra ở đâu" in where["text"]
    _, area_q = await zsay(h, LAN, "https://maps.google.com/?q=20.4387,106.1621", expect=2)
    assert "Tổ dân phố số 2" in area_q["text"]
    _, anon_q = await zsay(h, LAN, choice(area_q, "Tổ dân phố số 1"), expect=2)
    [summary] = await zsay(h, LAN, choice(anon_q, "Ẩn danh"))
    assert "cạy khóa" in summary["text"] and "Ảnh đính kèm: 1" in summary["text"]
    police_mark = await tg_latest(h, POLICE_CHAT)
    [done] = await zsay(h, LAN, choice(summary, "Gửi tin báo"))
    assert "Đã gửi tin báo TB-" in done["text"]
    code = done["text"].split("Đã gửi tin báo ", 1)[1].split(" ", 1)[0]

    # Stored once, by the Zalo person, with the photo and the pin; the police chat has it.
    async with transaction(h.services.sessions) as session:
        lan = await ZaloRepository(session).user_for(LAN["id"])
        assert lan is not None and lan.telegram_id is None
        page, total = await TipRepository(session).for_reporter(lan.id, offset=0, limit=5)
        assert total == 1
        tip = page[0]
        attachments = await TipRepository(session).attachments(tip.id)
    assert tip.code == code and tip.anonymous and tip.latitude == pytest.approx(20.4387)
    assert [a.kind for a in attachments] == ["photo"]
    assert attachments[0].file_id.startswith(h.server.base_url + "/zalo/files/")
    cards = await h.client.wait_for_bot_messages(POLICE_CHAT, after_message_id=police_mark)
    assert "photo" in cards[0] and code in cards[0]["caption"]
    assert "Lan Zalo" not in cards[0]["caption"]  # anonymous

    # The officer takes it on Telegram: the Zalo resident is told.
    [listing] = await h.say(HUNG, "/hopthu")
    mark = await tg_latest(h, HUNG["id"])
    await h.press(HUNG, listing, f"inbox:o:{tip.id}")
    card = await with_button(h, HUNG["id"], mark, f"tip:verify:{tip.id}")
    mark = await zmark(h, LAN["id"])
    await h.press(HUNG, card, data_of(card, f"tip:verify:{tip.id}"), expect=1)
    [told] = await h.client.zalo_wait_for_bot(LAN["id"], after_seq=mark)
    assert code in told["text"] and "Đang xác minh" in told["text"]
    assert "1. 📋 Xem tin báo" in told["text"]

    # The officer asks through the relay; the Zalo resident answers with a number then text.
    card = await tg_message(h, HUNG["id"], card["message_id"])
    await h.press(HUNG, card, data_of(card, f"tip:reply:{tip.id}"), expect=1)
    mark = await zmark(h, LAN["id"])
    [sent] = await h.say(HUNG, "Anh chị thấy họ đi xe biển số gì?")
    assert sent["text"] == t("relay-question-sent", "vi", code=code)
    [asked] = await h.client.zalo_wait_for_bot(LAN["id"], after_seq=mark)
    assert asked["text"].startswith(f"❓ Công an phường Thống Nhất hỏi về tin {code}")
    assert "biển số" in asked["text"] and "Hùng" not in asked["text"]
    [ready] = await zsay(h, LAN, choice(asked, "Trả lời"))
    assert code in ready["text"]
    hung_mark = await tg_latest(h, HUNG["id"])
    [thanks] = await zsay(h, LAN, "Xe Wave màu đỏ, biển 18B1")
    assert thanks["text"] == t("relay-answer-sent", "vi", code=code)
    [relayed] = await h.client.wait_for_bot_messages(HUNG["id"], after_message_id=hung_mark)
    assert code in relayed["text"] and "Wave màu đỏ" in relayed["text"]
    assert "Lan" not in relayed["text"]
    # A bare number answering a question is the answer, not a choice.
    card = await tg_message(h, HUNG["id"], card["message_id"])
    await h.press(HUNG, card, data_of(card, f"tip:reply:{tip.id}"), expect=1)
    mark = await zmark(h, LAN["id"])
    await h.say(HUNG, "Mấy người?")
    [asked] = await h.client.zalo_wait_for_bot(LAN["id"], after_seq=mark)
    await zsay(h, LAN, choice(asked, "Trả lời"))
    hung_mark = await tg_latest(h, HUNG["id"])
    [thanks] = await zsay(h, LAN, "2")
    assert thanks["text"] == t("relay-answer-sent", "vi", code=code)
    [relayed] = await h.client.wait_for_bot_messages(HUNG["id"], after_message_id=hung_mark)
    assert code in relayed["text"] and "2" in relayed["text"]

    # /tincuatoi on Zalo: the list, then the tip with its history.
    [mine] = await zsay(h, LAN, "tincuatoi")
    assert code in mine["text"] and "Đang xác minh" in mine["text"]
    [detail] = await zsay(h, LAN, choice(mine, code))
    assert "Quá trình xử lý" in detail["text"] and "Đang xác minh" in detail["text"]
    # And the status notification's own choice opens it too.
    [again] = await zsay(h, LAN, "1")
    assert "Tin báo của bạn" in again["text"]  # "1" now answers the detail's "back" choice


async def live_in(h: BotHarness, who: JSON, area_name: str, *, subscribe: bool) -> None:
    [pick] = await zsay(h, who, "khuvuc")
    assert "Tổ dân phố số 1" in pick["text"] and "Tổ dân phố số 2" in pick["text"]
    [done] = await zsay(h, who, choice(pick, area_name))
    assert area_name in done["text"] and "dangky" in done["text"]
    if subscribe:
        [ok] = await zsay(h, who, "dangky")
        assert ok["text"].startswith("🔔 Đã đăng ký") and area_name in ok["text"]


async def test_advisory_reaches_groups_and_zalo_subscribers_once_each(zh: BotHarness) -> None:
    h = zh
    officer = await seed(h)
    await live_in(h, LAN, "Tổ dân phố số 1", subscribe=True)
    await live_in(h, BINH, "Tổ dân phố số 2", subscribe=True)
    await live_in(h, CHI, "Tổ dân phố số 1", subscribe=False)
    marks = {w["id"]: await zmark(h, w["id"]) for w in (LAN, BINH, CHI)}
    group_mark = await tg_latest(h, RESIDENTS_CHAT)
    ward = await h.services.areas.get("ND-TN")
    advisory = await h.services.advisories.create(
        officer,
        AdvisoryDraft(
            text="<b>Cảnh giác</b> trộm cắp dịp cuối năm: khoá cửa, không để xe ngoài sân.",
            schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)),
            area_id=ward.id,
        ),
    )
    [in_group] = await h.client.wait_for_bot_messages(RESIDENTS_CHAT, after_message_id=group_mark)
    assert "trộm cắp dịp cuối năm" in in_group["text"]
    for who in (LAN, BINH):
        [got] = await h.client.zalo_wait_for_bot(who["id"], after_seq=marks[who["id"]])
        assert got["text"].startswith("📢 Công an phường Thống Nhất · ")
        assert "\nCảnh giác trộm cắp" in got["text"] and "<b>" not in got["text"]

    async def settled() -> list[Any]:
        async with transaction(h.services.sessions) as session:
            rows = await session.scalars(select(AdvisoryDelivery))
            return [r for r in rows if r.status is DeliveryState.SENT]

    for _ in range(100):
        rows = await settled()
        if len(rows) == 3:
            break
        await asyncio.sleep(0.05)
    assert len(rows) == 3, "one ledger row per group and per Zalo subscriber"
    assert len({r.chat_id for r in rows}) == 3
    zalo_keys = sorted(r.telegram_chat_id for r in rows if r.telegram_chat_id != RESIDENTS_CHAT)
    async with transaction(h.services.sessions) as session:
        ids = [(await ZaloRepository(session).user_for(w["id"])).id for w in (LAN, BINH)]  # type: ignore[union-attr]
    assert zalo_keys == sorted(zalo_dm_key(i) for i in ids)
    # The run is closed and its summary sent: nobody got a second copy, Chi (not subscribed)
    # got none.
    runs = await h.services.advisory_runs.runs_of(advisory.id)
    for _ in range(100):
        runs = await h.services.advisory_runs.runs_of(advisory.id)
        if runs and runs[0].summary:
            break
        await asyncio.sleep(0.05)
    assert runs[0].summary is not None and runs[0].summary["sent"] == 3
    assert len(await h.client.history(RESIDENTS_CHAT, after=group_mark, from_bot=True)) == 1
    for who in (LAN, BINH):
        got = await h.client.zalo_history(who["id"], after=marks[who["id"]], from_bot=True)
        assert len(got) == 1
    assert await h.client.zalo_history(CHI["id"], after=marks[CHI["id"]], from_bot=True) == []


async def zalo_tip(h: BotHarness, who: JSON, text: str) -> str:
    """A tip sent on Zalo through the conversation, fast path (category, text, skips)."""
    [question] = await zsay(h, who, "baotin")
    await zsay(h, who, choice(question, "Việc khác"))
    [noted] = await zsay(h, who, text)
    [where] = await zsay(h, who, choice(noted, "Xong"))
    _, area_q = await zsay(h, who, choice(where, "Bỏ qua"), expect=2)
    _, anon_q = await zsay(h, who, choice(area_q, "Tổ dân phố số 1"), expect=2)
    [summary] = await zsay(h, who, choice(anon_q, "Cho công an biết tên"))
    [done] = await zsay(h, who, choice(summary, "Gửi tin báo"))
    return done["text"].split("Đã gửi tin báo ", 1)[1].split(" ", 1)[0]


async def expire_codes(h: BotHarness) -> None:
    from sqlalchemy import update

    from storage.models import AccountLinkCode

    async with transaction(h.services.sessions) as session:
        await session.execute(
            update(AccountLinkCode).values(expires_at=datetime(2020, 1, 1, tzinfo=UTC))
        )


async def confirm_link_from_zalo(h: BotHarness, who: JSON, owner: JSON, code: str) -> JSON:
    """``who`` types ``owner``'s Telegram code on Zalo and confirms, then ``owner`` confirms on
    Telegram; the owner's last message."""
    [ask] = await zsay(h, who, f"lienket {code}")
    mark = await tg_latest(h, owner["id"])
    await zsay(h, who, choice(ask, "Xác nhận"))
    [owner_ask] = await h.client.wait_for_bot_messages(owner["id"], after_message_id=mark)
    _, [done] = await h.press(owner, owner_ask, data_of(owner_ask, "acct:yes:"), expect=1)
    return done


async def test_linking_telegram_and_zalo_with_a_one_time_code(zh: BotHarness) -> None:
    h = zh
    await seed(h)
    code = await zalo_tip(h, LAN, "Đèn đường ngõ 7 hỏng cả tuần, tối rất tối.")

    # A code from Telegram, typed on Zalo. Wrong and expired codes are refused.
    [shown] = await h.say(MAI_TG, "/lienkettaikhoan")
    tg_code = shown["text"].split("Mã liên kết của bạn: ", 1)[1][:6]
    assert tg_code.isdigit() and "10 phút" in shown["text"]
    wrong = "000000" if tg_code != "000000" else "111111"
    [refused] = await zsay(h, LAN, f"lienket {wrong}")
    assert refused["text"] == t("zalo-link-bad-code", "vi")
    await expire_codes(h)
    [expired] = await zsay(h, LAN, f"lienket {tg_code}")
    assert expired["text"] == t("zalo-link-bad-code", "vi")
    [shown] = await h.say(MAI_TG, "/lienkettaikhoan")
    tg_code = shown["text"].split("Mã liên kết của bạn: ", 1)[1][:6]
    linked = await confirm_link_from_zalo(h, LAN, MAI_TG, tg_code)
    assert linked["text"].startswith("✅ Đã liên kết")
    # The code works once.
    [again] = await zsay(h, LAN, f"lienket {tg_code}")
    assert again["text"] == t("zalo-link-bad-code", "vi")

    # One person now: the Zalo tip is in the Telegram /tincuatoi, the Zalo account maps to
    # the Telegram user, and the Zalo-only users row is gone.
    async with transaction(h.services.sessions) as session:
        person = await ZaloRepository(session).user_for(LAN["id"])
    assert person is not None and person.telegram_id == MAI_TG["id"]
    [mine] = await h.say(MAI_TG, "/tincuatoi")
    assert code in mine["text"]
    [on_zalo] = await zsay(h, LAN, "tincuatoi")
    assert code in on_zalo["text"]

    # The other way round: a code from Zalo, typed on Telegram; a Zalo code typed on Zalo
    # by someone else is refused.
    DUNG_TG = user(3002, "Dũng", "dung_nd")
    [zshown] = await zsay(h, BINH, "lienket")
    z_code = zshown["text"].split("Mã liên kết của bạn: ", 1)[1][:6]
    [same] = await zsay(h, CHI, f"lienket {z_code}")
    assert same["text"] == t("zalo-link-same-channel", "vi")
    [ask] = await h.say(DUNG_TG, f"/lienkettaikhoan {z_code}")
    assert "Bình" in ask["text"] and "Zalo" in ask["text"]
    mark = await zmark(h, BINH["id"])
    _, [waiting] = await h.press(DUNG_TG, ask, data_of(ask, "acct:yes:"), expect=1)
    assert waiting["text"] == t("zalo-link-waiting", "vi", channel="Zalo")
    owner_ask = (await h.client.zalo_history(BINH["id"], from_bot=True))[-1]
    assert mark < len(await h.client.zalo_history(BINH["id"]))
    assert "Dũng" in owner_ask["text"] and "Telegram" in owner_ask["text"]
    [ok] = await zsay(h, BINH, choice(owner_ask, "Xác nhận"))
    assert ok["text"].startswith("✅ Đã liên kết")
    async with transaction(h.services.sessions) as session:
        person = await ZaloRepository(session).user_for(BINH["id"])
    assert person is not None and person.telegram_id == DUNG_TG["id"]


async def test_too_many_wrong_codes_make_the_person_wait(zh: BotHarness) -> None:
    h = zh
    for _ in range(5):
        [refused] = await zsay(h, LAN, "lienket 12345")
        assert refused["text"] == t("zalo-link-bad-code", "vi")
    [wait] = await zsay(h, LAN, "lienket 123456")
    assert wait["text"] == t("zalo-link-too-many", "vi", minutes=10)


async def test_scam_check_on_zalo_privately(zh: BotHarness) -> None:
    h = zh
    await seed(h)
    [usage] = await zsay(h, LAN, "kiemtra")
    assert "kiemtra 0912 345 678" in usage["text"]
    [none] = await zsay(h, LAN, "kiemtra 0912 345 678")
    assert "chưa có ai báo" in none["text"] and "KHÔNG có nghĩa là an toàn" in none["text"]
    # Two fraud tips name the number; the look-up counts them, never says who.
    for who in (BINH, CHI):
        await zsay(h, who, "canhbaolua", expect=2)
        await zsay(h, who, "Có người gọi số 0912.345.678 giả danh công an đòi chuyển tiền")
        [fraud_q] = await zsay(h, who, "xong")
        assert "kẻ lừa đảo" in fraud_q["text"]
        [understood] = await zsay(h, who, "0912345678, Vietcombank 0123456789")
        [where] = await zsay(h, who, choice(understood, t("tip-button-picks-done", "vi")))
        _, area_q = await zsay(h, who, choice(where, "Bỏ qua"), expect=2)
        _, anon_q = await zsay(h, who, choice(area_q, "Tổ dân phố số 1"), expect=2)
        [summary] = await zsay(h, who, choice(anon_q, "Ẩn danh"))
        [done] = await zsay(h, who, choice(summary, "Gửi tin báo"))
        assert "LD-" in done["text"]
    [found] = await zsay(h, LAN, "/kiemtra 0912 345 678")
    assert "2 người báo" in found["text"] and "Phường Thống Nhất" in found["text"]
    assert "Bình" not in found["text"] and "Chi" not in found["text"]
    [bad] = await zsay(h, LAN, "kiemtra chào bạn")
    assert bad["text"].startswith("Tôi không nhận ra")


async def test_odd_input_gets_a_clear_answer_and_nothing_is_lost(zh: BotHarness) -> None:
    h = zh
    await seed(h)
    [unknown] = await zsay(h, LAN, "7")
    assert "Không có lựa chọn số 7" in unknown["text"]
    # A free message is offered as a tip; a huge one is cut, not lost; odd Unicode is fine.
    huge = "Xe lạ đỗ trước nhà 🚗 Ｔổ ５ " * 400
    [offer] = await zsay(h, LAN, huge)
    assert "chỉ giữ phần đầu" in offer["text"]
    [describe] = await zsay(h, LAN, choice(offer, "Có, gửi thành tin báo"))
    assert describe["text"].startswith("Bước 1")
    [text_q] = await zsay(h, LAN, choice(describe, "Trật tự"))
    assert "Đã ghi nhận nội dung" in text_q["text"]
    draft = await h.services.tip_steps.current(
        (await h.services.zalo.identify(LAN["id"], "Lan Zalo")).user.id
    )
    assert draft is not None and len(draft.text) == 3500 and "Ｔổ ５" in draft.text
    [cancelled] = await zsay(h, LAN, "huy")
    assert cancelled["text"] == t("zalo-cancelled", "vi")
    # A bare number while describing is text ("tổ 12"); a photo at the wrong step is refused.
    [question] = await zsay(h, LAN, "/baotin")
    await zsay(h, LAN, choice(question, "Việc khác"))
    [noted] = await zsay(h, LAN, "12")
    assert noted["text"].startswith("✍️")
    # A description starting with a command word is text too ("Huy" is a name, not "hủy").
    [named] = await zsay(h, LAN, "Huy nhà bên cạnh cũng thấy")
    assert named["text"].startswith("✍️")
    [where] = await zsay(h, LAN, "xong")
    assert "Việc xảy ra ở đâu" in where["text"]
    wrong, again = await zsay(h, LAN, photo=jpeg("blue"), expect=2)
    assert wrong["text"].startswith("Ảnh chỉ gửi kèm") and "Việc xảy ra ở đâu" in again["text"]
    draft = await h.services.tip_steps.current(
        (await h.services.zalo.identify(LAN["id"], "Lan Zalo")).user.id
    )
    assert draft is not None and draft.attachments == ()
    assert draft.text == "12\nHuy nhà bên cạnh cũng thấy"
    [cancelled] = await zsay(h, LAN, "huy")
    assert cancelled["text"] == t("zalo-cancelled", "vi")


async def seed_officer(h: BotHarness) -> Profile:
    async with transaction(h.services.sessions) as session:
        from storage.repositories.users import UserRepository

        officer = await UserRepository(session).get_by_telegram_id(HUNG["id"])
    assert officer is not None
    profile = await h.services.users.profile_of(officer.id)
    assert profile is not None
    return profile


async def test_the_demo_has_a_zalo_persona_the_bot_answers(database_url: str) -> None:
    from bot.demo import running_demo
    from services.demo import ZALO_PERSONA_ID

    async with running_demo(database_url) as run, SandboxClient(run.server.base_url) as c:
        listed = {p["id"]: p for p in await c.personas()}
        assert listed[ZALO_PERSONA_ID]["platform"] == "zalo"
        mai = {"id": ZALO_PERSONA_ID, "first_name": "Mai"}  # as the web page sends it
        sent = await c.zalo_send(str(ZALO_PERSONA_ID), mai, "kiemtra 0912 345 678")
        [answer] = await c.zalo_wait_for_bot(str(ZALO_PERSONA_ID), after_seq=sent["seq"])
        assert "0912 345 678" in answer["text"]


async def test_linking_shows_whose_account_and_both_sides_confirm(zh: BotHarness) -> None:
    """A victim talked into typing someone else's code on Zalo sees whose Telegram account it
    is and must confirm; the code's owner is asked too; nothing is linked before both agree,
    and either side can refuse."""
    h = zh
    await seed(h)
    [shown] = await h.say(MAI_TG, "/lienkettaikhoan")
    code = shown["text"].split("Mã liên kết của bạn: ", 1)[1][:6]
    [ask] = await zsay(h, LAN, f"lienket {code}")
    assert MAI_TG["first_name"] in ask["text"] and "Telegram" in ask["text"]
    assert ask["text"].startswith(
        t("zalo-link-confirm-claim", "vi", name=MAI_TG["first_name"], channel="Telegram").split(
            "\n"
        )[0]
    )
    async with transaction(h.services.sessions) as session:
        assert (await ZaloRepository(session).user_for(LAN["id"])).telegram_id is None
    # The victim says no: nothing happens, the code is spent.
    [no] = await zsay(h, LAN, choice(ask, "Hủy"))
    assert no["text"] == t("zalo-link-cancelled", "vi")
    async with transaction(h.services.sessions) as session:
        assert (await ZaloRepository(session).user_for(LAN["id"])).telegram_id is None

    # Again, and this time the resident confirms: the code's owner is asked on Telegram.
    [shown] = await h.say(MAI_TG, "/lienkettaikhoan")
    code = shown["text"].split("Mã liên kết của bạn: ", 1)[1][:6]
    [ask] = await zsay(h, LAN, f"lienket {code}")
    mark = await tg_latest(h, MAI_TG["id"])
    [waiting] = await zsay(h, LAN, choice(ask, "Xác nhận"))
    assert waiting["text"] == t("zalo-link-waiting", "vi", channel="Telegram")
    [owner_ask] = await h.client.wait_for_bot_messages(MAI_TG["id"], after_message_id=mark)
    assert LAN["display_name"] in owner_ask["text"] and "Zalo" in owner_ask["text"]
    async with transaction(h.services.sessions) as session:
        assert (await ZaloRepository(session).user_for(LAN["id"])).telegram_id is None
    yes = data_of(owner_ask, "acct:yes:")
    # Someone else pressing the owner's button (forged) does nothing.
    answer, _ = await h.press(HUNG, owner_ask, yes, forged=True)
    assert answer is not None and answer["text"] == t("zalo-link-bad-code", "vi")
    _, [done] = await h.press(MAI_TG, owner_ask, yes, expect=1)
    assert done["text"].startswith("✅ Đã liên kết")
    async with transaction(h.services.sessions) as session:
        person = await ZaloRepository(session).user_for(LAN["id"])
    assert person is not None and person.telegram_id == MAI_TG["id"]
    told = await h.client.zalo_history(LAN["id"], from_bot=True)
    assert told[-1]["text"].startswith("✅ Đã liên kết")


async def test_the_owners_confirmation_that_meets_a_502_arrives_later(
    sandbox: SandboxServer, client: SandboxClient, database_url: str
) -> None:
    """The other side of a link request gets its message through the outbox: the code's owner,
    whose Telegram confirmation met a 502, is asked a moment later (before: sent directly, the
    request then waited for a confirmation nobody was asked for)."""
    h = zalo_bot(sandbox, client, database_url, **FAST_OUTBOX)
    await h.start()
    try:
        await seed(h)
        [shown] = await h.say(MAI_TG, "/lienkettaikhoan")
        code = shown["text"].split("Mã liên kết của bạn: ", 1)[1][:6]
        [ask] = await zsay(h, LAN, f"lienket {code}")
        mark = await tg_latest(h, MAI_TG["id"])
        await h.client.fault("sendMessage", status=502, count=6)
        [waiting] = await zsay(h, LAN, choice(ask, "Xác nhận"))
        assert waiting["text"] == t("zalo-link-waiting", "vi", channel="Telegram")
        await h.client.clear_faults()
        [owner_ask] = await h.client.wait_for_bot_messages(MAI_TG["id"], after_message_id=mark)
        assert LAN["display_name"] in owner_ask["text"]
        _, [done] = await h.press(MAI_TG, owner_ask, data_of(owner_ask, "acct:yes:"), expect=1)
        assert done["text"].startswith("✅ Đã liên kết")
    finally:
        await h.stop()
