"""What of residents' tips the moderators see: the one rule, for every path that could put a
tip in front of them.

Moderators are volunteers who live next door (often the tổ trưởng). They judge what a
neighbour can judge — spam, a flood of tips, a likely duplicate, a tip the police ask them to
look at — and nothing else:

- a tip enters their review queue only for one of :data:`MODERATOR_RULES`, never for being
  someone's first tip, and never when its category is police-only
  (:attr:`services.categories.Category.police_only`), whoever asks;
- what they are shown of a tip is its text and code, never who sent it;
- statistics a moderator reads leave the police-only categories out (not even counts);
- the audit log a moderator reads leaves out the police's work on tips (``report`` entries).

The police see everything of their areas, including what a moderator decided (the inbox marks
a tip a moderator rejected, and the police can restore it: ``services.inbox_actions``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from services.access import Profile
from services.categories import POLICE_ONLY, is_police_only
from services.review import enqueue_in
from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO
from storage.models import ReviewKind, Role
from storage.repositories.moderation import ReviewItemDTO
from storage.uow import Session

MODERATOR_RULES = ("flood", "many_links", "near_duplicate", "same_indicators", "officer")
"""Reasons a moderator can judge, in the order a card names them."""


def moderator_reasons(category: str, rules: Iterable[str]) -> tuple[str, ...]:
    """The reasons among ``rules`` for which this tip goes to the moderators (none: it stays
    with the police)."""
    if is_police_only(category):
        return ()
    wanted = set(rules)
    return tuple(rule for rule in MODERATOR_RULES if rule in wanted)


async def queue_for_moderators(
    session: Session,
    report: ReportDTO,
    rules: Iterable[str],
    details: Mapping[str, Any] | None = None,
) -> ReviewItemDTO | None:
    """Put the tip in the moderators' queue, inside the caller's transaction, if a reason
    allows it; None when it stays with the police."""
    reasons = moderator_reasons(report.category, rules)
    if not reasons:
        return None
    return await enqueue_in(
        session,
        kind=ReviewKind.REPORT,
        area_id=report.area_id,
        reason=reasons[0],
        report_id=report.id,
        text=report.text[:2000],
        details={**(details or {}), "rules": list(reasons), "code": report.code},
    )


def hidden_categories(profile: Profile | None, scope: Iterable[AreaDTO]) -> frozenset[str]:
    """Category codes left out of what ``profile`` reads about ``scope`` (statistics): the
    police-only ones unless they police all of it. ``profile`` None is the operator (CLI)."""
    if profile is None or all(profile.can(Role.POLICE, area) for area in scope):
        return frozenset()
    return frozenset(c.value for c in POLICE_ONLY)


def tip_log_paths(profile: Profile) -> list[str] | None:
    """Area paths whose tip entries (``report`` targets) ``profile`` may read in the audit
    log: where they are police (None: everywhere, a super-admin)."""
    if profile.is_superadmin:
        return None
    return [area.path for area in profile.areas_for(Role.POLICE)]
