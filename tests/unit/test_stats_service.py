"""Statistics over a seeded database (SQLite and PostgreSQL): the figures match a hand count,
period edges fall on local midnights, officers see their own areas only, the export carries
no reporter identity, and the weekly digest goes where it was asked for."""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.i18n import t
from services import stats_export, stats_text
from services.areas import AreaService
from services.errors import InvalidInput, PermissionDenied
from services.grants import GrantService
from services.ports import DeliveryResult, DeliveryStatus, OutgoingMessage, Recipient
from services.reach import PersonReacher
from services.stats import StatsService
from services.stats_digest import WeeklyDigest
from services.stats_period import Period, PeriodKind
from services.users import IncomingUser, UserService
from storage.models import (
    Advisory,
    AdvisoryDelivery,
    AdvisoryRun,
    Area,
    AuditLog,
    Chat,
    ChatPurpose,
    DeliveryState,
    HelpfulReport,
    IndicatorKind,
    Recurrence,
    Report,
    ReportKind,
    ReportStatus,
    ReportStatusChange,
    RunStatus,
    ScamIndicator,
    User,
)
from storage.repositories.inbox import InboxRepository
from storage.uow import Sessions, transaction

HCM = ZoneInfo("Asia/Ho_Chi_Minh")

AREAS = """code,name,kind,parent_code
ND,Tỉnh Nam Định,province,
ND-TP,Thành phố Nam Định,district,ND
ND-TN,Phường Thống Nhất,ward,ND-TP
ND-TN-01,Tổ dân phố 1,residential_group,ND-TN
ND-TN-02,Tổ dân phố 2,residential_group,ND-TN
ND-VX,Phường Vị Xuyên,ward,ND-TP
ND-VX-01,Tổ dân phố 1 Vị Xuyên,residential_group,ND-VX
"""

OCTOBER = Period(PeriodKind.CUSTOM, date(2026, 10, 1), date(2026, 10, 31))

WARD_OFFICER = 5001
DISTRICT_OFFICER = 5002
OTHER_WARD_OFFICER = 5003
RESIDENT = 5004
REPORTER_NAME = "Nguyễn Thị Bí Mật"
REPORTER_USERNAME = "bimat_reporter"
REPORTER_TG_ID = 987654321


def local(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=HCM).astimezone(UTC)


@dataclass
class Seeded:
    area_ids: dict[str, int] = field(default_factory=dict)
    chat_ids: dict[str, int] = field(default_factory=dict)
    reports: dict[str, int] = field(default_factory=dict)


# (label, area, category, kind, status, created local, [(minutes after, new status)])
TIPS: list[tuple[str, str, str, ReportKind, ReportStatus, datetime, list[tuple[int, str]]]] = [
    # October 2026, Phường Thống Nhất: 8 tips.
    (
        "o1",
        "ND-TN-01",
        "crime",
        ReportKind.TIP,
        ReportStatus.HANDLED,
        local(2026, 10, 1, 0, 0),
        [(120, "handled")],
    ),
    (
        "o2",
        "ND-TN-01",
        "crime",
        ReportKind.TIP,
        ReportStatus.HANDLED,
        local(2026, 10, 5, 10),
        [(30, "verifying"), (300, "handled")],
    ),
    (
        "o3",
        "ND-TN-01",
        "crime",
        ReportKind.TIP,
        ReportStatus.RECEIVED,
        local(2026, 10, 10, 8),
        [(5, "received")],
    ),  # an escalation keeps "received": not an action
    (
        "o4",
        "ND-TN-01",
        "order",
        ReportKind.TIP,
        ReportStatus.VERIFYING,
        local(2026, 10, 12, 9),
        [(60, "verifying")],
    ),
    (
        "o5",
        "ND-TN-02",
        "online_fraud",
        ReportKind.FRAUD,
        ReportStatus.HANDLED,
        local(2026, 10, 15, 14),
        [(240, "verifying"), (1440, "handled")],
    ),
    (
        "o6",
        "ND-TN-02",
        "online_fraud",
        ReportKind.FRAUD,
        ReportStatus.REJECTED,
        local(2026, 10, 20, 20),
        [(10, "rejected")],
    ),
    (
        "o7",
        "ND-TN-02",
        "social_evils",
        ReportKind.TIP,
        ReportStatus.RECEIVED,
        local(2026, 10, 25, 7),
        [],
    ),
    (
        "o8",
        "ND-TN-02",
        "other",
        ReportKind.TIP,
        ReportStatus.RECEIVED,
        local(2026, 10, 31, 23, 30),
        [],
    ),  # 23:30 on the last day: counts
    # The next local day, ten past midnight: November, not October.
    (
        "n1",
        "ND-TN-01",
        "crime",
        ReportKind.TIP,
        ReportStatus.RECEIVED,
        local(2026, 11, 1, 0, 10),
        [],
    ),
    # September 2026 (the previous period): 6 tips, medians 60 and 180 minutes.
    (
        "s1",
        "ND-TN-01",
        "crime",
        ReportKind.TIP,
        ReportStatus.HANDLED,
        local(2026, 9, 2, 9),
        [(60, "handled")],
    ),
    (
        "s2",
        "ND-TN-01",
        "crime",
        ReportKind.TIP,
        ReportStatus.HANDLED,
        local(2026, 9, 9, 9),
        [(180, "verifying"), (600, "handled")],
    ),
    ("s3", "ND-TN-01", "crime", ReportKind.TIP, ReportStatus.RECEIVED, local(2026, 9, 15, 9), []),
    (
        "s4",
        "ND-TN-01",
        "crime",
        ReportKind.TIP,
        ReportStatus.RECEIVED,
        local(2026, 9, 30, 23, 59),
        [],
    ),  # one minute before October
    ("s5", "ND-TN-02", "order", ReportKind.TIP, ReportStatus.RECEIVED, local(2026, 9, 20, 9), []),
    ("s6", "ND-TN-02", "order", ReportKind.TIP, ReportStatus.RECEIVED, local(2026, 9, 21, 9), []),
    # Another ward, October 2026: 5 tips the Thống Nhất officer must not see.
    *[
        (
            f"v{i}",
            "ND-VX-01",
            "crime",
            ReportKind.TIP,
            ReportStatus.RECEIVED,
            local(2026, 10, 3 + i, 9),
            [],
        )
        for i in range(5)
    ],
]
# October 2025 (same period last year), Thống Nhất: 10 crime, 2 fraud, 4 order = 16.
LAST_YEAR = (
    [("crime", ReportKind.TIP)] * 10
    + [("online_fraud", ReportKind.FRAUD)] * 2
    + [("order", ReportKind.TIP)] * 4
)


async def seed(sessions: Sessions) -> Seeded:
    """Areas, officers, tips with status histories, indicators, advisory deliveries."""
    out = Seeded()
    await AreaService(sessions).import_csv(AREAS)
    grants = GrantService(sessions)
    await grants.grant(target_telegram_id=WARD_OFFICER, role="police", area_code="ND-TN")
    await grants.grant(target_telegram_id=DISTRICT_OFFICER, role="police", area_code="ND-TP")
    await grants.grant(target_telegram_id=OTHER_WARD_OFFICER, role="moderator", area_code="ND-VX")
    async with transaction(sessions) as session:
        for area in await session.scalars(select(Area)):
            out.area_ids[area.code] = area.id
        reporter = User(
            telegram_id=REPORTER_TG_ID,
            first_name=REPORTER_NAME,
            username=REPORTER_USERNAME,
            language="vi",
        )
        session.add(reporter)
        await session.flush()

        def add_report(
            label: str,
            area: str,
            category: str,
            kind: ReportKind,
            status: ReportStatus,
            created: datetime,
            anonymous: bool,
        ) -> Report:
            report = Report(
                code=f"TB-{label.upper()}",
                kind=kind,
                category=category,
                text=f"Nội dung tin {label}",
                status=status,
                area_id=out.area_ids[area],
                reporter_user_id=reporter.id,
                anonymous=anonymous,
                created_at=created,
                updated_at=created,
            )
            session.add(report)
            return report

        for i, (label, area, category, kind, status, created, history) in enumerate(TIPS):
            report = add_report(label, area, category, kind, status, created, i % 2 == 0)
            await session.flush()
            out.reports[label] = report.id
            session.add(
                ReportStatusChange(
                    report_id=report.id,
                    old_status=None,
                    new_status=ReportStatus.RECEIVED,
                    created_at=created,
                )
            )
            previous = ReportStatus.RECEIVED
            for minutes, new in history:
                session.add(
                    ReportStatusChange(
                        report_id=report.id,
                        old_status=previous,
                        new_status=ReportStatus(new),
                        created_at=created + timedelta(minutes=minutes),
                    )
                )
                previous = ReportStatus(new)
        for i, (category, kind) in enumerate(LAST_YEAR):
            area = "ND-TN-01" if i % 2 else "ND-TN-02"
            add_report(
                f"y{i}",
                area,
                category,
                kind,
                ReportStatus.RECEIVED,
                local(2025, 10, 1 + i, 9),
                False,
            )

        def indicator(value: str, area: str, confirmed: datetime | None) -> None:
            session.add(
                ScamIndicator(
                    kind=IndicatorKind.PHONE,
                    value=value,
                    display=value,
                    area_id=out.area_ids[area],
                    first_seen=local(2026, 9, 1),
                    last_seen=local(2026, 10, 1),
                    report_count=1,
                    confirmed_at=confirmed,
                )
            )

        indicator("+84900000001", "ND-TN-01", local(2026, 10, 2))
        indicator("+84900000002", "ND-TN", local(2026, 10, 31, 23, 0))
        indicator("+84900000003", "ND-TN-02", local(2026, 9, 10))
        indicator("+84900000004", "ND-TN-02", None)  # reported, never confirmed
        indicator("+84900000005", "ND-VX-01", local(2026, 10, 9))
        indicator("+84900000006", "ND-TN-01", local(2026, 11, 1, 0, 5))

        for name, area, tg in (
            ("g1", "ND-TN-01", -1001),
            ("g2", "ND-TN-02", -1002),
            ("g3", "ND-TN-02", -1003),
            ("g4", "ND-VX-01", -1004),
        ):
            chat = Chat(
                telegram_chat_id=tg,
                type="supergroup",
                title=f"Nhóm {name}",
                area_id=out.area_ids[area],
                purpose=ChatPurpose.RESIDENTS,
            )
            session.add(chat)
            await session.flush()
            out.chat_ids[name] = chat.id
        advisory = Advisory(
            text="Cảnh báo giả danh công an",
            recurrence=Recurrence.ONCE,
            area_id=out.area_ids["ND-TP"],
            title="Cảnh báo",
        )
        session.add(advisory)
        await session.flush()
        runs = [
            (local(2026, 10, 3, 8), {"g1": "sent", "g2": "sent", "g3": "failed", "g4": "sent"}),
            (local(2026, 10, 17, 8), {"g1": "sent", "g2": "sent", "g3": "retracted"}),
            (local(2026, 9, 12, 8), {"g1": "sent"}),
        ]
        for when, deliveries in runs:
            run = AdvisoryRun(advisory_id=advisory.id, scheduled_for=when, status=RunStatus.DONE)
            session.add(run)
            await session.flush()
            for name, state in deliveries.items():
                session.add(
                    AdvisoryDelivery(
                        run_id=run.id,
                        chat_id=out.chat_ids[name],
                        telegram_chat_id=-1000 - int(name[1]),
                        status=DeliveryState(state),
                    )
                )
        session.add(
            HelpfulReport(
                report_id=out.reports["o5"],
                area_id=out.area_ids["ND-TN-02"],
                created_at=local(2026, 10, 16),
            )
        )
    return out


async def profile(sessions: Sessions, telegram_id: int, locale: str = "vi"):  # type: ignore[no-untyped-def]
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    found = await users.identify(IncomingUser(telegram_id, f"U{telegram_id}"))
    if locale != found.locale:
        from dataclasses import replace

        found = replace(found, locale=locale)
    return found


def service(sessions: Sessions) -> StatsService:
    return StatsService(sessions, tz=HCM, translate=t)


# -- figures ------------------------------------------------------------------------------------


async def test_ward_figures_match_the_hand_count(sessions: Sessions) -> None:
    await seed(sessions)
    officer = await profile(sessions, WARD_OFFICER)
    report = await service(sessions).report(officer, OCTOBER)
    cur, before, year_ago = report.current, report.before, report.year_ago
    assert [a.code for a in report.scope] == ["ND-TN"]
    assert cur.total == 8
    assert {k: v for k, v in cur.by_category.items() if v} == {
        "crime": 3,
        "order": 1,
        "online_fraud": 2,
        "social_evils": 1,
        "other": 1,
    }
    assert cur.by_status == {
        ReportStatus.RECEIVED: 3,
        ReportStatus.VERIFYING: 1,
        ReportStatus.HANDLED: 3,
        ReportStatus.REJECTED: 1,
    }
    assert cur.fraud == 2
    assert cur.indicators == 2
    # First actions after 120, 30, 60, 240 and 10 minutes: the median is 60 minutes.
    assert cur.acted == 5 and cur.median_first_action == pytest.approx(3600, abs=1)
    assert (cur.broadcasts, cur.groups_reached, cur.deliveries) == (2, 2, 4)
    assert cur.helpful == 1

    assert report.previous == Period(PeriodKind.CUSTOM, date(2026, 9, 1), date(2026, 9, 30))
    assert before is not None
    assert (before.total, before.fraud, before.indicators, before.broadcasts) == (6, 0, 1, 1)
    # Two acted on, after 60 and 180 minutes: the median of an even count is their mean.
    assert before.acted == 2 and before.median_first_action == pytest.approx(7200, abs=1)
    assert (year_ago.total, year_ago.fraud, year_ago.acted) == (16, 2, 0)
    assert year_ago.median_first_action is None

    series = dict(report.series)
    assert len(series) == 31 and sum(series.values()) == 8
    assert series[date(2026, 10, 1)] == 1  # 00:00 local is still 30/09 in UTC
    assert series[date(2026, 10, 31)] == 1  # the 23:30 tip is counted on its local day
    assert sum(n for _, n in report.series_last_year) == 16
    assert report.can_break_down


async def test_period_edges_are_local_midnights(sessions: Sessions) -> None:
    await seed(sessions)
    officer = await profile(sessions, WARD_OFFICER)
    stats = service(sessions)
    last_day = await stats.report(
        officer, Period(PeriodKind.CUSTOM, date(2026, 10, 31), date(2026, 10, 31))
    )
    assert last_day.current.total == 1  # the 23:30 tip
    first_of_november = await stats.report(
        officer, Period(PeriodKind.CUSTOM, date(2026, 11, 1), date(2026, 11, 1))
    )
    assert first_of_november.current.total == 1  # the 00:10 tip, and only it
    assert first_of_november.current.indicators == 1
    # The previous period of a single day is the day before.
    assert first_of_november.before is not None and first_of_november.before.total == 1


async def test_wording_of_the_ward_report_in_both_languages(sessions: Sessions) -> None:
    await seed(sessions)
    stats = service(sessions)
    vi = stats_text.report_html(
        await stats.report(await profile(sessions, WARD_OFFICER), OCTOBER), "vi", t
    )
    assert "Địa bàn: <b>Phường Thống Nhất</b>" in vi
    assert "Kỳ: 01/10/2026 – 31/10/2026" in vi
    assert (
        "<b>Tin báo nhận được:</b> 8 tin, tăng 2 tin (+33,3%) so với kỳ trước; "
        "giảm 8 tin (50%) so với cùng kỳ"
    ) in vi
    assert (
        "• Tội phạm: 3 tin, giảm 1 tin (25%) so với kỳ trước; giảm 7 tin (70%) so với cùng kỳ"
        in vi
    )
    assert "• Lừa đảo trực tuyến: 2 tin, kỳ trước: 0; bằng cùng kỳ" in vi
    assert "• Đã xử lý: 3" in vi
    assert "<b>Cảnh báo lừa đảo:</b> 2 tin, kỳ trước: 0; bằng cùng kỳ" in vi
    assert ("đã xác nhận:</b> 2 đầu mối, tăng 1 đầu mối (+100%) so với kỳ trước; cùng kỳ: 0") in vi
    assert ("(trung vị): 1 giờ, nhanh hơn 1 giờ so với kỳ trước; chưa có số liệu cùng kỳ") in vi
    assert (
        "<b>Cảnh báo, khuyến cáo đã phát:</b> 2 lượt đến 2 nhóm, tăng 1 lượt (+100%) so với "
        "kỳ trước; cùng kỳ: 0"
    ) in vi
    assert "<b>Tin báo có giá trị:</b> 1 tin" in vi
    assert "Tài sản" not in vi  # a category with nothing in any period is left out

    en = stats_text.report_html(
        await stats.report(await profile(sessions, WARD_OFFICER, "en"), OCTOBER), "en", t
    )
    assert (
        "<b>Tips received:</b> 8 tips, up 2 (+33.3%) on the previous period; "
        "down 8 (50%) on the same period last year"
    ) in en
    assert "• Crime: 3 tips, down 1 (25%) on the previous period; down 7 (70%)" in en
    assert "1 h, 1 h faster than the previous period; no figures for the same period" in en
    assert "<b>Fraud alerts:</b> 2 alerts, the previous period: 0; same as" in en
    assert "sent:</b> 2 broadcasts to 2 groups, up 1 (+100%) on the previous period" in en


async def test_duplicates_merged_into_one_tip_count_once_as_a_case(sessions: Sessions) -> None:
    """Three residents reporting one fire are three tips and one case ("vụ"), as the police
    count it; the line appears only when something was merged."""
    await seed(sessions)
    stats = service(sessions)
    officer = await profile(sessions, WARD_OFFICER)
    plain = stats_text.report_html(await stats.report(officer, OCTOBER), "vi", t)
    assert "vụ" not in plain
    async with transaction(sessions) as session:
        ward = await session.scalar(select(Area).where(Area.code == "ND-TN"))
        assert ward is not None
        october = await session.scalars(
            select(Report.id)
            .join(Area, Area.id == Report.area_id)
            .where(Area.path.startswith(ward.path))
            .where(Report.created_at >= datetime(2026, 10, 2, tzinfo=UTC))
            .where(Report.created_at < datetime(2026, 10, 31, tzinfo=UTC))
            .order_by(Report.id)
        )
        kept, *duplicates = list(october)[:3]
        for duplicate in duplicates:
            await InboxRepository(session).link_to_kept(duplicate, kept)
    report = await stats.report(officer, OCTOBER)
    assert (report.current.total, report.current.duplicates, report.current.cases) == (8, 2, 6)
    vi = stats_text.report_html(report, "vi", t)
    assert "<b>Tin báo nhận được:</b> 8 tin," in vi
    assert "<b>Số vụ việc</b> (gộp 2 tin trùng): 6 vụ, bằng kỳ trước" in vi
    en = stats_text.report_html(report, "en", t)
    assert "<b>Cases</b> (2 duplicate tips merged): 6 cases, same as the previous period" in en
    rows = stats_export.summary_rows(report, "vi", t)
    assert ["Số vụ việc (đã gộp tin trùng)", 6, 6, 16] in rows


async def test_a_month_period_names_last_month(sessions: Sessions) -> None:
    await seed(sessions)
    stats = service(sessions)
    october = Period(PeriodKind.LAST_MONTH, date(2026, 10, 1), date(2026, 10, 31))
    vi = stats_text.report_html(
        await stats.report(await profile(sessions, WARD_OFFICER), october), "vi", t
    )
    assert "8 tin, tăng 2 tin (+33,3%) so với tháng trước; giảm 8 tin (50%) so với cùng kỳ" in vi
    assert "Kỳ: tháng trước (01/10/2026 – 31/10/2026)" in vi


async def test_thousands_and_decimals_in_a_large_area(sessions: Sessions) -> None:
    await AreaService(sessions).import_csv(AREAS)
    await GrantService(sessions).grant(
        target_telegram_id=WARD_OFFICER, role="police", area_code="ND-TN"
    )
    async with transaction(sessions) as session:
        area_id = await session.scalar(select(Area.id).where(Area.code == "ND-TN-01"))
        when = {10: 1234, 9: 1000}
        rows = []
        for month, count in when.items():
            start = local(2026, month, 1, 8)
            rows += [
                Report(
                    code=f"TB-{month}-{i}",
                    kind=ReportKind.TIP,
                    category="order",
                    text="",
                    status=ReportStatus.RECEIVED,
                    area_id=area_id,
                    created_at=start + timedelta(minutes=i),
                    updated_at=start,
                )
                for i in range(count)
            ]
        session.add_all(rows)
    report = await service(sessions).report(await profile(sessions, WARD_OFFICER), OCTOBER)
    assert report.current.total == 1234
    vi = stats_text.report_html(report, "vi", t)
    # Last October has no tip at all: not compared, and said once, not on every line.
    assert "1.234 tin, tăng 234 tin (+23,4%) so với kỳ trước\n" in vi
    assert vi.count("cùng kỳ") == 1 and "Chưa so sánh với cùng kỳ" in vi
    en = stats_text.report_html(report, "en", t)
    assert "1,234 tips, up 234 (+23.4%) on the previous period" in en


# -- rights and breakdown -----------------------------------------------------------------------


async def test_a_ward_officer_sees_only_the_ward(sessions: Sessions) -> None:
    seeded = await seed(sessions)
    stats = service(sessions)
    ward = await profile(sessions, WARD_OFFICER)
    district = await profile(sessions, DISTRICT_OFFICER)
    other = await profile(sessions, OTHER_WARD_OFFICER)
    resident = await profile(sessions, RESIDENT)

    assert (await stats.report(ward, OCTOBER)).current.total == 8
    assert (await stats.report(district, OCTOBER)).current.total == 13
    # Vị Xuyên's five tips are all crime: police-only, so its moderator's figures leave them
    # out, even as a count (services.tip_exposure), and the chart has no bar for them.
    moderated = await stats.report(other, OCTOBER)
    assert moderated.current.total == 0
    assert {c.value for c in moderated.categories}.isdisjoint(
        {"crime", "social_evils", "reintegration"}
    )
    assert (await stats.breakdown(other, OCTOBER)).lines[0].count == 0
    with pytest.raises(PermissionDenied):
        await stats.report(ward, OCTOBER, seeded.area_ids["ND-VX"])
    with pytest.raises(PermissionDenied):
        await stats.report(ward, OCTOBER, seeded.area_ids["ND-TP"])
    with pytest.raises(PermissionDenied):
        await stats.report(resident, OCTOBER)
    with pytest.raises(PermissionDenied):
        await stats.breakdown(ward, OCTOBER, seeded.area_ids["ND-VX"])
    # Inside their ward they may narrow down to a tổ dân phố.
    group = await stats.report(ward, OCTOBER, seeded.area_ids["ND-TN-02"])
    assert group.current.total == 4 and not group.can_break_down


async def test_breakdown_lists_each_child_with_its_change(sessions: Sessions) -> None:
    await seed(sessions)
    stats = service(sessions)
    ward = await stats.breakdown(await profile(sessions, WARD_OFFICER), OCTOBER)
    assert [(line.area.code, line.count) for line in ward.lines] == [
        ("ND-TN-01", 4),
        ("ND-TN-02", 4),
    ]
    text = stats_text.breakdown_html(ward, "vi", t)
    assert "• Tổ dân phố 1: 4 tin, bằng kỳ trước" in text
    assert "• Tổ dân phố 2: 4 tin, tăng 2 tin (+100%) so với kỳ trước" in text
    district = await stats.breakdown(await profile(sessions, DISTRICT_OFFICER), OCTOBER)
    assert [(line.area.code, line.count) for line in district.lines] == [
        ("ND-TN", 8),
        ("ND-VX", 5),
    ]
    assert all(line.has_children for line in district.lines)
    en = stats_text.breakdown_html(district, "en", t)
    assert "• Phường Vị Xuyên: 5 tips, the previous period: 0" in en


# -- export -----------------------------------------------------------------------------------


async def test_export_lists_the_tips_without_any_reporter_identity(sessions: Sessions) -> None:
    await seed(sessions)
    stats = service(sessions)
    export = await stats.export("nd-tn", date(2026, 10, 1), date(2026, 10, 31))
    assert [r.code for r in export.rows] == [f"TB-O{i}" for i in range(1, 9)]
    o2 = next(r for r in export.rows if r.code == "TB-O2")
    assert o2.first_action_at == local(2026, 10, 5, 10, 30)
    assert o2.handled_at == local(2026, 10, 5, 15, 0)

    text = stats_export.to_csv(export, "vi", t, HCM)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "Chỉ tiêu"
    assert ["Tin báo nhận được", "8", "6", "16"] in rows
    header = rows.index(
        [
            "Mã tin",
            "Thời gian nhận",
            "Loại",
            "Lĩnh vực",
            "Tình trạng",
            "Địa bàn",
            "Bắt đầu xử lý lúc",
            "Xử lý xong lúc",
            "Nội dung",
        ]
    )
    tips = rows[header + 1 :]
    assert len(tips) == 8
    assert tips[1] == [
        "TB-O2",
        "05/10/2026 10:00",
        "Tin báo",
        "Tội phạm",
        "Đã xử lý",
        "ND-TN-01 Tổ dân phố 1",
        "05/10/2026 10:30",
        "05/10/2026 15:00",
        "Nội dung tin o2",
    ]
    assert tips[-1][1] == "31/10/2026 23:30"
    for secret in (REPORTER_NAME, REPORTER_USERNAME, str(REPORTER_TG_ID), "anonymous", "ẩn danh"):
        assert secret not in text

    book = load_workbook(io.BytesIO(stats_export.to_xlsx(export, "vi", t, HCM)))
    assert book.sheetnames == ["Tổng hợp", "Danh sách tin"]
    sheet_rows = [[c for c in r] for r in book["Danh sách tin"].iter_rows(values_only=True)]
    assert len(sheet_rows) == 9 and sheet_rows[2][0] == "TB-O2"
    everything = " ".join(
        str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r
    )
    for secret in (REPORTER_NAME, REPORTER_USERNAME, str(REPORTER_TG_ID)):
        assert secret not in everything


async def test_export_refuses_an_unknown_area_and_reversed_dates(sessions: Sessions) -> None:
    await seed(sessions)
    stats = service(sessions)
    with pytest.raises(Exception) as unknown:
        await stats.export("XX", date(2026, 10, 1), date(2026, 10, 31))
    assert getattr(unknown.value, "message_key", "") == "stats-area-not-found"
    with pytest.raises(InvalidInput):
        await stats.export("ND-TN", date(2026, 10, 31), date(2026, 10, 1))


# -- weekly digest ------------------------------------------------------------------------------


class RecordingSender:
    """The network edge: records what would go to Telegram."""

    def __init__(self, failures: int = 0) -> None:
        self.sent: list[tuple[Recipient, OutgoingMessage]] = []
        self.failures = failures
        """The first this many sends meet a 502 (Telegram's server now and then)."""

    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
        if self.failures:
            self.failures -= 1
            return DeliveryResult(DeliveryStatus.RETRY_LATER, error="Bad Gateway")
        self.sent.append((to, message))
        return DeliveryResult(DeliveryStatus.SENT, message_id=len(self.sent))

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        return False


async def test_digest_goes_once_a_week_to_police_chats_that_asked(sessions: Sessions) -> None:
    await seed(sessions)
    async with transaction(sessions) as session:
        area = {a.code: a.id for a in await session.scalars(select(Area))}
        for tg, code in ((-2001, "ND-TN"), (-2002, "ND-VX")):
            session.add(
                Chat(
                    telegram_chat_id=tg,
                    type="supergroup",
                    title="Công an",
                    area_id=area[code],
                    purpose=ChatPurpose.POLICE,
                )
            )
    sender = RecordingSender()
    stats = _digest(sessions, sender)
    officer = await profile(sessions, WARD_OFFICER)
    outcome = await stats.set_digest(-2001, True, officer)
    assert outcome.enabled and outcome.changed
    with pytest.raises(PermissionDenied):
        await stats.set_digest(-2002, True, officer)
    with pytest.raises(InvalidInput):
        await stats.set_digest(-1001, True, officer)  # a residents' group

    # The start-up catch-up acts only on a Monday from 07:30 (local).
    assert (await stats.send_weekly_digests(local(2026, 11, 2, 7, 29), catch_up=True)).sent == 0
    assert (await stats.send_weekly_digests(local(2026, 11, 3, 9), catch_up=True)).sent == 0
    run = await stats.send_weekly_digests(local(2026, 11, 2, 7, 30), catch_up=True)
    assert (run.sent, run.failed) == (1, 0)
    [(to, message)] = sender.sent
    assert to.chat_id == -2001
    body = message.args["body"].value
    assert "BÁO CÁO TUẦN" in body and "26/10/2026 – 01/11/2026" in body
    assert "Phường Thống Nhất" in body
    # 26/10–1/11: the 23:30 tip of 31/10 and the 00:10 one of 1/11; 19–25/10: o6 and o7.
    assert "2 tin, bằng tuần trước\n" in body and body.count("cùng kỳ") == 1
    # A second run the same week (the weekly job after a catch-up) sends nothing again.
    assert (await stats.send_weekly_digests(local(2026, 11, 2, 9))).sent == 0
    assert (await stats.send_weekly_digests(local(2026, 11, 8, 23, 59))).sent == 0
    assert len(sender.sent) == 1
    # Off means off.
    await stats.set_digest(-2001, False, officer)
    assert (await stats.send_weekly_digests(local(2026, 11, 9, 7, 30))).sent == 0
    async with transaction(sessions) as session:
        actions = list(await session.scalars(select(AuditLog.action)))
    assert actions.count("stats.weekly_digest") == 2


def _digest(sessions: Sessions, sender: RecordingSender) -> WeeklyDigest:
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    reacher = PersonReacher(sessions, sender, users, default_language="vi", retry_seconds=0.01)
    return WeeklyDigest(
        sessions, service(sessions), reacher, tz=HCM, translate=t, default_language="vi"
    )


async def test_a_digest_that_meets_a_502_is_sent_later_once(sessions: Sessions) -> None:
    """Before, the digest was marked sent, then sent directly: a 502 lost the week's digest."""
    await seed(sessions)
    async with transaction(sessions) as session:
        ward = await session.scalar(select(Area.id).where(Area.code == "ND-TN"))
        session.add(
            Chat(
                telegram_chat_id=-2001,
                type="supergroup",
                title="Công an",
                area_id=ward,
                purpose=ChatPurpose.POLICE,
                settings={"weekly_digest": True},
            )
        )
    sender = RecordingSender(failures=1)
    digest = _digest(sessions, sender)
    run = await digest.send_weekly_digests(local(2026, 11, 2, 7, 30), catch_up=True)
    assert (run.sent, run.failed, sender.sent) == (1, 0, [])
    assert (await digest.send_weekly_digests(local(2026, 11, 2, 9))).sent == 0  # not again
    await asyncio.sleep(0.05)
    assert await digest_outbox(sessions, sender) == 1
    [(to, message)] = sender.sent
    assert to.chat_id == -2001 and message.key == "stats-digest"
    assert "BÁO CÁO TUẦN" in message.args["body"].value


async def digest_outbox(sessions: Sessions, sender: RecordingSender) -> int:
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    return await PersonReacher(sessions, sender, users, default_language="vi").deliver_due()


async def test_twelve_typed_months_compare_with_last_year_once(sessions: Sessions) -> None:
    await seed(sessions)
    year = Period(PeriodKind.CUSTOM, date(2025, 11, 1), date(2026, 10, 31))
    report = await service(sessions).report(await profile(sessions, WARD_OFFICER), year)
    assert report.previous is None and report.before is None
    assert (report.current.total, report.year_ago.total) == (8 + 6, 16)
    vi = stats_text.report_html(report, "vi", t)
    # The year before is covered by data from 01/10/2025 only: twelve months are not
    # compared with one (no "+650%"), and that is said once.
    assert "Tin báo nhận được:</b> 14 tin\n" in vi
    assert "<i>Chưa so sánh với cùng kỳ: chưa có đủ số liệu của kỳ đó.</i>" in vi
    assert "kỳ trước" not in vi
