"""Who polices an area, and telling them something.

The police of an area are those of the nearest area up the tree that has any: its police work
chat(s) if one is linked there, else each officer holding police rights on it. Tip routing,
escalation and the notices of other features (a report against an officer, say) all ask here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from services.channels import recipient_for
from services.ports import DeliveryStatus, OutgoingMessage, Recipient
from services.reach import PersonReacher
from services.tip_card_tracker import shows_tip
from storage.dto import AreaDTO
from storage.models import ChatPurpose, Role
from storage.repositories.chats import ChatRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.outbox import OutboxDTO
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


async def store_for_police(
    reacher: PersonReacher,
    session: Session,
    police: AreaPolice,
    message: OutgoingMessage,
    *,
    what: str,
    report_id: int | None = None,
    shows_the_tip: bool = False,
) -> list[OutboxDTO]:
    """Store a notice for ``police`` (their chats, else each officer) in the caller's
    transaction, through the outbox (services/reach.py: a 502 delays it, never loses it);
    hand each to :meth:`PersonReacher.deliver` after the commit. ``shows_the_tip``: it is the
    tip's card, recorded as such once sent (an officer's drawn with their rights)."""
    readers = [(None, chat) for chat in police.chats] or list(police.officers)
    return [
        await reacher.store_for_chat(
            session,
            to,
            message,
            what=what,
            report_id=report_id,
            after_sent=shows_tip(viewer) if shows_the_tip else None,
        )
        for viewer, to in readers
    ]


class PoliceNotices:
    """Telling the police of an area something that is theirs to judge (a report against an
    officer, a flood of tips into a ward): their chats first, each officer when no chat took
    it, the super-admins when no officer did either; each through the outbox, so a 502
    delays it, never loses it."""

    def __init__(
        self,
        sessions: Sessions,
        reacher: PersonReacher,
        *,
        admin_ids: frozenset[int],
        default_language: str,
    ) -> None:
        self._sessions = sessions
        self._reacher = reacher
        self._admin_ids = admin_ids
        self._default_language = default_language

    async def tell(self, area: AreaDTO, message: OutgoingMessage) -> int:
        """How many chats or people got it now (delivery problems are logged, never raised).
        A tier that took it, or will once the outbox tries again (a 502, a flood limit), is
        the last: the next is told only when every one of this tier refused it for good (the
        bot was removed from the chat, an officer blocked it)."""
        async with transaction(self._sessions) as session:
            police = await police_of(session, area, self._default_language)
        admins = [Recipient(a, self._default_language) for a in sorted(self._admin_ids)]
        for tier in (police.chats, [to for _, to in police.officers], admins):
            results = [
                await self._reacher.notify_chat(to, message, what=message.key, report_id=None)
                for to in tier
            ]
            if any(r.ok or r.status is DeliveryStatus.RETRY_LATER for r in results):
                return sum(r.ok for r in results)
        logger.warning("notice %s for area %s: nobody reached", message.key, area.id)
        return 0
