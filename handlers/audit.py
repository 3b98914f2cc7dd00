"""/nhatky (/audit): recent audit entries of the caller's areas, paged, in a private chat."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import AnninhContext
from bot.i18n import has
from bot.render import truncate
from handlers.common import edit_in_place, profile_of, reply
from services.audit import AuditEntryView, AuditPage
from services.text_input import whole_number

CALLBACK_PREFIX = "au"


def audit_action_label(context: AnninhContext, code: str) -> str:
    """An audit code ("review.approve") in words; a code without its own entry (written by a
    newer version) falls back to a generic phrase rather than failing."""
    key = f"audit-action-{code.replace('.', '-')}"
    if has(key, context.locale):
        return context.text(key)
    return context.text("audit-action-other", action=code)


def _line(context: AnninhContext, entry: AuditEntryView) -> str:
    actor = (
        entry.actor_name
        if entry.actor_kind == "named"
        else context.text("audit-actor", kind=entry.actor_kind)
    )
    return context.text(
        "audit-entry",
        when=entry.when,
        actor=actor,
        action=audit_action_label(context, entry.action),
        area=entry.area or "—",
        target=context.text("audit-target", type=entry.target_type, id=entry.target_id)
        if entry.target_type
        else "",
    )


def _render(context: AnninhContext, page: AuditPage) -> tuple[str, InlineKeyboardMarkup | None]:
    if not page.entries:
        return context.text("audit-empty"), None
    body = "\n\n".join(_line(context, e) for e in page.entries)  # a block each, on a phone
    text = truncate(context.text("audit-header", page=page.page + 1) + "\n" + body)
    nav = []
    if page.page > 0:
        nav.append(
            InlineKeyboardButton(
                context.text("audit-newer"), callback_data=f"{CALLBACK_PREFIX}:{page.page - 1}"
            )
        )
    if page.has_more:
        nav.append(
            InlineKeyboardButton(
                context.text("audit-older"), callback_data=f"{CALLBACK_PREFIX}:{page.page + 1}"
            )
        )
    return text, InlineKeyboardMarkup([nav]) if nav else None


async def audit(update: Update, context: AnninhContext) -> None:
    """The newest page."""
    profile = profile_of(context)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        await reply(update, context, "error-private-only")
        return
    text, markup = _render(context, await context.services.audit.page(profile, 0))
    await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def audit_page(update: Update, context: AnninhContext) -> None:
    """au:<page> — rights are applied again for every page."""
    profile = profile_of(context)
    query = update.callback_query
    assert query is not None and query.data is not None
    number = whole_number(query.data.split(":", 1)[1])
    if number is None or number > 10_000:
        await query.answer(context.text("error-button-expired"), show_alert=True)
        return
    text, markup = _render(context, await context.services.audit.page(profile, number))
    await query.answer()
    await edit_in_place(query, text, markup)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["nhatky", "audit"], audit))
    app.add_handler(CallbackQueryHandler(audit_page, pattern=rf"^{CALLBACK_PREFIX}:\d+$"))
