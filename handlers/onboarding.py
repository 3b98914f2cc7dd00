"""QR onboarding and home areas: ``/start <area code>`` from a poster's QR code, ``/khuvuc`` to
change one's tổ dân phố, ``/dangky`` / ``/huydangky`` to follow the area's advisories by direct
message, and ``/qr`` for police to get the printable posters."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import AnninhContext
from bot.i18n import t
from handlers import area_picker
from handlers.common import area_code_arg, edit_in_place, profile_of, reply, valid_press
from handlers.tips import tip_command
from services.domain import AreaDTO, AreaKind
from services.errors import InvalidInput
from services.onboarding import AreaPlace, deep_link
from services.posters import PosterText, pdf_bytes, png_bytes

logger = logging.getLogger(__name__)

PICKER = "home"
MAX_SEPARATE_POSTERS = 10
"""More posters than this go out as one multi-page PDF (one upload instead of a flood)."""
MAX_CHAT_POSTERS = 30
"""A bigger batch (a whole city) is a job for ``anninh admin qr`` on the server; the PDF's
pages are held in memory while it is written (~6 MB each)."""


def poster_text(place: AreaPlace, url: str, locale: str) -> PosterText:
    """The poster's strings from the catalogue (plain text: the poster is not HTML)."""
    return PosterText(
        url=url,
        header=t("onb-poster-header", locale),
        area_name=place.area.name,
        lineage=place.parents_name,
        scan_hint=t("onb-poster-scan", locale),
        features=[t(f"onb-poster-feature-{i}", locale) for i in (1, 2, 3)],
        emergency=t("onb-poster-emergency", locale),
        footer=t("onb-poster-footer", locale, code=place.area.code),
    )


def _confirm_buttons(area_id: int, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("onb-button-yes", locale), callback_data=f"onb:yes:{area_id}"
                ),
                InlineKeyboardButton(t("onb-button-no", locale), callback_data="onb:no"),
            ]
        ]
    )


def _after_set_buttons(locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(t("onb-button-subscribe", locale), callback_data="onb:sub")],
            [InlineKeyboardButton(t("onb-button-contacts", locale), callback_data="contact:show")],
        ]
    )


def choose_area_button(locale: str) -> InlineKeyboardMarkup:
    """One button that opens the home-area picker (for flows that need a home area first)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t("onb-button-choose", locale), callback_data="onb:choose")]]
    )


async def start_tip_flow(update: Update, context: AnninhContext) -> None:
    """Start writing a tip (/baotin) for the "send a tip now" buttons."""
    await tip_command(update, context)


async def tip_payload(update: Update, context: AnninhContext, payload: str) -> None:
    """``?start=baotin`` (the tips flow's "write to me privately" link from a group)."""
    await start_tip_flow(update, context)


async def offer_from_payload(update: Update, context: AnninhContext, payload: str) -> None:
    """After the greeting of ``/start <payload>``: offer the QR code's area as home area."""
    place = await context.services.onboarding.resolve_payload(payload)
    if place is None:
        await reply(update, context, "onb-unknown-code", code=payload[:64])
        return
    await reply(
        update,
        context,
        "onb-confirm",
        place=place.full_name,
        reply_markup=_confirm_buttons(place.area.id, context.locale),
    )


async def confirm_button(update: Update, context: AnninhContext) -> None:
    """✅ on the QR confirmation: set the home area."""
    query = update.callback_query
    assert query is not None and query.data is not None
    profile = profile_of(context)
    change = await context.services.onboarding.set_home_area(
        profile.user.id, int(query.data.rsplit(":", 1)[1])
    )
    await _show_home_set(update, context, change.place, change.subscription_moved)
    await query.answer()


async def _show_home_set(
    update: Update, context: AnninhContext, place: AreaPlace, moved: bool
) -> None:
    query = update.callback_query
    assert query is not None
    key = "onb-home-set-moved" if moved else "onb-home-set"
    await edit_in_place(
        query, context.text(key, place=place.full_name), _after_set_buttons(context.locale)
    )


async def _first_level(context: AnninhContext) -> tuple[AreaDTO | None, list[AreaDTO]]:
    """The first level worth showing: skip levels with a single area (one province, one city),
    so residents start at the wards."""
    parent: AreaDTO | None = None
    level = await context.services.areas.children(None)
    while len(level) == 1 and level[0].kind is not AreaKind.RESIDENTIAL_GROUP:
        below = await context.services.areas.children(level[0].id)
        if not below:
            break
        parent, level = level[0], below
    return parent, level


async def _picker_markup(context: AnninhContext) -> InlineKeyboardMarkup | None:
    _parent, level = await _first_level(context)
    if not level:
        return None
    # No "back" on the first level: above it are only the single areas that were skipped.
    return area_picker.keyboard(PICKER, level, context.locale)


async def decline_button(update: Update, context: AnninhContext) -> None:
    """✖️ on the QR confirmation, or "choose my area": show the area picker instead."""
    query = update.callback_query
    assert query is not None
    markup = await _picker_markup(context)
    key = "onb-choose-prompt" if markup else "area-picker-empty"
    await edit_in_place(query, context.text(key), markup)
    await query.answer()  # after the edit, so the resident never sees the old buttons again


async def area_command(update: Update, context: AnninhContext) -> None:
    """/khuvuc: show the current home area and the picker to change it."""
    if not await _private_only(update, context):
        return
    profile = profile_of(context)
    home = await context.services.onboarding.home_of(profile.user.id)
    markup = await _picker_markup(context)
    if markup is None:
        await reply(update, context, "area-picker-empty")
        return
    if home is None:
        await reply(update, context, "onb-area-none", reply_markup=markup)
    else:
        await reply(update, context, "onb-area-current", place=home.full_name, reply_markup=markup)


async def picker_button(update: Update, context: AnninhContext) -> None:
    """A press in the home-area picker: open a level, go up, or choose."""
    query = update.callback_query
    assert query is not None and query.data is not None
    press = valid_press(area_picker.parse(query.data, PICKER))
    leaf = press.action == "open" and press.area_id is not None
    if leaf and not await context.services.areas.children(press.area_id):  # type: ignore[arg-type]
        press = area_picker.AreaPress("pick", press.area_id)  # a ward not split into groups
    if press.action == "pick" and press.area_id is not None:
        profile = profile_of(context)
        change = await context.services.onboarding.set_home_area(profile.user.id, press.area_id)
        await _show_home_set(update, context, change.place, change.subscription_moved)
        await query.answer()
        return
    await area_picker.show_level(
        query, context, PICKER, press.area_id, prompt_key="onb-choose-prompt"
    )
    await query.answer()


async def subscribe(update: Update, context: AnninhContext) -> None:
    """/dangky: receive the home area's advisories by direct message."""
    if not await _private_only(update, context):
        return
    profile = profile_of(context)
    try:
        result = await context.services.subscriptions.subscribe(profile.user.id)
    except InvalidInput as exc:
        if exc.message_key != "onb-need-area":
            raise
        await reply(
            update, context, "onb-need-area", reply_markup=choose_area_button(context.locale)
        )
        return
    key = "onb-subscribed" if result.created else "onb-already-subscribed"
    await reply(update, context, key, place=result.place.full_name)


async def subscribe_button(update: Update, context: AnninhContext) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await subscribe(update, context)


async def unsubscribe(update: Update, context: AnninhContext) -> None:
    """/huydangky: stop the direct-message advisories."""
    if not await _private_only(update, context):
        return
    profile = profile_of(context)
    stopped = await context.services.subscriptions.unsubscribe(profile.user.id)
    await reply(update, context, "onb-unsubscribed" if stopped else "onb-not-subscribed")


async def qr_command(update: Update, context: AnninhContext) -> None:
    """/qr [CODE]: printable QR posters for the police's areas (one per tổ dân phố)."""
    profile = profile_of(context)
    onboarding = context.services.onboarding
    code = area_code_arg(context, lambda: onboarding.poster_areas(profile), "onb-qr-usage")
    places = await onboarding.poster_targets(code, profile)
    if len(places) > MAX_CHAT_POSTERS:
        await reply(update, context, "onb-qr-too-many", count=len(places), limit=MAX_CHAT_POSTERS)
        return
    username = context.bot.username
    locale = context.services.settings.default_language  # posters speak to residents
    texts = [poster_text(p, deep_link(username, p.area.code), locale) for p in places]
    chat = update.effective_chat
    assert chat is not None
    await reply(update, context, "onb-qr-sending", count=len(texts))
    if len(texts) > MAX_SEPARATE_POSTERS:
        data = await asyncio.to_thread(pdf_bytes, texts)
        await context.bot.send_document(
            chat.id,
            InputFile(data, filename=f"qr-{code.upper()}.pdf"),
            caption=context.text("onb-qr-caption-pdf", count=len(texts)),
            parse_mode=ParseMode.HTML,
        )
        return
    for place, text in zip(places, texts, strict=True):
        data = await asyncio.to_thread(png_bytes, text)
        await context.bot.send_document(
            chat.id,
            InputFile(data, filename=f"qr-{place.area.code}.png"),
            caption=context.text("onb-qr-caption", place=place.full_name, link=text.url),
            parse_mode=ParseMode.HTML,
        )


async def _private_only(update: Update, context: AnninhContext) -> bool:
    chat = update.effective_chat
    if chat is not None and chat.type != "private":
        await reply(update, context, "error-private-only")
        return False
    return True


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["khuvuc", "area"], area_command))
    app.add_handler(CommandHandler(["dangky", "subscribe"], subscribe))
    app.add_handler(CommandHandler(["huydangky", "unsubscribe"], unsubscribe))
    app.add_handler(CommandHandler("qr", qr_command))
    app.add_handler(CallbackQueryHandler(confirm_button, pattern=r"^onb:yes:\d{1,12}$"))
    app.add_handler(CallbackQueryHandler(decline_button, pattern=r"^onb:(no|choose)$"))
    app.add_handler(CallbackQueryHandler(subscribe_button, pattern=r"^onb:sub$"))
    app.add_handler(CallbackQueryHandler(picker_button, pattern=rf"^{PICKER}:"))
