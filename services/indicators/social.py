"""Social-network profiles (Facebook, Zalo, Telegram, TikTok, Instagram): ``normalize_social``."""

from __future__ import annotations

import re
from typing import Final

from storage.models.indicators import Indicator, IndicatorKind

from .phones import display_phone, normalize_phone
from .text import _clean, _is_ascii_digits, _wordset
from .urls import _MAX_URL_LEN, _parse_url, _Url

# ---------------------------------------------------------------------------------------------
# Social profiles
# ---------------------------------------------------------------------------------------------

_FACEBOOK_HOSTS: Final = frozenset({"facebook.com", "fb.com", "fb.me", "m.me", "facebook.com.vn"})
_ZALO_HOSTS: Final = frozenset({"zalo.me", "chat.zalo.me"})
_TELEGRAM_HOSTS: Final = frozenset({"t.me", "telegram.me", "telegram.dog"})
_TIKTOK_HOSTS: Final = frozenset({"tiktok.com", "m.tiktok.com"})
_INSTAGRAM_HOSTS: Final = frozenset({"instagram.com", "m.instagram.com", "instagr.am"})
_SOCIAL_HOSTS: Final = (
    _FACEBOOK_HOSTS | _ZALO_HOSTS | _TELEGRAM_HOSTS | _TIKTOK_HOSTS | _INSTAGRAM_HOSTS
)

# Facebook paths that are features, not profiles.
_FB_RESERVED: Final = _wordset(
    """
    share sharer sharer.php watch photo photo.php photos story.php permalink.php login
    login.php home.php events marketplace reel reels hashtag help policies messages
    notifications friends settings search gaming stories video.php videos l.php dialog plugins
    privacy ads business legal people pages groups profile.php recover checkpoint media
    """
)
_FB_NAME_RE: Final = re.compile(r"[a-z0-9][a-z0-9.]{0,49}")
_FB_GROUP_RE: Final = re.compile(r"[a-z0-9][a-z0-9._\-]{0,99}")
_ZALO_GROUP_RE: Final = re.compile(r"[a-z0-9_\-]{3,64}")
_TG_NAME_RE: Final = re.compile(r"[a-z][a-z0-9_]{2,31}")
_TG_INVITE_RE: Final = re.compile(r"[A-Za-z0-9_\-]{6,64}")
_TG_RESERVED: Final = frozenset(
    {
        "share",
        "addstickers",
        "addemoji",
        "proxy",
        "socks",
        "iv",
        "setlanguage",
        "addtheme",
        "joinchat",
        "login",
        "confirmphone",
        "c",
        "s",
        "boost",
        "addlist",
        "contact",
    }
)
_TIKTOK_NAME_RE: Final = re.compile(r"[a-z0-9_.]{2,24}")
_IG_NAME_RE: Final = re.compile(r"[a-z0-9_.]{1,30}")
_IG_RESERVED: Final = frozenset(
    {"p", "reel", "reels", "tv", "explore", "accounts", "direct", "stories", "about", "legal"}
)
_SOCIAL_CANON_RE: Final = re.compile(
    r"(facebook|fb|zalo|telegram|tg|tiktok|instagram|ig)\s{0,3}:\s{0,3}(\S{1,200})",
    re.IGNORECASE,
)
_PLATFORM_ALIASES: Final = {
    "facebook": "facebook",
    "fb": "facebook",
    "zalo": "zalo",
    "telegram": "telegram",
    "tg": "telegram",
    "tiktok": "tiktok",
    "instagram": "instagram",
    "ig": "instagram",
}
_PLATFORM_LABELS: Final = {
    "facebook": "Facebook",
    "zalo": "Zalo",
    "telegram": "Telegram",
    "tiktok": "TikTok",
    "instagram": "Instagram",
}


def _query_param(query: str, name: str) -> str | None:
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == name:
            return value
    return None


def _profile(
    platform: str, name: str, pattern: re.Pattern[str], reserved: frozenset[str] = frozenset()
) -> str | None:
    """``platform:name`` for a profile name the site allows, None for a feature's path."""
    if name in reserved or not pattern.fullmatch(name):
        return None
    return f"{platform}:{name}"


def _facebook(segs: list[str], query: str) -> str | None:
    if not segs:
        return None
    head = segs[0].lower()
    if head == "profile.php":
        ident = _query_param(query, "id")
        if ident and _is_ascii_digits(ident) and len(ident) <= 20:
            return f"facebook:{ident}"
        return None
    if head == "people" and len(segs) >= 3 and _is_ascii_digits(segs[2]):
        return f"facebook:{segs[2]}"  # /people/<display-name>/<numeric id>
    if head == "pages":
        ids = [s for s in segs[1:] if _is_ascii_digits(s)]
        return f"facebook:{ids[-1]}" if ids else None
    if head == "groups" and len(segs) >= 2:
        group = segs[1].lower()
        return f"facebook:groups/{group}" if _FB_GROUP_RE.fullmatch(group) else None
    if head == "pg" and len(segs) >= 2:
        head = segs[1].lower()
    # Usernames are case-insensitive and can't end with a dot ("fb.com/lua.dao." is a sentence).
    return _profile("facebook", head.rstrip("."), _FB_NAME_RE, _FB_RESERVED)


def _zalo_ident(ident: str) -> str | None:
    if ident.startswith("+") or _is_ascii_digits(ident):
        phone = normalize_phone(ident)
        if phone is not None:
            return f"zalo:{phone}"
        # Not a phone: numeric official-account / user ids.
        if _is_ascii_digits(ident) and 6 <= len(ident) <= 25:
            return f"zalo:{ident}"
    return None


def _zalo(segs: list[str], query: str) -> str | None:
    if not segs:
        phone = _query_param(query, "phone")  # chat.zalo.me/?phone=...
        return _zalo_ident(phone) if phone else None
    if segs[0].lower() == "g" and len(segs) >= 2:
        code = segs[1].lower()
        return f"zalo:g/{code}" if _ZALO_GROUP_RE.fullmatch(code) else None
    return _zalo_ident(segs[0])


def _telegram(segs: list[str]) -> str | None:
    if not segs:
        return None
    head = segs[0]
    if head.lower() == "joinchat" and len(segs) >= 2:
        head = "+" + segs[1]
    if head.startswith("+"):
        if _is_ascii_digits(head[1:]):
            phone = normalize_phone(head)
            if phone is not None:
                return f"telegram:{phone}"
        # Invite hashes are case-sensitive, so they keep their case.
        return f"telegram:+{head[1:]}" if _TG_INVITE_RE.fullmatch(head[1:]) else None
    if head.lower() == "s" and len(segs) >= 2:  # t.me/s/<channel> is the web preview
        head = segs[1]
    return _profile("telegram", head.lower(), _TG_NAME_RE, _TG_RESERVED)


def _tiktok(segs: list[str]) -> str | None:
    if not segs or not segs[0].startswith("@"):
        return None  # vt.tiktok.com short links etc. stay URLs
    return _profile("tiktok", segs[0][1:].lower().rstrip("."), _TIKTOK_NAME_RE)


def _instagram(segs: list[str]) -> str | None:
    if not segs:
        return None
    head = segs[0].lower()
    if head == "stories" and len(segs) >= 2:
        head = segs[1].lower()
    return _profile("instagram", head.lstrip("@"), _IG_NAME_RE, _IG_RESERVED)


def _social_from_url(url: _Url) -> str | None:
    if url.port:
        return None
    host = url.host
    segs = [s for s in url.path.split("/") if s]
    if host in _FACEBOOK_HOSTS or host.endswith(".facebook.com"):
        return _facebook(segs, url.query)
    if host in _ZALO_HOSTS:
        return _zalo(segs, url.query)
    if host in _TELEGRAM_HOSTS:
        return _telegram(segs)
    if host in _TIKTOK_HOSTS:
        return _tiktok(segs)
    if host in _INSTAGRAM_HOSTS:
        return _instagram(segs)
    return None


def _social_from_canonical(platform: str, ident: str) -> str | None:
    if platform == "facebook":
        return _facebook(ident.split("/"), "")
    if platform == "zalo":
        if ident.lower().startswith("g/"):
            return _zalo(["g", ident[2:]], "")
        return _zalo_ident(ident)
    if platform == "telegram":
        return _telegram(ident.lstrip("@").split("/"))
    if platform == "tiktok":
        return _tiktok(["@" + ident.lstrip("@")])
    return _instagram([ident])


def normalize_social(raw: str) -> str | None:
    """``platform:ident`` for a social-network profile link (or an already canonical value)."""
    if not isinstance(raw, str):
        return None
    text = _clean(raw).strip()
    if len(text) > _MAX_URL_LEN:
        return None
    canon = _SOCIAL_CANON_RE.fullmatch(text)
    if canon:
        found = _social_from_canonical(_PLATFORM_ALIASES[canon.group(1).lower()], canon.group(2))
        if found is not None:
            return found
        text = canon.group(2)  # "Zalo: https://zalo.me/..." — the label was just a label
    url = _parse_url(text, cleaned=True)
    return None if url is None else _social_from_url(url)


def _social_indicator(value: str) -> Indicator:
    platform, _, ident = value.partition(":")
    label = _PLATFORM_LABELS.get(platform, platform)
    if ident.startswith("+") and (phone := normalize_phone(ident)) is not None:
        shown = display_phone(phone)
    elif platform in ("telegram", "tiktok", "instagram") and not ident.startswith("+"):
        shown = "@" + ident
    else:
        shown = ident
    return Indicator(IndicatorKind.SOCIAL, value, f"{label} {shown}")
