"""/kiemtra (/check): is this phone number, bank account or link a known scam?  Plus the police
"confirm scam" button and automatic warnings when a confirmed indicator is posted in a group."""

from __future__ import annotations

import re

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import AnninhContext
from bot.i18n import SUPPORTED_LOCALES, t
from bot.render import render_html, truncate
from handlers.common import group_chat, profile_of, reply
from handlers.conversation import may_converse
from handlers.errors import tell
from handlers.menu import button_filter, is_menu_label
from services.domain import Role
from services.errors import AnninhError
from services.ports import Html
from services.scam_answers import lookup_answer
from services.text_input import whole_number

SCAM_GROUP = 21
"""Handler group for group-message scanning: it must see messages other features also
handle, and never shadow them."""

PROMPT_GROUP = -10
"""The answer to "what would you like to check?" is taken before the features' free-text
handlers (group 0) see it; when it is not such an answer it passes through untouched."""
CALLBACK_PREFIX = "scam:ok:"
_MAYBE_INDICATOR = re.compile(r"[\d.]")
_ON = frozenset({"on", "bat", "bật", "1", "yes", "co", "có"})
_OFF = frozenset({"off", "tat", "tắt", "0", "no", "khong", "không"})


def _command_argument(message: Message) -> str:
    text = message.text or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _check(update: Update, context: AnninhContext, raw: str) -> None:
    profile = profile_of(context)
    result = await context.services.scams.lookup(raw, by=profile.user.id)
    if result is None:
        await reply(update, context, "scam-check-unparseable")
        return
    markup = None
    chat = update.effective_chat
    if (
        result.indicator_id is not None
        and not result.confirmed
        and chat is not None
        and chat.type == chat.PRIVATE
        and profile.has_any(Role.POLICE)
    ):
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t("scam-confirm-button", profile.locale),
                        callback_data=f"{CALLBACK_PREFIX}{result.indicator_id}",
                    )
                ]
            ]
        )
    assert chat is not None
    message = update.effective_message
    answer = lookup_answer(result, context.services.settings.tz)
    await context.bot.send_message(
        chat.id,
        truncate(context.text(answer.key, **answer.args)),
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        reply_to_message_id=message.message_id if message and chat.type != chat.PRIVATE else None,
    )


async def _ask(update: Update, context: AnninhContext) -> None:
    await context.services.scams.wait_for_number(profile_of(context).user.id)
    await reply(
        update,
        context,
        "scam-check-ask",
        reply_markup=ForceReply(
            selective=True, input_field_placeholder=t("scam-check-placeholder", context.locale)
        ),
    )


async def check_command(update: Update, context: AnninhContext) -> None:
    """/kiemtra <phone|account|link> (alias /check)."""
    profile_of(context)
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    raw = _command_argument(message)
    if raw:
        await _check(update, context, raw)
    elif chat.type == chat.PRIVATE:
        await _ask(update, context)
    else:
        await reply(update, context, "scam-check-usage")


async def check_button(update: Update, context: AnninhContext) -> None:
    profile_of(context)
    await _ask(update, context)


def _is_prompt_answer(message: Message) -> bool:
    prompt = message.reply_to_message
    if prompt is None or prompt.from_user is None or not prompt.from_user.is_bot:
        return False
    first_line = (prompt.text or "").split("\n", 1)[0]
    return any(
        first_line and re.sub(r"<[^>]+>", "", t("scam-check-ask", loc)).startswith(first_line)
        for loc in SUPPORTED_LOCALES
    )


async def prompt_answer(update: Update, context: AnninhContext) -> None:
    """The text sent after "what would you like to check?" (a reply to it, or the next text)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    awaiting = False  # after the menu button, the next private text is what to check
    profile = context.profile
    if profile is not None and may_converse(context):
        awaiting = await context.services.scams.take_wait(profile.user.id)
    if not (awaiting or _is_prompt_answer(message)):
        return
    if is_menu_label(message.text):
        return  # they moved on to another menu action
    try:
        await _check(update, context, message.text)
    except AnninhError as error:  # refused (over the limit): still the check's answer
        await tell(update, context, error)
    raise ApplicationHandlerStop  # answered: the tip flow must not also offer it as a tip


async def confirm_pressed(update: Update, context: AnninhContext) -> None:
    """Police pressed "Xác nhận lừa đảo" under a look-up result."""
    query = update.callback_query
    assert query is not None
    profile = profile_of(context)
    raw_id = (query.data or "")[len(CALLBACK_PREFIX) :]
    indicator_id = whole_number(raw_id)
    if indicator_id is None:
        await query.answer(context.text("error-button-expired"), show_alert=True)
        return
    outcome = await context.services.scams.confirm(indicator_id, profile)
    key = "scam-confirm-done" if outcome.changed else "scam-confirm-already"
    await query.answer(t(key, profile.locale, display=outcome.indicator.display)[:190])
    if query.message is not None and outcome.changed:
        await reply(update, context, key, display=outcome.indicator.display)


async def group_message(update: Update, context: AnninhContext) -> None:
    """Warn the group when a message names a police-confirmed scam indicator."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    if message.from_user is not None and message.from_user.is_bot:
        return
    text = message.text or message.caption or ""
    if not _MAYBE_INDICATOR.search(text):
        return
    hits = await context.services.scams.warnings_for_group_message(chat.id, text)
    if not hits:
        return
    locale = context.services.settings.default_language
    items = ", ".join(
        render_html(
            "scam-group-item",
            locale,
            {"kind": t(f"scam-kind-{h.kind.value}", locale), "display": h.display},
        )
        for h in hits
    )
    await context.bot.send_message(
        chat.id,
        truncate(render_html("scam-group-warning", locale, {"items": Html(items)})),
        parse_mode=ParseMode.HTML,
        reply_to_message_id=message.message_id,
    )


async def toggle_command(update: Update, context: AnninhContext) -> None:
    """/canhbaotudong bat|tat (alias /autowarn): group warnings on/off for this group."""
    profile = profile_of(context)
    chat = group_chat(update)
    message = update.effective_message
    if message is None:
        return
    arg = _command_argument(message).lower()
    enabled: bool | None
    if not arg:
        enabled = None
    elif arg in _ON:
        enabled = True
    elif arg in _OFF:
        enabled = False
    else:
        await reply(update, context, "scam-toggle-usage")
        return
    outcome = await context.services.scams.set_group_warnings(chat.id, enabled, profile)
    if enabled is None:
        key = "scam-toggle-status-on" if outcome.enabled else "scam-toggle-status-off"
    else:
        key = "scam-toggle-on" if outcome.enabled else "scam-toggle-off"
    await reply(update, context, key)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["kiemtra", "check"], check_command))
    app.add_handler(CommandHandler(["canhbaotudong", "autowarn"], toggle_command))
    app.add_handler(MessageHandler(button_filter("scam-button"), check_button))
    app.add_handler(CallbackQueryHandler(confirm_pressed, pattern=r"^scam:ok:"))
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.ChatType.PRIVATE
            & filters.TEXT
            & ~filters.COMMAND,
            prompt_answer,
        ),
        group=PROMPT_GROUP,
    )
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.ChatType.GROUPS
            & (filters.TEXT | filters.CAPTION)
            & ~filters.COMMAND,
            group_message,
        ),
        group=SCAM_GROUP,
    )
