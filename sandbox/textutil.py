"""UTF-16 helpers and automatic entity detection for plain message text.

Telegram measures every offset and length in UTF-16 code units, so emoji and
other astral characters count twice. Getting this wrong makes PTB slice
commands incorrectly, which is exactly the kind of bug the sandbox must not
introduce on its own.
"""

from __future__ import annotations

import re
from typing import Any

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,64})?")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b")
_URL_RE = re.compile(r"\bhttps?://[^\s<>\"]+", re.IGNORECASE)
_HASHTAG_RE = re.compile(r"(?<![\w#])#\w+")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def utf16_offset(text: str, index: int) -> int:
    """UTF-16 offset of the Python string index ``index`` within ``text``."""
    return utf16_len(text[:index])


def auto_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram adds to user-typed text: commands, mentions, URLs, hashtags.

    Commands are only recognised at the start of the text or after whitespace,
    mirroring Telegram (``a/b`` is not a command).
    """
    found: list[tuple[int, int, str]] = []
    for match in _COMMAND_RE.finditer(text):
        start = match.start()
        if start > 0 and not text[start - 1].isspace():
            continue
        end = match.end()
        if end < len(text) and (text[end].isalnum() or text[end] in "_/@"):
            continue
        found.append((start, end, "bot_command"))
    for regex, kind in ((_MENTION_RE, "mention"), (_URL_RE, "url"), (_HASHTAG_RE, "hashtag")):
        for match in regex.finditer(text):
            found.append((match.start(), match.end(), kind))
    found.sort()
    entities: list[dict[str, Any]] = []
    last_end = -1
    for start, end, kind in found:
        if start < last_end:  # overlapping (e.g. "@bot" inside "/cmd@bot")
            continue
        last_end = end
        offset = utf16_offset(text, start)
        entities.append(
            {"type": kind, "offset": offset, "length": utf16_len(text[start:end])}
        )
    return entities
