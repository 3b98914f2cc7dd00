"""Rendering catalogue messages for Telegram's HTML parse mode.

Arguments are user data unless wrapped in :class:`~services.ports.Html`: they are escaped, so a
resident typing "<b>" cannot break the message (Telegram rejects unbalanced tags).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t
from services.ports import Html, InlineButton, L10n

TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_CAPTION_LIMIT = 1024


def _arg(value: Any, locale: str) -> Any:
    if isinstance(value, Html):
        return value.value
    if isinstance(value, L10n):
        return html.escape(t(value.key, locale, **resolve_plain(value.args, locale)), quote=False)
    if isinstance(value, str):
        return html.escape(value, quote=False)
    return value


def resolve_plain(args: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """Arguments for plain-text rendering (button labels): translate, never escape."""
    out: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, L10n):
            out[key] = t(value.key, locale, **resolve_plain(value.args, locale))
        elif isinstance(value, Html):
            out[key] = value.value
        else:
            out[key] = value
    return out


def render_html(key: str, locale: str, args: Mapping[str, Any] | None = None) -> str:
    return t(key, locale, **{k: _arg(v, locale) for k, v in (args or {}).items()})


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
                    t(b.label_key, locale, **resolve_plain(b.label_args, locale)),
                    callback_data=b.data,
                    url=b.url,
                )
                for b in row
            ]
            for row in rows
        ]
    )
