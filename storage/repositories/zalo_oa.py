"""The Zalo OA channel's rows: the token pair, the stored webhook events, followers and
OA-created groups. Repositories never commit; the service's transaction does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_insert, insert_or_read
from storage.dto import UserDTO
from storage.models import (
    Area,
    User,
    ZaloOaEvent,
    ZaloOaFollower,
    ZaloOaGroup,
    ZaloOaHeld,
    ZaloOaToken,
)
from storage.repositories.users import to_dto as user_dto
from storage.types import utcnow


@dataclass(frozen=True, slots=True)
class TokenRow:
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    seed_fingerprint: str
    refreshing_until: datetime | None
    failed_at: datetime | None

    def __repr__(self) -> str:  # a DTO printed in a traceback must not show the tokens
        return f"TokenRow(access_expires_at={self.access_expires_at!r}, failed_at=...)"


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    event_key: str
    event_name: str
    body: str
    attempts: int


@dataclass(frozen=True, slots=True)
class FollowerRow:
    oa_user_id: str
    user_id: int
    following: bool
    followed_at: datetime | None
    last_interaction_at: datetime | None
    area_tag: str | None = None


def _token(row: ZaloOaToken) -> TokenRow:
    return TokenRow(
        row.access_token,
        row.refresh_token,
        row.access_expires_at,
        row.refresh_expires_at,
        row.seed_fingerprint,
        row.refreshing_until,
        row.failed_at,
    )


def _follower(row: ZaloOaFollower) -> FollowerRow:
    return FollowerRow(
        row.oa_user_id,
        row.user_id,
        row.following,
        row.followed_at,
        row.last_interaction_at,
        row.area_tag,
    )


class OaTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, app_id: str, *, for_update: bool = False) -> TokenRow | None:
        query = select(ZaloOaToken).where(ZaloOaToken.app_id == app_id)
        if for_update:
            query = query.with_for_update()
        row = await self._session.scalar(query)
        return _token(row) if row else None

    async def put(self, app_id: str, **values: Any) -> None:
        """Create the row (every column given) or change the given columns. Two instances
        starting at once both create it: the second's insert does nothing, then updates."""
        row = await self._session.get(ZaloOaToken, app_id)
        if row is None:
            now = utcnow()
            row = await insert_or_read(
                self._session,
                ZaloOaToken,
                ZaloOaToken.app_id,
                app_id,
                created_at=now,
                updated_at=now,
                **values,
            )
        for name, value in values.items():
            setattr(row, name, value)
        await self._session.flush()


class OaEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, key: str, name: str, body: str, now: datetime) -> int | None:
        """The new row's id; None when an event with this key is already stored."""
        result = await self._session.execute(
            dialect_insert(self._session, ZaloOaEvent)
            .values(event_key=key, event_name=name, body=body, received_at=now, attempts=0)
            .on_conflict_do_nothing(index_elements=[ZaloOaEvent.event_key])
            .returning(ZaloOaEvent.id)
        )
        return result.scalar()

    async def claim(self, now: datetime, until: datetime, limit: int) -> list[EventRow]:
        """Unprocessed events nobody holds (or whose holder's claim ran out), oldest first,
        now held until ``until``."""
        rows = list(
            await self._session.scalars(
                select(ZaloOaEvent)
                .where(ZaloOaEvent.processed_at.is_(None))
                .where(or_(ZaloOaEvent.claimed_until.is_(None), ZaloOaEvent.claimed_until < now))
                .order_by(ZaloOaEvent.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.claimed_until = until
        await self._session.flush()
        return [EventRow(r.id, r.event_key, r.event_name, r.body or "", r.attempts) for r in rows]

    async def finish(self, event_id: int, now: datetime, error: str | None = None) -> None:
        """Processed: the body goes (it holds what residents wrote), the key stays for the
        dedupe. Given up on (``error``): the body stays for a person to look at."""
        values: dict[str, Any] = {"processed_at": now, "claimed_until": None, "error": error}
        if error is None:
            values["body"] = None
        await self._session.execute(
            update(ZaloOaEvent).where(ZaloOaEvent.id == event_id).values(**values)
        )

    async def release(self, event_id: int, error: str, retry_at: datetime) -> int:
        """A failed attempt: counted, and the event free again from ``retry_at``."""
        row = await self._session.get_one(ZaloOaEvent, event_id)
        row.attempts += 1
        row.claimed_until = retry_at
        row.error = error
        await self._session.flush()
        return row.attempts

    async def unclaim(self, event_id: int) -> None:
        await self._session.execute(
            update(ZaloOaEvent).where(ZaloOaEvent.id == event_id).values(claimed_until=None)
        )

    async def forget_before(self, before: datetime) -> None:
        await self._session.execute(
            delete(ZaloOaEvent).where(
                ZaloOaEvent.processed_at.is_not(None), ZaloOaEvent.received_at < before
            )
        )


class OaFollowerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, oa_user_id: str) -> FollowerRow | None:
        row = await self._session.get(ZaloOaFollower, oa_user_id)
        return _follower(row) if row else None

    async def get_or_create(self, oa_user_id: str) -> FollowerRow:
        """The follower row, with a person (``users`` row) made on first contact."""
        row = await self._session.get(ZaloOaFollower, oa_user_id)
        if row is None:
            # Two first messages at once (Zalo sends events in parallel) both get here: the
            # insert that loses the unique key does nothing, its person is dropped and the
            # winner's row is read. No savepoint: on SQLite (pysqlite) releasing one commits
            # the whole transaction early.
            user = User(telegram_id=None, first_name="", blocked_bot=False)
            self._session.add(user)
            await self._session.flush()
            made = await self._session.scalar(
                dialect_insert(self._session, ZaloOaFollower)
                .values(oa_user_id=oa_user_id, user_id=user.id, following=False)
                .on_conflict_do_nothing(index_elements=[ZaloOaFollower.oa_user_id])
                .returning(ZaloOaFollower.oa_user_id)
            )
            if made is None:
                await self._session.delete(user)
                await self._session.flush()
            row = await self._session.scalar(
                select(ZaloOaFollower)
                .where(ZaloOaFollower.oa_user_id == oa_user_id)
                .execution_options(populate_existing=True)
            )
            if row is None:
                raise LookupError("the follower row vanished after its insert")
        return _follower(row)

    async def update(self, oa_user_id: str, **values: Any) -> FollowerRow:
        row = await self._session.get_one(ZaloOaFollower, oa_user_id)
        for name, value in values.items():
            setattr(row, name, value)
        await self._session.flush()
        return _follower(row)

    async def of_user(self, user_id: int) -> FollowerRow | None:
        row = await self._session.scalar(
            select(ZaloOaFollower).where(ZaloOaFollower.user_id == user_id)
        )
        return _follower(row) if row else None

    async def people_following_in(self, path_prefixes: list[str]) -> list[UserDTO]:
        """The persons (users rows) of :meth:`following_in`, who have not blocked us."""
        if not path_prefixes:
            return []
        rows = await self._session.scalars(
            select(User)
            .join(ZaloOaFollower, ZaloOaFollower.user_id == User.id)
            .join(Area, Area.id == User.home_area_id)
            .where(ZaloOaFollower.following.is_(True), User.blocked_bot.is_(False))
            .where(or_(*(Area.path.startswith(p) for p in path_prefixes)))
            .order_by(User.id)
        )
        return [user_dto(u) for u in rows]

    async def following_in(self, path_prefixes: list[str]) -> list[FollowerRow]:
        """Followers whose home area lies inside one of the subtrees."""
        if not path_prefixes:
            return []
        rows = await self._session.scalars(
            select(ZaloOaFollower)
            .join(User, User.id == ZaloOaFollower.user_id)
            .join(Area, Area.id == User.home_area_id)
            .where(ZaloOaFollower.following.is_(True))
            .where(or_(*(Area.path.startswith(p) for p in path_prefixes)))
            .order_by(ZaloOaFollower.oa_user_id)
        )
        return [_follower(r) for r in rows]


class OaGroupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_or_create(self, group_id: str) -> tuple[int, int | None]:
        """The group's row id and its chats row id (None until it has one)."""
        row = await self._session.scalar(
            select(ZaloOaGroup).where(ZaloOaGroup.group_id == group_id)
        )
        if row is None:
            row = ZaloOaGroup(group_id=group_id)
            self._session.add(row)
            await self._session.flush()
        return row.id, row.chat_id

    async def set_chat(self, row_id: int, chat_id: int) -> None:
        await self._session.execute(
            update(ZaloOaGroup).where(ZaloOaGroup.id == row_id).values(chat_id=chat_id)
        )

    async def group_id_of(self, row_id: int) -> str | None:
        return await self._session.scalar(
            select(ZaloOaGroup.group_id).where(ZaloOaGroup.id == row_id)
        )


class OaHeldRepository:
    """Messages held for followers outside the customer-service window."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, oa_user_id: str, message: str) -> None:
        self._session.add(ZaloOaHeld(oa_user_id=oa_user_id, message=message))
        await self._session.flush()

    async def take(self, oa_user_id: str, since: datetime) -> list[str]:
        """The follower's held messages newer than ``since``, oldest first; all of theirs
        (older ones too) are removed."""
        rows = list(
            await self._session.scalars(
                select(ZaloOaHeld)
                .where(ZaloOaHeld.oa_user_id == oa_user_id)
                .order_by(ZaloOaHeld.id)
                .with_for_update()
            )
        )
        await self._session.execute(
            delete(ZaloOaHeld).where(ZaloOaHeld.id.in_([r.id for r in rows]))
        )
        return [r.message for r in rows if r.created_at >= since]

    async def count(self, oa_user_id: str) -> int:
        rows = await self._session.scalars(
            select(ZaloOaHeld.id).where(ZaloOaHeld.oa_user_id == oa_user_id)
        )
        return len(list(rows))
