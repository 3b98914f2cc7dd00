"""The area tree: creating, importing and reading areas."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.errors import InvalidInput, NotFound
from services.ports import L10n
from storage.dto import AreaDTO
from storage.models import AreaKind
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.types import nfc
from storage.uow import Sessions, transaction

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")

KIND_ALIASES: dict[str, AreaKind] = {
    "province": AreaKind.PROVINCE,
    "tinh": AreaKind.PROVINCE,
    "district": AreaKind.DISTRICT,
    "city": AreaKind.DISTRICT,
    "huyen": AreaKind.DISTRICT,
    "thanhpho": AreaKind.DISTRICT,
    "ward": AreaKind.WARD,
    "commune": AreaKind.WARD,
    "phuong": AreaKind.WARD,
    "xa": AreaKind.WARD,
    "residential_group": AreaKind.RESIDENTIAL_GROUP,
    "group": AreaKind.RESIDENTIAL_GROUP,
    "to": AreaKind.RESIDENTIAL_GROUP,
    "todanpho": AreaKind.RESIDENTIAL_GROUP,
    "thon": AreaKind.RESIDENTIAL_GROUP,
    "xom": AreaKind.RESIDENTIAL_GROUP,
}


def normalize_code(code: str) -> str:
    """Area codes are short, upper-case ASCII (they go into deep links and QR codes)."""
    cleaned = code.strip().upper()
    if not CODE_PATTERN.match(cleaned):
        raise InvalidInput("area-code-invalid", code=code)
    return cleaned


async def area_by_code(repo: AreaRepository, code: str) -> AreaDTO:
    """The area of a code as someone typed it (any case, stray spaces); NotFound
    "area-not-found" naming the code as typed when there is none."""
    area = await repo.get_by_code(normalize_code(code))
    if area is None:
        raise NotFound("area-not-found", code=code)
    return area


def parse_kind(value: str) -> AreaKind:
    key = value.strip().lower().replace(" ", "").replace("-", "_")
    kind = KIND_ALIASES.get(key)
    if kind is None:
        raise InvalidInput("area-kind-invalid", kind=value)
    return kind


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


class AreaService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def add(
        self,
        code: str,
        name: str,
        kind: AreaKind | str,
        parent_code: str | None = None,
        *,
        actor_user_id: int | None = None,
    ) -> AreaDTO:
        code = normalize_code(code)
        kind = kind if isinstance(kind, AreaKind) else parse_kind(kind)
        name = nfc(name.strip())
        if not name:
            raise InvalidInput("area-name-empty")
        async with transaction(self._sessions) as session:
            repo = AreaRepository(session)
            if await repo.get_by_code(code):
                raise InvalidInput("area-code-taken", code=code)
            parent = await self._parent(repo, kind, parent_code)
            area = await repo.add(code, name, kind, parent)
            await AuditRepository(session).add(
                "area.add",
                actor_user_id=actor_user_id,
                target_type="area",
                target_id=area.id,
                area_id=area.id,
                after={"code": code, "name": name, "kind": kind.value},
            )
            return area

    @staticmethod
    async def _parent(
        repo: AreaRepository, kind: AreaKind, parent_code: str | None
    ) -> AreaDTO | None:
        if parent_code is None or not parent_code.strip():
            if kind is not AreaKind.PROVINCE:
                raise InvalidInput("area-parent-required", kind=kind.value)
            return None
        parent = await area_by_code(repo, parent_code)
        if parent.kind.depth >= kind.depth:
            raise InvalidInput("area-parent-kind", kind=kind.value, parent_kind=parent.kind.value)
        return parent

    async def import_csv(self, text: str, *, actor_user_id: int | None = None) -> ImportResult:
        """Import ``code,name,kind,parent_code`` rows (header required; parents before
        children, or in any order: rows are retried until no progress). Existing codes get
        their name refreshed. All or nothing."""
        rows = list(csv.DictReader(io.StringIO(text)))
        missing = {"code", "name", "kind"} - set(rows[0].keys() if rows else [])
        if missing:
            raise InvalidInput("area-csv-header", columns=", ".join(sorted(missing)))
        created = updated = unchanged = 0
        async with transaction(self._sessions) as session:
            repo = AreaRepository(session)
            pending = list(enumerate(rows, start=2))
            while pending:
                progress = False
                waiting = []
                for line, row in pending:
                    code = normalize_code(row["code"] or "")
                    name = nfc((row["name"] or "").strip())
                    kind = parse_kind(row["kind"] or "")
                    parent_code = (row.get("parent_code") or row.get("parent") or "").strip()
                    existing = await repo.get_by_code(code)
                    if existing:
                        if existing.name != name and name:
                            await repo.rename(existing.id, name)
                            updated += 1
                        else:
                            unchanged += 1
                        progress = True
                        continue
                    if parent_code and await repo.get_by_code(normalize_code(parent_code)) is None:
                        waiting.append((line, row))
                        continue
                    parent = await self._parent(repo, kind, parent_code or None)
                    await repo.add(code, name, kind, parent)
                    created += 1
                    progress = True
                if not progress:
                    line, row = waiting[0]
                    raise NotFound("area-csv-parent", line=line, code=row.get("parent_code", ""))
                pending = waiting
            await AuditRepository(session).add(
                "area.import",
                actor_user_id=actor_user_id,
                after={"created": created, "updated": updated},
            )
        return ImportResult(created, updated, unchanged)

    async def get(self, code: str) -> AreaDTO:
        async with transaction(self._sessions) as session:
            return await area_by_code(AreaRepository(session), code)

    async def get_by_id(self, area_id: int) -> AreaDTO | None:
        async with transaction(self._sessions) as session:
            return await AreaRepository(session).get(area_id)

    async def children(self, parent_id: int | None) -> list[AreaDTO]:
        async with transaction(self._sessions) as session:
            return await AreaRepository(session).children(parent_id)

    async def all(self) -> list[AreaDTO]:
        async with transaction(self._sessions) as session:
            return await AreaRepository(session).all()

    async def lineage(self, area: AreaDTO) -> list[AreaDTO]:
        """The area and its ancestors, root first ("Nam Định › TP Nam Định › P. Thống Nhất")."""
        async with transaction(self._sessions) as session:
            return await AreaRepository(session).get_many(area.ancestor_ids)

    async def area_name(self, area_id: int | None) -> str | None:
        """The area's name as residents say it (its own name and the ward's), or None."""
        if area_id is None:
            return None
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            area = await areas.get(area_id)
            if area is None:
                return None
            return local_name(await areas.get_many(area.ancestor_ids))

    async def local_name_of(self, area: AreaDTO) -> str:
        """:func:`local_name`: a tổ dân phố with its ward ("Tổ dân phố 1, Phường Thống Nhất")."""
        return local_name(await self.lineage(area))


def local_name(lineage: Sequence[AreaDTO]) -> str:
    """An area as a resident names it: a tổ dân phố, thôn or xóm with its ward or commune
    ("Tổ dân phố 1, Phường Thống Nhất": there is a "Tổ dân phố 1" in every ward); a ward or
    anything larger by its own name. ``lineage``: the area's ancestors and itself, root first."""
    if not lineage:
        return ""
    area = lineage[-1]
    if area.kind is AreaKind.RESIDENTIAL_GROUP and len(lineage) > 1:
        return f"{area.name}, {lineage[-2].name}"
    return area.name


async def local_names(areas: AreaRepository, ids: Iterable[int]) -> dict[int, str]:
    """:func:`local_name` of many areas in two reads (the areas, then their parents)."""
    found = await areas.get_many(sorted(set(ids)))
    parent_ids = {a.parent_id for a in found if a.parent_id is not None}
    parents = {p.id: p for p in await areas.get_many(sorted(parent_ids))}
    return {
        a.id: local_name([parents[a.parent_id], a] if a.parent_id in parents else [a])
        for a in found
    }


UNIT_WORDS: dict[str, str] = {
    "Phường": "ward",
    "Xã": "commune",
    "Thị trấn": "township",
    "Đặc khu": "special-zone",
    "Quận": "district",
    "Huyện": "district",
    "Thị xã": "town",
    "Thành phố": "city",
    "Tỉnh": "province",
}
"""Words an area's name starts with that are common nouns after "Công an" ("Công an phường
Thống Nhất", not "Công an Phường Thống Nhất"), and the kind of unit each names, for the
English form ("Thống Nhất Ward")."""


def _unit_area(lineage: Sequence[AreaDTO]) -> AreaDTO | None:
    units = [a for a in lineage if a.kind.depth <= AreaKind.WARD.depth]
    return units[-1] if units else (lineage[-1] if lineage else None)


def police_unit_name(lineage: Sequence[AreaDTO]) -> str:
    """The police unit residents know for an area: its ward or commune (the nearest level at
    or above a ward), named to follow "Công an" ("phường Thống Nhất"). ``lineage``: the
    area's ancestors and itself, root first."""
    area = _unit_area(lineage)
    if area is None:
        return ""
    for word in UNIT_WORDS:
        if area.name.startswith(word + " "):
            return word.lower() + area.name[len(word) :]
    return area.name


def police_unit(lineage: Sequence[AreaDTO]) -> L10n | str:
    """:func:`police_unit_name` as a message argument named in the reader's language: "phường
    Thống Nhất" after "Công an", "Thống Nhất Ward" in English ("" without an area)."""
    area = _unit_area(lineage)
    if area is None:
        return ""
    kind, name = "other", area.name
    for word, unit_kind in UNIT_WORDS.items():
        if area.name.startswith(word + " "):
            kind, name = unit_kind, area.name[len(word) + 1 :]
            break
    return L10n("police-unit", {"vi": police_unit_name(lineage), "kind": kind, "name": name})


def describe_tree(areas: Iterable[AreaDTO]) -> list[str]:
    """One indented line per area, in tree order (areas must be sorted by path)."""
    return [f"{'  ' * (a.path.count('/') - 2)}{a.code}  {a.name}  [{a.kind.value}]" for a in areas]
