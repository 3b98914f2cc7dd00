"""The console's aiohttp application: its configuration, the guard every request passes
(signed in, rights read afresh, CSRF on every POST, security headers), and starting it in the
bot's own event loop (``anninh run`` with WEB_PORT, ``anninh demo``) or alone (``anninh web``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.webhook import SHUTDOWN_GRACE_S
from services.access import Profile
from services.errors import (
    AnninhError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StorageUnavailable,
)
from services.web_signin import MODERATOR_SIDE, POLICE_SIDE, Visitor, console_side
from web.media import FileSource
from web.render import ENV_KEY, Words, environment, page

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.wiring import Services

logger = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
SESSION_COOKIE = "anninh_session"
PRE_LOGIN_COOKIE = "anninh_pre"
MAX_BODY = 64 * 1024
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class ConsoleConfig:
    base_url: str
    tile_url: str
    tile_attribution: str
    login_widget: bool
    bot_username: str | None
    bot_token: str | None
    """Only to check Telegram Login Widget data; never written into a page or a URL."""
    tz: ZoneInfo
    default_language: str
    demo: bool = False
    """The demo's "open the console" shortcut (``/demo/enter/<id>``) exists only then."""

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def tile_origin(self) -> str:
        parts = urlsplit(self.tile_url.replace("{s}", "*"))
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""

    @classmethod
    def from_settings(
        cls, settings: Settings, *, bot_username: str | None, demo: bool = False
    ) -> ConsoleConfig:
        return cls(
            base_url=settings.console_url or "http://127.0.0.1",
            tile_url=settings.web_tile_url,
            tile_attribution=settings.web_tile_attribution,
            login_widget=settings.web_login_widget,
            bot_username=bot_username or settings.bot_username,
            bot_token=settings.bot_token.get_secret_value() if settings.bot_token else None,
            tz=settings.tz,
            default_language=settings.default_language,
            demo=demo,
        )


@dataclass(frozen=True)
class Console:
    """What the pages use: the services (never storage), media and the configuration."""

    services: Services
    files: FileSource
    config: ConsoleConfig


CONSOLE_KEY = web.AppKey("console", Console)


def console_of(request: web.Request) -> Console:
    return request.app[CONSOLE_KEY]


VISITOR_KEY = web.RequestKey("visitor", Visitor)
WORDS_KEY = web.RequestKey("words", Words)


def visitor_of(request: web.Request) -> Visitor:
    visitor = request.get(VISITOR_KEY)
    if visitor is None:  # the guard lets no such request through; a bug otherwise
        raise web.HTTPUnauthorized()
    return visitor


def words_of(request: web.Request) -> Words:
    words = request.get(WORDS_KEY)
    if words is None:
        config = console_of(request).config
        words = Words(config.default_language, config.tz)
    return words


SIDES_KEY = web.AppKey("sides", dict)
"""Route name -> whose it is (``Route.who`` in web/routes.py)."""
SIDE_OF_WHO = {"console": POLICE_SIDE, "area police": POLICE_SIDE, "moderator": MODERATOR_SIDE}
SIDE_REFUSAL = {POLICE_SIDE: "web-police-only", MODERATOR_SIDE: "web-moderators-only"}


def home_of(visitor: Visitor | None) -> str:
    """Where a signed-in person starts: the inbox for the police, the queue for moderators."""
    return home_for(visitor.profile) if visitor is not None else "/inbox"


def home_for(profile: Profile) -> str:
    return "/review" if console_side(profile) == MODERATOR_SIDE else "/inbox"


PUBLIC_ROUTES = frozenset(
    {"login", "login-link", "login-open", "login-widget", "demo-enter", "static", "health"}
)
"""Routes that serve someone not signed in (sign-in itself, files, the health check)."""


def _security_headers(response: web.StreamResponse, config: ConsoleConfig) -> None:
    images = " ".join(x for x in ("'self'", "data:", config.tile_origin) if x)
    # Telegram's Login Widget is the one script (and frame) from elsewhere, and only when on.
    widget = " https://telegram.org" if config.login_widget else ""
    frames = "https://oauth.telegram.org" if config.login_widget else "'none'"
    response.headers.setdefault(
        "Content-Security-Policy",
        f"default-src 'self'; script-src 'self'{widget}; img-src {images}; "
        f"style-src 'self' 'unsafe-inline'; frame-src {frames}; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # A sign-in link's token must not travel on to the map tiles in a Referer header.
    response.headers.setdefault("Referrer-Policy", "no-referrer")


async def _csrf_sent(request: web.Request) -> str | None:
    header = request.headers.get("X-CSRF-Token")
    if header:
        return header
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        value = form.get("csrf")
        return value if isinstance(value, str) else None
    return None


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    console = console_of(request)
    route = request.match_info.route.name
    try:
        if route not in PUBLIC_ROUTES:
            cookie = request.cookies.get(SESSION_COOKIE)
            visitor = await console.services.web_signin.visitor(cookie)
            if visitor is None:
                if request.method == "GET":
                    target = f"/login?next={quote(request.path_qs, safe='/?=&')}"
                    if request.headers.get("HX-Request"):
                        # A partial update would put the sign-in page inside the table.
                        return web.Response(status=200, headers={"HX-Redirect": target})
                    raise web.HTTPSeeOther(target)
                return _refusal(request, "web-signed-out", 401)
            request[VISITOR_KEY] = visitor
            request[WORDS_KEY] = Words(visitor.profile.locale, console.config.tz)
            side = SIDE_OF_WHO.get(request.app[SIDES_KEY].get(route, ""))
            if side is not None and console_side(visitor.profile) != side:
                # A moderator never reaches a police page, nor the police the moderators'.
                return _refusal(request, SIDE_REFUSAL[side], 403)
            if request.method == "POST" and not visitor.csrf_ok(await _csrf_sent(request)):
                logger.info("console POST without a valid CSRF token refused: %s", request.path)
                return _refusal(request, "web-csrf-refused", 403)
        response = await handler(request)
    except web.HTTPException as exc:
        _security_headers(exc, console.config)
        raise
    except PermissionDenied as exc:
        response = _refusal(request, exc.message_key, 403, **exc.args_for_message)
    except NotFound as exc:
        response = _refusal(request, exc.message_key, 404, **exc.args_for_message)
    except (InvalidInput, AnninhError) as exc:
        response = _refusal(request, exc.message_key, 400, **exc.args_for_message)
    except StorageUnavailable:
        response = _refusal(request, "error-database-unavailable", 503)
    _security_headers(response, console.config)
    return response


def _refusal(request: web.Request, key: str, status: int, **args: object) -> web.Response:
    return page(
        request,
        "refusal.html",
        {
            "w": words_of(request),
            "key": key,
            "args": args,
            "visitor": request.get(VISITOR_KEY),
            "home": home_of(request.get(VISITOR_KEY)),
        },
        status=status,
    )


def build_console(services: Services, files: FileSource, config: ConsoleConfig) -> web.Application:
    from web.routes import add_routes

    app = web.Application(middlewares=[guard], client_max_size=MAX_BODY)
    app[CONSOLE_KEY] = Console(services, files, config)
    app[ENV_KEY] = environment()
    app[ENV_KEY].globals["side_of"] = lambda visitor: console_side(visitor.profile)
    add_routes(app, STATIC)
    return app


class ConsoleServer:
    """The console listening on a port, in the running event loop."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_GRACE_S)
        self._host = host
        self._port = port
        self.port = port

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        logger.info("console listening on %s:%s", self._host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()
