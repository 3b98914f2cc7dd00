"""The reply keyboard of main actions, built per user role.

Features add an entry here and handle their button with :func:`button_filter`, which matches
the label in every language (a user may switch language while an old keyboard is showing).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from telegram import ReplyKeyboardMarkup
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


MENU: list[MenuEntry] = [
    MenuEntry("scam-button", row=2),
    MenuEntry("button-help", row=9),
    MenuEntry("button-language", row=9),
]


def add_entry(entry: MenuEntry) -> None:
    if entry not in MENU:
        MENU.append(entry)


@functools.cache
def _labels(label_key: str) -> tuple[str, ...]:
    return tuple(sorted({t(label_key, locale) for locale in SUPPORTED_LOCALES}))


def labels(label_key: str) -> list[str]:
    """The button's label in every language (the catalogue is fixed while running: cached,
    as several filters ask for every label of the menu on every private message)."""
    return list(_labels(label_key))


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
