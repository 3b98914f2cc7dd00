"""The Zalo channel against a sandbox that answers as the Zalo Bot Platform's docs say (issue 15):
403 is an internal server error, mentions use the bot's display name, events it does not know
get no answer, an update can come twice, a rejected setWebhook is retried, groups are off until
ZALO_GROUPS_ENABLED."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.i18n import t
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.channels import zalo_group_key
from storage.repositories.tips import TipRepository
from storage.repositories.zalo import ZaloRepository
from storage.uow import transaction
from tests.e2e.harness import BotHarness
from tests.e2e.test_zalo import (
    BINH,
    LAN,
    ZALO_TOKEN,
    seed,
    seed_officer,
    zalo_bot,
    zalo_tip,
    zmark,
    zsay,
)

JSON = dict[str, Any]
ROOT = Path(__file__).resolve().parents[2]
GROUP = "g-7c2d1e0f9a8b77665544"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def webhook_bot(
    sandbox: SandboxServer, client: SandboxClient, database_url: str
) -> tuple[BotHarness, int]:
    """A bot in Zalo webhook mode behind a (stand-in) TLS terminator, and its local port."""
    port = _free_port()
    h = zalo_bot(
        sandbox,
        client,
        database_url,
        zalo_webhook_url=f"https://127.0.0.1:{port}/zalo-hook",
        zalo_webhook_secret="s3cret-token-zalo",
        zalo_webhook_port=port,
        webhook_listen="127.0.0.1",
    )
    return h, port


@pytest.fixture
async def zh(
    sandbox: SandboxServer, client: SandboxClient, database_url: str
) -> AsyncIterator[BotHarness]:
    h = zalo_bot(sandbox, client, database_url)
    await h.start()
    yield h
    await h.stop()


async def bot_messages(h: BotHarness, chat_id: str, after: int) -> list[JSON]:
    return await h.client.zalo_history(chat_id, after=after, from_bot=True)


async def test_a_403_is_a_zalo_outage_and_the_resident_keeps_getting_news(
    zh: BotHarness,
) -> None:
    h = zh
    await seed(h)
    code = await zalo_tip(h, LAN, "Có tiếng cãi nhau lớn ở nhà số 9.")
    async with transaction(h.services.sessions) as session:
        person = await ZaloRepository(session).user_for(LAN["id"])
        assert person is not None
        tip = (await TipRepository(session).for_reporter(person.id, offset=0, limit=1))[0][0]
    officer = await seed_officer(h)
    # Zalo documents 403 as "Internal server error": the next message simply fails.
    await h.client.zalo_fault("sendMessage", status=403)
    mark = await zmark(h, LAN["id"])
    await h.services.tip_followup.change_status(tip.id, "verifying", officer)
    assert await bot_messages(h, LAN["id"], mark) == []
    async with transaction(h.services.sessions) as session:
        person = await ZaloRepository(session).user_for(LAN["id"])
    assert person is not None and not person.blocked_bot, "a 403 marked the resident blocked"
    # The platform is back: the resident hears about the next change.
    await h.services.tip_followup.change_status(tip.id, "handled", officer)
    [told] = await h.client.zalo_wait_for_bot(LAN["id"], after_seq=mark)
    assert code in told["text"] and t("tip-status-handled", "vi") in told["text"]


async def test_a_group_mention_by_the_bots_display_name_is_understood(
    sandbox: SandboxServer, client: SandboxClient, database_url: str
) -> None:
    h = zalo_bot(sandbox, client, database_url, zalo_groups_enabled=True)
    await h.start()
    try:
        # Residents pick "Bot An Ninh" from Zalo's "@" list: the name has spaces.
        sent = await client.zalo_send(
            GROUP, LAN, "@Bot An Ninh kiemtra 0912345678", chat_type="GROUP"
        )
        [answer] = await client.zalo_wait_for_bot(GROUP, after_seq=sent["seq"])
        assert "chưa có ai báo" in answer["text"], answer["text"]
        sent = await client.zalo_send(GROUP, LAN, "@Bot An Ninh  BAOTIN", chat_type="GROUP")
        [hint] = await client.zalo_wait_for_bot(GROUP, after_seq=sent["seq"])
        assert "tin nhắn riêng" in hint["text"]
        # A reply to the bot reaches it too (no name in the text).
        sent = await client.zalo_send(
            GROUP, BINH, "kiemtra 0912345678", chat_type="GROUP", mention=True
        )
        [again] = await client.zalo_wait_for_bot(GROUP, after_seq=sent["seq"])
        assert "chưa có ai báo" in again["text"]
        # Enabled, a group the bot has seen can be linked to an area (for advisories).
        await seed(h)
        key = await h.services.zalo_chats.group_key(GROUP)
        outcome = await h.services.groups.link(None, key, "ND-TN-01")
        assert outcome.chat.type == "zalo_group" and outcome.area.code == "ND-TN-01"
    finally:
        await h.stop()


async def test_zalo_groups_are_off_by_default_and_a_mention_is_left_quietly(
    zh: BotHarness,
) -> None:
    h = zh
    sent = await h.client.zalo_send(
        GROUP, LAN, "@Bot An Ninh kiemtra 0912345678", chat_type="GROUP"
    )
    # Updates are handled in order: once the private message is answered, so was the group one.
    [helped] = await zsay(h, LAN, "help")
    assert "baotin" in helped["text"]
    assert await bot_messages(h, GROUP, sent["seq"] - 1) == []


async def test_events_the_bot_does_not_know_get_no_reply(zh: BotHarness) -> None:
    h = zh
    mark = await zmark(h, LAN["id"])
    await h.client.zalo_send(LAN["id"], LAN, "❤️", event_name="message.reaction.received")
    await h.client.zalo_send(
        LAN["id"], LAN, "https://zalo.me/g/abc", event_name="message.link.received"
    )
    await h.client.zalo_send(LAN["id"], LAN, voice=True)
    await h.client.zalo_send(LAN["id"], LAN, sticker=True)
    await h.client.zalo_send(LAN["id"], LAN, unsupported=True)
    [helped] = await zsay(h, LAN, "help")
    assert "baotin" in helped["text"]
    answers = await bot_messages(h, LAN["id"], mark)
    assert [m["text"] for m in answers] == [helped["text"]], "an unknown event was answered"


async def test_an_event_delivered_twice_is_handled_once_even_after_a_restart(
    zh: BotHarness,
) -> None:
    h = zh
    mark = await zmark(h, LAN["id"])
    sent = await h.client.zalo_send(LAN["id"], LAN, "help")
    await h.client.zalo_wait_for_bot(LAN["id"], after_seq=sent["seq"])
    await h.client.zalo_redeliver(sent["message_id"])
    await zsay(h, LAN, "kiemtra")  # answered after the redelivered one was looked at
    assert len(await bot_messages(h, LAN["id"], mark)) == 2, "the repeated 'help' was answered"
    # A new process (or another instance on the same database) skips it too.
    await h.restart()
    await h.client.zalo_redeliver(sent["message_id"])
    await zsay(h, LAN, "kiemtra")
    assert len(await bot_messages(h, LAN["id"], mark)) == 3


async def test_a_rejected_set_webhook_is_logged_each_time_with_its_reason_and_retried(
    sandbox: SandboxServer,
    client: SandboxClient,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    reason = "Bad request: webhook URL is not reachable"
    await client.zalo_fault("setWebhook", status=400, count=2, description=reason)
    h, port = webhook_bot(sandbox, client, database_url)
    caplog.set_level(logging.WARNING, logger="zalo.runtime")
    await h.start()
    try:
        bot = sandbox.state.zalo.bot_for(ZALO_TOKEN)
        for _ in range(100):
            if bot.webhook_url:
                break
            await asyncio.sleep(0.1)
        assert bot.webhook_url == f"https://127.0.0.1:{port}/zalo-hook"
        rejected = [r.getMessage() for r in caplog.records if r.name == "zalo.runtime"]
        assert len([m for m in rejected if reason in m]) == 2, rejected
        [answer] = await zsay(h, LAN, "help")
        assert "baotin" in answer["text"]
    finally:
        await h.stop()


async def test_webhook_mode_receives_updates_over_https_and_refuses_forged_ones(
    sandbox: SandboxServer, client: SandboxClient, database_url: str
) -> None:
    h, port = webhook_bot(sandbox, client, database_url)
    await h.start()
    try:
        [answer] = await zsay(h, LAN, "help")
        assert "baotin" in answer["text"]
        forged = {"ok": True, "result": {"event_name": "message.text.received", "message": {
            "message_id": "f1", "date": 1, "text": "help",
            "chat": {"id": LAN["id"], "chat_type": "PRIVATE"},
            "from": {"id": LAN["id"], "display_name": "x", "is_bot": False}}}}  # fmt: skip
        local = f"http://127.0.0.1:{port}/zalo-hook"  # behind the TLS terminator
        async with httpx.AsyncClient() as http:
            bad = await http.post(local, json=forged, headers={"X-Bot-Api-Secret-Token": "nope"})
            none = await http.post(local, json=forged)
        assert bad.status_code == 403 and none.status_code == 403
        before = len(await client.zalo_history(LAN["id"], from_bot=True))
        [again] = await zsay(h, LAN, "help")
        assert again["text"] == answer["text"]
        assert len(await client.zalo_history(LAN["id"], from_bot=True)) == before + 1
    finally:
        await h.stop()


def _anninh(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "ZALO_"))}
    keep.update(
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'a.db'}",
        ZALO_BOT_TOKEN="1:unit",
        ZALO_API_BASE_URL="http://127.0.0.1:9/zalo",  # nothing listens: never the real one
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True, text=True, env=keep, cwd=tmp_path, timeout=30,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("url", "secret", "named"),
    [
        ("http://bot.example.vn/zalo", "s3cret-token-zalo", "ZALO_WEBHOOK_URL"),
        ("https://bot.example.vn/zalo", "short", "ZALO_WEBHOOK_SECRET"),
        ("https://bot.example.vn/zalo", "x" * 257, "ZALO_WEBHOOK_SECRET"),
    ],
    ids=["an http url", "a 5-character secret", "a 257-character secret"],
)
def test_a_webhook_zalo_would_refuse_is_refused_at_start_in_one_line(
    tmp_path: Path, url: str, secret: str, named: str
) -> None:
    result = _anninh(tmp_path, "run", ZALO_WEBHOOK_URL=url, ZALO_WEBHOOK_SECRET=secret)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert named in result.stderr and secret not in result.stderr


def test_linking_a_zalo_group_says_groups_are_coming_soon_unless_enabled(
    tmp_path: Path,
) -> None:
    csv = tmp_path / "areas.csv"
    csv.write_text("code,name,kind,parent_code\nND,Tỉnh Nam Định,province,\n", encoding="utf-8")
    assert _anninh(tmp_path, "admin", "area", "import", str(csv)).returncode == 0
    chat = str(zalo_group_key(1))
    refused = _anninh(tmp_path, "admin", "link", "--chat", chat, "--area", "ND")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "ZALO_GROUPS_ENABLED" in refused.stderr
    assert t("zalo-group-coming-soon", "vi") in refused.stderr
    # Enabled: a group the bot was never mentioned in has no Zalo id to send to yet.
    unseen = _anninh(
        tmp_path, "admin", "link", "--chat", chat, "--area", "ND", ZALO_GROUPS_ENABLED="true"
    )
    assert unseen.returncode != 0 and t("zalo-group-unseen", "vi") in unseen.stderr
    assert _anninh(tmp_path, "admin", "chats").stdout.strip() == "(no chats yet)"
