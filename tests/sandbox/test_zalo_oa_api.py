"""The sandbox speaking the Zalo OA API: envelopes, tokens, uploads and media, buttons,
signed webhooks and Zalo's retries."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from sandbox.server import SandboxServer
from zalo_oa import signature
from zalo_oa.signature import Scheme

USER = "5001234567890123456"
JSON = dict[str, Any]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
async def http(server: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
        yield client


async def _control(http: httpx.AsyncClient, path: str, **body: Any) -> Any:
    resp = await http.post(f"/sandbox/zalo-oa{path}", json=body)
    resp.raise_for_status()
    return resp.json()


async def _cs(http: httpx.AsyncClient, token: str, message: JSON, user: str = USER) -> JSON:
    resp = await http.post(
        "/zalo-oa/openapi/v3.0/oa/message/cs",
        headers={"access_token": token},
        json={"recipient": {"user_id": user}, "message": message},
    )
    assert resp.status_code == 200  # the envelope, not HTTP, says what happened
    result: JSON = resp.json()
    return result


async def test_cs_messages_need_a_live_token_an_interaction_and_at_most_2000_characters(
    http: httpx.AsyncClient,
) -> None:
    pair = await _control(http, "/tokens")
    token = pair["access_token"]
    assert (await _cs(http, "nope", {"text": "x"}))["error"] == -216
    assert (await _cs(http, token, {"text": "x"}))["error"] == -213
    await _control(http, f"/users/{USER}/follow")
    assert (await _cs(http, token, {"text": "x"}))["error"] == -232  # follows, never wrote
    await _control(http, f"/users/{USER}/messages", text="xin chào")
    sent = await _cs(http, token, {"text": "Đã nhận"})
    assert sent["error"] == 0 and sent["data"]["message_id"]
    assert (await _cs(http, token, {"text": "x" * 2001}))["error"] == -210
    assert (await _cs(http, token, {"text": "  "}))["error"] == -201
    await _control(http, f"/users/{USER}/interaction", days_ago=8)
    assert (await _cs(http, token, {"text": "x"}))["error"] == -230
    await _control(http, "/tokens/expire")
    assert (await _cs(http, token, {"text": "x"}))["error"] == -216
    history = (await http.get(f"/sandbox/zalo-oa/users/{USER}/messages",
                              params={"from_oa": 1})).json()
    assert [m["text"] for m in history] == ["Đã nhận"]


async def test_an_uploaded_image_goes_out_in_a_media_template_and_buttons_are_capped(
    http: httpx.AsyncClient,
) -> None:
    token = (await _control(http, "/tokens"))["access_token"]
    await _control(http, f"/users/{USER}/follow")
    await _control(http, f"/users/{USER}/messages", text="ảnh đây")
    upload = (await http.post(
        "/zalo-oa/openapi/v2.0/oa/upload/image", headers={"access_token": token},
        files={"file": ("p.png", PNG, "image/png")},
    )).json()
    attachment_id = upload["data"]["attachment_id"]
    media = {"attachment": {"type": "template", "payload": {
        "template_type": "media",
        "elements": [{"media_type": "image", "attachment_id": attachment_id}]}}}
    assert (await _cs(http, token, media))["error"] == 0
    unknown = {"attachment": {"type": "template", "payload": {
        "template_type": "media", "elements": [{"media_type": "image", "attachment_id": "x"}]}}}
    assert (await _cs(http, token, unknown))["error"] == -201
    too_big = await http.post(
        "/zalo-oa/openapi/v2.0/oa/upload/image", headers={"access_token": token},
        files={"file": ("p.png", b"0" * (1024 * 1024 + 1), "image/png")},
    )
    assert too_big.json()["error"] == -210

    def buttons(n: int) -> JSON:
        return {"text": "Chọn", "attachment": {"type": "template", "payload": {"buttons": [
            {"title": str(i), "type": "oa.query.hide", "payload": str(i)} for i in range(n)]}}}

    assert (await _cs(http, token, buttons(5)))["error"] == 0
    assert (await _cs(http, token, buttons(6)))["error"] == -201


async def test_refresh_tokens_work_once_and_need_the_app_secret(http: httpx.AsyncClient) -> None:
    config = (await http.get("/sandbox/zalo-oa/config")).json()
    pair = await _control(http, "/tokens")

    async def refresh(token: str, secret: str = config["app_secret"]) -> JSON:
        resp = await http.post(
            "/zalo-oa/oauth/v4/oa/access_token", headers={"secret_key": secret},
            data={"refresh_token": token, "app_id": config["app_id"],
                  "grant_type": "refresh_token"},
        )
        result: JSON = resp.json()
        return result

    assert (await refresh(pair["refresh_token"], "wrong"))["error"] == -14002
    fresh = await refresh(pair["refresh_token"])
    assert fresh["access_token"] and fresh["expires_in"] == "90000"
    assert (await refresh(pair["refresh_token"]))["error"] == -14014
    await _control(http, "/faults", endpoint="access_token", error=-14020)
    assert (await refresh(fresh["refresh_token"]))["error"] == -14020
    assert (await refresh(fresh["refresh_token"]))["access_token"]


async def test_webhooks_are_signed_retried_with_the_same_body_and_given_up_on(
    http: httpx.AsyncClient,
) -> None:
    config = (await http.get("/sandbox/zalo-oa/config")).json()
    seen: list[tuple[bytes, str]] = []
    answers = [500, 200]

    async def receive(request: web.Request) -> web.Response:
        seen.append((await request.read(), request.headers.get(signature.HEADER, "")))
        return web.Response(status=answers.pop(0) if answers else 503)

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await _control(http, "/webhook", url=f"http://127.0.0.1:{port}/hook",
                       retry_delays=[0.1, 0.1], signature="hmac-sha256")
        await _control(http, f"/users/{USER}/messages", location={"latitude": 20.43,
                                                                  "longitude": 106.17})
        for _ in range(100):
            deliveries = (await http.get("/sandbox/zalo-oa/deliveries")).json()
            if deliveries[0]["delivered"]:
                break
            await asyncio.sleep(0.05)
        assert deliveries[0]["statuses"] == [500, 200]
        assert seen[0] == seen[1]  # the same bytes, the same signature
        body, mac = seen[0]
        assert signature.verify(Scheme.HMAC_SHA256, mac, body, config["app_id"],
                                config["secret_key"])
        assert not signature.verify(Scheme.SHA256, mac, body, config["app_id"],
                                    config["secret_key"])
        await _control(http, "/events", body={"event_name": "follow", "timestamp": "1"},
                       sign="none")
        for _ in range(100):
            deliveries = (await http.get("/sandbox/zalo-oa/deliveries")).json()
            if len(deliveries[1]["statuses"]) == 3:
                break
            await asyncio.sleep(0.05)
        assert deliveries[1]["statuses"] == [503, 503, 503]  # then Zalo gives up
        assert not deliveries[1]["delivered"] and seen[-1][1] == ""
    finally:
        await runner.cleanup()
