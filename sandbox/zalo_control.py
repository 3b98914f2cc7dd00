"""The sandbox's control API for its Zalo side (sandbox/zalo_api.py): users writing, history,
blocking, injected faults and delivering an update again.

Same paths as Telegram's, with ``"platform": "zalo"`` in the body or ``?platform=zalo`` in the
query: ``POST /sandbox/chats/{id}/messages`` (a user writes: ``from`` {id, display_name},
``chat`` {type: PRIVATE|GROUP, title}, and one of ``text``, ``photo`` (base64) + ``caption``,
``sticker``, ``voice``, ``unsupported`` / ``location``, or ``event_name`` for an event the docs
do not list (``message.reaction.received``...); ``mention`` marks a group message as a reply to
the bot), ``GET /sandbox/chats/{id}/messages`` (history with ``after``/``wait``/``min``/
``from_bot``; entries carry a dense ``seq``). Zalo only: ``POST /sandbox/zalo/users/{id}/block``
and ``/unblock``, ``POST /sandbox/zalo/faults`` ({method, status, count, description}) and
``POST /sandbox/zalo/redeliver`` ({message_id}: the update made of that message is handed out
again, as a retried webhook push or a second poller would see it).
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from typing import Any

from aiohttp import web

from sandbox.params import HistoryQuery
from sandbox.zalo_api import (
    DOCUMENTED_ERRORS,
    JSON,
    ZaloBot,
    ZaloWorld,
    new_message_id,
    now_ms,
)

_DOCUMENTED_EVENTS = {
    "text": "message.text.received",
    "image": "message.image.received",
    "sticker": "message.sticker.received",
    "voice": "message.voice.received",
    "unsupported": "message.unsupported.received",
}


def _mentions(bot: ZaloBot, message: JSON, replies_to_bot: bool) -> bool:
    """In a group the bot gets a message only when it is picked from the "@" list (the text
    then holds "@" + its display name) or when the message replies to the bot [docs:
    build-bot-interaction-with-group]. Its account name or a nickname does not count."""
    text = str(message.get("text") or message.get("caption") or "")
    return replies_to_bot or f"@{bot.display_name}".casefold() in text.casefold()


def _content(world: ZaloWorld, request: web.Request, body: JSON, message: JSON) -> str | None:
    """Fill ``message`` with what the user sent; the event name, or None when nothing was."""
    event = str(body.get("event_name") or "")
    if body.get("photo"):
        data = base64.b64decode(str(body["photo"]), validate=True)
        name = f"{secrets.token_hex(8)}.jpg"
        world.photos[name] = data
        url = f"{request.url.origin()}/zalo/files/{name}"
        message.update(photo_url=url, photo=url)
        if body.get("caption") or body.get("text"):
            message["caption"] = str(body.get("caption") or body.get("text"))
        return event or _DOCUMENTED_EVENTS["image"]
    if body.get("sticker"):
        message["sticker"] = "0e078a2fb66a5f34067b"
        message["url"] = "https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=1"
        return event or _DOCUMENTED_EVENTS["sticker"]
    if body.get("voice"):
        message["voice_url"] = f"{request.url.origin()}/zalo/files/{secrets.token_hex(8)}.aac"
        return event or _DOCUMENTED_EVENTS["voice"]
    if body.get("text"):
        message["text"] = str(body["text"])
        return event or _DOCUMENTED_EVENTS["text"]
    if body.get("unsupported") or body.get("location"):
        return event or _DOCUMENTED_EVENTS["unsupported"]
    return event or None


async def post_user_message(state: Any, request: web.Request, body: JSON) -> web.StreamResponse:
    """A Zalo user writes (text, a photo with caption, a sticker, a voice message...)."""
    world: ZaloWorld = state.zalo
    chat_id = request.match_info["chat_id"]
    sender = body.get("from")
    if not isinstance(sender, dict) or not sender.get("id"):
        return web.json_response(
            {"ok": False, "error": 'a "from" user with an "id" is required'}, status=400
        )
    user = {
        "id": str(sender["id"]),
        "display_name": str(
            sender.get("display_name") or sender.get("first_name") or f"Zalo {sender['id']}"
        ),
        "is_bot": False,
    }
    info = body.get("chat") if isinstance(body.get("chat"), dict) else {}
    chat_type = str(info.get("type") or body.get("chat_type") or "PRIVATE").upper()
    if chat_type not in ("PRIVATE", "GROUP"):
        chat_type = "GROUP" if chat_type in ("SUPERGROUP",) else "PRIVATE"
    if chat_type == "PRIVATE" and chat_id != user["id"]:
        return web.json_response(
            {"ok": False, "error": "a private chat's id must equal the user's id"}, status=400
        )
    message: JSON = {
        "message_id": new_message_id(),
        "date": now_ms(),
        "chat": {"id": chat_id, "chat_type": chat_type},
        "from": user,
    }
    try:
        event = _content(world, request, body, message)
    except (binascii.Error, ValueError):
        return web.json_response({"ok": False, "error": "photo is not valid base64"}, status=400)
    if event is None:
        return web.json_response({"ok": False, "error": "the message has no content"}, status=400)
    world.users[user["id"]] = user
    chat = world.chat(chat_id, chat_type, info.get("title") or body.get("title"))
    stored = world.add(chat, message, False)
    for bot in world.bots.values():
        if chat.type == "PRIVATE" or _mentions(bot, message, bool(body.get("mention"))):
            world.enqueue(bot, {"event_name": event, "message": message})
    return web.json_response(stored)


async def history(state: Any, request: web.Request) -> web.StreamResponse:
    world: ZaloWorld = state.zalo
    chat_id = request.match_info["chat_id"]
    q = HistoryQuery.of(request)

    def matching() -> list[JSON]:
        chat = world.chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages[max(q.after, 0) :] if not q.own_only or m["from_bot"]]

    if not await q.long_poll(state, matching) and chat_id not in world.chats:
        return web.json_response({"ok": False, "error": f"chat {chat_id} not found"}, status=404)
    return web.json_response(matching())


def block_handler(state_key: Any, blocked: bool) -> Any:
    async def handle(request: web.Request) -> web.StreamResponse:
        world: ZaloWorld = request.app[state_key].zalo
        user_id = request.match_info["user_id"]
        (world.blocked.add if blocked else world.blocked.discard)(user_id)
        return web.json_response({"ok": True})

    return handle


async def post_fault(request: web.Request, state_key: Any) -> web.StreamResponse:
    """The next ``count`` calls of ``method`` fail with ``status``; the description is the
    docs' meaning of that code unless one is given."""
    body = json.loads(await request.text() or "{}")
    world: ZaloWorld = request.app[state_key].zalo
    method = str(body.get("method") or "*").lower()
    code = int(body.get("status", 500))
    description = str(body.get("description") or DOCUMENTED_ERRORS.get(code, "Injected fault"))
    world.faults.setdefault(method, []).extend([(code, description)] * int(body.get("count", 1)))
    return web.json_response({"ok": True})


async def post_redeliver(request: web.Request, state_key: Any) -> web.StreamResponse:
    """Hand the update made of ``message_id`` out again (to every bot)."""
    body = json.loads(await request.text() or "{}")
    world: ZaloWorld = request.app[state_key].zalo
    update = world.delivered.get(str(body.get("message_id") or ""))
    if update is None:
        return web.json_response({"ok": False, "error": "no such delivered message"}, status=404)
    for bot in world.bots.values():
        world.enqueue(bot, update)
    return web.json_response({"ok": True})
