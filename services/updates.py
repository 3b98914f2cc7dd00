"""Handle each update once, even when Telegram (or Zalo) delivers it again.

Telegram keeps handing an update out until the bot's next ``getUpdates`` confirms it. A bot
killed after handling some updates but before that next call gets them again on restart: a
tip's text would be added to the draft twice, a relay answer reach the officer twice, a
"continue or drop?" question be asked for a message that was already taken in.

Each handled update is recorded *after* it was handled, so a crash in the middle of one still
has it handled when it comes again (at least once, never lost); one that was handled to the
end is skipped (not twice). Only ids up to the highest one recorded when this process first
looked can be repeats (Telegram numbers updates in increasing order), so later ones are not
looked up: after start-up the check costs nothing, the record one statement.

Zalo events have no update number and getUpdates no offset; the Zalo channel records each
event under a number made from its message id (zalo/runtime.py). Those numbers are not ordered
and the same one can come twice within one process (a webhook push retried), so they are always
looked up (``ordered=False``): one indexed read per event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from storage.hotpath import HotPath
from storage.repositories.updates import (
    forget_handled,
    latest_handled,
    record_handled,
    was_handled,
)
from storage.types import utcnow
from storage.uow import StorageUnavailable

logger = logging.getLogger(__name__)

KEEP = timedelta(days=1)
"""Redelivery follows a restart within minutes; a day is plenty. (After a week without
updates Telegram may start numbering anew, so old ids must not linger that long.)"""
FORGET_EVERY = 1000
"""Records between two clean-ups of the ones older than KEEP."""


class HandledUpdates:
    """Per bot (each numbers its own updates; a new token may share the database)."""

    def __init__(self, hot: HotPath, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._hot = hot
        self._clock = clock
        self._latest: dict[int, int | None] = {}
        """Per bot: the highest id recorded when this process first looked."""
        self._recorded = 0

    async def already_handled(self, bot_id: int, update_id: int, *, ordered: bool = True) -> bool:
        """True for an update this bot (this process or one before it) handled to the end.
        When the database cannot tell, the update is handled again: a duplicate beats a loss.
        ``ordered``: ids only grow (Telegram), so ids above the highest recorded at first look
        need no look-up."""
        try:
            if bot_id not in self._latest:
                await forget_handled(self._hot, self._clock() - KEEP)
                self._latest[bot_id] = await latest_handled(self._hot, bot_id) if ordered else None
            latest = self._latest[bot_id]
            if ordered and (latest is None or update_id > latest):
                return False
            return await was_handled(self._hot, bot_id, update_id)
        except StorageUnavailable:
            logger.warning("could not check update %s against the handled ones", update_id)
            return False

    async def handled(self, bot_id: int, update_id: int) -> None:
        """Record that ``update_id`` was handled to the end."""
        try:
            await record_handled(self._hot, bot_id, update_id, self._clock())
            self._recorded += 1
            if self._recorded % FORGET_EVERY == 0:
                await forget_handled(self._hot, self._clock() - KEEP)
        except StorageUnavailable:  # it may be handled again after a restart, nothing worse
            logger.warning("could not record update %s as handled", update_id)
