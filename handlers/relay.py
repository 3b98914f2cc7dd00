"""The "next message" an officer or reporter was asked for, and the anonymous relay.

Runs in an early handler group so that an officer's note or a reporter's answer is never taken
for a new tip, a group message to moderate, or anything else; messages that continue nothing
pass on untouched.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import AnninhContext
from bot.render import keyboard
from handlers.common import profile_of, reply
from handlers.errors import tell
from handlers.menu import NOT_A_MENU_BUTTON
from services.errors import AnninhError
from services.ports import InlineButton, MediaKind, MediaRef
from services.relay_model import Incoming

RELAY_GROUP = -5
"""Before every feature (group 0) and after identify (-100)."""


def _media(message: Message) -> MediaRef | None:
    if message.photo:
        return MediaRef(MediaKind.PHOTO, message.photo[-1].file_id)
    if message.video:
        return MediaRef(MediaKind.VIDEO, message.video.file_id)
    if message.voice:
        return MediaRef(MediaKind.VOICE, message.voice.file_id)
    if message.document:
        return MediaRef(MediaKind.DOCUMENT, message.document.file_id)
    return None


async def on_message(update: Update, context: AnninhContext) -> None:
    """A note, reason, question or answer someone was asked for, or a reply to a relayed
    message; anything else goes on to the other features."""
    message = update.effective_message
    if message is None or context.profile is None:
        return
    replied = message.reply_to_message
    incoming = Incoming(
        chat_id=message.chat.id,
        message_id=message.message_id,
        text=message.text or message.caption or "",
        media=_media(message),
        reply_to_message_id=replied.message_id if replied else None,
        reply_to_bot=bool(
            replied and replied.from_user and replied.from_user.id == context.bot.id
        ),
    )
    try:
        waiting = context.arrival.waiting if context.arrival is not None else None
        answer = await context.services.relay.on_message(
            profile_of(context), incoming, waiting=waiting
        )
    except AnninhError as exc:
        # Answered here, not by the error handler: the message must not reach later groups.
        await tell(update, context, exc)
        raise ApplicationHandlerStop from None
    if answer is None:
        return
    await reply(update, context, answer.key, **answer.args)
    raise ApplicationHandlerStop


async def on_cancel(update: Update, context: AnninhContext) -> None:
    """/huy while the bot waits for a note or an answer cancels that (else /huy goes on)."""
    chat = update.effective_chat
    if chat is None or context.profile is None:
        return
    if await context.services.relay.cancel(chat.id, context.profile.user.id) is None:
        return
    await reply(update, context, "tipact-cancelled")
    raise ApplicationHandlerStop


async def on_button(update: Update, context: AnninhContext) -> None:
    """``relay:answer:<relay id>`` (reporter) and ``relay:cancel:<report id>``."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    profile = profile_of(context)
    _, action, number = query.data.split(":")
    if action == "cancel":
        # Only under the prompt of what is awaited now (an older one's button cancels nothing).
        await context.services.relay.cancel(
            query.message.chat.id, profile.user.id, pressed=query.message.message_id
        )
        await query.answer(context.text("tipact-cancelled"))
        return
    code = await context.services.relay.start_answer(profile, int(number), query.message.chat.id)
    await query.answer()
    cancel = [[InlineButton("tipact-button-cancel", f"relay:cancel:{number}")]]
    await reply(
        update,
        context,
        "relay-ask-answer",
        reply_markup=keyboard(cancel, context.locale),
        code=code,
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    content = filters.TEXT | filters.PHOTO | filters.VIDEO | filters.VOICE | filters.Document.ALL
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & content & ~filters.COMMAND & NOT_A_MENU_BUTTON,
            on_message,
        ),
        group=RELAY_GROUP,
    )
    app.add_handler(CommandHandler(["huy", "cancel"], on_cancel), group=RELAY_GROUP)
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^relay:(answer|cancel):\d{1,9}$"))
