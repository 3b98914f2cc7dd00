"""Who polices an area, and telling them something.

The police of an area are those of the nearest area up the tree that has any: its police work
chat(s) if one is linked there, else each officer holding police rights on it. Tip routing,
escalation and the notices of other features (a report against an officer, say) all ask here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from services.channels import recipient_for
from services.ports import OutgoingMessage, Recipient, Sender
from services.reach import send_logged
from storage.dto import AreaDTO
from storage.models import ChatPurpose, Role
from storage.repositories.chats import ChatRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.users import UserRepository
from storage.uow import Session, Sessions, transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AreaPolice:
    chats: tuple[Recipient, ...] = ()
    """The police work chats linked to the nearest area with police."""
    officers: tuple[tuple[int, Recipient], ...] = ()
    """(user id, recipient) of each officer with police rights on that area who can be
    reached; told one by one when no chat took a message."""

    @property
    def found(self) -> bool:
        return bool(self.chats or self.officers)


async def police_of(session: Session, area: AreaDTO, default_language: str) -> AreaPolice:
    """The police of ``area`` (see the module's docstring); empty when none up to the root."""
    grants = await GrantRepository(session).holders_covering(area, Role.POLICE)
    police_chats = await ChatRepository(session).for_areas(area.ancestor_ids, ChatPurpose.POLICE)
    depth = {aid: i for i, aid in enumerate(area.ancestor_ids)}
    covered = {g.area.id for g in grants} | {
        c.area_id for c in police_chats if c.area_id is not None
    }
    if not covered:
        return AreaPolice()
    nearest = max(covered, key=lambda aid: depth.get(aid, -1))
    chats = tuple(
        Recipient(c.telegram_chat_id, default_language)
        for c in police_chats
        if c.area_id == nearest
    )
    officers = []
    users = UserRepository(session)
    for grant in grants:
        if grant.area.id != nearest:
            continue
        officer = await users.get(grant.user_id)
        to = recipient_for(officer, default_language) if officer and officer.telegram_id else None
        if officer is not None and to is not None:
            officers.append((officer.id, to))
    return AreaPolice(chats, tuple(officers))


class PoliceNotices:
    """Telling the police of an area something that is theirs to judge: their chats first,
    each officer when no chat took it, the super-admins when nobody covers the area."""

    def __init__(
        self,
        sessions: Sessions,
        sender: Sender,
        *,
        admin_ids: frozenset[int],
        default_language: str,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self._admin_ids = admin_ids
        self._default_language = default_language

    async def tell(self, area: AreaDTO, message: OutgoingMessage) -> int:
        """How many chats or people got it (delivery problems are logged, never raised)."""
        async with transaction(self._sessions) as session:
            police = await police_of(session, area, self._default_language)
        delivered = await self._send_all(police.chats, message)
        if delivered == 0:
            delivered = await self._send_all((r for _, r in police.officers), message)
        if delivered == 0:
            admins = (Recipient(a, self._default_language) for a in sorted(self._admin_ids))
            delivered = await self._send_all(admins, message)
            logger.warning("notice %s for area %s: no police reached", message.key, area.id)
        return delivered

    async def _send_all(self, recipients: Iterable[Recipient], message: OutgoingMessage) -> int:
        delivered = 0
        for recipient in recipients:
            result = await send_logged(self._sender, recipient, message, what=message.key)
            delivered += result.ok
        return delivered
