"""What the demo sets up through the product's own services, as people would, once its history
is loaded (services/demo.py): each ward's officer enters the police contacts of the ward and its
tổ dân phố (:class:`ContactService`, so ``/lienhe`` has something to show), and confirms one
scam number (:class:`ScamService`), so the demo holds a number in every state ``/kiemtra``
knows. The numbers are named in the demo page's hint (``demo-hint-*`` in bot/locales).

Running it again changes nothing: existing contacts are kept, a confirmed number stays so.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.contacts import ContactService
from services.demo_content import LONE_SCAM_NUMBER
from services.scams import ScamService
from services.users import UserService
from storage.models import ContactRole
from storage.uow import Sessions

SCAM_CONFIRMED = "0389 123 456"
"""Several residents gave it as the scammer's (the history), and Thống Nhất's officer confirmed
it: "Công an đã xác nhận"."""
SCAM_REPORTED = "0834 567 123"
"""Several different residents gave it as the scammer's: "đã bị N người báo"."""
SCAM_ONE_REPORT = LONE_SCAM_NUMBER
"""One resident's tip: "1 báo cáo chưa xác minh"."""
SCAM_UNKNOWN = "0912 000 999"
"""In no tip: "chưa có ai báo"."""
CONFIRMING_OFFICER = 2001
"""Trần Hùng, cảnh sát khu vực of Phường Thống Nhất, where residents reported it."""


@dataclass(frozen=True, slots=True)
class WardContacts:
    ward_code: str
    officer_telegram_id: int
    officer_name: str
    group_codes: tuple[str, ...]
    duty_phone: str
    officer_phone: str


class DemoShowcase:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        self._users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
        self._contacts = ContactService(sessions)
        self._scams = ScamService(sessions)

    async def load(self, wards: list[WardContacts]) -> dict[str, int]:
        """Contacts entered and numbers confirmed now (0 and 0 when run again)."""
        counts = {"contacts": 0, "confirmed": 0}
        for ward in wards:
            counts["contacts"] += await self._enter_contacts(ward)
        officer = await self._users.profile_by_telegram_id(CONFIRMING_OFFICER)
        assert officer is not None, "the demo's structure is loaded first"
        outcome = await self._scams.confirm(SCAM_CONFIRMED, officer)
        counts["confirmed"] += outcome.changed
        return counts

    async def _enter_contacts(self, ward: WardContacts) -> int:
        """The ward's duty line and, on each tổ dân phố, the officer in charge, entered by the
        officer (as ``/capnhatlienhe`` would); entries already there are left as they are."""
        officer = await self._users.profile_by_telegram_id(ward.officer_telegram_id)
        assert officer is not None, "the demo's structure is loaded first"
        known = {(a.code, c.role) for a, c in await self._contacts.list(ward.ward_code)}
        wanted = [(ward.ward_code, ContactRole.DUTY, ward.duty_phone, "", "")]
        wanted += [
            (code, ContactRole.OFFICER, ward.officer_phone, ward.officer_name, "Thượng úy")
            for code in ward.group_codes
        ]
        added = 0
        for area_code, role, phone, name, rank in wanted:
            if (area_code, role) in known:
                continue
            await self._contacts.set(
                area_code=area_code, role=role, phone=phone, name=name, rank=rank, actor=officer
            )
            added += 1
        return added
