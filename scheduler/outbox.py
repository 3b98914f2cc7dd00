"""The notice outbox sweep: notices a person must get that met a transient failure (a 502,
a timeout, a flood limit) or whose process died while sending them are sent again
(services/reach.py says when and how often, and the duplicate window).

Stable name and id (``outbox:deliver-due``, ``replace_existing``); one run at a time and
missed runs coalesced, since one sweep catches up on everything. Every instance sweeps: the
lease on each notice is what keeps two of them from sending it twice at the same time.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, ContextTypes

from services.errors import StorageUnavailable

logger = logging.getLogger(__name__)

JOB_NAME = "outbox:deliver-due"
BATCH = 50
"""Notices one sweep takes on; the rest wait for the next sweep."""


async def deliver_due_job(context: ContextTypes.DEFAULT_TYPE) -> int:
    """Job callback: send what is due through the service (which opens its own sessions)."""
    services = context.application.bot_data["services"]
    try:
        sent: int = await services.reacher.deliver_due(BATCH)
    except StorageUnavailable:
        logger.warning("outbox sweep: database unavailable")
        return 0
    if sent:
        logger.info("outbox sweep took on %d notice(s)", sent)
    return sent


def register_outbox_jobs(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    jobs = app.job_queue
    if jobs is None:
        logger.warning("no JobQueue: notices that met a transient failure are not sent again")
        return
    interval = float(app.bot_data["settings"].outbox_sweep_seconds)
    common = {"replace_existing": True, "coalesce": True, "max_instances": 1}
    jobs.run_repeating(
        deliver_due_job,
        interval=interval,
        first=min(interval, 1.0),
        name=JOB_NAME,
        job_kwargs={"id": JOB_NAME, **common},
    )
