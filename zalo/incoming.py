"""Reading an incoming Zalo message: the update parsed into a :class:`ZaloMessage`, the
typed commands (Vietnamese or English, accents folded) and coordinates or a Google Maps link
given for the "where" step of a tip."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

_COORDS = re.compile(r"(-?\d{1,2}\.\d+)\s*[,;]\s*(-?\d{1,3}\.\d+)")
_MAPS = re.compile(r"(?:@|[?&](?:q|query|ll)=)(-?\d{1,2}\.\d+),\s*(-?\d{1,3}\.\d+)")
_MENTION = re.compile(r"@\S+")

COMMANDS: dict[str, str] = {
    "start": "help", "help": "help", "menu": "help", "trogiup": "help", "batdau": "help",
    "hi": "help", "chao": "help", "xinchao": "help",
    "baotin": "tip", "tip": "tip",
    "canhbaolua": "scam", "scam": "scam",
    "tincuatoi": "mytips", "mytips": "mytips",
    "kiemtra": "check", "check": "check",
    "khuvuc": "area", "area": "area",
    "dangky": "subscribe", "subscribe": "subscribe",
    "huydangky": "unsubscribe", "unsubscribe": "unsubscribe",
    "lienket": "link", "lienkettaikhoan": "link", "link": "link",
    "huy": "cancel", "cancel": "cancel",
    "xong": "done", "done": "done",
}  # fmt: skip


ARG_COMMANDS = frozenset({"check", "link"})
"""Commands that take words after them; the others must be the whole message."""


def _fold(word: str) -> str:
    """ "Báo tin" / "/baotin" / "BAOTIN" → "baotin" (accents and đ folded)."""
    word = word.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFD", word)
    return "".join(c for c in plain if c.isalnum() and not unicodedata.combining(c)).lower()


@dataclass(frozen=True, slots=True)
class ZaloMessage:
    """One incoming Zalo message, as the surface needs it."""

    sender_id: str
    sender_name: str
    chat_id: str
    is_group: bool
    message_id: str
    event: str
    text: str
    photo: str | None

    @classmethod
    def parse(cls, update: dict[str, Any]) -> ZaloMessage | None:
        data = update.get("result") if "message" not in update else update
        if not isinstance(data, dict):
            return None
        message = data.get("message")
        if not isinstance(message, dict):
            return None
        sender = message.get("from") or {}
        chat = message.get("chat") or {}
        if not sender.get("id") or not chat.get("id") or sender.get("is_bot"):
            return None
        text = message.get("text") or message.get("caption") or ""
        photo = message.get("photo_url") or message.get("photo")
        return cls(
            sender_id=str(sender["id"]),
            sender_name=str(sender.get("display_name") or sender.get("name") or ""),
            chat_id=str(chat["id"]),
            is_group=str(chat.get("chat_type") or "PRIVATE").upper() == "GROUP",
            message_id=str(message.get("message_id") or ""),
            event=str(data.get("event_name") or ""),
            text=unicodedata.normalize("NFC", str(text)),
            photo=str(photo) if isinstance(photo, str) and photo else None,
        )


def _coordinates(text: str) -> tuple[float, float] | None:
    """ "20.4387, 106.1621" or a Google Maps link → (lat, lon); None for an address."""
    for pattern in (_MAPS, _COORDS):
        match = pattern.search(text)
        if match:
            lat, lon = float(match.group(1)), float(match.group(2))
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                return lat, lon
    return None


def _message_key(msg: ZaloMessage | None) -> str | None:
    return f"zalo:{msg.message_id}" if msg is not None and msg.message_id else None
