"""What the messages showing a tip are drawn from, read in the caller's transaction: an
officer's card (:func:`load_tip_card`, also what /hopthu opens) and the lines of a /hopthu
page as its tips are now (:func:`listing_entries`)."""

from __future__ import annotations

from services.areas import local_names
from services.inbox_model import HistoryLine, InboxEntry, InboxPage, TipCard
from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO
from storage.repositories.areas import AreaRepository
from storage.repositories.inbox import InboxRepository
from storage.repositories.indicators import IndicatorRepository
from storage.repositories.relay import RelayRepository
from storage.repositories.tips import TipRepository
from storage.repositories.users import UserRepository
from storage.uow import Session


async def load_tip_card(session: Session, report: ReportDTO, area: AreaDTO | None) -> TipCard:
    """Everything an officer's card shows of a tip (the caller has checked the rights)."""
    tips = TipRepository(session)
    lineage = await AreaRepository(session).get_many(area.ancestor_ids) if area else []
    history = await tips.history(report.id)
    users = UserRepository(session)
    names: dict[int, str] = {}
    for change in history:
        if change.actor_user_id is not None and change.actor_user_id not in names:
            actor = await users.get(change.actor_user_id)
            names[change.actor_user_id] = actor.display_name if actor else "?"
    attachments = await tips.attachments(report.id)
    inbox = InboxRepository(session)
    review = await inbox.open_review_ids([report.id])
    closing = (await inbox.review_closings([report.id])).get(report.id)
    indicators = await IndicatorRepository(session).links_of_report(report.id)
    relay = await RelayRepository(session).for_report(report.id)
    reporter_name = None
    if not report.anonymous and report.reporter_user_id is not None:
        reporter = await users.get(report.reporter_user_id)
        reporter_name = reporter.display_name if reporter else None
    return TipCard(
        report=report,
        lineage=tuple(lineage),
        history=tuple(
            HistoryLine(
                c.new_status,
                names.get(c.actor_user_id) if c.actor_user_id is not None else None,
                c.note,
                c.created_at,
            )
            for c in history
        ),
        attachments=tuple(attachments),
        needs_review=report.id in review,
        indicators=tuple(indicators),
        relay=tuple(relay),
        reporter_name=reporter_name,
        review_closing=closing,
    )


async def listing_entries(
    session: Session, report_ids: list[int]
) -> list[tuple[InboxEntry, AreaDTO | None]]:
    """The lines of a /hopthu page, in the order given, as the tips are now (each with its
    area, for the reader's rights); tips gone since are left out."""
    tips = TipRepository(session)
    reports = [r for r in [await tips.get(i) for i in report_ids] if r is not None]
    area_ids = {r.area_id for r in reports if r.area_id is not None}
    areas = {a.id: a for a in await AreaRepository(session).get_many(sorted(area_ids))}
    names = await local_names(AreaRepository(session), area_ids)
    inbox = InboxRepository(session)
    review = await inbox.open_review_ids([r.id for r in reports])
    closed = await inbox.review_closings([r.id for r in reports])
    return [
        (
            InboxEntry(
                r,
                names.get(r.area_id) if r.area_id is not None else None,
                r.id in review,
                r.id in closed,
            ),
            areas.get(r.area_id) if r.area_id is not None else None,
        )
        for r in reports
    ]


def listing_view(page: InboxPage) -> str:
    """What a /hopthu page was drawn from besides its tips (filter, page, counts)."""
    return f"{page.status}:{page.page}:{page.pages}:{page.total}:{page.category}"


def listing_page(view: str, entries: tuple[InboxEntry, ...]) -> InboxPage:
    status, page, pages, total, category = view.split(":", 4)
    return InboxPage(entries, int(page), int(pages), int(total), status, category)


__all__ = ["listing_entries", "listing_page", "listing_view", "load_tip_card"]
