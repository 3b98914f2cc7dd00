"""The later steps of the compose flow: send options (pin, silent), when to send (now, once
at a typed moment, daily/weekly/monthly with their typed day, time and end date), and the
preview they all lead to."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update

from bot.context import AnninhContext
from bot.i18n import t
from handlers.advisory_draft import PREFIX, _cancel_row, _kb, _send, _tr
from handlers.common import profile_of, reply
from services.advisory_types import AdvisoryDraft
from services.domain import Recurrence
from services.errors import InvalidInput
from services.schedule_text import (
    Schedule,
    describe,
    format_hm,
    parse_date,
    parse_moment,
    parse_time,
)
from services.text_input import whole_number


# -- typed input: schedule steps -------------------------------------------------------------
async def _input_datetime(
    update: Update, context: AnninhContext, draft: dict[str, Any], message: Message
) -> None:
    tz = context.services.settings.tz
    moment = parse_moment(message.text or "", datetime.now(UTC), tz)
    draft["schedule"] = Schedule(Recurrence.ONCE, run_at=moment)
    await _preview(context, message.chat_id, draft)


async def _input_monthday(
    update: Update, context: AnninhContext, draft: dict[str, Any], message: Message
) -> None:
    day = whole_number((message.text or "").strip())
    if day is None or not 1 <= day <= 31:
        raise InvalidInput("sched-month-day-invalid")
    draft["month_day"] = day
    draft["step"] = "rtime"
    await reply(update, context, "adv-ask-time", reply_markup=_kb([_cancel_row(context)]))


async def _input_time(
    update: Update, context: AnninhContext, draft: dict[str, Any], message: Message
) -> None:
    text = (message.text or "").strip()
    hm = parse_time(text) if len(text) <= 32 else None
    if hm is None:
        raise InvalidInput("sched-time-invalid", text=text[:32])
    draft["time_of_day"] = format_hm(*hm)
    draft["step"] = "until"
    await reply(
        update,
        context,
        "adv-ask-until",
        reply_markup=_kb(
            [[(t("adv-no-end", context.locale), f"{PREFIX}:nountil")], _cancel_row(context)]
        ),
    )


async def _input_until(
    update: Update, context: AnninhContext, draft: dict[str, Any], message: Message
) -> None:
    text = (message.text or "").strip()[:32]
    tz = context.services.settings.tz
    until = parse_date(text, datetime.now(tz).date())
    if until is None:
        raise InvalidInput("sched-date-invalid", text=text)
    await _finish_recurring(context, message.chat_id, draft, until)


# -- options, time, preview ------------------------------------------------------------------
async def _ask_options(context: AnninhContext, chat_id: int, draft: dict[str, Any]) -> None:
    draft["step"] = "options"
    await _send(context, chat_id, "adv-ask-options", _options_markup(context, draft))


def _options_markup(context: AnninhContext, draft: dict[str, Any]) -> InlineKeyboardMarkup:
    loc = context.locale
    yes = lambda key: "yes" if draft.get(key) else "no"  # noqa: E731
    return _kb(
        [
            [(t("adv-opt-pin", loc, on=yes("pin")), f"{PREFIX}:opt:pin")],
            [(t("adv-opt-silent", loc, on=yes("silent")), f"{PREFIX}:opt:silent")],
            [(t("adv-next", loc), f"{PREFIX}:opt:next")],
            _cancel_row(context),
        ]
    )


def _when_markup(context: AnninhContext) -> InlineKeyboardMarkup:
    loc = context.locale
    return _kb(
        [
            [
                (t("adv-when-now", loc), f"{PREFIX}:when:now"),
                (t("adv-when-at", loc), f"{PREFIX}:when:at"),
            ],
            [
                (t("adv-when-daily", loc), f"{PREFIX}:when:daily"),
                (t("adv-when-weekly", loc), f"{PREFIX}:when:weekly"),
                (t("adv-when-monthly", loc), f"{PREFIX}:when:monthly"),
            ],
            _cancel_row(context),
        ]
    )


def _weekday_markup(context: AnninhContext, chosen: list[int]) -> InlineKeyboardMarkup:
    loc = context.locale
    days = [
        (("✅" if d in chosen else "") + t(f"sched-wd-short-{d}", loc), f"{PREFIX}:wd:{d}")
        for d in range(7)
    ]
    return _kb(
        [
            days[:4],
            days[4:],
            [(t("adv-groups-done", loc), f"{PREFIX}:wd:done")],
            _cancel_row(context),
        ]
    )


async def _finish_recurring(
    context: AnninhContext, chat_id: int, draft: dict[str, Any], until: date | None
) -> None:
    schedule = Schedule(
        Recurrence(draft["recurrence"]),
        time_of_day=draft["time_of_day"],
        weekdays=tuple(draft.get("weekdays", ())),
        month_day=draft.get("month_day"),
        until=until,
    ).validate()
    if schedule.next_after(datetime.now(UTC), context.services.settings.tz) is None:
        raise InvalidInput("sched-no-future-run")
    draft["schedule"] = schedule
    await _preview(context, chat_id, draft)


def _to_draft(draft: dict[str, Any]) -> AdvisoryDraft:
    return AdvisoryDraft(
        text=draft["text"],
        schedule=draft["schedule"],
        area_id=draft.get("area_id"),
        chat_ids=tuple(draft.get("chat_ids") or ()),
        media_kind=draft.get("media_kind"),
        media_file_id=draft.get("media_file_id"),
        pin=bool(draft.get("pin")),
        silent=bool(draft.get("silent")),
    )


def _when_text(context: AnninhContext, draft: dict[str, Any]) -> str:
    if draft.get("now"):
        return t("adv-when-now-text", context.locale)
    return describe(draft["schedule"], context.services.settings.tz, _tr(context))


async def _preview(context: AnninhContext, chat_id: int, draft: dict[str, Any]) -> None:
    draft["step"] = "preview"
    profile = profile_of(context)
    await context.services.advisories.preview(profile, _to_draft(draft))
    await _send(
        context,
        chat_id,
        "adv-preview-note",
        _kb([[(t("adv-confirm", context.locale), f"{PREFIX}:confirm")], _cancel_row(context)]),
        target=f"{draft['target']} ({draft['count']})",
        when=_when_text(context, draft),
        pin="yes" if draft.get("pin") else "no",
        silent="yes" if draft.get("silent") else "no",
        now="yes" if draft.get("now") else "no",
    )
