"""The weekly digest: every Monday at 07:30 local time, last week's figures go to each police
work chat that turned it on (``/baocaotuan on``).

One JobQueue job with a stable name and id (``digest:weekly``, ``replace_existing``), added in
post_init. Which chats want it is data (``chats.settings``), read when the job fires; the
service marks each chat with the week it was sent, so a restart — including the catch-up run
at start-up on a Monday after 07:30 — never sends a week twice.
"""

from __future__ import annotations

import logging
from datetime import time
from typing import Any

from telegram.ext import Application, ContextTypes

from services.stats_digest import DIGEST_TIME
from services.stats_figures import DigestRun

logger = logging.getLogger(__name__)

JOB_NAME = "digest:weekly"
CATCH_UP_JOB_NAME = "digest:catch-up"
PTB_MONDAY = 1
"""PTB's ``run_daily`` counts days from Sunday = 0."""


async def weekly_digest_job(context: ContextTypes.DEFAULT_TYPE) -> DigestRun:
    """Job callback: opens its own sessions through the service and sends via the Sender."""
    services = context.application.bot_data["services"]
    return await services.weekly_digest.send_weekly_digests()  # type: ignore[no-any-return]


async def catch_up_job(context: ContextTypes.DEFAULT_TYPE) -> DigestRun:
    """At start-up: if the bot was down at 07:30 this Monday, send what is still owed."""
    services = context.application.bot_data["services"]
    return await services.weekly_digest.send_weekly_digests(catch_up=True)  # type: ignore[no-any-return]


def register_digest_jobs(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    jobs = app.job_queue
    if jobs is None:
        logger.warning("no JobQueue: the weekly digest is off")
        return
    tz = app.bot_data["settings"].tz
    jobs.run_daily(
        weekly_digest_job,
        time=time(DIGEST_TIME.hour, DIGEST_TIME.minute, tzinfo=tz),
        days=(PTB_MONDAY,),
        name=JOB_NAME,
        job_kwargs={"id": JOB_NAME, "replace_existing": True},
    )
    jobs.run_once(
        catch_up_job,
        when=1,
        name=CATCH_UP_JOB_NAME,
        job_kwargs={"id": CATCH_UP_JOB_NAME, "replace_existing": True},
    )
