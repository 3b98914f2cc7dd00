"""Async client for the sandbox control API (tests, benchmarks, scripts)."""

from __future__ import annotations

import base64
import time
from types import TracebackType
from typing import Any

import httpx

JSON = dict[str, Any]


class SandboxError(RuntimeError):
    """The control API refused a request; ``status`` and ``body`` tell why."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"sandbox control API error {status}: {body}")
        self.status = status
        self.body = body


def _describe(message: JSON) -> str:
    sender = message.get("from", {})
    name = sender.get("username") or sender.get("id")
    who = f"bot {name}" if sender.get("is_bot") else str(name)
    content = message.get("text") or message.get("caption") or next(
        (k for k in ("photo", "document", "location", "new_chat_members", "left_chat_member")
         if k in message), "?"
    )
    flags = " (deleted)" if message.get("deleted") else ""
    return f"  #{message.get('message_id')} {who}: {str(content)[:80]!r}{flags}"


class SandboxClient:
    def __init__(self, base_url: str, *, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(
        self, method: str, path: str, *, json: Any = None, params: JSON | None = None,
        http_timeout: float | None = None,
    ) -> Any:
        extra: JSON = {} if http_timeout is None else {"timeout": http_timeout}
        resp = await self._http.request(method, path, json=json, params=params, **extra)
        try:
            body = resp.json()
        except ValueError:
            body = resp.text
        if resp.status_code >= 400:
            raise SandboxError(resp.status_code, body)
        return body

    # -- user actions -----------------------------------------------------------
    async def send_message(
        self, chat_id: int, user: JSON, text: str | None = None, *,
        chat_type: str = "private", chat_title: str | None = None,
        caption: str | None = None, photo: bytes | None = None,
        document: bytes | None = None, video: bytes | None = None,
        voice: bytes | None = None, filename: str | None = None,
        mime_type: str | None = None, location: tuple[float, float] | None = None,
        reply_to_message_id: int | None = None, media_group_id: str | None = None,
        sticker: bool = False, contact: JSON | None = None,
    ) -> JSON:
        """A user writes in ``chat_id``; returns the created Message."""
        body: JSON = {"from": user, "chat": {"type": chat_type}}
        if chat_title is not None:
            body["chat"]["title"] = chat_title
        optional: JSON = {
            "text": text, "caption": caption, "file_name": filename, "mime_type": mime_type,
            "reply_to_message_id": reply_to_message_id, "media_group_id": media_group_id,
            "contact": contact,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        for key, data in (("photo", photo), ("document", document), ("video", video),
                          ("voice", voice)):
            if data is not None:
                body[key] = base64.b64encode(data).decode("ascii")
        if location is not None:
            body["location"] = {"latitude": location[0], "longitude": location[1]}
        if sticker:
            body["sticker"] = True
        result: JSON = await self._call("POST", f"/sandbox/chats/{chat_id}/messages", json=body)
        return result

    async def edit_message(self, chat_id: int, user: JSON, message_id: int, text: str) -> JSON:
        result: JSON = await self._call(
            "POST", f"/sandbox/chats/{chat_id}/messages/{message_id}/edit",
            json={"from": user, "text": text},
        )
        return result

    async def press_button(
        self, chat_id: int, user: JSON, message_id: int, data: str, *, forged: bool = False
    ) -> JSON:
        """A user presses a button; ``forged`` sends data no button carries (as a modified
        client can)."""
        result: JSON = await self._call(
            "POST", f"/sandbox/chats/{chat_id}/callback",
            json={"from": user, "message_id": message_id, "data": data, "forged": forged},
        )
        return result

    async def callback_answer(self, callback_query_id: str, wait: float = 2.0) -> JSON | None:
        """The bot's answerCallbackQuery payload, or None if it did not answer in time."""
        result: JSON = await self._call(
            "GET", f"/sandbox/callbacks/{callback_query_id}", params={"wait": wait},
            http_timeout=wait + 10,
        )
        return result if result.get("answered") else None

    async def members(
        self, chat_id: int, joined: list[JSON] | None = None, left: list[JSON] | None = None,
        *, chat_type: str = "supergroup", title: str | None = None, actor: JSON | None = None,
    ) -> list[JSON]:
        body: JSON = {"chat": {"type": chat_type, "title": title},
                      "joined": joined or [], "left": left or []}
        if actor is not None:
            body["from"] = actor
        result: list[JSON] = await self._call(
            "POST", f"/sandbox/chats/{chat_id}/members", json=body
        )
        return result

    async def set_admins(
        self, chat_id: int, user_ids: list[int], bot_is_admin: bool = True, *,
        creator_id: int | None = None,
    ) -> None:
        await self._call("POST", f"/sandbox/chats/{chat_id}/admins", json={
            "user_ids": user_ids, "bot_is_admin": bot_is_admin, "creator_id": creator_id,
        })

    async def block_bot(self, user_id: int) -> None:
        await self._call("POST", f"/sandbox/users/{user_id}/block")

    async def unblock_bot(self, user_id: int) -> None:
        await self._call("POST", f"/sandbox/users/{user_id}/unblock")

    # -- inspection ---------------------------------------------------------------
    async def chats(self, *, member: int | None = None) -> list[JSON]:
        """Every chat, or only those ``member`` is in (private chat and groups)."""
        params = None if member is None else {"member": member}
        result: list[JSON] = await self._call("GET", "/sandbox/chats", params=params)
        return result

    async def set_personas(self, personas: list[JSON]) -> list[JSON]:
        """Who the web chat page lists (id, name, username, title, role, platform)."""
        result: list[JSON] = await self._call("PUT", "/sandbox/personas", json=personas)
        return result

    async def personas(self) -> list[JSON]:
        result: list[JSON] = await self._call("GET", "/sandbox/personas")
        return result

    async def chat(self, chat_id: int) -> JSON:
        result: JSON = await self._call("GET", f"/sandbox/chats/{chat_id}")
        return result

    async def history(
        self, chat_id: int, *, after: int = 0, from_bot: bool = False,
        wait: float = 0.0, min_count: int = 1,
    ) -> list[JSON]:
        return await self._messages(chat_id, {"after": after, "min": min_count}, from_bot, wait)

    async def wait_for_bot_messages(
        self, chat_id: int, *, after_message_id: int = 0, count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - public API name; enforced server-side
    ) -> list[JSON]:
        """New bot messages (id > after_message_id) once ``count`` exist."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            found = await self.history(
                chat_id, after=after_message_id, from_bot=True,
                wait=max(0.01, min(remaining, 30.0)), min_count=count,
            )
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                break
        try:
            everything = await self.history(chat_id)
        except SandboxError:
            everything = []
        lines = "\n".join(_describe(m) for m in everything) or "  (chat is empty or unknown)"
        raise TimeoutError(
            f"expected {count} bot message(s) in chat {chat_id} after #{after_message_id} "
            f"within {timeout}s, got {len(found)}; the chat contains:\n{lines}"
        )

    async def download(self, file_id: str) -> bytes:
        resp = await self._http.get(f"/sandbox/files/{file_id}")
        if resp.status_code >= 400:
            raise SandboxError(resp.status_code, resp.text)
        return resp.content

    # -- test control -------------------------------------------------------------
    async def fault(
        self, method: str, status: int = 500, count: int = 1, retry_after: int | None = None,
        delay_s: float | None = None, drop: bool = False, description: str | None = None,
        every: int | None = None,
    ) -> None:
        """The next ``count`` calls of ``method`` (``"*"``: any) fail so; with ``every``, one
        matching call in ``every`` does, until ``count`` have."""
        body: JSON = {"method": method, "status": status, "count": count, "drop": drop}
        optional = {"retry_after": retry_after, "delay_s": delay_s, "description": description,
                    "every": every}
        body.update({k: v for k, v in optional.items() if v is not None})
        await self._call("POST", "/sandbox/faults", json=body)

    async def clear_faults(self) -> None:
        await self._call("DELETE", "/sandbox/faults")

    async def limits(
        self, enabled: bool = True, *, global_per_s: int | None = None,
        private_per_s: int | None = None, group_per_min: int | None = None,
    ) -> JSON:
        body: JSON = {"enabled": enabled, "global_per_s": global_per_s,
                      "private_per_s": private_per_s, "group_per_min": group_per_min}
        result: JSON = await self._call("POST", "/sandbox/limits", json=body)
        return result

    async def stats(self) -> JSON:
        result: JSON = await self._call("GET", "/sandbox/stats")
        return result

    async def reset(self) -> None:
        await self._call("POST", "/sandbox/reset")

    # -- Zalo (sandbox/zalo_api.py) ------------------------------------------------------------
    async def zalo_send(
        self, chat_id: str, user: JSON, text: str | None = None, *,
        chat_type: str = "PRIVATE", chat_title: str | None = None,
        photo: bytes | None = None, caption: str | None = None, sticker: bool = False,
        mention: bool = False, unsupported: bool = False, voice: bool = False,
        event_name: str | None = None,
    ) -> JSON:
        """A Zalo user writes in ``chat_id`` (their own id for the private chat). ``mention``
        marks a group message as a reply to the bot; ``event_name`` sends an event the docs do
        not list (``message.reaction.received``...)."""
        body: JSON = {"platform": "zalo", "from": user, "chat": {"type": chat_type}}
        if chat_title is not None:
            body["chat"]["title"] = chat_title
        optional: JSON = {"text": text, "caption": caption, "event_name": event_name}
        body.update({k: v for k, v in optional.items() if v is not None})
        if photo is not None:
            body["photo"] = base64.b64encode(photo).decode("ascii")
        for flag, on in (("sticker", sticker), ("mention", mention),
                         ("unsupported", unsupported), ("voice", voice)):
            if on:
                body[flag] = True
        result: JSON = await self._call("POST", f"/sandbox/chats/{chat_id}/messages", json=body)
        return result

    async def zalo_history(
        self, chat_id: str, *, after: int = 0, from_bot: bool = False,
        wait: float = 0.0, min_count: int = 1,
    ) -> list[JSON]:
        """A Zalo chat's messages with ``seq`` > ``after``."""
        return await self._messages(
            chat_id, {"platform": "zalo", "after": after, "min": min_count}, from_bot, wait
        )

    async def _messages(
        self, chat_id: int | str, params: JSON, from_bot: bool, wait: float
    ) -> list[JSON]:
        """A chat's messages (Telegram's, or Zalo's with ``platform``), optionally only the
        bot's, waiting up to ``wait`` seconds for them."""
        if from_bot:
            params["from_bot"] = 1
        if wait:
            params["wait"] = wait
        result: list[JSON] = await self._call(
            "GET", f"/sandbox/chats/{chat_id}/messages", params=params, http_timeout=wait + 10
        )
        return result

    async def zalo_wait_for_bot(
        self, chat_id: str, *, after_seq: int = 0, count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - enforced server-side
    ) -> list[JSON]:
        """New bot messages (seq > after_seq) in a Zalo chat once ``count`` exist."""
        deadline = time.monotonic() + timeout
        found: list[JSON] = []
        while time.monotonic() < deadline:
            found = await self.zalo_history(
                chat_id, after=after_seq, from_bot=True,
                wait=max(0.01, min(deadline - time.monotonic(), 30.0)), min_count=count,
            )
            if len(found) >= count:
                return found
        everything = await self.zalo_history(chat_id, after=0) if found is not None else []
        lines = "\n".join(
            f"  {m['seq']} {'bot' if m['from_bot'] else m['from']['id']}: "
            f"{str(m.get('text') or m.get('caption') or m.get('photo_url'))[:80]!r}"
            for m in everything
        ) or "  (chat is empty or unknown)"
        raise TimeoutError(
            f"expected {count} bot message(s) in Zalo chat {chat_id} after seq {after_seq} "
            f"within {timeout}s, got {len(found)}; the chat contains:\n{lines}"
        )

    async def zalo_block(self, user_id: str, blocked: bool = True) -> None:
        action = "block" if blocked else "unblock"
        await self._call("POST", f"/sandbox/zalo/users/{user_id}/{action}")

    async def zalo_fault(
        self, method: str, status: int = 500, count: int = 1, description: str | None = None
    ) -> None:
        """The next ``count`` calls of ``method`` fail with ``status`` (described as the docs
        describe that code unless ``description`` is given)."""
        body: JSON = {"method": method, "status": status, "count": count}
        if description is not None:
            body["description"] = description
        await self._call("POST", "/sandbox/zalo/faults", json=body)

    async def zalo_redeliver(self, message_id: str) -> None:
        """The update made of ``message_id`` is handed out to the bot again."""
        await self._call("POST", "/sandbox/zalo/redeliver", json={"message_id": message_id})
