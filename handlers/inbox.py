"""/hopthu (/inbox): the police inbox — tips of the officer's areas, filtered and paged in place,
and one card per tip with its media, map pin, history, questions to the reporter and actions.

Callback data: ``inbox:l:<status>:<category>:<page>`` (list), ``inbox:o:<report id>`` (card).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import AnninhContext
from bot.i18n import t
from bot.render import keyboard, render_html, truncate
from handlers.common import edit_in_place, profile_of
from handlers.menu import button_filter
from services.categories import CATEGORIES, label_key
from services.domain import RelayDirection
from services.inbox_model import STATUS_CODES, InboxPage, TipCard, card_buttons, categories_cycle
from services.ports import (
    CardKind,
    Html,
    InlineButton,
    L10n,
    MediaKind,
    MediaRef,
    OutgoingMessage,
    Recipient,
)
from services.tip_card_tracker import TELEGRAM, ShownAt

PREFIX = "inbox"
SUMMARY = 90
STATUS_LABELS = {
    "a": "inbox-filter-all",
    "r": "tip-status-received",
    "v": "tip-status-verifying",
    "h": "tip-status-handled",
    "x": "tip-status-rejected",
}


def _category_label(code: str) -> L10n:
    return L10n("inbox-filter-category-all") if code == "all" else L10n(label_key(code))


@dataclass(frozen=True, slots=True)
class CardWriter:
    """What drawing a card needs of its reader: their language and the local clock (a
    handler's context, or services.tip_cards redrawing a card for someone not writing)."""

    locale: str
    local_time: Callable[[datetime], str]

    @classmethod
    def of(cls, context: AnninhContext) -> CardWriter:
        return cls(context.locale, context.services.inbox.local_time)

    def text(self, key: str, /, **args: Any) -> str:
        return render_html(key, self.locale, args)


def _marks(context: AnninhContext | CardWriter, needs_review: bool, closed_by_review: bool) -> str:
    marks = []
    if needs_review:
        marks.append(context.text("inbox-review-mark"))
    if closed_by_review:
        marks.append(context.text("inbox-review-rejected-mark"))
    return "".join(marks)


def _closing_line(writer: CardWriter, card: TipCard) -> str:
    closing = card.review_closing
    assert closing is not None
    return writer.text(
        "inbox-card-review-closed",
        name=closing.moderator_name or L10n("tipact-someone"),
        how=closing.resolution,
        time=writer.local_time(closing.at) if closing.at else "",
    )


def _list_view(context: AnninhContext, page: InboxPage) -> tuple[str, InlineKeyboardMarkup | None]:
    text, rows = listing_parts(CardWriter.of(context), page)
    return truncate(text), keyboard(rows, context.locale)


def listing_parts(
    writer: CardWriter, page: InboxPage
) -> tuple[str, tuple[tuple[InlineButton, ...], ...]]:
    """A /hopthu page's text (HTML) and buttons (also redrawn when a tip on it changes)."""
    common = {
        "title": Html(writer.text("inbox-title")),
        "status": L10n(STATUS_LABELS[page.status]),
        "category": _category_label(page.category),
    }
    if not page.entries:
        text = writer.text("inbox-empty", **common)
    else:
        lines = []
        for n, entry in enumerate(page.entries, start=1 + page.page * 5):
            r = entry.report
            summary = " ".join(r.text.split())
            lines.append(
                writer.text(
                    "inbox-line",
                    n=n,
                    code=r.code,
                    category=L10n(label_key(r.category)),
                    status=L10n(f"tip-status-{r.status.value}"),
                    review=Html(_marks(writer, entry.needs_review, entry.closed_by_review)),
                    area=entry.area_name or L10n("inbox-card-area-unknown"),
                    time=writer.local_time(r.created_at),
                    summary=summary[:SUMMARY] + ("…" if len(summary) > SUMMARY else ""),
                )
            )
        text = writer.text(
            "inbox-list",
            page=page.page + 1,
            pages=page.pages,
            total=page.total,
            lines=Html("\n\n".join(lines)),
            **common,
        )
    rows: list[list[InlineButton]] = []
    status_buttons = [
        InlineButton(
            "inbox-button-status",
            f"{PREFIX}:l:{code}:{page.category}:0",
            label_args={"mark": "• " if code == page.status else "", "label": L10n(key)},
        )
        for code, key in STATUS_LABELS.items()
    ]
    rows.append(status_buttons[:3])
    rows.append(status_buttons[3:])
    next_category = categories_cycle(page.category, [c.value for c in CATEGORIES])
    rows.append(
        [
            InlineButton(
                "inbox-button-category",
                f"{PREFIX}:l:{page.status}:{next_category}:0",
                label_args={"category": _category_label(page.category)},
            )
        ]
    )
    opens = [
        InlineButton(
            "inbox-button-open",
            f"{PREFIX}:o:{entry.report.id}",
            label_args={"n": n, "code": entry.report.code},
        )
        for n, entry in enumerate(page.entries, start=1 + page.page * 5)
    ]
    for i in range(0, len(opens), 2):
        rows.append(opens[i : i + 2])
    paging = []
    if page.page > 0:
        paging.append(
            InlineButton(
                "inbox-button-prev", f"{PREFIX}:l:{page.status}:{page.category}:{page.page - 1}"
            )
        )
    if page.page + 1 < page.pages:
        paging.append(
            InlineButton(
                "inbox-button-next", f"{PREFIX}:l:{page.status}:{page.category}:{page.page + 1}"
            )
        )
    if paging:
        rows.append(paging)
    return text, tuple(tuple(row) for row in rows)


def card_view(context: AnninhContext, card: TipCard) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of a tip card (also used to refresh it after an action)."""
    return truncate(card_text(CardWriter.of(context), card)), keyboard(
        card_buttons(card), context.locale
    )


def card_text(writer: CardWriter, card: TipCard) -> str:
    """The text of a tip card (HTML) in the writer's language."""
    r = card.report
    history = []
    for line in card.history:
        history.append(
            writer.text(
                "inbox-history-line",
                time=writer.local_time(line.at),
                status=L10n(f"tip-status-{line.status.value}"),
                who=Html(writer.text("inbox-history-who", name=line.actor_name))
                if line.actor_name
                else "",
                note=Html(writer.text("inbox-history-note", note=line.note[:300]))
                if line.note
                else "",
            )
        )
    relay = ""
    if card.relay:
        lines = []
        for item in card.relay[-6:]:
            key = (
                "inbox-relay-line-question"
                if item.direction is RelayDirection.TO_REPORTER
                else "inbox-relay-line-answer"
            )
            body = item.text[:300] or t("inbox-relay-photo", writer.locale)
            if item.text and item.media_file_id:
                body = f"{body} {t('inbox-relay-photo', writer.locale)}"
            lines.append(writer.text(key, time=writer.local_time(item.created_at), text=body))
        relay = writer.text("inbox-card-relay", lines=Html("\n".join(lines)))
    has_pin = r.latitude is not None and r.longitude is not None
    if card.attachments or has_pin:
        media = writer.text(
            "inbox-card-media-line",
            count=len(card.attachments),
            pin=Html(writer.text("inbox-card-media-pin")) if has_pin else "",
        )
    else:
        media = writer.text("inbox-card-no-media")
    indicators = ""
    if card.indicators:
        lines = "\n".join(
            writer.text("inbox-card-indicator", display=link.indicator.display, state=link.state)
            for link in card.indicators
        )
        indicators = writer.text("inbox-card-indicators", lines=Html(lines))
    area = " › ".join(a.name for a in card.lineage) if card.lineage else None
    text = writer.text(
        "inbox-card",
        code=r.code,
        category=L10n(label_key(r.category)),
        review=Html(" " + _marks(writer, card.needs_review, card.review_closing is not None))
        if card.needs_review or card.review_closing
        else "",
        moderation=Html("\n" + _closing_line(writer, card)) if card.review_closing else "",
        status=L10n(f"tip-status-{r.status.value}"),
        area=area or L10n("inbox-card-area-unknown"),
        time=writer.local_time(r.created_at),
        address=r.address or L10n("inbox-card-none"),
        reporter=card.reporter_name or L10n("inbox-card-anonymous"),
        media=Html(media),
        text=r.text[:2500],
        fraud=Html(writer.text("inbox-card-fraud", details=r.fraud_details[:800]))
        if r.fraud_details
        else "",
        indicators=Html(indicators),
        history=Html("\n".join(history)),
        relay=Html(relay),
    )
    return text


async def send_card(context: AnninhContext, chat_id: int, card: TipCard) -> None:
    """Media (re-sent by file id) and the map pin first, then the card with its buttons."""
    r = card.report
    media = []
    for item in card.attachments:
        try:
            media.append(MediaRef(MediaKind(item.kind), item.file_id))
        except ValueError:
            continue
    location = (r.latitude, r.longitude) if r.latitude is not None and r.longitude else None
    if media or location:
        await context.services.sender.send(
            Recipient(chat_id, context.locale),
            OutgoingMessage(
                "inbox-card-media",
                {"code": r.code},
                media=tuple(media),
                location=location,  # type: ignore[arg-type]
                silent=True,
            ),
        )
    text, markup = card_view(context, card)
    sent = await context.bot.send_message(
        chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
    )
    kind = CardKind.DETAIL if chat_id > 0 else CardKind.POLICE
    viewer = profile_of(context).user.id
    to = Recipient(chat_id, context.locale, TELEGRAM)
    shown = ShownAt(r.id, to, sent.message_id, kind, viewer, version=r.version)
    await context.services.tip_cards.record(shown)


async def inbox_command(update: Update, context: AnninhContext) -> None:
    """/hopthu [code]: the list, or one tip by its code."""
    profile = profile_of(context)
    chat = update.effective_chat
    assert chat is not None
    if context.args:
        code = context.args[0].strip().upper()[:20]
        report = await context.services.inbox.find_code(profile, code)
        card = await context.services.inbox.card(profile, report, chat_id=chat.id)
        await send_card(context, chat.id, card)
        return
    page = await context.services.inbox.page(profile, chat_id=chat.id)
    text, markup = _list_view(context, page)
    sent = await context.bot.send_message(
        chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup
    )
    await context.services.tip_cards.record_listing(
        page, chat.id, sent.message_id, context.locale, profile.user.id
    )


async def on_button(update: Update, context: AnninhContext) -> None:
    """List navigation (edited in place) and opening a card."""
    query = update.callback_query
    assert query is not None and query.data is not None
    assert query.message is not None
    profile = profile_of(context)
    chat_id = query.message.chat.id
    parts = query.data.split(":")
    if parts[1] == "o":
        card = await context.services.inbox.card(profile, int(parts[2]), chat_id=chat_id)
        await query.answer()
        await send_card(context, chat_id, card)
        return
    status, category, number = parts[2], parts[3], int(parts[4])
    page = await context.services.inbox.page(
        profile, chat_id=chat_id, status=status, category=category, page=number
    )
    text, markup = _list_view(context, page)
    await query.answer()
    await edit_in_place(query, text, markup)
    await context.services.tip_cards.record_listing(
        page, chat_id, query.message.message_id, context.locale, profile.user.id
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["hopthu", "inbox"], inbox_command))
    app.add_handler(MessageHandler(button_filter("inbox-menu"), inbox_command))
    statuses = "|".join(STATUS_CODES)
    app.add_handler(
        CallbackQueryHandler(
            on_button,
            pattern=rf"^{PREFIX}:(l:({statuses}):[a-z_]{{1,32}}:\d{{1,6}}|o:\d{{1,9}})$",
        )
    )
