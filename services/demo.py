"""Demo data from the seed articles: Nam Định's wards, their tổ dân phố, groups and personas.

Loading is idempotent (codes and ids are fixed), and the demo runs on its own database file.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import AreaKind, ChatPurpose, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.users import UserRepository
from storage.uow import Sessions, transaction

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


def personas() -> list[Persona]:
    people = [
        Persona(9001, "Quản trị", None, "quantri", Role.ADMIN, CITY[0], "Quản trị viên thành phố"),
        Persona(
            3001, "Thu", "Hoàng", "thu_kiemduyet", Role.MODERATOR, CITY[0], "Người kiểm duyệt"
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
            members = (*tuple(p.telegram_id for p in people if p.area_code == code), officer)
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


class DemoService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def load(self) -> dict[str, int]:
        """Create what is missing; running it twice changes nothing."""
        counts = {"areas": 0, "users": 0, "grants": 0, "chats": 0}
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)

            async def ensure(
                code: str, name: str, kind: AreaKind, parent_code: str | None
            ) -> None:
                if await areas.get_by_code(code) is None:
                    parent = await areas.get_by_code(parent_code) if parent_code else None
                    await areas.add(code, name, kind, parent)
                    counts["areas"] += 1

            await ensure(*PROVINCE, AreaKind.PROVINCE, None)
            await ensure(*CITY, AreaKind.DISTRICT, PROVINCE[0])
            for short, name in WARDS:
                await ensure(ward_code(short), name, AreaKind.WARD, CITY[0])
                for n in range(1, GROUPS_PER_WARD + 1):
                    await ensure(
                        group_code(short, n),
                        f"Tổ dân phố {n}",
                        AreaKind.RESIDENTIAL_GROUP,
                        ward_code(short),
                    )
            users = UserRepository(session)
            grants = GrantRepository(session)
            for person in personas():
                existed = await users.get_by_telegram_id(person.telegram_id)
                user = await users.upsert_telegram(
                    person.telegram_id, person.first_name, person.last_name, person.username
                )
                counts["users"] += existed is None
                area = await areas.get_by_code(person.area_code)
                assert area is not None
                if person.role is not None:
                    counts["grants"] += (
                        await grants.add(user.id, person.role, area, None)
                    ) is not None
                elif user.home_area_id is None:
                    await users.set_home_area(user.id, area.id)
            chat_repo = ChatRepository(session)
            for chat in chats():
                area = await areas.get_by_code(chat.area_code)
                assert area is not None
                if await chat_repo.get(chat.chat_id) is None:
                    counts["chats"] += 1
                await chat_repo.upsert(chat.chat_id, "supergroup", chat.title)
                await chat_repo.update(
                    chat.chat_id, area_id=area.id, purpose=chat.purpose, bot_is_admin=True
                )
        return counts
