"""The message catalogue is complete in both languages (the layers: tests/unit/test_layers.py)."""

from __future__ import annotations

import re
from pathlib import Path

from bot import i18n

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ["bot", "handlers", "services", "scheduler", "storage", "zalo", "zalo_oa", "web"]

# Places where a catalogue key is passed as a literal.
KEY_USES = re.compile(
    r"""(?:\bt\(|context\.text\(|reply\(\s*update,\s*context,\s*|_answer\(\s*update,\s*context,\s*|"""
    r"""OutgoingMessage\(\s*|\bkey=|label_key=|MenuEntry\(\s*|InlineButton\(\s*|L10n\(\s*|"""
    r"""(?:InvalidInput|NotFound|PermissionDenied|AnninhError|RateLimited)\(\s*)"([a-z][a-z0-9_-]+)\"""",
)


def _python_files(*dirs: str) -> list[Path]:
    return [p for d in dirs for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts]


def test_every_key_exists_in_every_locale() -> None:
    vi, en = i18n.keys("vi"), i18n.keys("en")
    assert vi - en == set(), f"missing in en: {sorted(vi - en)}"
    assert en - vi == set(), f"missing in vi: {sorted(en - vi)}"


def test_every_key_used_in_code_is_in_the_catalogue() -> None:
    known = i18n.keys("vi")
    missing = {}
    for path in _python_files(*CODE_DIRS):
        for key in KEY_USES.findall(path.read_text(encoding="utf-8")):
            if key not in known:
                missing.setdefault(key, str(path.relative_to(ROOT)))
    assert missing == {}, f"keys used but not in the catalogue: {missing}"


TEMPLATE_KEYS = re.compile(r"""w\.tg?\(\s*["']([a-z][a-z0-9-]+)["']""")


def test_every_key_the_console_pages_use_is_in_the_catalogue() -> None:
    from services.console_model import STATUS_FILTERS
    from services.console_stats import PERIOD_CHOICES
    from services.web_signin import LinkProblem

    known = i18n.keys("vi")
    used = set()
    for path in (ROOT / "web" / "templates").glob("*.html"):
        used |= set(TEMPLATE_KEYS.findall(path.read_text(encoding="utf-8")))
    # Keys the templates build from a value ("web-status-" ~ s, ...).
    used = {k for k in used if not k.endswith("-")}
    used |= {f"web-status-{s}" for s in STATUS_FILTERS}
    used |= {f"web-period-{p.value}" for p in PERIOD_CHOICES}
    used |= {f"web-link-{p.value}" for p in LinkProblem}
    assert len(used) > 50
    missing = used - known
    assert missing == set(), f"keys used by the console but not in the catalogue: {missing}"


def test_messages_render_with_vietnamese_number_formatting() -> None:
    assert "12.345" in i18n.t("error-text-too-long", "vi", length=12345, limit=4096)
    assert "12,345" in i18n.t("error-text-too-long", "en", length=12345, limit=4096)
    assert i18n.t("no-such-key", "vi") == "no-such-key"


# A key named whole in code or a template ("tip-status-handled"), the start of a key built from
# a value (f"tip-status-{status}", "web-status-" ~ s), or a key another message refers to
# ("{ action-verify }").
_QUOTED = re.compile(r"""["']([a-z][a-z0-9_-]+)["']""")
_PREFIXES = (
    re.compile(r"""f["']([a-z][a-z0-9-]*-)\{"""),
    re.compile(r"""["']([a-z][a-z0-9-]*-)["']\s*(?:\+|~|%)"""),
)
_REFERENCE = re.compile(r"\{\s*-?([a-z][a-z0-9_-]+)\s*\}")


def test_every_catalogue_key_is_used_and_exists_in_english() -> None:
    code = "\n".join(
        path.read_text(encoding="utf-8")
        for d in (*CODE_DIRS, "sandbox")
        for path in (ROOT / d).rglob("*")
        if path.is_file() and path.suffix in (".py", ".html") and "migrations" not in path.parts
    )
    catalogue = "\n".join(
        p.read_text(encoding="utf-8") for p in (i18n.LOCALES_DIR / "vi").glob("*.ftl")
    )
    used = set(_QUOTED.findall(code)) | set(_REFERENCE.findall(catalogue))
    prefixes = tuple({p for pattern in _PREFIXES for p in pattern.findall(code)})
    vi = i18n.keys("vi")
    unused = sorted(k for k in vi if k not in used and not k.startswith(prefixes))
    assert unused == [], f"catalogue keys no code uses: {unused}"
    assert vi - i18n.keys("en") == set()
