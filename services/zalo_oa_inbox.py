"""Webhook events of the Official Account: stored first, answered, processed after — once.

Zalo wants an HTTP 200 within 2 seconds and sends the same event again (+30 s, +5 min, ...,
for hours) when it does not get one. So the receiver only stores the raw event and answers;
processing happens after, from the store:

* an event is stored under its key (the ``msg_id``; name + user + time for events without
  one): the same event again is not stored twice, hence never handled twice, for as long as
  its key is kept (7 days, longer than Zalo retries);
* a stored event is processed by whichever instance claims it first (a claim runs out, so an
  instance that died holding one does not keep it); the processing is recorded done only
  after it finished, so a crash in between leaves it for the next sweep — at least once,
  never lost — and it is tried a few times before being set aside with its error;
* the body is dropped once processed (it holds what residents wrote); the key is kept. An
  event set aside keeps its body for a person to look at, until the key goes;
* a database outage while processing is not the event's fault and does not count as an
  attempt: the event is taken again once its claim runs out.

The Telegram side records handled updates in ``handled_updates`` after handling them
(services/updates.py). That mechanism does not fit here: its ids are increasing integers
(these keys are opaque strings), it records after the work (here the event must be stored
*before* the answer, or a crash after the 200 loses it), and it keeps a day. The stored
event's unique key does the dedupe instead: one table, one write per event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.repositories.zalo_oa import EventRow, OaEventRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)

KEEP = timedelta(days=7)
"""Keys of processed events are kept this long: Zalo retries for hours, never for days."""
CLAIM = timedelta(seconds=60)
"""An instance holds claimed events this long; after that, another may process them (an
instance that died mid-event holds it no longer than this)."""
MAX_ATTEMPTS = 5
"""An event whose processing failed this often is set aside (marked done with its error)."""
RETRY_AFTER = timedelta(seconds=30)
"""A failed event waits this long times its attempts before the next try."""

StoredEvent = EventRow


@dataclass(frozen=True, slots=True)
class Stored:
    event_id: int | None
    """None: this event was stored before (a retry); nothing to do."""

    @property
    def duplicate(self) -> bool:
        return self.event_id is None


class OaInbox:
    def __init__(
        self,
        sessions: Sessions,
        *,
        clock: Callable[[], datetime] = utcnow,
        keep: timedelta = KEEP,
        claim: timedelta = CLAIM,
        max_attempts: int = MAX_ATTEMPTS,
        retry_after: timedelta = RETRY_AFTER,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._keep = keep
        self._claim = claim
        self._max_attempts = max_attempts
        self._retry_after = retry_after

    async def store(self, key: str, name: str, body: str) -> Stored:
        """Store a received event; raises StorageUnavailable when it could not be (the
        receiver then answers an error, and Zalo sends it again)."""
        async with transaction(self._sessions) as session:
            event_id = await OaEventRepository(session).add(
                key[:200], name[:64], body, self._clock()
            )
        return Stored(event_id)

    async def claim(self, limit: int = 20) -> list[StoredEvent]:
        """Events to process now, oldest first (held by this instance for a while)."""
        now = self._clock()
        async with transaction(self._sessions) as session:
            return await OaEventRepository(session).claim(now, now + self._claim, limit)

    async def done(self, event_id: int) -> None:
        async with transaction(self._sessions) as session:
            await OaEventRepository(session).finish(event_id, self._clock())

    async def give_back(self, event_id: int) -> None:
        """Not processed, through no fault of the event (this instance is stopping): free
        for the next sweep at once, no attempt counted."""
        async with transaction(self._sessions) as session:
            await OaEventRepository(session).unclaim(event_id)

    async def failed(self, event: StoredEvent, error: str) -> bool:
        """Record a failed attempt; True when the event is now set aside for good."""
        async with transaction(self._sessions) as session:
            repo = OaEventRepository(session)
            retry_at = self._clock() + self._retry_after * (event.attempts + 1)
            attempts = await repo.release(event.id, error[:200], retry_at)
            if attempts < self._max_attempts:
                return False
            await repo.finish(event.id, self._clock(), error=error[:200])
        logger.error("Zalo OA event %s set aside after %s attempts", event.id, attempts)
        return True

    async def forget_old(self) -> None:
        """Drop the keys of events processed more than KEEP ago."""
        async with transaction(self._sessions) as session:
            await OaEventRepository(session).forget_before(self._clock() - self._keep)
