"""/lichphat (/schedules): the advisories of the areas an officer polices now, whoever wrote
them, with their next run, and buttons to pause, resume, edit the text, delete the schedule or
retract the sent copies. Every button is checked again by the service (a forged one too)."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import AnninhContext
from bot.i18n import t
from handlers.advisories import ask_retraction, start_retraction
from handlers.advisory_compose import ask_edit
from handlers.common import edit_in_place, profile_of, reply
from services.domain import AdvisoryDTO, AdvisoryStatus
from services.schedule_text import Schedule, describe

PREFIX = "sched"
SHOWN = 10


def _when(context: AnninhContext, advisory: AdvisoryDTO) -> str:
    schedule = Schedule(
        advisory.recurrence,
        run_at=advisory.run_at,
        time_of_day=advisory.time_of_day,
        weekdays=advisory.weekdays,
        month_day=advisory.month_day,
        until=date.fromisoformat(advisory.until) if advisory.until else None,
    )
    locale = context.locale
    return describe(schedule, context.services.settings.tz, lambda key, **a: t(key, locale, **a))


def _next(context: AnninhContext, advisory: AdvisoryDTO) -> str:
    if advisory.next_run_at is None:
        return t("sched-next-none", context.locale)
    return advisory.next_run_at.astimezone(context.services.settings.tz).strftime("%H:%M %d/%m/%Y")


def _markup(context: AnninhContext, advisory: AdvisoryDTO) -> InlineKeyboardMarkup:
    loc = context.locale
    row = []
    if advisory.status is AdvisoryStatus.ACTIVE:
        row.append((t("sched-pause", loc), f"{PREFIX}:pause:{advisory.id}"))
    elif advisory.status is AdvisoryStatus.PAUSED:
        row.append((t("sched-resume", loc), f"{PREFIX}:resume:{advisory.id}"))
    row.append((t("sched-edit", loc), f"{PREFIX}:edit:{advisory.id}"))
    rows = [
        row,
        [
            (t("sched-delete", loc), f"{PREFIX}:delete:{advisory.id}"),
            (t("sched-retract", loc), f"{PREFIX}:retract:{advisory.id}"),
        ],
    ]
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in r] for r in rows]
    )


def _item(context: AnninhContext, advisory: AdvisoryDTO, *, sent_before: bool = True) -> str:
    """``sent_before``: False while an active advisory waits for its first send."""
    status = advisory.status.value
    if advisory.status is AdvisoryStatus.ACTIVE and not sent_before:
        status = "waiting"
    return context.text(
        "sched-item",
        id=str(advisory.id),
        title=advisory.title,
        when=_when(context, advisory),
        status=status,
        next=_next(context, advisory),
    )


async def schedules(update: Update, context: AnninhContext) -> None:
    """The advisories of the areas the caller polices now (newest first), whoever wrote them."""
    profile = profile_of(context)
    advisories = await context.services.advisories.managed(profile)
    if not advisories:
        await reply(update, context, "sched-none")
        return
    chat = update.effective_chat
    assert chat is not None
    shown = advisories[:SHOWN]
    sent = await context.services.advisories.ever_run([a.id for a in shown])
    for advisory in shown:
        await context.bot.send_message(
            chat.id,
            _item(context, advisory, sent_before=advisory.id in sent),
            parse_mode="HTML",
            reply_markup=_markup(context, advisory),
        )


async def on_button(update: Update, context: AnninhContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, action, raw_id = query.data.split(":")
    advisory_id = int(raw_id)
    profile = profile_of(context)
    service = context.services.advisories
    if action == "retract":
        # Answered after the rights check, so that a refusal is the answer to the press.
        await ask_retraction(update, context, advisory_id)
        await query.answer()
        return
    if action == "retractok":
        await start_retraction(update, context, advisory_id)
        await query.answer()
        await edit_in_place(query, context.text("adv-retract-confirmed", id=str(advisory_id)))
        return
    if action == "retractno":
        await query.answer()
        await edit_in_place(query, context.text("adv-retract-kept", id=str(advisory_id)))
        return
    if action == "edit":
        await ask_edit(update, context, advisory_id)
        await query.answer()
        return
    if action == "pause":
        advisory = await service.pause(profile, advisory_id)
        note = context.text("sched-paused", id=str(advisory_id))
    elif action == "resume":
        advisory = await service.resume(profile, advisory_id)
        note = context.text("sched-resumed", id=str(advisory_id), next=_next(context, advisory))
    else:
        await service.delete(profile, advisory_id)
        await query.answer()
        await edit_in_place(query, context.text("sched-deleted", id=str(advisory_id)))
        return
    await query.answer(note[:190])
    sent = await service.ever_run([advisory.id])
    item = _item(context, advisory, sent_before=advisory.id in sent)
    await edit_in_place(query, item, _markup(context, advisory))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["lichphat", "schedules"], schedules))
    app.add_handler(
        CallbackQueryHandler(
            on_button,
            pattern=rf"^{PREFIX}:(pause|resume|edit|delete|retract|retractok|retractno):\d{{1,12}}$",
        )
    )
