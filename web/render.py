"""Pages from Jinja2 templates, in the visitor's language, through the bot's own catalogue.

``t(key, **args)`` in a template is plain text, escaped by Jinja's autoescape like any value;
``tg(key, **args)`` renders a chat message (a service's refusal, "already handled by …"),
whose markup is the small set Telegram allows and whose arguments are escaped first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bot.i18n import t
from bot.message_args import html_args, plain_args
from services.categories import label_key
from services.errors import InvalidInput

TEMPLATES = Path(__file__).with_name("templates")
ENV_KEY = web.AppKey("jinja", Environment)
PAGE_HEADERS = {"Cache-Control": "no-store"}


def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Words:
    """The catalogue, bound to one language, as templates call it."""

    def __init__(self, locale: str, tz: ZoneInfo) -> None:
        self.locale = locale
        self._tz = tz

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    def t(self, key: str, /, **args: Any) -> str:
        return t(key, self.locale, **plain_args(args, self.locale))

    def tg(self, key: str, /, **args: Any) -> Markup:
        """A chat message's HTML (Telegram's tags only; arguments escaped)."""
        return Markup(t(key, self.locale, **html_args(args, self.locale)))

    def category(self, code: str) -> str:
        return t(label_key(code), self.locale)

    def status(self, value: str) -> str:
        return t(f"tip-status-{value}", self.locale)

    def when(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        return moment.astimezone(self._tz).strftime("%H:%M %d/%m/%Y")

    def day(self, moment: Any) -> str:
        return moment.strftime("%d/%m/%Y") if moment else ""

    def number(self, value: int | float) -> str:
        return format_decimal(value, format="#,##0.#", locale=self.locale)


def page(
    request: web.Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
) -> web.Response:
    env = request.app[ENV_KEY]
    html = env.get_template(template).render(**context)
    return web.Response(
        text=html, status=status, content_type="text/html", charset="utf-8", headers=PAGE_HEADERS
    )


EXPORT_FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_format(request: web.Request) -> str:
    """``format`` of an export link: csv (the default) or xlsx; anything else is refused."""
    fmt = request.query.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput("web-export-bad-format")
    return fmt


def download(name: str, content: str | bytes) -> web.Response:
    """A file to save: CSV text (with a byte-order mark, so that Excel reads it as UTF-8)
    or an XLSX workbook; ``name`` is reduced to plain ASCII for the header."""
    plain = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)
    is_csv = isinstance(content, str)
    return web.Response(
        body=("\ufeff" + content).encode("utf-8") if isinstance(content, str) else content,
        content_type="text/csv" if is_csv else XLSX,
        charset="utf-8" if is_csv else None,
        headers={
            "Content-Disposition": f'attachment; filename="{plain}"',
            "Cache-Control": "no-store",
        },
    )
