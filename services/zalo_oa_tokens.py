"""The Official Account's OAuth tokens: kept in the database, refreshed before they expire.

Zalo gives an access token for about 25 hours and a refresh token for 3 months that works
*once*: each refresh returns a new pair and burns the old refresh token. So

* the first pair comes from the settings, later pairs live in the database (a restart picks
  up the last pair, not the settings' spent one); a different refresh token in the settings
  means the operator authorized the app again, and that pair replaces the stored one;
* one instance refreshes at a time (a lease on the row), outside any transaction (no lock is
  held during the HTTP call), and the new pair is written in one transaction before anyone
  uses it; a crash between Zalo's answer and that write loses the pair — nothing can avoid
  that, the platform has already spent the old token — and the admins are told;
* a refresh the platform refuses (token spent, expired, revoked) needs a person to authorize
  the app again: the admins are told in one line, once per failure streak. An unreachable
  platform is only worth telling them about once the access token has run out.

Tokens are secrets: they are never logged, never in an exception message, never in a DTO's
repr. The HTTP call is a port (:class:`TokenIssuer`) the OA surface implements.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from services.ports import OutgoingMessage, Recipient, Sender
from services.reach import send_logged
from storage.repositories.zalo_oa import OaTokenRepository, TokenRow
from storage.types import utcnow
from storage.uow import Sessions, StorageUnavailable, transaction

logger = logging.getLogger(__name__)

ACCESS_LIFETIME = timedelta(hours=25)
"""Used when Zalo's answer does not say (``expires_in`` missing or unreadable)."""
REFRESH_LIFETIME = timedelta(days=90)
REFRESH_MARGIN = timedelta(hours=1)
"""Refresh this long before the access token expires (the refresh must not race the end)."""
LEASE = timedelta(seconds=60)
"""How long one instance holds the right to refresh (longer than the HTTP call's timeout)."""


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: timedelta

    def __repr__(self) -> str:
        return f"IssuedTokens(expires_in={self.expires_in!r})"


class RefreshFailed(Exception):
    """The refresh did not give a new pair. ``refused``: the platform said no (the token is
    spent, expired or revoked: a person must authorize again); else it was not reachable.
    ``reason`` is for people and logs: never a token."""

    def __init__(self, reason: str, *, refused: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.refused = refused


class TokenIssuer(Protocol):
    async def refresh(self, refresh_token: str) -> IssuedTokens: ...


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    refreshed: bool
    access_expires_at: datetime | None
    admins_told: bool = False


def fingerprint(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


class OaTokens:
    def __init__(
        self,
        sessions: Sessions,
        sender: Sender | None,
        *,
        app_id: str,
        seed_access_token: str | None,
        seed_refresh_token: str | None,
        admin_ids: Iterable[int],
        locale: str,
        clock: Callable[[], datetime] = utcnow,
        margin: timedelta = REFRESH_MARGIN,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        """The admins' channel (Telegram); None in a process without it: only logged."""
        self._app_id = app_id
        self._seed = (seed_access_token or "", seed_refresh_token or "")
        self._admins = sorted(admin_ids)
        self._locale = locale
        self._clock = clock
        self._margin = margin
        self._current: TokenRow | None = None

    async def load(self) -> None:
        """Read the stored pair, or store the settings' pair when there is none yet or the
        operator gave a new one (a new refresh token in the settings)."""
        access, refresh = self._seed
        async with transaction(self._sessions) as session:
            repo = OaTokenRepository(session)
            row = await repo.get(self._app_id, for_update=True)
            if refresh and (row is None or row.seed_fingerprint != fingerprint(refresh)):
                now = self._clock()
                # How old the settings' access token is nobody knows: refresh at once.
                await repo.put(
                    self._app_id,
                    access_token=access,
                    refresh_token=refresh,
                    access_expires_at=now,
                    refresh_expires_at=now + REFRESH_LIFETIME,
                    seed_fingerprint=fingerprint(refresh),
                    refreshing_until=None,
                    failed_at=None,
                )
                row = await repo.get(self._app_id)
                logger.info("Zalo OA tokens taken from the settings")
        self._current = row

    async def access_token(self) -> str | None:
        """The access token to call the OA API with (None before any pair exists). It is
        handed out even when due for a refresh: it usually still works, and the refresher
        (or a -216 answer) replaces it."""
        if self._current is None:
            await self.load()
        return self._current.access_token if self._current else None

    def refresh_due(self) -> bool:
        row = self._current
        return row is not None and self._clock() >= row.access_expires_at - self._margin

    async def refresh(self, issuer: TokenIssuer, *, rejected: str | None = None) -> RefreshOutcome:
        """Refresh when due, or when the API just refused the access token ``rejected``
        (unless another instance has replaced it meanwhile: then its pair is taken). Returns
        without refreshing when another instance holds the lease."""
        now = self._clock()
        async with transaction(self._sessions) as session:
            repo = OaTokenRepository(session)
            row = await repo.get(self._app_id, for_update=True)
            if row is None:
                return RefreshOutcome(False, None)
            self._current = row
            due = now >= row.access_expires_at - self._margin
            force = rejected is not None and rejected == row.access_token
            held = row.refreshing_until is not None and row.refreshing_until > now
            if held or not (due or force):
                return RefreshOutcome(False, row.access_expires_at)
            await repo.put(self._app_id, refreshing_until=now + LEASE)
            spent = row.refresh_token
        try:
            issued = await issuer.refresh(spent)
        except RefreshFailed as exc:
            return await self._failed(exc, row)
        now = self._clock()
        async with transaction(self._sessions) as session:
            repo = OaTokenRepository(session)
            await repo.put(
                self._app_id,
                access_token=issued.access_token,
                refresh_token=issued.refresh_token,
                access_expires_at=now + issued.expires_in,
                refresh_expires_at=now + REFRESH_LIFETIME,
                refreshing_until=None,
                failed_at=None,
            )
            self._current = await repo.get(self._app_id)
        logger.info(
            "Zalo OA tokens refreshed; the access token runs until %s",
            self._current.access_expires_at if self._current else "?",
        )
        return RefreshOutcome(True, self._current.access_expires_at if self._current else None)

    async def _failed(self, exc: RefreshFailed, before: TokenRow) -> RefreshOutcome:
        now = self._clock()
        expired = now >= before.access_expires_at
        tell = exc.refused or expired
        first = False
        try:
            async with transaction(self._sessions) as session:
                repo = OaTokenRepository(session)
                row = await repo.get(self._app_id, for_update=True)
                first = tell and row is not None and row.failed_at is None
                await repo.put(
                    self._app_id, refreshing_until=None, **({"failed_at": now} if first else {})
                )
        except StorageUnavailable:
            logger.warning("could not record the failed Zalo OA token refresh")
        logger.warning(
            "Zalo OA token refresh failed (%s; %s)",
            exc.reason,
            "refused by Zalo" if exc.refused else "Zalo not reachable",
        )
        if first:
            await self._tell_admins(exc)
        return RefreshOutcome(False, before.access_expires_at, admins_told=first)

    async def _tell_admins(self, exc: RefreshFailed) -> None:
        key = "zalo-oa-refresh-refused" if exc.refused else "zalo-oa-refresh-unreachable"
        message = OutgoingMessage(key, {"reason": exc.reason[:120]})
        if self._sender is None:
            return
        for admin_id in self._admins:
            await send_logged(
                self._sender, Recipient(admin_id, self._locale), message, what=key, ref=admin_id
            )
