"""Groups the bot sits in: linking them to an area and a purpose, their moderation settings,
and keeping track of the bot's own membership (added, removed, made admin)."""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, replace
from typing import Any

from services.access import Profile
from services.areas import area_by_code, local_name
from services.channels import group_id_of
from services.chat_settings import audit_chat
from services.errors import InvalidInput, NotFound, PermissionDenied
from storage.dto import AreaDTO, ChatDTO
from storage.models import ChatPurpose, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.chats import ChatRepository, all_chats
from storage.uow import Session, Sessions, transaction

PURPOSE_ALIASES: dict[str, ChatPurpose] = {
    "canhsat": ChatPurpose.POLICE,
    "congan": ChatPurpose.POLICE,
    "police": ChatPurpose.POLICE,
    "dan": ChatPurpose.RESIDENTS,
    "nguoidan": ChatPurpose.RESIDENTS,
    "residents": ChatPurpose.RESIDENTS,
    "resident": ChatPurpose.RESIDENTS,
}

CONTEXT_TTL_S = 30.0
"""Group context is read on every group message (flood guard); a short cache keeps that off
the database. Changes made through this service invalidate it at once."""


async def _named(session: Any, area: AreaDTO) -> str:
    """An area as refusals name it: a tổ dân phố with its ward."""
    return local_name(await AreaRepository(session).get_many(area.ancestor_ids))


async def linked_chat(
    session: Session,
    chat_id: int,
    actor: Profile | None,
    role: Role,
    denied_key: str,
    not_linked_key: str = "group-not-linked",
) -> tuple[ChatDTO, AreaDTO]:
    """A group linked to an area, with its area, for ``actor`` holding ``role`` there (None:
    the system, always allowed). Refused with ``not_linked_key`` for a group linked nowhere,
    with ``denied_key`` (naming the area) for anyone without the role."""
    chat = await ChatRepository(session).get(chat_id)
    area = await AreaRepository(session).get(chat.area_id) if chat and chat.area_id else None
    if chat is None or area is None:
        raise InvalidInput(not_linked_key)
    if actor is not None and not actor.can(role, area):
        raise PermissionDenied(denied_key, area=await _named(session, area))
    return chat, area


def parse_purpose(value: str | None) -> ChatPurpose:
    if value is None or not value.strip():
        return ChatPurpose.RESIDENTS
    purpose = PURPOSE_ALIASES.get(value.strip().lower())
    if purpose is None:
        raise InvalidInput("group-purpose-invalid", purpose=value)
    return purpose


@dataclass(frozen=True, slots=True)
class GroupSettings:
    """Per-group moderation settings (stored in ``chats.settings``)."""

    report_threshold: int = 3
    """Distinct members reporting one message before it is hidden pending review."""
    warn_limit: int = 3
    warn_mute_minutes: int = 1440
    mute_minutes: int = 60
    """Default length of /mute without a duration."""
    verify: bool = False
    verify_seconds: int = 300
    flood_messages: int = 10
    flood_seconds: int = 10
    flood_mute_minutes: int = 30

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> GroupSettings:
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in (data or {}).items():
            if key in known:
                values[key] = bool(value) if key == "verify" else int(value)
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


SETTING_LIMITS: dict[str, tuple[int, int]] = {
    "report_threshold": (1, 50),
    "warn_limit": (1, 20),
    "warn_mute_minutes": (1, 60 * 24 * 366),
    "mute_minutes": (1, 60 * 24 * 366),
    "verify_seconds": (1, 24 * 3600),
    "flood_messages": (2, 1000),
    "flood_seconds": (1, 3600),
    "flood_mute_minutes": (1, 60 * 24 * 366),
}


@dataclass(frozen=True, slots=True)
class GroupContext:
    chat: ChatDTO
    area: AreaDTO | None
    settings: GroupSettings


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    chat: ChatDTO
    area: AreaDTO
    purpose: ChatPurpose
    bot_is_admin: bool


@dataclass(frozen=True, slots=True)
class ChatListing:
    chat: ChatDTO
    area: AreaDTO | None


class GroupService:
    def __init__(self, sessions: Sessions, *, zalo_groups_enabled: bool = False) -> None:
        self._sessions = sessions
        self._zalo_groups = zalo_groups_enabled
        """Zalo groups are "coming soon" for bots on the platform (settings)."""
        self._cache: dict[int, tuple[float, GroupContext | None]] = {}
        self._changes = 0
        """Counts changes made through this service: a read that overlapped one is not cached
        (it may have read the row just before the change and would keep it for the TTL)."""

    def _forget(self, chat_id: int) -> None:
        self._changes += 1
        self._cache.pop(chat_id, None)

    async def context(self, chat_id: int) -> GroupContext | None:
        """The group's chat row, area and settings (None: the bot never recorded it)."""
        cached = self._cache.get(chat_id)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        changes = self._changes
        async with transaction(self._sessions) as session:
            found = await self._load(session, chat_id)
        if changes == self._changes:
            self._cache[chat_id] = (time.monotonic() + CONTEXT_TTL_S, found)
        return found

    @staticmethod
    async def _load(session: Session, chat_id: int) -> GroupContext | None:
        chat = await ChatRepository(session).get(chat_id)
        if chat is None:
            return None
        area = await AreaRepository(session).get(chat.area_id) if chat.area_id else None
        return GroupContext(chat, area, GroupSettings.from_json(chat.settings))

    async def require(
        self, actor: Profile, chat_id: int, role: Role = Role.MODERATOR
    ) -> GroupContext:
        """The linked group's context, if ``actor`` holds ``role`` on its area."""
        ctx = await self.context(chat_id)
        if ctx is None or ctx.area is None:
            raise InvalidInput("group-not-linked")
        if not actor.can(role, ctx.area):
            async with transaction(self._sessions) as session:
                name = await _named(session, ctx.area)
            raise PermissionDenied("mod-not-allowed", area=name)
        return ctx

    async def seen(self, chat_id: int, type_: str, title: str | None) -> ChatDTO:
        async with transaction(self._sessions) as session:
            chat = await ChatRepository(session).upsert(chat_id, type_, title)
        self._forget(chat_id)
        return chat

    async def bot_membership(
        self,
        chat_id: int,
        type_: str,
        title: str | None,
        *,
        present: bool,
        is_admin: bool,
        actor_user_id: int | None,
    ) -> ChatDTO:
        """The bot was added, removed, promoted or demoted (my_chat_member)."""
        async with transaction(self._sessions) as session:
            repo = ChatRepository(session)
            before = await repo.upsert(chat_id, type_, title)
            chat = await repo.update(chat_id, active=present, bot_is_admin=present and is_admin)
            if (before.active, before.bot_is_admin) != (chat.active, chat.bot_is_admin):
                was = {"active": before.active, "bot_is_admin": before.bot_is_admin}
                now = {"active": chat.active, "bot_is_admin": chat.bot_is_admin}
                await audit_chat(session, "chat.bot_status", actor_user_id, chat, was, now)
        self._forget(chat_id)
        return chat

    async def link(
        self,
        actor: Profile | None,
        chat_id: int,
        area_code: str,
        purpose: str | None = None,
        *,
        type_: str = "supergroup",
        title: str | None = None,
        bot_is_admin: bool | None = None,
    ) -> LinkOutcome:
        """Attach the group to an area. Police (or admins) of that area only; ``actor`` None
        is the operator's CLI. A Zalo group only with ZALO_GROUPS_ENABLED, once the bot has
        seen it (its Zalo id is learnt from a message there)."""
        chosen = parse_purpose(purpose)
        zalo_group = group_id_of(chat_id) is not None
        if zalo_group and not self._zalo_groups:
            raise InvalidInput("zalo-group-coming-soon")
        async with transaction(self._sessions) as session:
            area = await area_by_code(AreaRepository(session), area_code)
            if actor is not None and not actor.can(Role.POLICE, area):
                raise PermissionDenied("group-link-denied", area=await _named(session, area))
            repo = ChatRepository(session)
            existing = await repo.get(chat_id)
            if zalo_group and existing is None:
                raise NotFound("zalo-group-unseen")
            if existing is None or title is not None:
                existing = await repo.upsert(chat_id, type_, title)
            if actor is not None and existing.area_id and existing.area_id != area.id:
                old = await AreaRepository(session).get(existing.area_id)
                if old is not None and not actor.can(Role.POLICE, old):
                    raise PermissionDenied("group-link-denied", area=await _named(session, old))
            changes: dict[str, Any] = {"area_id": area.id, "purpose": chosen, "active": True}
            if bot_is_admin is not None:
                changes["bot_is_admin"] = bot_is_admin
            chat = await repo.update(chat_id, **changes)
            was = {"area_id": existing.area_id, "purpose": existing.purpose.value}
            now = {"area": area.code, "purpose": chosen.value}
            await audit_chat(session, "chat.link", actor, chat, was, now)
        self._forget(chat_id)
        return LinkOutcome(chat, area, chosen, chat.bot_is_admin)

    async def unlink(self, actor: Profile | None, chat_id: int) -> AreaDTO:
        async with transaction(self._sessions) as session:
            chat, area = await linked_chat(
                session, chat_id, actor, Role.POLICE, "group-link-denied"
            )
            await ChatRepository(session).update(chat_id, area_id=None, purpose=ChatPurpose.NONE)
            was = {"area": area.code, "purpose": chat.purpose.value}
            await audit_chat(session, "chat.unlink", actor, chat, was, None)
        self._forget(chat_id)
        return area

    async def set_setting(
        self, actor: Profile, chat_id: int, key: str, value: str
    ) -> GroupSettings:
        """Change one moderation setting (moderators of the group's area)."""
        ctx = await self.require(actor, chat_id)
        key = key.strip().lower()
        current = ctx.settings
        if key == "verify":
            flag = value.strip().lower()
            if flag not in ("on", "off", "bat", "tat", "1", "0"):
                raise InvalidInput("group-setting-onoff", key=key)
            new = replace(current, verify=flag in ("on", "bat", "1"))
        elif key in SETTING_LIMITS:
            low, high = SETTING_LIMITS[key]
            try:
                number = int(value)
            except ValueError:
                raise InvalidInput("group-setting-range", key=key, low=low, high=high) from None
            if not low <= number <= high:
                raise InvalidInput("group-setting-range", key=key, low=low, high=high)
            new = replace(current, **{key: number})
        else:
            raise InvalidInput("group-setting-unknown", key=key)
        async with transaction(self._sessions) as session:
            await ChatRepository(session).update(chat_id, settings=new.to_json())
            was, now = {key: getattr(current, key)}, {key: getattr(new, key)}
            await audit_chat(session, "chat.settings", actor, ctx.chat, was, now)
        self._forget(chat_id)
        return new

    async def chats(self) -> list[ChatListing]:
        async with transaction(self._sessions) as session:
            chats = await all_chats(session)
            areas = await AreaRepository(session).get_many(
                sorted({c.area_id for c in chats if c.area_id})
            )
        by_id = {a.id: a for a in areas}
        return [ChatListing(c, by_id.get(c.area_id) if c.area_id else None) for c in chats]
