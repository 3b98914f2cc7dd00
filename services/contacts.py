"""Who to call: the ward's police duty line and the officer in charge of each tổ dân phố.

Police keep their own entries (one per area and role); a resident sees, for their home area,
the nearest entry of each role up the tree: the officer entered on their tổ dân phố (or, if
none, on the ward), and the duty line entered on the ward (or higher).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.access import Profile, police_areas
from services.areas import area_by_code
from services.errors import InvalidInput, PermissionDenied
from services.faq_match import fold
from services.indicators import display_phone, normalize_phone
from services.onboarding import AreaPlace, home_place
from storage.dto import AreaDTO
from storage.models import ContactRole, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.community import ContactDTO, ContactRepository
from storage.types import nfc
from storage.uow import Session, Sessions, transaction

MAX_NAME = 200
MAX_RANK = 100

ROLE_ALIASES: dict[str, ContactRole] = {
    "duty": ContactRole.DUTY,
    "truc ban": ContactRole.DUTY,
    "trucban": ContactRole.DUTY,
    "truc": ContactRole.DUTY,
    "officer": ContactRole.OFFICER,
    "can bo": ContactRole.OFFICER,
    "canbo": ContactRole.OFFICER,
    "cskv": ContactRole.OFFICER,
    "canh sat khu vuc": ContactRole.OFFICER,
    "phu trach": ContactRole.OFFICER,
}

FORM_KEYS: dict[str, str] = {
    "khu vuc": "area",
    "ma khu vuc": "area",
    "dia ban": "area",
    "ma": "area",
    "area": "area",
    "vai tro": "role",
    "loai": "role",
    "role": "role",
    "ten": "name",
    "ho ten": "name",
    "ho va ten": "name",
    "name": "name",
    "cap bac": "rank",
    "chuc vu": "rank",
    "rank": "rank",
    "sdt": "phone",
    "so dien thoai": "phone",
    "dien thoai": "phone",
    "so dt": "phone",
    "phone": "phone",
}


def parse_role(value: str) -> ContactRole:
    role = ROLE_ALIASES.get(" ".join(fold(value).split()))
    if role is None:
        raise InvalidInput("contact-role-invalid", role=value[:40])
    return role


@dataclass(frozen=True, slots=True)
class ContactForm:
    area: str | None = None
    role: str | None = None
    name: str | None = None
    rank: str | None = None
    phone: str | None = None


def parse_contact_form(text: str) -> ContactForm:
    """``key: value`` lines (Vietnamese keys with or without accents, or English)."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            if line.strip():
                raise InvalidInput("contact-form-line", line=line.strip()[:60])
            continue
        field = FORM_KEYS.get(" ".join(fold(key).split()))
        if field is None:
            raise InvalidInput("contact-form-key", key=key.strip()[:40])
        found[field] = value.strip()
    return ContactForm(**found)


@dataclass(frozen=True, slots=True)
class ContactEntry:
    area: AreaDTO
    """Where the entry was made (the tổ dân phố itself, or an ancestor)."""
    contact: ContactDTO

    @property
    def phone_display(self) -> str:
        return display_phone(self.contact.phone)


@dataclass(frozen=True, slots=True)
class ContactCard:
    place: AreaPlace
    duty: ContactEntry | None
    officer: ContactEntry | None


@dataclass(frozen=True, slots=True)
class ContactChange:
    area: AreaDTO
    before: ContactDTO | None
    after: ContactDTO


class ContactService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def card_for_user(self, user_id: int) -> ContactCard | None:
        """The resident's who-to-call card; None when they have not chosen a home area."""
        async with transaction(self._sessions) as session:
            home = await home_place(session, user_id)
            if home is None:
                return None
            contacts = await ContactRepository(session).for_areas(home.area.ancestor_ids)
        depth = {area_id: i for i, area_id in enumerate(home.area.ancestor_ids)}
        by_id = {a.id: a for a in home.lineage}

        def nearest(role: ContactRole) -> ContactEntry | None:
            mine = [c for c in contacts if c.role is role and c.area_id in by_id]
            if not mine:
                return None
            best = max(mine, key=lambda c: depth[c.area_id])
            return ContactEntry(by_id[best.area_id], best)

        return ContactCard(home, nearest(ContactRole.DUTY), nearest(ContactRole.OFFICER))

    async def set(
        self,
        *,
        area_code: str,
        role: ContactRole | str,
        phone: str,
        name: str = "",
        rank: str = "",
        actor: Profile | None = None,
    ) -> ContactChange:
        """Create or replace the (area, role) entry. ``actor`` None: the operator's CLI;
        anyone else must be police (of the area, checked once it is known)."""
        if actor is not None:
            police_areas(actor)
        role = role if isinstance(role, ContactRole) else parse_role(role)
        name, rank = nfc(" ".join(name.split())), nfc(" ".join(rank.split()))
        if len(name) > MAX_NAME or len(rank) > MAX_RANK:
            raise InvalidInput("contact-too-long", limit=MAX_NAME)
        if role is ContactRole.OFFICER and not name:
            raise InvalidInput("contact-name-required")
        e164 = normalize_phone(phone)
        if e164 is None:
            raise InvalidInput("contact-phone-invalid", phone=phone[:40])
        async with transaction(self._sessions) as session:
            area = await self._area(session, area_code, actor)
            actor_id = actor.user.id if actor else None
            before, after = await ContactRepository(session).upsert(
                area.id, role, name=name, rank=rank, phone=e164, actor_user_id=actor_id
            )
            await AuditRepository(session).add(
                "contact.set",
                actor_user_id=actor_id,
                target_type="area_contact",
                target_id=after.id,
                area_id=area.id,
                before=before.as_dict() if before else None,
                after=after.as_dict(),
            )
            return ContactChange(area, before, after)

    async def remove(
        self, *, area_code: str, role: ContactRole | str, actor: Profile | None = None
    ) -> bool:
        if actor is not None:
            police_areas(actor)
        role = role if isinstance(role, ContactRole) else parse_role(role)
        async with transaction(self._sessions) as session:
            area = await self._area(session, area_code, actor)
            before = await ContactRepository(session).remove(area.id, role)
            if before is None:
                return False
            await AuditRepository(session).add(
                "contact.remove",
                actor_user_id=actor.user.id if actor else None,
                target_type="area_contact",
                target_id=before.id,
                area_id=area.id,
                before=before.as_dict(),
            )
            return True

    @staticmethod
    def editable_areas(actor: Profile) -> list[AreaDTO]:
        """The top-most areas whose contacts ``actor`` may change; PermissionDenied for
        anyone who is not police."""
        return police_areas(actor)

    async def list(self, area_code: str | None = None) -> list[tuple[AreaDTO, ContactDTO]]:
        async with transaction(self._sessions) as session:
            root = None
            if area_code:
                root = await area_by_code(AreaRepository(session), area_code)
            return await ContactRepository(session).in_subtree(root)

    @staticmethod
    async def _area(session: Session, area_code: str, actor: Profile | None) -> AreaDTO:
        area = await area_by_code(AreaRepository(session), area_code)
        if actor is not None and not actor.can(Role.POLICE, area):
            raise PermissionDenied("contact-not-yours", code=area.code)
        return area
