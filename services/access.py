"""Who may do what, where. Rights follow the area tree: a grant on a ward covers its tổ dân phố.

Roles nest: an admin may do what police may, and police may do what moderators may.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.errors import PermissionDenied
from storage.dto import AreaDTO, GrantDTO, UserDTO
from storage.models import Role
from storage.repositories.audit import AuditRepository
from storage.uow import Sessions, transaction

ROLE_IMPLIES: dict[Role, frozenset[Role]] = {
    Role.ADMIN: frozenset({Role.ADMIN, Role.POLICE, Role.MODERATOR}),
    Role.POLICE: frozenset({Role.POLICE, Role.MODERATOR}),
    Role.MODERATOR: frozenset({Role.MODERATOR}),
}


@dataclass(frozen=True, slots=True)
class Profile:
    """A user as seen by the rules: who they are, their language and their grants."""

    user: UserDTO
    locale: str
    grants: tuple[GrantDTO, ...] = ()
    is_superadmin: bool = False
    """Listed in ADMIN_IDS: an admin of every area, including ones not created yet."""

    def can(self, role: Role, area: AreaDTO) -> bool:
        if self.is_superadmin:
            return True
        return any(role in ROLE_IMPLIES[g.role] and g.area.contains(area) for g in self.grants)

    def areas_for(self, role: Role) -> list[AreaDTO]:
        """Top-most areas where the user holds ``role`` (or a stronger one)."""
        areas = {g.area.id: g.area for g in self.grants if role in ROLE_IMPLIES[g.role]}
        return [
            a
            for a in areas.values()
            if not any(o.id != a.id and o.contains(a) for o in areas.values())
        ]

    def has_any(self, role: Role) -> bool:
        return self.is_superadmin or any(role in ROLE_IMPLIES[g.role] for g in self.grants)

    @property
    def roles(self) -> set[Role]:
        found = {g.role for g in self.grants}
        if self.is_superadmin:
            found.add(Role.ADMIN)
        return found


def police_areas(profile: Profile, denied_key: str | None = None) -> list[AreaDTO]:
    """The rule behind every police-only command: the top-most areas the officer acts for,
    or :class:`PermissionDenied` (``denied_key``, else the shared "no permission") for
    anyone who is police nowhere. Services call it at their entry points; surfaces ask the
    service, never the profile, before they show a police command's usage."""
    if not profile.has_any(Role.POLICE):
        raise PermissionDenied(denied_key)
    return profile.areas_for(Role.POLICE)


async def record_refusal(
    sessions: Sessions,
    profile: Profile,
    code: str,
    target: tuple[str, int | None],
    area_id: int | None,
    **details: Any,
) -> None:
    """Write an action someone was refused in the audit log: who, on what (``target``: type
    and id), where, and ``details`` (what they tried, why it was refused). Its own
    transaction, so the refusal is kept though the action never happens."""
    async with transaction(sessions) as session:
        await AuditRepository(session).add(
            code,
            actor_user_id=profile.user.id,
            target_type=target[0],
            target_id=target[1],
            area_id=area_id,
            after=details,
        )
