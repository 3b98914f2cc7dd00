"""Join verification timers: one ``run_once`` job per pending member, named
``verify:<chat>:<user>``, re-armed from the database at startup."""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, ContextTypes

from services.domain import PendingVerificationDTO
from services.verification import job_name

logger = logging.getLogger(__name__)


async def verification_timeout(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The member did not press in time: remove them (the service re-checks the DB)."""
    assert context.job is not None
    chat_id, user_id = context.job.data  # type: ignore[misc]
    services = context.application.bot_data["services"]
    await services.verification.expire(chat_id, user_id)


def arm(
    app: Application[Any, Any, Any, Any, Any, Any], pending: PendingVerificationDTO, delay: float
) -> None:
    queue = app.job_queue
    if queue is None:
        logger.warning("no job queue: join verification timers cannot run")
        return
    name = job_name(pending.chat_id, pending.telegram_user_id)
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    queue.run_once(
        verification_timeout,
        when=delay,
        data=(pending.chat_id, pending.telegram_user_id),
        name=name,
        job_kwargs={"id": name, "replace_existing": True},
    )


def disarm(app: Application[Any, Any, Any, Any, Any, Any], chat_id: int, user_id: int) -> None:
    if app.job_queue is None:
        return
    for job in app.job_queue.get_jobs_by_name(job_name(chat_id, user_id)):
        job.schedule_removal()


async def rearm_all(app: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """Startup: a timer for every verification still pending in the database."""
    services = app.bot_data["services"]
    pending = await services.verification.pending()
    for item in pending:
        arm(app, item, services.verification.delay(item))
    if pending:
        logger.info("re-armed %d pending join verification(s)", len(pending))
    return len(pending)
