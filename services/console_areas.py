"""The console's Địa bàn page: the areas an officer polices as a tree, each with its linked
groups (purpose, whether the bot is still there and an admin, last activity) and the
who-to-call contacts residents get from /lienhe.

Rights are the police's (:func:`services.access.police_areas`, the rule of every police
command); narrowing to one area outside them is refused, not widened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.access import Profile, police_areas
from services.errors import PermissionDenied
from storage.dto import AreaDTO, ChatDTO
from storage.models import ChatPurpose, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.community import ContactDTO, ContactRepository
from storage.repositories.console_pages import ConsolePagesRepository
from storage.uow import Sessions, transaction

MAX_AREAS = 1500
"""Areas on one page: a province has thousands of tổ dân phố; narrow to a ward to see its."""
PURPOSES = (ChatPurpose.RESIDENTS, ChatPurpose.POLICE)


@dataclass(frozen=True, slots=True)
class GroupLine:
    id: int
    title: str
    purpose: str
    active: bool
    bot_is_admin: bool
    last_activity: datetime | None


@dataclass(frozen=True, slots=True)
class AreaNode:
    area: AreaDTO
    depth: int
    groups: tuple[GroupLine, ...]
    contacts: tuple[ContactDTO, ...]


@dataclass(frozen=True, slots=True)
class AreaTree:
    nodes: tuple[AreaNode, ...]
    truncated: bool
    chosen: AreaDTO | None
    tops: tuple[AreaDTO, ...]


class ConsoleAreas:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def tree(self, profile: Profile, area_id: int | None = None) -> AreaTree:
        tops = police_areas(profile, "web-police-only")
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            if profile.is_superadmin and not tops:
                tops = await areas.children(None)
            chosen = None
            roots = sorted(tops, key=lambda a: a.path)
            if area_id is not None:
                chosen = await areas.get(area_id)
                if chosen is None or not profile.can(Role.POLICE, chosen):
                    raise PermissionDenied("web-area-not-yours")
                roots = [chosen]
            found: list[tuple[AreaDTO, int]] = []
            for root in roots:
                base = root.path.count("/")
                for area in await areas.subtree(root):
                    found.append((area, area.path.count("/") - base))
            truncated = len(found) > MAX_AREAS
            found = found[:MAX_AREAS]
            ids = [a.id for a, _ in found]
            chats: list[ChatDTO] = []
            for purpose in PURPOSES:
                chats += await ChatRepository(session).for_areas(ids, purpose, active_only=False)
            contacts = await ContactRepository(session).for_areas(ids)
            activity = await ConsolePagesRepository(session).last_activity(
                [(c.id, c.telegram_chat_id) for c in chats]
            )
        nodes = []
        for area, depth in sorted(found, key=lambda pair: pair[0].path):
            groups = tuple(
                GroupLine(
                    c.id,
                    c.title or f"#{c.id}",
                    c.purpose.value,
                    c.active,
                    c.bot_is_admin,
                    activity.get(c.id),
                )
                for c in sorted(chats, key=lambda c: (c.purpose.value, c.title or ""))
                if c.area_id == area.id
            )
            mine = tuple(
                sorted((c for c in contacts if c.area_id == area.id), key=lambda c: c.role.value)
            )
            nodes.append(AreaNode(area, depth, groups, mine))
        return AreaTree(tuple(nodes), truncated, chosen, tuple(sorted(tops, key=lambda a: a.path)))
