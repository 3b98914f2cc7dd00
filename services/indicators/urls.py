"""Links: known TLDs, URL parsing into a canonical ``host[:port]/path`` and ``normalize_url``."""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Final, NamedTuple
from urllib.parse import unquote

from storage.models.indicators import Indicator, IndicatorKind

from .text import _clean, _is_ascii_digits, _wordset

# ---------------------------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------------------------

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
    """Canonical ``host[:port]/path`` of a link (see the package docstring), or None."""
    if not isinstance(raw, str):
        return None
    url = _parse_url(raw)
    return None if url is None else _url_value(url)


def _url_indicator(value: str) -> Indicator:
    host, slash, path = value.partition("/")
    display = host + (slash + unquote(path, errors="replace") if slash else "")
    return Indicator(IndicatorKind.URL, value, display)
