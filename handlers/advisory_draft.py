"""The shared ground of /phatcanhbao's compose flow: the draft kept in ``user_data`` under
``DRAFT`` and persisted to the database around every step by ``_kept``, the callback prefixes,
and the small keyboard/send/edit helpers the steps share."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.context import AnninhContext
from bot.i18n import t
from handlers.common import edit_in_place
from services.compose_drafts import to_json
from services.domain import Role

DRAFT = "adv"
PREFIX = "adv"
AREA_PREFIX = "advt"
GROUPS_PER_PAGE = 24


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


async def _edit(query: Any, text: str, markup: Any = None) -> None:
    await edit_in_place(query, text, markup)
