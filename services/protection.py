"""Who group moderation never acts on: the moderators, police and admins of the group's area
(grants cover their subtree; super-admins everywhere).

One rule for every path that acts on a member — the direct commands (by reply or by @name), the
review queue's buttons, the automatic hide after N reports, the flood guard, join verification
and its timer. A report against a protected member is not for their peers to judge: it goes to
the police of the area (``MemberReports.flag_message``).
"""

from __future__ import annotations

from services.access import Profile
from services.users import UserService
from storage.dto import AreaDTO
from storage.models import Role


def shields(profile: Profile, area: AreaDTO) -> bool:
    """``profile`` is protected from moderation in groups of ``area``."""
    return profile.can(Role.MODERATOR, area)


class Protection:
    def __init__(self, users: UserService) -> None:
        self._users = users

    async def covers(self, telegram_id: int, area: AreaDTO) -> bool:
        """The member with this Telegram id is protected in groups of ``area``."""
        profile = await self._users.profile_by_telegram_id(telegram_id)
        return profile is not None and shields(profile, area)
