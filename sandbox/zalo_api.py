"""The Zalo Bot API, served from memory beside the Telegram one.

Shapes follow the Zalo Bot Platform (``https://bot-api.zaloplatforms.com/bot<token>/<method>``)
as python-zalo-bot and the platform docs describe them:

* envelopes ``{"ok": true, "result": ...}`` / ``{"ok": false, "error_code", "description"}``;
* ids are strings (users, chats, messages); ``date`` is in milliseconds;
* an update is ``{"event_name": "message.text.received" | "message.image.received" |
  "message.sticker.received" | "message.unsupported.received", "message": {"message_id",
  "date", "chat": {"id", "chat_type": "PRIVATE" | "GROUP"}, "from": {"id", "display_name",
  "is_bot"}, "text" | "photo_url" + "photo" + "caption" | "sticker"}}``;
* getUpdates long-polls and returns ONE update; when none came within ``timeout`` it answers
  ``ok: false, error_code: 408``; setWebhook pushes each update as ``{"ok": true, "result":
  update}`` with the ``X-Bot-Api-Secret-Token`` header;
* no inline keyboards, no edits, no moderation; in groups the bot only sees messages that
  mention it (``@<bot name>``), as on Zalo.

Control API (same paths as Telegram's, with ``"platform": "zalo"`` in the body or
``?platform=zalo`` in the query): ``POST /sandbox/chats/{id}/messages`` (a user writes:
``from`` {id, display_name}, ``chat`` {type: PRIVATE|GROUP, title}, ``text`` or ``photo``
(base64) + ``caption`` or ``sticker``), ``GET /sandbox/chats/{id}/messages`` (history with
``after``/``wait``/``min``/``from_bot``; entries carry a dense ``seq``), and
``POST /sandbox/zalo/users/{id}/block|unblock``. Photos are served at ``/zalo/files/<name>``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import collections
import contextlib
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

log = logging.getLogger(__name__)
JSON = dict[str, Any]
MAX_TEXT = 2000
MAX_POLL_TIMEOUT = 50.0


class ZaloError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class ZaloBot:
    token: str
    id: str
    updates: collections.deque[JSON] = field(default_factory=collections.deque)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_task: asyncio.Task[None] | None = None
    webhook_updated: int = 0

    @property
    def name(self) -> str:
        return f"bot.anninh{self.id[-4:]}"


@dataclass
class ZaloChat:
    id: str
    type: str  # PRIVATE | GROUP
    title: str | None = None
    messages: list[JSON] = field(default_factory=list)


class ZaloWorld:
    """Bots, chats, photos and blocked users of the Zalo side of the sandbox."""

    def __init__(self, notify: Any, publish: Any) -> None:
        self._notify = notify
        self._publish = publish
        self.bots: dict[str, ZaloBot] = {}
        self.chats: dict[str, ZaloChat] = {}
        self.photos: dict[str, bytes] = {}
        self.blocked: set[str] = set()
        self.users: dict[str, JSON] = {}
        self.calls: collections.Counter[str] = collections.Counter()
        self.faults: dict[str, list[int]] = {}
        """method (lower case, or "*") -> error codes to answer with, one per call."""

    def close(self) -> None:
        for bot in self.bots.values():
            if bot.webhook_task is not None:
                bot.webhook_task.cancel()

    def bot_for(self, token: str) -> ZaloBot:
        bot = self.bots.get(token)
        if bot is None:
            bot = ZaloBot(token=token, id=token.split(":", 1)[0])
            self.bots[token] = bot
        return bot

    def chat(self, chat_id: str, chat_type: str = "PRIVATE", title: str | None = None) -> ZaloChat:
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = ZaloChat(chat_id, chat_type, title)
            self.chats[chat_id] = chat
        elif title:
            chat.title = title
        return chat

    def add(self, chat: ZaloChat, message: JSON, from_bot: bool) -> JSON:
        stored = {**message, "seq": len(chat.messages) + 1, "from_bot": from_bot}
        chat.messages.append(stored)
        self._publish("message", chat.id, platform="zalo", message=stored)
        return stored

    def enqueue(self, bot: ZaloBot, update: JSON) -> None:
        bot.updates.append(update)
        self._notify()


def _message_id() -> str:
    return secrets.token_hex(10)


def _now_ms() -> int:
    return int(time.time() * 1000)


# -- Bot API -------------------------------------------------------------------------------
def _envelope_error(exc: ZaloError) -> web.Response:
    status = exc.code if exc.code in (400, 401, 403, 404, 429) else 200
    return web.json_response(
        {"ok": False, "error_code": exc.code, "description": exc.description}, status=status
    )


async def _params(request: web.Request) -> JSON:
    values: JSON = dict(request.query)
    if request.can_read_body:
        ctype = request.content_type
        if ctype == "application/json":
            with contextlib.suppress(ValueError):
                body = await request.json()
                if isinstance(body, dict):
                    values.update(body)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            values.update({k: v for k, v in form.items() if isinstance(v, str)})
    return values


def handler(state_key: Any) -> Any:
    async def handle(request: web.Request) -> web.StreamResponse:
        token, method = request.match_info["token"], request.match_info["method"]
        world: ZaloWorld = request.app[state_key].zalo
        if ":" not in token or not token.split(":", 1)[0].isdigit():
            return _envelope_error(ZaloError(401, "Unauthorized"))
        func = METHODS.get(method)
        if func is None:
            return _envelope_error(ZaloError(404, "Not found"))
        bot = world.bot_for(token)
        world.calls[method] += 1
        try:
            for key in (method.lower(), "*"):
                queue = world.faults.get(key)
                if queue:
                    code = queue.pop(0)
                    raise ZaloError(code, "Quota exceeded" if code == 429 else "Injected fault")
            params = await _params(request)
            result = await func(request.app[state_key], world, bot, params, request)
        except ZaloError as exc:
            return _envelope_error(exc)
        return web.json_response({"ok": True, "result": result})

    return handle


async def get_me(state: Any, world: ZaloWorld, bot: ZaloBot, params: JSON, req: Any) -> JSON:
    return {
        "id": bot.id,
        "account_name": bot.name,
        "account_type": "BASIC",
        "can_join_groups": True,
        "display_name": "Anninh Sandbox Zalo Bot",
    }


async def get_updates(state: Any, world: ZaloWorld, bot: ZaloBot, params: JSON, req: Any) -> Any:
    if bot.webhook_url:
        raise ZaloError(400, "Bad request: webhook is active, delete it before getUpdates")
    try:
        timeout = min(float(params.get("timeout") or 0), MAX_POLL_TIMEOUT)
    except (TypeError, ValueError):
        raise ZaloError(400, "Bad request: timeout must be a number") from None
    if timeout > 0:
        await state.wait_until(lambda: bool(bot.updates) or bool(bot.webhook_url), timeout)
    if not bot.updates:
        raise ZaloError(408, "Request timeout")
    return bot.updates.popleft()


async def set_webhook(state: Any, world: ZaloWorld, bot: ZaloBot, params: JSON, req: Any) -> JSON:
    url = str(params.get("url") or "")
    secret = str(params.get("secret_token") or "")
    if not url.startswith(("http://", "https://")):
        raise ZaloError(400, "Bad request: url must be an https URL")
    if not 8 <= len(secret) <= 256:
        raise ZaloError(400, "Bad request: secret_token must have 8 to 256 characters")
    bot.webhook_url, bot.webhook_secret, bot.webhook_updated = url, secret, _now_ms()
    if bot.webhook_task is None or bot.webhook_task.done():
        bot.webhook_task = asyncio.get_running_loop().create_task(_push(state, bot))
    state.notify()
    return {"url": url, "updated_at": bot.webhook_updated}


async def delete_webhook(
    state: Any, world: ZaloWorld, bot: ZaloBot, params: JSON, req: Any
) -> JSON:
    if bot.webhook_task is not None:
        bot.webhook_task.cancel()
        bot.webhook_task = None
    bot.webhook_url = bot.webhook_secret = None
    bot.webhook_updated = _now_ms()
    state.notify()
    return {"url": "", "updated_at": bot.webhook_updated}


async def get_webhook_info(
    state: Any, world: ZaloWorld, bot: ZaloBot, params: JSON, req: Any
) -> JSON:
    return {"url": bot.webhook_url or "", "updated_at": bot.webhook_updated}


def _target(world: ZaloWorld, params: JSON) -> ZaloChat:
    chat_id = str(params.get("chat_id") or "")
    chat = world.chats.get(chat_id)
    if chat is None:
        raise ZaloError(400, "Bad request: chat not found")
    if chat.type == "PRIVATE" and chat_id in world.blocked:
        raise ZaloError(403, "Forbidden: the user blocked the bot")
    return chat


def _bot_message(bot: ZaloBot, chat: ZaloChat, fields: JSON) -> JSON:
    return {
        "message_id": _message_id(),
        "date": _now_ms(),
        "chat": {"id": chat.id, "chat_type": chat.type},
        "from": {"id": bot.id, "display_name": "Anninh", "is_bot": True},
        **fields,
    }


def _check_text(value: Any, name: str, required: bool) -> str:
    text = "" if value is None else str(value)
    if required and not text.strip():
        raise ZaloError(400, f"Bad request: {name} is empty")
    if len(text) > MAX_TEXT:
        raise ZaloError(400, f"Bad request: {name} is longer than {MAX_TEXT} characters")
    return text


async def send_message(state: Any, world: ZaloWorld, bot: ZaloBot, params: JSON, req: Any) -> JSON:
    chat = _target(world, params)
    text = _check_text(params.get("text"), "text", True)
    stored = world.add(chat, _bot_message(bot, chat, {"text": text}), True)
    return {"message_id": stored["message_id"], "date": stored["date"]}


async def send_photo(state: Any, world: ZaloWorld, bot: ZaloBot, params: JSON, req: Any) -> JSON:
    chat = _target(world, params)
    photo = str(params.get("photo") or "")
    if not photo.startswith(("http://", "https://")):
        raise ZaloError(400, "Bad request: photo must be an image URL")
    fields: JSON = {"photo_url": photo, "photo": photo}
    caption = _check_text(params.get("caption"), "caption", False)
    if caption:
        fields["caption"] = caption
    stored = world.add(chat, _bot_message(bot, chat, fields), True)
    return {"message_id": stored["message_id"], "date": stored["date"]}


async def send_sticker(state: Any, world: ZaloWorld, bot: ZaloBot, params: JSON, req: Any) -> JSON:
    chat = _target(world, params)
    sticker = str(params.get("sticker") or params.get("sticker_id") or "")
    if not sticker:
        raise ZaloError(400, "Bad request: sticker is required")
    stored = world.add(chat, _bot_message(bot, chat, {"sticker": sticker}), True)
    return {"message_id": stored["message_id"], "date": stored["date"]}


async def send_chat_action(
    state: Any, world: ZaloWorld, bot: ZaloBot, params: JSON, req: Any
) -> bool:
    _target(world, params)
    return True


METHODS = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendSticker": send_sticker,
    "sendChatAction": send_chat_action,
}


async def _push(state: Any, bot: ZaloBot) -> None:
    """Webhook delivery: in order, retried with backoff while the receiver fails."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        delay = 0.2
        while bot.webhook_url:
            await state.wait_until(lambda: bool(bot.updates) or not bot.webhook_url, None)
            if not bot.webhook_url or state.closing:
                return
            update = bot.updates[0]
            try:
                async with http.post(
                    bot.webhook_url,
                    json={"ok": True, "result": update},
                    headers={"X-Bot-Api-Secret-Token": bot.webhook_secret or ""},
                ) as resp:
                    ok = 200 <= resp.status < 300
            except (aiohttp.ClientError, TimeoutError):
                ok = False
            if ok:
                if bot.updates and bot.updates[0] is update:
                    bot.updates.popleft()
                delay = 0.2
            else:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)


async def serve_photo(request: web.Request, state_key: Any) -> web.StreamResponse:
    data = request.app[state_key].zalo.photos.get(request.match_info["name"])
    if data is None:
        raise web.HTTPNotFound()
    return web.Response(body=data, content_type="image/jpeg")


# -- control API -----------------------------------------------------------------------------
def _mentions(bot: ZaloBot, message: JSON, explicit: bool) -> bool:
    text = str(message.get("text") or message.get("caption") or "")
    return explicit or f"@{bot.name}".lower() in text.lower() or "@anninh" in text.lower()


async def post_user_message(state: Any, request: web.Request, body: JSON) -> web.StreamResponse:
    """A Zalo user writes (text, a photo with caption, or a sticker)."""
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
    world.users[user["id"]] = user
    chat = world.chat(chat_id, chat_type, info.get("title") or body.get("title"))
    message: JSON = {
        "message_id": _message_id(),
        "date": _now_ms(),
        "chat": {"id": chat.id, "chat_type": chat.type},
        "from": user,
    }
    event = "message.text.received"
    if body.get("photo"):
        try:
            data = base64.b64decode(str(body["photo"]), validate=True)
        except (binascii.Error, ValueError):
            return web.json_response(
                {"ok": False, "error": "photo is not valid base64"}, status=400
            )
        name = f"{secrets.token_hex(8)}.jpg"
        world.photos[name] = data
        url = f"{request.url.origin()}/zalo/files/{name}"
        message.update(photo_url=url, photo=url)
        if body.get("caption") or body.get("text"):
            message["caption"] = str(body.get("caption") or body.get("text"))
        event = "message.image.received"
    elif body.get("sticker"):
        message["sticker"] = "0e078a2fb66a5f34067b"
        event = "message.sticker.received"
    elif body.get("text"):
        message["text"] = str(body["text"])
    elif body.get("unsupported") or body.get("location"):
        event = "message.unsupported.received"
    else:
        return web.json_response({"ok": False, "error": "the message has no content"}, status=400)
    stored = world.add(chat, message, False)
    for bot in world.bots.values():
        if chat.type == "PRIVATE" or _mentions(bot, message, bool(body.get("mention"))):
            world.enqueue(bot, {"event_name": event, "message": message})
    return web.json_response(stored)


async def history(state: Any, request: web.Request) -> web.StreamResponse:
    world: ZaloWorld = state.zalo
    chat_id = request.match_info["chat_id"]
    query = request.query
    after = int(query.get("after", "0") or 0)
    from_bot = query.get("from_bot", "") in ("1", "true", "yes")
    minimum = int(query.get("min", "1") or 1)
    wait = min(float(query.get("wait", "0") or 0), 60.0)

    def matching() -> list[JSON]:
        chat = world.chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages[max(after, 0) :] if not from_bot or m["from_bot"]]

    if wait > 0:
        await state.wait_until(lambda: len(matching()) >= minimum, wait)
    elif chat_id not in world.chats:
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
    body = json.loads(await request.text() or "{}")
    world: ZaloWorld = request.app[state_key].zalo
    method = str(body.get("method") or "*").lower()
    world.faults.setdefault(method, []).extend(
        [int(body.get("status", 500))] * int(body.get("count", 1))
    )
    return web.json_response({"ok": True})
