"""Areas and their tree."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import AreaDTO
from storage.hotpath import HotPath, Statement
from storage.models import Area, AreaKind
from storage.types import is_row_id


def to_dto(area: Area) -> AreaDTO:
    return AreaDTO(
        id=area.id,
        code=area.code,
        name=area.name,
        kind=area.kind,
        parent_id=area.parent_id,
        path=area.path,
    )


@functools.lru_cache(maxsize=32)
def _areas_by_ids(count: int) -> Statement:
    marks = ", ".join(f":a{i}" for i in range(count))
    return Statement.of(
        f"SELECT id, code, name, kind, parent_id, path FROM areas WHERE id IN ({marks})"
    )


async def read_areas(hot: HotPath, ids: Sequence[int]) -> list[AreaDTO]:
    """Areas by id (in the order asked, unknown ids left out), in one read."""
    unique = list(dict.fromkeys(ids))
    if not unique:
        return []
    rows = await hot.fetch(
        _areas_by_ids(len(unique)), **{f"a{i}": v for i, v in enumerate(unique)}
    )
    by_id = {r[0]: AreaDTO(r[0], r[1], r[2], AreaKind(r[3]), r[4], r[5]) for r in rows}
    return [by_id[i] for i in unique if i in by_id]


def under_any(paths: list[str] | None) -> Any:
    """A condition on ``Area`` (joined by the caller): the area lies under one of ``paths``
    (None: anywhere; an empty list: nowhere)."""
    if paths is None:
        return True
    if not paths:
        return False
    return or_(*(Area.path.startswith(p) for p in paths))


class AreaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, code: str, name: str, kind: AreaKind, parent: AreaDTO | None) -> AreaDTO:
        area = Area(code=code, name=name, kind=kind, parent_id=parent.id if parent else None)
        area.path = ""  # the id is needed for the path: flush first, then fill it in
        self._session.add(area)
        await self._session.flush()
        area.path = f"{parent.path if parent else '/'}{area.id}/"
        await self._session.flush()
        return to_dto(area)

    async def rename(self, area_id: int, name: str) -> AreaDTO:
        area = await self._session.get_one(Area, area_id)
        area.name = name
        await self._session.flush()
        return to_dto(area)

    async def get(self, area_id: int) -> AreaDTO | None:
        if not is_row_id(area_id):
            return None
        area = await self._session.get(Area, area_id)
        return to_dto(area) if area else None

    async def get_by_code(self, code: str) -> AreaDTO | None:
        area = await self._session.scalar(select(Area).where(Area.code == code))
        return to_dto(area) if area else None

    async def get_many(self, ids: Sequence[int]) -> list[AreaDTO]:
        ids = [i for i in ids if is_row_id(i)]
        if not ids:
            return []
        rows = await self._session.scalars(select(Area).where(Area.id.in_(ids)))
        by_id = {a.id: to_dto(a) for a in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def children(self, parent_id: int | None) -> list[AreaDTO]:
        if parent_id is not None and not is_row_id(parent_id):
            return []
        query = select(Area).where(
            Area.parent_id.is_(None) if parent_id is None else Area.parent_id == parent_id
        )
        rows = await self._session.scalars(query.order_by(Area.name))
        return [to_dto(a) for a in rows]

    async def subtree(self, root: AreaDTO) -> list[AreaDTO]:
        rows = await self._session.scalars(
            select(Area).where(Area.path.startswith(root.path)).order_by(Area.path)
        )
        return [to_dto(a) for a in rows]

    async def all(self) -> list[AreaDTO]:
        rows = await self._session.scalars(select(Area).order_by(Area.path))
        return [to_dto(a) for a in rows]

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count(Area.id))) or 0)
