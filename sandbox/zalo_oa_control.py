"""The OA side's webhooks to the bot, and the control API that plays residents and the OA's
operator (for tests and, later, the demo page).

Webhooks: each event is POSTed to the configured URL with ``X-ZEvent-Signature: mac=<hex>``
over ``app_id + body + timestamp`` with the OA secret key — by default the plain SHA-256 of
the official SDK; ``"signature": "hmac-sha256"`` signs the other way. An answer other than
HTTP 200 within ``timeout`` (2 s) counts as failed and the *same* body is sent again after
``retry_delays`` (Zalo: +30 s, +5 min, ... for hours; tests make them short).
``lose_responses`` makes the next answers count as lost even when they were 200 — what
happens to Zalo when an answer is late or the connection drops after the bot stored the event.

Control API (JSON): ``GET /sandbox/zalo-oa/config`` (app id, OA id, app secret, OA secret
key); ``POST .../webhook`` ``{url, signature?, retry_delays?, timeout?, lose_responses?}``;
``POST .../tokens`` ``{access_ttl?}`` -> a fresh pair (the OA admin authorizing the app);
``POST .../tokens/expire``; ``POST .../users/{id}/follow`` ``{display_name?, source?}``,
``.../unfollow``; ``POST .../users/{id}/messages`` ``{text}`` or ``{image: base64}`` or
``{location: {latitude, longitude}}`` or ``{link: {url}}`` or ``{sticker: id}`` or
``{file: base64, name}``; ``GET .../users/{id}/messages`` (``after``/``wait``/``min``/
``from_oa``); ``GET .../users/{id}/tags``; ``POST .../users/{id}/interaction``
``{days_ago}``; ``POST .../events``
``{body, sign: "sha256"|"hmac-sha256"|"forged"|"none"}`` (a raw event); ``POST .../groups``
``{id?, name, members}``, ``GET .../groups/{id}/messages``; ``POST|DELETE .../faults``
``{endpoint, error, count}``; ``GET .../deliveries``; ``POST .../reset``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

import aiohttp
from aiohttp import web

from sandbox.params import HistoryQuery
from sandbox.zalo_oa_api import ENDPOINTS, JSON, OaGroup, OaWorld, endpoint

WORLD_KEY: web.AppKey[OaWorld] = web.AppKey("zalo_oa_world", OaWorld)
RETRY_DELAYS = (30.0, 300.0, 1800.0, 3600.0, 10800.0, 21600.0)
"""After the first failed delivery: +30 s, +5 min, then longer, as Zalo does."""


@dataclass
class Delivery:
    id: int
    body: bytes
    signature: str | None
    event_name: str
    statuses: list[int | str] = field(default_factory=list)
    delivered: bool = False


@dataclass
class Webhook:
    url: str | None = None
    signature: str = "sha256"
    retry_delays: tuple[float, ...] = RETRY_DELAYS
    timeout: float = 2.0
    lose_responses: int = 0
    deliveries: list[Delivery] = field(default_factory=list)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)


def sign(scheme: str, app_id: str, body: bytes, timestamp: str, key: str) -> str:
    signed = app_id.encode() + body + timestamp.encode()
    if scheme == "hmac-sha256":
        return "mac=" + hmac.new(key.encode(), signed, hashlib.sha256).hexdigest()
    return "mac=" + hashlib.sha256(signed + key.encode()).hexdigest()


def _hook(request: web.Request) -> Webhook:
    return request.app[HOOK_KEY]


HOOK_KEY: web.AppKey[Webhook] = web.AppKey("zalo_oa_webhook", Webhook)


async def _deliver(world: OaWorld, hook: Webhook, delivery: Delivery) -> None:
    headers = {"Content-Type": "application/json"}
    if delivery.signature is not None:
        headers["X-ZEvent-Signature"] = delivery.signature
    timeout = aiohttp.ClientTimeout(total=hook.timeout)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        for delay in (0.0, *hook.retry_delays):
            await asyncio.sleep(delay)
            if not hook.url:
                return
            status: int | str
            try:
                async with http.post(hook.url, data=delivery.body, headers=headers) as resp:
                    status = resp.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                status = type(exc).__name__
            if status == 200 and hook.lose_responses > 0:
                hook.lose_responses -= 1
                status = "lost"
            delivery.statuses.append(status)
            world.state.notify()
            if status == 200:
                delivery.delivered = True
                return


def push(world: OaWorld, hook: Webhook, body: JSON, sign_as: str | None = None) -> Delivery:
    """Send an event to the bot (in the background, retried like Zalo)."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    scheme = sign_as or hook.signature
    timestamp = str(body.get("timestamp", ""))
    signature: str | None = None
    if scheme in ("sha256", "hmac-sha256"):
        signature = sign(scheme, world.app_id, raw, timestamp, world.secret_key)
    elif scheme == "forged":
        signature = sign("sha256", world.app_id, raw, timestamp, "not-the-oa-secret-key")
    delivery = Delivery(len(hook.deliveries) + 1, raw, signature, str(body.get("event_name")))
    hook.deliveries.append(delivery)
    task = asyncio.get_running_loop().create_task(_deliver(world, hook, delivery))
    hook.tasks.add(task)
    task.add_done_callback(hook.tasks.discard)
    return delivery


def _event(world: OaWorld, name: str, user_id: str, **extra: Any) -> JSON:
    return {
        "app_id": world.app_id,
        "user_id_by_app": f"9{user_id}",
        "event_name": name,
        "timestamp": str(int(time.time() * 1000)),
        **extra,
    }


async def _body(request: web.Request) -> JSON:
    try:
        body = json.loads(await request.text() or "{}")
    except ValueError:
        raise web.HTTPBadRequest(text="body is not JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="body is not an object")
    return body


def _decode(value: Any) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise web.HTTPBadRequest(text="not valid base64") from None


def _message_attachments(request: web.Request, body: JSON) -> tuple[str, list[JSON], str]:
    """The event name, attachments and text of a resident's message."""
    world = request.app[WORLD_KEY]
    base = f"{request.url.origin()}/sandbox/zalo-oa/media"
    if body.get("image"):
        name = secrets.token_hex(8)
        world.uploads[name] = _decode(body["image"])
        url = f"{base}/{name}"
        return "user_send_image", [{"type": "image", "payload": {"url": url,
                                                                  "thumbnail": url}}], ""
    if isinstance(body.get("location"), dict):
        place = body["location"]
        coordinates = {"latitude": str(place.get("latitude")),
                       "longitude": str(place.get("longitude"))}
        return ("user_send_location", [{"type": "location",
                                        "payload": {"coordinates": coordinates}}],
                str(place.get("name") or ""))
    if isinstance(body.get("link"), dict):
        link = body["link"]
        return "user_send_link", [{"type": "link", "payload": {
            "url": link.get("url"), "description": link.get("title", "")}}], ""
    if body.get("sticker"):
        return "user_send_sticker", [{"type": "sticker", "payload": {
            "id": str(body["sticker"]), "url": f"{base}/sticker"}}], ""
    if body.get("file"):
        name = secrets.token_hex(8)
        data = _decode(body["file"])
        world.uploads[name] = data
        return "user_send_file", [{"type": "file", "payload": {
            "url": f"{base}/{name}", "name": str(body.get("name") or "file"),
            "size": str(len(data)), "type": str(body.get("type") or "pdf")}}], ""
    if str(body.get("text") or "").strip():
        return "user_send_text", [], str(body["text"])
    raise web.HTTPBadRequest(text="the message has no content")


# -- control handlers -----------------------------------------------------------------------
async def get_config(request: web.Request) -> web.StreamResponse:
    world = request.app[WORLD_KEY]
    return web.json_response({"app_id": world.app_id, "oa_id": world.oa_id,
                              "app_secret": world.app_secret, "secret_key": world.secret_key})


async def post_webhook(request: web.Request) -> web.StreamResponse:
    hook, body = _hook(request), await _body(request)
    if "url" in body:
        hook.url = str(body["url"]) or None
    if body.get("signature") in ("sha256", "hmac-sha256"):
        hook.signature = str(body["signature"])
    if isinstance(body.get("retry_delays"), list):
        hook.retry_delays = tuple(float(d) for d in body["retry_delays"])
    if "timeout" in body:
        hook.timeout = float(body["timeout"])
    if "lose_responses" in body:
        hook.lose_responses = int(body["lose_responses"])
    return web.json_response({"ok": True, "url": hook.url, "signature": hook.signature})


async def post_tokens(request: web.Request) -> web.StreamResponse:
    body = await _body(request)
    ttl = body.get("access_ttl")
    return web.json_response(request.app[WORLD_KEY].issue_pair(
        float(ttl) if ttl is not None else None))


async def expire_tokens(request: web.Request) -> web.StreamResponse:
    request.app[WORLD_KEY].expire_access_tokens()
    return web.json_response({"ok": True})


def follow_handler(following: bool) -> Any:
    async def handle(request: web.Request) -> web.StreamResponse:
        world, body = request.app[WORLD_KEY], await _body(request)
        user = world.user(request.match_info["user_id"], body.get("display_name"))
        user.following = following
        extra: JSON = {"oa_id": world.oa_id, "follower": {"id": user.id}}
        if following and body.get("source"):
            extra["source"] = str(body["source"])
        event = _event(world, "follow" if following else "unfollow", user.id, **extra)
        delivery = push(world, _hook(request), event)
        world.changed("follow" if following else "unfollow", user.id)
        return web.json_response({"event": event, "delivery": delivery.id})

    return handle


async def post_user_message(request: web.Request) -> web.StreamResponse:
    """A resident writes to the OA: the window opens again, the bot gets the event. The web
    page hears of it (and of the OA's messages) as a ``message`` event with ``platform``
    ``zalo_oa``, ``chat`` the user id and the stored entry (its ``seq``)."""
    world, body = request.app[WORLD_KEY], await _body(request)
    user = world.user(request.match_info["user_id"], body.get("display_name"))
    name, attachments, text = _message_attachments(request, body)
    message: JSON = {"msg_id": secrets.token_hex(10), "text": text or str(body.get("text") or "")}
    if attachments:
        message["attachments"] = attachments
    user.last_interaction = time.time()
    user.messages.append({"message_id": message["msg_id"], "from_oa": False, "event": name,
                          **message, "seq": len(user.messages) + 1})
    event = _event(world, name, user.id, sender={"id": user.id},
                   recipient={"id": world.oa_id}, message=message)
    delivery = push(world, _hook(request), event)
    world.changed("message", user.id, message=user.messages[-1])
    return web.json_response({"event": event, "delivery": delivery.id})


async def post_interaction(request: web.Request) -> web.StreamResponse:
    world, body = request.app[WORLD_KEY], await _body(request)
    user = world.user(request.match_info["user_id"])
    user.last_interaction = time.time() - float(body.get("days_ago", 0)) * 86400
    return web.json_response({"ok": True, "last_interaction": user.last_interaction})


async def get_user_tags(request: web.Request) -> web.StreamResponse:
    """The OA's labels on a follower, sorted."""
    user = request.app[WORLD_KEY].users.get(request.match_info["user_id"])
    return web.json_response(sorted(user.tags) if user is not None else [])


async def get_user_messages(request: web.Request) -> web.StreamResponse:
    world = request.app[WORLD_KEY]
    user_id = request.match_info["user_id"]
    return await _history(request, lambda: world.users[user_id].messages
                          if user_id in world.users else [])


async def get_group_messages(request: web.Request) -> web.StreamResponse:
    world = request.app[WORLD_KEY]
    group_id = request.match_info["group_id"]
    return await _history(request, lambda: world.groups[group_id].messages
                          if group_id in world.groups else [])


async def _history(request: web.Request, entries: Any) -> web.StreamResponse:
    q = HistoryQuery.of(request, "from_oa")

    def matching() -> list[JSON]:
        return [m for m in entries()[max(q.after, 0):] if not q.own_only or m.get("from_oa")]

    await q.long_poll(request.app[WORLD_KEY].state, matching)
    return web.json_response(matching())


async def post_event(request: web.Request) -> web.StreamResponse:
    """A raw event, signed as asked (``forged``: with the wrong key; ``none``: unsigned)."""
    world, body = request.app[WORLD_KEY], await _body(request)
    event = body.get("body")
    if not isinstance(event, dict):
        raise web.HTTPBadRequest(text='"body" must be an event object')
    delivery = push(world, _hook(request), event, str(body.get("sign") or "") or None)
    return web.json_response({"delivery": delivery.id})


async def post_group(request: web.Request) -> web.StreamResponse:
    world, body = request.app[WORLD_KEY], await _body(request)
    group_id = str(body.get("id") or secrets.token_hex(10))
    members = [str(m) for m in body.get("members") or []]
    world.groups[group_id] = OaGroup(group_id, str(body.get("name") or group_id), members)
    return web.json_response({"id": group_id, "name": world.groups[group_id].name})


async def post_fault(request: web.Request) -> web.StreamResponse:
    world, body = request.app[WORLD_KEY], await _body(request)
    name = str(body.get("endpoint") or "*")
    if name not in (*ENDPOINTS, "*"):
        raise web.HTTPBadRequest(text=f"endpoint must be one of {ENDPOINTS} or *")
    world.faults.setdefault(name, []).extend([int(body["error"])] * int(body.get("count", 1)))
    return web.json_response({"ok": True})


async def delete_faults(request: web.Request) -> web.StreamResponse:
    request.app[WORLD_KEY].faults.clear()
    return web.json_response({"ok": True})


async def get_deliveries(request: web.Request) -> web.StreamResponse:
    return web.json_response([
        {"id": d.id, "event_name": d.event_name, "statuses": d.statuses,
         "delivered": d.delivered, "body": json.loads(d.body)}
        for d in _hook(request).deliveries
    ])


async def get_media(request: web.Request) -> web.StreamResponse:
    data = request.app[WORLD_KEY].uploads.get(request.match_info["name"])
    if data is None:
        raise web.HTTPNotFound()
    return web.Response(body=data, content_type="application/octet-stream")


async def post_reset(request: web.Request) -> web.StreamResponse:
    await _close(request.app)
    request.app[WORLD_KEY].clear()
    hook = request.app[HOOK_KEY]
    for spec in fields(Webhook):
        if spec.name != "tasks":
            fresh = spec.default_factory() if spec.default_factory is not MISSING else spec.default
            setattr(hook, spec.name, fresh)
    return web.json_response({"ok": True})


async def _close(app: web.Application) -> None:
    tasks = list(app[HOOK_KEY].tasks)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def install(app: web.Application, state: Any) -> None:
    """Serve the OA API, its OAuth server and this control API on the sandbox app."""
    app[WORLD_KEY] = OaWorld(state)
    app[HOOK_KEY] = Webhook()
    app.on_shutdown.append(_close)
    r = app.router
    api = "/zalo-oa/openapi"
    r.add_post(f"{api}/v3.0/oa/message/cs", endpoint(WORLD_KEY, "message/cs"))
    r.add_post(f"{api}/v3.0/oa/group/message", endpoint(WORLD_KEY, "group/message"))
    r.add_post(f"{api}/v2.0/oa/upload/image", endpoint(WORLD_KEY, "upload/image"))
    for tagging in ("tag/tagfollower", "tag/rmfollowerfromtag"):
        r.add_post(f"{api}/v2.0/oa/{tagging}", endpoint(WORLD_KEY, tagging))
    r.add_post("/zalo-oa/oauth/v4/oa/access_token", endpoint(WORLD_KEY, "access_token"))
    base = "/sandbox/zalo-oa"
    r.add_get(f"{base}/config", get_config)
    r.add_post(f"{base}/webhook", post_webhook)
    r.add_post(f"{base}/tokens", post_tokens)
    r.add_post(f"{base}/tokens/expire", expire_tokens)
    r.add_post(f"{base}/users/{{user_id}}/follow", follow_handler(True))
    r.add_post(f"{base}/users/{{user_id}}/unfollow", follow_handler(False))
    r.add_post(f"{base}/users/{{user_id}}/messages", post_user_message)
    r.add_get(f"{base}/users/{{user_id}}/messages", get_user_messages)
    r.add_post(f"{base}/users/{{user_id}}/interaction", post_interaction)
    r.add_get(f"{base}/users/{{user_id}}/tags", get_user_tags)
    r.add_post(f"{base}/events", post_event)
    r.add_post(f"{base}/groups", post_group)
    r.add_get(f"{base}/groups/{{group_id}}/messages", get_group_messages)
    r.add_post(f"{base}/faults", post_fault)
    r.add_delete(f"{base}/faults", delete_faults)
    r.add_get(f"{base}/deliveries", get_deliveries)
    r.add_get(f"{base}/media/{{name}}", get_media)
    r.add_post(f"{base}/reset", post_reset)
