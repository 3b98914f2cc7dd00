"""/tincuatoi (/mytips): a resident follows the tips they sent, newest first, with history."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import AnninhContext
from bot.i18n import t
from bot.render import truncate
from handlers.common import profile_of, reply
from handlers.inbox import CardWriter
from handlers.menu import button_filter
from services.categories import label_key
from services.domain import ReportDTO
from services.ports import CardKind, Html, L10n, Recipient
from services.tip_card_tracker import TELEGRAM, ShownAt
from services.tip_followup import ReportDetail, ReportPage

PREFIX = "mytips"


def _status(status: str) -> L10n:
    return L10n(f"tip-status-{status}")


def _tip_fields(r: ReportDTO, local_time: Callable[[datetime], str]) -> dict[str, object]:
    """What the list line and the detail view both say of a tip."""
    return {
        "code": r.code,
        "category": L10n(label_key(r.category)),
        "status": _status(r.status.value),
        "date": local_time(r.created_at),
    }


def _page_view(
    context: AnninhContext, page: ReportPage
) -> tuple[str, InlineKeyboardMarkup | None]:
    tips = context.services.tip_followup
    if not page.items:
        return context.text("mytips-empty"), None
    lines = [context.text("mytips-line", **_tip_fields(r, tips.local_time)) for r in page.items]
    rows = [
        [
            InlineKeyboardButton(
                t(
                    "mytips-button",
                    context.locale,
                    code=r.code,
                    status=t(f"tip-status-{r.status.value}", context.locale),
                ),
                callback_data=f"{PREFIX}:show:{r.id}",
            )
        ]
        for r in page.items
    ]
    nav = []
    if page.page > 0:
        nav.append(
            InlineKeyboardButton(
                t("mytips-prev", context.locale), callback_data=f"{PREFIX}:page:{page.page - 1}"
            )
        )
    if page.page + 1 < page.pages:
        nav.append(
            InlineKeyboardButton(
                t("mytips-next", context.locale), callback_data=f"{PREFIX}:page:{page.page + 1}"
            )
        )
    if nav:
        rows.append(nav)
    text = context.text(
        "mytips-list",
        lines=Html("\n".join(lines)),
        page=page.page + 1,
        pages=page.pages,
        total=page.total,
    )
    return truncate(text), InlineKeyboardMarkup(rows)


def detail_view(writer: CardWriter, detail: ReportDetail, place: str | None) -> str:
    """The reporter's view of one of their tips (also redrawn when it changes)."""
    r = detail.report
    history = "\n".join(
        writer.text(
            "mytips-history-line",
            date=writer.local_time(h.created_at),
            status=_status(h.new_status.value),
            note=h.note or "",
            has_note="yes" if h.note else "no",
        )
        for h in detail.history
    )
    text = r.text if len(r.text) <= 1500 else r.text[:1500] + "…"
    return truncate(
        writer.text(
            "mytips-detail",
            **_tip_fields(r, writer.local_time),
            area=place or L10n("tip-area-unknown"),
            anonymous=L10n("tip-summary-anonymous" if r.anonymous else "tip-summary-named"),
            attachments=detail.attachments,
            text=text or L10n("tip-none"),
            history=Html(history),
        )
    )


async def my_tips(update: Update, context: AnninhContext) -> None:
    """List the caller's tips (first page)."""
    chat = update.effective_chat
    if chat is not None and chat.type != "private":
        await reply(update, context, "error-private-only")
        return
    page = await context.services.tip_followup.list_mine(profile_of(context).user.id, 0)
    text, markup = _page_view(context, page)
    await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup)  # type: ignore[union-attr]


async def on_button(update: Update, context: AnninhContext) -> None:
    """``mytips:page:<n>`` turns the page; ``mytips:show:<id>`` opens one tip."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, arg = query.data.split(":")
    uid = profile_of(context).user.id
    if query.message is None or query.message.chat.type != "private":
        # A forged button in a group would show who reported what.
        await query.answer(context.text("error-private-only")[:190], show_alert=True)
        return
    tips = context.services.tip_followup
    if action == "page":
        page = await tips.list_mine(uid, int(arg))
        await query.answer()
        text, markup = _page_view(context, page)
        with contextlib.suppress(BadRequest):
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
        return
    detail = await tips.detail_for_reporter(uid, int(arg))
    await query.answer()
    back = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("mytips-back", context.locale), callback_data=f"{PREFIX}:page:0"
                )
            ]
        ]
    )
    assert update.effective_chat is not None
    place = await context.services.areas.area_name(detail.area.id) if detail.area else None
    writer = CardWriter(context.locale, tips.local_time)
    sent = await context.bot.send_message(
        update.effective_chat.id,
        detail_view(writer, detail, place),
        parse_mode=ParseMode.HTML,
        reply_markup=back,
    )
    to = Recipient(sent.chat_id, context.locale, TELEGRAM)
    report = detail.report
    shown = ShownAt(report.id, to, sent.message_id, CardKind.REPORTER, uid, version=report.version)
    await context.services.tip_cards.record(shown)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["tincuatoi", "mytips"], my_tips))
    app.add_handler(MessageHandler(button_filter("mytips-menu"), my_tips))
    app.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:(page|show):\d{{1,9}}$"))
