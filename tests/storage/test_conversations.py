"""The conversation engine's store (services/conversation.py): a step writes only over the
version it read, so of two presses one advances; a new flow replaces the old one and its
steps; a finish happens once; a flow with a lifetime is over after it; the step's message
is recorded and the one before handed back for its buttons to be taken off."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from services.conversation import (
    Conversations,
    Flow,
    Prompt,
    StaleStep,
    drop_in,
    read_in,
    store_in,
)
from services.users import IncomingUser, UserService
from storage.models import ComposeDraft
from storage.uow import Sessions, transaction


@dataclass(frozen=True, slots=True)
class Counting:
    step: str
    count: int = 0

    def to_data(self) -> dict[str, Any]:
        return {"count": self.count}


FLOW = Flow("count", lambda step, data: Counting(step, int(data["count"])))
BRIEF = Flow("brief", lambda step, data: Counting(step, int(data["count"])), timedelta(minutes=5))


async def _person(sessions: Sessions, telegram_id: int = 777) -> int:
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    return (await users.identify(IncomingUser(telegram_id, "Hà"))).user.id


async def test_of_two_steps_over_one_version_only_one_advances(sessions: Sessions) -> None:
    engine, who = Conversations(sessions), await _person(sessions)
    first = await engine.begin(FLOW, who, Counting("a"))
    moved = await engine.advance(FLOW, who, first, Counting("b", 1))
    with pytest.raises(StaleStep):
        await engine.advance(FLOW, who, first, Counting("c", 2))  # the double press
    now = await engine.current(FLOW, who)
    assert now is not None and now.draft == Counting("b", 1) and now.version == moved.version
    with pytest.raises(StaleStep):
        await engine.finish(FLOW, who, first)
    assert await engine.finish(FLOW, who, now) is True
    assert await engine.current(FLOW, who) is None
    assert await engine.finish(FLOW, who) is False  # nothing left to end


async def test_a_new_flow_replaces_the_old_and_its_steps(sessions: Sessions) -> None:
    engine, who = Conversations(sessions), await _person(sessions)
    old = await engine.begin(FLOW, who, Counting("a", 5))
    assert await engine.shown(FLOW, who, old, 10, 100) is None  # the first step message
    fresh = await engine.begin(FLOW, who, Counting("a"))
    with pytest.raises(StaleStep):
        await engine.advance(FLOW, who, old, replace(old.draft, count=6))
    # The abandoned flow's step message is handed back when the new one shows its first.
    assert await engine.shown(FLOW, who, fresh, 10, 101) == Prompt(10, 100)
    read = await engine.current(FLOW, who)
    assert read is not None and read.prompt == Prompt(10, 101) and read.draft.count == 0
    moved = await engine.advance(FLOW, who, read, Counting("b", 1))
    assert await engine.shown(FLOW, who, moved, 10, 101) is None  # edited in place
    other = await engine.begin(BRIEF, who, Counting("x"))  # flows of one person are apart
    assert (await engine.current(FLOW, who)) is not None and other.draft.step == "x"


async def test_a_flow_with_a_lifetime_is_over_after_it(sessions: Sessions) -> None:
    engine, who = Conversations(sessions), await _person(sessions)
    await engine.begin(BRIEF, who, Counting("wait"))
    assert await engine.current(BRIEF, who) is not None
    async with transaction(sessions) as session:
        await session.execute(
            update(ComposeDraft).values(updated_at=datetime.now(UTC) - timedelta(minutes=6))
        )
    assert await engine.current(BRIEF, who) is None
    assert await engine.finish(BRIEF, who) is False  # and it was dropped


async def test_a_draft_that_cannot_be_read_any_more_is_dropped(sessions: Sessions) -> None:
    """A draft written by another version of the flow (a field renamed) ends, not every
    message of the person with an error."""
    engine, who = Conversations(sessions), await _person(sessions)
    await engine.begin(FLOW, who, Counting("a", 3))
    async with transaction(sessions) as session:
        await session.execute(update(ComposeDraft).values(data={"counted": 3}))
    assert await engine.current(FLOW, who) is None
    assert await engine.finish(FLOW, who) is False


async def test_steps_inside_a_transaction_keep_the_versions_and_roll_back(
    sessions: Sessions,
) -> None:
    """A step that changes other rows with the draft (a tip stored, a home area remembered)
    runs in the caller's transaction: the same version rule, and nothing kept on a failure."""
    engine, who = Conversations(sessions), await _person(sessions)
    first = await engine.begin(FLOW, who, Counting("a"))
    moved = await engine.advance(FLOW, who, first, Counting("b", 1))
    async with transaction(sessions) as session:
        read = await read_in(session, FLOW, who)
        assert read is not None and read.version == moved.version
        with pytest.raises(StaleStep):
            await store_in(session, FLOW, who, Counting("c", 2), over=first)
        after = await store_in(session, FLOW, who, Counting("c", 2), over=moved)
    now = await engine.current(FLOW, who)
    assert now is not None and now.version == after.version and now.draft.count == 2
    with pytest.raises(RuntimeError):
        async with transaction(sessions) as session:
            assert await drop_in(session, FLOW, who, now)
            raise RuntimeError("the rest of the step failed")
    assert await engine.current(FLOW, who) is not None
