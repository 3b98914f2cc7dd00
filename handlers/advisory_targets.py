"""The target step of the compose flow: the area picker (down to residential groups, never
above the officer's own areas) and the page of the officer's groups to tick one by one."""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.context import AnninhContext
from bot.i18n import t
from handlers import area_picker
from handlers.advisory_draft import (
    AREA_PREFIX,
    GROUPS_PER_PAGE,
    PREFIX,
    _cancel_row,
    _draft,
    _edit,
    _kb,
    _send,
)
from handlers.advisory_schedule import _ask_options
from handlers.common import profile_of
from services.domain import AreaKind
from services.errors import PermissionDenied


# -- target ----------------------------------------------------------------------------------
async def _ask_target(context: AnninhContext, chat_id: int, draft: dict[str, Any]) -> None:
    draft["step"] = "target"
    markup = await _area_markup(context, None)
    await _send(context, chat_id, "adv-ask-target", markup)


async def _area_markup(context: AnninhContext, parent_id: int | None) -> InlineKeyboardMarkup:
    level = await context.services.advisory_targets.level(profile_of(context), parent_id)
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
        area, count = await context.services.advisory_targets.area_target(profile, press.area_id)
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
