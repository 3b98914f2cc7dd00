"""Statistics end to end through the local Bot API server: /thongke and its buttons, the chart
photo, the breakdown by area, rights, the CLI export and the weekly digest job."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import select

from bot.i18n import t
from scheduler.digest import JOB_NAME, weekly_digest_job
from storage.models import Area, Report, ReportKind, ReportStatus
from storage.uow import transaction
from tests.e2e.harness import BotHarness, buttons, keyboard_labels, user
from tests.unit.test_stats_service import (
    DISTRICT_OFFICER,
    REPORTER_NAME,
    REPORTER_TG_ID,
    REPORTER_USERNAME,
    WARD_OFFICER,
    seed,
)

ROOT = Path(__file__).resolve().parents[2]
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICER = user(WARD_OFFICER, "Hùng")
DISTRICT = user(DISTRICT_OFFICER, "Dũng")
RESIDENT = user(5004, "Lan")
PNG = b"\x89PNG\r\n\x1a\n"


async def seed_now(h: BotHarness, n_crime: int = 2, n_order: int = 1) -> None:
    """A few tips arriving right now in Tổ dân phố 1, so "this week" has something."""
    async with transaction(h.services.sessions) as session:
        area_id = await session.scalar(select(Area.id).where(Area.code == "ND-TN-01"))
        now = datetime.now(UTC)
        for i, category in enumerate(["crime"] * n_crime + ["order"] * n_order):
            session.add(
                Report(
                    code=f"TB-NOW-{i}",
                    kind=ReportKind.TIP,
                    category=category,
                    text="Tin mới",
                    status=ReportStatus.RECEIVED,
                    area_id=area_id,
                    created_at=now,
                    updated_at=now,
                )
            )


async def photo_is_png(h: BotHarness, message: dict) -> bytes:
    assert "photo" in message, message
    largest = max(message["photo"], key=lambda p: p.get("file_size", 0) or p["width"])
    data = await h.client.download(largest["file_id"])
    assert data[:8] == PNG
    return data


async def test_thongke_buttons_give_figures_and_a_chart(harness: BotHarness) -> None:
    seeded = await seed(harness.services.sessions)
    await seed_now(harness)

    [menu] = await harness.say(OFFICER, "/thongke")
    assert "Phường Thống Nhất" in menu["text"]
    data = [d for _, d in buttons(menu)]
    assert data == ["st:p:w:0", "st:p:m:0", "st:p:q:0", "st:p:y:0", "st:p:lm:0"]
    assert ("Tuần này", "st:p:w:0") in buttons(menu)

    answer, [photo, figures] = await harness.press(OFFICER, menu, "st:p:w:0", expect=2)
    assert answer is not None
    await photo_is_png(harness, photo)
    assert "Phường Thống Nhất" in photo["caption"]
    text = figures["text"]
    assert "THỐNG KÊ TIN BÁO" in text and "Kỳ: tuần này" in text
    assert "Tin báo nhận được: 3 tin" in text
    assert "• Tội phạm: 2 tin" in text and "• Trật tự: 1 tin" in text
    assert "• Đã tiếp nhận, chưa xử lý: 3" in text
    labels = [label for label, _ in buttons(figures)]
    assert labels[0] == t("stats-btn-areas", "vi")

    # By area: each tổ dân phố with its count; pressing one opens its own figures.
    by_area = buttons(figures)[0][1]
    assert by_area.startswith("st:a:w.")
    _, [breakdown] = await harness.press(OFFICER, figures, by_area, expect=1)
    assert "Theo địa bàn" in breakdown["text"]
    assert "• Tổ dân phố 1: 3 tin" in breakdown["text"]
    assert "• Tổ dân phố 2: 0 tin" in breakdown["text"]
    child = dict(buttons(breakdown))["Tổ dân phố 1"]
    assert child.endswith(f":{seeded.area_ids['ND-TN-01']}")
    _, [photo2, figures2] = await harness.press(OFFICER, breakdown, child, expect=2)
    await photo_is_png(harness, photo2)
    assert "Địa bàn: Tổ dân phố 1" in figures2["text"]
    assert t("stats-btn-areas", "vi") not in [label for label, _ in buttons(figures2)]


async def test_typed_dates_compare_with_the_previous_period_and_last_year(
    harness: BotHarness,
) -> None:
    await seed(harness.services.sessions)
    photo, figures = await harness.say(OFFICER, "/thongke 01/10/2026 31/10/2026", expect=2)
    png = await photo_is_png(harness, photo)
    assert len(png) > 10_000
    text = figures["text"]
    assert (
        "Tin báo nhận được: 8 tin, tăng 2 tin (+33,3%) so với kỳ trước; "
        "giảm 8 tin (50%) so với cùng kỳ"
    ) in text
    assert "(trung vị): 1 giờ, nhanh hơn 1 giờ so với kỳ trước" in text

    [bad] = await harness.say(OFFICER, "/thongke 31/02/2026 hôm nay")
    assert bad["text"] == t("stats-bad-dates", "vi")
    [reversed_] = await harness.say(OFFICER, "/stats 31/10/2026 01/10/2026")
    assert reversed_["text"] == t("stats-dates-reversed", "vi")

    await harness.say(OFFICER, "/language en")
    photo, figures = await harness.say(OFFICER, "/stats 01/10/2026 31/10/2026", expect=2)
    assert "Tips received: 8 tips, up 2 (+33.3%) on the previous period" in figures["text"]


async def test_rights_residents_groups_and_forged_buttons(harness: BotHarness) -> None:
    seeded = await seed(harness.services.sessions)
    [refused] = await harness.say(RESIDENT, "/thongke")
    assert refused["text"] == t("stats-not-allowed", "vi")
    [start] = await harness.say(RESIDENT, "/start")
    assert t("stats-button", "vi") not in keyboard_labels(start)

    [start] = await harness.say(OFFICER, "/start")
    assert t("stats-button", "vi") in keyboard_labels(start)
    [menu] = await harness.say(OFFICER, t("stats-button", "vi"))
    assert buttons(menu)[0][1] == "st:p:w:0"

    [group] = await harness.say(OFFICER, "/thongke", chat_id=-4001, chat_title="Nhóm")
    assert group["text"] == t("error-private-only", "vi")

    # A forged button for the neighbouring ward: refused, nothing sent.
    other_ward = seeded.area_ids["ND-VX"]
    answer, _ = await harness.press(
        OFFICER, menu, f"st:r:c.20261001.20261031:{other_ward}", forged=True
    )
    assert answer is not None and answer.get("show_alert")
    assert answer["text"] == t("stats-not-allowed", "vi")
    answer, _ = await harness.press(OFFICER, menu, "st:r:c.20261301.20261031:0", forged=True)
    assert answer is not None and answer["text"] == t("error-button-expired", "vi")
    # The district officer may open the same ward.
    [dmenu] = await harness.say(DISTRICT, "/thongke")
    _, [_, figures] = await harness.press(
        DISTRICT, dmenu, f"st:r:c.20261001.20261031:{other_ward}", forged=True, expect=2
    )
    assert "Địa bàn: Phường Vị Xuyên" in figures["text"]
    assert "Tin báo nhận được: 5 tin" in figures["text"]


async def test_weekly_digest_job_sends_only_where_it_is_on(harness: BotHarness) -> None:
    await seed(harness.services.sessions)
    await seed_now(harness)
    on_chat, off_chat = -3001, -3002
    for chat_id, code in ((on_chat, "ND-TN"), (off_chat, "ND-VX")):
        await harness.client.members(chat_id, joined=[OFFICER], title=f"Công an {code}")
        await harness.services.groups.link(None, chat_id, code, "police", title=f"Công an {code}")

    [status] = await harness.say(OFFICER, "/baocaotuan", chat_id=on_chat)
    assert status["text"].startswith("Báo cáo tuần của nhóm này (Phường Thống Nhất) đang tắt")
    [turned_on] = await harness.say(OFFICER, "/baocaotuan on", chat_id=on_chat)
    assert turned_on["text"].startswith("✅ Đã bật báo cáo tuần")
    [denied] = await harness.say(OFFICER, "/digest on", chat_id=off_chat)
    assert denied["text"] == t("stats-digest-denied", "vi")
    [usage] = await harness.say(OFFICER, "/baocaotuan maybe", chat_id=on_chat)
    assert usage["text"] == t("stats-digest-usage", "vi")
    [private] = await harness.say(OFFICER, "/baocaotuan on")
    assert private["text"] == t("stats-digest-not-police-chat", "vi")

    # The job is registered once, under its stable name, for Monday 07:30 local time.
    assert harness.app is not None and harness.app.job_queue is not None
    [job] = harness.app.job_queue.get_jobs_by_name(JOB_NAME)
    due = job.next_t.astimezone(HCM)
    assert (due.weekday(), due.hour, due.minute) == (0, 7, 30)

    on_before = await harness.client.history(on_chat, from_bot=True)
    off_before = await harness.client.history(off_chat, from_bot=True)
    run = await weekly_digest_job(SimpleNamespace(application=harness.app))  # type: ignore[arg-type]
    assert run.sent == 1
    [digest] = await harness.client.wait_for_bot_messages(
        on_chat, after_message_id=max(m["message_id"] for m in on_before), count=1
    )
    assert "BÁO CÁO TUẦN" in digest["text"] and "Phường Thống Nhất" in digest["text"]
    assert "Tin báo nhận được:" in digest["text"]
    off_after = await harness.client.history(off_chat, from_bot=True)
    assert len(off_after) == len(off_before)
    # Calling it again the same week (a restart) sends nothing more.
    assert (await weekly_digest_job(SimpleNamespace(application=harness.app))).sent == 0  # type: ignore[arg-type]


def _anninh(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    env.update({"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


async def test_cli_report_exports_csv_and_xlsx_without_reporter_identity(
    sessions, database_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    await seed(sessions)
    common = ("report", "--area", "ND-TN", "--from", "2026-10-01", "--to", "2026-10-31")
    result = _anninh(*common, "--format", "csv", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert ["Tin báo nhận được", "8", "6", "16"] in rows
    codes = [r[0] for r in rows if r and r[0].startswith("TB-O")]
    assert codes == [f"TB-O{i}" for i in range(1, 9)]
    for secret in (REPORTER_NAME, REPORTER_USERNAME, str(REPORTER_TG_ID)):
        assert secret not in result.stdout

    out = tmp_path / "thang10.xlsx"
    result = _anninh(
        *common, "--format", "xlsx", "--out", str(out), database_url=database_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "8 tips" in result.stdout
    book = load_workbook(out)
    tips = list(book["Danh sách tin"].iter_rows(values_only=True))
    assert [r[0] for r in tips[1:]] == [f"TB-O{i}" for i in range(1, 9)]
    summary = list(book["Tổng hợp"].iter_rows(values_only=True))
    assert ("Cảnh báo lừa đảo", 2, 0, 2) in summary
    cells = " ".join(
        str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r
    )
    for secret in (REPORTER_NAME, REPORTER_USERNAME, str(REPORTER_TG_ID)):
        assert secret not in cells

    bad = _anninh(
        "report",
        "--area",
        "NOPE",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-31",
        database_url=database_url,
        cwd=tmp_path,
    )
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert t("stats-area-not-found", "vi") in bad.stderr
    bad_date = _anninh(
        "report",
        "--area",
        "ND-TN",
        "--from",
        "2026-13-01",
        "--to",
        "2026-10-31",
        database_url=database_url,
        cwd=tmp_path,
    )
    assert bad_date.returncode != 0 and "--from" in bad_date.stderr
