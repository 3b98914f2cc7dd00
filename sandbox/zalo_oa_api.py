"""The Zalo Official Account API (Open API v3) and its OAuth server, served from memory.

Paths follow openapi.zalo.me and oauth.zaloapp.com under two prefixes, so the bot is pointed
here with ``ZALO_OA_API_BASE_URL=<sandbox>/zalo-oa/openapi`` and
``ZALO_OA_OAUTH_BASE_URL=<sandbox>/zalo-oa/oauth``:

* ``POST /v3.0/oa/message/cs`` (header ``access_token``; ``{recipient:{user_id}, message:
  {text, attachment?}}``), ``POST /v3.0/oa/group/message`` (``recipient.group_id``, groups
  the OA created), ``POST /v2.0/oa/upload/image`` (multipart ``file``, at most 1 MB) ->
  ``attachment_id`` for a media template;
* every answer is HTTP 200 with ``{error, message, data}``; ``error`` says what happened:
  -216 access token invalid or expired, -213 the user does not follow the OA and never wrote,
  -232 a follower who never wrote, -230 the user's last interaction is older than 7 days,
  -201 bad parameter, -210 text over 2,000 characters or file too large; -32, -211, -234
  (and any other code) on demand through ``POST /sandbox/zalo-oa/faults``;
* ``POST /v2.0/oa/tag/tagfollower`` and ``/v2.0/oa/tag/rmfollowerfromtag`` (``{user_id,
  tag_name}``): the OA's labels on a follower;
* ``POST /v4/oa/access_token`` (form ``refresh_token``, ``app_id``, ``grant_type``; header
  ``secret_key`` = the app secret): a new pair; a refresh token works once, access tokens
  expire (``access_ttl``, 25 h unless the control API says otherwise).

The webhooks this side sends, and the control API that drives residents, are in
``sandbox/zalo_oa_control.py``. Nothing here imports the bot.
"""

from __future__ import annotations

import collections
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSON = dict[str, Any]
MAX_TEXT = 2000
MAX_IMAGE = 1024 * 1024
MAX_BUTTONS = 5
WINDOW_S = 7 * 24 * 3600.0
ACCESS_TTL_S = 25 * 3600.0
REFRESH_TTL_S = 90 * 24 * 3600.0
ENDPOINTS = ("message/cs", "group/message", "upload/image", "access_token", "tag/tagfollower",
             "tag/rmfollowerfromtag")


class OaApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class OaUser:
    id: str
    display_name: str
    following: bool = False
    last_interaction: float | None = None
    tags: set[str] = field(default_factory=set)
    """The OA's labels on this follower (``/v2.0/oa/tag/...``)."""
    messages: list[JSON] = field(default_factory=list)
    """The OA chat with this user, both directions, oldest first."""


@dataclass
class OaGroup:
    id: str
    name: str
    members: list[str] = field(default_factory=list)
    messages: list[JSON] = field(default_factory=list)


class OaWorld:
    """The OA, its app, tokens, followers, groups and uploads."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self.clear()

    def clear(self) -> None:
        self.app_id = "3160000000000000001"
        self.oa_id = "4180000000000000001"
        self.app_secret = "sandbox-oa-app-secret"
        self.secret_key = "sandbox-oa-secret-key"
        """The OA secret key: signs the webhook events."""
        self.access_ttl = ACCESS_TTL_S
        self.access: dict[str, float] = {}
        self.refresh: dict[str, JSON] = {}
        self.users: dict[str, OaUser] = {}
        self.groups: dict[str, OaGroup] = {}
        self.uploads: dict[str, bytes] = {}
        self.faults: dict[str, list[int]] = {}
        self.calls: collections.Counter[str] = collections.Counter()

    def changed(self, kind: str, chat: str, **data: Any) -> None:
        self.state.publish(kind, None, platform="zalo_oa", chat=chat, **data)

    def user(self, user_id: str, display_name: str | None = None) -> OaUser:
        user = self.users.get(user_id)
        if user is None:
            user = OaUser(user_id, display_name or f"Zalo {user_id[-4:]}")
            self.users[user_id] = user
        elif display_name:
            user.display_name = display_name
        return user

    def issue_pair(self, access_ttl: float | None = None) -> JSON:
        access, refresh = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
        ttl = self.access_ttl if access_ttl is None else access_ttl
        now = time.time()
        self.access[access] = now + ttl
        self.refresh[refresh] = {"expires": now + REFRESH_TTL_S, "used": False}
        return {"access_token": access, "refresh_token": refresh, "expires_in": str(int(ttl))}

    def expire_access_tokens(self) -> None:
        for token in self.access:
            self.access[token] = 0.0

    def fault(self, endpoint: str) -> int | None:
        for key in (endpoint, "*"):
            queue = self.faults.get(key)
            if queue:
                return queue.pop(0)
        return None


def _envelope(data: JSON | None = None, error: int = 0, message: str = "Success") -> web.Response:
    body: JSON = {"error": error, "message": message}
    if data is not None:
        body["data"] = data
    return web.json_response(body)


def _check_token(world: OaWorld, request: web.Request) -> None:
    token = request.headers.get("access_token", "")
    expires = world.access.get(token)
    if not token or expires is None or expires <= time.time():
        raise OaApiError(-216, "Access token is invalid")


def _check_text(value: Any, required: bool) -> str:
    text = "" if value is None else str(value)
    if required and not text.strip():
        raise OaApiError(-201, "Parameters are invalid: text is empty")
    if len(text) > MAX_TEXT:
        raise OaApiError(-210, f"Parameter exceeds the limit: text over {MAX_TEXT} characters")
    return text


async def _json_body(request: web.Request) -> JSON:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise OaApiError(-201, "Parameters are invalid: body is not JSON") from None
    if not isinstance(body, dict):
        raise OaApiError(-201, "Parameters are invalid: body is not an object")
    return body


def _attachment(world: OaWorld, message: JSON) -> JSON | None:
    raw = message.get("attachment")
    if raw is None:
        return None
    payload = raw.get("payload") if isinstance(raw, dict) else None
    if not isinstance(payload, dict) or raw.get("type") != "template":
        raise OaApiError(-201, "Parameters are invalid: attachment")
    buttons = payload.get("buttons")
    if buttons is not None:
        if not isinstance(buttons, list) or not 0 < len(buttons) <= MAX_BUTTONS:
            raise OaApiError(-201, f"Parameters are invalid: 1 to {MAX_BUTTONS} buttons")
        for button in buttons:
            if not isinstance(button, dict) or not button.get("title") or not button.get("type"):
                raise OaApiError(-201, "Parameters are invalid: button")
        return {"buttons": buttons}
    elements = payload.get("elements")
    if payload.get("template_type") != "media" or not isinstance(elements, list) or not elements:
        raise OaApiError(-201, "Parameters are invalid: template")
    element = elements[0] if isinstance(elements[0], dict) else {}
    attachment_id = str(element.get("attachment_id") or "")
    if attachment_id and attachment_id not in world.uploads:
        raise OaApiError(-201, "Parameters are invalid: unknown attachment_id")
    if not attachment_id and not str(element.get("url") or "").startswith("http"):
        raise OaApiError(-201, "Parameters are invalid: media needs attachment_id or url")
    return {"media_type": element.get("media_type"), "attachment_id": attachment_id or None,
            "url": element.get("url")}


async def message_cs(world: OaWorld, request: web.Request) -> web.Response:
    _check_token(world, request)
    body = await _json_body(request)
    recipient = body.get("recipient") if isinstance(body.get("recipient"), dict) else {}
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    user_id = str(recipient.get("user_id") or "")
    attachment = _attachment(world, message)
    text = _check_text(message.get("text"), required=attachment is None)
    user = world.users.get(user_id)
    if user is None or (not user.following and user.last_interaction is None):
        raise OaApiError(-213, "User has not followed the OA")
    if user.last_interaction is None:
        raise OaApiError(-232, "User has not interacted with the OA")
    if time.time() - user.last_interaction > WINDOW_S:
        raise OaApiError(-230, "User has not interacted with the OA in the last 7 days")
    sent: JSON = {"message_id": secrets.token_hex(16), "from_oa": True, "text": text,
                  "attachment": attachment, "time": int(time.time() * 1000)}
    user.messages.append({**sent, "seq": len(user.messages) + 1})
    world.changed("message", user_id, message=user.messages[-1])
    return _envelope({"message_id": sent["message_id"], "user_id": user_id})


async def group_message(world: OaWorld, request: web.Request) -> web.Response:
    _check_token(world, request)
    body = await _json_body(request)
    recipient = body.get("recipient") if isinstance(body.get("recipient"), dict) else {}
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    group = world.groups.get(str(recipient.get("group_id") or ""))
    if group is None:
        raise OaApiError(-201, "Parameters are invalid: the OA has no such group")
    sent: JSON = {"message_id": secrets.token_hex(16), "from_oa": True,
                  "text": _check_text(message.get("text"), required=True),
                  "time": int(time.time() * 1000)}
    group.messages.append({**sent, "seq": len(group.messages) + 1})
    world.changed("message", group.id, message=sent)
    return _envelope({"message_id": sent["message_id"], "group_id": group.id})


async def upload_image(world: OaWorld, request: web.Request) -> web.Response:
    _check_token(world, request)
    if not request.content_type.startswith("multipart/"):
        raise OaApiError(-201, "Parameters are invalid: multipart file expected")
    form = await request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        raise OaApiError(-201, "Parameters are invalid: file is required")
    content = upload.file.read()
    if len(content) > MAX_IMAGE:
        raise OaApiError(-210, "Parameter exceeds the limit: image over 1 MB")
    if upload.content_type not in ("image/jpeg", "image/png"):
        raise OaApiError(-201, "Parameters are invalid: jpg or png only")
    attachment_id = secrets.token_hex(16)
    world.uploads[attachment_id] = content
    return _envelope({"attachment_id": attachment_id})


async def tag_follower(world: OaWorld, request: web.Request) -> web.Response:
    """``{user_id, tag_name}``: label a follower (the tag is made if new)."""
    _check_token(world, request)
    user, tag = await _tagging(world, request)
    user.tags.add(tag)
    return _envelope({})


async def untag_follower(world: OaWorld, request: web.Request) -> web.Response:
    _check_token(world, request)
    user, tag = await _tagging(world, request)
    user.tags.discard(tag)
    return _envelope({})


async def _tagging(world: OaWorld, request: web.Request) -> tuple[OaUser, str]:
    body = await _json_body(request)
    user = world.users.get(str(body.get("user_id") or ""))
    tag = str(body.get("tag_name") or "").strip()
    if user is None or not user.following:
        raise OaApiError(-213, "User has not followed the OA")
    if not tag:
        raise OaApiError(-201, "Parameters are invalid: tag_name is empty")
    return user, tag


async def access_token(world: OaWorld, request: web.Request) -> web.Response:
    """OAuth v4 refresh. Errors come as ``{error, error_name, error_description}``."""
    form = await request.post()
    refresh = str(form.get("refresh_token") or "")
    if request.headers.get("secret_key") != world.app_secret:
        return _oauth_error(-14002, "Invalid app secret key")
    if str(form.get("app_id") or "") != world.app_id:
        return _oauth_error(-14001, "Invalid app id")
    if form.get("grant_type") != "refresh_token":
        return _oauth_error(-14003, "Invalid grant type")
    entry = world.refresh.get(refresh)
    if entry is None or entry["used"]:
        return _oauth_error(-14014, "Invalid refresh token")
    if entry["expires"] <= time.time():
        return _oauth_error(-14020, "Refresh token expired")
    entry["used"] = True
    return web.json_response(world.issue_pair())


def _oauth_error(code: int, name: str) -> web.Response:
    return web.json_response({"error": code, "error_name": name, "error_description": name})


HANDLERS = {
    "message/cs": message_cs,
    "group/message": group_message,
    "upload/image": upload_image,
    "access_token": access_token,
    "tag/tagfollower": tag_follower,
    "tag/rmfollowerfromtag": untag_follower,
}


def endpoint(world_key: Any, name: str) -> Any:
    """The aiohttp handler of one API endpoint, with fault injection in front."""
    handle = HANDLERS[name]

    async def serve(request: web.Request) -> web.StreamResponse:
        world: OaWorld = request.app[world_key]
        world.calls[name] += 1
        code = world.fault(name)
        if code is not None:
            if name == "access_token":
                return _oauth_error(code, "Injected fault")
            return _envelope(error=code, message=f"Injected fault {code}")
        try:
            return await handle(world, request)
        except OaApiError as exc:
            return _envelope(error=exc.code, message=exc.message)
        except json.JSONDecodeError:
            return _envelope(error=-201, message="Parameters are invalid")

    return serve
