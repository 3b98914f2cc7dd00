"""Scam indicators: find them in free text and reduce them to one canonical key each.

Residents paste scam messages in every imaginable spelling ("0912.345.678", "+84 912 345 678",
"STK 0123 456 789 VCB", "https://WWW.Vietcombank-hotro.com/xac-nhan?id=1", "zalo.me/0987654321").
For the database one scammer's phone, bank account, link or social profile must be *one* row,
so every indicator gets a canonical ``value`` (the key) and a human-friendly ``display``.

Canonical forms (documented here because other code stores and compares them):

* phone        – E.164, ``+84912345678`` (any country when written with ``+``).
* bank_account – ``BANKCODE:digits`` (``VCB:0123456789``) or just ``digits`` when no bank is known.
* url          – ``host[:port]/path``: lowercase host without ``www.``, no scheme, no query, no
                 fragment, no trailing slash.  IDN hosts are stored *decoded* to Unicode NFC
                 (``xn--bcher-kva.de`` -> ``bücher.de``) because that is what residents read and
                 type; the path is stored percent-encoded (RFC 3986 normalisation) so ``/xác`` and
                 ``/x%C3%A1c`` are the same key.
* social       – ``platform:ident``: ``facebook:lua.dao``, ``facebook:1000123``,
                 ``facebook:groups/name``, ``zalo:+84987654321``, ``zalo:<numeric id>``,
                 ``zalo:g/<code>``, ``telegram:name``, ``telegram:+<invite>``, ``tiktok:name``,
                 ``instagram:name``.

Every ``normalize_*`` function accepts its own output (idempotent), so stored values can be
re-validated.  Nothing here raises on bad input and nothing does I/O; all regexes are written so
that they cannot backtrack catastrophically (bounded repetitions, disjoint character classes).
"""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Final, NamedTuple
from urllib.parse import unquote

import phonenumbers

# The plain value types live in storage (which may not import services); re-exported here.
from storage.models.indicators import Indicator, IndicatorKind

__all__ = [
    "Indicator",
    "IndicatorKind",
    "extract_indicators",
    "normalize_any",
    "normalize_bank",
    "normalize_bank_account",
    "normalize_phone",
    "normalize_social",
    "normalize_url",
]


# ---------------------------------------------------------------------------------------------
# Text cleaning
# ---------------------------------------------------------------------------------------------

# Invisible characters scammers (and copy-paste from apps) sprinkle into numbers and links to
# dodge filters.  Besides the zero-width set we drop the soft hyphen and bidi controls: none of
# them carry meaning in a phone number or a domain.
_INVISIBLE: Final = frozenset(
    [
        *(0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)
# Typographic dashes people (and autocorrect) put between digit groups.
_DASHES: Final = frozenset([*range(0x2010, 0x2016), 0x2212, 0xFE63])
# The translation caches are bounded so adversarial input using every code point can't grow
# them without limit; past the limit characters are still mapped, just not memoised.
_TABLE_CACHE_LIMIT: Final = 20_000


def _clean_char(cp: int) -> str | None:
    if cp < 0x80:
        if (cp < 0x20 and cp not in (0x09, 0x0A, 0x0D)) or cp == 0x7F:
            return " "
        return chr(cp)
    if cp in _INVISIBLE or 0xD800 <= cp <= 0xDFFF:  # lone surrogates can't be encoded later
        return None
    if 0xFF01 <= cp <= 0xFF5E:  # full-width ASCII (IME input): "０９１２" -> "0912"
        return chr(cp - 0xFEE0)
    if cp in _DASHES:
        return "-"
    ch = chr(cp)
    category = unicodedata.category(ch)
    if category == "Nd":  # any script's decimal digit counts as that digit
        return str(unicodedata.decimal(ch))
    if category == "Zs":  # NBSP, thin space, ideographic space...
        return " "
    if category in ("Zl", "Zp"):
        return "\n"
    if category == "Cc":
        return " "
    return ch


class _CleanTable(dict[int, str | None]):
    def __missing__(self, cp: int) -> str | None:
        mapped = _clean_char(cp)
        if len(self) < _TABLE_CACHE_LIMIT:
            self[cp] = mapped
        return mapped


_CLEAN_TABLE: Final = _CleanTable()


def _clean(text: str) -> str:
    """Map digits/spaces/dashes to ASCII, drop invisibles, then NFC.

    NFC comes last because dropping a zero-width char between a letter and a combining mark
    creates a new composition opportunity.
    """
    return unicodedata.normalize("NFC", text.translate(_CLEAN_TABLE))


def _fold_char(cp: int) -> str:
    # Accent/case folding that keeps exactly one output char per input char, so offsets in the
    # folded text are offsets in the original text.
    ch = chr(cp)
    if ch in "đĐ":
        return "d"
    base = "".join(
        c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)
    ).lower()
    if len(base) == 1:
        return base
    lowered = ch.lower()
    return lowered if len(lowered) == 1 else ch


class _FoldTable(dict[int, str]):
    def __missing__(self, cp: int) -> str:
        mapped = _fold_char(cp)
        if len(self) < _TABLE_CACHE_LIMIT:
            self[cp] = mapped
        return mapped


_FOLD_TABLE: Final = _FoldTable()


def _fold(text: str) -> str:
    """Lowercase and strip Vietnamese diacritics ("Ngân hàng" -> "ngan hang"), same length."""
    return text.translate(_FOLD_TABLE)


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


# ---------------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------------

_PHONE_CHARS_RE: Final = re.compile(r"\+?[0-9\s.\-()/]{1,40}")
_MAX_PHONE_INPUT: Final = 64


def normalize_phone(raw: str) -> str | None:
    """Return the E.164 form of a phone number (region VN), or None if it isn't a valid one."""
    if not isinstance(raw, str):
        return None
    text = _clean(raw).strip()
    if len(text) > _MAX_PHONE_INPUT:
        return None
    if text[:4].lower() == "tel:":
        text = text[4:].strip()
    # Only number-ish characters: phonenumbers would happily parse vanity letters
    # ("1-800-FLOWERS") or pull a number out of a sentence, which is not what a key wants.
    if not text or not _PHONE_CHARS_RE.fullmatch(text):
        return None
    try:
        parsed = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _phone_display(e164: str) -> str:
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    # Vietnamese readers expect the domestic "0912 345 678"; foreign numbers keep their +CC.
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 84
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)


def _phone_indicator(e164: str) -> Indicator:
    return Indicator(IndicatorKind.PHONE, e164, _phone_display(e164))


def _vn_phone_shape(digits: str) -> bool:
    """Digit strings that look like a Vietnamese number in free text (no leading '+').

    Stricter than phonenumbers on purpose: in free text we only accept the shapes people
    actually write (10-digit mobiles, 11-digit 02x landlines, with 84/0084 in front), which keeps
    order numbers and amounts that happen to be "valid" somewhere out.
    """
    if digits.startswith("0084"):
        rest = digits[4:]
    elif digits.startswith("84"):
        rest = digits[2:]
    elif digits.startswith("0") and not digits.startswith("00"):
        rest = digits[1:]
    else:
        return False
    return (len(rest) == 9 and rest[0] in "35789") or (len(rest) == 10 and rest[0] == "2")


# ---------------------------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------------------------


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Every two-letter country-code TLD: accepted by normalize_url (someone typed it on purpose).
_CC_TLDS: Final = _wordset(
    """
    ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs
    bt bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee
    eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk
    hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la
    lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my
    mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro
    rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk
    tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw
    """
)
# TLDs we trust enough to recognise a *bare* domain ("abc-vn.top") inside chat text.  Kept
# short on purpose: every entry is a chance to mistake "word.word" typos for links, so 2-letter
# codes that are also common unaccented Vietnamese words ("la", "to", "in") are left out.
_COMMON_TLDS: Final = _wordset(
    """
    com net org info biz top xyz online site shop store click link app vip club live fun space
    website tech cloud icu cyou sbs bond buzz life today world news pro asia mobi work best one
    win bid loan lol fit ink run press host email support help services agency finance money
    games bet casino page dev sale monster rest store digital network group center company
    vn me io cc co us uk tv ai ly gl gd ws cn hk sg jp kr ru tk ml ga cf gq pw su
    """
)
_KNOWN_TLDS: Final = (
    _CC_TLDS
    | _COMMON_TLDS
    | _wordset(
        """
        edu gov mil int aero coop museum name tel travel jobs cat ltd wang xin ren kim men date
        download review stream trade party racing science webcam accountant cricket faith gdn
        tips guru solutions systems media financial credit loans investments capital fund
        exchange market markets trading game poker plus cool cam chat social blog wiki global
        zone city art design studio baby beauty love mom lat red blue pink green gold team
        global events family land house vin bank insure care health clinic fashion photo
        """
    )
)

_SCHEME_PREFIX_RE: Final = re.compile(r"([a-z][a-z0-9+.\-]{0,15})://", re.IGNORECASE)
_SCHEME_SEARCH_RE: Final = re.compile(r"(?:https?|hxxps?)://", re.IGNORECASE)
_ALLOWED_SCHEMES: Final = frozenset({"http", "https", "hxxp", "hxxps"})
_LEADING_JUNK: Final = "([{<\"'“‘«*:;,.!?-…"
_TRAILING_JUNK: Final = ".,;:!?)]}>\"'”’»…*"
_UNRESERVED: Final = frozenset(string.ascii_letters + string.digits + "-._~")
_PATH_SAFE: Final = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
_HEX: Final = frozenset(string.hexdigits)
_MULTI_SLASH_RE: Final = re.compile(r"/{2,}")
_MAX_URL_LEN: Final = 4096


class _Url(NamedTuple):
    host: str  # canonical host (lowercase, no www., IDN decoded)
    port: str  # "" when absent or default
    path: str  # canonical path ("" or starting with "/")
    query: str  # raw query, only used by social-profile parsing
    has_scheme: bool


def _label_ok(label: str) -> bool:
    if not label or label[0] == "-" or label[-1] == "-":
        return False
    for c in label:
        if c.isascii():
            if not (c.isalnum() or c == "-"):
                return False
        elif unicodedata.category(c)[0] not in "LMN":
            return False
    return True


def _canonical_label(label: str) -> str | None:
    if len(label) > 63:
        return None
    label = unicodedata.normalize("NFC", label.lower())
    if label.startswith("xn--"):
        # Decode A-labels so "xn--..." and the Unicode spelling share a key.  A label that
        # doesn't decode to a sensible Unicode label stays in its ASCII form (still a key,
        # still idempotent).
        try:
            decoded = label[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError):
            decoded = ""
        decoded = unicodedata.normalize("NFC", decoded.lower())
        if decoded and not decoded.isascii() and _label_ok(decoded):
            return decoded
    return label if _label_ok(label) else None


def _canonical_host(host: str) -> str | None:
    host = host.replace("\u3002", ".").replace("\uff61", ".").rstrip(".")
    if not host or len(host) > 253:
        return None
    host = host.lower()
    # "www." is cosmetic for our purposes; stripping repeatedly keeps this idempotent.
    while host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    labels: list[str] = []
    for raw_label in host.split("."):
        label = _canonical_label(raw_label)
        if label is None:
            return None
        labels.append(label)
    if len(labels) < 2:
        return None
    tld = labels[-1]
    # A known TLD is what separates "abc.vn" from "TP.HCM", "v.v", "1.5" and "a.m".
    if tld.isascii():
        if tld not in _KNOWN_TLDS:
            return None
    elif len(tld) < 2 or not tld.isalpha():
        return None
    return ".".join(labels)


def _canonical_path(path: str) -> str:
    out: list[str] = []
    i, n = 0, len(path)
    while i < n:
        c = path[i]
        if c == "%":
            hx = path[i + 1 : i + 3]
            if len(hx) == 2 and hx[0] in _HEX and hx[1] in _HEX:
                decoded = chr(int(hx, 16))
                # RFC 3986 §6.2.2: decode only unreserved chars, upper-case the other escapes.
                out.append(decoded if decoded in _UNRESERVED else "%" + hx.upper())
                i += 3
                continue
            out.append("%25")
        elif c in _PATH_SAFE:
            out.append(c)
        else:
            out.extend(f"%{b:02X}" for b in c.encode("utf-8"))
        i += 1
    canonical = _MULTI_SLASH_RE.sub("/", "".join(out))
    # Trailing slashes and sentence punctuation ("...xac-nhan).") are never part of the key.
    while canonical and (canonical[-1] == "/" or canonical[-1] in _TRAILING_JUNK):
        canonical = canonical[:-1]
    return canonical


def _parse_url(raw: str, *, cleaned: bool = False) -> _Url | None:
    text = (raw if cleaned else _clean(raw)).strip()
    text = text.lstrip(_LEADING_JUNK).rstrip(_TRAILING_JUNK)
    if not text or len(text) > _MAX_URL_LEN or any(c.isspace() for c in text):
        return None
    text = text.replace("[.]", ".")  # defanged links shared by security-minded residents
    has_scheme = False
    scheme = _SCHEME_PREFIX_RE.match(text)
    if scheme:
        if scheme.group(1).lower() not in _ALLOWED_SCHEMES:
            return None
        text = text[scheme.end() :]
        has_scheme = True
    end = len(text)
    for sep in "/?#\\":
        idx = text.find(sep)
        if idx != -1 and idx < end:
            end = idx
    authority, rest = text[:end], text[end:]
    if "@" in authority:
        if not has_scheme:
            return None  # "user@host" without a scheme is an e-mail address, not a link
        # "http://vietcombank.com.vn@evil.top" really goes to evil.top.
        authority = authority.rsplit("@", 1)[1]
    port = ""
    if ":" in authority:
        authority, port = authority.rsplit(":", 1)
        if port:
            if not _is_ascii_digits(port) or len(port) > 5 or not 0 < int(port) < 65536:
                return None
            port = str(int(port))
            if port in ("80", "443"):
                port = ""
    host = _canonical_host(authority)
    if host is None:
        return None
    rest = rest.replace("\\", "/")  # browsers treat backslashes in http URLs as slashes
    fragment = rest.find("#")
    if fragment != -1:
        rest = rest[:fragment]
    path, _, query = rest.partition("?")
    return _Url(host, port, _canonical_path(path), query, has_scheme)


def _url_value(url: _Url) -> str:
    return url.host + (f":{url.port}" if url.port else "") + url.path


def normalize_url(raw: str) -> str | None:
    """Canonical ``host[:port]/path`` of a link (see module docstring), or None."""
    if not isinstance(raw, str):
        return None
    url = _parse_url(raw)
    return None if url is None else _url_value(url)


def _url_indicator(value: str) -> Indicator:
    host, slash, path = value.partition("/")
    display = host + (slash + unquote(path, errors="replace") if slash else "")
    return Indicator(IndicatorKind.URL, value, display)


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
    name = head.rstrip(".")
    if name in _FB_RESERVED or not _FB_NAME_RE.fullmatch(name):
        return None
    return f"facebook:{name}"


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
    name = head.lower()
    if name in _TG_RESERVED or not _TG_NAME_RE.fullmatch(name):
        return None
    return f"telegram:{name}"


def _tiktok(segs: list[str]) -> str | None:
    if not segs or not segs[0].startswith("@"):
        return None  # vt.tiktok.com short links etc. stay URLs
    name = segs[0][1:].lower().rstrip(".")
    return f"tiktok:{name}" if _TIKTOK_NAME_RE.fullmatch(name) else None


def _instagram(segs: list[str]) -> str | None:
    if not segs:
        return None
    head = segs[0].lower()
    if head == "stories" and len(segs) >= 2:
        head = segs[1].lower()
    name = head.lstrip("@")
    if name in _IG_RESERVED or not _IG_NAME_RE.fullmatch(name):
        return None
    return f"instagram:{name}"


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
        shown = _phone_display(phone)
    elif platform in ("telegram", "tiktok", "instagram") and not ident.startswith("+"):
        shown = "@" + ident
    else:
        shown = ident
    return Indicator(IndicatorKind.SOCIAL, value, f"{label} {shown}")


# ---------------------------------------------------------------------------------------------
# Banks
# ---------------------------------------------------------------------------------------------

# code: (display name, aliases safe to spot in free text, extra aliases for normalize_bank only)
# Aliases are accent-free lowercase; a space marks a place where people may or may not put a
# space/dash ("vietcom bank" also matches "Vietcombank" and "Vietcom-Bank").  Generic words that
# are everyday Vietnamese on their own ("quân đội", "sài gòn", "bắc á" ~ "bác à") are only text
# aliases with "ngân hàng"/"bank" attached.  Codes follow the VietQR short names where they
# exist; VietinBank is the exception and uses its stock ticker CTG (what residents see on
# HOSE boards and what the rest of the project expects).
_BANKS: Final[dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]] = {
    "VCB": (
        "Vietcombank",
        ("vietcom bank", "vcb", "ngan hang ngoai thuong"),
        ("vietcom", "ngoai thuong", "ngoai thuong viet nam"),
    ),
    "BIDV": (
        "BIDV",
        ("bidv", "ngan hang dau tu va phat trien", "ngan hang dau tu phat trien"),
        ("dau tu va phat trien", "dau tu va phat trien viet nam"),
    ),
    "CTG": (
        "VietinBank",
        ("vietin bank", "viettin bank", "ctg", "icb", "ngan hang cong thuong"),
        ("vietin", "cong thuong", "cong thuong viet nam"),
    ),
    "VBA": (
        "Agribank",
        ("agri bank", "agr", "vba", "ngan hang nong nghiep"),
        ("nong nghiep", "nong nghiep va phat trien nong thon", "agri"),
    ),
    "TCB": (
        "Techcombank",
        ("techcom bank", "tcb", "ngan hang ky thuong"),
        ("techcom", "ky thuong", "ky thuong viet nam"),
    ),
    "MB": ("MB Bank", ("mb bank", "mb", "mbb", "ngan hang quan doi"), ("quan doi",)),
    "ACB": ("ACB", ("acb", "ngan hang a chau"), ("a chau",)),
    "VPB": (
        "VPBank",
        ("vp bank", "vpb", "ngan hang viet nam thinh vuong"),
        ("viet nam thinh vuong", "thinh vuong"),
    ),
    "STB": (
        "Sacombank",
        ("sacom bank", "stb", "ngan hang sai gon thuong tin"),
        ("sacom", "sai gon thuong tin"),
    ),
    "TPB": (
        "TPBank",
        ("tp bank", "tpb", "tien phong bank", "ngan hang tien phong"),
        ("tien phong",),
    ),
    "HDB": (
        "HDBank",
        (
            "hd bank",
            "hdb",
            "ngan hang phat trien tp hcm",
            "ngan hang phat trien thanh pho ho chi minh",
        ),
        ("phat trien tp hcm", "phat trien thanh pho ho chi minh"),
    ),
    "SHB": ("SHB", ("shb", "ngan hang sai gon ha noi"), ("sai gon ha noi",)),
    "VIB": ("VIB", ("vib", "ngan hang quoc te"), ("quoc te", "quoc te viet nam")),
    "OCB": ("OCB", ("ocb", "ngan hang phuong dong"), ("phuong dong",)),
    "MSB": ("MSB", ("msb", "maritime bank", "ngan hang hang hai"), ("hang hai", "maritime")),
    "SEAB": ("SeABank", ("sea bank", "seab", "ngan hang dong nam a"), ("dong nam a",)),
    "LPB": (
        "LPBank",
        (
            "lp bank",
            "lpb",
            "lienviet post bank",
            "lien viet post bank",
            "lienviet bank",
            "ngan hang buu dien lien viet",
            "ngan hang loc phat",
        ),
        ("lien viet", "lienviet", "buu dien lien viet", "loc phat"),
    ),
    "EIB": (
        "Eximbank",
        ("exim bank", "eib", "ngan hang xuat nhap khau"),
        ("exim", "xuat nhap khau"),
    ),
    "NAB": ("Nam A Bank", ("nam a bank", "nab", "ngan hang nam a"), ("nam a",)),
    "BAB": ("Bac A Bank", ("bac a bank", "bab", "ngan hang bac a"), ("bac a",)),
    "ABB": ("ABBank", ("ab bank", "abb", "ngan hang an binh"), ("an binh",)),
    "PVCB": (
        "PVcomBank",
        ("pvcom bank", "pv com bank", "pvcb", "ngan hang dai chung"),
        ("pvcom", "dai chung"),
    ),
    "VAB": ("VietABank", ("viet a bank", "vab", "ngan hang viet a"), ("viet a",)),
    "KLB": (
        "Kienlongbank",
        ("kienlong bank", "kien long bank", "klb", "ngan hang kien long"),
        ("kien long",),
    ),
    "BVB": (
        "BaoViet Bank",
        ("baoviet bank", "bao viet bank", "bvb", "ngan hang bao viet"),
        ("bao viet",),
    ),
    "SCB": ("SCB", ("scb", "ngan hang sai gon"), ("sai gon",)),
    "NCB": ("NCB", ("ncb", "ngan hang quoc dan"), ("quoc dan",)),
    "SGB": (
        "Saigonbank",
        ("saigon bank", "sgb", "ngan hang sai gon cong thuong"),
        ("sai gon cong thuong", "sgicb"),
    ),
    "VCCB": (
        "BVBank",
        ("bv bank", "vccb", "viet capital bank", "ngan hang ban viet"),
        ("ban viet", "viet capital"),
    ),
    "PGB": (
        "PGBank",
        ("pg bank", "pgb", "ngan hang xang dau petrolimex", "ngan hang thinh vuong va phat trien"),
        ("xang dau petrolimex", "thinh vuong va phat trien"),
    ),
    "VIETBANK": (
        "Vietbank",
        ("viet bank", "ngan hang viet nam thuong tin"),
        ("viet nam thuong tin",),
    ),
    "DAB": ("DongA Bank", ("donga bank", "dong a bank", "ngan hang dong a"), ("dong a",)),
    "GPB": ("GPBank", ("gp bank", "gpb", "ngan hang dau khi toan cau"), ("dau khi toan cau",)),
    "OCEANBANK": ("OceanBank", ("ocean bank", "ngan hang dai duong"), ("dai duong",)),
    "SHINHAN": ("Shinhan Bank", ("shinhan bank", "shinhan"), ()),
    "HSBC": ("HSBC", ("hsbc",), ()),
    "WOORI": ("Woori Bank", ("woori bank", "woori"), ()),
    "UOB": ("UOB", ("uob",), ()),
    "CIMB": ("CIMB", ("cimb",), ()),
    "CAKE": ("Cake", ("cake", "cake by vpbank"), ()),
    "TIMO": ("Timo", ("timo", "timo bank"), ()),
    "MOMO": ("MoMo", ("momo", "vi momo"), ()),
    "ZALOPAY": ("ZaloPay", ("zalo pay", "vi zalo pay"), ()),
    "VTMONEY": (
        "Viettel Money",
        ("viettel money", "viettel pay", "vtmoney", "vt money"),
        ("viettel",),
    ),
}

_NON_ALNUM_RE: Final = re.compile(r"[^a-z0-9]+")


def _compact(folded: str) -> str:
    return _NON_ALNUM_RE.sub("", folded)


def _build_bank_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, (display, text_aliases, extra_aliases) in _BANKS.items():
        for alias in (code.lower(), _fold(display), *text_aliases, *extra_aliases):
            lookup.setdefault(_compact(alias), code)
        lookup[code.lower()] = code  # a code must always map to itself (idempotency)
    return lookup


_BANK_LOOKUP: Final = _build_bank_lookup()


def _build_bank_text_re() -> re.Pattern[str]:
    aliases = sorted(
        {alias for _, text_aliases, _ in _BANKS.values() for alias in text_aliases},
        key=len,
        reverse=True,  # longest first so "ngan hang sai gon thuong tin" beats "... sai gon"
    )
    parts: list[str] = []
    for alias in aliases:
        pattern = r"[ \-]{0,2}".join(re.escape(word) for word in alias.split())
        if alias.startswith("ngan hang "):
            # Official names put the company form in between: "Ngân hàng TMCP Ngoại thương".
            pattern = pattern.replace(
                r"hang[ \-]{0,2}", r"hang[ \-]{0,2}(?:(?:tmcp|thuong mai co phan)[ \-]{1,2})?", 1
            )
        parts.append(pattern)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])")


_BANK_TEXT_RE: Final = _build_bank_text_re()
_BANK_PREFIXES: Final = ("nganhang", "nh")
_BANK_ORG_PREFIXES: Final = ("thuongmaicophan", "tmcp")


def _bank_key_variants(key: str) -> list[str]:
    stripped = key
    for prefixes in (_BANK_PREFIXES, _BANK_ORG_PREFIXES):
        for prefix in prefixes:
            if stripped.startswith(prefix) and len(stripped) > len(prefix):
                stripped = stripped[len(prefix) :]
                break
    variants = [key, stripped]
    for variant in list(variants):
        for suffix in ("vietnam", "vn"):
            if variant.endswith(suffix) and len(variant) > len(suffix):
                variants.append(variant[: -len(suffix)])
    for variant in list(variants):
        if variant.endswith("bank") and len(variant) > 4:
            variants.append(variant[:-4])
        else:
            variants.append(variant + "bank")
    return variants


def normalize_bank(name: str) -> str | None:
    """Short bank code ("VCB") for a bank/e-wallet name, alias or code; None if unknown."""
    if not isinstance(name, str):
        return None
    text = _clean(name)
    if len(text) > 200:
        return None
    return _bank_code_from_key(_compact(_fold(text)))


def _bank_code_from_key(key: str) -> str | None:
    if not key:
        return None
    for variant in _bank_key_variants(key):
        code = _BANK_LOOKUP.get(variant)
        if code is not None:
            return code
    return None


_ACCOUNT_DIGITS_RE: Final = re.compile(r"[0-9]{1,19}(?:[ .\-][0-9]{1,19}){0,18}")
_BANK_CANON_RE: Final = re.compile(r"([A-Za-z][A-Za-z0-9]{1,11})\s{0,3}:\s{0,3}(\S.{0,80})")


def normalize_bank_account(raw: str, bank: str | None = None) -> str | None:
    """``BANKCODE:digits`` (or ``digits``) for an account number of 6–19 digits, else None.

    ``raw`` is the number (spaces/dots/dashes allowed) or an already canonical value.  An
    unrecognised ``bank`` is ignored rather than fatal: the number is the evidence, the bank
    name in a resident's report is often garbled.
    """
    if not isinstance(raw, str):
        return None
    text = _clean(raw).strip()
    if len(text) > 120:
        return None
    code: str | None = None
    canon = _BANK_CANON_RE.fullmatch(text)
    if canon:
        code = normalize_bank(canon.group(1))
        if code is None:
            return None
        text = canon.group(2).strip()
    if bank is not None:
        code = normalize_bank(bank) or code
    if not _ACCOUNT_DIGITS_RE.fullmatch(text):
        return None
    digits = "".join(c for c in text if c.isdigit())
    if not 6 <= len(digits) <= 19:
        return None
    return f"{code}:{digits}" if code else digits


def _bank_indicator(value: str) -> Indicator:
    code, _, digits = value.rpartition(":")
    display = f"{_BANKS[code][0]} {digits}" if code in _BANKS else digits
    return Indicator(IndicatorKind.BANK_ACCOUNT, value, display)


# ---------------------------------------------------------------------------------------------
# normalize_any
# ---------------------------------------------------------------------------------------------

_QUERY_CUE_RE: Final = re.compile(
    r"^[\s:;,.\-()]*(?:so\s?tai\s?khoan|tai\s?khoan|so\s?tk|stk|tk|account|acct|acc|a/c)?"
    r"[\s:;,.\-()]*"
)


def _bank_name_part(text: str) -> str:
    folded = _fold(text)
    folded = _QUERY_CUE_RE.sub("", folded, count=1)
    return folded.strip(" \t\n:;,.-()")


def _bank_account_from_query(text: str) -> str | None:
    direct = normalize_bank_account(text)
    if direct is not None:
        return direct
    digit_positions = [i for i, c in enumerate(text) if c.isdigit()]
    if not digit_positions:
        return None
    first, last = digit_positions[0], digit_positions[-1]
    number = text[first : last + 1]
    names = [
        part for part in (_bank_name_part(text[:first]), _bank_name_part(text[last + 1 :])) if part
    ]
    if len(names) > 1:
        return None
    bank = names[0] if names else None
    if bank is not None and normalize_bank(bank) is None:
        return None  # "0123456789 something-unknown" is not confidently an account
    return normalize_bank_account(number, bank)


def normalize_any(raw: str) -> Indicator | None:
    """Guess what a user typed into /kiemtra: phone, social link, URL, then bank account."""
    if not isinstance(raw, str):
        return None
    text = _clean(raw).strip()
    if not text or len(text) > _MAX_URL_LEN:
        return None
    phone = normalize_phone(text)
    if phone is not None:
        return _phone_indicator(phone)
    social = normalize_social(text)
    if social is not None:
        return _social_indicator(social)
    url = normalize_url(text)
    if url is not None:
        return _url_indicator(url)
    account = _bank_account_from_query(text)
    if account is not None:
        return _bank_indicator(account)
    return None


# ---------------------------------------------------------------------------------------------
# Extraction from free text
# ---------------------------------------------------------------------------------------------

# Whitespace-delimited tokens are where links live; scanning tokens (instead of one big URL
# regex) keeps link detection linear and lets us strip surrounding punctuation explicitly.
_TOKEN_RE: Final = re.compile(r"[^\s<>\"'`“”‘’«»「」『』]+")
# Digit groups joined by a single space/dot/dash (or " - "), optionally "+" / "(0xx)".
# The separator class never overlaps the digit class, so matching is linear.
_CLUSTER_RE: Final = re.compile(r"\+?\(?[0-9]+\)?(?:(?: - |[ .\-])\(?[0-9]+\)?)*")
_DIGITS_RE: Final = re.compile(r"[0-9]+")
# Tokens of the folded, bank-collapsed text used for cue/bank proximity.  "\x01" runs stand for
# a whole bank name, so "Ngân hàng TMCP Ngoại thương" counts as one word.
_WORD_RE: Final = re.compile(r"[a-z/]+|[0-9]+|\x01+")
_STRONG_BOUNDARY_RE: Final = re.compile(r"[,;!?|]|\.(?=\s)")
_WEAK_BOUNDARY_RE: Final = re.compile(r"[;!?|]|\.(?=\s)")
_GLUED_WORD_RE: Final = re.compile(r"[a-z]+$")
_ALNUM_RUN_RE: Final = re.compile(r"[^\W_]+$")
_UNIT_RE: Final = re.compile(
    r" ?(?:d|dong|vnd|k|tr|trieu|ty|ti|nghin|ngan|usd|usdt|xu|%)(?![a-z0-9])"
)

_ACCOUNT_CUES: Final = frozenset(
    {"stk", "tk", "sotk", "taikhoan", "sotaikhoan", "account", "acc", "acct", "a/c"}
)
# Words that say "the number after me is a phone / a social id", cancelling an account cue:
# "tài khoản Zalo 0987654321" is a Zalo phone, not a bank account.
_NOT_ACCOUNT_WORDS: Final = _wordset(
    """
    sdt dt dien thoai goi lh hotline phone tel mobile sim zalo fb facebook face telegram tele
    tiktok instagram ig messenger mess viber whatsapp email gmail mail
    """
)
# Letters that may be glued to a number without a space ("sdt0912345678", "stk0123...").
_GLUED_CUES: Final = frozenset(
    {"sdt", "dt", "zalo", "stk", "tk", "goi", "lh", "hotline", "tel", "so", "sotk", "phone"}
)
_CUE_MAX_WORDS: Final = 6
_BANK_ATTACH_WORDS: Final = 5  # how far a bank name may be from a cued account
_BANK_ALONE_WORDS: Final = 2  # how close a bank name must be to make a bare number an account
_WINDOW: Final = 80


class _Group(NamedTuple):
    digits: str
    start: int
    end: int


class _Context:
    """The cleaned text plus the derived views extraction needs, all with the same offsets."""

    def __init__(self, scan: str) -> None:
        self.scan = scan
        folded = _fold(scan)
        self.bank_at: dict[int, str] = {}
        pieces: list[str] = []
        last = 0
        for m in _BANK_TEXT_RE.finditer(folded):
            code = _bank_code_from_key(_compact(m.group()))
            if code is None:
                continue
            self.bank_at[m.start()] = code
            pieces.append(folded[last : m.start()])
            pieces.append("\x01" * (m.end() - m.start()))
            last = m.end()
        pieces.append(folded[last:])
        self.words = "".join(pieces)

    def _before(self, pos: int, boundary: re.Pattern[str]) -> tuple[int, str]:
        lo = max(0, pos - _WINDOW)
        window = self.words[lo:pos]
        cut = 0
        for m in boundary.finditer(window):
            cut = m.end()
        return lo + cut, window[cut:]

    def _after(self, pos: int, boundary: re.Pattern[str]) -> tuple[int, str]:
        window = self.words[pos : pos + _WINDOW]
        m = boundary.search(window)
        return pos, window if m is None else window[: m.start()]

    def account_cue(self, start: int) -> bool:
        _, window = self._before(start, _STRONG_BOUNDARY_RE)
        words = _WORD_RE.findall(window)
        for steps, idx in enumerate(range(len(words) - 1, -1, -1)):
            if steps > _CUE_MAX_WORDS:
                return False
            word = words[idx]
            if word[0].isdigit():
                return False  # the cue belongs to an earlier number
            if word in _ACCOUNT_CUES:
                return True
            if word == "khoan" and idx > 0 and words[idx - 1] == "tai":
                return True
            if word in _NOT_ACCOUNT_WORDS:
                return False
        return False

    def nearest_bank(self, start: int, end: int, max_words: int) -> str | None:
        best: tuple[int, str] | None = None
        offset, window = self._before(start, _WEAK_BOUNDARY_RE)
        matches = list(_WORD_RE.finditer(window))
        for steps, m in enumerate(reversed(matches)):
            if steps > max_words or m.group()[0].isdigit():
                break
            if m.group()[0] == "\x01":
                best = (steps, self._bank_starting_before(offset + m.start()))
                break
        offset, window = self._after(end, _WEAK_BOUNDARY_RE)
        for steps, m in enumerate(_WORD_RE.finditer(window)):
            if steps > max_words or (best is not None and steps >= best[0]):
                break
            if m.group()[0].isdigit():
                break
            if m.group()[0] == "\x01":
                # A name cut off by the window edge is still at a known start offset.
                code = self.bank_at.get(offset + m.start())
                if code is not None:
                    best = (steps, code)
                break
        return None if best is None else best[1]

    def _bank_starting_before(self, pos: int) -> str:
        # The window may cut a bank name in half; its code is stored at the name's first char.
        while pos > 0 and self.words[pos - 1] == "\x01":
            pos -= 1
        return self.bank_at[pos]

    def unit_follows(self, end: int) -> bool:
        return _UNIT_RE.match(self.words, end) is not None


def _first_group_blocked(ctx: _Context, start: int) -> bool:
    """Is the number starting at ``start`` glued to something that makes it not a number?"""
    if start == 0:
        return False
    text = ctx.scan
    prev = text[start - 1]
    before = text[start - 2] if start >= 2 else " "
    if prev.isalnum() or prev == "_":
        glued = _GLUED_WORD_RE.search(ctx.words, max(0, start - 12), start)
        return glued is None or glued.group() not in _GLUED_CUES
    if prev in "/\\#%$€£¥₫":
        return True  # dates "25/7/2022", ids "#123456", money "$5000000"
    if prev == ":":
        return before.isdigit()  # the "30" of "07:30"
    if prev == ",":
        return before.isdigit()  # the "5" of "2,5 tỷ"
    if prev in ".-":
        # "18A-123.45" (plates), "v1.2": a letter+digit token glued in front.
        run = _ALNUM_RUN_RE.search(text, max(0, start - 12), start - 1)
        return run is not None and any(c.isdigit() for c in run.group())
    return False


def _last_group_blocked(text: str, end: int) -> bool:
    if end >= len(text):
        return False
    nxt = text[end]
    after = text[end + 1] if end + 1 < len(text) else " "
    if nxt.isalnum() or nxt == "_":
        return True  # "500k", "5tr", "2022đ", "12h"
    if nxt in "/\\:,":
        return after.isdigit()  # "25/7", "07:30", "2,5"
    return nxt in "%‰₫$€"


def _cluster_groups(ctx: _Context, match: re.Match[str]) -> tuple[bool, list[_Group]]:
    base = match.start()
    groups = [
        _Group(m.group(), base + m.start(), base + m.end())
        for m in _DIGITS_RE.finditer(match.group())
    ]
    plus = match.group().startswith("+")
    if groups and _first_group_blocked(ctx, base):
        groups = groups[1:]
        plus = False
    if groups and _last_group_blocked(ctx.scan, match.end()):
        groups = groups[:-1]
    return plus, groups


def _phone_at(groups: list[_Group], i: int, plus: bool) -> tuple[int, str] | None:
    """Longest run of whole groups starting at ``i`` that is a plausible phone number."""
    digits = ""
    found: tuple[int, str] | None = None
    for j in range(i, min(len(groups), i + 8)):
        digits += groups[j].digits
        if len(digits) > 15:
            break
        if plus:
            if len(digits) < 8:
                continue
            candidate = "+" + digits
        elif _vn_phone_shape(digits):
            candidate = digits
        else:
            continue
        e164 = normalize_phone(candidate)
        if e164 is not None:
            found = (j, e164)
    return found


def _money_like(groups: list[_Group], text: str) -> bool:
    # "150.000.000": thousands separators, not an account number.
    if len(groups) < 2:
        return False
    first = groups[0].digits
    if first.startswith("0") or len(first) > 3:
        return False
    return all(
        len(g.digits) == 3 and text[groups[k].end] in ".," for k, g in enumerate(groups[1:])
    )


class _Candidate(NamedTuple):
    start: int
    end: int
    digits: str
    phone: str | None  # E.164 when the digits are a plausible phone
    at_cluster_end: bool


def _digit_candidates(groups: list[_Group], plus: bool) -> list[_Candidate]:
    out: list[_Candidate] = []
    k = len(groups)
    i = 0
    while i < k:
        phone = _phone_at(groups, i, plus and i == 0)
        if phone is not None:
            j, e164 = phone
            digits = "".join(g.digits for g in groups[i : j + 1])
            out.append(_Candidate(groups[i].start, groups[j].end, digits, e164, j == k - 1))
            i = j + 1
            continue
        length = len(groups[i].digits)
        if 6 <= length <= 19:
            out.append(
                _Candidate(groups[i].start, groups[i].end, groups[i].digits, None, i == k - 1)
            )
            i += 1
            continue
        if 3 <= length <= 5:
            # Accounts are written in groups of 3–5 ("1903 6789 0123"); anything else glued on
            # with a space ("STK 0123456789 2 lần") is a different number.
            j, total = i, length
            while (
                j + 1 < k
                and 3 <= len(groups[j + 1].digits) <= 5
                and _phone_at(groups, j + 1, False) is None
            ):
                j += 1
                total += len(groups[j].digits)
            # A grouped run longer than any account (card/ID numbers, digit soup) is not cut
            # into an arbitrary 19-digit "account"; it is skipped as a whole.
            if j > i and 6 <= total <= 19:
                digits = "".join(g.digits for g in groups[i : j + 1])
                out.append(_Candidate(groups[i].start, groups[j].end, digits, None, j == k - 1))
            i = j + 1
            continue
        i += 1
    return out


def _classify_number(ctx: _Context, cand: _Candidate, groups: list[_Group]) -> Indicator | None:
    cue = ctx.account_cue(cand.start)
    if cand.phone is not None and not cue:
        # A valid phone with no account cue is a phone, even next to a bank name.
        return _phone_indicator(cand.phone)
    if cand.phone is None:
        if cand.at_cluster_end and ctx.unit_follows(cand.end):
            return None  # "5000000 đồng", "300k"
        members = [g for g in groups if cand.start <= g.start and g.end <= cand.end]
        if _money_like(members, ctx.scan):
            return None
    bank = ctx.nearest_bank(cand.start, cand.end, _BANK_ATTACH_WORDS if cue else _BANK_ALONE_WORDS)
    if bank is None and (not cue or (cand.phone is None and cand.digits.endswith("000"))):
        # Without a bank name a round number after "tài khoản" is almost always a balance
        # ("tài khoản còn 5000000"), not an account number.
        return None
    value = normalize_bank_account(cand.digits, bank)
    return None if value is None else _bank_indicator(value)


def _link_in_token(token: str) -> tuple[int, Indicator | None] | None:
    """Find a link in a whitespace token: (offset in token, indicator or None to just mask)."""
    scheme = _SCHEME_SEARCH_RE.search(token)
    if scheme is not None:
        offset = scheme.start()
    else:
        offset = 0
        while offset < len(token) and token[offset] in _LEADING_JUNK:
            offset += 1
        colon = token.find(":", offset)
        if colon != -1:
            head = token[offset:colon]
            # "Link:abc.com", "web:abc.vn" — a label glued with a colon, not a host:port.
            if head and "." not in head and "/" not in head and not _is_ascii_digits(head):
                offset = colon + 1
    candidate = token[offset:].rstrip(_TRAILING_JUNK)
    if "." not in candidate:
        return None
    body = candidate[scheme.end() - scheme.start() :] if scheme is not None else candidate
    cut = len(body)
    for sep in "/?#\\":
        idx = body.find(sep)
        if idx != -1 and idx < cut:
            cut = idx
    authority = body[:cut]
    if "@" in authority and scheme is None:
        return offset, None  # e-mail address: not a link, but its digits aren't a phone either
    url = _parse_url(candidate, cleaned=True)
    if url is None:
        return None
    if scheme is None:
        # Bare domains need an ASCII host and a common TLD (or "www."), otherwise every
        # "word.word" typo would be a link.
        tld = url.host.rsplit(".", 1)[-1]
        if not authority.isascii() or (
            tld not in _COMMON_TLDS and not authority.lower().startswith("www.")
        ):
            return None
    social = _social_from_url(url)
    if social is not None:
        return offset, _social_indicator(social)
    if url.host in _SOCIAL_HOSTS and not url.path:
        return offset, None  # "facebook.com" on its own is not an indicator
    return offset, _url_indicator(_url_value(url))


def extract_indicators(text: str) -> list[Indicator]:
    """All phones, bank accounts, links and social profiles in ``text``.

    De-duplicated by (kind, value), in order of first appearance.  Never raises.
    """
    if not isinstance(text, str) or not text:
        return []
    clean = _clean(text)
    found: list[tuple[int, Indicator]] = []

    # 1. Links first, then blank them out so their digits ("zalo.me/0987...", "?id=123456789")
    #    aren't read again as phones or accounts.
    masked: list[tuple[int, int]] = []
    for m in _TOKEN_RE.finditer(clean):
        if "." not in m.group():
            continue
        link = _link_in_token(m.group())
        if link is None:
            continue
        offset, indicator = link
        masked.append((m.start(), m.end()))
        if indicator is not None:
            found.append((m.start() + offset, indicator))
    if masked:
        pieces: list[str] = []
        last = 0
        for start, end in masked:
            pieces.append(clean[last:start])
            pieces.append(" " * (end - start))
            last = end
        pieces.append(clean[last:])
        scan = "".join(pieces)
    else:
        scan = clean

    # 2. Numbers: split digit clusters into phones / account candidates, then decide each one
    #    from its neighbourhood (account cue words, bank names, units).
    ctx = _Context(scan)
    for m in _CLUSTER_RE.finditer(scan):
        plus, groups = _cluster_groups(ctx, m)
        if not groups:
            continue
        for cand in _digit_candidates(groups, plus):
            indicator = _classify_number(ctx, cand, groups)
            if indicator is not None:
                found.append((cand.start, indicator))

    found.sort(key=lambda item: item[0])
    seen: set[tuple[IndicatorKind, str]] = set()
    result: list[Indicator] = []
    for _, indicator in found:
        key = (indicator.kind, indicator.value)
        if key not in seen:
            seen.add(key)
            result.append(indicator)
    return result
