"""Advisory rights and targets: who may send advisories, who may manage one, the area picker
one level at a time, the residents' groups an area reaches, and checking groups chosen one by one.

An advisory belongs to the area it warns, not to the officer who wrote it: whoever holds the
police right on that area *now* manages it (and its author, once transferred or revoked, no
longer does), so a daily warning keeps running after the officer who set it up leaves.
"""

from __future__ import annotations

from typing import Any

from services.access import Profile, police_areas
from services.advisory_types import AreaLevel
from services.areas import police_unit
from services.errors import InvalidInput, PermissionDenied
from services.ports import L10n
from storage.dto import AreaDTO, ChatDTO
from storage.models import ChatPurpose, Role
from storage.repositories.advisories import AdvisoryDTO, AdvisoryRepository
from storage.repositories.areas import AreaRepository
from storage.repositories.chats import ChatRepository
from storage.uow import Sessions, transaction


class AdvisoryTargets:
    """Who may send and manage advisories, and which chats an advisory's target reaches."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    # -- rights and targets ------------------------------------------------------
    @staticmethod
    def require_police(profile: Profile) -> None:
        police_areas(profile, "adv-police-only")

    async def may_manage(self, session: Any, profile: Profile, advisory: AdvisoryDTO) -> bool:
        """Does ``profile`` hold the police right, now, on every place the advisory reaches:
        its area, or the areas of the groups it was sent to one by one? (Admins and
        super-admins included: their roles imply police.)"""
        if profile.is_superadmin:
            return True
        areas = AreaRepository(session)
        if advisory.area_id is not None:
            area = await areas.get(advisory.area_id)
            return area is not None and profile.can(Role.POLICE, area)
        chats = await AdvisoryRepository(session).chats(list(advisory.chat_ids))
        area_ids = {c.area_id for c in chats}
        if not chats or None in area_ids:
            return False
        found = await areas.get_many([i for i in area_ids if i is not None])
        return len(found) == len(area_ids) and all(profile.can(Role.POLICE, a) for a in found)

    async def issuing_unit(self, session: Any, advisory: AdvisoryDTO) -> L10n | str:
        """The police unit an advisory speaks for ("phường Thống Nhất"): that of its area, or
        of the first of the groups it was sent to one by one."""
        areas = AreaRepository(session)
        area_id = advisory.area_id
        if area_id is None:
            chats = await AdvisoryRepository(session).chats(list(advisory.chat_ids))
            area_id = next((c.area_id for c in chats if c.area_id is not None), None)
        area = await areas.get(area_id) if area_id is not None else None
        if area is None:
            return ""
        return police_unit(await areas.get_many(area.ancestor_ids))

    async def managed_by(self, session: Any, profile: Profile) -> list[AdvisoryDTO]:
        """Live advisories ``profile`` may manage, newest first, whoever wrote them."""
        repo = AdvisoryRepository(session)
        if profile.is_superadmin:
            return await repo.by_author(None)
        areas = AreaRepository(session)
        area_ids = {
            a.id for root in profile.areas_for(Role.POLICE) for a in await areas.subtree(root)
        }
        found = await repo.live_for_areas(sorted(area_ids))
        return [a for a in found if await self.may_manage(session, profile, a)]

    async def level(self, profile: Profile, parent_id: int | None) -> AreaLevel:
        """One level of the target picker, never outside the officer's areas."""
        self.require_police(profile)
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            if parent_id is None:
                if profile.is_superadmin:
                    return AreaLevel(None, await areas.children(None), False)
                tops = sorted(profile.areas_for(Role.POLICE), key=lambda a: a.name)
                if len(tops) == 1:
                    return AreaLevel(tops[0], await areas.children(tops[0].id), False)
                return AreaLevel(None, tops, False)
            parent = await areas.get(parent_id)
            if parent is None or not profile.can(Role.POLICE, parent):
                raise PermissionDenied("adv-area-not-yours")
            up = parent.parent_id is not None and profile.is_superadmin
            if not up and parent.parent_id is not None:
                above = await areas.get(parent.parent_id)
                up = above is not None and profile.can(Role.POLICE, above)
            tops = profile.areas_for(Role.POLICE)
            up = up or (len(tops) > 1 and not profile.is_superadmin)
            return AreaLevel(parent, await areas.children(parent.id), up)

    async def area_target(self, profile: Profile, area_id: int) -> tuple[AreaDTO, int]:
        """The chosen area and how many residents' groups it reaches."""
        self.require_police(profile)
        async with transaction(self._sessions) as session:
            area = await AreaRepository(session).get(area_id)
            if area is None or not profile.can(Role.POLICE, area):
                raise PermissionDenied("adv-area-not-yours")
            chats = await self.area_chats(session, area)
        return area, len(chats)

    async def groups_for(self, profile: Profile) -> list[ChatDTO]:
        """Residents' groups the officer may write to, for choosing them one by one."""
        self.require_police(profile)
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            roots = (
                await areas.children(None)
                if profile.is_superadmin
                else profile.areas_for(Role.POLICE)
            )
            found: dict[int, ChatDTO] = {}
            for root in roots:
                for chat in await self.area_chats(session, root):
                    found[chat.id] = chat
        return sorted(found.values(), key=lambda c: (c.title or "", c.id))

    @staticmethod
    async def area_chats(session: Any, area: AreaDTO) -> list[ChatDTO]:
        ids = [a.id for a in await AreaRepository(session).subtree(area)]
        return await ChatRepository(session).for_areas(ids, ChatPurpose.RESIDENTS)

    async def check_chats(self, session: Any, profile: Profile, chat_ids: tuple[int, ...]) -> None:
        chats = await AdvisoryRepository(session).chats(list(chat_ids))
        if len(chats) != len(set(chat_ids)):
            raise InvalidInput("adv-groups-gone")
        area_ids = [c.area_id for c in chats if c.area_id is not None]
        areas = {a.id: a for a in await AreaRepository(session).get_many(area_ids)}
        for chat in chats:
            area = areas.get(chat.area_id) if chat.area_id is not None else None
            if area is None or not profile.can(Role.POLICE, area):
                raise PermissionDenied("adv-area-not-yours")
