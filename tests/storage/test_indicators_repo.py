"""Scam indicators: stored once, linked to many reports, found from any written form."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from services.indicators import extract_indicators, normalize_any
from storage.hotpath import HotPath
from storage.models import AreaKind, Report, ReportIndicator, ReportKind, ReportStatus
from storage.models.indicators import Indicator, IndicatorKind, ScamIndicator
from storage.repositories.areas import AreaRepository
from storage.repositories.indicators import IndicatorRepository, read_summary
from storage.repositories.users import UserRepository
from storage.uow import Sessions, transaction

_codes = iter(range(1, 1_000_000))


async def add_report(
    sessions: Sessions,
    area_id: int | None,
    text: str = "",
    *,
    status: ReportStatus = ReportStatus.RECEIVED,
    created_at: datetime | None = None,
    reporter: int | None = None,
) -> int:
    now = created_at or datetime.now(UTC)
    async with transaction(sessions) as s:
        return int(
            await s.scalar(
                insert(Report.__table__)
                .values(
                    code=f"T{next(_codes):06d}",
                    kind=ReportKind.FRAUD,
                    category="fraud",
                    text=text,
                    status=status,
                    area_id=area_id,
                    reporter_user_id=reporter,
                    anonymous=False,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                .returning(Report.__table__.c.id)
            )
        )


async def _areas(sessions: Sessions):  # type: ignore[no-untyped-def]
    async with transaction(sessions) as s:
        repo = AreaRepository(s)
        city = await repo.add("ND-TP", "Thành phố Nam Định", AreaKind.DISTRICT, None)
        ward = await repo.add("ND-TN", "Phường Thống Nhất", AreaKind.WARD, city)
        other = await repo.add("ND-VH", "Phường Vị Hoàng", AreaKind.WARD, city)
    return ward, other


async def test_one_indicator_row_linked_to_every_report(sessions: Sessions, hot: HotPath) -> None:
    ward, other = await _areas(sessions)
    texts = [
        "Có người gọi từ số 0912.345.678 bảo chuyển tiền vào STK 0123456789 Vietcombank",
        "Số +84 912 345 678 lại gọi, mạo danh công an",
        "Ai biết số 0912 345 678 không? Nó gửi link https://WWW.vcb-hotro.com/xac-nhan?id=1",
    ]
    report_ids = []
    for i, text in enumerate(texts):
        rid = await add_report(sessions, ward.id if i < 2 else other.id, text)
        report_ids.append(rid)
        found = extract_indicators(text)
        async with transaction(sessions) as s:
            await IndicatorRepository(s).link_report(
                rid, ward.id if i < 2 else other.id, found, public=found
            )
    # Linking the same report twice changes nothing.
    async with transaction(sessions) as s:
        found = extract_indicators(texts[0])
        await IndicatorRepository(s).link_report(report_ids[0], ward.id, found, public=found)

    async with transaction(sessions) as s:
        phones = await s.scalar(
            select(func.count())
            .select_from(ScamIndicator)
            .where(ScamIndicator.kind == IndicatorKind.PHONE)
        )
        links = await s.scalar(select(func.count()).select_from(ReportIndicator))
        total = await IndicatorRepository(s).count()
    assert phones == 1
    assert total == 3  # phone, bank account, url
    assert links == 5  # 3 reports x phone + account + url

    for written in ("0912345678", "+84912345678", "0912.345.678", "84 912 345 678"):
        ind = normalize_any(written)
        assert ind is not None
        summary = await read_summary(hot, ind.kind, ind.value)
        assert summary is not None, written
        assert summary.indicator.value == "+84912345678"
        assert summary.indicator.report_count == 3
        assert summary.people == 3  # reports whose reporter is gone count as one person each
        assert sorted((r.area_id, r.reports) for r in summary.reports) == sorted(
            [(ward.id, 1), (ward.id, 1), (other.id, 1)]
        )
        assert summary.indicator.area_id == other.id  # the latest report's area

    account = normalize_any("VCB 0123 456 789")
    assert account is not None
    acc = await read_summary(hot, account.kind, account.value)
    url = await read_summary(hot, IndicatorKind.URL, "vcb-hotro.com/xac-nhan")
    missing = await read_summary(hot, IndicatorKind.PHONE, "+84987000111")
    assert acc is not None and acc.people == 1
    assert url is not None and url.people == 1 and url.reports[0].area_id == other.id
    assert missing is None


async def test_seen_dates_and_rejected_reports(sessions: Sessions, hot: HotPath) -> None:
    ward, _ = await _areas(sessions)
    phone = Indicator(IndicatorKind.PHONE, "+84987654321", "0987 654 321")
    old = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    new = old + timedelta(days=40)
    r_new = await add_report(sessions, ward.id, created_at=new)
    r_old = await add_report(sessions, ward.id, created_at=old)
    r_rej = await add_report(sessions, None, status=ReportStatus.REJECTED)
    async with transaction(sessions) as s:
        repo = IndicatorRepository(s)
        await repo.link_report(r_new, ward.id, [phone], public=[phone], seen_at=new)
        await repo.link_report(r_old, ward.id, [phone, phone], public=[phone], seen_at=old)
        await repo.link_report(r_rej, None, [phone], public=[phone])
    summary = await read_summary(hot, phone.kind, phone.value)
    assert summary is not None
    async with transaction(sessions) as s:
        areas = await IndicatorRepository(s).report_area_ids(summary.indicator.id)
    assert summary.indicator.report_count == 3  # raw count of links
    assert summary.people == 2  # rejected reports are not shown to the public
    assert summary.indicator.first_seen == old
    assert summary.indicator.area_id == ward.id  # a report without an area keeps the old one
    assert set(areas) == {ward.id, None}


async def test_confirmation_and_confirmed_among(sessions: Sessions) -> None:
    ward, _ = await _areas(sessions)
    async with transaction(sessions) as s:
        officer = await UserRepository(s).upsert_telegram(7, "Công an", None, None)
    text = "Lừa đảo: gọi 0912345678, web abc-vn.top, STK 0123456789 tại Techcombank"
    found = extract_indicators(text)
    assert {i.kind for i in found} == {
        IndicatorKind.PHONE,
        IndicatorKind.URL,
        IndicatorKind.BANK_ACCOUNT,
    }
    rid = await add_report(sessions, ward.id, text)
    async with transaction(sessions) as s:
        await IndicatorRepository(s).link_report(rid, ward.id, found)
    async with transaction(sessions) as s:
        repo = IndicatorRepository(s)
        assert await repo.confirmed_among(found) == []
        url = await repo.get(IndicatorKind.URL, "abc-vn.top")
        assert url is not None and not url.confirmed
        at = datetime(2026, 11, 1, tzinfo=UTC)
        confirmed = await repo.set_confirmed(url.id, at=at, by_user_id=officer.id)
    assert confirmed.confirmed_at == at and confirmed.confirmed_by_user_id == officer.id
    async with transaction(sessions) as s:
        hits = await IndicatorRepository(s).confirmed_among(
            extract_indicators("vào đây nhé http://abc-vn.top/ và gọi 0999 888 777")
        )
        linked = await IndicatorRepository(s).for_report(rid)
    assert [h.value for h in hits] == ["abc-vn.top"]
    assert len(linked) == 3
    async with transaction(sessions) as s:
        cleared = await IndicatorRepository(s).set_confirmed(url.id, at=None, by_user_id=1)
    assert cleared.confirmed_at is None and cleared.confirmed_by_user_id is None


async def test_concurrent_reports_naming_the_same_number(sessions: Sessions, hot: HotPath) -> None:
    ward, _ = await _areas(sessions)
    phone = Indicator(IndicatorKind.PHONE, "+84911222333", "0911 222 333")
    rids = [await add_report(sessions, ward.id) for _ in range(6)]

    async def link(rid: int) -> None:
        async with transaction(sessions) as s:
            await IndicatorRepository(s).link_report(rid, ward.id, [phone], public=[phone])

    await asyncio.gather(*(link(r) for r in rids))
    summary = await read_summary(hot, phone.kind, phone.value)
    assert summary is not None
    assert summary.indicator.report_count == 6 and summary.people == 6


async def test_oversized_and_empty_input_is_ignored(sessions: Sessions, hot: HotPath) -> None:
    rid = await add_report(sessions, None)
    huge = Indicator(IndicatorKind.URL, "a.com/" + "x" * 2000, "a.com/…")
    async with transaction(sessions) as s:
        repo = IndicatorRepository(s)
        await repo.link_report(rid, None, [huge])
        await repo.link_report(rid, None, [])
        assert await repo.count() == 0
        assert await repo.confirmed_among([huge]) == []
    assert await read_summary(hot, IndicatorKind.URL, huge.value) is None


async def test_only_what_the_reporter_gave_counts_and_each_person_once(
    sessions: Sessions, hot: HotPath
) -> None:
    ward, other = await _areas(sessions)
    async with transaction(sessions) as s:
        lan = (await UserRepository(s).upsert_telegram(11, "Lan", None, None)).id
        binh = (await UserRepository(s).upsert_telegram(12, "Bình", None, None)).id
    scammer = Indicator(IndicatorKind.PHONE, "+84987654321", "0987 654 321")
    victim = Indicator(IndicatorKind.PHONE, "+84912345678", "0912 345 678")
    first = await add_report(sessions, ward.id, reporter=lan)
    again = await add_report(sessions, other.id, reporter=lan)
    async with transaction(sessions) as s:
        repo = IndicatorRepository(s)
        await repo.link_report(first, ward.id, [scammer, victim], public=[scammer])
        await repo.link_report(again, other.id, [scammer], public=[scammer])
    one = await read_summary(hot, scammer.kind, scammer.value)
    mine = await read_summary(hot, victim.kind, victim.value)
    assert one is not None and one.people == 1  # one resident, twice
    assert {r.area_id for r in one.reports} == {ward.id, other.id}
    assert mine is not None and mine.people == 0 and mine.reports == ()  # police only

    later = await add_report(sessions, ward.id, reporter=binh)
    async with transaction(sessions) as s:
        repo = IndicatorRepository(s)
        await repo.link_report(later, ward.id, [victim])
        # The same report stored again with the indicator given: the link becomes public.
        await repo.link_report(later, ward.id, [victim], public=[victim])
        links = await repo.links_of_report(first)
    mine = await read_summary(hot, victim.kind, victim.value)
    assert mine is not None and mine.people == 1 and mine.indicator.report_count == 2
    assert [(link.indicator.value, link.public, link.state) for link in links] == [
        ("+84987654321", True, "given"),
        ("+84912345678", False, "private"),
    ]
