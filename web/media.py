"""A tip's photos, videos and voice, fetched by the console and served from its own address:
Telegram files through the Bot API's getFile (whose download URL contains the bot token, so
it never reaches a page), Zalo files from the URL Zalo gave. Rights are checked by the
service before anything is fetched (:meth:`services.console.ConsoleService.attachment`)."""

from __future__ import annotations

import logging
import mimetypes
from typing import Protocol

import httpx
from telegram import Bot
from telegram.error import TelegramError

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
"""Telegram's getFile limit for bots; a larger file is not served."""
DEFAULT_TYPES = {
    "photo": "image/jpeg",
    "voice": "audio/ogg",
    "video": "video/mp4",
    "audio": "audio/mpeg",
    "animation": "video/mp4",
    "document": "application/octet-stream",
}


class MediaUnavailable(Exception):
    """The file could not be fetched (gone, too large, the API down)."""


class FileSource(Protocol):
    async def fetch(self, kind: str, file_id: str) -> tuple[bytes, str]:
        """The file's bytes and content type."""
        ...


def _content_type(kind: str, path: str | None) -> str:
    guessed = mimetypes.guess_type(path or "")[0]
    return guessed or DEFAULT_TYPES.get(kind, "application/octet-stream")


class BotFiles:
    """Telegram files by file id; Zalo files (an http(s) URL in place of a file id)."""

    def __init__(self, bot: Bot | None, http: httpx.AsyncClient | None = None) -> None:
        self._bot = bot
        self._http = http

    async def fetch(self, kind: str, file_id: str) -> tuple[bytes, str]:
        if file_id.startswith(("http://", "https://")):
            return await self._from_url(kind, file_id)
        if self._bot is None:
            raise MediaUnavailable("no Telegram bot configured")
        try:
            file = await self._bot.get_file(file_id)
            if file.file_size and file.file_size > MAX_BYTES:
                raise MediaUnavailable("too large")
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            # The message names the error, never the file's URL (it holds the token).
            logger.warning("getFile failed: %s", type(exc).__name__)
            raise MediaUnavailable(type(exc).__name__) from None
        return data, _content_type(kind, file.file_path)

    async def _from_url(self, kind: str, url: str) -> tuple[bytes, str]:
        client = self._http or httpx.AsyncClient(timeout=20)
        try:
            response = await client.get(url, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            logger.warning("media download failed: %s", type(exc).__name__)
            raise MediaUnavailable(type(exc).__name__) from None
        finally:
            if self._http is None:
                await client.aclose()
        if len(response.content) > MAX_BYTES:
            raise MediaUnavailable("too large")
        kind_type = response.headers.get("content-type", "").split(";")[0].strip()
        return response.content, kind_type or _content_type(kind, url)
