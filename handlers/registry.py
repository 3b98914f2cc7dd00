"""Registers every handler module, in order. The fallback goes last: within a group PTB uses the
first handler that matches, so anything registered after it would never see a command."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from handlers import errors, fallback, start
from handlers.common import identify

IDENTIFY_GROUP = -100

FEATURES = [start]


def register_handlers(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, identify), group=IDENTIFY_GROUP)
    for module in FEATURES:
        module.register(app)
    fallback.register(app)
    app.add_error_handler(errors.on_error)  # type: ignore[arg-type]
