"""The residents' tip journey in a private chat: /baotin (/tip), /canhbaolua (/scam), the
free-message offer, and /huy (/cancel).

The conversation's state is the draft in the database (services.tip_steps), not PTB memory:
after a restart the next message finds the draft and asks "continue or drop?". Handlers only
parse the update, call the tip services and render (handlers.tips_render); the flow's buttons
are in handlers.tip_buttons.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import AnninhContext
from bot.i18n import t
from handlers import tips_render
from handlers.common import profile_of, reply
from handlers.conversation import take_buttons_off
from handlers.faq import answer_free_text
from handlers.menu import NOT_A_MENU_BUTTON, button_filter, keyboard_for
from handlers.tip_buttons import on_area_button, on_flow_button
from handlers.tips_render import AREA_PREFIX, FLOW, LIVE, ask, button, chat_id_of, send, user_id_of
from services.categories import Category
from services.ports import MediaKind
from services.tip_drafts import MAX_ADDRESS, MAX_TEXT, Draft, DraftAttachment, Step, WrongStep

logger = logging.getLogger(__name__)


async def _faq_answered(update: Update, context: AnninhContext) -> bool:
    """The procedures FAQ answers a free message it recognises; only otherwise is the message
    offered as a tip."""
    try:
        return await answer_free_text(update, context)
    except Exception:  # a broken FAQ must not cost the resident their message
        logger.exception("the FAQ hook failed; offering the message as a tip instead")
        return False


def _private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == "private"


async def _group_hint(update: Update, context: AnninhContext) -> None:
    url = f"https://t.me/{context.bot.username}?start=baotin"
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t("tip-button-open-private", context.locale), url=url)]]
    )
    await reply(update, context, "tip-private-only", reply_markup=markup)


async def _ask_resume(context: AnninhContext, chat_id: int, preset: str | None = None) -> None:
    new = f"{FLOW}:new:{preset}" if preset else f"{FLOW}:new"
    markup = InlineKeyboardMarkup(
        [
            [button(context, "tip-button-resume", f"{FLOW}:resume")],
            [button(context, "tip-button-discard", new)],
        ]
    )
    await send(context, chat_id, "tip-resume", markup)


async def _start(update: Update, context: AnninhContext, preset: str | None) -> None:
    if not _private(update):
        await _group_hint(update, context)
        return
    intake = context.services.tip_intake
    steps = context.services.tip_steps
    draft = await steps.current(user_id_of(context))
    if draft is not None and draft.step is not Step.OFFER:
        context.user_data[LIVE] = True  # type: ignore[index]
        await _ask_resume(context, chat_id_of(update), preset)
        return
    draft = await intake.begin(user_id_of(context), category=preset)
    context.user_data[LIVE] = True  # type: ignore[index]
    if preset:
        await send(context, chat_id_of(update), "tip-fraud-intro")
    await ask(context, chat_id_of(update), draft)


async def tip_command(update: Update, context: AnninhContext) -> None:
    """/baotin: start writing a tip."""
    await _start(update, context, None)


async def scam_command(update: Update, context: AnninhContext) -> None:
    """/canhbaolua: a tip about online fraud (category preset)."""
    await _start(update, context, Category.ONLINE_FRAUD.value)


async def cancel_command(update: Update, context: AnninhContext) -> None:
    """/huy: drop the tip being written, at any step (its step's message loses its buttons)."""
    steps = context.services.tip_steps
    draft = await steps.current(user_id_of(context))
    dropped = await steps.cancel(user_id_of(context))
    if dropped and draft is not None:
        await take_buttons_off(context, draft.prompt)
    markup = keyboard_for(profile_of(context)) if _private(update) else None
    await reply(
        update,
        context,
        "tip-cancelled" if dropped else "tip-nothing-to-cancel",
        reply_markup=markup,
    )


# -- messages --------------------------------------------------------------------------------
def _attachment(message: Message) -> DraftAttachment | None:
    group = message.media_group_id
    if message.photo:
        p = message.photo[-1]
        return DraftAttachment(MediaKind.PHOTO, p.file_id, p.file_unique_id, "image/jpeg", group)
    found: list[tuple[MediaKind, Any]] = [
        (MediaKind.ANIMATION, message.animation),
        (MediaKind.VIDEO, message.video),
        (MediaKind.VOICE, message.voice),
        (MediaKind.AUDIO, message.audio),
        (MediaKind.DOCUMENT, message.document),
    ]
    for kind, item in found:
        if item is not None:
            mime = getattr(item, "mime_type", None)
            return DraftAttachment(kind, item.file_id, item.file_unique_id, mime, group)
    return None


def _message_key(message: Message) -> str:
    """A private chat's message ids are its person's: unique within their draft."""
    return f"tg:{message.message_id}"


async def on_message(update: Update, context: AnninhContext) -> None:
    """Every private message that no other feature took: a step of the draft, or an offer."""
    message = update.effective_message
    if message is None or not _private(update):
        return
    arrival = context.arrival
    if arrival is not None:  # read with the sender at the start of this update
        draft = await context.services.tip_steps.arrived(arrival.draft)
    else:
        draft = await context.services.tip_steps.current(user_id_of(context))
    if draft is None or draft.step is Step.OFFER:
        await _outside_flow(update, context, message)
        return
    restarted = not context.user_data.get(LIVE)  # type: ignore[union-attr]
    context.user_data[LIVE] = True  # type: ignore[index]
    if restarted:
        if draft.step is Step.DESCRIPTION and (message.text or _attachment(message)):
            await _step_input(update, context, message, draft, quiet=True)
        await _ask_resume(context, chat_id_of(update))
        return
    await _step_input(update, context, message, draft)


async def _outside_flow(update: Update, context: AnninhContext, message: Message) -> None:
    chat_id = chat_id_of(update)
    if message.sticker is not None:
        await send(context, chat_id, "tip-sticker-outside")
        return
    markup = InlineKeyboardMarkup(
        [
            [button(context, "tip-button-offer-yes", f"{FLOW}:offer:yes")],
            [button(context, "tip-button-offer-no", f"{FLOW}:offer:no")],
        ]
    )
    if message.text is None:
        item = _attachment(message)
        if item is None:  # a location, a contact...: nothing to keep for a tip
            await send(context, chat_id, "tip-media-outside")
            return
        # Kept, so that "yes" starts the tip with it attached (not "send it again").
        if await context.services.tip_steps.offer_attachment(
            user_id_of(context), item, message.caption
        ):
            await send(context, chat_id, "tip-media-offer", markup)
        return
    # Kept first: the FAQ answer's "not what you meant? send a tip" button accepts it.
    _, truncated = await context.services.tip_steps.offer(user_id_of(context), message.text)
    if await _faq_answered(update, context):
        return
    await send(context, chat_id, "tip-offer", markup, truncated="yes" if truncated else "no")


async def _step_input(
    update: Update,
    context: AnninhContext,
    message: Message,
    draft: Draft,
    *,
    quiet: bool = False,
) -> None:
    tips = context.services.tip_steps
    uid, chat_id = user_id_of(context), chat_id_of(update)
    step = draft.step
    try:
        if step is Step.DESCRIPTION:
            await _description_input(context, message, chat_id, draft, quiet=quiet)
            return
        if step is Step.FRAUD and message.text is not None:
            accepted = await tips.set_fraud_details(uid, message.text)
            if accepted.truncated:
                await send(context, chat_id, "tip-text-cut", limit=accepted.limit)
            await ask(context, chat_id, accepted.draft)
            return
        if step is Step.LOCATION:
            location = message.location or (message.venue.location if message.venue else None)
            if location is not None:
                new = await tips.set_location(uid, location.latitude, location.longitude)
                await send(
                    context, chat_id, "tip-location-received", tips_render.no_reply_keyboard()
                )
                await ask(context, chat_id, new)
                return
            if message.text is not None:
                if message.text.strip() in tips_render.skip_location_labels():
                    new = await tips.skip_location(uid)
                    await send(
                        context, chat_id, "tip-location-skipped", tips_render.no_reply_keyboard()
                    )
                else:
                    accepted = await tips.set_address(uid, message.text)
                    new = accepted.draft
                    key = "tip-address-cut" if accepted.truncated else "tip-address-received"
                    await send(
                        context, chat_id, key, tips_render.no_reply_keyboard(), limit=MAX_ADDRESS
                    )
                await ask(context, chat_id, new)
                return
    except WrongStep as wrong:
        await ask(context, chat_id, wrong.draft)
        return
    if message.sticker is not None:
        await send(context, chat_id, "tip-sticker")
    else:
        await send(context, chat_id, "tip-use-buttons")
    await ask(context, chat_id, draft)


async def _description_input(
    context: AnninhContext, message: Message, chat_id: int, draft: Draft, *, quiet: bool
) -> None:
    """One message of the description, stored, then acknowledged with the step's "Xong" and
    "Hủy". The acknowledgements are not recorded as the step's message: every one of them is
    newer than the step's question, so their buttons act while the tip is at this step and
    expire when it moves on (services.conversation.check_press). Recording each one and
    taking the buttons off the one before cost a write and an edit per message, which
    halved how many descriptions the bot takes in a second."""
    tips = context.services.tip_steps
    uid = user_id_of(context)
    item = _attachment(message)
    if item is not None:
        accepted = await tips.add_attachment(
            uid, item, message.caption, seen=draft, message_key=_message_key(message)
        )
        if accepted.acknowledge and not quiet:
            key = "tip-album-received" if accepted.album else "tip-attachment-received"
            await send(
                context,
                chat_id,
                key,
                tips_render.done_keyboard(context, draft),
                count=len(accepted.draft.attachments),
            )
        return
    if message.text is not None:
        text_accepted = await tips.add_text(
            uid, message.text, seen=draft, message_key=_message_key(message)
        )
        if quiet:
            return
        key = "tip-text-cut" if text_accepted.truncated else "tip-text-received"
        await send(
            context, chat_id, key, tips_render.done_keyboard(context, draft), limit=MAX_TEXT
        )
        return
    key = "tip-sticker" if message.sticker is not None else "tip-unsupported"
    await send(context, chat_id, key, tips_render.done_keyboard(context, draft))


async def on_edited(update: Update, context: AnninhContext) -> None:
    """Edits of earlier messages are not applied to a tip: say so, and how to correct it."""
    await reply(update, context, "tip-edit-ignored")


# -- registration ----------------------------------------------------------------------------
def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["baotin", "tip"], tip_command))
    app.add_handler(MessageHandler(button_filter("tip-menu-send"), tip_command))
    app.add_handler(CommandHandler(["canhbaolua", "scam"], scam_command))
    app.add_handler(MessageHandler(button_filter("tip-menu-scam"), scam_command))
    app.add_handler(CommandHandler(["huy", "cancel"], cancel_command))
    app.add_handler(
        CallbackQueryHandler(on_flow_button, pattern=rf"^{FLOW}:[a-z]+(:[a-z0-9_]*)?$")
    )
    app.add_handler(CallbackQueryHandler(on_area_button, pattern=rf"^{AREA_PREFIX}:"))
    app.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE, on_edited)
    )


def register_late(app: Application) -> None:  # type: ignore[type-arg]
    """The catch-all for private messages goes after every feature's own handlers, so a
    feature's button or flow is never swallowed by the tip offer."""
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.ChatType.PRIVATE
            & ~filters.COMMAND
            & NOT_A_MENU_BUTTON,
            on_message,
        )
    )
