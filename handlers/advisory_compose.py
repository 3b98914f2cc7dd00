"""/phatcanhbao's compose flow on Telegram: renders the step the officer's draft is at and
hands each answer to the composer (services/advisory_compose.py, where the steps, their rules
and the stored draft live). Typed input is caught in handler group -12, before other features'
catch-alls, only while the officer's draft waits for it."""

from __future__ import annotations

import contextlib

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.context import AnninhContext
from bot.i18n import t
from handlers import area_picker
from handlers.common import edit_in_place, profile_of, reply
from handlers.conversation import may_converse, show_step
from handlers.errors import tell
from handlers.menu import is_menu_label
from services.access import Profile
from services.advisory_steps import (
    COMPOSE,
    STEPS,
    ComposeStep,
    Composition,
    choices,
    expect,
)
from services.conversation import Turn, check_press
from services.domain import AreaKind, Role
from services.errors import AnninhError, PermissionDenied
from services.schedule_text import describe

PREFIX = "adv"
AREA_PREFIX = "advt"
GROUPS_PER_PAGE = 24
SENT_ANEW = (ComposeStep.TARGET, ComposeStep.OPTIONS, ComposeStep.PREVIEW)
"""Steps asked in a new message (the pressed one is closed); other presses edit it in place."""


def _kb(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def _step_markup(context: AnninhContext, draft: Composition) -> InlineKeyboardMarkup | None:
    rows = [
        [
            (
                ("✅" if c.on else "") + t(c.label_key, context.locale, **c.label_args),
                f"{PREFIX}:{c.data}",
            )
            for c in row
        ]
        for row in choices(draft)
    ]
    return _kb(rows) if rows else None


def _when_text(context: AnninhContext, draft: Composition) -> str:
    if draft.now:
        return t("adv-when-now-text", context.locale)
    assert draft.schedule is not None
    locale = context.locale
    return describe(
        draft.schedule, context.services.settings.tz, lambda key, **a: t(key, locale, **a)
    )


def _target_text(context: AnninhContext, draft: Composition) -> str:
    return draft.target or t("adv-target-groups", context.locale, count=draft.count)


async def _render(
    context: AnninhContext, profile: Profile, draft: Composition
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons asking ``draft``'s step."""
    key = STEPS[draft.step].prompt
    if draft.step is ComposeStep.TARGET:
        return context.text(key), await _area_markup(context, profile, None)
    if draft.step is ComposeStep.PREVIEW:
        text = context.text(
            key,
            target=f"{_target_text(context, draft)} ({draft.count})",
            when=_when_text(context, draft),
            pin="yes" if draft.pin else "no",
            silent="yes" if draft.silent else "no",
            now="yes" if draft.now else "no",
        )
        return text, _step_markup(context, draft)
    if draft.step is ComposeStep.EDIT:
        return context.text(key, id=str(draft.editing)), None
    return context.text(key), _step_markup(context, draft)


async def _ask(
    context: AnninhContext,
    profile: Profile,
    chat_id: int,
    turn: Turn[Composition],
    *,
    closed: Message | None = None,
) -> None:
    """Send the message asking ``turn``'s step; it becomes the one with live buttons."""
    text, markup = await _render(context, profile, turn.draft)
    sent = await context.bot.send_message(chat_id, text, parse_mode="HTML", reply_markup=markup)
    await show_step(context, COMPOSE, profile.user.id, turn, sent, closed=closed)


# -- start, /huy -----------------------------------------------------------------------------
async def start(update: Update, context: AnninhContext) -> None:
    """Begin composing (police and admins, private chat only)."""
    profile = profile_of(context)
    context.services.advisory_targets.require_police(profile)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        await reply(update, context, "adv-private-only")
        return
    turn = await context.services.composer.start(profile)
    await _ask(context, profile, chat.id, turn)


async def ask_edit(update: Update, context: AnninhContext, advisory_id: int) -> None:
    """/lichphat's "edit": the next text the officer sends replaces the advisory's."""
    profile = profile_of(context)
    chat = update.effective_chat
    assert chat is not None
    turn = await context.services.composer.start_edit(profile, advisory_id)
    await _ask(context, profile, chat.id, turn)


def _composing(context: AnninhContext) -> Profile | None:
    profile = context.profile
    if profile is None or not profile.has_any(Role.POLICE) or not may_converse(context):
        return None
    return profile


async def on_cancel_command(update: Update, context: AnninhContext) -> None:
    profile = _composing(context)  # residents never compose: no look-up for them
    if profile is None or not await context.services.composer.cancel(profile):
        return
    await reply(update, context, "adv-cancelled")
    raise ApplicationHandlerStop


# -- typed input -----------------------------------------------------------------------------
def _media_of(message: Message) -> tuple[str, str] | None:
    if message.photo:
        return "photo", message.photo[-1].file_id
    if message.document:
        return "document", message.document.file_id
    return None


async def on_input(update: Update, context: AnninhContext) -> None:
    """Text, photo or file while the flow waits for one; anything else passes through."""
    profile, message = _composing(context), update.effective_message
    if profile is None or message is None:
        return
    composer = context.services.composer
    turn = await composer.current(profile)
    if turn is None or not STEPS[turn.draft.step].typed:
        return
    if is_menu_label(message.text):
        await composer.cancel(profile)  # the officer moved on to something else
        return
    try:
        if turn.draft.step is ComposeStep.EDIT:
            text = message.text_html if message.text else None
            advisory = await composer.edit(profile, turn, text)
            await reply(update, context, "adv-edited", id=str(advisory.id))
        else:
            media = _media_of(message)
            text = message.caption_html if media else message.text_html
            turn = await composer.answer(profile, turn, text, media)
            await _ask(context, profile, message.chat_id, turn)
    except AnninhError as error:  # the step stays; say why, and let no other feature take it
        await tell(update, context, error)
    raise ApplicationHandlerStop


# -- buttons ---------------------------------------------------------------------------------
async def _pressed(update: Update, context: AnninhContext) -> tuple[Profile, Turn[Composition]]:
    """The officer and their draft, if the pressed message asks its current step."""
    query = update.callback_query
    assert query is not None and query.message is not None
    profile = profile_of(context)
    turn = await context.services.composer.current(profile)
    check_press(turn, query.message.chat.id, query.message.message_id)
    assert turn is not None
    return profile, turn


async def on_button(update: Update, context: AnninhContext) -> None:
    """Every adv:… button of the compose flow."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    message = query.message
    assert isinstance(message, Message)
    data = query.data.partition(":")[2]
    action = data.partition(":")[0]
    profile, turn = await _pressed(update, context)
    composer = context.services.composer
    expect(turn, action)
    if action == "cancel":
        await composer.cancel(profile)
        await query.answer()
        await edit_in_place(query, context.text("adv-cancelled"))
        return
    if action == "confirm":
        await _confirm(update, context, profile, turn)
        return
    if action == "groups":
        groups = await context.services.advisory_targets.groups_for(profile)
        if not groups:
            await query.answer(context.text("adv-no-groups"), show_alert=True)
            return
    before = turn.draft
    turn = await composer.press(profile, turn, data)
    await query.answer()
    draft = turn.draft
    if action in ("groups", "g"):
        markup = await _groups_markup(context, profile, draft)
        if action == "groups":
            await edit_in_place(query, context.text("adv-groups-prompt"), markup)
        else:
            with contextlib.suppress(BadRequest):
                await query.edit_message_reply_markup(markup)
        return
    if draft.step is before.step:  # a toggle: the same question, ticked anew
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(_step_markup(context, draft))
        return
    if draft.step in SENT_ANEW:
        await edit_in_place(query, _closing(context, before, draft))
        await _ask(context, profile, message.chat.id, turn, closed=message)
        return
    text, markup = await _render(context, profile, draft)
    await edit_in_place(query, text, markup)


def _closing(context: AnninhContext, before: Composition, after: Composition) -> str:
    """What the pressed message says once its step is done."""
    if before.step is ComposeStep.TARGET:
        return context.text(
            "adv-target-chosen", target=_target_text(context, after), count=after.count
        )
    return context.text(STEPS[before.step].prompt)


async def _confirm(
    update: Update, context: AnninhContext, profile: Profile, turn: Turn[Composition]
) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    chat_id = query.message.chat.id
    draft = turn.draft
    advisory = await context.services.composer.confirm(profile, turn)
    await query.answer()
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(None)
    if draft.now:
        text = context.text("adv-created-now", id=str(advisory.id), count=draft.count)
    else:
        tz = context.services.settings.tz
        following = (
            advisory.next_run_at.astimezone(tz).strftime("%H:%M %d/%m/%Y")
            if advisory.next_run_at
            else "—"
        )
        text = context.text(
            "adv-created-later",
            id=str(advisory.id),
            when=_when_text(context, draft),
            next=following,
        )
    await context.bot.send_message(chat_id, text, parse_mode="HTML")


# -- target: areas and groups ----------------------------------------------------------------
async def _area_markup(
    context: AnninhContext, profile: Profile, parent_id: int | None
) -> InlineKeyboardMarkup:
    level = await context.services.advisory_targets.level(profile, parent_id)
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
    assert query is not None and query.data is not None and query.message is not None
    message = query.message
    assert isinstance(message, Message)
    press = area_picker.parse(query.data, AREA_PREFIX)
    profile, turn = await _pressed(update, context)
    if press is None:
        await query.answer(context.text("error-button-expired"), show_alert=True)
        return
    expect(turn, "area")
    if press.action == "pick" and press.area_id is not None:
        before = turn.draft
        turn = await context.services.composer.pick_area(profile, turn, press.area_id)
        await query.answer()
        await edit_in_place(query, _closing(context, before, turn.draft))
        await _ask(context, profile, message.chat.id, turn, closed=message)
        return
    try:
        markup = await _area_markup(context, profile, press.area_id)
    except PermissionDenied:  # "back" above the officer's own areas: their top level
        markup = await _area_markup(context, profile, None)
    await query.answer()
    await edit_in_place(query, context.text("adv-ask-target"), markup)


async def _groups_markup(
    context: AnninhContext, profile: Profile, draft: Composition
) -> InlineKeyboardMarkup:
    groups = await context.services.advisory_targets.groups_for(profile)
    page, chosen = draft.groups_page, set(draft.chat_ids)
    start = page * GROUPS_PER_PAGE
    rows = [
        [
            (
                (("✅ " if g.id in chosen else "") + (g.title or str(g.telegram_chat_id)))[:60],
                f"{PREFIX}:g:{g.id}",
            )
        ]
        for g in groups[start : start + GROUPS_PER_PAGE]
    ]
    if start + GROUPS_PER_PAGE < len(groups):
        rows.append([(t("adv-more", context.locale), f"{PREFIX}:groups:{page + 1}")])
    rows.append([(t("adv-groups-done", context.locale), f"{PREFIX}:gdone")])
    rows.append([(t("adv-cancel", context.locale), f"{PREFIX}:cancel")])
    return _kb(rows)
