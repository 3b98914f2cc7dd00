"""Keeping neighbourhood groups clean, in parts a moderator meets one at a time: member
reports (:mod:`services.moderation_reports`), warnings (:mod:`services.moderation_warnings`),
mutes and bans (:mod:`services.moderation_sanctions`), the flood guard
(:mod:`services.moderation_flood`) and the review queue's buttons for a flagged message
(:mod:`services.moderation_review`).

Rights: moderators (or police/admins, roles nest) of the group's area
(:class:`~services.moderation_targets.Targets`). Every action that changes something in a
group is written to the audit log *after* the platform accepted it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from services.groups import GroupService
from services.moderation_flood import FloodGuard
from services.moderation_model import GroupActions
from services.moderation_reports import MemberReports
from services.moderation_review import GroupMessageReview
from services.moderation_sanctions import Sanctions
from services.moderation_targets import GroupAudit, Targets
from services.moderation_warnings import Warnings
from services.police import PoliceNotices
from services.protection import Protection
from storage.uow import Sessions


@dataclass(frozen=True, slots=True)
class Moderation:
    """Group moderation's parts, each built with what it needs (bot/wiring.py)."""

    targets: Targets
    reports: MemberReports
    warnings: Warnings
    sanctions: Sanctions
    flood: FloodGuard
    review: GroupMessageReview

    @classmethod
    def build(
        cls,
        sessions: Sessions,
        groups: GroupService,
        actions: GroupActions,
        protection: Protection,
        police: PoliceNotices,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> Moderation:
        """The parts in the order they need each other; ``clock`` counts the flood window."""
        audit = GroupAudit(sessions)
        targets = Targets(sessions, groups, protection)
        warnings = Warnings(sessions, groups, actions, targets, audit)
        sanctions = Sanctions(groups, actions, targets, audit)
        return cls(
            targets=targets,
            reports=MemberReports(sessions, groups, actions, protection, police, audit),
            warnings=warnings,
            sanctions=sanctions,
            flood=FloodGuard(sessions, groups, actions, protection, audit, clock=clock),
            review=GroupMessageReview(groups, actions, targets, warnings, sanctions, audit),
        )
