"""Domain errors. Each carries a catalogue key the surface renders in the user's language."""

from __future__ import annotations

from typing import Any

from storage.uow import StorageUnavailable


class AnninhError(Exception):
    message_key = "error-generic"

    def __init__(self, message_key: str | None = None, **args: Any) -> None:
        super().__init__(message_key or self.message_key)
        if message_key:
            self.message_key = message_key
        self.args_for_message = args


class PermissionDenied(AnninhError):
    message_key = "error-permission-denied"


class NotFound(AnninhError):
    message_key = "error-not-found"


class InvalidInput(AnninhError):
    message_key = "error-invalid-input"


class RateLimited(AnninhError):
    message_key = "error-flood"


__all__ = [
    "AnninhError",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "StorageUnavailable",
]
