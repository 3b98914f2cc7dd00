"""The Zalo Bot API, served from memory beside the Telegram one.

Shapes and refusals follow the Zalo Bot Platform's published docs (bot.zaloplatforms.com/docs,
read through verbatim copies: lamdt1/ckvn-bot ``docs/zalo-bot-doc.md`` @f307749 and the mirror
notes quoted below). What the docs say, this server does; what they leave open is marked
"unconfirmed" and chosen so that a bot cannot get more out of it than out of the real server.

* envelopes ``{"ok": true, "result": ...}`` / ``{"ok": false, "error_code", "description"}``
  with the documented meanings (400 bad request, 401 unauthorized, **403 "Internal server
  error"**, 404 not found, 408 request timeout, 429 quota exceeded) [docs: error-code];
* ids are strings (users, chats, messages); ``date`` is in milliseconds [docs: webhook sample];
* an update is ``{"event_name", "message": {"message_id", "date", "chat": {"id", "chat_type":
  "PRIVATE" | "GROUP"}, "from": {"id", "display_name", "is_bot"}, ...}}``; the documented
  events are ``message.text.received``, ``message.image.received`` (``photo`` URL +
  ``caption``), ``message.sticker.received``, ``message.voice.received`` (``voice_url``) and
  ``message.unsupported.received`` (what protected accounts send instead of their content)
  [docs: webhook]. The control API can also emit any other event name (reactions, links:
  seen by clients, not documented) so the bot is tested against events it does not know;
* getUpdates takes only ``timeout`` (no offset, nothing to acknowledge) and returns ONE update;
  when none came within ``timeout`` it answers ``ok: false, error_code: 408``; it refuses while a
  webhook is set [docs: getUpdates]. The docs advise webhooks in production;
* setWebhook refuses a URL that is not HTTPS and a ``secret_token`` outside 8-256 characters
  [docs: setWebhook]; it pushes each update as ``{"ok": true, "result": update}`` with the
  ``X-Bot-Api-Secret-Token`` header [docs: webhook]. An ``https://`` URL on a loopback host is
  delivered over plain HTTP: this stands in for the TLS-terminating proxy in front of a bot;
* getMe answers ``id, account_name, account_type, can_join_groups`` [docs: getMe] and
  ``display_name`` (unconfirmed: not in the docs' sample, returned as clients report it). Bot
  names must start with "Bot " [docs: create-bot]; this bot is "Bot An Ninh";
* groups (``chat_type`` GROUP) are "coming soon" / an internal beta on the platform [docs:
  webhook, build-bot-interaction-with-group]; a bot admitted to the beta sees only messages that
  mention it ("@" + its display name, picked from Zalo's mention list) or reply to it;
* a user who blocked the bot: the docs document no error for it (unconfirmed); a send to them is
  refused with the documented 403 "Internal server error", which a bot cannot tell apart from an
  outage, so it must not conclude "blocked" from it;
* no inline keyboards, no edits, no moderation.

The control API (users writing, history, blocking, faults, redelivery) is in
``sandbox/zalo_control.py``. Photos are served at ``/zalo/files/<name>``.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from aiohttp import web

log = logging.getLogger(__name__)
JSON = dict[str, Any]
MAX_TEXT = 2000
MAX_POLL_TIMEOUT = 50.0
BOT_DISPLAY_NAME = "Bot An Ninh"
"""What residents see and pick in the "@" list; the docs require the "Bot " prefix."""
DOCUMENTED_ERRORS = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Internal server error",
    404: "Not found",
    408: "Request timeout",
    429: "Quota exceeded",
}
"""The docs' error table (bot.zaloplatforms.com/docs/error-code/): 403 is NOT "forbidden"."""


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
    display_name: str = BOT_DISPLAY_NAME

    @property
    def name(self) -> str:
        """The account name (``bot.<something>`` in the docs' sample), not what users type."""
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
        self.faults: dict[str, list[tuple[int, str]]] = {}
        """method (lower case, or "*") -> (error code, description) to answer with, one per
        call."""
        self.delivered: dict[str, JSON] = {}
        """message_id -> the update made of it, so a test can have it delivered again."""

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
        message = update.get("message")
        if isinstance(message, dict) and message.get("message_id"):
            self.delivered[str(message["message_id"])] = update
        bot.updates.append(update)
        self._notify()


def new_message_id() -> str:
    return secrets.token_hex(10)


def now_ms() -> int:
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
                    raise ZaloError(*queue.pop(0))
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
        "display_name": bot.display_name,
    }


async def get_updates(state: Any, world: ZaloWorld, bot: ZaloBot, params: JSON, req: Any) -> Any:
    if bot.webhook_url:
        raise ZaloError(400, "Bad request: webhook is active, delete it before getUpdates")
    # The docs list ``timeout`` only: an ``offset`` is ignored, an update handed out is gone.
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
    if not url.startswith("https://") or not urlsplit(url).hostname:
        raise ZaloError(400, "Bad request: url must be an https URL")
    if not 8 <= len(secret) <= 256:
        raise ZaloError(400, "Bad request: secret_token must have 8 to 256 characters")
    bot.webhook_url, bot.webhook_secret, bot.webhook_updated = url, secret, now_ms()
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
    bot.webhook_updated = now_ms()
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
        raise ZaloError(403, DOCUMENTED_ERRORS[403])  # unconfirmed: see the module docstring
    return chat


def _bot_message(bot: ZaloBot, chat: ZaloChat, fields: JSON) -> JSON:
    return {
        "message_id": new_message_id(),
        "date": now_ms(),
        "chat": {"id": chat.id, "chat_type": chat.type},
        "from": {"id": bot.id, "display_name": bot.display_name, "is_bot": True},
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


def _reachable(url: str) -> str:
    """Where the push goes: an ``https://`` loopback URL is served over plain HTTP, as the
    TLS-terminating proxy in front of a real bot would pass it on."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname in ("127.0.0.1", "localhost", "::1"):
        return urlunsplit(("http", *parts[1:]))
    return url


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
                    _reachable(bot.webhook_url),
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
