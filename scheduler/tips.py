"""The tip routing sweep: tips stored but never routed to the police (the process died
between the commit and the police message, or Telegram could not be reached) are routed by
a periodic job, plus one sweep as soon as the bot is up again.

Registered as every sweep is (scheduler/sweeps.py): the routing lease on each report
(TipRouter.route_pending) keeps two instances from telling the police twice.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from scheduler.sweeps import register_sweep, sweep_job

JOB_NAME = "tips:route-pending"
STARTUP_JOB_NAME = "tips:route-pending:startup"
BATCH = 20
"""Reports one sweep takes on; the rest wait for the next sweep (the police chat takes 20
messages a minute anyway)."""


route_pending_job = sweep_job(
    "tip routing sweep", lambda services: services.tip_router.route_pending(BATCH)
)
"""Route what is due through the service (which opens its own sessions)."""


def register_tip_routing_jobs(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    interval = float(app.bot_data["settings"].tip_routing_grace_seconds)
    register_sweep(
        app,
        route_pending_job,
        name=JOB_NAME,
        interval=interval,
        first=interval,
        startup_name=STARTUP_JOB_NAME,
    )
