"""The OA sender against the sandbox speaking the OA API: texts cut at 2,000 characters,
"too fast" (-32) answered by pausing and trying again, the 7-day window falling back to
holding the message until the follower writes (whether our record or Zalo's answer says the
window is shut), and OA groups reached by their own keys."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from sandbox.server import SandboxServer
from services.channels import WINDOW_ERROR, ZALO, zalo_dm_key
from services.domain import SendBudget
from services.ports import DeliveryStatus, InlineButton, OutgoingMessage, Recipient
from tests.e2e.zalo_oa_env import OaEnv, eventually
from zalo_oa.sender import OA_LIMITS, OaSender

RESIDENT = "5002000000000000001"


@pytest.fixture
async def env(database_url: str) -> AsyncIterator[OaEnv]:
    async with SandboxServer(port=0) as server, httpx.AsyncClient(
        base_url=server.base_url, timeout=15
    ) as http:
        environment = OaEnv(server, database_url, http)
        yield environment
        await environment.stop()


async def _ready(env: OaEnv, watch: list[str] | None = None) -> tuple[OaSender, Recipient]:
    """The surface running, the resident following and just written; the sender and them.
    With ``watch``: each text sent and each choices stored is noted there, in order."""
    runtime = await env.start(await env.control("POST", "/tokens"))
    assert env.services is not None
    client, menus = runtime.client, env.services.zalo_chats
    if watch is not None:
        client, menus = _Watched(client, watch), _Watched(menus, watch)
    sender = OaSender(
        client,  # type: ignore[arg-type]
        env.oa.followers,
        env.oa.groups,
        env.oa.held,
        menus,
        SendBudget("zalo_oa:test", OA_LIMITS),
        too_fast_pause=0.05,
    )
    await env.control("POST", f"/users/{RESIDENT}/follow")
    await env.control("POST", f"/users/{RESIDENT}/messages", text="Xin chào")
    await eventually(lambda: env.oa.followers.can_answer(RESIDENT), what="window open")
    follower = await env.oa.followers.get(RESIDENT)
    assert follower is not None
    return sender, Recipient(zalo_dm_key(follower.user_id), "vi", ZALO)


class _Watched:
    """The OA client or the choices store, noting what the sender asks of it."""

    def __init__(self, inner: Any, notes: list[str]) -> None:
        self._inner, self._notes = inner, notes

    async def send_text(self, *args: Any) -> str:
        self._notes.append("sent")
        return str(await self._inner.send_text(*args))

    async def set_menu(self, chat_key: int, options: list[str]) -> None:
        self._notes.append(f"choices {options}")
        await self._inner.set_menu(chat_key, options)


async def _from_oa(env: OaEnv) -> list[dict]:
    messages = await env.control("GET", f"/users/{RESIDENT}/messages?from_oa=1")
    return list(messages)


async def test_a_long_text_goes_in_parts_of_at_most_2000_and_too_fast_is_paced(
    env: OaEnv,
) -> None:
    sender, to = await _ready(env)
    url = "https://lua-dao.example/" + "a" * 4500
    await env.control("POST", "/faults", endpoint="message/cs", error=-32, count=2)
    result = await sender.send(to, OutgoingMessage("zalo-open-link", {"url": url}))
    assert result.ok, result
    parts = [m["text"] for m in await _from_oa(env)]
    assert len(parts) == 3 and all(len(p) <= 2000 for p in parts)
    assert "".join(parts) == f"Mở đường link này: {url}"
    # Too fast every time: left for a later try, nothing sent.
    await env.control("POST", "/faults", endpoint="message/cs", error=-32, count=4)
    again = await sender.send(to, OutgoingMessage("zalo-open-link", {"url": "https://x.vn"}))
    assert again.status is DeliveryStatus.RETRY_LATER
    assert len(await _from_oa(env)) == 3


async def test_choices_are_stored_before_their_message_and_dropped_when_it_is_held(
    env: OaEnv,
) -> None:
    """A follower who answers "1" the moment the menu arrives is understood (the choices are
    known first); a menu held outside the window answers nothing until it is shown."""
    notes: list[str] = []
    sender, to = await _ready(env, notes)
    assert env.services is not None
    menu = OutgoingMessage(
        "zalo-help", buttons=((InlineButton("relay-button-answer", "relay:answer:9"),),)
    )
    assert (await sender.send(to, menu)).ok
    assert notes == ["choices ['relay:answer:9']", "sent"]
    assert await env.services.zalo_chats.choice(to.chat_id, 1) == "relay:answer:9"
    await env.control("POST", f"/users/{RESIDENT}/interaction", days_ago=8)
    result = await sender.send(to, menu)
    assert (result.status, result.error) == (DeliveryStatus.FAILED, WINDOW_ERROR)
    assert await env.services.zalo_chats.choice(to.chat_id, 1) is None


async def test_outside_the_window_the_message_is_held_and_sent_at_the_next_message(
    env: OaEnv,
) -> None:
    sender, to = await _ready(env)
    # Zalo says the window is shut (its record) although ours says open: held as well.
    await env.control("POST", f"/users/{RESIDENT}/interaction", days_ago=8)
    result = await sender.send(to, OutgoingMessage("zalo-open-link", {"url": "https://a.vn"}))
    assert (result.status, result.error) == (DeliveryStatus.FAILED, WINDOW_ERROR)
    assert await env.oa.held.count(RESIDENT) == 1 and await _from_oa(env) == []
    # Tried again while Zalo still says the window is shut: held again, not lost.
    assert await sender.deliver_held(RESIDENT, "vi", to.chat_id) == 0
    assert await env.oa.held.count(RESIDENT) == 1
    await env.control("POST", f"/users/{RESIDENT}/messages", text="Tôi đây")
    await eventually(lambda: env.oa.followers.can_answer(RESIDENT), what="window open again")
    assert await sender.deliver_held(RESIDENT, "vi", to.chat_id) == 1
    assert [m["text"] for m in await _from_oa(env)] == ["Mở đường link này: https://a.vn"]
    assert await env.oa.held.count(RESIDENT) == 0


async def test_an_oa_group_is_reached_by_its_key_and_an_unknown_person_is_not_found(
    env: OaEnv,
) -> None:
    sender, _to = await _ready(env)
    assert env.services is not None
    await env.services.areas.import_csv(
        "code,name,kind,parent_code\nND,Nam Định,province,\n"
        "ND-TN,Phường Thống Nhất,ward,ND\n"
    )
    group = await env.control("POST", "/groups", name="An ninh P. Thống Nhất", members=[])
    outcome = await env.oa.groups.link(None, group["id"], "ND-TN", title="An ninh")
    sent = await sender.send(
        Recipient(outcome.chat.telegram_chat_id, "vi", ZALO),
        OutgoingMessage("zalo-open-link", {"url": "https://canhbao.vn"}),
    )
    assert sent.ok
    messages = await env.control("GET", f"/groups/{group['id']}/messages")
    assert [m["text"] for m in messages] == ["Mở đường link này: https://canhbao.vn"]
    nobody = await sender.send(
        Recipient(zalo_dm_key(999_999), "vi", ZALO), OutgoingMessage("zalo-help", {})
    )
    assert nobody.status is DeliveryStatus.NOT_FOUND
