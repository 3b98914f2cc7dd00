"""Preparing a catalogue message's arguments, shared by every channel's renderer.

An argument is user data unless wrapped in :class:`~services.ports.Html`; a
:class:`~services.ports.L10n` argument is itself a catalogue message, translated first.
No ``telegram`` import: the Zalo surface uses this too.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from bot.i18n import t
from services.ports import Html, L10n


def plain_args(args: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """For plain text (button labels, CLI output): translate, never escape."""
    out: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, L10n):
            out[key] = t(value.key, locale, **plain_args(value.args, locale))
        elif isinstance(value, Html):
            out[key] = value.value
        else:
            out[key] = value
    return out


def html_args(args: Mapping[str, Any] | None, locale: str) -> dict[str, Any]:
    """For HTML messages: user text escaped, so "<b>" typed by a resident stays text."""
    return {key: _html_arg(value, locale) for key, value in (args or {}).items()}


def _html_arg(value: Any, locale: str) -> Any:
    if isinstance(value, Html):
        return value.value
    if isinstance(value, L10n):
        return html.escape(t(value.key, locale, **plain_args(value.args, locale)), quote=False)
    if isinstance(value, str):
        return html.escape(value, quote=False)
    return value
