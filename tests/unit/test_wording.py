"""What people read (issue 18): one vocabulary, one spelling, names, places, every code in
words, English texts naming English commands, /help per role."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.i18n import LOCALES_DIR, SUPPORTED_LOCALES, has, keys, t
from bot.sender import OfflineSender
from bot.settings import load_settings
from bot.wiring import build_services
from handlers.start import HELP_LINES, help_keys
from services.access import Profile
from services.areas import local_name, police_unit, police_unit_name
from services.ports import L10n
from services.tip_review import TipReviewService
from storage.dto import AreaDTO, GrantDTO, UserDTO
from storage.models import AreaKind, ReviewKind, Role
from storage.person_names import person_name

ROOT = Path(__file__).resolve().parents[2]
STATUSES = ("received", "verifying", "handled", "rejected")


# -- names -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        ("Hùng", "Trần", "Trần Hùng"),
        ("Trần Văn Hùng", None, "Trần Văn Hùng"),  # typed whole into the first name: as typed
        ("Trần Văn Hùng", "", "Trần Văn Hùng"),
        ("Mai", "Đỗ Thị", "Đỗ Thị Mai"),
        ("", None, ""),
    ],
)
def test_family_name_first(first: str, last: str | None, shown: str) -> None:
    assert person_name(first, last) == shown


def test_every_name_shown_goes_through_person_name() -> None:
    """No other place joins a first and a last name (cards, audit, console, stats, Zalo)."""
    joined = re.compile(r"first_name[^\n]{0,40}last_name|last_name[^\n]{0,40}first_name")
    offenders = []
    for folder in ("bot", "handlers", "services", "storage", "web", "zalo", "zalo_oa"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or path.name == "person_names.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if joined.search(line) and ("join" in line or "full_name" in line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def _area(id_: int, name: str, kind: AreaKind, path: str) -> AreaDTO:
    return AreaDTO(id_, f"A{id_}", name, kind, None, path)


LINEAGE = (
    _area(1, "Nam Định", AreaKind.PROVINCE, "/1/"),
    _area(2, "Thành phố Nam Định", AreaKind.DISTRICT, "/1/2/"),
    _area(3, "Phường Thống Nhất", AreaKind.WARD, "/1/2/3/"),
    _area(4, "Tổ dân phố 1", AreaKind.RESIDENTIAL_GROUP, "/1/2/3/4/"),
)


def test_a_to_dan_pho_is_named_with_its_ward() -> None:
    assert local_name(LINEAGE) == "Tổ dân phố 1, Phường Thống Nhất"
    assert local_name(LINEAGE[:3]) == "Phường Thống Nhất"


def test_the_police_unit_follows_cong_an_in_lower_case() -> None:
    assert police_unit_name(LINEAGE) == "phường Thống Nhất"
    assert police_unit_name(LINEAGE[:2]) == "thành phố Nam Định"
    assert police_unit_name((_area(9, "TP Nam Định", AreaKind.DISTRICT, "/9/"),)) == "TP Nam Định"


# -- one vocabulary, one spelling ---------------------------------------------------------
@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_one_name_per_action_and_per_status_everywhere(locale: str) -> None:
    for action in ("verify", "handled", "reject", "escalate", "reply"):
        assert t(f"tip-action-{action}", locale) == t(f"tipact-button-{action}", locale)
        assert t(f"action-{action}", locale) in t(f"tip-action-{action}", locale)
        assert t(f"web-action-{action}", locale) == t(f"action-{action}", locale)
    for status in STATUSES:
        word = t(f"status-{status}", locale)
        assert word in t(f"tip-status-{status}", locale)
        assert word in t(f"stats-status-{status}", locale)
        assert t(f"web-status-{status}", locale) == word
    cancel = t("action-cancel", locale)
    for key in ("tip-button-cancel", "tipact-button-cancel", "adv-cancel", "zalo-choice-cancel"):
        assert cancel in t(key, locale), key


OLD_TONE = re.compile(r"(?i)(?<!q)(oá|oà|oả|oã|oạ|oé|oè|oẻ|oẽ|oẹ|uý|uỳ|uỷ|uỹ|uỵ)(?![^\W\d_])")


def test_vietnamese_uses_one_tone_placement_hủy_not_huỷ() -> None:
    """Modern placement throughout: "Hủy", "xóa", "hòa", "khóa", "tùy" (never "Huỷ", "xoá")."""
    root = LOCALES_DIR.parents[1]
    sources = [
        *sorted((LOCALES_DIR / "vi").glob("*.ftl")),
        # The demo page, the console and texts written in code (demo data, seed FAQ) too.
        *sorted((root / "sandbox" / "static").glob("*.*")),
        *sorted((root / "web" / "templates").glob("*.html")),
        *(
            p
            for d in ("bot", "handlers", "services", "zalo", "zalo_oa", "web", "sandbox")
            for p in sorted((root / d).rglob("*.py"))
        ),
        *sorted((root / "services").rglob("*.toml")),
    ]
    found = []
    for path in sources:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        for n, line in enumerate(text.splitlines(), 1):
            for word in re.findall(r"[^\W\d_]+", line):
                if OLD_TONE.search(word):
                    found.append(f"{path.relative_to(root)}:{n}: {word}")
    assert found == []


# -- every code in words --------------------------------------------------------------------
def _audit_codes() -> set[str]:
    """Every audit action the code writes (literal codes, and f"review.{action}")."""
    literal = re.compile(
        r'"((?:account|advisory|area|chat|contact|faq|grant|mod|report|review|scam|stats|'
        r'thanks|web)\.[a-z_]+)"'
    )
    codes: set[str] = set()
    for folder in ("services", "handlers", "web", "zalo", "zalo_oa", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            writers = ("AuditRepository", "_audit(", "_audit.record(", "audit_chat(")
            if not any(writer in text for writer in writers):
                continue
            codes |= set(literal.findall(text))
    return codes


def _review_actions() -> set[str]:
    settings = load_settings(database_url="sqlite+aiosqlite:///:memory:")
    services = build_services(settings, OfflineSender())
    names = set()
    for kind in ReviewKind:
        spec = services.review._spec(kind)
        if spec is not None:
            names |= {a.name for a in spec.actions}
    return names


def test_the_audit_codes_found_include_the_ones_users_saw_raw() -> None:
    codes = _audit_codes()
    assert {"scam.confirm", "report.relay_question", "review.denied", "mod.warn"} <= codes


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_audit_code_and_review_action_has_its_words(locale: str) -> None:
    actions = _review_actions()
    assert {"approve", "reject", "merge", "escalate", "dismiss", "ban"} <= actions
    codes = _audit_codes() | {f"review.{a}" for a in actions}
    missing = sorted(c for c in codes if not has(f"audit-action-{c.replace('.', '-')}", locale))
    assert missing == []
    assert sorted(a for a in actions if not has(f"review-action-{a}", locale)) == []
    # has() falls back to Vietnamese: the English file itself must hold each one.
    if locale == "en":
        text = "".join(p.read_text(encoding="utf-8") for p in (LOCALES_DIR / "en").glob("*.ftl"))
        assert [c for c in codes if f"audit-action-{c.replace('.', '-')} =" not in text] == []


def test_review_reasons_are_joined_without_a_stray_separator() -> None:
    from types import SimpleNamespace

    from bot.message_args import plain_args

    def reasons(*rules: str) -> str:
        item = SimpleNamespace(
            details={"rules": list(rules), "code": "TB-1"}, reason=rules[0], text="x", report_id=1
        )
        _, args = TipReviewService.describe(item, None)  # type: ignore[arg-type]
        assert isinstance(args["reasons"], L10n)
        return str(plain_args({"r": args["reasons"]}, "vi")["r"])

    assert reasons("flood", "many_links") == "một người gửi nhiều tin liền; nhiều đường link"
    assert reasons("officer") == "cán bộ đề nghị kiểm duyệt"


# -- English names English commands; /help per role -----------------------------------------
VIETNAMESE_COMMANDS = {
    "baocao": "report", "baocaotuan": "digest", "baotin": "tip", "caidat": "settings",
    "camon": "thanks", "canhbaolua": "scam", "canhbaotudong": "autowarn",
    "capnhatlienhe": "setcontact", "capquyen": "grant", "dangky": "subscribe",
    "duyet": "review", "hopthu": "inbox", "huy": "cancel", "huydangky": "unsubscribe",
    "huylienket": "unlink", "khuvuc": "area", "kiemtra": "check", "lichphat": "schedules",
    "lienhe": "contacts", "lienket": "link", "lienkettaikhoan": "linkaccount",
    "loicamon": "publishthanks", "nhatky": "audit", "phatcanhbao": "broadcast",
    "suathutuc": "editfaq", "thongke": "stats", "thuhoi": "retract", "thuquyen": "revoke",
    "thutuc": "faq", "tincuatoi": "mytips", "xacminh": "verify",
}  # fmt: skip


def test_english_texts_name_the_english_commands() -> None:
    """A Vietnamese command name only as the alias in brackets: "/tip (/baotin)"."""
    found = []
    for path in sorted((LOCALES_DIR / "en").glob("*.ftl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in re.finditer(r"(?<![\w/:.(])/([a-z]+)\b", line):
                if m.group(1) in VIETNAMESE_COMMANDS:
                    found.append(f"{path.name}:{n}: /{m.group(1)}")
    assert found == []


def _profile(*roles: Role) -> Profile:
    user = UserDTO(1, 1, "Lan", None, None, "vi", None, False)
    area = LINEAGE[2]
    now = datetime.now(UTC)
    return Profile(user, "vi", tuple(GrantDTO(i, 1, r, area, now) for i, r in enumerate(roles)))


def test_help_shows_each_person_the_commands_they_can_use() -> None:
    from bot.app import build_application

    # Building the application registers every feature's help lines.
    build_application(
        load_settings(database_url="sqlite+aiosqlite:///:memory:", bot_token="123456:TEST")
    )
    resident = {t(k, "vi") for k in help_keys(_profile())}
    moderator = {t(k, "vi") for k in help_keys(_profile(Role.MODERATOR))}
    police = {t(k, "vi") for k in help_keys(_profile(Role.POLICE))}
    assert not any(line.startswith(("/hopthu", "/phatcanhbao", "/duyet")) for line in resident)
    assert any(line.startswith("/baotin") for line in resident)
    assert any(line.startswith("/duyet") for line in moderator)
    assert not any(line.startswith("/hopthu") for line in moderator)
    assert any(line.startswith("/hopthu") for line in police) and moderator <= police
    assert len(help_keys(_profile(Role.ADMIN))) == len(HELP_LINES)


def test_every_key_is_in_both_languages() -> None:
    assert keys("vi") == keys("en")


def test_the_english_menu_lists_english_command_names() -> None:
    from bot import commands

    english = [c.command for c in commands.menu(commands.for_roles({Role.POLICE}), "en")]
    assert "tip" in english and "mytips" in english and "inbox" in english
    assert not set(english) & set(VIETNAMESE_COMMANDS)
    vietnamese = [c.command for c in commands.menu(commands.RESIDENT, "vi")]
    assert "baotin" in vietnamese and "hopthu" not in vietnamese


def test_every_english_menu_name_is_a_registered_command() -> None:
    from bot.commands import ENGLISH_NAMES

    registered: set[str] = set()
    for path in (ROOT / "handlers").glob("*.py"):
        for found in re.finditer(r"CommandHandler\(\s*\[([^\]]+)\]", path.read_text("utf-8")):
            registered |= set(re.findall(r'"(\w+)"', found.group(1)))
    assert sorted(set(ENGLISH_NAMES.values()) - registered) == []


@pytest.mark.parametrize(
    ("lineage", "vi", "en"),
    [
        (LINEAGE, "phường Thống Nhất", "Thống Nhất Ward"),
        (LINEAGE[:2], "thành phố Nam Định", "Nam Định City"),
        ((_area(9, "Xã Nam Phong", AreaKind.WARD, "/9/"),), "xã Nam Phong", "Nam Phong Commune"),
        ((_area(9, "TP Nam Định", AreaKind.DISTRICT, "/9/"),), "TP Nam Định", "TP Nam Định"),
    ],
)
def test_the_police_unit_is_named_the_way_each_language_does(
    lineage: tuple[AreaDTO, ...], vi: str, en: str
) -> None:
    from bot.message_args import plain_args

    unit = police_unit(lineage)
    assert plain_args({"unit": unit}, "vi")["unit"] == vi
    assert plain_args({"unit": unit}, "en")["unit"] == en
    assert police_unit(()) == ""


def test_no_message_starts_with_a_blank_line_fluent_would_drop() -> None:
    """Fluent strips a value's leading blank lines: "…chưa đọc.<b>Thông tin…" ran together.
    A message that must start on a new paragraph says so with {"\\u000A"}."""
    blank_start = re.compile(r"(?m)^([a-z][a-z0-9_-]*) =[ \t]*\n[ \t]*\n[ \t]+\S")
    found = [
        f"{path.parent.name}/{path.name}: {key}"
        for locale in SUPPORTED_LOCALES
        for path in sorted((LOCALES_DIR / locale).glob("*.ftl"))
        for key in blank_start.findall(path.read_text(encoding="utf-8"))
    ]
    assert found == []
