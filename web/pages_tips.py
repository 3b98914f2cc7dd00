"""Hộp thư (the inbox) and Tin báo (one tip): the pages, the card's actions and the media.

Every action is one of the chat card's buttons, sent to the same service call the button
makes (:meth:`services.inbox_actions.InboxActions.act`, the relay's question, the thanks), so the
same rights, states and versions hold; a refusal is shown as the chat would word it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from services.access import Profile
from services.console_model import CATEGORY_CODES, STATUS_FILTERS, ConsoleFilter
from services.errors import AnninhError, InvalidInput, NotFound
from services.text_input import clip, has_visible, whole_number
from web.app import console_of, visitor_of, words_of
from web.auth import safe_next
from web.media import MediaUnavailable
from web.render import page

NOTE_LIMIT = 1000
PAGE_ACTIONS = ("verify", "handled", "reject", "escalate", "reply", "scam", "review", "helpful")
"""What the page's forms may post (``handled`` without a note is the chat's ``nonote``)."""
DONE_KEYS = {
    "verify": "web-done-verify",
    "handled": "web-done-handled",
    "reject": "web-done-reject",
    "escalate": "web-done-escalate",
    "reply": "web-done-reply",
    "scam": "web-done-scam",
    "review": "web-done-review",
    "helpful": "web-done-helpful",
}


def _report_id(request: web.Request) -> int:
    value = whole_number(request.match_info["report_id"][:9])
    if value is None:
        raise NotFound("tipact-not-found")
    return value


async def inbox_page(request: web.Request) -> web.Response:
    visitor = visitor_of(request)
    f = ConsoleFilter.parse(request.query)
    result = await console_of(request).services.console.inbox(visitor.profile, f)
    context = {
        "w": words_of(request),
        "visitor": visitor,
        "result": result,
        "f": result.filter,
        "statuses": STATUS_FILTERS,
        "categories": CATEGORY_CODES,
        "nav": "inbox",
        "here": request.path_qs,
    }
    template = "inbox_results.html" if request.headers.get("HX-Request") else "inbox.html"
    return page(request, template, context)


async def tip_page(request: web.Request, *, notice: str | None = None, error: object = None,
                   status: int = 200) -> web.Response:  # fmt: skip
    visitor = visitor_of(request)
    tip = await console_of(request).services.console.tip(visitor.profile, _report_id(request))
    done = request.query.get("done")
    return page(
        request,
        "tip.html",
        {
            "w": words_of(request),
            "visitor": visitor,
            "tip": tip,
            "card": tip.card,
            "r": tip.card.report,
            "actions": {a.action: a.version for a in tip.actions},
            "notice": notice or (DONE_KEYS.get(done) if done else None),
            "error": error,
            "tile_url": console_of(request).config.tile_url,
            "nav": "inbox",
        },
        status=status,
    )


async def tip_act(request: web.Request) -> web.StreamResponse:
    """POST /tips/<id>/act: one of the card's actions."""
    visitor = visitor_of(request)
    services = console_of(request).services
    report_id = _report_id(request)
    form = await request.post()
    action = str(form.get("action") or "")
    version = whole_number(str(form.get("version") or "")[:9])
    note = clip(str(form.get("note") or ""), NOTE_LIMIT).text.strip()
    back = safe_next(str(form.get("next") or ""), f"/tips/{report_id}")
    profile = visitor.profile
    try:
        if action not in PAGE_ACTIONS:
            raise InvalidInput("tipact-unknown")
        if action == "reply":
            if not has_visible(note):
                raise InvalidInput("web-question-empty")
            reply = await services.relay.ask_from_console(profile, report_id, note)
            if reply.key not in ("relay-question-sent", "relay-question-queued"):
                raise InvalidInput(reply.key, **reply.args)
        elif action == "helpful":
            await services.recognition.mark_helpful(report_id, profile)
        elif action == "reject" and not has_visible(note):
            raise InvalidInput("web-reason-empty")
        else:
            chat_action = "nonote" if action == "handled" and not has_visible(note) else action
            await services.inbox_actions.act(
                profile,
                chat_action,
                report_id,
                version,
                note=note or None,
                chat_id=profile.user.telegram_id or 0,
            )
    except AnninhError as exc:
        return await tip_page(request, error=exc, status=409 if action else 400)
    separator = "&" if "?" in back else "?"
    raise web.HTTPSeeOther(f"{back}{separator}done={action}")


async def tip_media(request: web.Request) -> web.StreamResponse:
    """GET /tips/<id>/media/<n>: a photo, video or voice of the tip."""
    console = console_of(request).services.console
    return await _serve_numbered(request, "index", 4, console.attachment)


async def relay_media(request: web.Request) -> web.StreamResponse:
    """GET /tips/<id>/relay/<relay id>/media: a photo sent in the tip's relay thread."""
    console = console_of(request).services.console
    return await _serve_numbered(request, "relay_id", 9, console.relay_media)


async def _serve_numbered(
    request: web.Request,
    part: str,
    digits: int,
    locate: Callable[[Profile, int, int], Awaitable[tuple[str, str]]],
) -> web.StreamResponse:
    """The file ``locate`` finds for the visitor from the tip's id and the number in the
    path's ``part`` (at most ``digits`` digits read)."""
    profile = visitor_of(request).profile
    number = whole_number(request.match_info[part][:digits])
    if number is None:
        raise NotFound("web-media-not-found")
    kind, file_id = await locate(profile, _report_id(request), number)
    return await _serve(request, kind, file_id)


async def _serve(request: web.Request, kind: str, file_id: str) -> web.StreamResponse:
    try:
        data, content_type = await console_of(request).files.fetch(kind, file_id)
    except MediaUnavailable:
        raise NotFound("web-media-unavailable") from None
    return web.Response(
        body=data,
        content_type=content_type,
        headers={"Cache-Control": "private, max-age=3600", "Content-Disposition": "inline"},
    )
