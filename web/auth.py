"""Signing in and out.

The bot's link ``/login/<token>`` first shows a page with a button: opening the link (a chat
app's link preview, a mail scanner) uses nothing; pressing the button (a POST carrying a
one-off token also set as a cookie on that page, so another site cannot submit it) uses the
link and starts the session. The session cookie is HttpOnly, SameSite=Strict, and Secure
when the console is served over https.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from urllib.parse import urlsplit

from aiohttp import web

from services.errors import PermissionDenied
from services.web_signin import LinkProblem, LinkRefused, SignedIn
from web.app import (
    PRE_LOGIN_COOKIE,
    SESSION_COOKIE,
    VISITOR_KEY,
    console_of,
    home_for,
    visitor_of,
    words_of,
)
from web.render import page

PRE_LOGIN_MINUTES = 10
PROBLEM_STATUS = {LinkProblem.UNKNOWN: 404, LinkProblem.USED: 410, LinkProblem.EXPIRED: 410}


def safe_next(value: str | None, default: str = "/inbox") -> str:
    """Only a path of this site (never ``//other.site`` or a full URL)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value[:500]


def see_other(location: str) -> web.Response:
    """A redirect that also sets cookies (raising HTTPSeeOther cannot carry them here)."""
    return web.Response(status=303, headers={"Location": location})


def _common(request: web.Request) -> dict[str, object]:
    config = console_of(request).config
    return {
        "w": words_of(request),
        "bot_username": config.bot_username,
        "visitor": request.get(VISITOR_KEY),
    }


async def login_page(request: web.Request) -> web.Response:
    """How to sign in: send /web to the bot (and the Login Widget when configured)."""
    config = console_of(request).config
    return page(
        request,
        "login.html",
        {
            **_common(request),
            "widget": config.login_widget and bool(config.bot_username),
            "widget_url": f"{config.base_url}/login/widget",
            "signed_out": request.query.get("out") == "1",
        },
    )


def _problem_page(request: web.Request, problem: LinkProblem) -> web.Response:
    return page(
        request,
        "link_problem.html",
        {**_common(request), "problem": problem.value},
        status=PROBLEM_STATUS[problem],
    )


async def login_link(request: web.Request) -> web.Response:
    """GET /login/<token>: a page with the sign-in button, or why the link no longer works."""
    token = request.match_info["token"]
    problem = await console_of(request).services.web_signin.link_problem(token)
    if problem is not None:
        return _problem_page(request, problem)
    pre = secrets.token_urlsafe(16)
    response = page(request, "login_confirm.html", {**_common(request), "pre": pre})
    response.set_cookie(
        PRE_LOGIN_COOKIE,
        pre,
        max_age=PRE_LOGIN_MINUTES * 60,
        path="/login",
        httponly=True,
        samesite="Strict",
        secure=console_of(request).config.secure_cookies,
    )
    return response


async def login_open(request: web.Request) -> web.StreamResponse:
    """POST /login/<token>: use the link and start the session."""
    form = await request.post()
    sent, expected = form.get("csrf"), request.cookies.get(PRE_LOGIN_COOKIE)
    if not isinstance(sent, str) or not expected or not secrets.compare_digest(sent, expected):
        return page(request, "refusal.html", {**_common(request), "key": "web-csrf-refused",
                                              "args": {}}, status=403)  # fmt: skip
    try:
        signed = await console_of(request).services.web_signin.redeem(request.match_info["token"])
    except LinkRefused as exc:
        return _problem_page(request, exc.problem)
    return _start(request, signed)


async def login_widget(request: web.Request) -> web.StreamResponse:
    """Telegram Login Widget's redirect (GET with the signed fields)."""
    console = console_of(request)
    if not console.config.login_widget or not console.config.bot_token:
        raise web.HTTPNotFound()
    data = {k: v for k, v in request.query.items() if len(v) <= 512}
    try:
        signed = await console.services.web_signin.widget_signin(data, console.config.bot_token)
    except LinkRefused:
        return _problem_page(request, LinkProblem.UNKNOWN)
    return _start(request, signed)


def _start(request: web.Request, signed: SignedIn) -> web.StreamResponse:
    config = console_of(request).config
    response = see_other(home_for(signed.profile))
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=max(60, int((signed.expires_at - datetime.now(UTC)).total_seconds())),
        path="/",
        httponly=True,
        samesite="Strict",
        secure=config.secure_cookies,
    )
    response.del_cookie(PRE_LOGIN_COOKIE, path="/login")
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    visitor_of(request)  # the guard checked the session and the CSRF token
    await console_of(request).services.web_signin.logout(request.cookies.get(SESSION_COOKIE))
    response = see_other("/login?out=1")
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


async def demo_enter(request: web.Request) -> web.StreamResponse:
    """The demo page's "open the console" for a persona: the link /web would send them."""
    console = console_of(request)
    if not console.config.demo:
        raise web.HTTPNotFound()
    raw = request.match_info["telegram_id"]
    try:
        link = await console.services.web_signin.issue_demo_link(int(raw))
    except (ValueError, PermissionDenied):
        return page(
            request,
            "refusal.html",
            {**_common(request), "key": "web-not-allowed", "args": {}},
            status=403,
        )
    raise web.HTTPSeeOther(f"/login/{link.token}")


async def set_language(request: web.Request) -> web.StreamResponse:
    """The language switch: the person's language, as /language sets it in the chat."""
    visitor = visitor_of(request)
    form = await request.post()
    language = str(form.get("language") or "")
    await console_of(request).services.users.set_language(visitor.profile.user.id, language)
    raise web.HTTPSeeOther(safe_next(str(form.get("next") or ""), home_for(visitor.profile)))
