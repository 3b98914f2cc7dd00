"""Numbers in free text: split digit clusters into groups, pick phone/account candidates and
classify each one as a phone, a bank account or nothing (dates, amounts, plates...).
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from storage.models.indicators import Indicator

from .banks import _bank_indicator, normalize_bank_account
from .phones import _phone_indicator, _vn_phone_shape, normalize_phone
from .scan_context import _Context

# Digit groups joined by a single space/dot/dash (or " - "), optionally "+" / "(0xx)".
# The separator class never overlaps the digit class, so matching is linear.
_CLUSTER_RE: Final = re.compile(r"\+?\(?[0-9]+\)?(?:(?: - |[ .\-])\(?[0-9]+\)?)*")
_DIGITS_RE: Final = re.compile(r"[0-9]+")
_GLUED_WORD_RE: Final = re.compile(r"[a-z]+$")
_ALNUM_RUN_RE: Final = re.compile(r"[^\W_]+$")
# Letters that may be glued to a number without a space ("sdt0912345678", "stk0123...").
_GLUED_CUES: Final = frozenset(
    {"sdt", "dt", "zalo", "stk", "tk", "goi", "lh", "hotline", "tel", "so", "sotk", "phone"}
)
_BANK_ATTACH_WORDS: Final = 5  # how far a bank name may be from a cued account
_BANK_ALONE_WORDS: Final = 2  # how close a bank name must be to make a bare number an account


class _Group(NamedTuple):
    digits: str
    start: int
    end: int


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
