"""A chat's on/off settings (``chats.settings``) that a command switches: written with the
audit line that says who switched it; and that audit line for any change to a group's row."""

from __future__ import annotations

from typing import Any

from services.access import Profile
from storage.dto import ChatDTO
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.uow import Session


async def switch_chat_setting(
    session: Session,
    chat: ChatDTO,
    actor: Profile,
    action: str,
    key: str,
    default: bool,
    enabled: bool | None,
) -> tuple[bool, bool]:
    """Turn the chat's setting ``key`` (``default`` while unset) to ``enabled`` (None: only
    read it), with its audit line, in ``session``: (its value now, whether it changed)."""
    current = bool(chat.settings.get(key, default))
    if enabled is None or enabled == current:
        return current, False
    await ChatRepository(session).update(
        chat.telegram_chat_id, settings={**chat.settings, key: enabled}
    )
    await audit_chat(session, action, actor, chat, {key: current}, {key: enabled})
    return enabled, True


async def audit_chat(
    session: Session,
    action: str,
    actor: Profile | int | None,
    chat: ChatDTO,
    before: dict[str, Any],
    after: dict[str, Any] | None,
) -> None:
    """A change to a group's row in the audit log, under ``chat``'s area (``actor``: the
    person, their user id, or None for the system). The group is named by its Telegram chat
    id, which the log's page turns into its title."""
    await AuditRepository(session).add(
        action,
        actor_user_id=actor.user.id if isinstance(actor, Profile) else actor,
        target_type="chat",
        target_id=chat.telegram_chat_id,
        area_id=chat.area_id,
        before=before,
        after=after,
    )
