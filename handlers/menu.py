"""The reply keyboard of main actions, built per user role.

Its layout is :data:`MENU`; features handle their button with :func:`button_filter`, which
matches the label in every language (a user may switch language while an old keyboard is showing).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from telegram import Message, ReplyKeyboardMarkup
from telegram.ext import filters

from bot.i18n import SUPPORTED_LOCALES, t
from services.access import Profile
from services.domain import Role


@dataclass(frozen=True, slots=True)
class MenuEntry:
    label_key: str
    row: int
    role: Role | None = None
    """Shown only to users holding this role somewhere; None = everyone."""


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("tip-menu-send", row=0),
    MenuEntry("tip-menu-scam", row=0),
    MenuEntry("mytips-menu", row=1),
    MenuEntry("scam-button", row=2),
    MenuEntry("adv-button", row=3, role=Role.POLICE),
    MenuEntry("inbox-menu", row=3, role=Role.POLICE),
    MenuEntry("stats-button", row=4, role=Role.MODERATOR),
    MenuEntry("contact-button", row=5),
    MenuEntry("faq-button", row=5),
    MenuEntry("button-help", row=9),
    MenuEntry("button-language", row=9),
)
"""The main keyboard, row by row: the whole layout in one place (each feature handles its
own button with :func:`button_filter`)."""


@functools.cache
def _labels(label_key: str) -> tuple[str, ...]:
    return tuple(sorted({t(label_key, locale) for locale in SUPPORTED_LOCALES}))


def labels(label_key: str) -> list[str]:
    """The button's label in every language (the catalogue is fixed while running: cached,
    as several filters ask for every label of the menu on every private message)."""
    return list(_labels(label_key))


@functools.cache
def _all_labels() -> frozenset[str]:
    return frozenset(label for entry in MENU for label in _labels(entry.label_key))


def is_menu_label(text: str | None) -> bool:
    """A press of a main-keyboard button (in any language): a command, never an answer to
    the step a conversation is waiting at."""
    return text is not None and text in _all_labels()


class _NotAMenuButton(filters.MessageFilter):
    def filter(self, message: Message) -> bool:
        return not is_menu_label(message.text)


NOT_A_MENU_BUTTON = _NotAMenuButton()
"""Text (or media) that is not a main-keyboard button press."""


def button_filter(label_key: str) -> filters.BaseFilter:
    return filters.ChatType.PRIVATE & filters.Text(labels(label_key))


def keyboard_for(profile: Profile) -> ReplyKeyboardMarkup:
    rows: dict[int, list[str]] = {}
    for entry in MENU:
        if entry.role is None or profile.has_any(entry.role):
            rows.setdefault(entry.row, []).append(t(entry.label_key, profile.locale))
    return ReplyKeyboardMarkup(
        [rows[r] for r in sorted(rows)], resize_keyboard=True, is_persistent=True
    )
