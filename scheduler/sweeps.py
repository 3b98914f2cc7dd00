"""Periodic sweeps of the stored outboxes (tips to route to the police, notices to people):
a thin job that asks a service to take on what is due, registered under a stable name and id
(``replace_existing``), one run at a time (``max_instances=1``) and missed runs coalesced,
since one sweep catches up on everything. Every instance sweeps: the lease each service takes
on a row is what keeps two of them from sending it twice, not the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application, ContextTypes

from services.errors import StorageUnavailable

logger = logging.getLogger(__name__)

SweepJob = Callable[[ContextTypes.DEFAULT_TYPE], Awaitable[int]]


def sweep_job(label: str, run: Callable[[Any], Awaitable[int]]) -> SweepJob:
    """A job callback: ``run(services)`` (which opens its own sessions); how many it took on."""

    async def job(context: ContextTypes.DEFAULT_TYPE) -> int:
        services = context.application.bot_data["services"]
        try:
            taken = await run(services)
        except StorageUnavailable:
            # Nothing was claimed; the next sweep tries again.
            logger.warning("%s: database unavailable", label)
            return 0
        if taken:
            logger.info("%s took on %d", label, taken)
        return taken

    return job


def register_sweep(
    app: Application[Any, Any, Any, Any, Any, Any],
    job: SweepJob,
    *,
    name: str,
    interval: float,
    first: float,
    startup_name: str | None = None,
) -> None:
    """Run ``job`` every ``interval`` seconds (first after ``first``), and once a second after
    start-up when ``startup_name`` is given."""
    jobs = app.job_queue
    if jobs is None:
        logger.warning("no JobQueue: %s is not swept; what failed is not tried again", name)
        return
    common = {"replace_existing": True, "coalesce": True, "max_instances": 1}
    jobs.run_repeating(
        job, interval=interval, first=first, name=name, job_kwargs={"id": name, **common}
    )
    if startup_name is not None:
        jobs.run_once(job, when=1, name=startup_name, job_kwargs={"id": startup_name, **common})
