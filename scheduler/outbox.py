"""The notice outbox sweep: notices a person must get that met a transient failure (a 502,
a timeout, a flood limit) or whose process died while sending them are sent again
(services/reach.py says when and how often, and the duplicate window)."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from scheduler.sweeps import register_sweep, sweep_job

JOB_NAME = "outbox:deliver-due"
BATCH = 50
"""Notices one sweep takes on; the rest wait for the next sweep."""

deliver_due_job = sweep_job("outbox sweep", lambda services: services.reacher.deliver_due(BATCH))


def register_outbox_jobs(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    interval = float(app.bot_data["settings"].outbox_sweep_seconds)
    register_sweep(
        app, deliver_due_job, name=JOB_NAME, interval=interval, first=min(interval, 1.0)
    )
