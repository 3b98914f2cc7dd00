"""Uniform access to Bot API parameters whatever the request encoding.

Telegram accepts query strings, JSON, urlencoded and multipart bodies. PTB
sends form bodies where every non-string value is JSON-encoded (``"123"``,
``"true"``, ``'{"inline_keyboard": ...}'``), so typed accessors convert on
read instead of guessing types up front (a text of ``"123"`` must stay text).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

from sandbox.errors import bad_request

N = TypeVar("N", int, float)


@dataclass
class Upload:
    """A file that arrived as a multipart part."""

    data: bytes
    filename: str | None = None
    content_type: str | None = None


class Params:
    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    @classmethod
    async def from_request(cls, request: web.Request) -> Params:
        values: dict[str, Any] = dict(request.query)
        uploads: dict[str, Upload] = {}
        if request.body_exists:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = await request.json()
                except ValueError as exc:
                    raise bad_request("can't parse JSON body") from exc
                if isinstance(body, dict):
                    values.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        uploads[key] = Upload(
                            value.file.read(), value.filename, value.content_type
                        )
                    else:
                        values[key] = value
        return cls(values, uploads)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "") or name in self.uploads

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def get_str(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        if value is None:
            return default
        return value if isinstance(value, str) else json.dumps(value)

    def req_str(self, name: str) -> str:
        value = self.get_str(name)
        if value is None or value == "":
            raise bad_request(f"parameter {name} is required")
        return value

    def get_int(self, name: str, default: int | None = None) -> int | None:
        return self._number(name, int, default)

    def req_int(self, name: str) -> int:
        value = self.get_int(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def get_float(self, name: str) -> float | None:
        return self._number(name, float, None)

    def _number(self, name: str, kind: Callable[[Any], N], default: N | None) -> N | None:
        """``name`` read as a number of ``kind``; ``default`` when absent or empty."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return kind(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"invalid {name} specified") from exc

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes", "on")
        return bool(value)

    def json(self, name: str) -> Any:
        """A structured parameter: form bodies carry it as a JSON string."""
        value = self.values.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError as exc:
                raise bad_request(f"can't parse {name} JSON object") from exc
        return value

    def file(self, name: str) -> Upload | str | None:
        """An input file: an uploaded part, ``attach://x``, a file_id or a URL."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            return self.uploads.get(value.removeprefix("attach://"))
        return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class HistoryQuery:
    """``?after=&min=&wait=`` and the "only the bot's" flag of the sandbox's history
    endpoints (Telegram, Zalo bot, Zalo OA)."""

    after: int
    own_only: bool
    minimum: int
    wait: float

    @classmethod
    def of(cls, request: web.Request, own_flag: str = "from_bot") -> HistoryQuery:
        query = request.query
        return cls(
            after=int(query.get("after", "0") or 0),
            own_only=query.get(own_flag, "") in ("1", "true", "yes"),
            minimum=int(query.get("min", "1") or 1),
            wait=min(float(query.get("wait", "0") or 0), 60.0),
        )

    async def long_poll(self, state: Any, matching: Callable[[], list[Any]]) -> bool:
        """Wait (up to ``wait`` s) until ``matching()`` has ``minimum`` entries; False when
        the request did not ask to wait."""
        if self.wait <= 0:
            return False
        await state.wait_until(lambda: len(matching()) >= self.minimum, self.wait)
        return True
