"""The tip routing sweep: tips stored but never routed to the police (the process died
between the commit and the police message, or Telegram could not be reached) are routed by
a periodic job, plus one sweep as soon as the bot is up again.

Stable names and ids (``tips:route-pending``, ``replace_existing``); one run at a time
(``max_instances=1``) and missed runs coalesced, since one sweep catches up on everything.
Every instance sweeps: the routing lease on each report (TipService.route_pending) is what
keeps two of them from telling the police twice, not the scheduler.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, ContextTypes

from services.errors import StorageUnavailable

logger = logging.getLogger(__name__)

JOB_NAME = "tips:route-pending"
STARTUP_JOB_NAME = "tips:route-pending:startup"
BATCH = 20
"""Reports one sweep takes on; the rest wait for the next sweep (the police chat takes 20
messages a minute anyway)."""


async def route_pending_job(context: ContextTypes.DEFAULT_TYPE) -> int:
    """Job callback: route what is due through the service (which opens its own sessions)."""
    services = context.application.bot_data["services"]
    try:
        routed: int = await services.tips.route_pending(BATCH)
    except StorageUnavailable:
        # Nothing was claimed; the next sweep tries again.
        logger.warning("tip routing sweep: database unavailable")
        return 0
    if routed:
        logger.info("tip routing sweep routed %d report(s)", routed)
    return routed


def register_tip_routing_jobs(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    jobs = app.job_queue
    if jobs is None:
        logger.warning("no JobQueue: tips left unrouted by a crash are not routed again")
        return
    interval = float(app.bot_data["settings"].tip_routing_grace_seconds)
    common = {"replace_existing": True, "coalesce": True, "max_instances": 1}
    jobs.run_repeating(
        route_pending_job,
        interval=interval,
        first=interval,
        name=JOB_NAME,
        job_kwargs={"id": JOB_NAME, **common},
    )
    jobs.run_once(
        route_pending_job,
        when=1,
        name=STARTUP_JOB_NAME,
        job_kwargs={"id": STARTUP_JOB_NAME, **common},
    )
