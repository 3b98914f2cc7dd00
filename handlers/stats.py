"""/thongke (/stats) and the "📊 Thống kê" button: an area's figures for a period, with a chart
and a breakdown by child area; /baocaotuan (/digest) on|off: the weekly report in a police
work chat.

Callback data (prefix ``st``), rights checked again on every press:
``st:p:<kind>:<area id>`` a period relative to today (``w m q y lw lm``),
``st:r:<period token>:<area id>`` the figures of a fixed period, ``st:a:…`` its breakdown.
Area id 0 means "all of the caller's areas".
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import AnninhContext
from bot.i18n import t
from bot.render import TELEGRAM_CAPTION_LIMIT, truncate
from handlers.common import profile_of, reply, valid_press
from handlers.menu import button_filter
from services.stats_period import MENU_PERIODS, Period, PeriodKind, parse_range
from services.stats_text import breakdown_html, span

PREFIX = "st"
_RELATIVE = "|".join(k.value for k in PeriodKind if k is not PeriodKind.CUSTOM)
_ON = {"on", "bat", "bật", "1", "yes", "co", "có"}
_OFF = {"off", "tat", "tắt", "0", "no", "khong", "không"}


def _period_buttons(context: AnninhContext, area_id: int) -> list[list[InlineKeyboardButton]]:
    locale = context.locale
    row = [
        InlineKeyboardButton(
            t("stats-btn-period", locale, kind=kind.value),
            callback_data=f"{PREFIX}:p:{kind.value}:{area_id}",
        )
        for kind in MENU_PERIODS
    ]
    return [row[:3], row[3:]]


async def _private_chat_id(update: Update, context: AnninhContext) -> int | None:
    chat = update.effective_chat
    if chat is None:
        return None
    if chat.type != "private":
        await reply(update, context, "error-private-only")
        return None
    return chat.id


async def stats_command(update: Update, context: AnninhContext) -> None:
    """/thongke: the period menu, or straight to the figures for typed dates."""
    profile = profile_of(context)
    context.services.stats.check_allowed(profile)
    chat_id = await _private_chat_id(update, context)
    if chat_id is None:
        return
    if context.args:
        await _send_report(context, chat_id, parse_range(context.args), 0)
        return
    names = await context.services.stats.scope_names(profile)
    await context.bot.send_message(
        chat_id,
        context.text("stats-choose-period", areas=names),
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(_period_buttons(context, 0)),
    )


async def _send_report(
    context: AnninhContext,
    chat_id: int,
    period: Period,
    area_id: int,
    query: CallbackQuery | None = None,
) -> None:
    """Figures first (a refusal is answered on the button), then the chart and the text."""
    profile = profile_of(context)
    rendered = await context.services.stats.render(profile, period, area_id)
    if query is not None:
        await query.answer()
    report = rendered.report
    caption = context.text(
        "stats-chart-caption", areas=report.scope_names, dates=span(report.period)
    )
    await context.bot.send_photo(
        chat_id, photo=rendered.chart, caption=truncate(caption, TELEGRAM_CAPTION_LIMIT)
    )
    rows = []
    if report.can_break_down:
        rows.append(
            [
                InlineKeyboardButton(
                    context.text("stats-btn-areas"),
                    callback_data=f"{PREFIX}:a:{period.token()}:{area_id}",
                )
            ]
        )
    rows += _period_buttons(context, area_id)
    await context.bot.send_message(
        chat_id,
        truncate(rendered.html),
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def on_period(update: Update, context: AnninhContext) -> None:
    """st:p:<kind>:<area id> — the figures of this week, month... as of today."""
    profile = profile_of(context)
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    _, _, kind, area = query.data.split(":")
    context.services.stats.check_allowed(profile)
    period = context.services.stats.period(PeriodKind(kind))
    await _send_report(context, query.message.chat.id, period, int(area), query)


def _pressed_period(update: Update) -> tuple[CallbackQuery, int, Period, int]:
    """st:r/st:a:<token>:<area id> — the press, its chat, and the fixed period and area it
    carries (a token that does not read as a period is answered "expired")."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    _, _, token, area = query.data.split(":")
    return query, query.message.chat.id, valid_press(Period.from_token(token)), int(area)


async def on_report(update: Update, context: AnninhContext) -> None:
    """st:r:<token>:<area id> — the figures of a fixed period (a child area from a breakdown)."""
    profile = profile_of(context)
    query, chat_id, period, area = _pressed_period(update)
    context.services.stats.check_allowed(profile)
    await _send_report(context, chat_id, period, area, query)


async def on_breakdown(update: Update, context: AnninhContext) -> None:
    """st:a:<token>:<area id> — each child area with its count and change."""
    profile = profile_of(context)
    query, chat_id, period, area = _pressed_period(update)
    result = await context.services.stats.breakdown(profile, period, area)
    await query.answer()
    rows = [
        [
            InlineKeyboardButton(
                t("stats-btn-area", context.locale, name=line.area.name)[:60],
                callback_data=f"{PREFIX}:r:{period.token()}:{line.area.id}",
            )
        ]
        for line in result.lines
    ]
    await context.bot.send_message(
        chat_id,
        truncate(breakdown_html(result, context.locale, t)),
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )


async def digest_command(update: Update, context: AnninhContext) -> None:
    """/baocaotuan on|off in a police work chat (no argument: say whether it is on)."""
    profile = profile_of(context)
    chat = update.effective_chat
    if chat is None or chat.type == "private":
        await reply(update, context, "stats-digest-not-police-chat")
        return
    word = (context.args[0].strip().lower() if context.args else "")[:10]
    if word and word not in _ON | _OFF:
        await reply(update, context, "stats-digest-usage")
        return
    enabled = None if not word else word in _ON
    outcome = await context.services.weekly_digest.set_digest(chat.id, enabled, profile)
    if outcome.changed:
        key = "stats-digest-on" if outcome.enabled else "stats-digest-off"
    else:
        key = "stats-digest-status-on" if outcome.enabled else "stats-digest-status-off"
    await reply(update, context, key, area=outcome.area.name)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["thongke", "stats"], stats_command))
    app.add_handler(MessageHandler(button_filter("stats-button"), stats_command))
    app.add_handler(CommandHandler(["baocaotuan", "digest"], digest_command))
    app.add_handler(
        CallbackQueryHandler(on_period, pattern=rf"^{PREFIX}:p:(?:{_RELATIVE}):\d{{1,12}}$")
    )
    token = r"[a-z]{1,2}\.\d{8}\.\d{8}"
    app.add_handler(CallbackQueryHandler(on_report, pattern=rf"^{PREFIX}:r:{token}:\d{{1,12}}$"))
    app.add_handler(
        CallbackQueryHandler(on_breakdown, pattern=rf"^{PREFIX}:a:{token}:\d{{1,12}}$")
    )
