"""Zalo accounts and groups, account link codes, and merging two
users rows into one when a person links their accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    PrimaryKeyConstraint,
    UniqueConstraint,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.dto import ChatDTO, UserDTO
from storage.models import (
    AccountLinkCode,
    AccountLinkFailure,
    Area,
    AreaSubscription,
    Base,
    Chat,
    ChatPurpose,
    User,
    ZaloGroup,
    ZaloUser,
)
from storage.repositories.chats import ChatRepository
from storage.repositories.chats import to_dto as chat_dto
from storage.repositories.users import to_dto as user_dto
from storage.types import is_row_id


@dataclass(frozen=True, slots=True)
class LinkCodeDTO:
    code: str
    user_id: int
    channel: str
    expires_at: datetime
    id: int = 0
    claimed_by_user_id: int | None = None
    claim_confirmed: bool = False


def _link_code(row: AccountLinkCode) -> LinkCodeDTO:
    return LinkCodeDTO(
        row.code,
        row.user_id,
        row.channel,
        row.expires_at,
        row.id,
        row.claimed_by_user_id,
        row.claim_confirmed,
    )


class ZaloRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # -- accounts -----------------------------------------------------------------------
    async def user_for(self, zalo_user_id: str) -> UserDTO | None:
        row = await self._session.scalar(
            select(User)
            .join(ZaloUser, ZaloUser.user_id == User.id)
            .where(ZaloUser.zalo_user_id == zalo_user_id)
        )
        return user_dto(row) if row else None

    async def upsert_account(self, zalo_user_id: str, display_name: str) -> UserDTO:
        """The person behind a Zalo account (created on first contact); writing to the bot
        also means they have not blocked it."""
        account = await self._session.get(ZaloUser, zalo_user_id)
        if account is None:
            user = User(telegram_id=None, first_name=display_name, blocked_bot=False)
            self._session.add(user)
            await self._session.flush()
            account = ZaloUser(
                zalo_user_id=zalo_user_id, user_id=user.id, display_name=display_name
            )
            self._session.add(account)
        else:
            user = await self._session.get_one(User, account.user_id)
            if display_name and account.display_name != display_name:
                account.display_name = display_name
                if user.telegram_id is None:
                    user.first_name = display_name
            if user.blocked_bot:
                user.blocked_bot = False
        await self._session.flush()
        return user_dto(user)

    async def reactivate_chat(self, chat_key: int) -> None:
        await self._session.execute(
            update(Chat)
            .where(Chat.telegram_chat_id == chat_key, Chat.active.is_(False))
            .values(active=True)
        )

    async def zalo_id_of(self, user_id: int) -> str | None:
        return await self._session.scalar(
            select(ZaloUser.zalo_user_id).where(ZaloUser.user_id == user_id)
        )

    async def move_account(self, zalo_user_id: str, user_id: int) -> None:
        await self._session.execute(
            update(ZaloUser).where(ZaloUser.zalo_user_id == zalo_user_id).values(user_id=user_id)
        )

    # -- groups -------------------------------------------------------------------------
    async def group(self, zalo_chat_id: str, title: str | None, key_of: Any) -> ChatDTO:
        """The chats row of a Zalo group (created on first sight, purpose none)."""
        group = await self._session.scalar(
            select(ZaloGroup).where(ZaloGroup.zalo_chat_id == zalo_chat_id)
        )
        if group is None:
            group = ZaloGroup(zalo_chat_id=zalo_chat_id)
            self._session.add(group)
            await self._session.flush()
        chat = await self._session.get(Chat, group.chat_id) if group.chat_id else None
        if chat is None:
            chat = Chat(
                telegram_chat_id=key_of(group.id),
                type="zalo_group",
                title=title,
                purpose=ChatPurpose.NONE,
                active=True,
                bot_is_admin=False,
                settings={},
            )
            self._session.add(chat)
            await self._session.flush()
            group.chat_id = chat.id
        elif title and chat.title != title:
            chat.title = title
        await self._session.flush()
        return chat_dto(chat)

    async def group_zalo_id(self, group_id: int) -> str | None:
        return await self._session.scalar(
            select(ZaloGroup.zalo_chat_id).where(ZaloGroup.id == group_id)
        )

    # -- link codes -------------------------------------------------------------------------
    async def add_code(self, code: str, user_id: int, channel: str, expires_at: datetime) -> bool:
        """False when the code is taken by another live code (the caller draws again)."""
        taken = await self._session.scalar(
            select(AccountLinkCode.id).where(AccountLinkCode.code == code)
        )
        if taken is not None:
            return False
        await self._session.execute(
            delete(AccountLinkCode).where(AccountLinkCode.user_id == user_id)
        )
        self._session.add(
            AccountLinkCode(code=code, user_id=user_id, channel=channel, expires_at=expires_at)
        )
        await self._session.flush()
        return True

    async def purge_codes(self, now: datetime) -> None:
        await self._session.execute(
            delete(AccountLinkCode).where(AccountLinkCode.expires_at <= now)
        )

    async def get_code(self, code: str) -> LinkCodeDTO | None:
        row = await self._session.scalar(
            select(AccountLinkCode).where(AccountLinkCode.code == code)
        )
        return _link_code(row) if row else None

    async def get_code_by_id(self, code_id: int) -> LinkCodeDTO | None:
        row = await self._session.get(AccountLinkCode, code_id) if is_row_id(code_id) else None
        return _link_code(row) if row else None

    async def claim_code(self, code_id: int, user_id: int, *, confirmed: bool = False) -> None:
        """The account that typed the code (and whether it confirmed the link)."""
        row = await self._session.get_one(AccountLinkCode, code_id)
        row.claimed_by_user_id, row.claim_confirmed = user_id, confirmed
        await self._session.flush()

    async def delete_code(self, code: str) -> None:
        await self._session.execute(delete(AccountLinkCode).where(AccountLinkCode.code == code))

    async def add_failure(self, user_id: int) -> None:
        self._session.add(AccountLinkFailure(user_id=user_id))
        await self._session.flush()

    async def failures_since(self, user_id: int, since: datetime) -> int:
        return int(
            await self._session.scalar(
                select(func.count(AccountLinkFailure.id)).where(
                    AccountLinkFailure.user_id == user_id,
                    AccountLinkFailure.created_at >= since,
                )
            )
            or 0
        )

    # -- merging ----------------------------------------------------------------------------
    async def merge_users(self, absorbed: int, kept: int) -> None:
        """Everything that points at user ``absorbed`` now points at ``kept`` (tips, drafts,
        subscriptions, grants...), then ``absorbed`` is deleted. Generic over every foreign
        key to users.id, so tables added later follow too; where a unique constraint would
        clash (e.g. both have a draft), the kept user's row wins."""
        users_id = User.__table__.c.id
        for table in Base.metadata.sorted_tables:
            if table.name in ("users", "zalo_users"):
                continue
            for column in table.columns:
                if not any(fk.column is users_id for fk in column.foreign_keys):
                    continue
                for unique_cols in _unique_sets(table, column):
                    other = aliased(table)
                    clash = [getattr(other.c, c.name) == c for c in unique_cols if c is not column]
                    conflict = exists().where(getattr(other.c, column.name) == kept, *clash)
                    await self._session.execute(
                        delete(table).where(and_(column == absorbed, conflict))
                    )
                await self._session.execute(
                    update(table).where(column == absorbed).values({column.name: kept})
                )
        old = await self._session.get_one(User, absorbed)
        new = await self._session.get_one(User, kept)
        if new.home_area_id is None:
            new.home_area_id = old.home_area_id
        if new.language is None:
            new.language = old.language
        await self._session.flush()
        await self._session.delete(old)
        await self._session.flush()

    # -- advisory targets -----------------------------------------------------------------
    async def subscribers_in(self, path_prefixes: list[str]) -> list[UserDTO]:
        """Users following an area inside the given subtrees (once each, not blocked)."""
        if not path_prefixes:
            return []
        rows = await self._session.scalars(
            select(User)
            .join(AreaSubscription, AreaSubscription.user_id == User.id)
            .join(Area, Area.id == AreaSubscription.area_id)
            .where(or_(*(Area.path.startswith(p) for p in path_prefixes)))
            .where(User.blocked_bot.is_(False))
            .order_by(User.id)
            .distinct()
        )
        return [user_dto(u) for u in rows]

    async def private_chat(self, chat_key: int, type_: str, title: str | None) -> ChatDTO:
        """The chats row of a direct-message chat (created when first needed)."""
        return await ChatRepository(self._session).upsert(chat_key, type_, title)


def _unique_sets(table: Any, column: Any) -> list[list[Any]]:
    """Every unique key (constraint, unique index, primary key) the column is part of."""
    found: list[list[Any]] = []
    if column.unique:
        found.append([column])
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint) and (
            column.name in constraint.columns
        ):
            found.append(list(constraint.columns))
    for index in table.indexes:
        if index.unique and column.name in index.columns:
            found.append(list(index.columns))
    return found
