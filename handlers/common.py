"""Shared pieces of the Telegram surface: knowing who is talking, replying in their language."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from telegram import (
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyKeyboardMarkup,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.context import AnninhContext
from bot.render import truncate
from services.access import Profile
from services.domain import AreaDTO
from services.errors import AnninhError, InvalidInput
from services.users import IncomingUser

logger = logging.getLogger(__name__)

T = TypeVar("T")


async def identify(update: Update, context: AnninhContext) -> None:
    """Pre-handler (group -100): load the sender's profile, and what they are in the middle
    of, for every later handler (one read; see services.users.UserService.arrive)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    chat = update.effective_chat
    context.arrival = await context.services.users.arrive(
        IncomingUser(
            telegram_id=user.id,
            first_name=user.first_name or "",
            last_name=user.last_name,
            username=user.username,
        ),
        chat.id if chat is not None else None,
    )
    context.profile = context.arrival.profile


GROUP_TYPES = ("group", "supergroup")


def group_chat(update: Update) -> Chat:
    """The group the command was sent in; anywhere else the error handler answers
    "this command only works in a group" in the user's language."""
    chat = update.effective_chat
    if chat is None or chat.type not in GROUP_TYPES:
        raise AnninhError("error-group-only")
    return chat


def command_args(context: AnninhContext, usage_key: str) -> list[str]:
    """The command's arguments; a command typed without any is answered with its usage line
    ``usage_key`` (by the error handler, like every other wrong input)."""
    if not context.args:
        raise InvalidInput(usage_key)
    return list(context.args)


def command_text(update: Update) -> str:
    """Everything typed after the command word (lines and all), "" when nothing was."""
    message = update.effective_message
    assert message is not None and message.text is not None
    parts = message.text.split(None, 1)
    return parts[1] if len(parts) > 1 else ""


def area_code_arg(
    context: AnninhContext, areas: Callable[[], Sequence[AreaDTO]], usage_key: str
) -> str:
    """The area code typed after the command; none typed: the caller's only area, or (several,
    or none) the usage line ``usage_key`` listing their areas' codes."""
    if context.args:
        return context.args[0]
    choices = areas()
    if len(choices) != 1:
        raise InvalidInput(usage_key, codes=", ".join(a.code for a in choices) or "ND-TN")
    return choices[0].code


def valid_press(parsed: T | None) -> T:
    """What a button's callback data was parsed to; None (forged, or from an older version of
    the bot) is answered "this button has expired" by the error handler."""
    if parsed is None:
        raise AnninhError("error-button-expired")
    return parsed


def profile_of(context: AnninhContext) -> Profile:
    if context.profile is None:
        raise ApplicationHandlerStop  # updates without a human sender have nothing to answer
    return context.profile


async def reply(
    update: Update,
    context: AnninhContext,
    key: str,
    /,
    *,
    reply_markup: Any = None,
    **args: Any,
) -> Message | None:
    """Answer in the chat the update came from, in the caller's language (HTML-safe)."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await context.bot.send_message(
        chat.id,
        truncate(context.text(key, **args)),
        parse_mode=ParseMode.HTML,
        reply_markup=reply_markup,
    )


def addressed_person(
    message: Message, args: list[str]
) -> tuple[User | None, str | None, list[str]]:
    """Who a command is about, and the arguments left after naming them: a tapped mention
    (people without a username) or "@name" as the first argument, else the author of the
    message the command replies to. Returns (a user Telegram described, a @name for the
    service to look up among the people the bot has seen, the remaining arguments);
    (None, None, args) when nobody is named."""
    for entity, text in message.parse_entities([MessageEntity.TEXT_MENTION]).items():
        words = text.split()
        if entity.user is not None and words and args[: len(words)] == words:
            return entity.user, None, args[len(words) :]
    if args and args[0].startswith("@") and len(args[0]) > 1:
        return None, args[0][1:], args[1:]
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None:
        return replied.from_user, None, args
    return None, None, args


async def edit_in_place(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Show ``text`` (HTML) in the message whose button was pressed. The same button pressed
    twice changes nothing, and Telegram answers "message is not modified": that is no error."""
    try:
        await query.edit_message_text(
            truncate(text), parse_mode=ParseMode.HTML, reply_markup=markup
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


def main_keyboard(rows: list[list[str]]) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)
