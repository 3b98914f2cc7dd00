"""Report categories: the "5 tự quản" of a tổ dân phố plus online fraud, as stable codes.

Codes are stored in ``reports.category`` and used by every feature (tips, statistics,
advisories); labels live in the catalogue as ``category-<code>`` (and ``category-<code>-hint``).
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    CRIME = "crime"
    """Tội phạm: trộm cắp, cướp giật, đánh nhau, cố ý gây thương tích..."""
    SOCIAL_EVILS = "social_evils"
    """Tệ nạn xã hội: ma túy, cờ bạc, mại dâm."""
    PROPERTY_FIRE = "property_fire"
    """Tài sản, cháy nổ."""
    ORDER = "order"
    """Trật tự giao thông, trật tự công cộng, trật tự đô thị."""
    REINTEGRATION = "reintegration"
    """Đối tượng tái hòa nhập cộng đồng (người chấp hành xong án phạt tù, cai nghiện...)."""
    ONLINE_FRAUD = "online_fraud"
    """Lừa đảo trực tuyến: gets the extra step for the scammer's phone/account/links."""
    OTHER = "other"

    @property
    def label_key(self) -> str:
        return f"category-{self.value}"

    @property
    def is_fraud(self) -> bool:
        return self is Category.ONLINE_FRAUD

    @property
    def police_only(self) -> bool:
        """Tips of this kind name neighbours (a suspect, a drug user, someone back from
        prison): only the police see them, never the moderators (volunteers who live next
        door), not even as a count."""
        return self in POLICE_ONLY


CATEGORIES: tuple[Category, ...] = tuple(Category)
"""Display order."""
POLICE_ONLY: frozenset[Category] = frozenset(
    {Category.CRIME, Category.SOCIAL_EVILS, Category.REINTEGRATION}
)


def is_police_only(code: str) -> bool:
    """For a stored category code; an unknown (old) code reads as "other", as everywhere."""
    return (parse_category(code) or Category.OTHER).police_only


def parse_category(value: str | None) -> Category | None:
    """None for an unknown code (a forged or outdated button)."""
    try:
        return Category(value or "")
    except ValueError:
        return None


def label_key(code: str) -> str:
    """Catalogue key of a stored category code; unknown codes read as "other"."""
    found = parse_category(code)
    return (found or Category.OTHER).label_key
