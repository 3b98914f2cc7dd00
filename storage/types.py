"""Column types that enforce our storage invariants at the boundary.

* Times are stored as naive UTC and always come back timezone-aware UTC, on SQLite and Postgres.
* Vietnamese text is NFC-normalised on the way in, so "Thống Nhất" typed on an iPhone (NFD)
  and on Windows (NFC) compare equal in SQL.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect, Enum, String, Text
from sqlalchemy.types import TypeDecorator

MAX_ROW_ID = 2**31 - 1
"""Row ids are INTEGER (32-bit on PostgreSQL). An id from outside — a button's payload, a
typed number — beyond that names no row, and asking PostgreSQL for it is an error, not a miss."""


def is_row_id(value: int) -> bool:
    return 0 < value <= MAX_ROW_ID


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a timezone first")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def stored_text(value: str) -> str:
    """What a text column holds: NFC, and no NUL. Services clean what people type before it
    gets here (services.text_input); this is the backstop for text that arrives another way
    (a flooding member's message, a group title, a command argument used as a key):
    PostgreSQL refuses NUL in text while SQLite keeps it, and both must hold the same row."""
    return nfc(value).replace("\x00", "")


class NFCString(TypeDecorator[str]):
    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return stored_text(value) if isinstance(value, str) else value


class NFCText(TypeDecorator[str]):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return stored_text(value) if isinstance(value, str) else value


def str_enum(enum_cls: type[StrEnum], length: int = 24) -> Enum:
    """A portable enum column storing the members' values (a VARCHAR, not a native PG enum,
    so adding a member later is not a migration)."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )
