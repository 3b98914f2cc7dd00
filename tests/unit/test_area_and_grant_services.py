"""Area and grant services: the rules, called directly (no Telegram)."""

from __future__ import annotations

import pytest

from services.areas import AreaService
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.grants import GrantService
from services.users import IncomingUser, UserService
from storage.models import Role
from storage.repositories.audit import AuditRepository
from storage.uow import Sessions, transaction

CSV = """code,name,kind,parent_code
ND-TN-01,Tổ dân phố 1,residential_group,ND-TN
ND,Nam Định,province,
ND-TP,Thành phố Nam Định,city,ND
ND-TN,Phường Thống Nhất,phuong,ND-TP
ND-VH,Phường Vị Hoàng,ward,ND-TP
"""


async def test_csv_import_accepts_any_row_order_and_is_idempotent(sessions: Sessions) -> None:
    areas = AreaService(sessions)
    first = await areas.import_csv(CSV)
    again = await areas.import_csv(CSV.replace("Tổ dân phố 1", "Tổ dân phố số 1"))
    assert (first.created, first.updated) == (5, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 4)
    group = await areas.get("nd-tn-01")
    assert group.name == "Tổ dân phố số 1"
    assert [a.code for a in await areas.lineage(group)] == ["ND", "ND-TP", "ND-TN", "ND-TN-01"]


@pytest.mark.parametrize(
    ("code", "kind", "parent", "error"),
    [
        ("bad code!", "ward", "ND", InvalidInput),
        ("W1", "ward", None, InvalidInput),  # a ward needs a parent
        ("W1", "ward", "NOPE", NotFound),
        ("W1", "province", "ND", InvalidInput),  # a province cannot sit under a province
        ("W1", "village", "ND", InvalidInput),
        ("ND", "province", None, InvalidInput),  # code taken
    ],
)
async def test_bad_area_input_is_refused_with_a_reason(
    sessions: Sessions, code: str, kind: str, parent: str | None, error: type[Exception]
) -> None:
    areas = AreaService(sessions)
    await areas.add("ND", "Nam Định", "province")
    with pytest.raises(error):
        await areas.add(code, "Tên", kind, parent)


async def test_a_broken_csv_imports_nothing(sessions: Sessions) -> None:
    areas = AreaService(sessions)
    with pytest.raises(NotFound):
        await areas.import_csv(
            "code,name,kind,parent_code\nA,Tỉnh A,province,\nB,X,ward,MISSING\n"
        )
    assert await areas.all() == []


async def test_police_may_appoint_moderators_in_their_subtree_only(sessions: Sessions) -> None:
    await AreaService(sessions).import_csv(CSV)
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset({1}))
    grants = GrantService(sessions)
    await grants.grant(target_telegram_id=20, role="police", area_code="ND-TN")
    officer = await users.identify(IncomingUser(20, "Hùng"))
    await users.identify(IncomingUser(30, "Mai", username="mai"))

    assert officer.can(Role.POLICE, await AreaService(sessions).get("ND-TN-01"))
    assert not officer.can(Role.POLICE, await AreaService(sessions).get("ND-VH"))
    granted, _ = await grants.grant(
        target_username="@mai", role="moderator", area_code="ND-TN-01", actor=officer
    )
    assert granted is not None
    with pytest.raises(PermissionDenied):
        await grants.grant(
            target_username="mai", role="moderator", area_code="ND-VH", actor=officer
        )
    with pytest.raises(PermissionDenied):
        await grants.grant(target_username="mai", role="police", area_code="ND-TN", actor=officer)

    superadmin = await users.identify(IncomingUser(1, "Admin"))
    assert superadmin.can(Role.ADMIN, await AreaService(sessions).get("ND"))
    assert await grants.revoke(
        target_username="mai", role="moderator", area_code="ND-TN-01", actor=superadmin
    )
    async with transaction(sessions) as s:
        actions = [a.action for a in await AuditRepository(s).recent(limit=10)]
    assert actions.count("grant.add") == 2 and "grant.remove" in actions


async def test_language_choice_is_remembered_and_validated(sessions: Sessions) -> None:
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    profile = await users.identify(IncomingUser(5, "Lan"))
    assert profile.locale == "vi"
    await users.set_language(profile.user.id, " EN ")
    assert (await users.identify(IncomingUser(5, "Lan"))).locale == "en"
    with pytest.raises(InvalidInput):
        await users.set_language(profile.user.id, "fr")
