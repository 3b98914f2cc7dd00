"""Settings read from the environment and `.env` (pydantic-settings).

Built by :func:`load_settings` in ``main()``, never at import time, so tests construct their own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
ZALO_API_BASE_URL = "https://bot-api.zaloplatforms.com"
ZALO_OA_API_BASE_URL = "https://openapi.zalo.me"
ZALO_OA_OAUTH_BASE_URL = "https://oauth.zaloapp.com"
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,256}")
"""Telegram's allowed characters for a webhook secret, and at least 8 of them (Zalo's minimum;
Zalo's webhook secret is held to the same rule)."""
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"


class SettingsError(Exception):
    """Configuration is missing or invalid; the message is one line meant for the operator."""


class Settings(BaseSettings):
    """Every key is documented in `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///./anninh.db"
    database_busy_timeout: float = Field(default=15.0, gt=0, le=600)
    """Seconds an SQLite write waits for another writer's lock before the user is told the
    data was not stored."""
    bot_api_base_url: str = TELEGRAM_API_BASE_URL
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    default_language: Literal["vi", "en"] = "vi"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    media_dir: Path = Path("./media")
    update_concurrency: int = Field(default=8, ge=1, le=256)
    """Updates of different chats handled at once (one chat's are always in order); 1 handles
    every update after the previous one."""
    tips_per_hour: int = Field(default=10, ge=1)
    """Per-resident intake limit, so one person cannot flood the police."""
    tip_routing_grace_seconds: int = Field(default=30, ge=1)
    """A stored tip the police were not told about (the bot died in between, or nobody could
    be reached) is routed by a sweep once it is this old; the sweep runs this often."""
    tip_routing_lease_seconds: int = Field(default=600, ge=2)
    """While one instance tells the police about a tip, no other takes it over for this
    long (if the instance dies mid-delivery, the tip is routed again after that)."""
    outbox_sweep_seconds: float = Field(default=10.0, gt=0)
    """How often the notice outbox is swept for notices due again (services/reach.py)."""
    outbox_retry_seconds: float = Field(default=30.0, gt=0)
    """The first wait after a notice met a transient failure; it doubles at each attempt
    (at most an hour), eight attempts in all."""
    bot_username: str | None = None
    """The bot's @username, for QR deep links made offline (`anninh admin qr`); the running
    bot asks Telegram instead."""
    advisory_grace_seconds: int = Field(default=3600, ge=0)
    """A scheduled advisory missed while the bot was down is still sent this late; older
    runs are recorded as missed."""
    advisory_lease_seconds: int = Field(default=60, ge=2)
    """Only the holder of the scheduler lease sends advisories; another instance takes over
    this long after the holder stopped renewing."""
    telegram_send_rate: int = Field(default=28, ge=1, le=30)
    """Messages per second for the bot overall, every instance together (Telegram allows 30;
    the rest absorbs network jitter). Replies go first; advisories get what they leave."""
    advisory_max_attempts: int = Field(default=6, ge=1)
    """Tries per group for flood limits, server errors and timeouts before giving up."""

    redis_url: SecretStr | None = None
    """Where the rate limits count (/kiemtra look-ups, relayed answers, tips per ward) and the
    send budget (bot/send_limiter.py), shared by every instance: Redis at this URL
    (redis://host:6379/0); else the database, and each process its own send budget."""

    zalo_bot_token: SecretStr | None = None
    """The Zalo bot's token (Zalo Bot Manager); with it, residents use the bot on Zalo too."""
    zalo_api_base_url: str = ZALO_API_BASE_URL
    zalo_webhook_url: str | None = None
    """Public HTTPS address Zalo posts updates to; unset: long polling (getUpdates). The
    platform's docs advise webhooks in production (getUpdates has no offset)."""
    zalo_webhook_secret: SecretStr | None = None
    """8-256 characters; Zalo sends it in X-Bot-Api-Secret-Token with every update."""
    zalo_webhook_port: int = Field(default=8444, ge=1, le=65535)
    zalo_poll_timeout: int = Field(default=30, ge=1, le=50)
    zalo_groups_enabled: bool = False
    """Zalo groups for bots are "coming soon" (an internal beta) on the platform: off, the bot
    ignores Zalo group messages and `anninh admin link` refuses Zalo groups."""

    zalo_oa_app_id: str | None = None
    """The Zalo app linked to the ward police's Official Account; with it the OA surface runs."""
    zalo_oa_app_secret: SecretStr | None = None
    """The app's secret key: sent as ``secret_key`` when refreshing the OA tokens."""
    zalo_oa_secret_key: SecretStr | None = None
    """The OA secret key (not the app's): signs every webhook event (X-ZEvent-Signature)."""
    zalo_oa_access_token: SecretStr | None = None
    """The first access token only; refreshed pairs live in the database."""
    zalo_oa_refresh_token: SecretStr | None = None
    """The first refresh token only (single use); a new one here means "re-authorized"."""
    zalo_oa_api_base_url: str = ZALO_OA_API_BASE_URL
    zalo_oa_oauth_base_url: str = ZALO_OA_OAUTH_BASE_URL
    zalo_oa_webhook_port: int = Field(default=8445, ge=1, le=65535)
    """The OA webhook listens on WEBHOOK_LISTEN at this port, path /zalo-oa/webhook."""
    zalo_oa_signature: Literal["sha256", "hmac-sha256"] = "sha256"
    """How X-ZEvent-Signature is computed: ``sha256`` = sha256(app_id + body + timestamp +
    OA secret key), the official Java SDK's MacUtils.buildMac and Chatwoot's check;
    ``hmac-sha256`` = HMAC-SHA256 keyed by the OA secret key over app_id + body + timestamp,
    as a few third-party integrations read it. The other reading is refused."""

    web_port: int | None = Field(default=None, ge=1, le=65535)
    """The police console (web/) listens on this port; unset, `anninh run` serves none."""
    web_listen: str = "127.0.0.1"
    web_base_url: str | None = None
    """The console's public address, used in the /web sign-in links (behind a reverse proxy:
    https://...); default http://127.0.0.1:<WEB_PORT>."""
    web_tile_url: str = OSM_TILE_URL
    """Map tiles ({z}/{x}/{y}); without reachable tiles the map still shows every marker and
    the area names on a plain background."""
    web_tile_attribution: str = OSM_ATTRIBUTION
    web_login_widget: bool = False
    """Offer Telegram's Login Widget on the sign-in page (the domain must be set for the bot
    with @BotFather's /setdomain); the /web link works either way."""
    web_session_hours: int = Field(default=12, ge=1, le=12)
    """A console session ends this long after signing in (at most 12 hours)."""

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError("ADMIN_IDS must be comma-separated numeric user ids") from exc
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator(
        "webhook_url",
        "bot_api_base_url",
        "zalo_api_base_url",
        "zalo_webhook_url",
        "zalo_oa_api_base_url",
        "zalo_oa_oauth_base_url",
        "web_base_url",
    )
    @classmethod
    def _strip_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @field_validator("zalo_webhook_url")
    @classmethod
    def _zalo_webhook_is_https(cls, value: str | None) -> str | None:
        # setWebhook refuses anything else (docs: "URL nhận thông báo dạng HTTPS").
        if not value:
            return None
        if urlsplit(value).scheme != "https" or not urlsplit(value).hostname:
            raise ValueError("must be a public https:// address (Zalo refuses any other)")
        return value

    @field_validator("zalo_webhook_secret")
    @classmethod
    def _zalo_secret_length(cls, value: SecretStr | None) -> SecretStr | None:
        # setWebhook refuses a secret_token outside 8-256 characters (docs: setWebhook); the
        # characters are held to Telegram's rule, one rule for both webhooks.
        if value is None or not value.get_secret_value():
            return None
        if not WEBHOOK_SECRET_PATTERN.fullmatch(value.get_secret_value()):
            raise ValueError(
                f"must be 8-256 characters of A-Z, a-z, 0-9, _ and - "
                f"(has {len(value.get_secret_value())})"
            )
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def bot_api_file_url(self) -> str:
        """Files sit beside methods: `<host>/bot` -> `<host>/file/bot`, as on Telegram."""
        base = self.bot_api_base_url
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file"

    @property
    def console_url(self) -> str | None:
        """Where the console is reached (None: no console configured)."""
        if self.web_base_url:
            return self.web_base_url
        if self.web_port:
            return f"http://127.0.0.1:{self.web_port}"
        return None

    @property
    def has_telegram(self) -> bool:
        return self.bot_token is not None and bool(self.bot_token.get_secret_value().strip())

    @property
    def has_zalo(self) -> bool:
        token = self.zalo_bot_token
        return token is not None and bool(token.get_secret_value().strip())

    @property
    def has_zalo_oa(self) -> bool:
        return bool(self.zalo_oa_app_id and self.zalo_oa_app_id.strip())

    def require_zalo_oa(self) -> None:
        """With ZALO_OA_APP_ID set, the OA surface needs its secrets; say which is missing."""
        if not self.has_zalo_oa:
            return
        needed = {
            "ZALO_OA_APP_SECRET": self.zalo_oa_app_secret,
            "ZALO_OA_SECRET_KEY": self.zalo_oa_secret_key,
        }
        for name, value in needed.items():
            if value is None or not value.get_secret_value().strip():
                raise SettingsError(f"{name} is required when ZALO_OA_APP_ID is set")

    def require_channel(self) -> None:
        """What `anninh run` needs: at least one channel (BOT_TOKEN and/or ZALO_BOT_TOKEN),
        and a proper secret for each webhook in use (anyone who finds a webhook's address
        could otherwise post updates as any user, an admin included)."""
        if not self.has_telegram and not self.has_zalo and not self.has_zalo_oa:
            raise SettingsError(
                "BOT_TOKEN is not set: put it (and/or ZALO_BOT_TOKEN, ZALO_OA_APP_ID) in the "
                "environment or in .env (see .env.example)"
            )
        if self.has_telegram and self.webhook_url:
            _require_webhook_secret("WEBHOOK_SECRET", "WEBHOOK_URL", self.webhook_secret)
        if self.has_zalo and self.zalo_webhook_url:
            _require_webhook_secret(
                "ZALO_WEBHOOK_SECRET", "ZALO_WEBHOOK_URL", self.zalo_webhook_secret
            )

    def secret_values(self) -> list[str]:
        """Every secret the process holds, for the log scrubber: tokens, webhook secrets, the
        Zalo OA keys, and the passwords inside DATABASE_URL and REDIS_URL (a connection error
        quotes its URL)."""
        values = [
            s.get_secret_value().strip()
            for s in (
                self.bot_token,
                self.webhook_secret,
                self.zalo_bot_token,
                self.zalo_webhook_secret,
                self.redis_url,
                self.zalo_oa_app_secret,
                self.zalo_oa_secret_key,
                self.zalo_oa_access_token,
                self.zalo_oa_refresh_token,
            )
            if s is not None
        ]
        urls = [self.database_url]
        if self.redis_url is not None:
            urls.append(self.redis_url.get_secret_value())
        values += [p for p in (urlsplit(u.strip()).password for u in urls) if p]
        return [v for v in values if v]

    def require_token(self) -> str:
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise SettingsError(
                "BOT_TOKEN is not set: put it in the environment or in .env (see .env.example)"
            )
        return self.bot_token.get_secret_value().strip()


def _require_webhook_secret(name: str, url_name: str, secret: SecretStr | None) -> None:
    """An empty value counts as missing; the secret itself is never part of the message."""
    value = secret.get_secret_value() if secret is not None else ""
    if not value:
        problem = "is not set"
    elif not WEBHOOK_SECRET_PATTERN.fullmatch(value):
        problem = f"is not valid ({len(value)} characters)"
    else:
        return
    raise SettingsError(
        f"{name} {problem}: {url_name} is set, so {name} must be 8-256 characters of "
        "A-Z, a-z, 0-9, _ and - (e.g. the output of: openssl rand -hex 32)"
    )


def load_settings(**overrides: object) -> Settings:
    """Read settings; raise :class:`SettingsError` with a one-line message when invalid."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]).upper() or "settings"
        raise SettingsError(f"{field}: {first['msg']}") from None
