"""Users, keyed by their Telegram id."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import insert_or_read
from storage.dto import UserDTO
from storage.models import User
from storage.types import is_row_id, nfc

USERNAME = re.compile("[A-Za-z0-9_]{1,32}")
"""What a Telegram username can be (and a Zalo-linked one, which has none, never matches)."""


def to_dto(user: User) -> UserDTO:
    return UserDTO(
        id=user.id,
        telegram_id=user.telegram_id,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        language=user.language,
        home_area_id=user.home_area_id,
        blocked_bot=user.blocked_bot,
    )


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_telegram(
        self,
        telegram_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
    ) -> UserDTO:
        """Create the user or refresh their names; a message from them also means they
        have not blocked the bot."""
        first_name = nfc(first_name)  # as stored, so the returned user equals the stored one
        last_name = nfc(last_name) if last_name is not None else None
        user = await self._session.scalar(select(User).where(User.telegram_id == telegram_id))
        if username is not None and (user is None or user.username != username):
            await self._release_username(username, telegram_id)
        if user is None:
            # Two updates of a new person handled at once (two bot instances, a job) must not
            # fail one of them on the unique telegram_id.
            user = await insert_or_read(
                self._session,
                User,
                User.telegram_id,
                telegram_id,
                first_name=first_name,
                last_name=last_name,
                username=username,
                blocked_bot=False,
            )
        changes = {
            "first_name": first_name,
            "last_name": last_name,
            "username": username,
            "blocked_bot": False,
        }
        for key, value in changes.items():
            if getattr(user, key) != value:
                setattr(user, key, value)
        await self._session.flush()
        return to_dto(user)

    async def get(self, user_id: int) -> UserDTO | None:
        if not is_row_id(user_id):
            return None
        user = await self._session.get(User, user_id)
        return to_dto(user) if user else None

    async def get_by_telegram_id(self, telegram_id: int) -> UserDTO | None:
        user = await self._session.scalar(select(User).where(User.telegram_id == telegram_id))
        return to_dto(user) if user else None

    async def _release_username(self, username: str, holder_telegram_id: int) -> None:
        """Telegram gives a username to one account at a time: whoever the bot sees with it
        now holds it, and any other row that still has it is stale (that person renamed
        and has not written since)."""
        await self._session.execute(
            update(User)
            .where(
                func.lower(User.username) == username.lower(),
                User.telegram_id.is_distinct_from(holder_telegram_id),
            )
            .values(username=None)
            .execution_options(synchronize_session=False)
        )

    async def holders_of_username(self, username: str) -> list[UserDTO]:
        """Rows holding ``username`` (case-insensitive, exact; at most two, which is enough to
        tell "nobody", "this one" and "not sure"). Not ILIKE: "@%" typed after /chan would
        match anyone."""
        name = username.removeprefix("@")
        if USERNAME.fullmatch(name) is None:
            return []
        holding = func.lower(User.username) == name.lower()
        rows = await self._session.scalars(select(User).where(holding).order_by(User.id).limit(2))
        return [to_dto(u) for u in rows]

    async def ensure_telegram_id(self, telegram_id: int) -> UserDTO:
        """A user known only by id (e.g. granted a role from the CLI before they wrote)."""
        found = await self.get_by_telegram_id(telegram_id)
        if found:
            return found
        user = User(telegram_id=telegram_id, first_name="", blocked_bot=False)
        self._session.add(user)
        await self._session.flush()
        return to_dto(user)

    async def set_language(self, user_id: int, language: str) -> UserDTO:
        user = await self._session.get_one(User, user_id)
        user.language = language
        await self._session.flush()
        return to_dto(user)

    async def set_home_area(self, user_id: int, area_id: int | None) -> UserDTO:
        user = await self._session.get_one(User, user_id)
        user.home_area_id = area_id
        await self._session.flush()
        return to_dto(user)

    async def set_blocked(self, user_id: int, blocked: bool) -> None:
        user = await self._session.get_one(User, user_id)
        user.blocked_bot = blocked
        await self._session.flush()
