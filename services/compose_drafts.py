"""An officer's multi-step flow (an advisory being composed) kept in the database, so a
restart in the middle costs nothing: the next message or button press carries on where it was.

The surfaces keep the answers as a plain dict; this stores it as JSON, with the schedule,
dates and times written out and read back as the objects they were.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from services.schedule_text import Schedule
from storage.models import Recurrence
from storage.repositories.compose import ComposeDraftRepository
from storage.uow import Sessions, transaction


def to_json(value: Any) -> Any:
    if isinstance(value, Schedule):
        return {"__schedule__": to_json(asdict(value))}
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    return value


def from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if "__datetime__" in value:
            return datetime.fromisoformat(value["__datetime__"])
        if "__date__" in value:
            return date.fromisoformat(value["__date__"])
        if "__schedule__" in value:
            fields = from_json(value["__schedule__"])
            fields["recurrence"] = Recurrence(fields["recurrence"])
            fields["weekdays"] = tuple(fields.get("weekdays") or ())
            return Schedule(**fields)
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


class ComposeDrafts:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def load(self, user_id: int, flow: str) -> dict[str, Any] | None:
        async with transaction(self._sessions) as session:
            data = await ComposeDraftRepository(session).get(user_id, flow)
        return from_json(data) if data is not None else None

    async def keep(self, user_id: int, flow: str, answers: dict[str, Any] | None) -> None:
        """Store the answers so far; None: the flow ended (sent or cancelled)."""
        async with transaction(self._sessions) as session:
            repo = ComposeDraftRepository(session)
            if answers is None:
                await repo.drop(user_id, flow)
            else:
                await repo.put(user_id, flow, to_json(answers))
