"""Bot API faults on every method the tip submission uses (429 with retry_after, 500, 502,
timeouts beyond PTB's, dropped connections) and database outages (SQLite lock held past the
busy timeout; PostgreSQL behind a proxy that is cut): the tip is stored exactly once before
anyone is told, nothing is sent twice, the resident sees the tip in /tincuatoi, the bot keeps
going, and while the database is away users are told their tip was NOT stored."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.i18n import t
from tests.conftest import BACKEND
from tests.e2e.harness import BotHarness, buttons, user
from tests.e2e.test_tips import HUNG, POLICE_CHAT, seed
from tests.hardening.support import draft_ready, say_and_find, scalar, tips_of, wait_until

RESIDENT = user(1501, "Mai", "mai_nd")
BODY = "Có hai thanh niên lạ mặt đi xe máy không biển số, hay dừng trước nhà số 12."

# (status, extra fault options): what Telegram (or the network) can do to one call.
FAULTS: dict[str, dict[str, Any]] = {
    "429": {"status": 429, "retry_after": 1},
    "500": {"status": 500},
    "502": {"status": 502},
    "drop": {"drop": True},
    "timeout": {"delay_s": 6.5},  # PTB's read timeout is 5 s
}
METHODS = ["sendMessage", "answerCallbackQuery", "editMessageReplyMarkup", "getUpdates"]


async def _summary(h: BotHarness) -> dict[str, Any]:
    """A resident with a finished draft: /baotin → "continue" → the summary with Send."""
    await draft_ready(h, RESIDENT["id"], "ND-TN-01", BODY)
    [resume] = await h.say(RESIDENT, "/baotin")
    _, [summary] = await h.press(RESIDENT, resume, "tipf:resume", expect=1)
    assert ("✅ Gửi tin báo", "tipf:send") in buttons(summary)
    return summary


async def _copies(h: BotHarness, chat_id: int, needle: str) -> int:
    history = await h.client.history(chat_id)
    return sum(
        1
        for m in history
        if m["from"].get("is_bot") and needle in (m.get("text") or m.get("caption") or "")
    )


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("method", METHODS)
async def test_a_fault_while_submitting_never_loses_or_doubles_the_tip(
    harness: BotHarness, method: str, fault: str
) -> None:
    h = harness
    await seed(h)
    await h.say(HUNG, "/start")  # the officer's private chat exists (fallback route)
    summary = await _summary(h)

    await h.client.fault(method, count=1, **FAULTS[fault])
    await h.client.press_button(RESIDENT["id"], RESIDENT, summary["message_id"], "tipf:send")

    async def stored() -> bool:
        return await tips_of(h, RESIDENT["id"]) >= 1

    await wait_until(stored, timeout=30)
    # Updates are handled one at a time: once /start is answered, the press is finished.
    await say_and_find(h, RESIDENT, "/start", "Xin chào")
    assert (await h.client.stats())["calls"].get(method, 0) >= 1

    assert await tips_of(h, RESIDENT["id"]) == 1
    code = await scalar(h, "SELECT code FROM reports")
    confirmations = await _copies(h, RESIDENT["id"], f"Đã gửi tin báo {code}")
    assert confirmations <= 1
    if fault == "429":  # a refused call is safe to repeat, and is repeated after retry_after
        assert confirmations == 1

    async def police_told() -> bool:  # in the background, after the resident's answer
        return await _copies(h, POLICE_CHAT, code) + await _copies(h, HUNG["id"], code) >= 1

    await wait_until(police_told, timeout=30)
    await h.say(RESIDENT, "/help", timeout=30)  # and nothing more arrives after that
    in_chat = await _copies(h, POLICE_CHAT, code)
    to_officer = await _copies(h, HUNG["id"], code)
    assert in_chat <= 1 and to_officer <= 1

    # Pressing Send again (a re-delivered or impatient press) stores nothing new.
    await h.press(RESIDENT, summary, "tipf:send", timeout=10, forged=True)
    [mine] = await h.say(RESIDENT, "/tincuatoi")
    assert code in mine["text"]
    assert await tips_of(h, RESIDENT["id"]) == 1


@pytest.mark.parametrize("fault", ["429", "500", "drop"])
async def test_faults_on_every_call_of_a_whole_conversation_keep_the_bot_going(
    harness: BotHarness, fault: str
) -> None:
    """Every Bot API method fails once in turn (``*``): the conversation still completes."""
    h = harness
    await seed(h)
    summary = await _summary(h)
    await h.client.fault("*", count=3, **FAULTS[fault])
    await h.client.press_button(RESIDENT["id"], RESIDENT, summary["message_id"], "tipf:send")

    async def stored() -> bool:
        return await tips_of(h, RESIDENT["id"]) >= 1

    await wait_until(stored, timeout=30)
    await say_and_find(h, RESIDENT, "/start", "Xin chào")
    assert await tips_of(h, RESIDENT["id"]) == 1


# -- the database goes away -----------------------------------------------------------------
@contextlib.contextmanager
def sqlite_locked(path: str) -> Any:
    """Another process-like writer holds an exclusive lock until the block ends."""
    ready, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, timeout=1)
        conn.execute("BEGIN EXCLUSIVE")
        ready.set()
        release.wait(60)
        conn.rollback()
        conn.close()

    worker = threading.Thread(target=hold, daemon=True)
    worker.start()
    assert ready.wait(10)
    try:
        yield
    finally:
        release.set()
        worker.join(10)


class TcpProxy:
    """127.0.0.1:<port> → PostgreSQL; ``cut()`` closes every connection and refuses new ones
    (the server "goes away"), ``resume()`` listens again on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            with contextlib.suppress(Exception):
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for w in list(self._writers):
            w.close()
        self._writers.clear()
        await self._server.wait_closed()

    async def resume(self) -> None:
        await self.start()


async def _tell_unavailable(h: BotHarness) -> None:
    [sorry] = await h.say(RESIDENT, "/baotin", timeout=30)
    assert sorry["text"] == t("error-database-unavailable", "vi")


async def _works_again(h: BotHarness) -> None:
    async def answered() -> bool:
        [reply] = await h.say(RESIDENT, "/tincuatoi", timeout=30)
        return reply["text"] != t("error-database-unavailable", "vi")

    await wait_until(answered, timeout=40, interval=0.5)


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite file lock")
async def test_sqlite_locked_beyond_the_busy_timeout_tells_the_user_then_recovers(
    harness: BotHarness,
) -> None:
    h = harness
    await h.stop()
    await h.start(database_busy_timeout=0.3)
    await seed(h)
    summary = await _summary(h)
    path = make_url(h.database_url).database
    assert path
    with sqlite_locked(path):
        # WAL: readers are not blocked by a writer, so reading still works...
        [hello] = await h.say(RESIDENT, "/start", timeout=30)
        assert hello["text"].startswith("Xin chào")
        # ...but storing the tip cannot, and the resident is told so, not "sent".
        pressed = await h.client.press_button(
            RESIDENT["id"], RESIDENT, summary["message_id"], "tipf:send"
        )
        answer = await h.client.callback_answer(pressed["callback_query_id"], wait=30)
        assert answer is not None and answer["text"] == t("error-database-unavailable", "vi")[:190]
    assert await tips_of(h, RESIDENT["id"]) == 0  # told "not stored", and indeed not stored
    await _works_again(h)
    _, [done] = await h.press(RESIDENT, summary, "tipf:send", expect=1)
    assert "Đã gửi tin báo" in done["text"]
    assert await tips_of(h, RESIDENT["id"]) == 1


@pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL server outage")
async def test_postgres_going_away_tells_the_user_then_recovers(
    sandbox: Any, client: Any, database_url: str
) -> None:
    url = make_url(database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    h = BotHarness(sandbox, client, url.set(port=proxy.port).render_as_string(False))
    await h.start()
    try:
        await seed(h)
        summary = await _summary(h)
        await proxy.cut()
        await _tell_unavailable(h)
        pressed = await h.client.press_button(
            RESIDENT["id"], RESIDENT, summary["message_id"], "tipf:send"
        )
        answer = await h.client.callback_answer(pressed["callback_query_id"], wait=30)
        assert answer is not None and answer["text"] == t("error-database-unavailable", "vi")[:190]
        await proxy.resume()
        await _works_again(h)
        _, [done] = await h.press(RESIDENT, summary, "tipf:send", expect=1)
        assert "Đã gửi tin báo" in done["text"]
        assert await tips_of(h, RESIDENT["id"]) == 1
    finally:
        await h.stop()
        await proxy.cut()
