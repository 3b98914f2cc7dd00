"""Control API, part 1: actions of simulated human users."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sandbox import zalo_control
from sandbox.botapi import STATE_KEY
from sandbox.errors import ApiError
from sandbox.files import media_json
from sandbox.members import change_member, members_changed, set_admins, set_blocked
from sandbox.models import JSON, Chat, Member
from sandbox.params import Params, Upload
from sandbox.state import SandboxState, now_ts
from sandbox.textutil import auto_entities

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
USER_FILE_KINDS = ("photo", "document", "video", "voice", "audio", "animation")


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def control(handler: Handler) -> Handler:
    """Turn ControlError/ApiError/bad input into ``{"ok": false, "error": ...}``."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except ControlError as exc:
            return web.json_response({"ok": False, "error": str(exc)}, status=exc.status)
        except ApiError as exc:
            return web.json_response({"ok": False, "error": exc.description}, status=exc.status)
        except (KeyError, ValueError, TypeError) as exc:
            return web.json_response({"ok": False, "error": f"bad request: {exc!r}"}, status=400)

    return wrapped


def state_of(request: web.Request) -> SandboxState:
    return request.app[STATE_KEY]


def int_arg(request: web.Request, name: str) -> int:
    try:
        return int(request.match_info[name])
    except ValueError:
        raise ControlError(400, f"{name} must be an integer") from None


def _user(state: SandboxState, params: Params) -> JSON:
    raw = params.json("from")
    if not isinstance(raw, dict) or "id" not in raw:
        raise ControlError(400, 'a "from" user object with an "id" is required')
    return state.remember_user(raw)


def _chat_for_user(state: SandboxState, chat_id: int, params: Params, user: JSON) -> Chat:
    info = params.json("chat") or {}
    chat_type = info.get("type") or params.get_str("chat_type")
    if (chat_type == "private" or (chat_type is None and chat_id > 0)) and chat_id != user["id"]:
        raise ControlError(400, "a private chat's id must equal the user's id")
    title = info.get("title") or params.get_str("title")
    chat = state.ensure_chat(chat_id, chat_type, title, user)
    if chat.is_group:
        status = chat.member_status(user["id"])
        if status == "kicked":
            raise ControlError(403, "the user is banned in this chat")
        member = chat.members.get(user["id"])
        if status == "restricted" and member and not (member.permissions or {}).get(
            "can_send_messages", False
        ):
            raise ControlError(403, "the user is restricted in this chat")
        if status == "left":  # writing implies membership; no join noise for convenience
            chat.members[user["id"]] = Member(user, "member")
    return chat


def _file_bytes(params: Params, name: str) -> Upload | None:
    if name in params.uploads:
        return params.uploads[name]
    raw = params.raw(name)
    if not raw:
        return None
    if not isinstance(raw, str):
        raise ControlError(400, f"{name} must be base64 text or an uploaded file")
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ControlError(400, f"{name} is not valid base64") from None
    return Upload(data, params.get_str("file_name"), params.get_str("mime_type"))


def _message_fields(state: SandboxState, chat: Chat, params: Params) -> JSON:
    fields: JSON = {}
    for key, entities_key in (("text", "entities"), ("caption", "caption_entities")):
        value = params.get_str(key)
        if value:
            fields[key] = value
            found = auto_entities(value)
            if found:
                fields[entities_key] = found
    for kind in USER_FILE_KINDS:
        upload = _file_bytes(params, kind)
        if upload is None:
            continue
        name = upload.filename or params.get_str("file_name")
        if kind == "photo":
            files = state.files.add_photo(upload.data, name)
        else:
            mime = upload.content_type or params.get_str("mime_type")
            files = [state.files.add(upload.data, kind, name, mime)]
        fields[kind] = media_json(kind, files)
    location = params.json("location")
    if isinstance(location, dict):
        fields["location"] = {
            "latitude": float(location["latitude"]), "longitude": float(location["longitude"]),
        }
    if params.raw("sticker"):
        fields["sticker"] = media_json("sticker", [state.files.add(b"RIFF", "sticker")])
    contact = params.json("contact")
    if contact:
        if not isinstance(contact, dict):
            contact = {"phone_number": str(contact), "first_name": "Contact"}
        fields["contact"] = contact
    media = [k for k in fields if k not in ("text", "entities", "caption", "caption_entities")]
    if "text" in fields and media:
        raise ControlError(400, "text cannot be combined with media; use caption")
    if not fields:
        raise ControlError(400, "the message has no content")
    reply_id = params.get_int("reply_to_message_id")
    if reply_id:
        target = chat.messages.get(reply_id)
        if target is None or target.deleted:
            raise ControlError(400, "message to be replied not found")
        fields["reply_to_message"] = {k: v for k, v in target.data.items()
                                      if k != "reply_to_message"}
    if params.get_str("media_group_id"):
        fields["media_group_id"] = params.get_str("media_group_id")
    return fields


@control
async def post_message(request: web.Request) -> web.StreamResponse:
    state = state_of(request)
    params = await Params.from_request(request)
    if params.get_str("platform") == "zalo":
        body = {**params.values, "from": params.json("from"), "chat": params.json("chat")}
        if "photo" in params.uploads:
            body["photo"] = base64.b64encode(params.uploads["photo"].data).decode("ascii")
        return await zalo_control.post_user_message(state, request, body)
    user = _user(state, params)
    chat = _chat_for_user(state, int_arg(request, "chat_id"), params, user)
    fields = _message_fields(state, chat, params)
    stored = state.add_message(chat, user, fields)
    state.broadcast(chat, "message", stored.data)
    return web.json_response(stored.data)


async def _user_in_chat(request: web.Request) -> tuple[SandboxState, Params, JSON, Chat]:
    """A user's action on a message of a known chat: the state, the request's parameters,
    the user (``from``) and the chat."""
    state = state_of(request)
    params = await Params.from_request(request)
    return state, params, _user(state, params), state.get_chat(int_arg(request, "chat_id"))


@control
async def edit_message(request: web.Request) -> web.StreamResponse:
    state, params, user, chat = await _user_in_chat(request)
    stored = chat.messages.get(int_arg(request, "message_id"))
    if stored is None or stored.deleted:
        raise ControlError(404, "message not found")
    if stored.data.get("from", {}).get("id") != user["id"]:
        raise ControlError(403, "users can only edit their own messages")
    key = "text" if "text" in stored.data else "caption"
    value = params.get_str("text") or params.get_str("caption")
    if not value:
        raise ControlError(400, "text is required")
    stored.data[key] = value
    entities = auto_entities(value)
    ekey = "entities" if key == "text" else "caption_entities"
    if entities:
        stored.data[ekey] = entities
    else:
        stored.data.pop(ekey, None)
    stored.data["edit_date"] = now_ts()
    state.broadcast(chat, "edited_message", stored.data)
    state.publish("edited", chat.id, message=stored.history_view())
    return web.json_response(stored.data)


def _has_button(markup: JSON | None, data: str) -> bool:
    rows: list[list[Any]] = (markup or {}).get("inline_keyboard") or []
    return any(b.get("callback_data") == data for row in rows for b in row)


@control
async def press_button(request: web.Request) -> web.StreamResponse:
    state, params, user, chat = await _user_in_chat(request)
    message_id = params.get_int("message_id") or 0
    stored = chat.messages.get(message_id)
    if stored is None or stored.deleted or stored.sender_bot is None:
        raise ControlError(400, f"no bot message {message_id} in chat {chat.id}")
    data = params.get_str("data") or ""
    # Real clients can forge callback_data; `forged: true` lets tests do the same.
    if not params.get_bool("forged") and not _has_button(stored.markup, data):
        raise ControlError(400, f"message {message_id} has no button with callback_data {data!r}")
    record = state.new_callback(stored.sender_bot, chat.id, message_id, data, user)
    payload: JSON = {
        "id": record.id, "from": user, "message": stored.data,
        "chat_instance": str(abs(chat.id) * 7919 % 10**12), "data": data,
    }
    bot = state.bots.get(stored.sender_bot)
    if bot is not None and state.bot_present(chat, bot.id):
        state.enqueue(bot, "callback_query", payload)
    state.publish("callback", chat.id, callback_query_id=record.id, data=data, user=user,
                  message_id=message_id)
    return web.json_response({"callback_query_id": record.id})


@control
async def callback_answer(request: web.Request) -> web.StreamResponse:
    state = state_of(request)
    record = state.callbacks.get(request.match_info["callback_id"])
    if record is None:
        raise ControlError(404, "unknown callback_query_id")
    wait = float(request.query.get("wait", "0") or 0)
    if wait > 0:
        await state.wait_until(lambda: record.answer is not None, min(wait, 60.0))
    return web.json_response(record.answer or {"answered": False})


async def _group_of(
    request: web.Request, refusal: str
) -> tuple[SandboxState, Params, Chat]:
    """The group a membership request is about (made known from its ``chat`` description);
    ControlError 400 ``refusal`` when it is a private chat."""
    state = state_of(request)
    params = await Params.from_request(request)
    info = params.json("chat") or {}
    chat = state.ensure_chat(int_arg(request, "chat_id"), info.get("type"), info.get("title"))
    if not chat.is_group:
        raise ControlError(400, refusal)
    return state, params, chat


@control
async def post_members(request: web.Request) -> web.StreamResponse:
    state, params, chat = await _group_of(request, "members can only change in groups")
    joined = [state.remember_user(u) for u in params.json("joined") or []]
    left = [state.remember_user(u) for u in params.json("left") or []]
    actor = params.json("from")
    actor_user = state.remember_user(actor) if isinstance(actor, dict) else None
    messages = members_changed(state, chat, joined, left, actor_user)
    return web.json_response([m.data for m in messages])


@control
async def post_admins(request: web.Request) -> web.StreamResponse:
    state, params, chat = await _group_of(request, "admins only exist in groups")
    user_ids = [int(u) for u in params.json("user_ids") or []]
    set_admins(state, chat, user_ids, params.get_bool("bot_is_admin", True),
               params.get_int("creator_id"))
    return web.json_response({"ok": True})


@control
async def post_member_status(request: web.Request) -> web.StreamResponse:
    """Directly set one member's status (e.g. a human admin restricting someone)."""
    state = state_of(request)
    params = await Params.from_request(request)
    chat = state.get_chat(int_arg(request, "chat_id"))
    user = state.user_by_id(int_arg(request, "user_id"))
    actor = params.json("from")
    change_member(state, chat, user, params.req_str("status"),
                  actor=state.remember_user(actor) if isinstance(actor, dict) else user,
                  until_date=params.get_int("until_date", 0) or 0,
                  permissions=params.json("permissions"))
    return web.json_response({"ok": True})


def block_handler(blocked: bool) -> Handler:
    @control
    async def handler(request: web.Request) -> web.StreamResponse:
        set_blocked(state_of(request), int_arg(request, "user_id"), blocked)
        return web.json_response({"ok": True})

    return handler
