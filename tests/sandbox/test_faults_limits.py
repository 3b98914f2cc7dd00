"""Fault injection and Telegram-like flood limits, seen through PTB."""

from __future__ import annotations

import datetime as dtm
import time

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut

from sandbox.client import SandboxClient
from tests.sandbox.conftest import GROUP_ID, LAN

pytestmark = [
    pytest.mark.asyncio,
    # PTB 22 warns that retry_after will become a timedelta; _seconds handles both.
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


def _seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def test_fault_429_raises_retry_after(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    await client.fault("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(LAN["id"], "x")
    assert _seconds(caught.value.retry_after) == 7
    assert (await bot.send_message(LAN["id"], "ok")).text == "ok"  # count=1 consumed
    stats = await client.stats()
    assert stats["429_served"] == 1
    assert stats["errors"]["sendMessage"] == {"429": 1}


async def test_fault_500_count_and_clear(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    await client.fault("sendMessage", status=500, count=5)
    with pytest.raises(NetworkError):
        await bot.send_message(LAN["id"], "x")
    await client.clear_faults()
    assert (await bot.send_message(LAN["id"], "ok")).text == "ok"


async def test_fault_delay_then_success(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    await client.fault("sendMessage", delay_s=0.3)
    started = time.monotonic()
    await bot.send_message(LAN["id"], "slow")
    assert time.monotonic() - started >= 0.3


async def test_fault_drop_closes_connection(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    await client.fault("sendMessage", drop=True)
    with pytest.raises((NetworkError, TimedOut)):
        await bot.send_message(LAN["id"], "lost")
    assert (await bot.send_message(LAN["id"], "ok")).text == "ok"


async def test_group_burst_hits_flood_limit(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(GROUP_ID, LAN, "hi", chat_type="supergroup", chat_title="Tổ 5")
    await client.limits(True, group_per_min=20)
    for i in range(20):
        await bot.send_message(GROUP_ID, f"tin {i}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(GROUP_ID, "one too many")
    assert 1 <= _seconds(caught.value.retry_after) <= 60
    await client.limits(False)
    await bot.send_message(GROUP_ID, "limits off")
    stats = await client.stats()
    assert stats["429_served"] == 1
    assert stats["messages_per_chat"][str(GROUP_ID)] == 22


async def test_private_chat_limit_one_per_second(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    await client.limits(True)
    await bot.send_message(LAN["id"], "a")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(LAN["id"], "b")
    assert _seconds(caught.value.retry_after) == 1


async def test_a_fault_on_a_share_of_the_calls_hits_every_nth(
    bot: Bot, client: SandboxClient
) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    await client.fault("sendMessage", status=502, count=2, every=3)
    outcomes = []
    for i in range(8):
        try:
            await bot.send_message(LAN["id"], f"tin {i}")
            outcomes.append("ok")
        except NetworkError:
            outcomes.append("502")
    assert outcomes == ["ok", "ok", "502", "ok", "ok", "502", "ok", "ok"]
