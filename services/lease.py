"""One scheduler per database: a lease row (owner, expires_at) renewed periodically.

Two bot instances against one database would otherwise both fire every schedule. The holder
renews well before expiry; another instance takes over only once the lease has expired, so a
crashed holder is replaced after at most one lease period. ``held`` is judged on the local
monotonic clock with a safety margin, so a holder that cannot renew (database down, process
stalled) stops sending *before* anyone else may take over.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta

from storage.repositories.leases import LeaseRepository
from storage.uow import Sessions, StorageUnavailable, transaction

logger = logging.getLogger(__name__)

SAFETY = 0.8
"""Fraction of the lease we trust ourselves to hold without renewing."""


def new_owner_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease:
    def __init__(
        self, sessions: Sessions, *, name: str, ttl_seconds: float, owner: str | None = None
    ) -> None:
        self._sessions = sessions
        self.name = name
        self.ttl = ttl_seconds
        self.owner = owner or new_owner_id()
        self._valid_until = 0.0

    @property
    def held(self) -> bool:
        return time.monotonic() < self._valid_until

    async def acquire(self) -> bool:
        """Take the lease if free or expired, or renew it if ours. False: someone else has it."""
        started = time.monotonic()
        now = datetime.now(UTC)
        try:
            async with transaction(self._sessions) as session:
                ok = await LeaseRepository(session).try_acquire(
                    self.name, self.owner, now, now + timedelta(seconds=self.ttl)
                )
        except StorageUnavailable:
            logger.warning("lease %s: database unavailable, not renewed", self.name)
            return self.held
        self._valid_until = started + self.ttl * SAFETY if ok else 0.0
        return ok

    async def release(self) -> None:
        if not self.held:
            return
        self._valid_until = 0.0
        try:
            async with transaction(self._sessions) as session:
                await LeaseRepository(session).release(self.name, self.owner, datetime.now(UTC))
        except StorageUnavailable:
            logger.warning("lease %s: could not release; it will expire", self.name)
