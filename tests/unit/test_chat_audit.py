"""Every change to a group's row is written to the audit log naming the group the same way
(its Telegram chat id, which the log page turns into the group's title): linking it to an
area and switching its scam warnings off alike."""

from __future__ import annotations

from services.areas import AreaService
from services.groups import GroupService
from services.scams import ScamService
from services.users import IncomingUser, UserService
from storage.repositories.audit import AuditRepository
from storage.uow import Sessions, transaction

CSV = """code,name,kind,parent_code
ND,Nam Định,province,
ND-TN,Phường Thống Nhất,ward,ND
ND-TN-01,Tổ dân phố 1,residential_group,ND-TN
"""
CHAT = -1004242


async def test_a_group_is_named_alike_by_every_audit_line_about_it(sessions: Sessions) -> None:
    await AreaService(sessions).import_csv(CSV)
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset({900}))
    admin = await users.identify(IncomingUser(900, "Quản trị"))
    await GroupService(sessions).link(admin, CHAT, "ND-TN-01", title="An ninh TDP 1")
    await ScamService(sessions).set_group_warnings(CHAT, False, admin)
    async with transaction(sessions) as s:
        lines = await AuditRepository(s).recent()
    targets = {line.action: (line.target_type, line.target_id) for line in lines}
    assert targets["chat.link"] == ("chat", str(CHAT))
    assert targets["scam.group_warnings"] == targets["chat.link"]
