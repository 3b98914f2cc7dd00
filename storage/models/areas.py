"""The area tree: tỉnh → huyện/thành phố → phường/xã → tổ dân phố/thôn/xóm."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, CreatedAtMixin
from storage.types import NFCString, str_enum


class AreaKind(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    WARD = "ward"
    RESIDENTIAL_GROUP = "residential_group"

    @property
    def depth(self) -> int:
        return list(AreaKind).index(self)


class Area(CreatedAtMixin, Base):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(NFCString(200))
    kind: Mapped[AreaKind] = mapped_column(str_enum(AreaKind, 24))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="RESTRICT"), index=True
    )
    path: Mapped[str] = mapped_column(String(255))
    """Materialised path of ids, "/1/5/23/": "is X inside Y" is a prefix test, one index scan
    (on PostgreSQL through the pattern operator class of ``ix_areas_path``, migration 0022:
    a LIKE prefix cannot use a plain index under a non-C collation)."""

    __table_args__ = (
        Index("ix_areas_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )
