"""Cảnh báo: compose an advisory (the chat composer's steps as one form, then its preview),
the calendar of scheduled ones, each run's per-group delivery report, and retracting after a
confirmation. The rules are the chat's, through :mod:`services.console_advisories`."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from services.console_advisories import WHEN_CHOICES, ComposeInput, month_of
from services.errors import AnninhError, NotFound, PermissionDenied
from services.schedule_text import Schedule, describe
from services.text_input import whole_number
from web.app import console_of, visitor_of, words_of
from web.render import Words, page

WEEKDAYS = tuple(range(7))


def _describe(w: Words, schedule: Schedule) -> str:
    return describe(schedule, w.tz, lambda key, **args: w.t(key, **args))


def _plain(telegram_html: str) -> str:
    """The officer's text without its Telegram markup (the page escapes it as text)."""
    return html.unescape(re.sub(r"<[^>]+>", "", telegram_html))


def _advisory_id(request: web.Request) -> int:
    value = whole_number(request.match_info["advisory_id"][:9])
    if value is None:
        raise NotFound("adv-not-found", id=request.match_info["advisory_id"][:12])
    return value


def _common(request: web.Request, **more: Any) -> dict[str, Any]:
    w = words_of(request)
    return {
        "w": w,
        "visitor": visitor_of(request),
        "nav": "advisories",
        "here": request.path_qs,
        "describe": lambda schedule: _describe(w, schedule),
        **more,
    }


async def calendar_page(request: web.Request) -> web.Response:
    """GET /advisories?month=YYYY-MM: the month grid and the advisories /lichphat lists."""
    visitor = visitor_of(request)
    console = console_of(request)
    today = datetime.now(UTC).astimezone(console.config.tz).date()
    month = month_of(request.query.get("month", "")[:7], today)
    calendar = await console.services.console_advisories.calendar(visitor.profile, month)
    return page(
        request,
        "advisories.html",
        _common(request, calendar=calendar, today=today, weekdays=WEEKDAYS),
    )


async def compose_page(request: web.Request) -> web.Response:
    """GET /advisories/new: the composer's form."""
    return await _form(request, ComposeInput())


async def _form(
    request: web.Request, form: ComposeInput, *, error: AnninhError | None = None
) -> web.Response:
    visitor = visitor_of(request)
    choices = await console_of(request).services.console_advisories.choices(visitor.profile)
    return page(
        request,
        "advisory_compose.html",
        _common(
            request, form=form, choices=choices, whens=WHEN_CHOICES, weekdays=WEEKDAYS, error=error
        ),
        status=403 if isinstance(error, PermissionDenied) else 400 if error is not None else 200,
    )


async def compose_post(request: web.Request) -> web.StreamResponse:
    """POST /advisories/new: ``step=preview`` shows what residents will get; ``step=send``
    stores it (checked again) and opens its page."""
    visitor = visitor_of(request)
    service = console_of(request).services.console_advisories
    posted = await request.post()
    form = ComposeInput.parse(
        lambda name: str(posted.get(name) or ""),
        lambda name: [str(v) for v in posted.getall(name, [])],
    )
    if posted.get("step") == "edit":
        return await _form(request, form)
    try:
        if posted.get("step") == "send":
            advisory = await service.send(visitor.profile, form)
            done = "sending" if form.when == "now" else "created"
            raise web.HTTPSeeOther(f"/advisories/{advisory.id}?done={done}")
        composed = await service.compose(visitor.profile, form)
    except AnninhError as exc:
        return await _form(request, form, error=exc)
    w = words_of(request)
    return page(
        request,
        "advisory_preview.html",
        _common(
            request,
            form=form,
            composed=composed,
            message=w.tg(composed.message.key, **composed.message.args),
            when=w.t("adv-when-now-text")
            if composed.now
            else _describe(w, composed.draft.schedule),
        ),
    )


async def advisory_page(request: web.Request) -> web.Response:
    """GET /advisories/<id>: the advisory, its schedule and each run's per-group report."""
    visitor = visitor_of(request)
    service = console_of(request).services.console_advisories
    report = await service.report(visitor.profile, _advisory_id(request))
    done = request.query.get("done", "")
    return page(
        request,
        "advisory.html",
        _common(
            request,
            report=report,
            a=report.line.advisory,
            body=_plain(report.line.advisory.text),
            done=done if done in ("created", "sending", "retracted") else "",
            deleted=whole_number(request.query.get("deleted", "")[:6]),
            total=whole_number(request.query.get("total", "")[:6]),
        ),
    )


async def retract_confirm(request: web.Request) -> web.Response:
    """GET /advisories/<id>/retract: what a retraction will do; nothing changes yet."""
    visitor = visitor_of(request)
    service = console_of(request).services.console_advisories
    advisory_id = _advisory_id(request)
    report = await service.report(visitor.profile, advisory_id)
    copies = await service.reach(visitor.profile, advisory_id)
    return page(
        request,
        "advisory_retract.html",
        _common(request, report=report, a=report.line.advisory, copies=copies),
    )


async def retract(request: web.Request) -> web.StreamResponse:
    """POST /advisories/<id>/retract: delete every copy and stop a run still sending."""
    visitor = visitor_of(request)
    service = console_of(request).services.console_advisories
    advisory_id = _advisory_id(request)
    result = await service.retract(visitor.profile, advisory_id)
    raise web.HTTPSeeOther(
        f"/advisories/{advisory_id}?done=retracted&deleted={result.deleted}&total={result.total}"
    )


ROUTES = (
    ("GET", "/advisories", "advisories", calendar_page, "console", "/lichphat"),
    ("GET", "/advisories/new", "advisory-new", compose_page, "console", "/phatcanhbao"),
    ("POST", "/advisories/new", "advisory-compose", compose_post, "console", "/phatcanhbao"),
    ("GET", "/advisories/{advisory_id}", "advisory", advisory_page, "area police", "/thuhoi"),
    ("GET", "/advisories/{advisory_id}/retract", "advisory-retract-confirm", retract_confirm,
     "area police", "/thuhoi"),
    ("POST", "/advisories/{advisory_id}/retract", "advisory-retract", retract, "area police",
     "/thuhoi"),
)  # fmt: skip
