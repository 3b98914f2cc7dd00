"""Signing in to the console: one-time links, sessions, their end when rights go, and the
Telegram Login Widget's hash check — the rules, called directly."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from services.areas import AreaService
from services.errors import PermissionDenied
from services.grants import GrantService
from services.users import IncomingUser, UserService
from services.web_signin import (
    MODERATOR_SIDE,
    POLICE_SIDE,
    LinkProblem,
    LinkRefused,
    WebSignIn,
    console_side,
    widget_data_valid,
)
from storage.uow import Sessions, transaction

CSV = """code,name,kind,parent_code
ND,Nam Định,province,
ND-TN,Phường Thống Nhất,ward,ND
ND-HB,Phường Hạ Long,ward,ND
"""
OFFICER, RESIDENT, MODERATOR = 501, 502, 503
BOT_TOKEN = "123456:TEST-widget"


@pytest.fixture
async def parts(sessions: Sessions) -> tuple[WebSignIn, UserService, GrantService]:
    await AreaService(sessions).import_csv(CSV)
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    grants = GrantService(sessions)
    await grants.grant(target_telegram_id=OFFICER, role="police", area_code="ND-TN")
    await grants.grant(target_telegram_id=MODERATOR, role="moderator", area_code="ND-TN")
    return WebSignIn(sessions, users), users, grants


async def _profile(users: UserService, telegram_id: int):  # type: ignore[no-untyped-def]
    return await users.identify(IncomingUser(telegram_id, f"U{telegram_id}"))


async def test_a_link_signs_in_once_and_only_its_hash_is_stored(
    parts: tuple[WebSignIn, UserService, GrantService], sessions: Sessions
) -> None:
    signin, users, _ = parts
    link = await signin.issue_link(await _profile(users, OFFICER))
    assert await signin.link_problem(link.token) is None
    signed = await signin.redeem(link.token)
    assert signed.profile.user.telegram_id == OFFICER
    with pytest.raises(LinkRefused) as again:
        await signin.redeem(link.token)
    assert again.value.problem is LinkProblem.USED
    assert await signin.link_problem(link.token) is LinkProblem.USED
    async with transaction(sessions) as session:
        stored = (await session.execute(text("SELECT token_hash FROM web_login_tokens"))).all()
        cookies = (await session.execute(text("SELECT token_hash FROM web_sessions"))).all()
    assert [r[0] for r in stored] == [hashlib.sha256(link.token.encode()).hexdigest()]
    assert link.token not in str(stored) and signed.token not in str(cookies)
    visitor = await signin.visitor(signed.token)
    assert visitor is not None and visitor.csrf_ok(signed.csrf_token)
    assert not visitor.csrf_ok(None) and not visitor.csrf_ok("forged")


async def test_an_expired_or_unknown_link_says_so(
    parts: tuple[WebSignIn, UserService, GrantService],
) -> None:
    signin, users, _ = parts
    old = await signin.issue_link(
        await _profile(users, OFFICER), now=datetime.now(UTC) - timedelta(minutes=11)
    )
    with pytest.raises(LinkRefused) as expired:
        await signin.redeem(old.token)
    assert expired.value.problem is LinkProblem.EXPIRED
    with pytest.raises(LinkRefused) as unknown:
        await signin.redeem("not-a-link")
    assert unknown.value.problem is LinkProblem.UNKNOWN


async def test_residents_get_no_link(parts: tuple[WebSignIn, UserService, GrantService]) -> None:
    signin, users, _ = parts
    with pytest.raises(PermissionDenied) as refused:
        await signin.issue_link(await _profile(users, RESIDENT))
    assert refused.value.message_key == "web-not-allowed"


async def test_a_moderator_signs_in_to_the_moderators_side_only(
    parts: tuple[WebSignIn, UserService, GrantService],
) -> None:
    signin, users, grants = parts
    signed = await signin.redeem((await signin.issue_link(await _profile(users, MODERATOR))).token)
    visitor = await signin.visitor(signed.token)
    assert visitor is not None and console_side(visitor.profile) == MODERATOR_SIDE
    assert console_side(await _profile(users, OFFICER)) == POLICE_SIDE
    await grants.revoke(target_telegram_id=MODERATOR, role="moderator", area_code="ND-TN")
    assert await signin.visitor(signed.token) is None


async def test_revoking_the_last_police_grant_ends_the_sessions_at_once(
    parts: tuple[WebSignIn, UserService, GrantService], sessions: Sessions
) -> None:
    signin, users, grants = parts
    await grants.grant(target_telegram_id=OFFICER, role="police", area_code="ND-HB")
    signed = await signin.redeem((await signin.issue_link(await _profile(users, OFFICER))).token)
    await grants.revoke(target_telegram_id=OFFICER, role="police", area_code="ND-HB")
    assert await signin.visitor(signed.token) is not None  # still police of Thống Nhất
    await grants.revoke(target_telegram_id=OFFICER, role="police", area_code="ND-TN")
    async with transaction(sessions) as session:
        ended = (await session.execute(text("SELECT ended_at FROM web_sessions"))).scalar()
    assert ended is not None, "the revocation did not end the session"
    assert await signin.visitor(signed.token) is None


async def test_logout_ends_the_session(
    parts: tuple[WebSignIn, UserService, GrantService],
) -> None:
    signin, users, _ = parts
    signed = await signin.redeem((await signin.issue_link(await _profile(users, OFFICER))).token)
    await signin.logout(signed.token)
    assert await signin.visitor(signed.token) is None


def _widget(fields: dict[str, str], token: str = BOT_TOKEN) -> dict[str, str]:
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hashlib.sha256(token.encode()).digest()
    return {**fields, "hash": hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()}


def test_the_login_widget_hash_is_checked_as_telegram_documents() -> None:
    now = datetime.now(UTC)
    fields = {"id": str(OFFICER), "first_name": "Hùng", "auth_date": str(int(now.timestamp()))}
    assert widget_data_valid(_widget(fields), BOT_TOKEN, now)
    assert not widget_data_valid(_widget(fields, "999:OTHER"), BOT_TOKEN, now)
    assert not widget_data_valid({**_widget(fields), "id": "1"}, BOT_TOKEN, now)
    stale = {**fields, "auth_date": str(int((now - timedelta(hours=1)).timestamp()))}
    assert not widget_data_valid(_widget(stale), BOT_TOKEN, now)


async def test_the_widget_signs_in_a_known_officer_only(
    parts: tuple[WebSignIn, UserService, GrantService],
) -> None:
    signin, users, _ = parts
    await _profile(users, OFFICER)
    await _profile(users, RESIDENT)
    stamp = str(int(datetime.now(UTC).timestamp()))
    signed = await signin.widget_signin(
        _widget({"id": str(OFFICER), "auth_date": stamp}), BOT_TOKEN
    )
    assert signed.profile.user.telegram_id == OFFICER
    with pytest.raises(PermissionDenied):
        await signin.widget_signin(_widget({"id": str(RESIDENT), "auth_date": stamp}), BOT_TOKEN)
