"""``extract_indicators``: find every link, social profile, phone and bank account in free text."""

from __future__ import annotations

import re
from typing import Final

from storage.models.indicators import Indicator, IndicatorKind

from .digits import _CLUSTER_RE, _classify_number, _cluster_groups, _digit_candidates
from .scan_context import _Context
from .social import _SOCIAL_HOSTS, _social_from_url, _social_indicator
from .text import _clean, _is_ascii_digits
from .urls import (
    _COMMON_TLDS,
    _LEADING_JUNK,
    _SCHEME_SEARCH_RE,
    _TRAILING_JUNK,
    _parse_url,
    _url_indicator,
    _url_value,
)

# ---------------------------------------------------------------------------------------------
# Extraction from free text
# ---------------------------------------------------------------------------------------------

# Whitespace-delimited tokens are where links live; scanning tokens (instead of one big URL
# regex) keeps link detection linear and lets us strip surrounding punctuation explicitly.
_TOKEN_RE: Final = re.compile(r"[^\s<>\"'`“”‘’«»「」『』]+")


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
