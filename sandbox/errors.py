"""Telegram-shaped API errors raised by Bot API method implementations."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error that is turned into ``{"ok": false, "error_code": ..., ...}``.

    Method implementations raise this instead of building responses so that the
    dispatcher is the only place that knows the wire shape (and counts errors).
    """

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            out["parameters"] = {"retry_after": self.retry_after}
        return out


def bad_request(detail: str) -> ApiError:
    """400 with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """403 with Telegram's "Forbidden: " prefix."""
    return ApiError(403, f"Forbidden: {detail}")


def chat_not_found() -> ApiError:
    return bad_request("chat not found")
