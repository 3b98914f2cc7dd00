"""The demo's world: Nam Định's wards and tổ dân phố, the people on the demo page (personas),
their groups, and the background residents who sent the past tips (services/demo.py loads them).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.demo_showcase import WardContacts
from storage.models import ChatPurpose, Role
from storage.person_names import person_name

PROVINCE = ("ND", "Tỉnh Nam Định")
CITY = ("ND-TP", "Thành phố Nam Định")
WARDS: list[tuple[str, str]] = [
    ("TN", "Phường Thống Nhất"),
    ("VH", "Phường Vị Hoàng"),
    ("NQ", "Phường Ngô Quyền"),
    ("LH", "Phường Lộc Hạ"),
    ("MX", "Phường Mỹ Xá"),
    ("NP", "Phường Nam Phong"),
    ("QT", "Phường Quang Trung"),
    ("ML", "Phường Mỹ Lộc"),
]
GROUPS_PER_WARD = 3


@dataclass(frozen=True, slots=True)
class Persona:
    telegram_id: int
    first_name: str
    last_name: str | None
    username: str
    role: Role | None
    area_code: str
    title: str
    """How the demo page introduces them."""

    @property
    def role_name(self) -> str:
        """resident, police, moderator or admin: how the demo page groups people."""
        return self.role.value if self.role is not None else "resident"

    @property
    def display_name(self) -> str:
        """Family name first, as Vietnamese write it ("Trần Hùng"): the one naming rule."""
        return person_name(self.first_name, self.last_name)

    def page_json(self) -> dict[str, object]:
        """The persona as the sandbox's ``PUT /sandbox/personas`` takes it."""
        return {
            "id": self.telegram_id,
            "name": self.display_name,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "title": self.title,
            "role": self.role_name,
            "language_code": "vi",
            "platform": "telegram",
        }


@dataclass(frozen=True, slots=True)
class DemoChat:
    chat_id: int
    title: str
    area_code: str
    purpose: ChatPurpose
    member_ids: tuple[int, ...]


def ward_code(short: str) -> str:
    return f"ND-{short}"


def group_code(short: str, n: int) -> str:
    return f"ND-{short}-{n:02d}"


MODERATOR_ID = 3001
MODERATED_WARDS = 2
"""The moderator is a member of every residents' group of the first wards (where the residents
of the demo page live)."""


def personas() -> list[Persona]:
    people = [
        Persona(9001, "Quản trị", None, "quantri", Role.ADMIN, CITY[0], "Quản trị viên thành phố"),
        Persona(
            MODERATOR_ID,
            "Thu",
            "Hoàng",
            "thu_kiemduyet",
            Role.MODERATOR,
            CITY[0],
            "Người kiểm duyệt",
        ),
    ]
    for i, (short, name) in enumerate(WARDS):
        people.append(
            Persona(
                2001 + i,
                ["Hùng", "Dũng", "Tuấn", "Minh", "Sơn", "Long", "Nam", "Bình"][i],
                "Trần",
                f"csqk_{short.lower()}",
                Role.POLICE,
                ward_code(short),
                f"Cảnh sát khu vực {name}",
            )
        )
    residents = [("Lan", "Nguyễn"), ("Bảo", "Lê"), ("Hoa", "Phạm"), ("Cường", "Vũ")]
    for i, (first, last) in enumerate(residents):
        short = WARDS[i % 2][0]
        people.append(
            Persona(
                1001 + i,
                first,
                last,
                f"{first.lower()}_{i}",
                None,
                group_code(short, 1 + i // 2),
                f"Người dân tổ {1 + i // 2}, {WARDS[i % 2][1]}",
            )
        )
    return people


ZALO_PERSONA_ID = 5001
"""The Zalo resident of the demo page (a Zalo account: no Telegram user is created for it;
the bot meets them on their first Zalo message)."""


OA_PERSONA_ID = 5002
"""The demo page's follower of the ward police's Zalo Official Account (their OA user id is
this number as text); they followed by the QR poster of :data:`OA_PERSONA_AREA`."""
OA_PERSONA_AREA = group_code(WARDS[0][0], 2)


def zalo_personas() -> list[dict[str, object]]:
    """Residents who use the bot on Zalo (the bot, or the ward police's Official Account),
    as ``PUT /sandbox/personas`` takes them."""
    return [
        {
            "id": OA_PERSONA_ID,
            "name": "Nguyễn Văn Tâm",
            "first_name": "Tâm",
            "last_name": "Nguyễn",
            "title": f"Người dân tổ 2, {WARDS[0][1]} — theo dõi Zalo OA của công an phường",
            "role": "resident",
            "language_code": "vi",
            "platform": "zalo_oa",
        },
        {
            "id": ZALO_PERSONA_ID,
            "name": "Đỗ Thị Mai",
            "first_name": "Mai",
            "last_name": "Đỗ",
            "title": f"Người dân tổ 1, {WARDS[0][1]} — dùng Zalo",
            "role": "resident",
            "language_code": "vi",
            "platform": "zalo",
        }
    ]


def chats() -> list[DemoChat]:
    people = personas()
    result = []
    for w, (short, name) in enumerate(WARDS):
        officer = 2001 + w
        result.append(
            DemoChat(
                -1_000_100 - w,
                f"Công an {name} — tổ công tác",
                ward_code(short),
                ChatPurpose.POLICE,
                (officer, 9001),
            )
        )
        for n in range(1, GROUPS_PER_WARD + 1):
            code = group_code(short, n)
            residents = tuple(p.telegram_id for p in people if p.area_code == code)
            # The moderator keeps the groups of the wards the residents on the page live in,
            # so moderation can be tried there; the officer comes last (the group's admin).
            moderator = (MODERATOR_ID,) if w < MODERATED_WARDS else ()
            members = (*residents, *moderator, officer)
            result.append(
                DemoChat(
                    -1_001_000 - w * 10 - n,
                    f"An ninh TDP {n} — {name.removeprefix('Phường ')}",
                    code,
                    ChatPurpose.RESIDENTS,
                    members,
                )
            )
    return result


def ward_contacts() -> list[WardContacts]:
    """Each ward's duty line (Nam Định numbers, 0228) and its officer's mobile, entered by the
    officer on the ward and its tổ dân phố."""
    officers = {p.area_code: p for p in personas() if p.role is Role.POLICE}
    result = []
    for w, (short, _) in enumerate(WARDS):
        officer = officers[ward_code(short)]
        result.append(
            WardContacts(
                ward_code=ward_code(short),
                officer_telegram_id=officer.telegram_id,
                officer_name=officer.display_name,
                group_codes=tuple(group_code(short, n) for n in range(1, GROUPS_PER_WARD + 1)),
                duty_phone=f"0228 3636 1{w:02d}",
                officer_phone=f"0915 201 {w + 1:03d}",
            )
        )
    return result


BACKGROUND_RESIDENTS_PER_WARD = 2
"""Residents who sent the past tips (not personas: nobody plays them on the demo page)."""
BACKGROUND_NAMES = [
    ("Mai", "Đỗ"), ("Tâm", "Bùi"), ("Hạnh", "Đặng"), ("Quang", "Ngô"), ("Yến", "Trịnh"),
    ("Thắng", "Phan"), ("Loan", "Vũ"), ("Đức", "Lương"), ("Nga", "Hà"), ("Toàn", "Đinh"),
    ("Huyền", "Mai"), ("Khánh", "Tô"), ("Thảo", "Cao"), ("Phúc", "Lại"), ("Vân", "Kiều"),
    ("Trung", "Đoàn"),
]  # fmt: skip
WARD_CENTRES = {
    "TN": (20.4320, 106.1780), "VH": (20.4365, 106.1850), "NQ": (20.4300, 106.1700),
    "LH": (20.4230, 106.1620), "MX": (20.4350, 106.1550), "NP": (20.4050, 106.1900),
    "QT": (20.4240, 106.1760), "ML": (20.4540, 106.1300),
}  # fmt: skip


def demo_area_codes() -> set[str]:
    codes = {PROVINCE[0], CITY[0]}
    for short, _ in WARDS:
        codes.add(ward_code(short))
        codes.update(group_code(short, n) for n in range(1, GROUPS_PER_WARD + 1))
    return codes


def background_residents() -> list[Persona]:
    people = []
    for w, (short, name) in enumerate(WARDS):
        for j in range(BACKGROUND_RESIDENTS_PER_WARD):
            first, last = BACKGROUND_NAMES[(w * BACKGROUND_RESIDENTS_PER_WARD + j) % 16]
            people.append(
                Persona(
                    5001 + w * BACKGROUND_RESIDENTS_PER_WARD + j,
                    first,
                    last,
                    f"dan_{short.lower()}_{j + 1}",
                    None,
                    group_code(short, 1 + j % GROUPS_PER_WARD),
                    f"Người dân {name}",
                )
            )
    return people
