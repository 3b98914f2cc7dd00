"""One-time sign-in links and sessions of the police console (only hashes are stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import WebLoginToken, WebSession


@dataclass(frozen=True, slots=True)
class LoginTokenDTO:
    id: int
    user_id: int
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True, slots=True)
class WebSessionDTO:
    id: int
    user_id: int
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    via: str


def _session_dto(row: WebSession) -> WebSessionDTO:
    return WebSessionDTO(
        row.id, row.user_id, row.csrf_token, row.created_at, row.expires_at, row.ended_at, row.via
    )


class WebSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # -- links ---------------------------------------------------------------------------
    async def add_link(self, token_hash: str, user_id: int, expires_at: datetime) -> None:
        self._session.add(
            WebLoginToken(token_hash=token_hash, user_id=user_id, expires_at=expires_at)
        )
        await self._session.flush()

    async def link(self, token_hash: str) -> LoginTokenDTO | None:
        row = await self._session.scalar(
            select(WebLoginToken).where(WebLoginToken.token_hash == token_hash)
        )
        if row is None:
            return None
        return LoginTokenDTO(row.id, row.user_id, row.expires_at, row.used_at)

    async def use_link(self, link_id: int, now: datetime) -> bool:
        """Mark the link used; False when it was used already (two tabs, a replay): the
        conditional update lets exactly one of two simultaneous openings through."""
        result = await self._session.execute(
            update(WebLoginToken)
            .where(WebLoginToken.id == link_id, WebLoginToken.used_at.is_(None))
            .values(used_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- sessions ------------------------------------------------------------------------
    async def add_session(
        self, token_hash: str, user_id: int, csrf_token: str, expires_at: datetime, via: str
    ) -> WebSessionDTO:
        row = WebSession(
            token_hash=token_hash,
            user_id=user_id,
            csrf_token=csrf_token,
            expires_at=expires_at,
            via=via,
        )
        self._session.add(row)
        await self._session.flush()
        return _session_dto(row)

    async def session(self, token_hash: str) -> WebSessionDTO | None:
        row = await self._session.scalar(
            select(WebSession).where(WebSession.token_hash == token_hash)
        )
        return _session_dto(row) if row is not None else None

    async def end(self, session_id: int, now: datetime) -> None:
        await self._session.execute(
            update(WebSession)
            .where(WebSession.id == session_id, WebSession.ended_at.is_(None))
            .values(ended_at=now)
        )

    async def end_for_user(self, user_id: int, now: datetime) -> int:
        """End every open session of the person; how many were open."""
        result = await self._session.execute(
            update(WebSession)
            .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
            .values(ended_at=now)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
