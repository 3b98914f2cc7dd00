"""A thin async client for the Zalo Bot API (``<base>/bot<token>/<method>``).

Why not python-zalo-bot (0.1.9): it covers the same nine methods but its async path is
partial (set/deleteWebhook call ``asyncio.run`` and cannot run inside our event loop), it
ignores ``{"ok": false}`` answers sent with HTTP 200, drops fields the platform sends
(``photo``/``caption``, ``from.name``) and builds naive local datetimes, has a broken
``copy.copy`` branch, no tests and placeholder project metadata. What we need is a POST per
method with JSON and an envelope check, which httpx (already a dependency) does.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

logger = logging.getLogger(__name__)

ZALO_API_BASE_URL = "https://bot-api.zaloplatforms.com"
POLL_TIMEOUT_CODE = 408


class ZaloApiError(Exception):
    """The API answered ``ok: false`` (or an HTTP error); ``code`` is Zalo's error_code."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"Zalo API error {code}: {description}")
        self.code = code
        self.description = description


class ZaloNetworkError(Exception):
    """No answer (connection refused, timeout): safe to retry later."""


class ZaloClient:
    def __init__(
        self, token: str, base_url: str = ZALO_API_BASE_URL, *, timeout: float = 20.0
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/bot{token}"
        self._http = httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def call(self, method: str, read_timeout: float | None = None, **params: Any) -> Any:
        body = {k: v for k, v in params.items() if v is not None}
        timeout = httpx.Timeout(self._http.timeout.connect, read=read_timeout)
        try:
            resp = await self._http.post(
                f"{self._url}/{method}",
                json=body,
                timeout=timeout if read_timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.HTTPError as exc:
            # The URL holds the token: never put the exception text in logs.
            raise ZaloNetworkError(type(exc).__name__) from None
        try:
            data = resp.json()
        except ValueError:
            raise ZaloApiError(resp.status_code, "invalid JSON answer") from None
        if not isinstance(data, dict):
            raise ZaloApiError(resp.status_code, "unexpected answer")
        if not data.get("ok") or resp.status_code >= 400:
            code = int(data.get("error_code") or resp.status_code or 0)
            raise ZaloApiError(code, str(data.get("description") or "error"))
        return data.get("result")

    async def get_me(self) -> dict[str, Any]:
        return dict(await self.call("getMe") or {})

    async def get_updates(self, timeout: int = 30) -> list[dict[str, Any]]:  # noqa: ASYNC109
        """Long poll; [] when nothing came within ``timeout`` seconds (Zalo answers 408).
        The platform returns one update per call; a list is accepted too. Only ``timeout`` is
        sent: the docs list no offset (an update handed out is not handed out again, nor
        confirmed), unlike python-zalo-bot, which sends Telegram's offset/limit."""
        try:
            result = await self.call("getUpdates", read_timeout=timeout + 10, timeout=timeout)
        except ZaloApiError as exc:
            if exc.code == POLL_TIMEOUT_CODE:
                return []
            raise
        if isinstance(result, list):
            return [u for u in result if isinstance(u, dict)]
        return [result] if isinstance(result, dict) and result else []

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        return await self.call("setWebhook", url=url, secret_token=secret_token)

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        return dict(await self.call("getWebhookInfo") or {})

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        return dict(await self.call("sendMessage", chat_id=chat_id, text=text) or {})

    async def send_photo(
        self, chat_id: str, photo: str, caption: str | None = None
    ) -> dict[str, Any]:
        return dict(
            await self.call("sendPhoto", chat_id=chat_id, photo=photo, caption=caption) or {}
        )

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> Any:
        return await self.call("sendChatAction", chat_id=chat_id, action=action)
