"""ScamService: look-ups, police confirmation, group warnings — the rules, on a real database."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render import render_html
from services.access import Profile
from services.areas import AreaService
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.grants import GrantService
from services.indicators import Indicator, IndicatorKind, extract_indicators
from services.scam_answers import lookup_answer
from services.scams import GROUP_SETTING, ScamLookup, ScamService
from services.users import IncomingUser, UserService
from storage.models import ChatPurpose
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.indicators import IndicatorRepository
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


async def _given(sessions: Sessions, area_id: int, reporter: int, text: str = SCAM_TEXT) -> int:
    """A fraud report whose reporter gave every indicator of ``text`` as the scammer's."""
    rid = await add_report(sessions, area_id, text, reporter=reporter)
    found = extract_indicators(text)
    async with transaction(sessions) as s:
        await IndicatorRepository(s).link_report(rid, area_id, found, public=found)
    return rid


async def test_lookup_finds_every_written_form_and_counts_people_by_ward(
    sessions: Sessions,
) -> None:
    scams, ids = await _setup(sessions)
    people = [(await _profile(sessions, 600 + i)).user.id for i in range(3)]
    await _given(sessions, ids["ND-TN-01"], people[0])
    one = await scams.lookup("0912345678", by=1)
    assert one is not None and one.known and one.people == 1
    assert one.wards == ()  # one person's ward would point at them
    await _given(sessions, ids["ND-TN-01"], people[0])  # the same person again
    again = await scams.lookup("0912345678", by=1)
    assert again is not None and again.people == 1 and again.wards == ()
    await _given(sessions, ids["ND-TN-01"], people[1])
    await _given(sessions, ids["ND-VH"], people[2])
    for written in ("+84912345678", "0912 345 678", "0912-345-678", "84912345678"):
        result = await scams.lookup(written, by=1)
        assert result is not None and result.known, written
        assert result.indicator.display == "0912 345 678"
        assert result.people == 3
        assert result.wards == (
            "Phường Thống Nhất, Thành phố Nam Định",
            "Phường Vị Hoàng, Thành phố Nam Định",
        )
        assert not result.confirmed
    account = await scams.lookup("Vietcombank 0123 456 789", by=1)
    assert account is not None and account.people == 3


async def test_numbers_only_in_free_text_stay_with_the_police(sessions: Sessions) -> None:
    scams, ids = await _setup(sessions)
    for _ in range(3):
        rid = await add_report(sessions, ids["ND-TN-01"], SCAM_TEXT)
        await scams.record_from_text(rid, SCAM_TEXT, ids["ND-TN-01"])
    hidden = await scams.lookup("0912345678", by=1)
    assert hidden is not None and not hidden.known and hidden.indicator_id is None
    await GrantService(sessions).grant(target_telegram_id=501, role="police", area_code="ND-TN")
    await scams.confirm("0912345678", await _profile(sessions, 501))
    confirmed = await scams.lookup("0912345678", by=1)
    assert confirmed is not None and confirmed.known and confirmed.confirmed
    assert confirmed.people == 0 and confirmed.wards == ()


def _said(result: ScamLookup, locale: str) -> str:
    answer = lookup_answer(result, ZoneInfo("Asia/Ho_Chi_Minh"))
    return render_html(answer.key, locale, answer.args)


def test_the_answer_says_how_much_is_known_in_both_languages() -> None:
    phone = Indicator(IndicatorKind.PHONE, "+84912345678", "0912 345 678")
    at = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 1 December in Vietnam
    ward = "Phường Thống Nhất, Thành phố Nam Định"
    none = ScamLookup(phone, None, 0, (), None)
    one = ScamLookup(phone, 1, 1, (), None)
    two = ScamLookup(phone, 1, 2, (ward, None), None)
    confirmed = ScamLookup(phone, 1, 1, (), at)
    assert "chưa có ai báo" in _said(none, "vi") and "nobody has reported" in _said(none, "en")
    assert "1 báo cáo chưa xác minh" in _said(one, "vi")
    assert "1 unverified report" in _said(one, "en")
    assert "đã bị <b>2 người báo</b>" in _said(two, "vi") and ward in _said(two, "vi")
    assert "<b>2 people</b>" in _said(two, "en") and ward in _said(two, "en")
    for text in (_said(confirmed, "vi"), _said(confirmed, "en")):
        assert "01/12/2026" in text and "Phường" not in text
    assert "Công an đã xác nhận" in _said(confirmed, "vi")
    assert "police have confirmed" in _said(confirmed, "en")
    both = ScamLookup(phone, 1, 2, (ward,), at)
    assert "Đã bị 2 người báo" in _said(both, "vi") and ward in _said(both, "vi")


async def test_unknown_and_unparseable_input(sessions: Sessions) -> None:
    scams, _ = await _setup(sessions)
    nothing = await scams.lookup("0987 000 111", by=1)
    assert nothing is not None and not nothing.known and nothing.people == 0
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
    assert result is None or (result.people == 0 and not result.known)
    assert await ScamService(sessions).find_confirmed_in_text(raw) == []
