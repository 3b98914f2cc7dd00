"""/phatcanhbao (/broadcast) and the "📢 Phát cảnh báo" button: the guided flow in which an
officer composes a warning, picks its target and schedule, previews it and confirms; and
/thuhoi (/retract) to delete the sent copies from every group.

The flow is one of the conversation engine's (services/conversation.py): its steps and rules
are in services/advisory_compose.py, the draft is stored after every step, so after a restart
the officer's next message or press carries on where it was; handlers/advisory_compose.py
renders the steps. This module keeps /thuhoi and the registration.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import AnninhContext
from bot.i18n import t
from handlers.advisory_compose import (
    AREA_PREFIX,
    PREFIX,
    on_area,
    on_button,
    on_cancel_command,
    on_input,
    start,
)
from handlers.common import profile_of, reply
from handlers.menu import button_filter
from services.text_input import whole_number

logger = logging.getLogger(__name__)

INPUT_GROUP = -12
"""Before other features' prompt handlers (group -10, -5): each group runs one handler."""


# -- retract ---------------------------------------------------------------------------------
async def retract(update: Update, context: AnninhContext) -> None:
    """/thuhoi <number>: delete the advisory's copies from every group (in the background)."""
    profile = profile_of(context)
    context.services.advisory_targets.require_police(profile)
    advisory_id = whole_number(context.args[0].lstrip("#")) if context.args else None
    if advisory_id is None:
        await reply(update, context, "adv-retract-usage")
        return
    await ask_retraction(update, context, advisory_id)


async def ask_retraction(update: Update, context: AnninhContext, advisory_id: int) -> None:
    """Deleting from every group cannot be undone: say how many groups, and ask first."""
    groups = await context.services.advisories.reach(profile_of(context), advisory_id)
    chat = update.effective_chat
    assert chat is not None
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("adv-retract-yes", context.locale),
                    callback_data=f"sched:retractok:{advisory_id}",
                ),
                InlineKeyboardButton(
                    t("adv-cancel", context.locale), callback_data=f"sched:retractno:{advisory_id}"
                ),
            ]
        ]
    )
    await context.bot.send_message(
        chat.id,
        context.text("adv-retract-confirm", id=str(advisory_id), groups=groups),
        parse_mode="HTML",
        reply_markup=markup,
    )


async def start_retraction(update: Update, context: AnninhContext, advisory_id: int) -> None:
    profile = profile_of(context)
    chat = update.effective_chat
    assert chat is not None
    await context.services.advisories.get_editable(profile, advisory_id)
    await _send(context, chat.id, "adv-retract-started", id=str(advisory_id))

    async def work() -> None:
        try:
            result = await context.services.advisories.retract(profile, advisory_id)
        except Exception:
            logger.exception("retraction of advisory %s failed", advisory_id)
            await _send(context, chat.id, "error-generic")
            return
        await _send(
            context,
            chat.id,
            "adv-retracted",
            id=str(advisory_id),
            deleted=result.deleted,
            total=result.total,
            stopped=result.stopped,
        )

    context.application.create_task(work(), name=f"advisory-retract:{advisory_id}")


async def _send(context: AnninhContext, chat_id: int, key: str, **args: object) -> None:
    await context.bot.send_message(chat_id, context.text(key, **args), parse_mode="HTML")


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(
        MessageHandler(
            private & filters.Regex(r"^/(huy|cancel)(@\w+)?(\s|$)"), on_cancel_command
        ),
        group=INPUT_GROUP,
    )
    app.add_handler(
        MessageHandler(
            private & ~filters.COMMAND & (filters.TEXT | filters.PHOTO | filters.Document.ALL),
            on_input,
        ),
        group=INPUT_GROUP,
    )
    app.add_handler(CommandHandler(["phatcanhbao", "broadcast"], start))
    app.add_handler(MessageHandler(button_filter("adv-button"), start))
    app.add_handler(CommandHandler(["thuhoi", "retract"], retract))
    app.add_handler(CallbackQueryHandler(on_area, pattern=rf"^{AREA_PREFIX}:"))
    app.add_handler(
        CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:[a-z]+(:[0-9a-z]*)*$")
    )
