"""Signing in to the police console: a one-time link the bot sends (``/web``), or Telegram's
Login Widget; then a server-side session of at most a few hours.

Who may: whoever holds police or admin rights somewhere (admin implies police), the same test
as the police inbox, and moderators, who get their review queue only
(:func:`console_side`). It is checked when the link is asked for, when it is opened, and again on
every request (:meth:`WebSignIn.visitor`), so a person whose rights were taken away is shut out
at once; revoking the last such grant also ends their sessions in the same transaction
(:func:`end_sessions_without_rights`, called by :class:`services.grants.GrantService`).

Only SHA-256 hashes of link tokens and session cookies are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from services.access import Profile
from services.errors import AnninhError, PermissionDenied
from services.users import UserService
from storage.models import Role
from storage.repositories.audit import AuditRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.users import UserRepository
from storage.repositories.web_sessions import LoginTokenDTO, WebSessionRepository
from storage.types import utcnow
from storage.uow import Session, Sessions, transaction

LINK_TTL = timedelta(minutes=10)
"""A link from /web works this long, once."""
MAX_SESSION_HOURS = 12
WIDGET_MAX_AGE = timedelta(minutes=10)
"""Telegram Login Widget data older than this is refused (a replayed redirect)."""
CONSOLE_ROLES = frozenset({Role.POLICE, Role.ADMIN, Role.MODERATOR})
POLICE_SIDE = "police"
MODERATOR_SIDE = "moderator"


def may_use_console(profile: Profile) -> bool:
    """Police, admin or moderator somewhere (or a super-admin)."""
    return profile.has_any(Role.MODERATOR)


def console_side(profile: Profile) -> str:
    """Which pages are theirs: the police's (inbox, map, statistics, advisories, areas, the
    log) for anyone with the police right somewhere, else the moderators' review queue."""
    return POLICE_SIDE if profile.has_any(Role.POLICE) else MODERATOR_SIDE


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


class LinkRefused(AnninhError):
    """The link cannot sign anyone in; ``problem`` says why (the page explains it)."""

    message_key = "web-link-invalid"

    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(f"web-link-{problem.value}")
        self.problem = problem


@dataclass(frozen=True, slots=True)
class IssuedLink:
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new session: ``token`` goes into the cookie and nowhere else."""

    token: str
    csrf_token: str
    expires_at: datetime
    profile: Profile


@dataclass(frozen=True, slots=True)
class Visitor:
    """The signed-in person behind a request, read afresh each time."""

    profile: Profile
    session_id: int
    csrf_token: str
    expires_at: datetime

    def csrf_ok(self, sent: str | None) -> bool:
        return bool(sent) and hmac.compare_digest(self.csrf_token, str(sent))


async def end_sessions_without_rights(session: Session, user_id: int) -> int:
    """After a revocation: end the person's console sessions when no police, admin or
    moderator grant is left (runs inside the revoking transaction)."""
    grants = await GrantRepository(session).for_user(user_id)
    if any(g.role in CONSOLE_ROLES for g in grants):
        return 0
    return await WebSessionRepository(session).end_for_user(user_id, utcnow())


class WebSignIn:
    def __init__(
        self, sessions: Sessions, users: UserService, *, session_hours: int = MAX_SESSION_HOURS
    ) -> None:
        self._sessions = sessions
        self._users = users
        self._session_length = timedelta(hours=min(max(1, session_hours), MAX_SESSION_HOURS))

    # -- the link from /web --------------------------------------------------------------
    async def issue_link(self, profile: Profile, now: datetime | None = None) -> IssuedLink:
        """A fresh one-time link for this person (residents are refused)."""
        if not may_use_console(profile):
            raise PermissionDenied("web-not-allowed")
        token = secrets.token_urlsafe(32)
        expires = (now or utcnow()) + LINK_TTL
        async with transaction(self._sessions) as session:
            await WebSessionRepository(session).add_link(_hash(token), profile.user.id, expires)
        return IssuedLink(token, expires)

    async def issue_demo_link(self, telegram_id: int) -> IssuedLink:
        """The demo page's "open the console" (the web layer offers it only in the demo):
        the same link /web would send that persona, with the same refusal."""
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).get_by_telegram_id(telegram_id)
        profile = await self._users.profile_of(user.id) if user is not None else None
        if profile is None:
            raise PermissionDenied("web-not-allowed")
        return await self.issue_link(profile)

    async def link_problem(self, token: str, now: datetime | None = None) -> LinkProblem | None:
        """Why the link would be refused, without using it (None: it would work)."""
        async with transaction(self._sessions) as session:
            link = await WebSessionRepository(session).link(_hash(token[:200]))
        return _problem(link, now or utcnow())

    async def redeem(self, token: str, *, via: str = "bot") -> SignedIn:
        """Use the link (once) and open a session."""
        now = utcnow()
        async with transaction(self._sessions) as session:
            repo = WebSessionRepository(session)
            link = await repo.link(_hash(token[:200]))
            problem = _problem(link, now)
            if problem is None and link is not None and not await repo.use_link(link.id, now):
                problem = LinkProblem.USED
            if problem is not None or link is None:
                raise LinkRefused(problem or LinkProblem.UNKNOWN)
            user_id = link.user_id
        return await self._open(user_id, via)

    # -- Telegram Login Widget -----------------------------------------------------------
    async def widget_signin(self, data: Mapping[str, str], bot_token: str) -> SignedIn:
        """Telegram's documented check: HMAC-SHA256 of the sorted ``key=value`` lines with
        SHA-256(bot token) as the key must equal ``hash``, and ``auth_date`` be recent."""
        if not widget_data_valid(data, bot_token, utcnow()):
            raise LinkRefused(LinkProblem.UNKNOWN)
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).get_by_telegram_id(int(data["id"]))
        if user is None:
            raise PermissionDenied("web-not-allowed")
        return await self._open(user.id, "widget")

    # -- sessions ------------------------------------------------------------------------
    async def _open(self, user_id: int, via: str) -> SignedIn:
        profile = await self._users.profile_of(user_id)
        if profile is None or not may_use_console(profile):
            raise PermissionDenied("web-not-allowed")
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        expires = utcnow() + self._session_length
        async with transaction(self._sessions) as session:
            await WebSessionRepository(session).add_session(
                _hash(token), user_id, csrf, expires, via
            )
            await AuditRepository(session).add(
                "web.signin",
                actor_user_id=user_id,
                target_type="user",
                target_id=user_id,
                after={"via": via},
            )
        return SignedIn(token, csrf, expires, profile)

    async def visitor(self, cookie: str | None) -> Visitor | None:
        """The person signed in with this cookie, if the session is open and they still may
        use the console; None otherwise (a session whose person lost the right is ended)."""
        if not cookie or len(cookie) > 200:
            return None
        now = utcnow()
        async with transaction(self._sessions) as session:
            row = await WebSessionRepository(session).session(_hash(cookie))
        if row is None or row.ended_at is not None or row.expires_at <= now:
            return None
        profile = await self._users.profile_of(row.user_id)
        if profile is None or not may_use_console(profile):
            async with transaction(self._sessions) as session:
                await WebSessionRepository(session).end(row.id, now)
            return None
        return Visitor(profile, row.id, row.csrf_token, row.expires_at)

    async def logout(self, cookie: str | None) -> None:
        if not cookie or len(cookie) > 200:
            return
        async with transaction(self._sessions) as session:
            repo = WebSessionRepository(session)
            row = await repo.session(_hash(cookie))
            if row is not None:
                await repo.end(row.id, utcnow())


def _problem(link: LoginTokenDTO | None, now: datetime) -> LinkProblem | None:
    if link is None:
        return LinkProblem.UNKNOWN
    if link.used_at is not None:
        return LinkProblem.USED
    if link.expires_at <= now:
        return LinkProblem.EXPIRED
    return None


def widget_data_valid(data: Mapping[str, str], bot_token: str, now: datetime) -> bool:
    """Telegram Login Widget data check (core.telegram.org/widgets/login, "Checking the
    authorization")."""
    sent = data.get("hash", "")
    if not sent or "id" not in data or "auth_date" not in data:
        return False
    check = "\n".join(f"{k}={data[k]}" for k in sorted(data) if k != "hash")
    secret = hashlib.sha256(bot_token.encode()).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, sent):
        return False
    try:
        signed_at = datetime.fromtimestamp(int(data["auth_date"]), UTC)
        int(data["id"])
    except (ValueError, OverflowError, OSError):
        return False
    return now - signed_at <= WIDGET_MAX_AGE
