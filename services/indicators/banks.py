"""Banks and bank accounts: the bank/e-wallet catalogue (``_BANKS``), bank-name lookup,
``normalize_bank`` and ``normalize_bank_account``.
"""

from __future__ import annotations

import re
from typing import Final

from storage.models.indicators import Indicator, IndicatorKind

from .text import _clean, _fold

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
