"""A thin async client of the Zalo Official Account API (Open API v3) and its OAuth server.

Every answer is an envelope ``{error, message, data}``: ``error == 0`` is success whatever
the HTTP status, anything else raises the :class:`OaError` subclass for that code, so a
caller catches "outside the 7-day window" or "too fast" by type, not by number. The access
token travels in the ``access_token`` header (never the URL, which httpx may log); every
token the client sees is handed to the log scrubber. When the API refuses the access token
(-216) the client has the pair refreshed once and tries again.

Why no SDK: Zalo publishes none for Python; the official Java/.NET/PHP SDKs are thin HTTP
wrappers too (see FACTS in ``zalo_oa``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

import httpx

from bot.logs import remember_secret
from services.zalo_oa_tokens import ACCESS_LIFETIME, IssuedTokens, OaTokens, RefreshFailed

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
MAX_BUTTONS = 5
JSON = dict[str, Any]


class OaError(Exception):
    """The API answered ``error != 0``. The message is Zalo's (never a token)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"Zalo OA error {code}: {message}")
        self.code = code
        self.message = message


class OaTokenInvalid(OaError):
    """-216: the access token is invalid or expired."""


class OaOutsideWindow(OaError):
    """-230/-232: the resident has not interacted with the OA within the window."""


class OaNotFollower(OaError):
    """-213: the user does not follow the OA."""


class OaTooFast(OaError):
    """-32: too many requests; slow down and try again."""


class OaQuotaExceeded(OaError):
    """-211: the OA's quota for this kind of message is used up."""


class OaNightBroadcast(OaError):
    """-234: broadcast messages are not sent at night."""


class OaBadRequest(OaError):
    """-201/-210: a parameter is invalid or too long."""


class OaUnavailable(OaError):
    """No envelope came back (an HTTP error page, a proxy): worth trying again later."""


class OaNetworkError(Exception):
    """No answer at all (connection refused, timeout): worth trying again later."""


ERRORS: dict[int, type[OaError]] = {
    -216: OaTokenInvalid,
    -230: OaOutsideWindow,
    -232: OaOutsideWindow,
    -213: OaNotFollower,
    -32: OaTooFast,
    -211: OaQuotaExceeded,
    -234: OaNightBroadcast,
    -201: OaBadRequest,
    -210: OaBadRequest,
}


def error_for(code: int, message: str) -> OaError:
    return ERRORS.get(code, OaError)(code, message)


def _expires_in(value: Any) -> timedelta:
    try:
        seconds = int(float(value))
    except (TypeError, ValueError):
        return ACCESS_LIFETIME
    return timedelta(seconds=seconds) if seconds > 0 else ACCESS_LIFETIME


class OaClient:
    def __init__(
        self,
        api_base_url: str,
        oauth_base_url: str,
        *,
        app_id: str,
        app_secret: str,
        tokens: OaTokens | None = None,
        timeout: float = 20.0,
        remember: Callable[[str], None] = remember_secret,
    ) -> None:
        self._api = api_base_url.rstrip("/")
        self._oauth = oauth_base_url.rstrip("/")
        self._app_id = app_id
        self._app_secret = app_secret
        self._tokens = tokens
        self._http = httpx.AsyncClient(timeout=timeout)
        self._remember = remember
        remember(app_secret)

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the OA API ---------------------------------------------------------------------
    async def _request(self, send: Callable[[str], Awaitable[httpx.Response]]) -> JSON:
        if self._tokens is None:
            raise OaTokenInvalid(-216, "no access token configured")
        token = await self._tokens.access_token() or ""
        self._remember(token)
        try:
            return self._envelope(await send(token))
        except OaTokenInvalid:
            await self._tokens.refresh(self, rejected=token)
            fresh = await self._tokens.access_token() or ""
            if not fresh or fresh == token:
                raise
            self._remember(fresh)
            return self._envelope(await send(fresh))

    async def _post_json(self, path: str, body: JSON) -> JSON:
        async def send(token: str) -> httpx.Response:
            return await self._call("POST", f"{self._api}{path}", token, json=body)

        return await self._request(send)

    async def _call(self, method: str, url: str, token: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, url, headers={"access_token": token}, **kwargs)
        except httpx.HTTPError as exc:
            raise OaNetworkError(type(exc).__name__) from None

    @staticmethod
    def _envelope(resp: httpx.Response) -> JSON:
        try:
            data = resp.json()
        except ValueError:
            raise OaUnavailable(-resp.status_code, "no JSON answer") from None
        if not isinstance(data, dict) or "error" not in data:
            raise OaUnavailable(-resp.status_code, "no envelope in the answer")
        try:
            code = int(data.get("error") or 0)
        except (TypeError, ValueError):
            raise OaUnavailable(-resp.status_code, "unreadable error code") from None
        if code != 0:
            raise error_for(code, str(data.get("message") or "error")[:200])
        result = data.get("data")
        return result if isinstance(result, dict) else {}

    async def send_text(
        self, user_id: str, text: str, buttons: Sequence[tuple[str, str]] = ()
    ) -> str:
        """A customer-service text; ``buttons`` (title, payload) become ``oa.query.hide``
        buttons, which send the payload back as the resident's text (at most MAX_BUTTONS:
        more choices are the caller's to number in the text). Returns message_id."""
        if len(buttons) > MAX_BUTTONS:
            raise ValueError(f"at most {MAX_BUTTONS} buttons, got {len(buttons)}")
        message: JSON = {"text": text}
        if buttons:
            message["attachment"] = {
                "type": "template",
                "payload": {
                    "buttons": [
                        {"title": title, "type": "oa.query.hide", "payload": payload}
                        for title, payload in buttons
                    ]
                },
            }
        data = await self._post_json(
            "/v3.0/oa/message/cs", {"recipient": {"user_id": user_id}, "message": message}
        )
        return str(data.get("message_id") or "")

    async def upload_image(
        self, content: bytes, filename: str = "image.jpg", content_type: str = "image/jpeg"
    ) -> str:
        """Upload an image for a later media message; returns its attachment_id."""

        async def send(token: str) -> httpx.Response:
            files = {"file": (filename, content, content_type)}
            url = f"{self._api}/v2.0/oa/upload/image"
            return await self._call("POST", url, token, files=files)

        data = await self._request(send)
        return str(data.get("attachment_id") or "")

    async def send_image(self, user_id: str, attachment_id: str, text: str = "") -> str:
        message: JSON = {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "media",
                    "elements": [{"media_type": "image", "attachment_id": attachment_id}],
                },
            }
        }
        if text:
            message["text"] = text
        data = await self._post_json(
            "/v3.0/oa/message/cs", {"recipient": {"user_id": user_id}, "message": message}
        )
        return str(data.get("message_id") or "")

    async def send_group_text(self, group_id: str, text: str) -> str:
        """A text into a group the OA created (Group Message Framework)."""
        body = {"recipient": {"group_id": group_id}, "message": {"text": text}}
        data = await self._post_json("/v3.0/oa/group/message", body)
        return str(data.get("message_id") or "")

    async def tag_follower(self, user_id: str, tag_name: str) -> None:
        """Put a tag (label) on a follower; Zalo creates the tag if the OA has none by that
        name (v2.0: the tag API has no v3.0 path)."""
        body = {"user_id": user_id, "tag_name": tag_name}
        await self._post_json("/v2.0/oa/tag/tagfollower", body)

    async def untag_follower(self, user_id: str, tag_name: str) -> None:
        body = {"user_id": user_id, "tag_name": tag_name}
        await self._post_json("/v2.0/oa/tag/rmfollowerfromtag", body)

    # -- OAuth ----------------------------------------------------------------------------
    async def refresh(self, refresh_token: str) -> IssuedTokens:
        """A new pair for the (single-use) refresh token (services.zalo_oa_tokens port)."""
        self._remember(refresh_token)
        try:
            resp = await self._http.post(
                f"{self._oauth}/v4/oa/access_token",
                headers={"secret_key": self._app_secret},
                data={
                    "refresh_token": refresh_token,
                    "app_id": self._app_id,
                    "grant_type": "refresh_token",
                },
            )
        except httpx.HTTPError as exc:
            raise RefreshFailed(type(exc).__name__, refused=False) from None
        try:
            data = resp.json()
        except ValueError:
            raise RefreshFailed(f"HTTP {resp.status_code}", refused=False) from None
        if not isinstance(data, dict):
            raise RefreshFailed(f"HTTP {resp.status_code}", refused=False)
        access, refresh = data.get("access_token"), data.get("refresh_token")
        if isinstance(access, str) and access and isinstance(refresh, str) and refresh:
            self._remember(access)
            self._remember(refresh)
            return IssuedTokens(access, refresh, _expires_in(data.get("expires_in")))
        if resp.status_code >= 500:
            raise RefreshFailed(f"HTTP {resp.status_code}", refused=False)
        code = data.get("error", "?")
        name = str(data.get("error_name") or data.get("error_description") or "refused")
        raise RefreshFailed(f"{code} {name[:80]}", refused=True)
