"""Registers every handler module, in order. The fallback goes last: within a group PTB uses the
first handler that matches, so anything registered after it would never see a command."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from handlers import (
    account_link,
    advisories,
    audit,
    contacts,
    errors,
    fallback,
    faq,
    groups,
    inbox,
    moderation,
    mytips,
    onboarding,
    recognition,
    relay,
    review,
    scams,
    schedules,
    start,
    stats,
    tip_actions,
    tips,
    web,
)
from handlers.common import identify

IDENTIFY_GROUP = -100

FEATURES = [
    start,
    scams,
    tips,
    mytips,
    groups,
    moderation,
    review,
    audit,
    advisories,
    schedules,
    inbox,
    tip_actions,
    relay,
    onboarding,
    contacts,
    faq,
    recognition,
    stats,
    account_link,
    web,
]


def register_handlers(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, identify), group=IDENTIFY_GROUP)
    app.add_handler(TypeHandler(Update, fallback.empty_button), group=IDENTIFY_GROUP + 1)
    for module in FEATURES:
        module.register(app)
    # Catch-alls (e.g. "offer this free message as a tip") go after every feature's handlers.
    for module in FEATURES:
        late = getattr(module, "register_late", None)
        if late is not None:
            late(app)
    fallback.register(app)
    app.add_error_handler(errors.on_error)  # type: ignore[arg-type]
