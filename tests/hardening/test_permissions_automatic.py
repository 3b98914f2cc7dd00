"""The permission matrix's other half: what the bot does *by itself* to a group member — hide
a message after N reports, mute a flood, restrict a newcomer until verified and remove them
when the timer fires, and the queue button a moderator presses on what it queued — against
every role as the member it acts on. Officers and moderators of the group's area (and admins)
are never acted on; the others are (services.protection)."""

from __future__ import annotations

from typing import Any

from services.users import IncomingUser
from tests.e2e.harness import BotHarness, user
from tests.hardening.support import all_handled
from tests.hardening.test_permissions_matrix import AREAS, GRANTS, ROLES

REPORTER = user(1920, "Người báo", "nguoibao2")
GROUP = -100811  # residents' group of ND-TN-01
JOIN_GROUP = -100812  # residents' group of ND-TN-01 with join verification
POLICE_CHAT = -100813
UNPROTECTED = {"resident", "police_other"}


async def _setup(h: BotHarness) -> None:
    await h.services.areas.import_csv(AREAS)
    for role, (grant, area) in GRANTS.items():
        await h.services.grants.grant(
            target_telegram_id=ROLES[role]["id"], role=grant, area_code=area
        )
    await h.client.members(GROUP, joined=[*ROLES.values(), REPORTER], title="TDP 1")
    await h.client.members(POLICE_CHAT, joined=[ROLES["police"]], title="CA")
    for chat_id in (GROUP, JOIN_GROUP, POLICE_CHAT):
        await h.client.set_admins(chat_id, [], bot_is_admin=True)
    await h.client.members(JOIN_GROUP, joined=[REPORTER], title="TDP 1 (xác minh)")
    await h.services.groups.link(None, GROUP, "ND-TN-01", "residents")
    await h.services.groups.link(None, JOIN_GROUP, "ND-TN-01", "residents")
    await h.services.groups.link(None, POLICE_CHAT, "ND-TN", "police")
    admin = await h.services.users.identify(IncomingUser(ROLES["admin"]["id"], "QT"))
    for chat_id, key, value in (
        (GROUP, "report_threshold", "1"),
        (GROUP, "flood_messages", "3"),
        (JOIN_GROUP, "verify", "on"),
    ):
        await h.services.groups.set_setting(admin, chat_id, key, value)
    for who in ROLES.values():
        await h.say(who, "/start")


async def _member(h: BotHarness, chat_id: int, user_id: int) -> dict[str, Any]:
    chat = await h.client.chat(chat_id)
    return next(m for m in chat["members"] if m["user"]["id"] == user_id)


async def _hidden_after_a_report(h: BotHarness, who: dict[str, Any]) -> bool:
    said = await h.client.send_message(GROUP, who, "Tin nhắn thường ngày", chat_type="supergroup")
    await all_handled(h)
    h.services.moderation.flood.tracker.reset(GROUP, REPORTER["id"])  # five reports are no flood
    await h.say(REPORTER, "/baocao", chat_id=GROUP, reply_to_message_id=said["message_id"])
    history = await h.client.history(GROUP)
    return bool(next(m for m in history if m["message_id"] == said["message_id"]).get("deleted"))


async def _muted_for_flooding(h: BotHarness, who: dict[str, Any]) -> bool:
    await all_handled(h)
    # Earlier paths' messages count too.
    h.services.moderation.flood.tracker.reset(GROUP, who["id"])
    for n in range(3):
        await h.client.send_message(GROUP, who, f"Tin số {n}", chat_type="supergroup")
    await all_handled(h)
    muted = (await _member(h, GROUP, who["id"]))["status"] == "restricted"
    if muted:
        await h.services.group_actions.unrestrict(GROUP, who["id"])
    return muted


async def _restricted_on_joining(h: BotHarness, who: dict[str, Any]) -> bool:
    await h.client.members(JOIN_GROUP, joined=[who])
    await all_handled(h)
    return (await _member(h, JOIN_GROUP, who["id"]))["status"] == "restricted"


async def _removed_when_the_timer_fires(h: BotHarness, who: dict[str, Any]) -> bool:
    await h.services.verification.expire(JOIN_GROUP, who["id"])
    return (await _member(h, JOIN_GROUP, who["id"]))["status"] in ("left", "kicked")


PATHS = {
    "hide after N reports": _hidden_after_a_report,
    "flood guard": _muted_for_flooding,
    "join verification": _restricted_on_joining,
    "verification timer": _removed_when_the_timer_fires,
}


async def test_automatic_actions_against_every_role(harness: BotHarness) -> None:
    h = harness
    await _setup(h)
    wrong = []
    for path, act in PATHS.items():
        for role, who in ROLES.items():
            acted = await act(h, who)
            if acted != (role in UNPROTECTED):
                wrong.append(f"{path:<22} {role:<13} expected {role in UNPROTECTED} got {acted}")
    assert not wrong, "\n".join(wrong)
    # Nothing was banned outright along the way (removal is ban + unban, for the timer).
    for role in ("moderator", "police", "admin"):
        assert (await _member(h, GROUP, ROLES[role]["id"]))["status"] == "member"
