"""Duyệt: the moderators' review queue, as /duyet shows it in the chat: the open items per
area, then the cards (the chat's text, through the same catalogue entry) with the chat's
buttons, each posted to :meth:`services.review.ReviewService.act` like a button press. The
queue's service decides what a card says, so a moderator sees no more here than in the
chat: never who reported, never a police-only category."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.i18n import has
from services.errors import AnninhError, NotFound
from services.review import CALLBACK_PREFIX, NEXT_ACTION, ReviewCard
from services.text_input import whole_number
from web.app import console_of, visitor_of, words_of
from web.render import page

CARDS_PER_PAGE = 10
"""The chat shows one card after another; the page shows this many at once."""


def _actions(card: ReviewCard) -> list[tuple[str, str, Mapping[str, Any]]]:
    """(action, label key, its arguments) of the card's buttons, without the chat's "skip"."""
    found = []
    for row in card.buttons:
        for button in row:
            parts = (button.data or "").split(":")
            if len(parts) == 3 and parts[0] == CALLBACK_PREFIX and parts[2] != NEXT_ACTION:
                found.append((parts[2], button.label_key, button.label_args))
    return found


async def review_page(request: web.Request, *, error: AnninhError | None = None,
                      status: int = 200) -> web.Response:  # fmt: skip
    visitor = visitor_of(request)
    review = console_of(request).services.review
    overview = await review.overview(visitor.profile)
    cards: list[ReviewCard] = []
    card = overview.card
    # The chat's "skip" walks the queue and wraps around to its start: stop there.
    while card is not None and len(cards) < CARDS_PER_PAGE:
        if cards and card.item.id <= cards[-1].item.id:
            card = None
            break
        cards.append(card)
        card = await review.next_card(visitor.profile, after_id=card.item.id)
    if card is not None and card.item.id <= cards[-1].item.id:
        card = None
    done = request.query.get("done", "")
    w = words_of(request)
    return page(
        request,
        "review.html",
        {
            "w": w,
            "visitor": visitor,
            "overview": overview,
            "total": sum(c.count for c in overview.counts),
            "cards": [(c, w.tg(c.key, **c.args), _actions(c)) for c in cards],
            "more": card is not None,
            "done": done if has(f"review-action-{done}", w.locale) else "",
            "error": error,
            "nav": "review",
            "here": request.path,
        },
        status=status,
    )


async def review_act(request: web.Request) -> web.StreamResponse:
    """POST /review/<item>/act: one of the card's buttons (rights and state checked again)."""
    visitor = visitor_of(request)
    item_id = whole_number(request.match_info["item_id"][:12])
    if item_id is None:
        raise NotFound("review-item-missing")
    form = await request.post()
    action = str(form.get("action") or "")[:32]
    try:
        await console_of(request).services.review.act(visitor.profile, item_id, action)
    except AnninhError as exc:
        return await review_page(request, error=exc, status=409)
    raise web.HTTPSeeOther(f"/review?done={action}")


ROUTES = (
    ("GET", "/review", "review", review_page, "moderator", "/duyet"),
    ("POST", "/review/{item_id}/act", "review-act", review_act, "moderator", "rv:<action>"),
)
