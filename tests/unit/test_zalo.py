"""The Zalo channel's pieces: rendering, chat keys, the sender against the sandbox's Zalo API,
account merging, and the webhook receiver."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.settings import SettingsError, load_settings
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.areas import AreaService
from services.channels import (
    ZALO_BASE,
    channel_of,
    dm_user_id,
    group_id_of,
    recipient_for,
    zalo_dm_key,
    zalo_group_key,
)
from services.errors import InvalidInput
from services.grants import GrantService
from services.onboarding import OnboardingService, SubscriptionService
from services.ports import (
    DeliveryStatus,
    Html,
    InlineButton,
    MediaKind,
    MediaRef,
    OutgoingMessage,
    Recipient,
)
from services.reach import PersonReacher
from services.tip_drafts import DraftAttachment
from services.users import IncomingUser, UserService
from services.zalo import ZaloChats, ZaloService
from storage.models import AreaSubscription, ComposeDraft, Report, Role
from storage.repositories.users import UserRepository
from storage.send_budget import SendBudget
from storage.types import utcnow
from storage.uow import Sessions, transaction
from zalo import render
from zalo.client import ZaloClient
from zalo.incoming import after_mention
from zalo.sender import ZALO_LIMITS, ChannelRouter, ZaloSender
from zalo.surface import ZaloMessage, _coordinates, _fold

TOKEN = "555:zalo-unit"


def _budget() -> SendBudget:
    return SendBudget("zalo:555", ZALO_LIMITS)


# -- rendering ---------------------------------------------------------------------------
def test_catalogue_html_becomes_plain_text_and_user_text_stays_as_typed() -> None:
    out = render.text("tip-area-chosen", "vi", {"name": "<b>Tổ 1</b> & co"})
    assert out == "✅ Tổ dân phố: <b>Tổ 1</b> & co"
    html = Html('<b>Cảnh giác</b> <a href="https://x.vn/a">xem</a> &amp; <i>ngay</i>')
    args = {"text": html, "unit": "phường Thống Nhất", "time": "07:30 01/12/2026"}
    assert render.text("adv-message", "vi", args) == (
        "📢 Công an phường Thống Nhất · 07:30 01/12/2026\nCảnh giác xem (https://x.vn/a) & ngay"
    )
    # Telegram-worded messages have a Zalo variant (no "reply to this message").
    question = render.text("relay-question", "vi", {"unit": "P", "code": "TB-1", "text": "?"})
    assert "reply" not in question and question.startswith("❓ Công an P hỏi về tin TB-1")


def test_buttons_become_numbered_choices() -> None:
    rows = (
        (InlineButton("tip-button-send", "tipf:send"), InlineButton("tip-button-edit", "e")),
        (InlineButton("tip-button-cancel", "tipf:cancel"),),
    )
    text, options = render.with_choices("Body", rows, "vi")
    assert options == ["tipf:send", "e", "tipf:cancel"]
    assert "1. ✅ Gửi tin báo\n2. ✏️ Sửa\n3. ❌ Hủy" in text
    assert text.endswith("Trả lời 1, 2 hoặc 3 để chọn.")
    assert render.with_choices("Body", (), "en") == ("Body", [])
    _, only = render.with_choices("B", ((InlineButton("tip-button-send", "x"),),), "en")
    assert only == ["x"]


def test_long_text_is_split_under_zalo_limit_at_line_ends() -> None:
    text = "\n".join(f"dòng {i} " + "x" * 90 for i in range(60))
    parts = render.split(text)
    assert len(parts) > 2 and all(len(p) <= render.ZALO_TEXT_LIMIT for p in parts)
    assert "\n".join(parts) == text
    assert render.split("x" * 4500) == ["x" * 2000, "x" * 2000, "x" * 500]


def test_message_keys_fit_the_relay_integer_column() -> None:
    key = render.message_key("82599fa32f56d00e8941")
    assert 0 <= key < 2**31 and key == render.message_key("82599fa32f56d00e8941")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20.4387, 106.1621", (20.4387, 106.1621)),
        ("https://www.google.com/maps/@20.4387,106.1621,17z", (20.4387, 106.1621)),
        ("https://maps.google.com/?q=20.43,106.16", (20.43, 106.16)),
        ("Số 12 ngõ 5 Trần Hưng Đạo", None),
        ("95.1, 10.2", None),
    ],
)
def test_coordinates_or_address(text: str, expected: tuple[float, float] | None) -> None:
    assert _coordinates(text) == expected


def test_commands_fold_accents_case_and_slash() -> None:
    assert _fold("/BAOTIN") == "baotin"
    assert _fold("Hủy") == "huy"
    assert _fold("Đăngký") == "dangky"
    assert _fold("kiểmtra") == "kiemtra"


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("@Bot An Ninh kiemtra 0912 345 678", ("Bot An Ninh",), ("kiemtra", "0912 345 678")),
        ("@bot an  ninh KIEMTRA 0912", ("Bot An Ninh",), ("KIEMTRA", "0912")),
        ("@Bot\u00a0An Ninh kiemtra 0912", ("Bot An Ninh",), ("kiemtra", "0912")),
        ("Nhờ @Bot An Ninh kiemtra 0912", ("Bot An Ninh",), ("kiemtra", "0912")),
        ("@Bot An Ninh", ("Bot An Ninh",), None),
        # The name is not known yet (getMe failed): the "Bot " prefix the docs require and
        # the first command word after it still tell where the name ends.
        ("@Bot An Ninh kiemtra 0912", (), ("kiemtra", "0912")),
        ("@Bot Tổ Dân Phố Số 5 baotin", (), ("baotin", "")),
        ("kiemtra 0912", ("Bot An Ninh",), ("kiemtra", "0912")),
    ],
    ids=[
        "display name with spaces",
        "case and spacing differ",
        "a no-break space",
        "mention inside the text",
        "mention alone",
        "name unknown",
        "name unknown and long",
        "a reply without a mention",
    ],
)
def test_a_group_mention_by_display_name_leaves_the_command(
    text: str, names: tuple[str, ...], expected: tuple[str, str] | None
) -> None:
    assert after_mention(text, names) == expected


def test_settings_refuse_a_webhook_zalo_would_refuse() -> None:
    ok = load_settings(
        zalo_webhook_url="https://bot.example.vn/zalo", zalo_webhook_secret="s3cret-token"
    )
    assert ok.zalo_webhook_url == "https://bot.example.vn/zalo"
    for url, secret, named in (
        ("http://bot.example.vn/zalo", "s3cret-token", "ZALO_WEBHOOK_URL"),
        ("https:///zalo", "s3cret-token", "ZALO_WEBHOOK_URL"),
        ("https://bot.example.vn/zalo", "1234567", "ZALO_WEBHOOK_SECRET"),
        ("https://bot.example.vn/zalo", "x" * 257, "ZALO_WEBHOOK_SECRET"),
    ):
        with pytest.raises(SettingsError) as refused:
            load_settings(zalo_webhook_url=url, zalo_webhook_secret=secret)
        message = str(refused.value)
        assert message.startswith(named) and "\n" not in message and secret not in message
    assert ok.zalo_groups_enabled is False, "Zalo groups are coming soon: off by default"


def test_updates_parse_from_polling_and_webhook_shapes() -> None:
    message = {
        "message_id": "m1", "date": 1, "text": "xin chào",
        "chat": {"id": "c1", "chat_type": "PRIVATE"},
        "from": {"id": "u1", "display_name": "Ted", "is_bot": False},
    }  # fmt: skip
    polled = ZaloMessage.parse({"event_name": "message.text.received", "message": message})
    pushed = ZaloMessage.parse(
        {"ok": True, "result": {"event_name": "message.text.received", "message": message}}
    )
    assert polled == pushed and polled is not None and polled.text == "xin chào"
    assert ZaloMessage.parse({"event_name": "x"}) is None
    bot = {**message, "from": {"id": "b", "is_bot": True}}
    assert ZaloMessage.parse({"event_name": "message.text.received", "message": bot}) is None


# -- chat keys ---------------------------------------------------------------------------------
def test_chat_keys_do_not_collide_with_telegram_ids() -> None:
    assert channel_of(123456789) == "telegram" and channel_of(-1001234567890) == "telegram"
    assert channel_of(2**52) == "telegram"
    assert channel_of(zalo_dm_key(7)) == "zalo" and dm_user_id(zalo_dm_key(7)) == 7
    assert channel_of(zalo_group_key(3)) == "zalo" and group_id_of(zalo_group_key(3)) == 3
    assert zalo_group_key(3) < 0 < zalo_dm_key(3)
    assert dm_user_id(-5) is None and group_id_of(5) is None
    assert zalo_group_key(10**9) > -(2**63) and ZALO_BASE + 10**9 < 2**63


# -- the sender against the sandbox ------------------------------------------------------------
@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(port=0) as server:
        yield server


@pytest.fixture
async def zalo(sessions: Sessions) -> ZaloService:
    return ZaloService(sessions, default_language="vi", superadmin_ids=frozenset())


@pytest.fixture
async def chats(sessions: Sessions) -> ZaloChats:
    return ZaloChats(sessions, default_language="vi")


async def _resident(sandbox: SandboxServer, zalo: ZaloService, zid: str) -> int:
    """A Zalo user who wrote once (so the sandbox knows the private chat)."""
    async with SandboxClient(sandbox.base_url) as client:
        await client.zalo_send(zid, {"id": zid, "display_name": "Lan"}, "chào")
    profile = await zalo.identify(zid, "Lan")
    return zalo_dm_key(profile.user.id)


async def test_sender_delivers_text_photos_and_choices(
    sandbox: SandboxServer, zalo: ZaloService, chats: ZaloChats
) -> None:
    key = await _resident(sandbox, zalo, "zl1")
    client = ZaloClient(TOKEN, f"{sandbox.base_url}/zalo")
    sender = ZaloSender(client, chats, _budget())
    message = OutgoingMessage(
        "relay-question",
        {"unit": "Phường Thống Nhất", "code": "TB-1", "text": "Xe <màu> gì?"},
        buttons=((InlineButton("relay-button-answer", "relay:answer:9"),),),
        media=(
            MediaRef(MediaKind.PHOTO, "https://cdn.example/p.jpg"),
            MediaRef(MediaKind.PHOTO, "AgACAgIAAxk-telegram-file-id"),
        ),
        location=(20.43, 106.16),
    )
    result = await sender.send(Recipient(key, "vi", "zalo"), message)
    assert result.status is DeliveryStatus.SENT and result.message_id is not None
    async with SandboxClient(sandbox.base_url) as c:
        got = await c.zalo_history("zl1", from_bot=True)
    assert got[0]["photo_url"] == "https://cdn.example/p.jpg"
    text = got[1]["text"]
    assert "Xe <màu> gì?" in text and "1 ảnh/tệp — chỉ xem được trên Telegram" in text
    assert "maps.google.com/?q=20.430000,106.160000" in text and "1. " in text
    assert await chats.choice(key, 1) == "relay:answer:9"
    assert await chats.choice(key, 2) is None
    assert await sender.delete(key, 1) is False
    await client.aclose()


async def test_choices_are_known_before_their_message_leaves(
    sandbox: SandboxServer, zalo: ZaloService, chats: ZaloChats
) -> None:
    """A resident who answers "1" the moment the menu arrives (a fast phone, a busy bot) is
    understood: the choices are stored before the message goes (CI saw a number arrive before
    them). A menu that did not go answers nothing."""
    key = await _resident(sandbox, zalo, "zl5")
    known_when_sent: list[str | None] = []

    class Watching(ZaloClient):
        async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
            known_when_sent.append(await chats.choice(key, 1))
            return await super().send_message(chat_id, text)

    client = Watching(TOKEN, f"{sandbox.base_url}/zalo")
    sender = ZaloSender(client, chats, _budget())
    menu = OutgoingMessage(
        "zalo-help", buttons=((InlineButton("relay-button-answer", "relay:answer:9"),),)
    )
    assert (await sender.send(Recipient(key, "vi", "zalo"), menu)).ok
    assert known_when_sent == ["relay:answer:9"]
    other = OutgoingMessage(
        "zalo-help", buttons=((InlineButton("relay-button-answer", "relay:answer:7"),),)
    )
    async with SandboxClient(sandbox.base_url) as c:
        await c.zalo_fault("sendMessage", status=400)
        assert (await sender.send(Recipient(key, "vi", "zalo"), other)).status is (
            DeliveryStatus.FAILED
        )
    assert await chats.choice(key, 1) is None
    await client.aclose()


async def test_sender_maps_zalo_errors_to_delivery_statuses(
    sandbox: SandboxServer, zalo: ZaloService, chats: ZaloChats
) -> None:
    key = await _resident(sandbox, zalo, "zl2")
    client = ZaloClient(TOKEN, f"{sandbox.base_url}/zalo")
    sender = ZaloSender(client, chats, _budget())
    hello = OutgoingMessage("zalo-help")
    async with SandboxClient(sandbox.base_url) as c:
        # 403 is documented as "Internal server error": try again later, never "blocked"
        # (the docs name no error for a user who blocked the bot; the sandbox answers 403).
        await c.zalo_block("zl2")
        assert (await sender.send(Recipient(key), hello)).status is DeliveryStatus.RETRY_LATER
        await c.zalo_block("zl2", blocked=False)
        await c.zalo_fault("sendMessage", status=403)
        assert (await sender.send(Recipient(key), hello)).status is DeliveryStatus.RETRY_LATER
        await c.zalo_fault("sendMessage", status=429)
        assert (await sender.send(Recipient(key), hello)).status is DeliveryStatus.RETRY_LATER
        for code in (400, 401, 404):
            await c.zalo_fault("sendMessage", status=code, description="user blocked the bot")
            result = await sender.send(Recipient(key), hello)
            assert result.status is DeliveryStatus.FAILED, (code, result)
        assert (await sender.send(Recipient(key), hello)).ok
    nobody = zalo_dm_key(999_999)
    assert (await sender.send(Recipient(nobody), hello)).status is DeliveryStatus.NOT_FOUND
    await client.aclose()
    # A Zalo API that does not answer at all: retry later, nothing raised.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = ZaloSender(
        ZaloClient(TOKEN, f"http://127.0.0.1:{port}/zalo", timeout=2), chats, _budget()
    )
    assert (await dead.send(Recipient(key), hello)).status is DeliveryStatus.RETRY_LATER


async def test_zalo_groups_get_nothing_while_groups_are_off(
    sandbox: SandboxServer, sessions: Sessions
) -> None:
    """A group linked while ZALO_GROUPS_ENABLED was on gets no advisory once it is off (and
    its chat row is left as it is, so turning groups on again needs no re-linking)."""
    on = ZaloChats(sessions, default_language="vi", groups_enabled=True)
    off = ZaloChats(sessions, default_language="vi")
    async with SandboxClient(sandbox.base_url) as c:
        await c.zalo_send("g-unit", {"id": "zl9", "display_name": "Lan"}, "chào",
                          chat_type="GROUP")  # fmt: skip
        key = await on.group_key("g-unit")
        client = ZaloClient(TOKEN, f"{sandbox.base_url}/zalo")
        hello = OutgoingMessage("zalo-help")
        skipped = await ZaloSender(client, off, _budget()).send(Recipient(key), hello)
        assert skipped.status is DeliveryStatus.FAILED
        assert await c.zalo_history("g-unit", from_bot=True) == []
        assert (await ZaloSender(client, on, _budget()).send(Recipient(key), hello)).ok
        await client.aclose()


async def test_router_sends_each_key_to_its_channel() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.seen: list[int] = []

        async def send(self, to: Recipient, message: OutgoingMessage):  # type: ignore[no-untyped-def]
            from services.ports import DeliveryResult

            self.seen.append(to.chat_id)
            return DeliveryResult(DeliveryStatus.SENT, 1)

        async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
            return True

    telegram, zalo_side = Recorder(), Recorder()
    router = ChannelRouter(telegram, zalo_side)
    for key in (1001, -100555, zalo_dm_key(4), zalo_group_key(2)):
        await router.send(Recipient(key), OutgoingMessage("zalo-help"))
    assert telegram.seen == [1001, -100555]
    assert zalo_side.seen == [zalo_dm_key(4), zalo_group_key(2)]
    only_zalo = ChannelRouter(None, zalo_side)
    result = await only_zalo.send(Recipient(1001), OutgoingMessage("zalo-help"))
    assert result.status is DeliveryStatus.NOT_FOUND
    assert router.with_telegram(zalo_side).zalo is zalo_side


# -- identities and linking ---------------------------------------------------------------------
async def test_recipient_prefers_telegram_and_skips_blocked_users(sessions: Sessions) -> None:
    async with transaction(sessions) as session:
        tg = await UserRepository(session).upsert_telegram(42, "A", None, None)
    assert recipient_for(tg, "vi") == Recipient(42, "vi", "telegram")
    zalo = ZaloService(sessions, default_language="vi", superadmin_ids=frozenset())
    z = (await zalo.identify("zx", "B")).user
    assert recipient_for(z, "en") == Recipient(zalo_dm_key(z.id), "en", "zalo")
    from dataclasses import replace

    assert recipient_for(replace(z, blocked_bot=True), "vi") is None


async def both_confirm(zalo: ZaloService, proposal: Any, claimer_id: int) -> Any:
    """The account that typed the code says yes, then the code's owner."""
    from storage.repositories.zalo import ZaloRepository

    assert (await zalo.answer(claimer_id, proposal.request_id, True)).outcome == "waiting"
    async with transaction(zalo._sessions) as session:  # type: ignore[attr-defined]
        owner = (await ZaloRepository(session).get_code_by_id(proposal.request_id)).user_id
    return await zalo.answer(owner, proposal.request_id, True)


async def test_linking_merges_the_zalo_person_into_the_telegram_one(sessions: Sessions) -> None:
    from tests.tip_parts import build_tips

    zalo = ZaloService(sessions, default_language="vi", superadmin_ids=frozenset())
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    areas = AreaService(sessions)
    await areas.import_csv(
        "code,name,kind,parent_code\nP,Tỉnh,province,\nW,Phường,ward,P\n"
        "W-1,Tổ 1,residential_group,W\n"
    )
    await GrantService(sessions).grant(target_telegram_id=77, role="police", area_code="W")
    telegram = await users.identify(IncomingUser(77, "Hùng"))
    z = (await zalo.identify("zl-77", "Hùng Zalo")).user

    class Silent:
        async def send(self, to, message):  # type: ignore[no-untyped-def]
            from services.ports import DeliveryResult

            return DeliveryResult(DeliveryStatus.SENT, 1)

        async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
            return False

    reacher = PersonReacher(sessions, Silent(), users, default_language="vi")
    tips = build_tips(sessions, reacher)
    area = await areas.get("W-1")
    for uid in (z.id, telegram.user.id):  # both have a draft: the Telegram one wins
        await tips.tip_intake.begin(uid, category="other", text=f"draft of {uid}")
    await OnboardingService(sessions).set_home_area(z.id, area.id)
    await SubscriptionService(sessions, default_language="vi").subscribe(z.id)
    await tips.tip_steps.add_attachment(z.id, DraftAttachment(MediaKind.PHOTO, "https://p/1.jpg"))
    await tips.tip_steps.finish_description(z.id)
    await tips.tip_steps.skip_location(z.id)
    await tips.tip_steps.choose_area(z.id, area.id)
    await tips.tip_steps.set_anonymous(z.id, True)
    submitted = await tips.tip_intake.submit(z.id)

    code = await zalo.issue_code(telegram.user.id, "telegram")
    with pytest.raises(InvalidInput) as same:
        await zalo.redeem(telegram.user.id, "telegram", code.code)
    assert same.value.message_key == "zalo-link-bad-code"  # one's own code is no link
    linked = await both_confirm(zalo, await zalo.redeem(z.id, "zalo", code.code), z.id)
    assert linked.user is not None
    assert linked.user.id == telegram.user.id and linked.user.home_area_id == area.id
    async with transaction(sessions) as session:
        assert await UserRepository(session).get(z.id) is None
        report = await session.get(Report, submitted.report.id)
        assert report is not None and report.reporter_user_id == telegram.user.id
        subs = list(await session.scalars(select(AreaSubscription.user_id)))
        drafts = list(
            await session.scalars(select(ComposeDraft.user_id).where(ComposeDraft.flow == "tip"))
        )
    assert subs == [telegram.user.id] and drafts == [telegram.user.id]
    again = await zalo.identify("zl-77", "Hùng Zalo")
    assert again.user.id == telegram.user.id and again.has_any(Role.POLICE)  # grants follow
    assert again.user.telegram_id == 77
    # Linking twice is refused.
    other = await users.identify(IncomingUser(78, "Khác"))
    code = await zalo.issue_code(other.user.id, "telegram")
    with pytest.raises(InvalidInput) as twice:
        await both_confirm(
            zalo, await zalo.redeem(again.user.id, "zalo", code.code), again.user.id
        )
    assert twice.value.message_key == "zalo-link-already"


async def test_codes_expire_after_ten_minutes(sessions: Sessions) -> None:
    zalo = ZaloService(sessions, default_language="vi", superadmin_ids=frozenset())
    z = (await zalo.identify("zl-5", "Z")).user
    code = await zalo.issue_code(z.id, "zalo")
    assert code.minutes == 10 and timedelta(minutes=9) < code.expires_at - utcnow()
    assert len(code.code) == 6 and code.code.isdigit()
    second = await zalo.issue_code(z.id, "zalo")  # a new code replaces the old one
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    tg = await users.identify(IncomingUser(5, "T"))
    with pytest.raises(InvalidInput):
        await zalo.redeem(tg.user.id, "telegram", code.code if code.code != second.code else "x")
    linked = await both_confirm(
        zalo, await zalo.redeem(tg.user.id, "telegram", second.code), tg.user.id
    )
    assert linked.user is not None and linked.user.telegram_id == 5
