"""What the tip flow shows: one question per step, the summary, and their buttons.

Callback data of the flow: ``tipf:<action>[:<arg>]``; area picker presses: ``tipa:...``
(handlers.area_picker). ``tip:<action>:<report id>`` is reserved for the police side.
"""

from __future__ import annotations

from functools import lru_cache

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode

from bot.context import AnninhContext
from bot.i18n import t
from bot.render import keyboard, truncate
from handlers import area_picker
from handlers.common import profile_of
from handlers.conversation import take_buttons_off
from services.categories import CATEGORIES
from services.domain import AreaKind
from services.ports import Html, L10n
from services.tip_drafts import Draft, Step, editable_steps, pick_buttons

FLOW = "tipf"
AREA_PREFIX = "tipa"
SUMMARY_TEXT = 800
LIVE = "tip_live"
"""user_data flag: this process has already talked with the user about their draft (after a
restart it is missing, so the first message is answered with "continue or drop?")."""


def chat_id_of(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


def user_id_of(context: AnninhContext) -> int:
    return profile_of(context).user.id


"""How much of the description the summary repeats (the whole text is stored)."""


def button(context: AnninhContext, key: str, data: str, **args: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(t(key, context.locale, **args), callback_data=data)


def _cancel_data(started: str) -> str:
    """The cancel button of one tip: it carries the tip's token (see ``Draft.started``)."""
    return f"{FLOW}:cancel:{started}" if started else f"{FLOW}:cancel"


def cancel_row(context: AnninhContext, draft: Draft) -> list[InlineKeyboardButton]:
    return [button(context, "tip-button-cancel", _cancel_data(draft.started))]


def category_keyboard(context: AnninhContext, draft: Draft) -> InlineKeyboardMarkup:
    rows = [[button(context, c.label_key, f"{FLOW}:cat:{c.value}")] for c in CATEGORIES]
    return InlineKeyboardMarkup([*rows, cancel_row(context, draft)])


def done_keyboard(context: AnninhContext, draft: Draft) -> InlineKeyboardMarkup:
    return _done_keyboard(context.locale, draft.started)


@lru_cache(maxsize=512)
def _done_keyboard(locale: str, started: str) -> InlineKeyboardMarkup:
    """Built once per language and tip: it goes under every message of a description, and
    Telegram objects are immutable, so one instance serves every message of it."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(t("tip-button-done", locale), callback_data=f"{FLOW}:done")],
            [
                InlineKeyboardButton(
                    t("tip-button-cancel", locale), callback_data=_cancel_data(started)
                )
            ],
        ]
    )


def pick_keyboard(context: AnninhContext, draft: Draft) -> InlineKeyboardMarkup:
    """One toggle per indicator of the fraud details (redrawn in place on each press)."""
    markup = keyboard(pick_buttons(draft), context.locale)
    assert markup is not None  # there is always the "continue" row
    return InlineKeyboardMarkup([*markup.inline_keyboard, cancel_row(context, draft)])


def location_keyboard(context: AnninhContext) -> ReplyKeyboardMarkup:
    """A reply keyboard: only it can ask the phone for its position with one tap."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(t("tip-button-send-location", context.locale), request_location=True)],
            [KeyboardButton(t("tip-button-skip-location", context.locale))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def skip_location_labels() -> set[str]:
    return {t("tip-button-skip-location", loc) for loc in ("vi", "en")}


async def send(
    context: AnninhContext, chat_id: int, key: str, markup: object = None, **args: object
) -> Message:
    return await context.bot.send_message(
        chat_id,
        truncate(context.text(key, **args)),
        parse_mode=ParseMode.HTML,
        reply_markup=markup,  # type: ignore[arg-type]
    )


async def shown(
    context: AnninhContext, draft: Draft, sent: Message | None, *, closed: Message | None = None
) -> None:
    """``sent`` asks ``draft``'s step now: only its buttons act, the previous step's message
    loses its own (unless it is ``closed``, just edited without them)."""
    if sent is None:
        return
    old = await context.services.tip_steps.shown(
        user_id_of(context), draft, sent.chat_id, sent.message_id
    )
    await take_buttons_off(context, old, closed=closed)


async def ask(
    context: AnninhContext, chat_id: int, draft: Draft, *, closed: Message | None = None
) -> None:
    """Ask the question of the draft's current step (its message becomes the step's)."""
    await shown(context, draft, await _ask(context, chat_id, draft), closed=closed)


async def _ask(context: AnninhContext, chat_id: int, draft: Draft) -> Message | None:
    step = draft.step
    sent = None
    if step is Step.CATEGORY:
        sent = await send(context, chat_id, "tip-ask-category", category_keyboard(context, draft))
    elif step is Step.DESCRIPTION:
        sent = await send(
            context,
            chat_id,
            "tip-ask-description-more" if draft.has_content else "tip-ask-description",
            done_keyboard(context, draft),
            category=L10n(draft.category.label_key) if draft.category else "",
            count=len(draft.attachments),
        )
    elif step is Step.FRAUD:
        markup = InlineKeyboardMarkup(
            [[button(context, "tip-button-skip", f"{FLOW}:skipfraud")], cancel_row(context, draft)]
        )
        sent = await send(context, chat_id, "tip-ask-fraud", markup)
    elif step is Step.FRAUD_PICK:
        sent = await send(context, chat_id, "tip-ask-fraud-pick", pick_keyboard(context, draft))
    elif step is Step.LOCATION:
        sent = await send(context, chat_id, "tip-ask-location", location_keyboard(context))
    elif step is Step.AREA:
        sent = await ask_area(context, chat_id, draft)
    elif step is Step.ANONYMITY:
        markup = InlineKeyboardMarkup(
            [
                [button(context, "tip-button-anonymous", f"{FLOW}:anon:1")],
                [button(context, "tip-button-named", f"{FLOW}:anon:0")],
                cancel_row(context, draft),
            ]
        )
        sent = await send(context, chat_id, "tip-ask-anonymous", markup)
    elif step is Step.CONFIRM:
        sent = await show_summary(context, chat_id, draft)
    return sent


async def ask_area(context: AnninhContext, chat_id: int, draft: Draft) -> Message:
    profile = context.profile
    home_id = profile.user.home_area_id if profile else None
    home = await context.services.areas.get_by_id(home_id) if home_id else None
    if home is not None:
        home_name = await context.services.areas.area_name(home.id) or home.name
        markup = InlineKeyboardMarkup(
            [
                [
                    button(
                        context, "tip-button-home-area", f"{FLOW}:home:{home.id}", name=home_name
                    )
                ],
                [button(context, "tip-button-other-area", f"{FLOW}:otherarea")],
                cancel_row(context, draft),
            ]
        )
        return await send(context, chat_id, "tip-ask-area-home", markup, name=home_name)
    text, markup = await area_level(context, None, draft)
    return await context.bot.send_message(
        chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
    )


async def area_level(
    context: AnninhContext, parent_id: int | None, draft: Draft
) -> tuple[str, InlineKeyboardMarkup]:
    """The picker at ``parent_id``; a level with a single area that is not pickable is
    opened at once (fewer taps: most installs have one province and one city)."""
    services = context.services
    level = await services.areas.children(parent_id)
    while len(level) == 1 and level[0].kind is not AreaKind.RESIDENTIAL_GROUP:
        parent_id = level[0].id
        level = await services.areas.children(parent_id)
    parent = await services.areas.get_by_id(parent_id) if parent_id is not None else None
    markup = area_picker.keyboard(
        AREA_PREFIX,
        level,
        context.locale,
        parent=parent,
        extra_rows=[cancel_row(context, draft)],
    )
    key = "tip-ask-area" if level else "tip-area-empty-level"
    return context.text(key), markup


def _location_text(context: AnninhContext, draft: Draft) -> str:
    parts = []
    if draft.latitude is not None and draft.longitude is not None:
        parts.append(context.text("tip-summary-pin"))
    if draft.address:
        parts.append(context.text("tip-summary-address", address=draft.address))
    return "; ".join(parts) or context.text("tip-none")


async def show_summary(context: AnninhContext, chat_id: int, draft: Draft) -> Message:
    services = context.services
    area_name = await services.areas.area_name(draft.area_id)
    text = draft.text
    if len(text) > SUMMARY_TEXT:
        text = text[:SUMMARY_TEXT] + "…"
    rows = [
        [button(context, "tip-button-send", f"{FLOW}:send")],
        [
            button(context, "tip-button-edit", f"{FLOW}:edit"),
            *cancel_row(context, draft),
        ],
    ]
    return await send(
        context,
        chat_id,
        "tip-summary",
        InlineKeyboardMarkup(rows),
        category=L10n(draft.category.label_key) if draft.category else L10n("category-other"),
        text=text or L10n("tip-none"),
        attachments=len(draft.attachments),
        location=Html(_location_text(context, draft)),
        area=area_name or L10n("tip-area-unknown"),
        anonymous=L10n("tip-summary-anonymous" if draft.anonymous else "tip-summary-named"),
        fraud=(draft.fraud_details or L10n("tip-none")) if draft.is_fraud else "",
        given=", ".join(i.display for i in draft.given) or L10n("tip-none"),
        is_fraud="yes" if draft.is_fraud else "no",
    )


def edit_keyboard(context: AnninhContext, draft: Draft) -> InlineKeyboardMarkup:
    rows = [
        [button(context, f"tip-edit-{step.value}", f"{FLOW}:edit:{step.value}")]
        for step in editable_steps(draft)
    ]
    rows.append([button(context, "tip-button-back-summary", f"{FLOW}:summary")])
    return InlineKeyboardMarkup(rows)


def no_reply_keyboard() -> ReplyKeyboardRemove:
    return ReplyKeyboardRemove()
