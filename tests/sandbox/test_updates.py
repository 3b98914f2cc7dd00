"""getMe, getUpdates, offsets, long polling and error shapes."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import Bot, MessageEntity

from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from tests.sandbox.conftest import BOT_ID, LAN, MINH

pytestmark = pytest.mark.asyncio


async def test_get_me_identity_from_token(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == BOT_ID
    assert me.is_bot
    assert me.first_name == "Anninh Sandbox Bot"
    assert me.username


async def test_error_shapes_for_bad_token_and_unknown_method(server: SandboxServer) -> None:
    async with httpx.AsyncClient() as http:
        bad = await http.post(f"{server.bot_api_url}not-a-token/getMe")
        unknown = await http.post(f"{server.bot_api_url}1:x/noSuchMethod")
    assert bad.status_code == 401
    assert bad.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert unknown.status_code == 404
    assert unknown.json()["description"] == "Not Found"


async def test_user_command_reaches_get_updates_with_entity(
    bot: Bot, client: SandboxClient
) -> None:
    await client.send_message(LAN["id"], LAN, "/start@anninh_bot xin chào")
    updates = await bot.get_updates(timeout=1)
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None
    assert message.chat.id == LAN["id"] and message.chat.type == "private"
    assert message.from_user is not None and message.from_user.language_code == "vi"
    entity = message.entities[0]
    assert entity.type == MessageEntity.BOT_COMMAND
    assert (entity.offset, entity.length) == (0, len("/start@anninh_bot"))


async def test_entities_use_utf16_offsets(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "🚨 /report @minh https://example.org")
    message = (await bot.get_updates())[0].message
    assert message is not None
    kinds = {e.type: e for e in message.entities}
    assert kinds[MessageEntity.BOT_COMMAND].offset == 3  # the emoji is 2 UTF-16 units
    assert message.parse_entity(kinds[MessageEntity.BOT_COMMAND]) == "/report"
    assert message.parse_entity(kinds[MessageEntity.MENTION]) == "@minh"
    assert message.parse_entity(kinds[MessageEntity.URL]) == "https://example.org"


async def test_long_poll_returns_as_soon_as_a_message_arrives(
    bot: Bot, client: SandboxClient
) -> None:
    async def later() -> None:
        await asyncio.sleep(0.2)
        await client.send_message(LAN["id"], LAN, "hello")

    started = time.monotonic()
    task = asyncio.create_task(later())
    updates = await bot.get_updates(timeout=20)
    await task
    assert [u.message.text for u in updates if u.message] == ["hello"]
    assert time.monotonic() - started < 3


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.8 < time.monotonic() - started < 3


async def test_offset_confirms_earlier_updates(bot: Bot, client: SandboxClient) -> None:
    for text in ("one", "two", "three"):
        await client.send_message(LAN["id"], LAN, text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    again = await bot.get_updates()
    assert len(again) == 3  # nothing confirmed yet
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()
    stats = await client.stats()
    assert stats["updates_delivered"] == 3
    assert stats["updates_redelivered"] == 3  # "one", "two" (again), then "three" (rest)


async def test_every_seen_bot_gets_its_own_queue(
    server: SandboxServer, bot: Bot, client: SandboxClient
) -> None:
    async with Bot("777:other", base_url=server.bot_api_url) as echo_bot:
        await client.send_message(MINH["id"], MINH, "hi both")
        mine = await bot.get_updates()
        theirs = await echo_bot.get_updates()
    assert mine[0].update_id == theirs[0].update_id  # each bot numbers its own
    assert mine[0].update_id == server.state.first_update_id
    assert mine[0].message is not None and theirs[0].message is not None


async def test_user_edit_produces_edited_message(bot: Bot, client: SandboxClient) -> None:
    sent = await client.send_message(LAN["id"], LAN, "cháy ở hẻm 5")
    await client.edit_message(LAN["id"], LAN, sent["message_id"], "cháy ở hẻm 7")
    updates = await bot.get_updates()
    edited = updates[-1].edited_message
    assert edited is not None and edited.text == "cháy ở hẻm 7"
    assert edited.edit_date is not None


async def test_update_ids_are_never_given_out_again_after_a_reset(
    server: SandboxServer, bot: Bot, client: SandboxClient
) -> None:
    """A bot may remember the updates it handled (anninh does) across a restart of this
    server, as across Telegram's: so ids go on from the clock, not from 1."""
    await client.send_message(MINH["id"], MINH, "trước")
    [before] = await bot.get_updates()
    await client.reset()
    assert await bot.get_updates() == ()  # the bot is known again
    await client.send_message(MINH["id"], MINH, "sau")
    [after] = await bot.get_updates()
    assert after.update_id > before.update_id > 1
