"""Bot API methods that change existing messages, callbacks and files."""

from __future__ import annotations

from sandbox.common import (
    MEDIA_KINDS,
    bot_is_admin,
    chat_for_bot,
    message_for_bot,
    not_admin_error,
    parse_markup,
    send,
    text_fields,
)
from sandbox.errors import bad_request
from sandbox.models import JSON, Chat, StoredMessage
from sandbox.registry import Ctx, api_method
from sandbox.state import now_ts

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _editable(ctx: Ctx) -> tuple[Chat, StoredMessage]:
    if ctx.params.has("inline_message_id"):
        raise bad_request("inline messages are not supported by the sandbox")
    chat = chat_for_bot(ctx)
    stored = message_for_bot(ctx, chat, ctx.params.get_int("message_id"), "edit")
    if stored.sender_bot != ctx.bot.id:
        raise bad_request("message can't be edited")
    return chat, stored


def _apply_edit(ctx: Ctx, chat: Chat, stored: StoredMessage, changes: JSON,
                markup: JSON | None) -> JSON:
    """Apply ``changes`` (None values delete keys) or fail with "not modified"."""
    same = all(stored.data.get(k) == v for k, v in changes.items())
    if same and markup == stored.markup:
        raise bad_request(NOT_MODIFIED)
    for key, value in changes.items():
        if value is None:
            stored.data.pop(key, None)
        else:
            stored.data[key] = value
    # Telegram drops the inline keyboard when an edit does not repeat it.
    stored.markup = markup
    if markup is not None and "inline_keyboard" in markup:
        stored.data["reply_markup"] = markup
    else:
        stored.data.pop("reply_markup", None)
    stored.data["edit_date"] = now_ts()
    ctx.state.publish("edited", chat.id, message=stored.history_view())
    return stored.data


@api_method("editMessageText")
async def edit_message_text(ctx: Ctx) -> JSON:
    chat, stored = _editable(ctx)
    if "text" not in stored.data:
        raise bad_request("there is no text in the message to edit")
    fields = text_fields(ctx, caption=False)
    changes: JSON = {"text": fields["text"], "entities": fields.get("entities")}
    markup = parse_markup(ctx.params.json("reply_markup"))
    return _apply_edit(ctx, chat, stored, changes, markup)


@api_method("editMessageCaption")
async def edit_message_caption(ctx: Ctx) -> JSON:
    chat, stored = _editable(ctx)
    if not any(k in stored.data for k in MEDIA_KINDS):
        raise bad_request("there is no caption in the message to edit")
    fields = text_fields(ctx, caption=True)
    changes: JSON = {
        "caption": fields.get("caption"), "caption_entities": fields.get("caption_entities"),
    }
    markup = parse_markup(ctx.params.json("reply_markup"))
    return _apply_edit(ctx, chat, stored, changes, markup)


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(ctx: Ctx) -> JSON:
    chat, stored = _editable(ctx)
    markup = parse_markup(ctx.params.json("reply_markup"))
    return _apply_edit(ctx, chat, stored, {}, markup)


def _check_can_delete(ctx: Ctx, chat: Chat, stored: StoredMessage) -> None:
    own = stored.sender_bot == ctx.bot.id
    if chat.is_group and not own and not bot_is_admin(ctx, chat):
        raise bad_request("message can't be deleted")


def _delete(ctx: Ctx, chat: Chat, stored: StoredMessage) -> None:
    stored.deleted = True
    ctx.state.publish("deleted", chat.id, message_id=stored.data["message_id"])


@api_method("deleteMessage")
async def delete_message(ctx: Ctx) -> bool:
    chat = chat_for_bot(ctx)
    stored = message_for_bot(ctx, chat, ctx.params.get_int("message_id"), "delete")
    _check_can_delete(ctx, chat, stored)
    _delete(ctx, chat, stored)
    return True


@api_method("deleteMessages")
async def delete_messages(ctx: Ctx) -> bool:
    chat = chat_for_bot(ctx)
    ids = ctx.params.json("message_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message_ids must be a list of 1-100 identifiers")
    live = [chat.messages[i] for i in ids if i in chat.messages and not chat.messages[i].deleted]
    for stored in live:
        _check_can_delete(ctx, chat, stored)
    for stored in live:  # Telegram silently skips messages it cannot find
        _delete(ctx, chat, stored)
    return True


@api_method("pinChatMessage")
async def pin_chat_message(ctx: Ctx) -> bool:
    chat = chat_for_bot(ctx)
    if chat.is_group and not bot_is_admin(ctx, chat):
        raise not_admin_error("manage pinned messages in the chat")
    stored = message_for_bot(ctx, chat, ctx.params.get_int("message_id"), "pin")
    stored.pinned = True
    chat.pinned_id = stored.data["message_id"]
    ctx.state.publish("pinned", chat.id, message_id=chat.pinned_id)
    if chat.is_group:  # groups get a "pinned a message" service message
        send(ctx, chat, {"pinned_message": dict(stored.data)})
    return True


@api_method("unpinChatMessage")
async def unpin_chat_message(ctx: Ctx) -> bool:
    chat = chat_for_bot(ctx)
    if chat.is_group and not bot_is_admin(ctx, chat):
        raise not_admin_error("manage pinned messages in the chat")
    message_id = ctx.params.get_int("message_id") or chat.pinned_id
    stored = chat.messages.get(message_id or 0)
    if stored is None or not stored.pinned:
        raise bad_request("message to unpin not found")
    stored.pinned = False
    pinned = [m for m in chat.messages.values() if m.pinned and not m.deleted]
    chat.pinned_id = pinned[-1].data["message_id"] if pinned else None
    ctx.state.publish("unpinned", chat.id, message_id=message_id)
    return True


@api_method("unpinAllChatMessages")
async def unpin_all_chat_messages(ctx: Ctx) -> bool:
    chat = chat_for_bot(ctx)
    if chat.is_group and not bot_is_admin(ctx, chat):
        raise not_admin_error("manage pinned messages in the chat")
    for stored in chat.messages.values():
        stored.pinned = False
    chat.pinned_id = None
    ctx.state.publish("unpinned", chat.id, message_id=None)
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(ctx: Ctx) -> bool:
    record = ctx.state.callbacks.get(ctx.params.req_str("callback_query_id"))
    if record is None or record.answer is not None or record.bot_id != ctx.bot.id:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = ctx.params.get_str("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    record.answer = {
        "answered": True, "text": text, "show_alert": ctx.params.get_bool("show_alert"),
        "url": ctx.params.get_str("url"), "cache_time": ctx.params.get_int("cache_time", 0),
    }
    ctx.state.publish(
        "callback_answered", record.chat_id, callback_query_id=record.id, answer=record.answer
    )
    return True


@api_method("getFile")
async def get_file(ctx: Ctx) -> JSON:
    stored = ctx.state.files.get(ctx.params.req_str("file_id"))
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data), "file_path": stored.file_path,
    }
