"""Catalogue messages as Zalo text: the same keys as Telegram, HTML turned into plain text,
inline buttons turned into numbered choices ("Trả lời 1, 2 hoặc 3")."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from typing import Any

from bot.i18n import has, t
from bot.message_args import html_args, plain_args
from services.ports import InlineButton, MediaKind, OutgoingMessage

ZALO_TEXT_LIMIT = 2000
_LINK = re.compile(r'<a\s+href="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def strip_html(text: str) -> str:
    """Telegram HTML to what a Zalo chat shows: links keep their address, tags go."""

    def link(match: re.Match[str]) -> str:
        url, label = match.group(1), _TAG.sub("", match.group(2))
        return label if html.unescape(url) == html.unescape(label) else f"{label} ({url})"

    return html.unescape(_TAG.sub("", _LINK.sub(link, text)))


def text(key: str, locale: str, args: Mapping[str, Any] | None = None) -> str:
    """A catalogue message as plain text (user data is never read as markup). A message
    worded for Telegram ("reply to this message") has a Zalo variant ``zalo-via-<key>``."""
    variant = f"zalo-via-{key}"
    chosen = variant if has(variant, locale) else key
    return strip_html(t(chosen, locale, **html_args(args, locale)))


def label(button: InlineButton, locale: str) -> str:
    return t(button.label_key, locale, **plain_args(button.label_args, locale))


def numbers_phrase(count: int, locale: str) -> str:
    """ "1, 2 hoặc 3" / "1, 2 or 3"."""
    if count <= 1:
        return "1"
    head = ", ".join(str(i) for i in range(1, count))
    return f"{head} {t('zalo-or', locale)} {count}"


def with_choices(
    body: str,
    buttons: tuple[tuple[InlineButton, ...], ...] | list[list[InlineButton]],
    locale: str,
) -> tuple[str, list[str]]:
    """The body followed by numbered choices; returns the text and what each number means
    (the button's callback data, or its URL)."""
    flat = [b for row in buttons for b in row if b.data or b.url]
    if not flat:
        return body, []
    lines = [f"{i}. {label(b, locale)}" for i, b in enumerate(flat, 1)]
    footer = t("zalo-choose", locale, numbers=numbers_phrase(len(flat), locale))
    options = [b.data or f"url:{b.url}" for b in flat]
    return "\n".join([body, "", *lines, footer]), options


def outgoing(message: OutgoingMessage, locale: str) -> tuple[str, list[str], list[str]]:
    """A message as a Zalo chat (the bot's or the Official Account's) shows it: the text with
    its numbered choices, the photos Zalo can fetch (public addresses) and what each number
    stands for. Media Zalo cannot fetch (Telegram files: their download URL carries the bot
    token) are counted in the text rather than shown; a location is given as coordinates."""
    body = text(message.key, locale, message.args)
    photos = [m.file_id for m in message.media if m.kind is MediaKind.PHOTO]
    photos = [p for p in photos if p.startswith(("http://", "https://"))]
    hidden = len(message.media) - len(photos)
    if hidden:
        body += "\n" + text("zalo-media-hidden", locale, {"count": hidden})
    if message.location is not None:
        lat, lon = message.location
        body += "\n" + text("zalo-location", locale, {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})
    full, options = with_choices(body, message.buttons, locale)
    return full, photos, options


def split(message: str, limit: int = ZALO_TEXT_LIMIT) -> list[str]:
    """Zalo takes at most 2000 characters per message: cut at line ends where possible."""
    parts: list[str] = []
    rest = message
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest.strip() or not parts:
        parts.append(rest)
    return parts


def message_key(zalo_message_id: str) -> int:
    """Zalo message ids are 20 hex digits; the relay stores an int per message (Integer
    column), so a 28-bit digest stands in for it (only compared within one chat)."""
    return int(hashlib.sha1(zalo_message_id.encode()).hexdigest()[:7], 16)
