"""Group membership: service messages, chat_member updates, moderation."""

from __future__ import annotations

import pytest
from telegram import Bot, ChatMemberRestricted, ChatPermissions
from telegram.error import BadRequest, Forbidden

from sandbox.client import SandboxClient
from tests.sandbox.conftest import BOT_ID, GROUP_ID, LAN, MINH

pytestmark = pytest.mark.asyncio
ALL = ["message", "chat_member", "my_chat_member", "callback_query", "edited_message"]


async def test_joins_produce_service_message_and_chat_member(
    bot: Bot, client: SandboxClient
) -> None:
    await bot.get_updates(allowed_updates=ALL)  # remember the opt-in like Telegram does
    await client.members(GROUP_ID, joined=[LAN, MINH], title="Tổ dân phố 5")
    updates = await bot.get_updates()
    member_updates = [u.chat_member for u in updates if u.chat_member]
    assert {m.new_chat_member.user.id for m in member_updates} == {LAN["id"], MINH["id"]}
    assert all(m.new_chat_member.status == "member" for m in member_updates)
    service = [u.message for u in updates if u.message]
    assert [u.id for u in service[0].new_chat_members] == [LAN["id"], MINH["id"]]
    assert service[0].chat.title == "Tổ dân phố 5" and service[0].chat.type == "supergroup"
    await client.members(GROUP_ID, left=[MINH])
    left = [u.message for u in await bot.get_updates(offset=updates[-1].update_id + 1)
            if u.message]
    assert left[0].left_chat_member is not None and left[0].left_chat_member.id == MINH["id"]
    assert (await bot.get_chat_member(GROUP_ID, MINH["id"])).status == "left"
    assert await bot.get_chat_member_count(GROUP_ID) == 2  # Lan and the bot


async def test_chat_member_updates_are_opt_in(bot: Bot, client: SandboxClient) -> None:
    await client.members(GROUP_ID, joined=[LAN])
    updates = await bot.get_updates()
    assert [u.chat_member for u in updates if u.chat_member] == []
    assert any(u.message and u.message.new_chat_members for u in updates)


async def test_restrict_and_ban_need_admin_and_change_status(
    bot: Bot, client: SandboxClient
) -> None:
    await client.members(GROUP_ID, joined=[LAN, MINH])
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to restrict"):
        await bot.restrict_chat_member(GROUP_ID, MINH["id"], ChatPermissions.no_permissions())
    await client.set_admins(GROUP_ID, [LAN["id"]], bot_is_admin=True, creator_id=LAN["id"])
    admins = await bot.get_chat_administrators(GROUP_ID)
    assert {a.user.id for a in admins} == {LAN["id"], BOT_ID}
    with pytest.raises(BadRequest, match=r"(?i)owner"):
        await bot.ban_chat_member(GROUP_ID, LAN["id"])
    await bot.restrict_chat_member(
        GROUP_ID, MINH["id"], ChatPermissions(can_send_messages=False), until_date=0
    )
    member = await bot.get_chat_member(GROUP_ID, MINH["id"])
    assert isinstance(member, ChatMemberRestricted) and member.can_send_messages is False
    with pytest.raises(Exception, match="restricted"):
        await client.send_message(GROUP_ID, MINH, "let me speak", chat_type="supergroup")
    await bot.ban_chat_member(GROUP_ID, MINH["id"])
    assert (await bot.get_chat_member(GROUP_ID, MINH["id"])).status == "kicked"
    await bot.unban_chat_member(GROUP_ID, MINH["id"], only_if_banned=True)
    assert (await bot.get_chat_member(GROUP_ID, MINH["id"])).status == "left"


async def test_deleting_others_messages_needs_admin(bot: Bot, client: SandboxClient) -> None:
    sent = await client.send_message(GROUP_ID, LAN, "spam", chat_type="supergroup")
    with pytest.raises(BadRequest, match=r"(?i)can't be deleted"):
        await bot.delete_message(GROUP_ID, sent["message_id"])
    with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
        await bot.pin_chat_message(GROUP_ID, sent["message_id"])
    await client.set_admins(GROUP_ID, [], bot_is_admin=True)
    assert await bot.delete_message(GROUP_ID, sent["message_id"])


async def test_bot_removed_from_group(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(GROUP_ID, LAN, "hi", chat_type="supergroup")
    await bot.send_message(GROUP_ID, "xin chào")
    await client.members(GROUP_ID, left=[{"id": BOT_ID, "first_name": "bot", "is_bot": True}],
                         actor=LAN)
    updates = await bot.get_updates(allowed_updates=ALL)
    my = [u.my_chat_member for u in updates if u.my_chat_member]
    assert my and my[-1].new_chat_member.status == "left"
    assert my[-1].from_user.id == LAN["id"]
    with pytest.raises(Forbidden, match=r"(?i)not a member"):
        await bot.send_message(GROUP_ID, "still here?")
    await client.send_message(GROUP_ID, LAN, "bot gone", chat_type="supergroup")
    later = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert later == ()  # a removed bot no longer hears the group
    await client.members(GROUP_ID, joined=[{"id": BOT_ID, "first_name": "bot", "is_bot": True}])
    assert (await bot.send_message(GROUP_ID, "back")).text == "back"


async def test_get_chat_and_commands(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(GROUP_ID, LAN, "hi", chat_type="supergroup", chat_title="Tổ 5")
    chat = await bot.get_chat(GROUP_ID)
    assert chat.title == "Tổ 5" and chat.type == "supergroup"
    await bot.set_my_commands([("start", "Bắt đầu"), ("report", "Báo cáo sự việc")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "report"]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
