"""Granting and revoking roles on areas. Every change is audited."""

from __future__ import annotations

from services.access import Profile
from services.areas import area_by_code
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.users import username_holder
from services.web_signin import end_sessions_without_rights
from storage.dto import AreaDTO, GrantDTO, UserDTO
from storage.models import Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.users import UserRepository
from storage.uow import Session, Sessions, transaction


def parse_role(value: str) -> Role:
    aliases = {
        "admin": Role.ADMIN,
        "police": Role.POLICE,
        "congan": Role.POLICE,
        "moderator": Role.MODERATOR,
        "mod": Role.MODERATOR,
        "kiemduyet": Role.MODERATOR,
    }
    role = aliases.get(value.strip().lower())
    if role is None:
        raise InvalidInput("grant-role-invalid", role=value)
    return role


def may_grant(actor: Profile | None, role: Role, area: AreaDTO) -> bool:
    """Admins (anywhere they are admin) grant anything; police grant moderators in their subtree.
    ``actor`` None means the operator's CLI, which is trusted."""
    if actor is None:
        return True
    if role is Role.MODERATOR:
        return actor.can(Role.POLICE, area)
    return actor.can(Role.ADMIN, area)


class GrantService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def grant(
        self,
        *,
        target_telegram_id: int | None = None,
        target_username: str | None = None,
        role: Role | str,
        area_code: str,
        actor: Profile | None = None,
    ) -> tuple[GrantDTO | None, UserDTO]:
        """Returns (grant, user); grant is None when it already existed."""
        role = role if isinstance(role, Role) else parse_role(role)
        async with transaction(self._sessions) as session:
            area, user = await self._resolve(
                session, actor, role, target_telegram_id, target_username, area_code
            )
            grant = await GrantRepository(session).add(
                user.id, role, area, actor.user.id if actor else None
            )
            if grant:
                await AuditRepository(session).add(
                    "grant.add",
                    actor_user_id=actor.user.id if actor else None,
                    target_type="user",
                    target_id=user.id,
                    area_id=area.id,
                    after={"role": role.value, "area": area.code},
                )
            return grant, user

    async def revoke(
        self,
        *,
        target_telegram_id: int | None = None,
        target_username: str | None = None,
        role: Role | str,
        area_code: str,
        actor: Profile | None = None,
    ) -> bool:
        role = role if isinstance(role, Role) else parse_role(role)
        async with transaction(self._sessions) as session:
            area, user = await self._resolve(
                session, actor, role, target_telegram_id, target_username, area_code
            )
            removed = await GrantRepository(session).remove(user.id, role, area.id)
            if removed:
                await AuditRepository(session).add(
                    "grant.remove",
                    actor_user_id=actor.user.id if actor else None,
                    target_type="user",
                    target_id=user.id,
                    area_id=area.id,
                    before={"role": role.value, "area": area.code},
                )
                # Losing the last police or admin grant shuts the console at once.
                await end_sessions_without_rights(session, user.id)
            return removed

    async def all(self) -> list[tuple[GrantDTO, UserDTO]]:
        async with transaction(self._sessions) as session:
            grants = await GrantRepository(session).all()
            users = UserRepository(session)
            result = []
            for grant in grants:
                user = await users.get(grant.user_id)
                assert user is not None  # grants cascade-delete with their user
                result.append((grant, user))
            return result

    @staticmethod
    async def _resolve(
        session: Session,
        actor: Profile | None,
        role: Role,
        telegram_id: int | None,
        username: str | None,
        area_code: str,
    ) -> tuple[AreaDTO, UserDTO]:
        """The area and the person, once ``actor`` is known to be allowed: someone without
        the right learns nothing, not even whether the bot has seen a username."""
        area = await area_by_code(AreaRepository(session), area_code)
        if not may_grant(actor, role, area):
            raise PermissionDenied()
        users = UserRepository(session)
        if telegram_id is not None:
            user = await users.ensure_telegram_id(telegram_id)
        elif username:
            user = await username_holder(session, username)
            if user is None:
                raise NotFound("grant-user-unknown", username=username)
        else:
            raise InvalidInput("grant-user-missing")
        return area, user
