"""/phatcanhbao (/broadcast) and the "📢 Phát cảnh báo" button: the guided flow in which an
officer composes a warning, picks its target and schedule, previews it and confirms; and
/thuhoi (/retract) to delete the sent copies from every group.

The draft lives in ``user_data`` while the officer composes, and is kept in the database after
every step (services/compose_drafts.py): after a restart the officer's next message or press
carries on where it was. Typed input is caught in handler group -12, before other features'
catch-alls, only while this flow waits for it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import AnninhContext
from bot.i18n import t
from handlers import area_picker
from handlers.common import edit_in_place, profile_of, reply
from handlers.menu import MENU, MenuEntry, add_entry, button_filter, labels
from handlers.start import HELP_LINES
from services.advisories import AdvisoryDraft
from services.compose_drafts import to_json
from services.errors import InvalidInput, PermissionDenied
from services.schedule_text import (
    Schedule,
    describe,
    format_hm,
    parse_date,
    parse_moment,
    parse_time,
)
from services.text_input import whole_number
from storage.models import AreaKind, Recurrence, Role

logger = logging.getLogger(__name__)

DRAFT = "adv"
PREFIX = "adv"
AREA_PREFIX = "advt"
GROUPS_PER_PAGE = 24
INPUT_GROUP = -12
"""Before other features' prompt handlers (group -10, -5): each group runs one handler."""


def _kb(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


RESTORED = "adv_restored"
STORED = "adv_stored"
"""The draft as last written to the database (JSON form), to write only what changed."""

Handler = Callable[[Update, AnninhContext], Awaitable[None]]


def _kept(handler: Handler) -> Handler:
    """Run a handler of this flow with the draft brought back from the database first (once
    per officer and process: after a restart ``user_data`` is empty) and stored after it."""

    @functools.wraps(handler)
    async def kept(update: Update, context: AnninhContext) -> None:
        await _restore(context)
        try:
            await handler(update, context)
        finally:
            await _store(context)

    return kept


async def _restore(context: AnninhContext) -> None:
    data, profile = context.user_data, context.profile
    if data is None or RESTORED in data:
        return
    data[RESTORED] = True
    if profile is None or not profile.has_any(Role.POLICE):
        return  # residents never compose: no look-up for them
    saved = await context.services.compose.load(profile.user.id, DRAFT)
    if saved is not None and DRAFT not in data:
        data[DRAFT] = saved
        data[STORED] = to_json(saved)


async def _store(context: AnninhContext) -> None:
    data, profile = context.user_data, context.profile
    if data is None or profile is None:
        return
    draft = data.get(DRAFT)
    current = to_json(draft) if draft is not None else None
    if current == data.get(STORED):
        return
    await context.services.compose.keep(profile.user.id, DRAFT, draft)
    data[STORED] = current


def _draft(context: AnninhContext) -> dict[str, Any] | None:
    assert context.user_data is not None
    return context.user_data.get(DRAFT)  # type: ignore[no-any-return]


def _tr(context: AnninhContext):  # type: ignore[no-untyped-def]
    locale = context.locale
    return lambda key, **args: t(key, locale, **args)


def _cancel_row(context: AnninhContext) -> list[tuple[str, str]]:
    return [(t("adv-cancel", context.locale), f"{PREFIX}:cancel")]


async def _send(
    context: AnninhContext, chat_id: int, key: str, markup: Any = None, **args: Any
) -> Message:
    return await context.bot.send_message(
        chat_id, context.text(key, **args), parse_mode="HTML", reply_markup=markup
    )


# -- start -----------------------------------------------------------------------------------
async def start(update: Update, context: AnninhContext) -> None:
    """Begin composing (police and admins, private chat only)."""
    profile = profile_of(context)
    context.services.advisories.require_police(profile)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        await reply(update, context, "adv-private-only")
        return
    assert context.user_data is not None
    context.user_data[DRAFT] = {"step": "text"}
    await reply(update, context, "adv-ask-text", reply_markup=_kb([_cancel_row(context)]))


# -- typed input -----------------------------------------------------------------------------
async def on_input(update: Update, context: AnninhContext) -> None:
    """Text, photo or file while the flow waits for one; anything else passes through."""
    draft = _draft(context)
    message = update.effective_message
    if draft is None or message is None or draft.get("step") not in _INPUT_STEPS:
        return
    menu_labels = {label for entry in MENU for label in labels(entry.label_key)}
    if message.text is not None and message.text in menu_labels:
        assert context.user_data is not None
        context.user_data.pop(DRAFT, None)  # the officer moved on to something else
        return
    try:
        await _INPUT_STEPS[draft["step"]](update, context, draft, message)
    finally:
        raise ApplicationHandlerStop


async def on_cancel_command(update: Update, context: AnninhContext) -> None:
    if _draft(context) is None:
        return
    assert context.user_data is not None
    context.user_data.pop(DRAFT, None)
    await reply(update, context, "adv-cancelled")
    raise ApplicationHandlerStop


async def _input_text(
    update: Update, context: AnninhContext, draft: dict[str, Any], message: Message
) -> None:
    media = _media_of(message)
    text = message.caption_html if media else message.text_html
    if not text:
        await reply(update, context, "adv-need-text")
        return
    draft["text"] = context.services.advisories.check_text(text)
    if media:
        draft["media_kind"], draft["media_file_id"] = media
        await _ask_target(context, message.chat_id, draft)
        return
    draft["step"] = "media"
    await reply(
        update,
        context,
        "adv-ask-media",
        reply_markup=_kb(
            [[(t("adv-skip", context.locale), f"{PREFIX}:skipmedia")], _cancel_row(context)]
        ),
    )


def _media_of(message: Message) -> tuple[str, str] | None:
    if message.photo:
        return "photo", message.photo[-1].file_id
    if message.document:
        return "document", message.document.file_id
    return None


async def _input_media(
    update: Update, context: AnninhContext, draft: dict[str, Any], message: Message
) -> None:
    media = _media_of(message)
    if media is None:
        await reply(update, context, "adv-need-media")
        return
    draft["media_kind"], draft["media_file_id"] = media
    await _ask_target(context, message.chat_id, draft)


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


async def _input_edit(
    update: Update, context: AnninhContext, draft: dict[str, Any], message: Message
) -> None:
    text = message.text_html if message.text else None
    if not text:
        await reply(update, context, "adv-need-text")
        return
    profile = profile_of(context)
    advisory = await context.services.advisories.edit_text(profile, int(draft["id"]), text)
    assert context.user_data is not None
    context.user_data.pop(DRAFT, None)
    await reply(update, context, "adv-edited", id=str(advisory.id))


_INPUT_STEPS = {
    "text": _input_text,
    "media": _input_media,
    "datetime": _input_datetime,
    "monthday": _input_monthday,
    "rtime": _input_time,
    "until": _input_until,
    "edit": _input_edit,
}


# -- target ----------------------------------------------------------------------------------
async def _ask_target(context: AnninhContext, chat_id: int, draft: dict[str, Any]) -> None:
    draft["step"] = "target"
    markup = await _area_markup(context, None)
    await _send(context, chat_id, "adv-ask-target", markup)


async def _area_markup(context: AnninhContext, parent_id: int | None) -> InlineKeyboardMarkup:
    level = await context.services.advisories.level(profile_of(context), parent_id)
    extra = [
        [
            InlineKeyboardButton(
                t("adv-pick-groups", context.locale), callback_data=f"{PREFIX}:groups:0"
            )
        ],
        [InlineKeyboardButton(t("adv-cancel", context.locale), callback_data=f"{PREFIX}:cancel")],
    ]
    markup = area_picker.keyboard(
        AREA_PREFIX,
        level.areas,
        context.locale,
        parent=level.parent,
        pick_kinds=frozenset({AreaKind.RESIDENTIAL_GROUP}),
        pick_parent=level.parent is not None,
        extra_rows=extra,
    )
    if level.parent is not None and not level.up_allowed:
        # The officer's own top area: no "back" above it.
        up = f"{AREA_PREFIX}:up:"
        rows = [
            row
            for row in markup.inline_keyboard
            if not any((b.callback_data or "").startswith(up) for b in row)
        ]
        markup = InlineKeyboardMarkup(rows)
    return markup


async def on_area(update: Update, context: AnninhContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    draft = _draft(context)
    press = area_picker.parse(query.data, AREA_PREFIX)
    if draft is None or press is None or draft.get("step") != "target":
        await query.answer(context.text("error-button-expired"), show_alert=True)
        return
    profile = profile_of(context)
    if press.action == "pick" and press.area_id is not None:
        area, count = await context.services.advisories.area_target(profile, press.area_id)
        await query.answer()
        if count == 0:
            await _send(context, query.message.chat.id, "adv-no-groups")  # type: ignore[union-attr]
            return
        draft.update(area_id=area.id, chat_ids=[], target=area.name, count=count)
        await _edit(query, context.text("adv-target-chosen", target=area.name, count=count))
        await _ask_options(context, query.message.chat.id, draft)  # type: ignore[union-attr]
        return
    try:
        markup = await _area_markup(context, press.area_id)
    except PermissionDenied:  # "back" above the officer's own areas: their top level
        markup = await _area_markup(context, None)
    await query.answer()
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(
            context.text("adv-ask-target"), parse_mode="HTML", reply_markup=markup
        )


async def _edit(query: Any, text: str, markup: Any = None) -> None:
    await edit_in_place(query, text, markup)


def _groups_markup(
    context: AnninhContext, groups: list[Any], chosen: set[int], page: int
) -> InlineKeyboardMarkup:
    start = page * GROUPS_PER_PAGE
    rows = [
        [
            (
                (("✅ " if g.id in chosen else "") + (g.title or str(g.telegram_chat_id)))[:60],
                f"{PREFIX}:g:{g.id}:{page}",
            )
        ]
        for g in groups[start : start + GROUPS_PER_PAGE]
    ]
    if start + GROUPS_PER_PAGE < len(groups):
        rows.append([(t("adv-more", context.locale), f"{PREFIX}:groups:{page + 1}")])
    rows.append([(t("adv-groups-done", context.locale), f"{PREFIX}:gdone")])
    rows.append(_cancel_row(context))
    return _kb(rows)


# -- options, time, preview, confirm ---------------------------------------------------------
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


async def on_button(update: Update, context: AnninhContext) -> None:
    """Every adv:… button of the compose flow."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    chat_id = query.message.chat.id
    parts = query.data.split(":")
    action = parts[1] if len(parts) > 1 else ""
    draft = _draft(context)
    if (
        draft is None
        or action not in _BUTTON_STEPS
        or draft.get("step") not in _BUTTON_STEPS[action]
    ):
        await query.answer(context.text("error-button-expired"), show_alert=True)
        return
    assert context.user_data is not None
    if action == "cancel":
        context.user_data.pop(DRAFT, None)
        await query.answer()
        await _edit(query, context.text("adv-cancelled"))
        return
    if action == "skipmedia":
        await query.answer()
        await _edit(query, context.text("adv-ask-media"))
        await _ask_target(context, chat_id, draft)
        return
    if action == "groups":
        page = (whole_number(parts[2]) if len(parts) > 2 else None) or 0
        groups = await context.services.advisories.groups_for(profile_of(context))
        if not groups:
            await query.answer(context.text("adv-no-groups"), show_alert=True)
            return
        draft["groups_page"] = page
        await query.answer()
        await _edit(
            query,
            context.text("adv-groups-prompt"),
            _groups_markup(context, groups, set(draft.get("chat_ids") or []), page),
        )
        return
    group_id = whole_number(parts[2]) if len(parts) == 4 else None  # the groups row's id
    page = whole_number(parts[3]) if len(parts) == 4 else None
    if action == "g" and group_id is not None and page is not None:
        chosen = set(draft.get("chat_ids") or [])
        chosen ^= {group_id}
        draft["chat_ids"] = sorted(chosen)
        groups = await context.services.advisories.groups_for(profile_of(context))
        await query.answer()
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(
                _groups_markup(context, groups, chosen, page)
            )
        return
    if action == "gdone":
        if not draft.get("chat_ids"):
            await query.answer(context.text("adv-groups-none"), show_alert=True)
            return
        count = len(draft["chat_ids"])
        draft.update(
            area_id=None, target=t("adv-target-groups", context.locale, count=count), count=count
        )
        await query.answer()
        await _edit(query, context.text("adv-target-chosen", target=draft["target"], count=count))
        await _ask_options(context, chat_id, draft)
        return
    if action == "opt":
        choice = parts[2] if len(parts) > 2 else ""
        await query.answer()
        if choice in ("pin", "silent"):
            draft[choice] = not draft.get(choice)
            with contextlib.suppress(BadRequest):
                await query.edit_message_reply_markup(_options_markup(context, draft))
            return
        draft["step"] = "when"
        await _edit(query, context.text("adv-ask-when"), _when_markup(context))
        return
    if action == "when":
        choice = parts[2] if len(parts) > 2 else ""
        await query.answer()
        draft["now"] = choice == "now"
        if choice == "now":
            draft["schedule"] = Schedule(Recurrence.ONCE, run_at=datetime.now(UTC))
            await _edit(query, context.text("adv-ask-when"))
            await _preview(context, chat_id, draft)
        elif choice == "at":
            draft["step"] = "datetime"
            await _edit(query, context.text("adv-ask-datetime"), _kb([_cancel_row(context)]))
        elif choice == "weekly":
            draft.update(recurrence="weekly", weekdays=[], step="weekdays")
            await _edit(query, context.text("adv-ask-weekdays"), _weekday_markup(context, []))
        elif choice == "monthly":
            draft.update(recurrence="monthly", step="monthday")
            await _edit(query, context.text("adv-ask-monthday"), _kb([_cancel_row(context)]))
        else:
            draft.update(recurrence="daily", step="rtime")
            await _edit(query, context.text("adv-ask-time"), _kb([_cancel_row(context)]))
        return
    if action == "wd":
        choice = parts[2] if len(parts) > 2 else ""
        if choice == "done":
            if not draft.get("weekdays"):
                await query.answer(context.text("adv-weekdays-none"), show_alert=True)
                return
            await query.answer()
            draft["step"] = "rtime"
            await _edit(query, context.text("adv-ask-time"), _kb([_cancel_row(context)]))
            return
        if (weekday := whole_number(choice)) is not None and weekday in range(7):
            days = set(draft.get("weekdays") or []) ^ {weekday}
            draft["weekdays"] = sorted(days)
        await query.answer()
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(_weekday_markup(context, draft["weekdays"]))
        return
    if action == "nountil":
        await query.answer()
        await _edit(query, context.text("adv-ask-until"))
        await _finish_recurring(context, chat_id, draft, None)
        return
    # confirm
    context.user_data.pop(DRAFT, None)  # a second press finds no draft: never two advisories
    if draft.get("now"):
        draft["schedule"] = Schedule(Recurrence.ONCE, run_at=datetime.now(UTC))
    profile = profile_of(context)
    advisory = await context.services.advisories.create(profile, _to_draft(draft))
    await query.answer()
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(None)
    if draft.get("now"):
        await _send(context, chat_id, "adv-created-now", id=str(advisory.id), count=draft["count"])
        return
    tz = context.services.settings.tz
    following = (
        advisory.next_run_at.astimezone(tz).strftime("%H:%M %d/%m/%Y")
        if advisory.next_run_at
        else "—"
    )
    await _send(
        context,
        chat_id,
        "adv-created-later",
        id=str(advisory.id),
        when=_when_text(context, draft),
        next=following,
    )


_BUTTON_STEPS: dict[str, set[str]] = {
    "cancel": set(_INPUT_STEPS) | {"target", "options", "when", "weekdays", "preview"},
    "skipmedia": {"media"},
    "groups": {"target"},
    "g": {"target"},
    "gdone": {"target"},
    "opt": {"options"},
    "when": {"when"},
    "wd": {"weekdays"},
    "nountil": {"until"},
    "confirm": {"preview"},
}


# -- retract ---------------------------------------------------------------------------------
async def retract(update: Update, context: AnninhContext) -> None:
    """/thuhoi <number>: delete the advisory's copies from every group (in the background)."""
    profile = profile_of(context)
    context.services.advisories.require_police(profile)
    advisory_id = whole_number(context.args[0].lstrip("#")) if context.args else None
    if advisory_id is None:
        await reply(update, context, "adv-retract-usage")
        return
    await start_retraction(update, context, advisory_id)


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


def register(app: Application) -> None:  # type: ignore[type-arg]
    add_entry(MenuEntry("adv-button", row=3, role=Role.POLICE))
    for key in ("help-adv", "help-adv-schedules", "help-adv-retract"):
        if key not in HELP_LINES:
            HELP_LINES.append(key)
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(
        MessageHandler(
            private & filters.Regex(r"^/(huy|cancel)(@\w+)?(\s|$)"), _kept(on_cancel_command)
        ),
        group=INPUT_GROUP,
    )
    app.add_handler(
        MessageHandler(
            private & ~filters.COMMAND & (filters.TEXT | filters.PHOTO | filters.Document.ALL),
            _kept(on_input),
        ),
        group=INPUT_GROUP,
    )
    app.add_handler(CommandHandler(["phatcanhbao", "broadcast"], _kept(start)))
    app.add_handler(MessageHandler(button_filter("adv-button"), _kept(start)))
    app.add_handler(CommandHandler(["thuhoi", "retract"], retract))
    app.add_handler(CallbackQueryHandler(_kept(on_area), pattern=rf"^{AREA_PREFIX}:"))
    app.add_handler(
        CallbackQueryHandler(_kept(on_button), pattern=rf"^{PREFIX}:[a-z]+(:[0-9a-z]*)*$")
    )
