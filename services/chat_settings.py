"""A chat's on/off settings (``chats.settings``) that a command switches: written with the
audit line that says who switched it."""

from __future__ import annotations

from services.access import Profile
from storage.dto import AreaDTO, ChatDTO
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.uow import Session


async def switch_chat_setting(
    session: Session,
    chat: ChatDTO,
    area: AreaDTO,
    actor: Profile,
    *,
    action: str,
    key: str,
    was: bool,
    now: bool,
) -> None:
    """Set ``key`` of the chat's settings to ``now`` (it read as ``was``), in ``session``."""
    await ChatRepository(session).update(
        chat.telegram_chat_id, settings={**chat.settings, key: now}
    )
    await AuditRepository(session).add(
        action,
        actor_user_id=actor.user.id,
        target_type="chat",
        target_id=chat.id,
        area_id=area.id,
        before={key: was},
        after={key: now},
    )
