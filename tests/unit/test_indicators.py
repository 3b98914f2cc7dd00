"""Scam-indicator extraction and normalisation (services.indicators): pure functions, no DB."""

from __future__ import annotations

import time
from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.indicators import (
    _BANKS,
    Indicator,
    IndicatorKind,
    extract_indicators,
    normalize_any,
    normalize_bank,
    normalize_bank_account,
    normalize_phone,
    normalize_social,
    normalize_url,
)

PHONE = IndicatorKind.PHONE
BANK = IndicatorKind.BANK_ACCOUNT
URL = IndicatorKind.URL
SOCIAL = IndicatorKind.SOCIAL

RENORMALIZE: dict[IndicatorKind, Callable[[str], str | None]] = {
    PHONE: normalize_phone,
    URL: normalize_url,
    SOCIAL: normalize_social,
    BANK: normalize_bank_account,
}

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pairs(text: str) -> list[tuple[IndicatorKind, str]]:
    return [(i.kind, i.value) for i in extract_indicators(text)]


# ---------------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912.345.678",
        "0912 345 678",
        "0912-345-678",
        "(091) 234 5678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "0084912345678",
        "912345678",
        "+84 (0) 912 345 678",
        "０９１２３４５６７８",  # full-width digits from an IME
        "0912\u200b345\u200b678",  # zero-width spaces
        "0912\u00a0345\u00a0678",  # no-break spaces
        "0912–345–678",  # en dashes
        "tel:+84912345678",
    ],
)
def test_normalize_phone_variants(raw: str) -> None:
    assert normalize_phone(raw) == "+84912345678"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("024 3825 1234", "+842438251234"),
        ("(028) 3825 1234", "+842838251234"),
        ("+1 650 253 0000", "+16502530000"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_normalize_phone_landlines_and_foreign(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected
    assert normalize_phone(expected) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "0123456789",
        "12345",
        "0912 345 67",
        "091234567890",
        "abc",
        "1-800-FLOWERS",
        "gọi 0912345678",
        "0912345678 a",
        "+",
        "++84912345678",
        "x" * 10_000,
    ],
)
def test_normalize_phone_rejects(raw: str) -> None:
    assert normalize_phone(raw) is None


# ---------------------------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://Vietcombank-hotro.com/xac-nhan?id=1", "vietcombank-hotro.com/xac-nhan"),
        ("http://WWW.Vietcombank-Hotro.COM/xac-nhan/", "vietcombank-hotro.com/xac-nhan"),
        ("vietcombank-hotro.com/xac-nhan#top", "vietcombank-hotro.com/xac-nhan"),
        ("abc-vn.top", "abc-vn.top"),
        ("abc.com/x", "abc.com/x"),
        ("abc.com.vn/", "abc.com.vn"),
        ("https://abc.com:443/login", "abc.com/login"),
        ("http://abc.com:80", "abc.com"),
        ("http://abc.com:8080/a", "abc.com:8080/a"),
        ("abc.com//a///b/", "abc.com/a/b"),
        ("abc.com/a?utm_source=fb&fbclid=xyz", "abc.com/a"),
        ("abc.com/CaseKept", "abc.com/CaseKept"),
        ("abc.com/x%c3%a1c", "abc.com/x%C3%A1c"),
        ("abc.com/xác", "abc.com/x%C3%A1c"),
        ("abc.com/%7Euser", "abc.com/~user"),
        ("http://xn--bcher-kva.de/", "bücher.de"),
        ("BÜCHER.de", "bücher.de"),
        ("abc[.]com/x", "abc.com/x"),
        ("hxxps://abc.top/x", "abc.top/x"),
        ("http://vietcombank.com.vn@evil.top/a", "evil.top/a"),
        ("(abc.com/x).", "abc.com/x"),
        ("abc.com.", "abc.com"),
        ("www.com", "www.com"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected
    assert normalize_url(expected) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "1.5",
        "v.v",
        "TP.HCM",
        "a.m",
        "Mr.Bean",
        "abc",
        "abc.",
        ".com",
        "abc.c0m",
        "lua.dao@gmail.com",
        "ftp://abc.com",
        "javascript://abc.com",
        "abc.com:99999",
        "abc .com",
        "abc-.com",
        "http://192.168.1.1/login",
        "a" * 300 + ".com",
    ],
)
def test_normalize_url_rejects(raw: str) -> None:
    assert normalize_url(raw) is None


# ---------------------------------------------------------------------------------------------
# Social profiles
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("fb.com/lua.dao", "facebook:lua.dao"),
        ("https://www.facebook.com/Lua.Dao/", "facebook:lua.dao"),
        ("m.facebook.com/lua.dao?mibextid=abc", "facebook:lua.dao"),
        ("https://web.facebook.com/profile.php?id=100012345678&ref=x", "facebook:100012345678"),
        ("facebook.com/people/Nguyen-Van-A/100012345678/", "facebook:100012345678"),
        ("facebook.com/groups/MuaBanNhaDat", "facebook:groups/muabannhadat"),
        ("zalo.me/0987654321", "zalo:+84987654321"),
        ("https://zalo.me/84987654321", "zalo:+84987654321"),
        ("zalo.me/2345678901234567890", "zalo:2345678901234567890"),
        ("zalo.me/g/abcxyz123", "zalo:g/abcxyz123"),
        ("chat.zalo.me/?phone=0987654321", "zalo:+84987654321"),
        ("t.me/LuaDao_VN", "telegram:luadao_vn"),
        ("https://telegram.me/s/LuaDao_VN", "telegram:luadao_vn"),
        ("t.me/+AbCdEfGhIj", "telegram:+AbCdEfGhIj"),
        ("t.me/joinchat/AbCdEfGhIj", "telegram:+AbCdEfGhIj"),
        ("tiktok.com/@Lua.Dao/video/123", "tiktok:lua.dao"),
        ("instagram.com/Lua.Dao/", "instagram:lua.dao"),
        ("Zalo: 0987654321", "zalo:+84987654321"),
        ("facebook:lua.dao", "facebook:lua.dao"),
    ],
)
def test_normalize_social(raw: str, expected: str) -> None:
    assert normalize_social(raw) == expected
    assert normalize_social(expected) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "facebook.com",
        "facebook.com/share/p/abc",
        "fb.com/watch?v=1",
        "zalo.me",
        "t.me/c/123/4",
        "tiktok.com/foryou",
        "vt.tiktok.com/ZSabc",
        "instagram.com/p/abc",
        "abc.com/lua.dao",
        "",
    ],
)
def test_normalize_social_rejects(raw: str) -> None:
    assert normalize_social(raw) is None


# ---------------------------------------------------------------------------------------------
# Banks
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Vietcombank", "VCB"),
        ("VCB", "VCB"),
        ("vietcom bank", "VCB"),
        ("Ngân hàng Ngoại thương", "VCB"),
        ("NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM", "VCB"),
        ("BIDV", "BIDV"),
        ("VietinBank", "CTG"),
        ("Agribank", "VBA"),
        ("AGR", "VBA"),
        ("Techcombank", "TCB"),
        ("MB Bank", "MB"),
        ("Ngân hàng Quân đội", "MB"),
        ("ACB", "ACB"),
        ("VPBank", "VPB"),
        ("Sacombank", "STB"),
        ("TPBank", "TPB"),
        ("HDBank", "HDB"),
        ("SHB", "SHB"),
        ("VIB", "VIB"),
        ("OCB", "OCB"),
        ("MSB", "MSB"),
        ("SeABank", "SEAB"),
        ("LPBank", "LPB"),
        ("LienVietPostBank", "LPB"),
        ("Eximbank", "EIB"),
        ("Nam A Bank", "NAB"),
        ("Bắc Á", "BAB"),
        ("ABBank", "ABB"),
        ("PVcomBank", "PVCB"),
        ("VietABank", "VAB"),
        ("Kienlongbank", "KLB"),
        ("BaoViet Bank", "BVB"),
        ("SCB", "SCB"),
        ("NCB", "NCB"),
        ("Saigonbank", "SGB"),
        ("BVBank", "VCCB"),
        ("PGBank", "PGB"),
        ("Cake", "CAKE"),
        ("Timo", "TIMO"),
        ("Ví MoMo", "MOMO"),
        ("ZaloPay", "ZALOPAY"),
        ("ViettelPay", "VTMONEY"),
        ("Viettel Money", "VTMONEY"),
    ],
)
def test_normalize_bank(name: str, code: str) -> None:
    assert normalize_bank(name) == code


def test_every_bank_code_maps_to_itself() -> None:
    for code in _BANKS:
        assert normalize_bank(code) == code
        assert normalize_bank(code.lower()) == code


@pytest.mark.parametrize("name", ["", "xyz", "ngân hàng", "bank", "Công an phường"])
def test_normalize_bank_unknown(name: str) -> None:
    assert normalize_bank(name) is None


@pytest.mark.parametrize(
    ("raw", "bank", "expected"),
    [
        ("0123 456 789", "Vietcombank", "VCB:0123456789"),
        ("1903-6789-0123", "tcb", "TCB:190367890123"),
        ("190367890123", None, "190367890123"),
        ("TCB:190367890123", None, "TCB:190367890123"),
        ("190367890123", "unknown bank", "190367890123"),
        ("12345", None, None),
        ("12345678901234567890", None, None),
        ("12a456789", None, None),
        ("XYZ:123456789", None, None),
    ],
)
def test_normalize_bank_account(raw: str, bank: str | None, expected: str | None) -> None:
    assert normalize_bank_account(raw, bank) == expected
    if expected is not None:
        assert normalize_bank_account(expected) == expected


# ---------------------------------------------------------------------------------------------
# normalize_any (/kiemtra)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("0912.345.678", PHONE, "+84912345678"),
        ("+84912345678", PHONE, "+84912345678"),
        ("fb.com/lua.dao", SOCIAL, "facebook:lua.dao"),
        ("zalo.me/0987654321", SOCIAL, "zalo:+84987654321"),
        ("https://Vietcombank-hotro.com/xac-nhan?id=1", URL, "vietcombank-hotro.com/xac-nhan"),
        ("abc-vn.top", URL, "abc-vn.top"),
        ("1903 6789 0123 Techcombank", BANK, "TCB:190367890123"),
        ("Techcombank: 190367890123", BANK, "TCB:190367890123"),
        ("STK 0123456789 Vietcombank", BANK, "VCB:0123456789"),
        ("VCB:0123456789", BANK, "VCB:0123456789"),
        ("0123456789", BANK, "0123456789"),
    ],
)
def test_normalize_any(raw: str, kind: IndicatorKind, value: str) -> None:
    indicator = normalize_any(raw)
    assert indicator is not None
    assert (indicator.kind, indicator.value) == (kind, value)
    again = normalize_any(indicator.value)
    assert again is not None and (again.kind, again.value) == (kind, value)


@pytest.mark.parametrize(
    "raw", ["", "   ", "lừa đảo", "TP.HCM", "Vietcombank", "0123456789 abcxyz", "12,5%"]
)
def test_normalize_any_rejects(raw: str) -> None:
    assert normalize_any(raw) is None


def test_display_forms() -> None:
    assert normalize_any("0912345678") == Indicator(PHONE, "+84912345678", "0912 345 678")
    assert normalize_any("VCB:0123456789") == Indicator(
        BANK, "VCB:0123456789", "Vietcombank 0123456789"
    )
    assert normalize_any("abc.com/x%C3%A1c") == Indicator(URL, "abc.com/x%C3%A1c", "abc.com/xác")
    assert normalize_any("zalo.me/0987654321") == Indicator(
        SOCIAL, "zalo:+84987654321", "Zalo 0987 654 321"
    )


# ---------------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------------

EXAMPLE = (
    "Chuyển khoản vào STK 0123 456 789 Vietcombank, gọi 0912.345.678 hoặc +84 912 345 678, "
    "vào link https://Vietcombank-hotro.com/xac-nhan?id=1 hoặc zalo.me/0987654321, "
    "fb.com/lua.dao"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            EXAMPLE,
            [
                (BANK, "VCB:0123456789"),
                (PHONE, "+84912345678"),
                (URL, "vietcombank-hotro.com/xac-nhan"),
                (SOCIAL, "zalo:+84987654321"),
                (SOCIAL, "facebook:lua.dao"),
            ],
        ),
        ("Liên hệ 0912.345.678", [(PHONE, "+84912345678")]),
        ("Gọi +84 912 345 678 nhé", [(PHONE, "+84912345678")]),
        ("sđt 84912345678", [(PHONE, "+84912345678")]),
        ("0912-345-678!", [(PHONE, "+84912345678")]),
        ("(091) 234 5678", [(PHONE, "+84912345678")]),
        ("sdt0912345678 (nhắn zalo)", [(PHONE, "+84912345678")]),
        (
            "Hotline giả: 024 3825 1234 / 028.3825.1234",
            [(PHONE, "+842438251234"), (PHONE, "+842838251234")],
        ),
        ("hai số 0912345678 0987654321", [(PHONE, "+84912345678"), (PHONE, "+84987654321")]),
        ("０９１２ ３４５ ６７８", [(PHONE, "+84912345678")]),
        ("STK: 1903 6789 0123 Techcombank", [(BANK, "TCB:190367890123")]),
        (
            "Số tài khoản: 19036789012345\nNgân hàng: Techcombank\nChủ TK: NGUYEN VAN A",
            [(BANK, "TCB:19036789012345")],
        ),
        ("STK 0912345678 MB Bank - chủ TK Nguyen Van A", [(BANK, "MB:0912345678")]),
        (
            "chuyển vào Vietcombank 0123456789 hoặc Techcombank 1903678901",
            [(BANK, "VCB:0123456789"), (BANK, "TCB:1903678901")],
        ),
        ("Ngân hàng TMCP Ngoại thương Việt Nam, STK 0123456789", [(BANK, "VCB:0123456789")]),
        ("tk 123456789012 ạ", [(BANK, "123456789012")]),
        (  # the look-back window starts in the middle of the long bank name
            "ngân hàng thương mại cổ phần sài gòn thương tín " + "a" * 46 + " 0123456789",
            [(BANK, "STB:0123456789")],
        ),
        ("tài khoản Zalo 0987654321 nhé", [(PHONE, "+84987654321")]),
        ("MB 0912345678", [(PHONE, "+84912345678")]),  # valid phone, no account cue
        (
            "t.me/LuaDao_VN, https://t.me/+AbCdEfGhIj",
            [(SOCIAL, "telegram:luadao_vn"), (SOCIAL, "telegram:+AbCdEfGhIj")],
        ),
        (
            "xem tiktok.com/@Lua.Dao/video/1 và facebook.com/profile.php?id=100012345678",
            [(SOCIAL, "tiktok:lua.dao"), (SOCIAL, "facebook:100012345678")],
        ),
        (
            "Link:abc-vn.top/login/ và http://xn--bcher-kva.de/ và www.example.xyz.",
            [(URL, "abc-vn.top/login"), (URL, "bücher.de"), (URL, "example.xyz")],
        ),
        ("vào (shopee-khuyenmai.click/nhan-qua) ngay", [(URL, "shopee-khuyenmai.click/nhan-qua")]),
        ("trang lừa abc[.]top/otp", [(URL, "abc.top/otp")]),
        (
            "link https://vietcombank.com.vn.xac-thuc.online/login?u=0912345678",
            [(URL, "vietcombank.com.vn.xac-thuc.online/login")],
        ),
        ("email lua.dao0912345678@gmail.com", []),
        ("fb.com/lua.dao fb.com/Lua.Dao FB.COM/lua.dao/", [(SOCIAL, "facebook:lua.dao")]),
    ],
)
def test_extract(text: str, expected: list[tuple[IndicatorKind, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ngày 25/7/2022 lúc 07:30 tại số 12 ngõ 34, thiệt hại 5.000.000 đồng (12,5%)",
        "biển số 18A-123.45",
        "biển số 29H1-567.89, xe máy 59-X1 234.56",
        "mất 5tr, 500k, 2,5 tỷ, 150.000.000đ và 1.500.000 VND",
        "tài khoản bị trừ 150.000.000 đồng",
        "tài khoản bị trừ 2500000 đồng",
        "tài khoản còn 5000000",
        "STK 1234 5678 9012 3456 7890",  # 20 digits: longer than any account
        "ngày 25-07-2022, 25.07.2022, năm 2023, 30%",
        "v.v... TP.HCM, a.m, 1.5, Mr.Bean, tôi bị lừa.hãy cẩn thận",
        "đơn hàng #12345678901 mã OTP 123456",
        "phiên bản v1.2345678 đã cập nhật",
        "liên hệ lua.dao@gmail.com hoặc 0912345678@gmail.com",
        "tỉ lệ 0,912345678 và 1/0912345678",
        "facebook.com và zalo.me đều có",
        "",
        "   \n\t",
    ],
)
def test_extract_false_positives(text: str) -> None:
    assert extract_indicators(text) == []


def test_extract_values_renormalise_on_example() -> None:
    for indicator in extract_indicators(EXAMPLE):
        assert RENORMALIZE[indicator.kind](indicator.value) == indicator.value


@pytest.mark.parametrize(
    "text",
    [
        "0" * 100_000,
        "1 " * 50_000,
        "1." * 50_000,
        "1-" * 50_000,
        "a." * 50_000,
        "https://" + "a" * 100_000,
        "abc.com/" + "%" * 100_000,
        "STK " * 25_000,
        "tài khoản " * 10_000,
        "Vietcombank " * 8_000,
        ("Chuyển khoản vào STK 0123 456 789 Vietcombank, gọi 0912.345.678 " * 2_000)[:100_000],
        "(" * 50_000 + "1" * 50_000,
        "+" * 100_000,
        "x@" * 50_000,
        "\u200b" * 100_000,
    ],
    ids=lambda text: repr(text[:12]),
)
def test_extract_never_backtracks_catastrophically_on_100kb(text: str) -> None:
    """A guard against catastrophic regex backtracking, not a speed target (those live in
    bench/): linear extraction takes well under a second here, a quadratic or exponential
    pattern takes minutes, so the bound is generous enough for a loaded CI machine."""
    started = time.perf_counter()
    extract_indicators(text)
    normalize_any(text)
    normalize_url(text)
    normalize_social(text)
    assert time.perf_counter() - started < 30.0


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

MOBILE_PREFIXES = [
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "38",
    "39",
    "56",
    "58",
    "59",
    "70",
    "76",
    "77",
    "78",
    "79",
    "81",
    "82",
    "83",
    "84",
    "85",
    "86",
    "88",
    "90",
    "91",
    "92",
    "93",
    "94",
    "96",
    "97",
    "98",
    "99",
]


def _valid_vn(national: str) -> bool:
    # phonenumbers itself is the oracle for "valid", independent of the code under test.
    return phonenumbers.is_valid_number(phonenumbers.parse("0" + national, "VN"))


vn_mobiles = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(MOBILE_PREFIXES),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
).filter(_valid_vn)

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def phone_variants(n: str) -> list[str]:
    """Ways residents write the 9-digit national number ``n`` (without its leading 0)."""
    local = "0" + n
    return [
        local,
        "+84" + n,
        "84" + n,
        "0084" + n,
        f"{local[:4]} {local[4:7]} {local[7:]}",
        f"{local[:4]}.{local[4:7]}.{local[7:]}",
        f"{local[:4]}-{local[4:7]}-{local[7:]}",
        f"({local[:3]}) {local[3:6]} {local[6:]}",
        f"+84 {n[:3]} {n[3:6]} {n[6:]}",
        f"84 {n[:3]} {n[3:6]} {n[6:]}",
        f"+84-{n[:3]}-{n[3:6]}-{n[6:]}",
        f"{local[:3]} {local[3:6]} {local[6:8]} {local[8:]}",
        local.translate(FULL_WIDTH),
        "\u200b".join(local),
    ]


@FAST
@given(vn_mobiles)
def test_every_phone_format_normalises_to_the_same_e164(n: str) -> None:
    expected = "+84" + n
    for variant in phone_variants(n):
        assert normalize_phone(variant) == expected, variant
    assert normalize_phone(n) == expected  # "9xx..." without the trunk 0
    assert normalize_phone(expected) == expected


FILLER_WORDS = [
    "bà con",
    "cẩn thận",
    "lừa đảo",
    "kẻ gian",
    "giả danh",
    "công an",
    "phường",
    "nhắn tin",
    "yêu cầu",
    "chuyển tiền",
    "ngay",
    "hôm nay",
    "Cảnh báo",
    "đừng",
    "tin",
    "nhé",
    "ạ",
    "!!!",
    "🙏",
    "khu phố",
    "Hà Nội",
    "xin",
    "cảm ơn",
    "gọi",
    "liên hệ",
    "link",
    "trúng thưởng",
    "nhận quà",
    "đóng phí",
    "Đà Nẵng",
    "tổ dân phố",
    "anh",
    "chị",
    "em",
    "số",
    "vào",
    "và",
]
filler = st.lists(st.sampled_from(FILLER_WORDS), max_size=8).map(" ".join)
joiner = st.sampled_from([" ", "\n", ": ", " - ", "  "])
trailer = st.sampled_from(["", ".", ",", "!", " ", "?", ")"])


@FAST
@given(filler, joiner, vn_mobiles, st.integers(0, 13), trailer, joiner, filler)
def test_embedded_phone_is_found(
    before: str, j1: str, n: str, variant: int, end: str, j2: str, after: str
) -> None:
    written = phone_variants(n)[variant]
    text = before + j1 + written + end + j2 + after
    assert (PHONE, "+84" + n) in pairs(text), text


hostnames = st.from_regex(r"[a-z0-9](?:[a-z0-9\-]{0,10}[a-z0-9])?", fullmatch=True)
tlds = st.sampled_from(
    [
        "com",
        "vn",
        "com.vn",
        "net",
        "org",
        "top",
        "xyz",
        "info",
        "online",
        "site",
        "shop",
        "click",
        "link",
        "io",
        "cc",
        "app",
    ]
)
path_segments = st.lists(st.from_regex(r"[A-Za-z0-9_\-]{1,10}", fullmatch=True), max_size=3)


@FAST
@given(
    filler,
    joiner,
    st.sampled_from(["", "http://", "https://", "HTTPS://www.", "www."]),
    hostnames,
    tlds,
    path_segments,
    st.booleans(),
    st.sampled_from(["", "?id=1", "?utm_source=zalo&ref=0912345678", "#x"]),
    trailer,
    joiner,
    filler,
)
def test_embedded_url_is_found(
    before: str,
    j1: str,
    prefix: str,
    host: str,
    tld: str,
    segments: list[str],
    upper: bool,
    suffix: str,
    end: str,
    j2: str,
    after: str,
) -> None:
    domain = f"{host}.{tld}"
    path = "".join("/" + s for s in segments)
    written = prefix + (domain.upper() if upper else domain) + path + suffix
    expected = domain + path
    assert normalize_url(written) == expected
    text = before + j1 + written + end + j2 + after
    assert (URL, expected) in pairs(text), text


bank_names = st.sampled_from(
    [
        "Vietcombank",
        "VCB",
        "Techcombank",
        "MB Bank",
        "ACB",
        "BIDV",
        "VPBank",
        "Sacombank",
        "Ngân hàng Quân đội",
        "Agribank",
        "TPBank",
        "MoMo",
    ]
)


@FAST
@given(
    filler,
    st.sampled_from(["STK", "Số tài khoản:", "STK:", "tk", "TK"]),
    st.text(alphabet="0123456789", min_size=8, max_size=16),
    st.sampled_from([" ", " - ", ", ngân hàng ", "\nNgân hàng: "]),
    bank_names,
    joiner,
    filler,
)
def test_embedded_bank_account_is_found(
    before: str, cue: str, digits: str, sep: str, bank: str, j2: str, after: str
) -> None:
    text = f"{before}\n{cue} {digits}{sep}{bank}{j2}{after}"
    expected = f"{normalize_bank(bank)}:{digits}"
    assert (BANK, expected) in pairs(text), text


def _check_extraction(text: str) -> None:
    result = extract_indicators(text)
    keys = [(i.kind, i.value) for i in result]
    assert len(keys) == len(set(keys))
    for indicator in result:
        assert isinstance(indicator, Indicator)
        assert indicator.display
        assert RENORMALIZE[indicator.kind](indicator.value) == indicator.value, indicator


@FAST
@given(st.text())
def test_extract_never_raises_and_values_are_canonical(text: str) -> None:
    _check_extraction(text)


# Arbitrary text rarely contains anything number- or link-shaped; bias the alphabet so the
# interesting code paths (clusters, hosts, cues, units) actually run.
scammy_text = st.lists(
    st.one_of(
        st.text(alphabet="0123456789 .-+()/:,%@#đk", max_size=20),
        st.sampled_from(
            [
                "STK ",
                "tài khoản ",
                "Vietcombank ",
                "MB ",
                "zalo.me/",
                "fb.com/",
                "t.me/",
                "https://",
                "www.",
                ".com",
                ".vn",
                ".top",
                "xn--",
                "tiktok.com/@",
                "?id=",
                "\u200b",
                "０９",
                "đồng",
                " tr",
                "%",
                "profile.php?id=",
            ]
        ),
        st.text(max_size=5),
    ),
    max_size=25,
).map("".join)


@FAST
@given(scammy_text)
def test_extract_on_scam_shaped_noise(text: str) -> None:
    _check_extraction(text)


@FAST
@given(st.one_of(st.text(), scammy_text))
def test_normalizers_never_raise_and_are_idempotent(text: str) -> None:
    for normalize in (normalize_phone, normalize_url, normalize_social, normalize_bank_account):
        value = normalize(text)
        if value is not None:
            assert normalize(value) == value, (normalize.__name__, text, value)
    code = normalize_bank(text)
    assert code is None or normalize_bank(code) == code
    indicator = normalize_any(text)
    if indicator is not None:
        assert RENORMALIZE[indicator.kind](indicator.value) == indicator.value
