"""ScamService: look-ups, police confirmation, group warnings — the rules, on a real database."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.access import Profile
from services.areas import AreaService
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.grants import GrantService
from services.indicators import IndicatorKind
from services.scams import GROUP_SETTING, ScamService
from services.users import IncomingUser, UserService
from storage.models import ChatPurpose
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.uow import Sessions, transaction
from tests.storage.test_indicators_repo import add_report

CSV = """code,name,kind,parent_code
ND,Nam Định,province,
ND-TP,Thành phố Nam Định,city,ND
ND-TN,Phường Thống Nhất,ward,ND-TP
ND-TN-01,Tổ dân phố 1,residential_group,ND-TN
ND-VH,Phường Vị Hoàng,ward,ND-TP
"""

SCAM_TEXT = "Kẻ gian gọi số 0912.345.678 xưng công an, bắt chuyển tiền vào STK 0123456789 VCB"

_PEOPLE = itertools.count(1)
"""A different person per generated look-up: the per-person limit is not under test here."""


async def _profile(
    sessions: Sessions, telegram_id: int, super_ids: frozenset[int] = frozenset()
) -> Profile:
    users = UserService(sessions, default_language="vi", superadmin_ids=super_ids)
    return await users.identify(IncomingUser(telegram_id, f"U{telegram_id}", None, None))


async def _setup(sessions: Sessions) -> tuple[ScamService, dict[str, int]]:
    areas = AreaService(sessions)
    await areas.import_csv(CSV)
    ids = {code: (await areas.get(code)).id for code in ("ND-TN", "ND-TN-01", "ND-VH")}
    return ScamService(sessions), ids


async def test_lookup_finds_every_written_form_and_groups_by_ward(sessions: Sessions) -> None:
    scams, ids = await _setup(sessions)
    for area in ("ND-TN-01", "ND-TN-01", "ND-VH"):
        rid = await add_report(sessions, ids[area], SCAM_TEXT)
        found = await scams.record_from_text(rid, SCAM_TEXT, ids[area])
        assert {i.kind for i in found} == {IndicatorKind.PHONE, IndicatorKind.BANK_ACCOUNT}
    for written in ("+84912345678", "0912 345 678", "0912-345-678", "84912345678"):
        result = await scams.lookup(written, by=1)
        assert result is not None and result.known, written
        assert result.indicator.display == "0912 345 678"
        assert result.reports == 3
        assert [(a.name, a.reports) for a in result.areas] == [
            ("Phường Thống Nhất, Thành phố Nam Định", 2),
            ("Phường Vị Hoàng, Thành phố Nam Định", 1),
        ]
        assert result.first_seen is not None and result.last_seen is not None
        assert result.first_seen <= result.last_seen
        assert not result.confirmed
    account = await scams.lookup("Vietcombank 0123 456 789", by=1)
    assert account is not None and account.reports == 3


async def test_unknown_and_unparseable_input(sessions: Sessions) -> None:
    scams, _ = await _setup(sessions)
    nothing = await scams.lookup("0987 000 111", by=1)
    assert nothing is not None and not nothing.known and nothing.reports == 0
    assert nothing.indicator.value == "+84987000111"
    for junk in ("", "   ", "xin chào", "12", "x" * 10_000, "\u0000\u200b"):
        assert await scams.lookup(junk, by=1) is None


async def test_confirm_needs_police_of_a_reported_area_and_is_audited(sessions: Sessions) -> None:
    scams, ids = await _setup(sessions)
    rid = await add_report(sessions, ids["ND-TN-01"], SCAM_TEXT)
    await scams.record_from_text(rid, SCAM_TEXT, ids["ND-TN-01"])
    grants = GrantService(sessions)
    await grants.grant(target_telegram_id=501, role="police", area_code="ND-TN")
    await grants.grant(target_telegram_id=502, role="police", area_code="ND-VH")
    await grants.grant(target_telegram_id=503, role="moderator", area_code="ND-TN")
    ward_police = await _profile(sessions, 501)
    other_police = await _profile(sessions, 502)
    moderator = await _profile(sessions, 503)
    resident = await _profile(sessions, 504)

    for who in (other_police, moderator, resident):
        with pytest.raises(PermissionDenied):
            await scams.confirm("0912345678", who)
    with pytest.raises(NotFound):
        await scams.confirm("0987000111", ward_police)
    with pytest.raises(InvalidInput):
        await scams.confirm("không phải số", ward_police)

    outcome = await scams.confirm("+84 912 345 678", ward_police)
    assert outcome.changed and outcome.indicator.confirmed_by_user_id == ward_police.user.id
    again = await scams.confirm(outcome.indicator.id, ward_police)
    assert not again.changed
    result = await scams.lookup("0912345678", by=1)
    assert result is not None and result.confirmed

    admin = await _profile(sessions, 900, frozenset({900}))
    undone = await scams.confirm(outcome.indicator.id, admin, confirmed=False)
    assert undone.changed and undone.indicator.confirmed_at is None

    async with transaction(sessions) as s:
        audit = await AuditRepository(s).recent()
    assert [
        (a.action, a.actor_user_id, a.area_id) for a in audit if a.action.startswith("scam")
    ] == [
        ("scam.unconfirm", admin.user.id, ids["ND-TN-01"]),
        ("scam.confirm", ward_police.user.id, ids["ND-TN-01"]),
    ]
    # The audit trail names the indicator, never the reporter.
    assert all(a.target_type == "indicator" for a in audit if a.action.startswith("scam"))


async def test_group_warnings_only_in_linked_groups_with_the_setting_on(
    sessions: Sessions,
) -> None:
    scams, ids = await _setup(sessions)
    rid = await add_report(sessions, ids["ND-TN"], SCAM_TEXT)
    await scams.record_from_text(rid, SCAM_TEXT, ids["ND-TN"])
    await GrantService(sessions).grant(target_telegram_id=501, role="police", area_code="ND-TN")
    police = await _profile(sessions, 501)
    message = "Ai vừa nhận cuộc gọi từ 0912 345 678 không?"
    assert await scams.find_confirmed_in_text(message) == []

    await scams.confirm("0912345678", police)
    [hit] = await scams.find_confirmed_in_text(message)
    assert hit.value == "+84912345678"
    assert await scams.find_confirmed_in_text("STK 0123456789 VCB") == []  # not confirmed

    async with transaction(sessions) as s:
        chats = ChatRepository(s)
        await chats.upsert(-1001, "supergroup", "Nhóm TDP 1")
        await chats.update(-1001, area_id=ids["ND-TN-01"], purpose=ChatPurpose.RESIDENTS)
        await chats.upsert(-1002, "supergroup", "Nhóm chưa gắn")
    assert [h.value for h in await scams.warnings_for_group_message(-1001, message)] == [
        "+84912345678"
    ]
    assert await scams.warnings_for_group_message(-1002, message) == []  # not linked
    assert await scams.warnings_for_group_message(-1003, message) == []  # unknown chat

    resident = await _profile(sessions, 504)
    with pytest.raises(PermissionDenied):
        await scams.set_group_warnings(-1001, False, resident)
    with pytest.raises(InvalidInput):
        await scams.set_group_warnings(-1002, False, police)
    off = await scams.set_group_warnings(-1001, False, police)
    assert off.changed and not off.enabled
    assert await scams.warnings_for_group_message(-1001, message) == []
    async with transaction(sessions) as s:
        chat = await ChatRepository(s).get(-1001)
    assert chat is not None and chat.settings == {GROUP_SETTING: False}
    status = await scams.set_group_warnings(-1001, None, police)
    assert not status.enabled and not status.changed
    assert (await scams.set_group_warnings(-1001, True, police)).enabled


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    raw=st.one_of(
        st.text(max_size=300),
        st.from_regex(r"\+?[0-9 .\-()]{0,20}", fullmatch=True),
        st.from_regex(
            r"(https?://)?[a-z0-9.\-]{1,30}\.(com|vn|top)(/[^\s]{0,20})?", fullmatch=True
        ),
    )
)
async def test_lookup_never_raises_for_arbitrary_text(sessions: Sessions, raw: str) -> None:
    result = await ScamService(sessions).lookup(raw, by=next(_PEOPLE))
    assert result is None or (result.reports == 0 and not result.known)
    assert await ScamService(sessions).find_confirmed_in_text(raw) == []
