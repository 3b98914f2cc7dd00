"""Reading an incoming Zalo message: the update parsed into a :class:`ZaloMessage`, the
typed commands (Vietnamese or English, accents folded), the command after the bot's mention in
a group, and coordinates or a Google Maps link given for the "where" step of a tip.

What the Zalo Bot Platform documents (bot.zaloplatforms.com/docs, read through the verbatim
copy in lamdt1/ckvn-bot ``docs/zalo-bot-doc.md`` @f307749):

* confirmed: the events ``message.text.received``, ``message.image.received`` (``photo`` URL,
  ``caption``), ``message.sticker.received``, ``message.unsupported.received`` (sent instead of
  the content of protected accounts: children, disabled people...) [webhook page], and
  ``message.voice.received`` (``voice_url``) [a later revision; the five documented
  events in lucanhost/go-zalo-bot-api's design notes]; ``message_id`` is a string;
  ``chat_type`` PRIVATE or GROUP ("coming soon" / beta) [webhook]; bot names start with
  "Bot " [create-bot]; in a group a bot gets a message when it is picked from the "@" list or
  when its message is replied to [build-bot-interaction-with-group];
* unconfirmed: the text of a mention. The docs publish no mention or entity field; we take the
  bot's display name as it appears after "@" (what the "@" list inserts). ``getMe``'s
  ``display_name`` is not in the docs' sample (id, account_name, account_type,
  can_join_groups) but clients read it (go-zalo-bot-api ``BotInfo``, python-zalo-bot ``User``);
  events like ``message.reaction.received`` or ``message.link.received`` appear in clients'
  code (OpenClaw's Zalo extension and others), never in the docs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_COORDS = re.compile(r"(-?\d{1,2}\.\d+)\s*[,;]\s*(-?\d{1,3}\.\d+)")
_MAPS = re.compile(r"(?:@|[?&](?:q|query|ll)=)(-?\d{1,2}\.\d+),\s*(-?\d{1,3}\.\d+)")

TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
HANDLED_EVENTS = frozenset({TEXT_EVENT, IMAGE_EVENT})
"""The events the surface answers; stickers, voice, unsupported content and anything the docs
do not list (reactions, links) are left without a reply."""
MAX_NAME_WORDS = 8
"""Words a bot's name may span when the name is unknown (getMe failed): "Bot " and a few."""

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


@dataclass(slots=True)
class BotNames:
    """The names residents mention the bot by in groups, learnt from getMe (empty until then:
    :func:`after_mention` copes without)."""

    names: tuple[str, ...] = ()

    def learn(self, me: dict[str, Any]) -> None:
        found = [str(me.get(k) or "").strip() for k in ("display_name", "name", "account_name")]
        self.names = tuple(sorted({n for n in found if n}, key=len, reverse=True))


def _name_pattern(name: str) -> re.Pattern[str]:
    """ "@Bot An Ninh", with any run of spaces (no-break ones too) between the words."""
    words = [re.escape(w) for w in name.split()]
    return re.compile("@\\s*" + "\\s+".join(words) + "(?!\\w)", re.IGNORECASE)


def _after_unknown_name(text: str) -> tuple[int, int]:
    """Where an "@Bot ..." mention of a bot whose name we do not know starts and ends: its
    words run up to the first command word (a name is at most MAX_NAME_WORDS words), else the
    mention is the one word after "@"."""
    at = text.index("@")
    words = list(re.finditer(r"\S+", text[at + 1 :]))[: MAX_NAME_WORDS + 1]
    if not words:
        return at, at + 1
    for word in words[1:]:
        if COMMANDS.get(_fold(word.group())) is not None:
            return at, at + 1 + word.start()
    return at, at + 1 + words[0].end()


def after_mention(text: str, names: Sequence[str]) -> tuple[str, str] | None:
    """The command word and the rest of a group message that mentions the bot ("@Bot An Ninh
    kiemtra 0912..." -> ("kiemtra", "0912...")); None when nothing but the mention is left.
    What follows the mention counts; a mention at the end leaves what came before it."""
    span = None
    for name in names:
        found = _name_pattern(name).search(text)
        if found is not None:
            span = found.span()
            break
    if span is None and "@" in text:
        span = _after_unknown_name(text)
    if span is not None:
        after = text[span[1] :].strip()
        text = after or (text[: span[0]] + " " + text[span[1] :])
    words = text.split(maxsplit=1)
    if not words:
        return None
    return words[0], words[1].strip() if len(words) > 1 else ""


def update_key(update: dict[str, Any]) -> int | None:
    """A number for an event, from its message id, to record it as handled (the handled-updates
    table takes integers; Zalo ids are 20 hex digits): 60 bits of a digest, so two events of
    one day colliding is out of the question. None for an event without a message id."""
    message = ZaloMessage.parse(update)
    if message is None or not message.message_id:
        return None
    return int(hashlib.sha256(message.message_id.encode()).hexdigest()[:15], 16)


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
