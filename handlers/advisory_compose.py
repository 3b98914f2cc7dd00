"""The compose flow's entry and dispatch: /phatcanhbao's start, the typed-input step table
(text, media, the schedule inputs, an edit's new text), /huy, and every adv:… button through
to the confirm that creates the advisory."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.context import AnninhContext
from bot.i18n import t
from handlers.advisory_draft import DRAFT, PREFIX, _cancel_row, _draft, _edit, _kb, _send
from handlers.advisory_schedule import (
    _ask_options,
    _finish_recurring,
    _input_datetime,
    _input_monthday,
    _input_time,
    _input_until,
    _options_markup,
    _preview,
    _to_draft,
    _weekday_markup,
    _when_markup,
    _when_text,
)
from handlers.advisory_targets import _ask_target, _groups_markup
from handlers.common import profile_of, reply
from handlers.menu import MENU, labels
from services.domain import Recurrence
from services.schedule_text import Schedule
from services.text_input import whole_number


# -- start -----------------------------------------------------------------------------------
async def start(update: Update, context: AnninhContext) -> None:
    """Begin composing (police and admins, private chat only)."""
    profile = profile_of(context)
    context.services.advisory_targets.require_police(profile)
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


# -- buttons ---------------------------------------------------------------------------------
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
        groups = await context.services.advisory_targets.groups_for(profile_of(context))
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
        groups = await context.services.advisory_targets.groups_for(profile_of(context))
        await query.answer()
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(_groups_markup(context, groups, chosen, page))
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
