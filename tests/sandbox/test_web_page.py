"""The web chat's server side: the page and its files, the personas list, chats per member."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from PIL import Image

from sandbox.client import SandboxClient, SandboxError
from sandbox.server import SandboxServer
from tests.sandbox.conftest import GROUP_ID, LAN, MINH

pytestmark = pytest.mark.asyncio


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "JPEG")
    return out.getvalue()


HUNG = {"id": 2001, "name": "Trần Hùng", "username": "csqk_tn", "title": "Cảnh sát khu vực",
        "role": "police"}  # fmt: skip


async def test_the_page_and_its_files_are_served_without_a_build_step(
    server: SandboxServer,
) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        page = await http.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<html lang="vi">' in page.text and "/static/app.js" in page.text
        script = await http.get("/static/app.js")
        assert script.status_code == 200 and "EventSource" in script.text
        assert "javascript" in script.headers["content-type"]
        style = await http.get("/static/style.css")
        assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
        for bad in ("/static/..%2Fserver.py", "/static/nope.js", "/static/%2e%2e%2fstate.py"):
            assert (await http.get(bad)).status_code == 404, bad


async def test_personas_are_replaced_listed_and_announced(client: SandboxClient) -> None:
    assert await client.personas() == []
    stored = await client.set_personas([
        {"id": 1001, "first_name": "Lan", "last_name": "Nguyễn", "username": "lan",
         "title": "Người dân tổ 1"},
        HUNG,
    ])  # fmt: skip
    assert [p["id"] for p in stored] == [1001, 2001]
    lan, hung = await client.personas()
    assert lan["name"] == "Nguyễn Lan" and lan["platform"] == "telegram"
    assert lan["language_code"] == "vi" and "role" not in lan
    assert hung == {**HUNG, "first_name": "Trần Hùng", "language_code": "vi",
                    "platform": "telegram"}  # fmt: skip
    await client.reset()  # page configuration, not world state: it survives a reset
    assert [p["id"] for p in await client.personas()] == [1001, 2001]
    await client.set_personas([HUNG])
    assert [p["id"] for p in await client.personas()] == [2001]


async def test_a_persona_hint_keeps_its_lines_and_is_bounded(client: SandboxClient) -> None:
    hint = "👋 Thử vai khác: Trần Hùng\n🔍 /kiemtra 0389 123 456"
    [lan] = await client.set_personas([{"id": 1001, "name": "Nguyễn Lan", "hint": hint}])
    assert lan["hint"] == hint
    [long] = await client.set_personas([{"id": 1001, "hint": "x" * 5000}])
    assert len(long["hint"]) == 600
    [plain] = await client.set_personas([{"id": 1001, "hint": ""}])
    assert "hint" not in plain


async def test_the_page_loads_its_navigation_script(server: SandboxServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        page = await http.get("/")
        script = await http.get("/static/navigation.js")
    assert page.text.index("/static/navigation.js") < page.text.index("/static/app.js")
    assert script.status_code == 200 and "botLinkStart" in script.text


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"id": "abc"}, "integer id"),
        ({"name": "Không có id"}, "integer id"),
        ({"id": -5}, "positive"),
        ({"id": 1, "platform": "fax"}, "platform"),
        ("Lan", "object"),
    ],
)
async def test_bad_personas_are_refused_with_a_reason(
    client: SandboxClient, body: object, error: str
) -> None:
    with pytest.raises(SandboxError) as caught:
        await client.set_personas([body])  # type: ignore[list-item]
    assert caught.value.status == 400 and error in caught.value.body["error"]
    assert await client.personas() == []


async def test_duplicate_ids_and_non_lists_are_refused(server: SandboxServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        dup = await http.put("/sandbox/personas", json=[{"id": 1}, {"id": 1}])
        assert dup.status_code == 400 and "unique" in dup.json()["error"]
        wrapped = await http.put("/sandbox/personas", json={"personas": [{"id": 7}]})
        assert wrapped.status_code == 200 and wrapped.json()[0]["id"] == 7
        odd = await http.put("/sandbox/personas", json={"id": 7})
        assert odd.status_code == 400
        broken = await http.put(
            "/sandbox/personas", content=b"[{", headers={"Content-Type": "application/json"}
        )
        assert broken.status_code == 400


async def test_chats_can_be_listed_for_one_member(client: SandboxClient) -> None:
    await client.members(GROUP_ID, joined=[LAN, MINH], title="An ninh TDP 1")
    await client.members(-100600, joined=[MINH], title="Tổ công tác")
    await client.send_message(LAN["id"], LAN, "/start")
    lan = {c["id"] for c in await client.chats(member=LAN["id"])}
    minh = {c["id"] for c in await client.chats(member=MINH["id"])}
    assert lan == {LAN["id"], GROUP_ID}
    assert minh == {GROUP_ID, -100600}
    await client.members(GROUP_ID, left=[LAN])
    assert {c["id"] for c in await client.chats(member=LAN["id"])} == {LAN["id"]}
    assert len(await client.chats()) == 3
    with pytest.raises(SandboxError):
        await client._call("GET", "/sandbox/chats", params={"member": "x"})


async def test_a_photo_uploaded_as_multipart_form_is_a_photo(server: SandboxServer) -> None:
    """What the page does when a persona sends a picture from disk."""
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        resp = await http.post(
            f"/sandbox/chats/{LAN['id']}/messages",
            data={"from": json.dumps(LAN), "chat": json.dumps({"type": "private"}),
                  "caption": "Xe lạ"},
            files={"photo": ("xe.jpg", jpeg(), "image/jpeg")},
        )  # fmt: skip
        assert resp.status_code == 200, resp.text
        message = resp.json()
        assert message["caption"] == "Xe lạ" and message["photo"][-1]["width"] == 64
        image = await http.get(f"/sandbox/files/{message['photo'][-1]['file_id']}")
        assert image.content == jpeg() and image.headers["content-type"] == "image/jpeg"
