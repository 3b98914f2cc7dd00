"""A command that names someone by @username acts on the account that holds the name now:
the person the bot last saw with it, never an account that used to have it."""

from __future__ import annotations

from sqlalchemy import update

from bot.i18n import t
from storage.models import User
from storage.uow import transaction
from tests.e2e.harness import BotHarness, user

AREAS = (
    "code,name,kind,parent_code\nND,Tỉnh Nam Định,province,\n"
    "ND-TP,Thành phố Nam Định,district,ND\nND-TN,Phường Thống Nhất,ward,ND-TP\n"
)
ADMIN = user(9201, "Quản trị", "quantri")
MOD = user(3201, "Mai", "mai_kd")
OLD_HOLDER = user(7001, "An", "hoa")
NEW_HOLDER = user(7002, "Bảo", "hoa")
GROUP = -100510


async def _world(harness: BotHarness) -> None:
    await harness.services.areas.import_csv(AREAS)
    grants = harness.services.grants
    await grants.grant(target_telegram_id=ADMIN["id"], role="admin", area_code="ND")
    await grants.grant(target_telegram_id=MOD["id"], role="moderator", area_code="ND-TN")
    await harness.client.members(GROUP, joined=[MOD, OLD_HOLDER, NEW_HOLDER], title="TDP 1")
    await harness.client.set_admins(GROUP, [], bot_is_admin=True)
    await harness.services.groups.link(None, GROUP, "ND-TN", "residents")
    # An wrote as @hoa, then renamed himself (the bot has not seen him since); Bảo took the
    # name and wrote after that.
    await harness.client.send_message(GROUP, OLD_HOLDER, "Chào cả nhà", chat_type="supergroup")
    await _wait_known(harness, OLD_HOLDER["id"])
    await harness.client.send_message(GROUP, NEW_HOLDER, "Xin chào", chat_type="supergroup")
    await _wait_known(harness, NEW_HOLDER["id"])


async def _wait_known(harness: BotHarness, telegram_id: int) -> None:
    from storage.repositories.users import UserRepository

    for _ in range(200):
        async with transaction(harness.services.sessions) as session:
            if await UserRepository(session).get_by_telegram_id(telegram_id):
                return
        await harness.client.history(GROUP, wait=0.05, after=10**9)
    raise AssertionError(f"{telegram_id} never seen")


async def _status(harness: BotHarness, user_id: int) -> str:
    chat = await harness.client.chat(GROUP)
    return str(next(m for m in chat["members"] if m["user"]["id"] == user_id)["status"])


async def _roles(harness: BotHarness, telegram_id: int) -> list[tuple[str, str]]:
    return [
        (g.role.value, g.area.code)
        for g, u in await harness.services.grants.all()
        if u.telegram_id == telegram_id
    ]


async def test_ban_by_username_hits_who_holds_the_name_now(harness: BotHarness) -> None:
    await _world(harness)
    [banned] = await harness.say(MOD, "/chan @hoa", chat_id=GROUP)
    assert banned["text"] == t("mod-banned", "vi", name="Bảo")
    assert await _status(harness, OLD_HOLDER["id"]) == "member"
    assert await _status(harness, NEW_HOLDER["id"]) == "kicked"
    [back] = await harness.say(MOD, "/gochan @hoa", chat_id=GROUP)
    assert back["text"] == t("mod-unbanned", "vi", name="Bảo")


async def test_warn_and_mute_by_username_hit_who_holds_the_name_now(
    harness: BotHarness,
) -> None:
    await _world(harness)
    [warned] = await harness.say(MOD, "/canhcao @hoa quảng cáo", chat_id=GROUP)
    assert warned["text"].startswith("⚠️ Bảo bị cảnh cáo (1/3)")
    [muted] = await harness.say(MOD, "/camchat @hoa 2g", chat_id=GROUP)
    assert muted["text"].startswith("🔇 Bảo bị cấm chat")
    assert await _status(harness, OLD_HOLDER["id"]) == "member"


async def test_grant_and_revoke_by_username_hit_who_holds_the_name_now(
    harness: BotHarness,
) -> None:
    await _world(harness)
    [granted] = await harness.say(ADMIN, "/capquyen @hoa moderator ND-TN")
    assert "Bảo" in granted["text"]
    assert await _roles(harness, NEW_HOLDER["id"]) == [("moderator", "ND-TN")]
    assert await _roles(harness, OLD_HOLDER["id"]) == []
    [revoked] = await harness.say(ADMIN, "/thuquyen @hoa moderator ND-TN")
    assert revoked["text"] == t("group-revoked", "vi")
    assert await _roles(harness, NEW_HOLDER["id"]) == []


async def test_a_name_two_accounts_hold_is_refused(harness: BotHarness) -> None:
    """Two rows holding one name (two instances seeing the swap at the same moment, or rows
    written before the rule): no guess, a clear refusal, and nobody is banned."""
    await _world(harness)
    async with transaction(harness.services.sessions) as session:
        await session.execute(
            update(User).where(User.telegram_id == OLD_HOLDER["id"]).values(username="hoa")
        )
    [refused] = await harness.say(MOD, "/chan @hoa", chat_id=GROUP)
    assert refused["text"] == t("user-username-ambiguous", "vi", username="hoa")
    [refused] = await harness.say(ADMIN, "/capquyen @hoa moderator ND-TN")
    assert refused["text"] == t("user-username-ambiguous", "vi", username="hoa")
    for who in (OLD_HOLDER, NEW_HOLDER):
        assert await _status(harness, who["id"]) == "member"
        assert await _roles(harness, who["id"]) == []

