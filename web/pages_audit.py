"""Nhật ký: the audit log of the officer's areas with filters (action, who, area, dates), and
its export as CSV or XLSX through the one formula-safe helper (services/spreadsheet.py).
Entries are those /nhatky shows, through :meth:`services.audit.AuditService.search`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.i18n import has
from services.audit import AuditEntryView, AuditFilter
from services.console_model import ConsoleFilter
from services.spreadsheet import csv_text, xlsx_bytes
from services.text_input import whole_number
from web.app import console_of, visitor_of, words_of
from web.render import Words, download, export_format, page

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """The page's filters as sent (kept for the form and the export link)."""

    dates: ConsoleFilter
    action: str
    actor: int | None

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> AuditQuery:
        action = "".join(c for c in (query.get("action") or "")[:64] if c.isalnum() or c in "._")
        raw_actor = (query.get("actor") or "").strip()[:12]
        return cls(
            ConsoleFilter.parse(query), action, whole_number(raw_actor) if raw_actor else None
        )

    def service_filter(self, tz: ZoneInfo) -> AuditFilter:
        return AuditFilter(
            action=self.action,
            actor_user_id=self.actor,
            area_id=self.dates.area_id or None,
            since=_start(self.dates.date_from, tz),
            until=_start(self.dates.date_to + timedelta(days=1), tz)
            if self.dates.date_to
            else None,
        )

    def params(self, **changes: object) -> dict[str, str]:
        found = {
            "action": self.action,
            "actor": str(self.actor) if self.actor is not None else "",
            "area": str(self.dates.area_id) if self.dates.area_id else "",
            "from": self.dates.date_from.isoformat() if self.dates.date_from else "",
            "to": self.dates.date_to.isoformat() if self.dates.date_to else "",
            **{k: str(v) for k, v in changes.items()},
        }
        return {k: v for k, v in found.items() if v}


def _start(day: date | None, tz: ZoneInfo) -> datetime | None:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC) if day else None


def action_label(w: Words, code: str) -> str:
    """An action code in words, as /nhatky says it (a newer code: the generic phrase)."""
    key = f"audit-action-{code.replace('.', '-')}"
    return w.t(key) if has(key, w.locale) else w.t("audit-action-other", action=code)


def actor_label(w: Words, entry: AuditEntryView) -> str:
    return (
        entry.actor_name
        if entry.actor_kind == "named"
        else w.t("audit-actor", kind=entry.actor_kind)
    )


async def audit_page(request: web.Request) -> web.Response:
    visitor = visitor_of(request)
    console = console_of(request)
    w = words_of(request)
    q = AuditQuery.parse(request.query)
    services = console.services
    found = await services.audit.search(
        visitor.profile, q.service_filter(console.config.tz), q.dates.page, page_size=PAGE_SIZE
    )
    choices = await services.audit.choices(visitor.profile)
    areas = await services.console_advisories.target_areas(visitor.profile)
    families = sorted({code.split(".", 1)[0] + "." for code in choices.actions})
    return page(
        request,
        "audit.html",
        {
            "w": w,
            "visitor": visitor,
            "q": q,
            "f": q.dates,
            "found": found,
            "choices": choices,
            "families": families,
            "areas": areas,
            "action_label": lambda code: action_label(w, code),
            "actor_label": lambda entry: actor_label(w, entry),
            "nav": "audit",
            "here": request.path_qs,
        },
    )


def export_rows(w: Words, entries: list[AuditEntryView]) -> list[list[object]]:
    header = [w.t(f"console-audit-col-{c}") for c in ("time", "action", "actor", "area", "target")]
    rows: list[list[object]] = [header]
    for e in entries:
        target = f"{e.target_type} {e.target_id}".strip()
        rows.append([e.when, action_label(w, e.action), actor_label(w, e), e.area, target])
    return rows


async def audit_export(request: web.Request) -> web.Response:
    """GET /audit/export?format=csv|xlsx&<the page's filters>: every matching entry."""
    visitor = visitor_of(request)
    console = console_of(request)
    fmt = export_format(request)
    q = AuditQuery.parse(request.query)
    entries = await console.services.audit.entries(
        visitor.profile, q.service_filter(console.config.tz)
    )
    rows = export_rows(words_of(request), entries)
    stamp = datetime.now(UTC).astimezone(console.config.tz).strftime("%Y%m%d-%H%M")
    name = f"nhatky-{stamp}.{fmt}"
    if fmt == "csv":
        return download(name, csv_text(rows))
    return download(name, xlsx_bytes(rows, words_of(request).t("console-nav-audit")))


ROUTES = (
    ("GET", "/audit", "audit", audit_page, "console", "/nhatky"),
    ("GET", "/audit/export", "audit-export", audit_export, "console", "/nhatky"),
)
