"""A country-sized history in PostgreSQL, for measuring the console and /kiemtra at scale.

The tree is the two-level one Vietnam uses since 1 July 2025: 34 provinces → 3,321 wards and
communes → their tổ dân phố (about 30 each, ~100,000 in all; the district level of older data
stays supported by the code, and the tree here simply has none). On it: 100,000 residents'
groups and the wards' police chats, 1,000,000 residents, a police officer per ward and per
province, 10,000,000 tips over three years with their status history, and 1,000,000 scam
indicators named by the fraud tips. ``--scale`` shrinks everything but the tree.

Rows are made with numpy in chunks and sent with COPY (asyncpg's binary
``copy_records_to_table``); the status history is derived from the tips inside PostgreSQL.
Secondary indexes are dropped for the load and rebuilt after it, and foreign-key triggers are
off meanwhile (``session_replication_role = replica``): the generator writes consistent ids.

    .venv/bin/python -m bench.country --db anninh_country            # full size
    .venv/bin/python -m bench.country --db anninh_country --scale 0.01
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from bench.common import PG_ADMIN_URL
from bench.scam_lookup import indicator
from services.categories import CATEGORIES
from storage import migrate
from storage.db import create_engine

PROVINCES = 34
WARDS = 3_321
TDP_PER_WARD = (20, 41)
"""Tổ dân phố per ward, uniform in [20, 41): ~100,000 in all."""
GROUPS = 100_000
RESIDENTS = 1_000_000
TIPS = 10_000_000
INDICATORS = 1_000_000
YEARS = 3
CHUNK = 200_000
NOW = datetime(2026, 12, 1, tzinfo=UTC)
"""The history ends here (a fixed day, so runs are comparable)."""
RESIDENT_TG = 100_000_000
"""Residents' Telegram ids start above this; officers' at OFFICER_TG."""
OFFICER_TG = 900_000_000
TIP_TEXTS = [
    "Có người lạ cạy cửa nhà số {n} lúc nửa đêm",
    "Nhóm thanh niên tụ tập đua xe trên đường {n}",
    "Mất trộm xe máy trước cửa hàng tạp hóa số {n}",
    "Nghi có đối tượng buôn bán ma túy ở hẻm {n}",
    "Cháy nhỏ ở bãi rác đầu ngõ {n}, đã dập tắt",
    "Đánh nhau gây mất trật tự tại quán nhậu số {n}",
    "Tụ tập đánh bạc trong nhà kho cuối ngõ {n}",
    "Xe tải đỗ chắn lối thoát hiểm chung cư {n}",
    "Có người gọi điện giả danh công an yêu cầu chuyển {n} triệu",
    "Tin nhắn giả ngân hàng gửi đường link lạ, mất {n} triệu",
    "Người tái hòa nhập cộng đồng cần hỗ trợ việc làm, tổ {n}",
    "Trộm chó trong đêm ở xóm {n}",
]
FRAUD_SHARE = 0.1
ANONYMOUS_SHARE = 0.3
PIN_SHARE = 0.7
MERGED_SHARE = 0.03


@dataclass(frozen=True)
class Tree:
    """Ids and shapes of the generated areas (ids are assigned here, in path order)."""

    province_ids: np.ndarray
    ward_ids: np.ndarray
    ward_province: np.ndarray
    """Index of each ward's province."""
    tdp_first: np.ndarray
    """Id of each ward's first tổ dân phố (its tổ are consecutive ids)."""
    tdp_count: np.ndarray
    ward_lat: np.ndarray
    ward_lon: np.ndarray
    rows: list[tuple[object, ...]]

    @property
    def tdp_total(self) -> int:
        return int(self.tdp_count.sum())


def build_tree(rng: np.random.Generator) -> Tree:
    now = NOW.replace(tzinfo=None) - timedelta(days=YEARS * 366)
    rows: list[tuple[object, ...]] = []
    province_ids = np.arange(1, PROVINCES + 1)
    ward_province = np.sort(rng.integers(0, PROVINCES, WARDS))
    # Provinces along the country's S shape: latitude 9-23 N, longitude bending east.
    p_lat = np.linspace(22.8, 9.3, PROVINCES)
    p_lon = 105.8 + 1.6 * np.sin((p_lat - 9.3) / 13.5 * np.pi) - 0.8
    ward_lat = p_lat[ward_province] + rng.normal(0, 0.25, WARDS)
    ward_lon = p_lon[ward_province] + rng.normal(0, 0.25, WARDS)
    for p in range(PROVINCES):
        pid = int(province_ids[p])
        rows.append((pid, f"P{p + 1:02d}", f"Tỉnh {p + 1:02d}", "province", None, f"/{pid}/", now))
    ward_ids = np.arange(PROVINCES + 1, PROVINCES + 1 + WARDS)
    tdp_count = rng.integers(*TDP_PER_WARD, WARDS)
    tdp_first = np.zeros(WARDS, dtype=np.int64)
    next_id = PROVINCES + WARDS + 1
    for w in range(WARDS):
        pid = int(province_ids[ward_province[w]])
        wid = int(ward_ids[w])
        code = f"P{ward_province[w] + 1:02d}-W{w + 1:04d}"
        kind_name = "Phường" if w % 3 else "Xã"
        rows.append((wid, code, f"{kind_name} {w + 1:04d}", "ward", pid, f"/{pid}/{wid}/", now))
        tdp_first[w] = next_id
        for k in range(int(tdp_count[w])):
            tid = next_id
            next_id += 1
            rows.append(
                (
                    tid,
                    f"{code}-T{k + 1:02d}",
                    f"Tổ dân phố {k + 1} — {kind_name} {w + 1:04d}",
                    "residential_group",
                    wid,
                    f"/{pid}/{wid}/{tid}/",
                    now,
                )
            )
    return Tree(
        province_ids, ward_ids, ward_province, tdp_first, tdp_count, ward_lat, ward_lon, rows
    )


AREA_COLS = ["id", "code", "name", "kind", "parent_id", "path", "created_at"]
USER_COLS = [
    "id", "telegram_id", "first_name", "last_name", "username", "language", "home_area_id",
    "blocked_bot", "created_at", "updated_at",
]  # fmt: skip
REPORT_COLS = [
    "id", "code", "kind", "category", "text", "status", "area_id", "reporter_user_id",
    "anonymous", "latitude", "longitude", "address", "fraud_details", "version",
    "merged_into_id", "routed_at", "first_action_at", "created_at", "updated_at",
]  # fmt: skip
FIRST_NAMES = ["Lan", "Hùng", "Mai", "Dũng", "Hoa", "Tuấn", "Linh", "Minh", "Thu", "Nam"]
LAST_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]


def _random_tdp(rng: np.random.Generator, tree: Tree, ward_weights: np.ndarray, n: int) -> Any:
    wards = rng.choice(WARDS, size=n, p=ward_weights)
    offsets = (rng.random(n) * tree.tdp_count[wards]).astype(np.int64)
    return wards, tree.tdp_first[wards] + offsets


def user_rows(
    rng: np.random.Generator, tree: Tree, n: int, weights: np.ndarray
) -> Iterator[list[tuple[object, ...]]]:
    at = NOW.replace(tzinfo=None) - timedelta(days=YEARS * 366)
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        _, homes = _random_tdp(rng, tree, weights, size)
        first = rng.integers(0, len(FIRST_NAMES), size)
        last = rng.integers(0, len(LAST_NAMES), size)
        yield [
            (
                start + i + 1,
                RESIDENT_TG + start + i + 1,
                FIRST_NAMES[first[i]],
                LAST_NAMES[last[i]],
                None,
                "vi",
                int(homes[i]),
                False,
                at,
                at,
            )
            for i in range(size)
        ]


def officer_rows(tree: Tree, first_id: int) -> list[tuple[object, ...]]:
    """A police officer per ward, then one per province, then one admin."""
    at = NOW.replace(tzinfo=None) - timedelta(days=YEARS * 366)
    rows: list[tuple[object, ...]] = []
    for i in range(WARDS + PROVINCES + 1):
        uid = first_id + i
        rows.append(
            (uid, OFFICER_TG + i, "Cán bộ", f"{i:05d}", f"ca_{i}", "vi", None, False, at, at)
        )
    return rows


def grant_rows(tree: Tree, first_officer: int) -> list[tuple[object, ...]]:
    at = NOW.replace(tzinfo=None) - timedelta(days=YEARS * 366)
    rows: list[tuple[object, ...]] = []
    for w in range(WARDS):
        rows.append((w + 1, first_officer + w, "police", int(tree.ward_ids[w]), None, at))
    for p in range(PROVINCES):
        gid = WARDS + p + 1
        rows.append(
            (gid, first_officer + WARDS + p, "police", int(tree.province_ids[p]), None, at)
        )
    return rows


def chat_rows(rng: np.random.Generator, tree: Tree, n_groups: int) -> list[tuple[object, ...]]:
    at = NOW.replace(tzinfo=None) - timedelta(days=YEARS * 366)
    rows: list[tuple[object, ...]] = []
    tdps = rng.permutation(np.arange(tree.tdp_first[0], tree.tdp_first[0] + tree.tdp_total))
    for i in range(n_groups):
        area = int(tdps[i % len(tdps)])
        rows.append(
            (i + 1, -1_000_000_000_000 - i, "supergroup", f"An ninh tổ {area}", area,
             "residents", True, True, "{}", at, at)
        )  # fmt: skip
    for w in range(WARDS):
        cid = n_groups + w + 1
        rows.append(
            (cid, -1_100_000_000_000 - w, "supergroup", f"Công an ward {w + 1}",
             int(tree.ward_ids[w]), "police", True, True, "{}", at, at)
        )  # fmt: skip
    return rows


CHAT_COLS = [
    "id", "telegram_chat_id", "type", "title", "area_id", "purpose", "active", "bot_is_admin",
    "settings", "created_at", "updated_at",
]  # fmt: skip
GRANT_COLS = ["id", "user_id", "role", "area_id", "granted_by_user_id", "created_at"]
STATUSES = np.array(["received", "verifying", "handled", "rejected"])


def _statuses(rng: np.random.Generator, age_days: np.ndarray) -> np.ndarray:
    """Recent tips are mostly open, old ones mostly handled."""
    r = rng.random(len(age_days))
    fresh = age_days < 2
    week = (age_days >= 2) & (age_days < 14)
    out = np.full(len(age_days), 2)
    out[fresh] = np.select([r[fresh] < 0.6, r[fresh] < 0.85, r[fresh] < 0.95], [0, 1, 2], 3)
    out[week] = np.select([r[week] < 0.15, r[week] < 0.3, r[week] < 0.85], [0, 1, 2], 3)
    old = age_days >= 14
    out[old] = np.select([r[old] < 0.01, r[old] < 0.02, r[old] < 0.82], [0, 1, 2], 3)
    return out


@dataclass
class TipPlan:
    """What later tables need to know of the tips: which are fraud, and where."""

    fraud_ids: list[np.ndarray]
    fraud_areas: list[np.ndarray]
    fraud_times: list[np.ndarray]


def tip_rows(
    rng: np.random.Generator, tree: Tree, n: int, weights: np.ndarray, residents: int,
    plan: TipPlan,
) -> Iterator[list[tuple[object, ...]]]:  # fmt: skip
    """Tips in time order (ids follow time, as they would), in chunks."""
    span = YEARS * 365 * 86400
    offsets = np.sort(rng.random(n) * span)
    end = NOW.replace(tzinfo=None)
    begin = end - timedelta(seconds=span)
    codes = [c.value for c in CATEGORIES if c.value != "online_fraud"]
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        ids = np.arange(start + 1, start + size + 1)
        secs = offsets[start : start + size]
        wards, areas = _random_tdp(rng, tree, weights, size)
        at_ward = rng.random(size) < 0.05  # some tips name only the ward
        areas = np.where(at_ward, tree.ward_ids[wards], areas)
        fraud = rng.random(size) < FRAUD_SHARE
        cats = rng.integers(0, len(codes), size)
        age = (span - secs) / 86400
        status = _statuses(rng, age)
        reporters = rng.integers(1, residents + 1, size)
        anonymous = rng.random(size) < ANONYMOUS_SHARE
        pinned = rng.random(size) < PIN_SHARE
        lat = tree.ward_lat[wards] + rng.normal(0, 0.012, size)
        lon = tree.ward_lon[wards] + rng.normal(0, 0.012, size)
        merged = (rng.random(size) < MERGED_SHARE) & (ids > 1)
        text_pick = rng.integers(0, len(TIP_TEXTS), size)
        numbers = rng.integers(1, 200, size)
        # Indicators are named by fraud tips that were not found false (a rejected tip's
        # indicators do not count as known scams, as in ScamService).
        named = fraud & (status != 3)
        plan.fraud_ids.append(ids[named])
        plan.fraud_areas.append(areas[named])
        plan.fraud_times.append(secs[named])
        rows = []
        for i in range(size):
            rid = int(ids[i])
            created = begin + timedelta(seconds=float(secs[i]))
            is_fraud = bool(fraud[i])
            rows.append(
                (
                    rid,
                    f"TB-{created:%y%m}-{rid:04d}",
                    "fraud" if is_fraud else "tip",
                    "online_fraud" if is_fraud else codes[cats[i]],
                    TIP_TEXTS[text_pick[i]].format(n=int(numbers[i])),
                    STATUSES[status[i]],
                    int(areas[i]),
                    int(reporters[i]),
                    bool(anonymous[i]),
                    float(lat[i]) if pinned[i] else None,
                    float(lon[i]) if pinned[i] else None,
                    None,
                    "0912 345 678" if is_fraud else None,
                    1,
                    rid - 1 if merged[i] else None,
                    created,
                    # Taken 5 minutes to 5 hours after arrival (the history below agrees).
                    created + timedelta(seconds=300 + (rid * 7919) % 18000)
                    if status[i] != 0
                    else None,
                    created,
                    created,
                )
            )
        yield rows


INDICATOR_COLS = [
    "id", "kind", "value", "display", "area_id", "first_seen", "last_seen", "report_count",
    "confirmed_at", "created_at",
]  # fmt: skip


def indicator_rows(
    rng: np.random.Generator, n: int, plan: TipPlan
) -> Iterator[tuple[list[tuple[object, ...]], list[tuple[object, ...]]]]:
    """Indicator ``i`` has bench.scam_lookup's value ``indicator(i)`` (so its look-up
    measurement aims at hits), named by one fraud tip (and one in ten by a second)."""
    ids = np.concatenate(plan.fraud_ids)
    areas = np.concatenate(plan.fraud_areas)
    times = np.concatenate(plan.fraud_times)
    begin = NOW.replace(tzinfo=None) - timedelta(seconds=YEARS * 365 * 86400)
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        picks = rng.integers(0, len(ids), size)
        seconds = rng.integers(0, len(ids), size)
        confirmed = rng.random(size) < 0.1
        rows, links = [], []
        for k in range(size):
            i = start + k
            kind, value, display, _ = indicator(i)
            at = begin + timedelta(seconds=float(times[picks[k]]))
            count = 2 if i % 10 == 0 else 1
            rows.append(
                (i + 1, kind, value, display, int(areas[picks[k]]), at, at, count,
                 at + timedelta(hours=6) if confirmed[k] else None, at)
            )  # fmt: skip
            links.append((i + 1, int(ids[picks[k]]), at))
            if count == 2 and seconds[k] != picks[k]:
                links.append((i + 1, int(ids[seconds[k]]), at))
        yield rows, links


STATUS_HISTORY_SQL = [
    # Taken ("verifying") when reports.first_action_at says (the trigger that keeps it is off
    # during the load), by the ward's officer (NULL here: who acted changes no measured query).
    "INSERT INTO report_status_changes (report_id, old_status, new_status, created_at) "
    "SELECT id, 'received', 'verifying', first_action_at FROM reports "
    "WHERE first_action_at IS NOT NULL",
    # Closed within two days of being taken.
    "INSERT INTO report_status_changes (report_id, old_status, new_status, note, created_at) "
    "SELECT id, 'verifying', status, 'Đã xác minh, xử lý theo quy định', created_at + "
    "((18300 + (id::bigint * 104729) % 172800) * interval '1 second') FROM reports "
    "WHERE status IN ('handled', 'rejected')",
]
BIG_TABLES = ("users", "reports", "report_status_changes", "indicators", "report_indicators")


async def _secondary_indexes(conn: Any) -> list[tuple[str, str]]:
    """(name, definition) of the plain indexes of the big tables (not constraints)."""
    rows = await conn.fetch(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY($1) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        list(BIG_TABLES),
    )
    return [(r["indexname"], r["indexdef"]) for r in rows]


async def _copy(conn: Any, table: str, columns: Sequence[str], rows: list[Any]) -> None:
    await conn.copy_records_to_table(table, records=rows, columns=list(columns))


def _log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)


async def generate(dsn: str, scale: float, seed: int) -> dict[str, int]:
    import asyncpg

    started = time.monotonic()
    rng = np.random.default_rng(seed)
    engine = create_engine(dsn.replace("postgresql://", "postgresql+asyncpg://"))
    await migrate.upgrade(engine)
    await engine.dispose()
    tree = build_tree(rng)
    weights = rng.pareto(1.2, WARDS) + 1
    weights = weights / weights.sum()
    residents = max(1000, int(RESIDENTS * scale))
    tips = max(10_000, int(TIPS * scale))
    groups = max(100, int(GROUPS * scale))
    indicators = max(1000, int(INDICATORS * scale))
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SET session_replication_role = replica")
        indexes = await _secondary_indexes(conn)
        for name, _ in indexes:
            await conn.execute(f'DROP INDEX IF EXISTS "{name}"')
        await _copy(conn, "areas", AREA_COLS, tree.rows)
        _log(f"areas: {len(tree.rows):,}", started)
        for chunk in user_rows(rng, tree, residents, weights):
            await _copy(conn, "users", USER_COLS, chunk)
        first_officer = residents + 1
        await _copy(conn, "users", USER_COLS, officer_rows(tree, first_officer))
        await _copy(conn, "role_grants", GRANT_COLS, grant_rows(tree, first_officer))
        _log(f"users: {residents:,} residents and {WARDS + PROVINCES + 1:,} officers", started)
        await _copy(conn, "chats", CHAT_COLS, chat_rows(rng, tree, groups))
        _log(f"chats: {groups:,} groups and {WARDS:,} police chats", started)
        plan = TipPlan([], [], [])
        done = 0
        for chunk in tip_rows(rng, tree, tips, weights, residents, plan):
            await _copy(conn, "reports", REPORT_COLS, chunk)
            done += len(chunk)
            if done % 1_000_000 < CHUNK:
                _log(f"tips: {done:,}", started)
        for statement in STATUS_HISTORY_SQL:
            await conn.execute(statement)
        _log("status history derived", started)
        for rows, links in indicator_rows(rng, indicators, plan):
            await _copy(conn, "indicators", INDICATOR_COLS, rows)
            await _copy(
                conn, "report_indicators", ["indicator_id", "report_id", "created_at"], links
            )
        _log(f"indicators: {indicators:,}", started)
        for table in ("areas", "users", "role_grants", "chats", "reports", "indicators",
                      "report_status_changes"):  # fmt: skip
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        await conn.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in indexes:
            await conn.execute(definition)
            _log(f"index {name} rebuilt", started)
        await conn.execute("VACUUM ANALYZE")
        _log("vacuum analyze done", started)
    finally:
        await conn.close()
    return {
        "areas": len(tree.rows),
        "wards": WARDS,
        "residents": residents,
        "groups": groups,
        "tips": tips,
        "indicators": indicators,
        "first_officer": first_officer,
    }


async def _create_database(name: str) -> str:
    import asyncpg

    admin = PG_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, _ = admin.rpartition("/")
    return f"{base}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="anninh_country", help="database to (re)create")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    dsn = asyncio.run(_create_database(args.db))
    counts = asyncio.run(generate(dsn, args.scale, args.seed))
    counts["scale"] = args.scale  # type: ignore[assignment]
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
