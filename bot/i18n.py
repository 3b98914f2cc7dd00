"""The message catalogue: Fluent files per locale under ``bot/locales/<locale>/*.ftl``.

Every user-facing string goes through :func:`t`. Vietnamese is the default; a key missing in
English falls back to Vietnamese, and a key missing everywhere renders as the key itself (and
is logged) so that a typo never crashes a handler.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource, resolver

# Fluent refuses any argument longer than 2,500 characters and then renders the WHOLE message
# as "{???}" (a long tip shown back to its author, an escaped summary sent to the police).
# Our texts are bounded by Telegram's 4,096 characters and cut by bot.render.truncate, so a
# higher guard (still a memory bound) is the right one.
resolver.MAX_PART_LENGTH = max(resolver.MAX_PART_LENGTH, 50_000)

logger = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).parent / "locales"
SUPPORTED_LOCALES = ("vi", "en")
DEFAULT_LOCALE = "vi"


def normalize_locale(code: str | None, default: str = DEFAULT_LOCALE) -> str:
    """Map anything Telegram sends (``en-US``, ``vi``, None) to a supported locale."""
    if code:
        short = code.split("-")[0].split("_")[0].lower()
        if short in SUPPORTED_LOCALES:
            return short
    return default


@cache
def _bundle(locale: str) -> FluentBundle:
    # use_isolating=False: bidi isolation marks around arguments would show up as garbage
    # characters in Telegram clients and break copy-paste of reference codes.
    bundle = FluentBundle([locale], use_isolating=False)
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return bundle


def keys(locale: str) -> set[str]:
    bundle = _bundle(locale)
    return set(bundle._messages)


def has(key: str, locale: str = DEFAULT_LOCALE) -> bool:
    return _bundle(normalize_locale(locale)).has_message(key)


def t(key: str, locale: str | None = DEFAULT_LOCALE, /, **args: Any) -> str:
    """Render message ``key`` in ``locale`` with named arguments (positional-only, so an
    argument may itself be called ``key`` or ``locale``)."""
    for candidate in dict.fromkeys((normalize_locale(locale), DEFAULT_LOCALE)):
        bundle = _bundle(candidate)
        if bundle.has_message(key):
            message = bundle.get_message(key)
            if message.value is None:
                break
            text, errors = bundle.format_pattern(message.value, args)
            if errors:
                logger.warning("i18n: %s/%s: %s", candidate, key, errors[0])
            return str(text)
    logger.error("i18n: missing message %r", key)
    return key
