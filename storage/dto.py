"""Frozen snapshots returned by repositories, so ORM objects never cross an ``await`` boundary
into services, handlers or jobs."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from storage.models import AreaKind, ChatPurpose, Role
from storage.person_names import person_name

T = TypeVar("T")


@cache
def _field_names(dto: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(dto))


def from_row(dto: type[T], row: object, **given: Any) -> T:
    """The snapshot of an ORM row: every field of ``dto`` read from the row's attribute of
    the same name, but for those ``given`` (a value the row holds in another form)."""
    read = {name: getattr(row, name) for name in _field_names(dto) if name not in given}
    return dto(**read, **given)


@dataclass(frozen=True, slots=True)
class AreaDTO:
    id: int
    code: str
    name: str
    kind: AreaKind
    parent_id: int | None
    path: str

    def contains(self, other: AreaDTO) -> bool:
        """True when ``other`` is this area or lies in its subtree."""
        return other.path.startswith(self.path)

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this area (inclusive)."""
        return [int(p) for p in self.path.strip("/").split("/") if p]


@dataclass(frozen=True, slots=True)
class UserDTO:
    id: int
    telegram_id: int | None
    first_name: str
    last_name: str | None
    username: str | None
    language: str | None
    home_area_id: int | None
    blocked_bot: bool

    @property
    def display_name(self) -> str:
        return person_name(self.first_name, self.last_name) or "?"


@dataclass(frozen=True, slots=True)
class GrantDTO:
    id: int
    user_id: int
    role: Role
    area: AreaDTO
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ChatDTO:
    id: int
    telegram_chat_id: int
    type: str
    title: str | None
    area_id: int | None
    purpose: ChatPurpose
    active: bool
    bot_is_admin: bool
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditDTO:
    id: int
    actor_user_id: int | None
    action: str
    target_type: str | None
    target_id: str | None
    area_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    created_at: datetime
