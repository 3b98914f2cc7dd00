"""Granting and revoking roles on areas. Every change is audited."""

from __future__ import annotations

from typing import Required, TypedDict, Unpack

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


class GrantTarget(TypedDict, total=False):
    """What a grant or a revocation is about: the person (by Telegram id, or by a @username the
    bot has seen), the role and the area, and who asks (None: the operator's CLI)."""

    target_telegram_id: int | None
    target_username: str | None
    role: Required[Role | str]
    area_code: Required[str]
    actor: Profile | None


class GrantService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def grant(self, **target: Unpack[GrantTarget]) -> tuple[GrantDTO | None, UserDTO]:
        """Returns (grant, user); grant is None when it already existed."""
        actor = target.get("actor")
        async with transaction(self._sessions) as session:
            role, area, user = await self._resolve(session, target)
            grant = await GrantRepository(session).add(
                user.id, role, area, actor.user.id if actor else None
            )
            if grant:
                await _audit(session, actor, user, role, area, removed=False)
            return grant, user

    async def revoke(self, **target: Unpack[GrantTarget]) -> bool:
        async with transaction(self._sessions) as session:
            role, area, user = await self._resolve(session, target)
            removed = await GrantRepository(session).remove(user.id, role, area.id)
            if removed:
                await _audit(session, target.get("actor"), user, role, area, removed=True)
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
    async def _resolve(session: Session, target: GrantTarget) -> tuple[Role, AreaDTO, UserDTO]:
        """The role, the area and the person, once the actor is known to be allowed: someone
        without the right learns nothing, not even whether the bot has seen a username."""
        role = target["role"]
        role = role if isinstance(role, Role) else parse_role(role)
        area = await area_by_code(AreaRepository(session), target["area_code"])
        if not may_grant(target.get("actor"), role, area):
            raise PermissionDenied()
        telegram_id, username = target.get("target_telegram_id"), target.get("target_username")
        if telegram_id is not None:
            user = await UserRepository(session).ensure_telegram_id(telegram_id)
        elif username:
            found = await username_holder(session, username)
            if found is None:
                raise NotFound("grant-user-unknown", username=username)
            user = found
        else:
            raise InvalidInput("grant-user-missing")
        return role, area, user


async def _audit(
    session: Session,
    actor: Profile | None,
    user: UserDTO,
    role: Role,
    area: AreaDTO,
    *,
    removed: bool,
) -> None:
    """A grant added (what it is, ``after``) or removed (``before``)."""
    what = {"role": role.value, "area": area.code}
    await AuditRepository(session).add(
        "grant.remove" if removed else "grant.add",
        actor_user_id=actor.user.id if actor else None,
        target_type="user",
        target_id=user.id,
        area_id=area.id,
        before=what if removed else None,
        after=None if removed else what,
    )
