"""Seeding for the advisory tests and bench/fanout.py (no tests here): areas, officers, groups."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.access import Profile
from services.users import IncomingUser
from storage.db import create_engine, create_sessionmaker
from storage.models import Advisory, AdvisoryDelivery, ChatPurpose
from storage.repositories.chats import ChatRepository
from storage.uow import transaction
from tests.e2e.harness import TEST_TOKEN, BotHarness, user

OFFICER = user(3001, "Hùng", "canbo_hung")
RESIDENT = user(4001, "Mai")
BOT_USER = {"id": int(TEST_TOKEN.split(":")[0]), "is_bot": True, "first_name": "anninh"}


def area_csv(wards: int = 2, groups_per_ward: int = 3) -> str:
    rows = [
        "code,name,kind,parent_code",
        "ND,Nam Định,province,",
        "ND-TP,TP Nam Định,district,ND",
    ]
    for w in range(1, wards + 1):
        rows.append(f"ND-W{w},Phường {w},ward,ND-TP")
        for g in range(1, groups_per_ward + 1):
            rows.append(f"ND-W{w}-{g:02d},Tổ dân phố {g},residential_group,ND-W{w}")
    return "\n".join(rows) + "\n"


async def seed_tree(h: BotHarness, *, wards: int = 2, groups_per_ward: int = 3) -> None:
    await h.services.areas.import_csv(area_csv(wards, groups_per_ward))


async def officer(
    h: BotHarness, area_code: str = "ND-W1", who: dict[str, Any] = OFFICER
) -> Profile:
    await h.services.grants.grant(target_telegram_id=who["id"], role="police", area_code=area_code)
    await h.say(who, "/start")  # the officer has a private chat with the bot, for reports
    return await h.services.users.identify(IncomingUser(who["id"], who["first_name"]))


async def seed_groups(
    h: BotHarness, area_codes: list[str], *, base: int = -1001000, admin: bool = True
) -> list[int]:
    """One residents' group per area code, known to the sandbox and linked in our DB."""
    chat_ids = [base - i for i in range(len(area_codes))]
    for chat_id, code in zip(chat_ids, area_codes, strict=True):
        await h.client.members(chat_id, joined=[RESIDENT], title=f"An ninh {code}")
        if admin:
            await h.client.set_admins(chat_id, [], bot_is_admin=True)
    areas = {a.code: a for a in await h.services.areas.all()}
    for chat_id, code in zip(chat_ids, area_codes, strict=True):
        for attempt in range(20):  # the groups feature may record the same chat concurrently
            try:
                async with transaction(h.services.sessions) as session:
                    chats = ChatRepository(session)
                    await chats.upsert(chat_id, "supergroup", f"An ninh {code}")
                    await chats.update(
                        chat_id, area_id=areas[code].id, purpose=ChatPurpose.RESIDENTS, active=True
                    )
                break
            except IntegrityError:
                await asyncio.sleep(0.05 * (attempt + 1))
    return chat_ids


async def copies(
    h: BotHarness, chat_id: int, marker: str, bot_id: int | None = None
) -> list[dict]:
    """The bot's live copies of a message containing ``marker`` in a chat."""
    history = await h.client.history(chat_id)
    return [
        m
        for m in history
        if m.get("from", {}).get("is_bot")
        and (bot_id is None or m["from"]["id"] == bot_id)
        and marker in (m.get("text") or m.get("caption") or "")
        and "pinned_message" not in m
        and not m.get("deleted")
    ]


async def wait_until(predicate: Any, within: float = 30.0, interval: float = 0.1) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        if await predicate():
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(interval)


async def all_have(h: BotHarness, chat_ids: list[int], marker: str) -> bool:
    found = await asyncio.gather(*(copies(h, c, marker) for c in chat_ids))
    return all(len(f) >= 1 for f in found)


async def ledger(h: BotHarness) -> list[tuple[str, int]]:
    """(status, chat) of every delivery row; works while the bot is stopped too."""
    engine = create_engine(h.database_url)
    try:
        async with transaction(create_sessionmaker(engine)) as session:
            rows = await session.execute(
                select(AdvisoryDelivery.status, AdvisoryDelivery.telegram_chat_id)
            )
            return [(str(s), int(c)) for s, c in rows]
    finally:
        await engine.dispose()


async def set_next_run(h: BotHarness, advisory_id: int, when: datetime) -> None:
    engine = create_engine(h.database_url)
    try:
        async with transaction(create_sessionmaker(engine)) as session:
            row = await session.get_one(Advisory, advisory_id)
            row.next_run_at = when
    finally:
        await engine.dispose()
