"""Choosing an area by walking down the tree with inline buttons.

Shared by every flow that asks "which area?" (a tip's tổ dân phố, a resident's home area, a
broadcast's target). Callback data is ``<prefix>:<action>:<area id>`` with action ``open`` (show
the children), ``pick`` (choose this area) or ``up`` (back to the parent's level); the prefix
routes the press to the flow that asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from bot.context import AnninhContext
from bot.i18n import t
from handlers.common import edit_in_place
from services.domain import AreaDTO, AreaKind
from services.errors import AnninhError
from services.text_input import whole_number

COLUMNS = 2


@dataclass(frozen=True, slots=True)
class AreaPress:
    action: str
    area_id: int | None


def parse(data: str, prefix: str) -> AreaPress | None:
    """None when the data is not a well-formed press of this picker (forged or stale)."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != prefix or parts[1] not in {"open", "pick", "up"}:
        return None
    if parts[2] == "root":
        return AreaPress(parts[1], None)
    area_id = whole_number(parts[2])
    return None if area_id is None else AreaPress(parts[1], area_id)


def keyboard(
    prefix: str,
    level: list[AreaDTO],
    locale: str,
    *,
    parent: AreaDTO | None = None,
    pick_kinds: frozenset[AreaKind] = frozenset({AreaKind.RESIDENTIAL_GROUP}),
    pick_parent: bool = False,
    extra_rows: list[list[InlineKeyboardButton]] | None = None,
) -> InlineKeyboardMarkup:
    """Buttons for the areas of one level. An area whose kind is in ``pick_kinds`` is chosen
    when pressed; others open their children. ``pick_parent`` adds "choose <parent> itself"
    (e.g. a whole ward as a broadcast target)."""
    buttons = [
        InlineKeyboardButton(
            area.name,
            callback_data=f"{prefix}:{'pick' if area.kind in pick_kinds else 'open'}:{area.id}",
        )
        for area in level
    ]
    rows = [buttons[i : i + COLUMNS] for i in range(0, len(buttons), COLUMNS)]
    if parent is not None and pick_parent:
        rows.append(
            [
                InlineKeyboardButton(
                    t("area-picker-whole", locale, name=parent.name),
                    callback_data=f"{prefix}:pick:{parent.id}",
                )
            ]
        )
    if parent is not None:
        up_target = parent.parent_id if parent.parent_id is not None else "root"
        rows.append(
            [
                InlineKeyboardButton(
                    t("area-picker-up", locale), callback_data=f"{prefix}:up:{up_target}"
                )
            ]
        )
    rows.extend(extra_rows or [])
    return InlineKeyboardMarkup(rows)


async def show_level(
    query: CallbackQuery,
    context: AnninhContext,
    prefix: str,
    parent_id: int | None,
    *,
    prompt_key: str = "area-picker-prompt",
    **options: Any,
) -> None:
    """Edit the picker message to show the children of ``parent_id`` (None: the top level)."""
    parent = await context.services.areas.get_by_id(parent_id) if parent_id is not None else None
    if parent_id is not None and parent is None:
        raise AnninhError("error-button-expired")  # a forged id, or an area since removed
    level = await context.services.areas.children(parent_id)
    await edit_in_place(
        query,
        context.text(prompt_key),
        keyboard(prefix, level, context.locale, parent=parent, **options),
    )
