"""Who to call: ``/lienhe`` (and the ☎️ button) shows the resident's ward duty line, the officer
in charge of their tổ dân phố and the emergency numbers; police keep their entries with
``/capnhatlienhe``."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import AnninhContext
from bot.i18n import t
from handlers.common import command_text, profile_of, reply
from handlers.menu import button_filter
from handlers.onboarding import choose_area_button, start_tip_flow
from services.areas import police_unit
from services.contacts import ContactEntry, parse_contact_form
from services.indicators import display_phone
from services.ports import Html


def tip_button(locale: str) -> InlineKeyboardButton:
    """ "Send a tip now": hands over to the tips flow (/baotin)."""
    return InlineKeyboardButton(t("contact-button-tip", locale), callback_data="contact:tip")


def _person(context: AnninhContext, entry: ContactEntry) -> str:
    contact = entry.contact
    return context.text(
        "contact-person",
        rank=contact.rank,
        name=contact.name or "-",
        phone=entry.phone_display,
        has_rank="yes" if contact.rank else "no",
    )


async def show_contacts(update: Update, context: AnninhContext) -> None:
    """/lienhe: who to call for the resident's tổ dân phố."""
    profile = profile_of(context)
    card = await context.services.contacts.card_for_user(profile.user.id)
    chat = update.effective_chat
    private = chat is not None and chat.type == "private"
    if card is None:
        markup = choose_area_button(context.locale) if private else None
        await reply(update, context, "contact-need-area", reply_markup=markup)
        return
    duty = (
        context.text(
            "contact-duty-line",
            area=police_unit((card.duty.area,)),
            phone=card.duty.phone_display,
        )
        if card.duty
        else context.text("contact-duty-missing")
    )
    officer = (
        context.text("contact-officer-line", person=Html(_person(context, card.officer)))
        if card.officer
        else context.text("contact-officer-missing")
    )
    markup = InlineKeyboardMarkup([[tip_button(context.locale)]])
    await reply(
        update,
        context,
        "contact-card",
        place=card.place.full_name,
        duty=Html(duty),
        officer=Html(officer),
        reply_markup=markup,
    )


async def show_contacts_button(update: Update, context: AnninhContext) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()
    await show_contacts(update, context)


async def tip_now(update: Update, context: AnninhContext) -> None:
    """ "Send a tip now" under the contacts card or an FAQ answer: start /baotin."""
    assert update.callback_query is not None
    await update.callback_query.answer()
    await start_tip_flow(update, context)


async def set_contact(update: Update, context: AnninhContext) -> None:
    """/capnhatlienhe + ``key: value`` lines: police update a phone entry of their area."""
    profile = profile_of(context)
    body = command_text(update)
    if not body.strip():
        areas = context.services.contacts.editable_areas(profile)
        example = areas[0].code if areas else "ND-TN-01"
        await reply(update, context, "contact-set-usage", code=example)
        return
    form = parse_contact_form(body)
    change = await context.services.contacts.set(
        area_code=form.area or "",
        role=form.role or "",
        phone=form.phone or "",
        name=form.name or "",
        rank=form.rank or "",
        actor=profile,
    )
    role_label = t(f"contact-role-{change.after.role.value}", context.locale)
    await reply(
        update,
        context,
        "contact-saved",
        area=change.area.name,
        role=role_label,
        name=change.after.name or "-",
        rank=change.after.rank or "-",
        phone=display_phone(change.after.phone),
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["lienhe", "contacts"], show_contacts))
    app.add_handler(MessageHandler(button_filter("contact-button"), show_contacts))
    app.add_handler(CommandHandler(["capnhatlienhe", "setcontact"], set_contact))
    app.add_handler(CallbackQueryHandler(show_contacts_button, pattern=r"^contact:show$"))
    app.add_handler(CallbackQueryHandler(tip_now, pattern=r"^contact:tip$"))
