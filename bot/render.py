"""Rendering catalogue messages for Telegram's HTML parse mode.

Arguments are user data unless wrapped in :class:`~services.ports.Html`: they are escaped, so a
resident typing "<b>" cannot break the message (Telegram rejects unbalanced tags).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t
from bot.message_args import html_args, plain_args
from services.ports import InlineButton

TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_CAPTION_LIMIT = 1024


def render_html(key: str, locale: str, args: Mapping[str, Any] | None = None) -> str:
    return t(key, locale, **html_args(args, locale))


def truncate(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> str:
    """Cut to Telegram's limit (counted in UTF-16 units, as Telegram does)."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    out = []
    used = 0
    for ch in text:
        units = len(ch.encode("utf-16-le")) // 2
        if used + units > limit - 1:
            break
        out.append(ch)
        used += units
    return "".join(out) + "…"


def keyboard(
    rows: tuple[tuple[InlineButton, ...], ...] | list[list[InlineButton]], locale: str
) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(b.label_key, locale, **plain_args(b.label_args, locale)),
                    callback_data=b.data,
                    url=b.url,
                )
                for b in row
            ]
            for row in rows
        ]
    )
