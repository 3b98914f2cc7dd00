"""Tips that need a second look: screening rules on arrival, and the moderator's decisions in
the shared review queue (:mod:`services.review`, kind ``report``).

Flagged tips still reach the police at once, marked "cần kiểm duyệt" in the inbox; a moderator
approves (the mark goes), rejects (the tip is closed and the reporter thanked politely), merges
it into the tip it repeats (closed as a duplicate, its photos and scam indicators linked to the
kept tip) or escalates it to the area above.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rapidfuzz import fuzz

from services.access import Profile
from services.categories import is_police_only
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.inbox_actions import InboxActions
from services.ports import L10n, OutgoingMessage
from services.reach import PersonReacher
from services.review import ReviewAction, ReviewKindSpec
from services.tip_card_tracker import CardTracker, UntrackedCards
from services.tip_exposure import MODERATOR_RULES, queue_for_moderators
from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO
from storage.models import ReportStatus, ReviewKind, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.inbox import OPEN_STATUSES, InboxRepository
from storage.repositories.moderation import ReviewItemDTO
from storage.repositories.tips import StaleReport, TipRepository
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)

Translate = Callable[..., str]
"""``translate(key, locale, **args)``: the catalogue, injected by the composition root."""

LINKS_FOR_REVIEW = 3
DUPLICATE_SCORE = 85.0
"""rapidfuzz token_sort_ratio (0–100) on accent-stripped text from which two tips of the same
area count as the same event told twice."""
DUPLICATE_MIN_CHARS = 20
"""Very short tips ("có trộm") look alike without being the same event."""
DUPLICATE_WINDOW = timedelta(days=30)
FLOOD_TIPS = 3
FLOOD_WINDOW = timedelta(hours=1)
"""This many tips from one person within the window (this one included) look like a flood."""
DESCRIBED = ("first_tip", *MODERATOR_RULES)
"""Reasons a card can name (``first_tip`` only on items queued before it stopped being one)."""

_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|vn|net|org|info|xyz|top|io|me|link|site"
    r"|online|shop|club|ly|cc|co|app)\b(?:/\S*)?",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """Lower case without Vietnamese accents ("Trộm cắp ở Đường" → "trom cap o duong")."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


def similarity(a: str, b: str) -> float:
    return float(fuzz.token_sort_ratio(fold(a), fold(b)))


@dataclass(frozen=True, slots=True)
class Screening:
    rules: tuple[str, ...]
    duplicate_of: ReportDTO | None = None

    @property
    def flagged(self) -> bool:
        return bool(self.rules)


class TipReviewService:
    def __init__(
        self,
        sessions: Sessions,
        reacher: PersonReacher,
        inbox: InboxActions,
        translate: Translate,
        *,
        default_language: str,
        cards: CardTracker | None = None,
    ) -> None:
        self._cards = cards or UntrackedCards()
        self._sessions = sessions
        self._reacher = reacher
        self._inbox = inbox
        self._t = translate
        self._default_language = default_language

    # -- on arrival ---------------------------------------------------------------------------
    async def screen(self, report_id: int) -> Screening:
        """Apply the rules to a stored tip and queue it for review when one matches."""
        async with transaction(self._sessions) as session:
            repo = InboxRepository(session)
            report = await repo.get(report_id)
            if report is None:
                return Screening(())
            rules: list[str] = []
            duplicate: ReportDTO | None = None
            reporter_id = report.reporter_user_id
            if reporter_id is not None:
                since = report.created_at - FLOOD_WINDOW
                recent = await TipRepository(session).count_by_reporter_since(reporter_id, since)
                if recent >= FLOOD_TIPS:
                    rules.append("flood")
            if count_links(f"{report.text}\n{report.fraud_details or ''}") >= LINKS_FOR_REVIEW:
                rules.append("many_links")
            if len(fold(report.text)) >= DUPLICATE_MIN_CHARS:
                since = report.created_at - DUPLICATE_WINDOW
                best: tuple[float, ReportDTO] | None = None
                for other in await repo.open_in_area(
                    report.area_id, exclude_id=report.id, since=since
                ):
                    score = similarity(report.text, other.text)
                    if score >= DUPLICATE_SCORE and (best is None or score > best[0]):
                        best = (score, other)
                if best is not None:
                    rules.append("near_duplicate")
                    duplicate = best[1]
            shared = await repo.sharing_indicators(report.id, report.area_id)
            if shared:
                rules.append("same_indicators")
                duplicate = duplicate or shared[0]
            queued = None
            if rules and not await repo.open_review_ids([report.id]):
                details: dict[str, Any] = {}
                if duplicate is not None:
                    details["duplicate_of"] = duplicate.id
                    details["duplicate_code"] = duplicate.code
                queued = await queue_for_moderators(session, report, rules, details)
        if queued is not None:
            logger.info("report %s queued for review (%s)", report_id, ",".join(rules))
        return Screening(tuple(rules) if queued else (), duplicate if queued else None)

    # -- the shared review queue ------------------------------------------------------------
    def spec(self) -> ReviewKindSpec:
        return ReviewKindSpec(
            kind=ReviewKind.REPORT,
            role=Role.MODERATOR,
            describe=self.describe,
            actions=tuple(
                ReviewAction(name, f"inbox-review-button-{name}", run, check=self._may_decide)
                for name, run in (
                    ("approve", self._approve),
                    ("reject", self._reject),
                    ("merge", self._merge),
                    ("escalate", self._escalate),
                )
            ),
        )

    @staticmethod
    def describe(item: ReviewItemDTO, area: AreaDTO | None) -> tuple[str, Mapping[str, Any]]:
        rules = {str(r) for r in item.details.get("rules") or [item.reason]}
        duplicate = item.details.get("duplicate_code")
        # "a; b; c": each reason is a catalogue entry, joined by the catalogue's own list.
        reasons: L10n | None = None
        for rule in reversed([r for r in DESCRIBED if r in rules]):
            head = L10n(f"inbox-review-rule-{rule}")
            reasons = (
                head
                if reasons is None
                else L10n("inbox-review-rule-list", {"first": head, "rest": reasons})
            )
        return "inbox-review-card", {
            "code": str(item.details.get("code") or item.report_id or "?"),
            "area": area.name if area else L10n("inbox-review-area-unknown"),
            "reasons": reasons or L10n("inbox-review-none"),
            "duplicate": str(duplicate) if duplicate else L10n("inbox-review-none"),
            "text": item.text[:1500],
        }

    async def _may_decide(self, actor: Profile, item: ReviewItemDTO) -> None:
        """A police-only tip is never the moderators' to decide on, even if an item about it
        is still around (queued before the rule): only the police of its area may."""
        report = await self._report_of(item)
        if not is_police_only(report.category):
            return
        async with transaction(self._sessions) as session:
            area = await AreaRepository(session).get(report.area_id) if report.area_id else None
        if not (actor.is_superadmin or (area is not None and actor.can(Role.POLICE, area))):
            raise PermissionDenied("review-denied")

    async def _report_of(self, item: ReviewItemDTO) -> ReportDTO:
        if item.report_id is None:
            raise NotFound("inbox-review-report-missing")
        async with transaction(self._sessions) as session:
            report = await TipRepository(session).get(item.report_id)
        if report is None:
            raise NotFound("inbox-review-report-missing")
        return report

    async def _approve(self, actor: Profile, item: ReviewItemDTO) -> None:
        await self._report_of(item)  # closing the item is the approval (the mark goes away)
        self._cards.changed(item.report_id)

    async def _reject(self, actor: Profile, item: ReviewItemDTO) -> None:
        report = await self._report_of(item)
        note = self._t("inbox-review-note-rejected", self._default_language)
        await self._close(actor, report, note, "inbox-review-reporter-rejected", {})

    async def _merge(self, actor: Profile, item: ReviewItemDTO) -> None:
        report = await self._report_of(item)
        kept_id = item.details.get("duplicate_of")
        if not isinstance(kept_id, int):
            raise InvalidInput("inbox-review-merge-no-target")
        async with transaction(self._sessions) as session:
            kept = await TipRepository(session).get(kept_id)
        if kept is None or kept.id == report.id:
            raise InvalidInput("inbox-review-merge-no-target")
        note = self._t("inbox-review-note-duplicate", self._default_language, code=kept.code)
        await self._close(
            actor,
            report,
            note,
            "inbox-review-reporter-merged",
            {"kept": kept.code},
            merge_into=kept,
        )

    async def _escalate(self, actor: Profile, item: ReviewItemDTO) -> None:
        report = await self._report_of(item)
        if report.status not in OPEN_STATUSES:
            raise InvalidInput("inbox-review-report-closed", code=report.code)
        async with transaction(self._sessions) as session:
            area = await AreaRepository(session).get(report.area_id) if report.area_id else None
        await self._inbox.escalate(actor, report, report.version, area)

    async def _close(
        self,
        actor: Profile,
        report: ReportDTO,
        note: str,
        reporter_key: str,
        reporter_args: dict[str, Any],
        *,
        merge_into: ReportDTO | None = None,
    ) -> None:
        """Close the tip as rejected (a moderator need not hold police rights for that) and
        tell the reporter politely in their language."""
        if report.status not in OPEN_STATUSES:
            raise InvalidInput("inbox-review-report-closed", code=report.code)
        try:
            async with transaction(self._sessions) as session:
                repo = TipRepository(session)
                changed = await repo.set_status(report.id, ReportStatus.REJECTED, report.version)
                if changed is None:
                    raise NotFound("inbox-review-report-missing")
                before, after = changed
                await repo.add_status_change(
                    report.id, before.status, ReportStatus.REJECTED, actor.user.id, note
                )
                linked = None
                if merge_into is not None:
                    linked = await InboxRepository(session).link_to_kept(report.id, merge_into.id)
                await AuditRepository(session).add_for_report(
                    "report.merge" if merge_into else "report.review_reject",
                    report,
                    actor_user_id=actor.user.id,
                    before={"status": before.status.value, "version": before.version},
                    after={
                        "status": ReportStatus.REJECTED.value,
                        "version": after.version,
                        "kept": merge_into.id if merge_into else None,
                        "linked": list(linked) if linked else None,
                    },
                )
                notice = await self._reacher.store(
                    session,
                    report.reporter_user_id,
                    OutgoingMessage(reporter_key, {"code": report.code, **reporter_args}),
                    what="tip-closed-by-review",
                    report_id=report.id,
                )
        except StaleReport:
            raise InvalidInput("inbox-review-report-closed", code=report.code) from None
        await self._reacher.deliver(notice)
        self._cards.changed(report.id)
        logger.info("report %s closed by review", report.id)
