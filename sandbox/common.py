"""Helpers shared by the message-producing Bot API methods."""

from __future__ import annotations

from typing import Any

from sandbox.errors import ApiError, bad_request, forbidden
from sandbox.markup import render
from sandbox.models import JSON, Chat, StoredMessage
from sandbox.registry import Ctx
from sandbox.textutil import auto_entities, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64

# Message fields that make up "content" (copied by forward/copyMessage).
CONTENT_KEYS = (
    "text", "entities", "photo", "document", "video", "voice", "audio", "animation",
    "sticker", "caption", "caption_entities", "location", "venue", "contact", "dice",
    "has_media_spoiler", "show_caption_above_media",
)
MEDIA_KINDS = ("photo", "document", "video", "voice", "audio", "animation", "sticker")


def chat_for_bot(ctx: Ctx, param: str = "chat_id") -> Chat:
    """The chat the bot addresses, with Telegram's 400/403 checks."""
    raw = ctx.params.raw(param)
    if raw is None or raw == "":
        raise bad_request("chat_id is empty")
    try:
        chat_id = int(raw)
    except (TypeError, ValueError):
        raise bad_request("chat not found") from None
    chat = ctx.state.get_chat(chat_id)
    check_bot_can_write(ctx, chat)
    return chat


def check_bot_can_write(ctx: Ctx, chat: Chat) -> None:
    if chat.type == "private":
        if chat.id in ctx.state.blocked:
            raise forbidden("bot was blocked by the user")
        if ctx.state.is_bot_id(chat.id):
            raise forbidden("bot can't send messages to bots")
        return
    status = ctx.state.bot_status(chat, ctx.bot.id)
    kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
    if status == "kicked":
        raise forbidden(f"bot was kicked from the {kind}")
    if status == "left":
        raise forbidden(f"bot is not a member of the {kind}")


def bot_is_admin(ctx: Ctx, chat: Chat) -> bool:
    return ctx.state.bot_status(chat, ctx.bot.id) in ("administrator", "creator")


def render_text(
    text: str, parse_mode: str | None, entities: Any, *, caption: bool = False
) -> tuple[str, list[JSON]]:
    """Apply parse_mode / explicit entities and enforce Telegram's length limits."""
    if isinstance(entities, list) and entities:
        plain, found = text, list(entities)
    else:
        plain, found = render(text, parse_mode)
    taken = [(e["offset"], e["offset"] + e["length"]) for e in found]
    for auto in auto_entities(plain):
        start, end = auto["offset"], auto["offset"] + auto["length"]
        if all(end <= s or start >= e for s, e in taken):
            found.append(auto)
    found.sort(key=lambda e: (e["offset"], -e["length"]))
    limit = MAX_CAPTION if caption else MAX_TEXT
    if utf16_len(plain) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    if not caption and not plain.strip():
        raise bad_request("message text is empty")
    return plain, found


def text_fields(ctx: Ctx, *, caption: bool) -> JSON:
    """``text``/``entities`` or ``caption``/``caption_entities`` from the params."""
    key = "caption" if caption else "text"
    raw = ctx.params.get_str(key)
    if raw is None or raw == "":
        if caption:
            return {}
        raise bad_request("message text is empty")
    plain, entities = render_text(
        raw, ctx.params.get_str("parse_mode"), ctx.params.json(f"{key}_entities" if caption
                                                          else "entities"),
        caption=caption,
    )
    out: JSON = {key: plain}
    if entities:
        out["caption_entities" if caption else "entities"] = entities
    return out


def parse_markup(value: Any) -> JSON | None:
    """Validate reply_markup like Telegram (callback_data <= 64 bytes etc.)."""
    if value is None or value == "":
        return None
    if not isinstance(value, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in value:
        rows = value["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request("field \"inline_keyboard\" must be an Array of Arrays")
        for row in rows:
            for button in row:
                _check_inline_button(button)
    elif "keyboard" in value:
        rows = value["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request("field \"keyboard\" of the ReplyKeyboardMarkup must be an Array")
    elif not ("remove_keyboard" in value or "force_reply" in value):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return value


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    data = button.get("callback_data")
    if data is not None and (not data or len(str(data).encode("utf-8")) > MAX_CALLBACK_DATA):
        raise bad_request("BUTTON_DATA_INVALID")
    actions = ("url", "callback_data", "switch_inline_query", "web_app", "login_url",
               "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
               "callback_game", "pay", "copy_text")
    if not any(a in button for a in actions):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


def reply_target(ctx: Ctx, chat: Chat) -> StoredMessage | None:
    """Resolve reply_to_message_id / reply_parameters (Telegram's 400 if missing)."""
    params = ctx.params
    message_id = params.get_int("reply_to_message_id")
    allow_missing = params.get_bool("allow_sending_without_reply")
    reply_params = params.json("reply_parameters")
    if isinstance(reply_params, dict):
        message_id = int(reply_params.get("message_id", 0)) or message_id
        allow_missing = bool(reply_params.get("allow_sending_without_reply", allow_missing))
        if reply_params.get("chat_id") not in (None, chat.id):
            raise bad_request("replies to other chats are not supported by the sandbox")
    if not message_id:
        return None
    target = chat.messages.get(message_id)
    if target is None or target.deleted:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return target


def reply_snapshot(message: StoredMessage) -> JSON:
    """A replied-to message as embedded in another: no nested reply chains."""
    return {k: v for k, v in message.data.items() if k != "reply_to_message"}


def send(ctx: Ctx, chat: Chat, fields: JSON, *, markup: JSON | None = None,
         reply: StoredMessage | None = None) -> JSON:
    """Store a bot-sent message and return it as the Bot API result."""
    if reply is not None:
        fields = {"reply_to_message": reply_snapshot(reply), **fields}
    stored = ctx.state.add_message(
        chat, ctx.bot.user, fields, sender_bot=ctx.bot.id, markup=markup
    )
    return stored.data


def message_for_bot(ctx: Ctx, chat: Chat, message_id: int | None, what: str) -> StoredMessage:
    """A live message in ``chat`` or ``400 message to <what> not found``."""
    stored = chat.messages.get(message_id or 0)
    if stored is None or stored.deleted:
        raise bad_request(f"message to {what} not found")
    return stored


def not_admin_error(action: str) -> ApiError:
    return bad_request(f"not enough rights to {action}")
