"""Bot API methods that create messages."""

from __future__ import annotations

import secrets
from typing import Any

from sandbox.common import (
    CONTENT_KEYS,
    MEDIA_KINDS,
    chat_for_bot,
    message_for_bot,
    parse_markup,
    render_text,
    reply_target,
    send,
    text_fields,
)
from sandbox.errors import bad_request
from sandbox.files import media_json
from sandbox.models import JSON
from sandbox.params import Upload
from sandbox.registry import Ctx, api_method


def _common_flags(ctx: Ctx) -> JSON:
    out: JSON = {}
    if ctx.params.get_bool("has_spoiler"):
        out["has_media_spoiler"] = True
    if ctx.params.get_bool("show_caption_above_media"):
        out["show_caption_above_media"] = True
    return out


@api_method("sendMessage")
async def send_message(ctx: Ctx) -> JSON:
    chat = chat_for_bot(ctx)
    fields = text_fields(ctx, caption=False)
    markup = parse_markup(ctx.params.json("reply_markup"))
    return send(ctx, chat, fields, markup=markup, reply=reply_target(ctx, chat))


async def _send_media(ctx: Ctx, kind: str) -> JSON:
    chat = chat_for_bot(ctx)
    fields = text_fields(ctx, caption=True) if kind != "sticker" else {}
    markup = parse_markup(ctx.params.json("reply_markup"))
    reply = reply_target(ctx, chat)
    files = ctx.state.files.resolve(ctx.params.file(kind), kind)
    fields = {kind: media_json(kind, files), **fields, **_common_flags(ctx)}
    return send(ctx, chat, fields, markup=markup, reply=reply)


def _media_method(kind: str) -> None:
    async def method(ctx: Ctx) -> JSON:
        return await _send_media(ctx, kind)

    api_method("send" + kind.capitalize())(method)


for _kind in MEDIA_KINDS:
    _media_method(_kind)


@api_method("sendMediaGroup")
async def send_media_group(ctx: Ctx) -> list[JSON]:
    chat = chat_for_bot(ctx)
    media = ctx.params.json("media")
    if not isinstance(media, list) or not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media in the album: must be between 2 and 10")
    reply = reply_target(ctx, chat)
    group_id = str(secrets.randbelow(10**17) + 10**17)
    prepared: list[JSON] = []
    for item in media:  # validate everything before storing anything
        kind = item.get("type")
        if kind not in ("photo", "video", "document", "audio"):
            raise bad_request(f"unsupported media type {kind!r} in the album")
        source: Upload | str | None = item.get("media")
        if isinstance(source, str) and source.startswith("attach://"):
            source = ctx.params.uploads.get(source.removeprefix("attach://"))
        fields: JSON = {}
        if item.get("caption"):
            plain, entities = render_text(
                item["caption"], item.get("parse_mode"), item.get("caption_entities"),
                caption=True,
            )
            fields["caption"] = plain
            if entities:
                fields["caption_entities"] = entities
        files = ctx.state.files.resolve(source, kind)
        prepared.append({kind: media_json(kind, files), **fields, "media_group_id": group_id})
    return [send(ctx, chat, fields, reply=reply) for fields in prepared]


@api_method("sendLocation")
async def send_location(ctx: Ctx) -> JSON:
    chat = chat_for_bot(ctx)
    location = _location(ctx)
    markup = parse_markup(ctx.params.json("reply_markup"))
    return send(ctx, chat, {"location": location}, markup=markup,
                reply=reply_target(ctx, chat))


def _location(ctx: Ctx) -> JSON:
    lat, lon = ctx.params.get_float("latitude"), ctx.params.get_float("longitude")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise bad_request("wrong latitude or longitude specified")
    return {"latitude": lat, "longitude": lon}


@api_method("sendVenue")
async def send_venue(ctx: Ctx) -> JSON:
    chat = chat_for_bot(ctx)
    location = _location(ctx)
    venue = {
        "location": location, "title": ctx.params.req_str("title"),
        "address": ctx.params.req_str("address"),
    }
    markup = parse_markup(ctx.params.json("reply_markup"))
    return send(ctx, chat, {"location": location, "venue": venue}, markup=markup,
                reply=reply_target(ctx, chat))


@api_method("sendContact")
async def send_contact(ctx: Ctx) -> JSON:
    chat = chat_for_bot(ctx)
    contact = {
        "phone_number": ctx.params.req_str("phone_number"),
        "first_name": ctx.params.req_str("first_name"),
    }
    if ctx.params.get_str("last_name"):
        contact["last_name"] = ctx.params.req_str("last_name")
    markup = parse_markup(ctx.params.json("reply_markup"))
    return send(ctx, chat, {"contact": contact}, markup=markup, reply=reply_target(ctx, chat))


@api_method("sendDice")
async def send_dice(ctx: Ctx) -> JSON:
    chat = chat_for_bot(ctx)
    emoji = ctx.params.get_str("emoji") or "🎲"
    dice = {"emoji": emoji, "value": secrets.randbelow(6) + 1}
    return send(ctx, chat, {"dice": dice}, reply=reply_target(ctx, chat))


def _content(data: JSON) -> JSON:
    return {k: v for k, v in data.items() if k in CONTENT_KEYS}


@api_method("forwardMessage")
async def forward_message(ctx: Ctx) -> JSON:
    chat = chat_for_bot(ctx)
    source_chat = ctx.state.get_chat(ctx.params.req_int("from_chat_id"))
    source = message_for_bot(ctx, source_chat, ctx.params.get_int("message_id"), "forward")
    sender = source.data.get("from", {})
    origin: JSON = {"type": "user", "sender_user": sender, "date": source.data["date"]}
    return send(ctx, chat, {**_content(source.data), "forward_origin": origin})


@api_method("copyMessage")
async def copy_message(ctx: Ctx) -> JSON:
    chat = chat_for_bot(ctx)
    source_chat = ctx.state.get_chat(ctx.params.req_int("from_chat_id"))
    source = message_for_bot(ctx, source_chat, ctx.params.get_int("message_id"), "copy")
    fields = _content(source.data)
    if not fields:
        raise bad_request("the message can't be copied")
    if ctx.params.has("caption") and "text" not in fields:
        fields.pop("caption_entities", None)
        fields.update(text_fields(ctx, caption=True))
    markup = parse_markup(ctx.params.json("reply_markup"))
    sent = send(ctx, chat, fields, markup=markup, reply=reply_target(ctx, chat))
    return {"message_id": sent["message_id"]}


@api_method("sendChatAction")
async def send_chat_action(ctx: Ctx) -> bool:
    chat = chat_for_bot(ctx)
    action: Any = ctx.params.req_str("action")
    ctx.state.publish("chat_action", chat.id, action=action, bot_id=ctx.bot.id)
    return True
