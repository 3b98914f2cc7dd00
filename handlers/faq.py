"""Procedures FAQ: ``/thutuc`` lists topics as buttons, ``/thutuc <words>`` searches, free-text
questions in a private chat are answered by :func:`answer_free_text` (called first by the tips
flow's free-text handler), and police edit entries with ``/suathutuc``."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import AnninhContext
from bot.i18n import t
from bot.render import truncate
from handlers.common import command_text, profile_of, reply
from handlers.menu import button_filter
from services.faq import FaqDTO, parse_faq_form


def _topics_markup(entries: list[FaqDTO], locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(e.question(locale)[:64], callback_data=f"faq:show:{e.id}")]
            for e in entries
        ]
    )


def _answer_markup(locale: str, *, offer_tip_key: str, tip_data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(t(offer_tip_key, locale), callback_data=tip_data)],
            [InlineKeyboardButton(t("faq-button-more", locale), callback_data="faq:list")],
        ]
    )


async def _send_answer(
    update: Update,
    context: AnninhContext,
    entry: FaqDTO,
    *,
    offer_tip_key: str,
    tip_data: str = "contact:tip",
) -> None:
    """The answer, with a button to send a tip instead (``tip_data``: a blank tip by default)."""
    chat = update.effective_chat
    assert chat is not None
    locale = context.locale
    message = update.effective_message if update.callback_query is None else None
    await context.bot.send_message(
        chat.id,
        truncate(
            context.text(
                "faq-answer", question=entry.question(locale), answer=entry.answer(locale)
            )
        ),
        parse_mode=ParseMode.HTML,
        reply_markup=_answer_markup(locale, offer_tip_key=offer_tip_key, tip_data=tip_data),
        reply_parameters=(
            ReplyParameters(message.message_id, allow_sending_without_reply=True)
            if message is not None
            else None
        ),
    )


async def list_topics(update: Update, context: AnninhContext) -> None:
    """/thutuc: topics as buttons; /thutuc <words>: search them."""
    profile_of(context)
    query = " ".join(context.args or [])
    if query:
        found = await context.services.faq.search(query)
        if len(found) == 1 or (found and found[0].score >= 95 > found[1].score):
            await _send_answer(update, context, found[0].entry, offer_tip_key="faq-button-tip")
            return
        if found:
            await reply(
                update,
                context,
                "faq-search-results",
                reply_markup=_topics_markup([m.entry for m in found], context.locale),
            )
            return
        await reply(update, context, "faq-search-none", query=query[:100])
    entries = await context.services.faq.topics()
    if not entries:
        await reply(update, context, "faq-empty")
        return
    await reply(
        update, context, "faq-topics", reply_markup=_topics_markup(entries, context.locale)
    )


async def list_button(update: Update, context: AnninhContext) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()
    context.args = []
    await list_topics(update, context)


async def show_topic(update: Update, context: AnninhContext) -> None:
    """A topic button: the answer."""
    query = update.callback_query
    assert query is not None and query.data is not None
    entry = await context.services.faq.get(int(query.data.rsplit(":", 1)[1]))
    await query.answer()
    await _send_answer(update, context, entry, offer_tip_key="faq-button-tip")


async def answer_free_text(update: Update, context: AnninhContext) -> bool:
    """Answer a resident's free-text question from the FAQ when it matches well enough.

    For the private-chat free-text handler (the tips flow calls this first, after keeping the
    message as an offer): replies with the best answer plus "Không đúng ý bạn? Gửi tin báo",
    which accepts that offer, so the tip starts with what the resident wrote; returns True.
    Or sends nothing and returns False (the text is then not an FAQ question)."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or chat.type != "private" or message is None or not message.text:
        return False
    if message.text.startswith("/"):
        return False
    match = await context.services.faq.answer(message.text)
    if match is None:
        return False
    await _send_answer(
        update, context, match.entry, offer_tip_key="faq-button-not-it", tip_data="tipf:offer:yes"
    )
    return True


async def edit_entry(update: Update, context: AnninhContext) -> None:
    """/suathutuc + ``key: value`` lines: police create or change an entry."""
    profile = profile_of(context)
    body = command_text(update)
    if not body.strip():
        entries = await context.services.faq.editable_topics(profile)
        slugs = ", ".join(e.slug for e in entries) or "-"
        await reply(update, context, "faq-edit-usage", slugs=slugs)
        return
    change = await context.services.faq.save(dict(parse_faq_form(body)), actor=profile)
    key = "faq-created" if change.created else "faq-updated"
    await reply(update, context, key, slug=change.entry.slug, question=change.entry.question_vi)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["thutuc", "faq"], list_topics))
    app.add_handler(MessageHandler(button_filter("faq-button"), list_topics))
    app.add_handler(CommandHandler(["suathutuc", "editfaq"], edit_entry))
    app.add_handler(CallbackQueryHandler(show_topic, pattern=r"^faq:show:\d{1,12}$"))
    app.add_handler(CallbackQueryHandler(list_button, pattern=r"^faq:list$"))
