"""What a person trying the demo finds, through the real bot: a number in each state /kiemtra
knows, the police contacts filled in, a moderator who belongs to groups and can act there, and
a hint on the page that names the other people to try and those numbers."""

from __future__ import annotations

from bot.demo import running_demo
from bot.i18n import t
from sandbox.client import SandboxClient
from services.contacts import ContactService
from services.demo import MODERATOR_ID, DemoService, chats
from services.demo_showcase import SCAM_CONFIRMED, SCAM_ONE_REPORT, SCAM_REPORTED, SCAM_UNKNOWN
from services.users import UserService
from storage.models import Role
from storage.repositories.areas import AreaRepository
from storage.uow import Sessions, transaction

LAN = {"id": 1001, "first_name": "Lan", "last_name": "Nguyễn", "is_bot": False}
THU = {"id": MODERATOR_ID, "first_name": "Thu", "last_name": "Hoàng", "is_bot": False}
TN_GROUP_1 = -1_001_001


async def ask(client: SandboxClient, chat_id: int, who: dict, text: str, **kw: object) -> str:
    """``who`` says ``text`` in ``chat_id``; the bot's first answer's text."""
    chat_type = "private" if chat_id > 0 else "supergroup"
    said = await client.send_message(chat_id, who, text, chat_type=chat_type, **kw)  # type: ignore[arg-type]
    got = await client.wait_for_bot_messages(chat_id, after_message_id=said["message_id"])
    return str(got[0].get("text", ""))


async def test_kiemtra_answers_each_state_for_the_demos_numbers_and_contacts_are_filled(
    database_url: str,
) -> None:
    async with running_demo(database_url) as demo, SandboxClient(demo.server.base_url) as c:
        assert demo.counts["confirmed"] == 1 and demo.counts["contacts"] == 32
        confirmed = await ask(c, 1001, LAN, f"/kiemtra {SCAM_CONFIRMED}")
        assert "Công an đã xác nhận" in confirmed and "Đã bị 4 người báo" in confirmed
        reported = await ask(c, 1001, LAN, f"/kiemtra {SCAM_REPORTED}")
        assert "đã bị 3 người báo" in reported and "xác nhận đây là" not in reported
        assert "1 báo cáo chưa xác minh" in await ask(c, 1001, LAN, f"/kiemtra {SCAM_ONE_REPORT}")
        assert "chưa có ai báo" in await ask(c, 1001, LAN, f"/kiemtra {SCAM_UNKNOWN}")

        contacts = await ask(c, 1001, LAN, "/lienhe")
        assert "Trực ban Công an phường Thống Nhất: 0228 3636 100" in contacts
        assert "Thượng úy Trần Hùng — 0915 201 001" in contacts
        assert "chưa cập nhật" not in contacts


async def test_the_contacts_and_the_confirmation_are_entered_by_the_wards_officer(
    sessions: Sessions,
) -> None:
    """Through the services, as the officer would, and only once."""
    first = await DemoService(sessions).load()
    assert first["contacts"] == 32 and first["confirmed"] == 1
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    lan = await users.profile_by_telegram_id(1001)
    assert lan is not None
    card = await ContactService(sessions).card_for_user(lan.user.id)
    assert card is not None and card.duty is not None and card.officer is not None
    assert card.officer.contact.name == "Trần Hùng" and card.officer.area.code == "ND-TN-01"
    assert card.duty.area.code == "ND-TN"
    again = await DemoService(sessions).load()
    assert again["contacts"] == 0 and again["confirmed"] == 0


async def test_the_moderator_belongs_to_groups_and_can_warn_there(database_url: str) -> None:
    moderated = [c for c in chats() if MODERATOR_ID in c.member_ids]
    assert len(moderated) == 6  # the residents' groups of the two wards of the page's residents
    async with running_demo(database_url) as demo, SandboxClient(demo.server.base_url) as c:
        listed = {chat["id"] for chat in await c.chats(member=MODERATOR_ID)}
        assert {chat.chat_id for chat in moderated} <= listed
        group = await c.chat(TN_GROUP_1)
        status = {m["user"]["id"]: m["status"] for m in group["members"]}
        assert status[MODERATOR_ID] == "administrator" and status[2001] == "administrator"
        thu = await demo.services.users.profile_by_telegram_id(MODERATOR_ID)
        assert thu is not None
        async with transaction(demo.services.sessions) as session:
            area = await AreaRepository(session).get_by_code("ND-TN-01")
        assert area is not None and thu.can(Role.MODERATOR, area)
        said = await c.send_message(TN_GROUP_1, LAN, "Bán sim rác giá rẻ", chat_type="supergroup")
        warned = await ask(
            c, TN_GROUP_1, THU, "/canhcao quảng cáo", reply_to_message_id=said["message_id"]
        )
        # (Which order the name is in is another item of the issue; the warning is what counts.)
        assert warned.startswith("⚠️") and "Lan" in warned and "(1/3)" in warned, warned


async def test_every_persona_has_a_hint_naming_who_else_to_try_and_the_numbers(
    database_url: str,
) -> None:
    async with running_demo(database_url) as demo, SandboxClient(demo.server.base_url) as c:
        listed = {p["id"]: p for p in await c.personas()}
    lan_hint = listed[1001]["hint"]
    first_line, numbers = lan_hint.split("\n")
    assert "Nguyễn Lan" not in first_line  # the others, not herself
    for name in ("Trần Hùng", "Hoàng Thu", "Quản trị"):
        assert name in first_line
    for number in (SCAM_CONFIRMED, SCAM_REPORTED, SCAM_ONE_REPORT, SCAM_UNKNOWN):
        assert f"/kiemtra {number}" in numbers
    assert numbers == t(
        "demo-hint-numbers",
        "vi",
        confirmed=SCAM_CONFIRMED,
        reported=SCAM_REPORTED,
        one=SCAM_ONE_REPORT,
        unknown=SCAM_UNKNOWN,
    )
    assert "Nguyễn Lan" in listed[2001]["hint"]  # the officer is told to try the resident
