"""The console served by a real bot (the same process, as `anninh run` with WEB_PORT), with
the real Application talking to the sandbox and a real database; people sign in the way
officers do: /web in their private chat with the bot, then the link."""

from __future__ import annotations

import io
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from PIL import Image

from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.users import IncomingUser
from storage.dto_tips import AttachmentDTO
from storage.repositories.tips import TipRepository
from storage.uow import transaction
from tests.e2e.harness import BotHarness, user
from tests.hardening.support import draft_ready, user_db_id

AREAS = (
    "code,name,kind,parent_code\n"
    "ND,Nam Định,province,\n"
    "ND-TP,TP Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-TN-01,Tổ dân phố số 1,residential_group,ND-TN\n"
    "ND-HB,Phường Hạ Long,ward,ND-TP\n"
    "ND-HB-01,Tổ dân phố Hạ Long 1,residential_group,ND-HB\n"
)
PEOPLE = {
    "resident": user(1901, "Dân", "dan"),
    "moderator": user(1902, "Kiểm duyệt", "kd"),
    "police_other": user(1903, "CA Hạ Long", "ca_hl"),
    "police": user(1904, "CA Thống Nhất", "ca_tn"),
    "admin": user(1905, "Quản trị", "qt"),
}
GRANTS = {
    "moderator": ("moderator", "ND-TN"),
    "police_other": ("police", "ND-HB"),
    "police": ("police", "ND-TN"),
    "admin": ("admin", "ND"),
}
SECRET_REPORTER = user(1910, "Bí Mật", "bimat_9", last_name="Nguyễn Thị")
"""Sends an anonymous tip: this name must appear on no page."""
NAMED_REPORTER = user(1911, "Công Khai", "congkhai", last_name="Phạm")
def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(out, "JPEG")
    return out.getvalue()


GROUP_ID = -100901
UNREACHABLE_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"
LINK = re.compile(r"/login/[A-Za-z0-9_-]+")
PHOTO = _jpeg()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Console:
    h: BotHarness
    base: str
    ids: dict[str, Any]

    async def link_for(self, who: str) -> str:
        """The sign-in link the bot sends this person for /web in their private chat."""
        person = PEOPLE[who]
        [answer] = await self.h.say(person, "/web")
        return link_in(answer)

    async def signed_in(self, who: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(base_url=self.base, follow_redirects=False, timeout=20)
        await open_link(client, await self.link_for(who))
        return client


def link_in(message: dict[str, Any]) -> str:
    urls = [e.get("url", "") for e in message.get("entities", []) if e.get("type") == "text_link"]
    found = [u for u in urls if LINK.search(u)]
    assert found, f"no sign-in link in {message.get('text')!r}"
    return found[0]


def csrf_in(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def open_link(client: httpx.AsyncClient, link: str) -> httpx.Response:
    """Open the link, then press its sign-in button, as a browser would."""
    page = await client.get(link)
    assert page.status_code == 200, page.text[:500]
    return await client.post(link, data={"csrf": csrf_in(page.text)})


@pytest.fixture
async def console(database_url: str) -> AsyncIterator[Console]:
    port = free_port()
    async with SandboxServer(port=0) as server, SandboxClient(server.base_url) as client:
        h = BotHarness(server, client, database_url)
        await h.start(web_port=port, web_tile_url=UNREACHABLE_TILES)
        try:
            ids = await _setup(h)
            yield Console(h, f"http://127.0.0.1:{port}", ids)
        finally:
            await h.stop()


async def _setup(h: BotHarness) -> dict[str, Any]:
    await h.services.areas.import_csv(AREAS)
    for role, (grant, area) in GRANTS.items():
        await h.services.grants.grant(
            target_telegram_id=PEOPLE[role]["id"], role=grant, area_code=area
        )
    for person in [*PEOPLE.values(), SECRET_REPORTER, NAMED_REPORTER]:
        await h.services.users.identify(
            IncomingUser(person["id"], person["first_name"], person.get("last_name"),
                         person.get("username"))
        )  # fmt: skip
    secret = await draft_ready(h, SECRET_REPORTER["id"], "ND-TN-01", "Có kẻ lạ cạy cửa nhà số 7.")
    hidden = (await h.services.tips.submit(secret)).report
    named_id = await user_db_id(h, NAMED_REPORTER["id"])
    await draft_ready(
        h, NAMED_REPORTER["id"], "ND-TN-01", "=HYPERLINK(\"x\") đua xe đêm qua", anonymous=False
    )
    named = (await h.services.tips.submit(named_id)).report
    await draft_ready(h, SECRET_REPORTER["id"], "ND-HB-01", "Trộm chó ở Hạ Long.")
    other = (await h.services.tips.submit(secret)).report
    # A photo with the hidden tip: a real file of the Bot API server, fetched via getFile.
    sent = await h.client.send_message(
        SECRET_REPORTER["id"], SECRET_REPORTER, photo=PHOTO, caption="ảnh"
    )
    photo = sent["photo"][-1]
    async with transaction(h.services.sessions) as session:
        await TipRepository(session).add_attachments(
            hidden.id, [AttachmentDTO("photo", photo["file_id"], photo["file_unique_id"])]
        )
    return {"hidden": hidden, "named": named, "other": other, "photo": PHOTO}
