"""The Telegram implementation of :class:`services.ports.Sender`."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable

from telegram import Bot, InputMediaDocument, InputMediaPhoto, InputMediaVideo, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.render import TELEGRAM_CAPTION_LIMIT, keyboard, render_html, truncate
from services.ports import DeliveryResult, DeliveryStatus, MediaKind, OutgoingMessage, Recipient
from storage.send_budget import Priority

logger = logging.getLogger(__name__)

_ALBUM_KINDS = {MediaKind.PHOTO, MediaKind.VIDEO, MediaKind.DOCUMENT}
_NOT_EDITABLE = ("not found", "can't be edited", "message_id_invalid", "too old")
"""What Telegram answers for a message that can no longer be edited (deleted, too old)."""
_TAG = re.compile(r"<[^>]+>")


_FAILURES = (RetryAfter, Forbidden, BadRequest, TimedOut, NetworkError)
"""The Bot API's answers a send or an edit turns into a :class:`DeliveryResult`."""


def _failed(
    exc: TelegramError, doing: str, refused: Callable[[str], DeliveryStatus | None]
) -> DeliveryResult:
    """What a Bot API error means for a send or an edit: a 429 is tried again after the wait
    it names, Forbidden is a blocked bot, a 5xx or a timeout is tried again later; a refusal
    (BadRequest) is what ``refused`` reads in its lowered message, else a logged failure."""
    if isinstance(exc, RetryAfter):
        retry = exc.retry_after
        seconds = retry.total_seconds() if hasattr(retry, "total_seconds") else float(retry)
        return DeliveryResult(DeliveryStatus.RETRY_LATER, retry_after=seconds, error="429")
    if isinstance(exc, Forbidden):
        return DeliveryResult(DeliveryStatus.BLOCKED, error=exc.message)
    if isinstance(exc, BadRequest):  # before NetworkError: PTB's BadRequest is one
        status = refused(exc.message.lower())
        if status is not None:
            return DeliveryResult(status, error=exc.message)
        logger.warning("%s failed: %s", doing, exc.message)
        return DeliveryResult(DeliveryStatus.FAILED, error=exc.message)
    return DeliveryResult(DeliveryStatus.RETRY_LATER, error=type(exc).__name__)


def _send_refused(error: str) -> DeliveryStatus | None:
    """A send refused for good: no such chat, or the bot is out of it."""
    if "chat not found" in error or "user not found" in error:
        return DeliveryStatus.NOT_FOUND
    if "kicked" in error or "not a member" in error or "deactivated" in error:
        return DeliveryStatus.BLOCKED
    return None


def _edit_refused(error: str) -> DeliveryStatus | None:
    """An edit refused: already as asked (done), or the message is gone or too old."""
    if "not modified" in error:
        return DeliveryStatus.SENT
    if any(gone in error for gone in _NOT_EDITABLE):
        return DeliveryStatus.NOT_FOUND
    return None


def _caption(text: str) -> dict[str, object]:
    """A photo's caption: the HTML when it fits Telegram's 1024 characters, else the plain
    text cut to fit (cutting HTML could leave a tag open, which Telegram refuses)."""
    if len(text.encode("utf-16-le")) // 2 <= TELEGRAM_CAPTION_LIMIT:
        return {"caption": text, "parse_mode": ParseMode.HTML}
    plain = html.unescape(_TAG.sub("", text))
    return {"caption": truncate(plain, TELEGRAM_CAPTION_LIMIT), "parse_mode": None}


class TelegramSender:
    def __init__(self, bot: Bot, priority: Priority = Priority.INTERACTIVE) -> None:
        """``priority``: :attr:`Priority.BULK` for advisories, which take from the bot's send
        budget only what interactive replies leave (bot/send_limiter.py)."""
        self._bot = bot
        self._priority = priority

    @property
    def _rate(self) -> dict[str, Priority]:
        """The marker for the Bot's rate limiter; nothing for a Bot without one (tests that
        switch it off), which refuses ``rate_limit_args``."""
        if self._priority is Priority.INTERACTIVE or not getattr(self._bot, "rate_limiter", None):
            return {}
        return {"rate_limit_args": self._priority}

    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
        try:
            sent = await self._send(to, message)
        except _FAILURES as exc:
            return _failed(exc, "send to chat", _send_refused)
        if message.pin and sent.chat.type != "private":
            try:
                await self._bot.pin_chat_message(
                    sent.chat_id,
                    sent.message_id,
                    disable_notification=message.silent,
                    **self._rate,
                )
            except (BadRequest, Forbidden) as exc:
                logger.info("could not pin in a chat: %s", exc.message)
        return DeliveryResult(DeliveryStatus.SENT, message_id=sent.message_id)

    async def _send(self, to: Recipient, message: OutgoingMessage) -> Message:
        text = truncate(render_html(message.key, to.locale, message.args))
        markup = keyboard(message.buttons, to.locale)
        common = {
            "chat_id": to.chat_id,
            "disable_notification": message.silent,
            "reply_to_message_id": message.reply_to_message_id,
            **self._rate,
        }
        if message.reply_to_message_id is not None:
            # A reply whose message is gone (a deleted card) is sent unthreaded.
            common["allow_sending_without_reply"] = True
        media = list(message.media)
        if not media:
            sent = await self._bot.send_message(
                text=text, parse_mode=ParseMode.HTML, reply_markup=markup, **common
            )
        elif len(media) == 1 and len(text) <= TELEGRAM_CAPTION_LIMIT:
            sent = await self._send_one(media[0].kind, media[0].file_id, text, markup, common)
        else:
            # Attachments first (an album where possible), then the text with its buttons.
            album = [m for m in media if m.kind in _ALBUM_KINDS]
            others = [m for m in media if m.kind not in _ALBUM_KINDS]
            for chunk_start in range(0, len(album), 10):
                chunk = album[chunk_start : chunk_start + 10]
                if len(chunk) == 1:
                    await self._send_one(chunk[0].kind, chunk[0].file_id, None, None, common)
                else:
                    await self._bot.send_media_group(
                        media=[_input_media(m.kind, m.file_id) for m in chunk], **common
                    )
            for item in others:
                await self._send_one(item.kind, item.file_id, None, None, common)
            sent = await self._bot.send_message(
                text=text, parse_mode=ParseMode.HTML, reply_markup=markup, **common
            )
        if message.location:
            await self._bot.send_location(
                to.chat_id,
                latitude=message.location[0],
                longitude=message.location[1],
                disable_notification=message.silent,
                **self._rate,
            )
        return sent

    async def _send_one(
        self, kind: MediaKind, file_id: str, caption: str | None, markup: object, common: dict
    ) -> Message:
        method = {
            MediaKind.PHOTO: self._bot.send_photo,
            MediaKind.VIDEO: self._bot.send_video,
            MediaKind.VOICE: self._bot.send_voice,
            MediaKind.DOCUMENT: self._bot.send_document,
            MediaKind.AUDIO: self._bot.send_audio,
            MediaKind.ANIMATION: self._bot.send_animation,
        }[kind]
        # ``common`` carries chat_id as a keyword, so the file goes by keyword too
        # (send_photo(photo=...), send_video(video=...), ...).
        return await method(  # type: ignore[operator]
            **{kind.value: file_id},
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            **common,
        )

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        try:
            return await self._bot.delete_message(chat_id, message_id, **self._rate)
        except (BadRequest, Forbidden):
            return False

    async def edit(
        self, to: Recipient, message_id: int, message: OutgoingMessage
    ) -> DeliveryResult:
        """The text (or, for a photo's card, the caption) and the buttons of a message."""
        text = render_html(message.key, to.locale, message.args)
        markup = keyboard(message.buttons, to.locale)
        where = {"chat_id": to.chat_id, "message_id": message_id, **self._rate}
        try:
            try:
                await self._bot.edit_message_text(
                    truncate(text), parse_mode=ParseMode.HTML, reply_markup=markup, **where
                )
            except BadRequest as exc:
                if "no text in the message" not in exc.message.lower():
                    raise
                await self._bot.edit_message_caption(
                    reply_markup=markup, **_caption(text), **where
                )
        except _FAILURES as exc:
            result = _failed(exc, "edit in a chat", _edit_refused)
            return DeliveryResult(result.status, message_id) if result.ok else result
        return DeliveryResult(DeliveryStatus.SENT, message_id=message_id)


def _input_media(
    kind: MediaKind, file_id: str
) -> InputMediaPhoto | InputMediaVideo | InputMediaDocument:
    if kind is MediaKind.PHOTO:
        return InputMediaPhoto(file_id)
    if kind is MediaKind.VIDEO:
        return InputMediaVideo(file_id)
    return InputMediaDocument(file_id)


class OfflineSender:
    """For CLI commands that run without a bot: reaching people is not possible there, and
    any attempt is a programming error worth a loud failure."""

    async def send(self, to: object, message: object) -> object:
        raise RuntimeError("this command runs offline and cannot send messages")

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        raise RuntimeError("this command runs offline and cannot delete messages")

    async def edit(self, to: object, message_id: int, message: object) -> object:
        raise RuntimeError("this command runs offline and cannot edit messages")
