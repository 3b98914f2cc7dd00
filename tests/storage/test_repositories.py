"""Repositories against a real database (SQLite or PostgreSQL, see conftest)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage.models import AreaKind, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.users import UserRepository
from storage.uow import Sessions, transaction


async def _tree(sessions: Sessions):  # type: ignore[no-untyped-def]
    async with transaction(sessions) as s:
        repo = AreaRepository(s)
        province = await repo.add("ND", "Nam Định", AreaKind.PROVINCE, None)
        city = await repo.add("ND-TP", "Thành phố Nam Định", AreaKind.DISTRICT, province)
        ward = await repo.add("ND-TN", "Phường Thống Nhất", AreaKind.WARD, city)
        other = await repo.add("ND-VH", "Phường Vị Hoàng", AreaKind.WARD, city)
        group = await repo.add("ND-TN-01", "Tổ dân phố 1", AreaKind.RESIDENTIAL_GROUP, ward)
    return province, city, ward, other, group


async def test_area_paths_make_subtree_checks_a_prefix_test(sessions: Sessions) -> None:
    province, city, ward, other, group = await _tree(sessions)
    assert group.path == f"/{province.id}/{city.id}/{ward.id}/{group.id}/"
    assert ward.contains(group) and city.contains(group) and not other.contains(group)
    assert group.ancestor_ids == [province.id, city.id, ward.id, group.id]
    async with transaction(sessions) as s:
        subtree = await AreaRepository(s).subtree(ward)
        children = await AreaRepository(s).children(city.id)
    assert [a.code for a in subtree] == ["ND-TN", "ND-TN-01"]
    assert {a.code for a in children} == {"ND-TN", "ND-VH"}


async def test_vietnamese_text_is_stored_nfc_and_compares_equal(sessions: Sessions) -> None:
    decomposed = unicodedata.normalize("NFD", "Phường Thống Nhất")
    assert decomposed != "Phường Thống Nhất"
    async with transaction(sessions) as s:
        await AreaRepository(s).add("P1", decomposed, AreaKind.PROVINCE, None)
    async with transaction(sessions) as s:
        area = await AreaRepository(s).get_by_code("P1")
    assert area is not None and area.name == "Phường Thống Nhất"


async def test_a_nul_in_text_is_dropped_on_both_backends(sessions: Sessions) -> None:
    """PostgreSQL refuses NUL in text (SQLite keeps it): text that reaches storage without
    the services' cleaning (a flooding member's message, a name) is stored the same on both."""
    async with transaction(sessions) as s:
        await AreaRepository(s).add("P1", "Phường\x00 Thống Nhất", AreaKind.PROVINCE, None)
        await UserRepository(s).upsert_telegram(42, "La\x00n", None, None)
    async with transaction(sessions) as s:
        area = await AreaRepository(s).get_by_code("P1")
        user = await UserRepository(s).get_by_telegram_id(42)
    assert area is not None and area.name == "Phường Thống Nhất"
    assert user is not None and user.first_name == "Lan"


async def test_user_upsert_refreshes_names_without_duplicating(sessions: Sessions) -> None:
    async with transaction(sessions) as s:
        first = await UserRepository(s).upsert_telegram(42, "Lan", None, "lan")
    async with transaction(sessions) as s:
        second = await UserRepository(s).upsert_telegram(42, "Lan Nguyễn", "Thị", "lan_n")
        by_name = await UserRepository(s).holders_of_username("@LAN_N")
        # A pattern is not a name: "/chan @%" must not reach somebody.
        repo = UserRepository(s)
        wildcards = [await repo.holders_of_username(n) for n in ("@%", "lan%", "la_n_")]
        assert wildcards == [[], [], []]
    assert first.id == second.id
    assert second.first_name == "Lan Nguyễn" and by_name == [second]


async def test_a_username_has_one_holder_the_last_one_seen_with_it(sessions: Sessions) -> None:
    """Telegram lets one account hold a name at a time: when the bot sees someone with a
    name, an older row that still has it (its owner renamed since) lets go of it."""
    async with transaction(sessions) as s:
        old = await UserRepository(s).upsert_telegram(41, "An", None, "Hoa")
        await UserRepository(s).upsert_telegram(43, "Chi", None, "chi")
    async with transaction(sessions) as s:
        new = await UserRepository(s).upsert_telegram(42, "Bảo", None, "hoa")
    async with transaction(sessions) as s:
        repo = UserRepository(s)
        assert await repo.holders_of_username("HOA") == [new]
        assert (await repo.get(old.id)).username is None  # type: ignore[union-attr]
        assert (await repo.get_by_telegram_id(43)).username == "chi"  # type: ignore[union-attr]
        # An holds it again once seen with it: a rename back, or a swap.
        back = await repo.upsert_telegram(41, "An", None, "hoa")
        assert await repo.holders_of_username("hoa") == [back]


async def test_grants_cover_the_subtree_only(sessions: Sessions) -> None:
    _, _, ward, other, group = await _tree(sessions)
    async with transaction(sessions) as s:
        officer = await UserRepository(s).upsert_telegram(7, "Hùng", None, None)
        repo = GrantRepository(s)
        assert await repo.add(officer.id, Role.POLICE, ward, None) is not None
        assert await repo.add(officer.id, Role.POLICE, ward, None) is None  # idempotent
        covering = await repo.holders_covering(group, Role.POLICE)
        not_covering = await repo.holders_covering(other, Role.POLICE)
    assert [g.user_id for g in covering] == [officer.id]
    assert not_covering == []
    async with transaction(sessions) as s:
        assert await GrantRepository(s).remove(officer.id, Role.POLICE, ward.id)
        assert await GrantRepository(s).for_user(officer.id) == []


async def test_times_come_back_as_utc_whatever_zone_went_in(sessions: Sessions) -> None:
    hanoi = timezone(timedelta(hours=7))
    async with transaction(sessions) as s:
        row = await AuditRepository(s).add("test.action", actor_user_id=None, after={"a": 1})
    assert row.created_at.tzinfo is not None
    async with transaction(sessions) as s:
        recent = await AuditRepository(s).recent(
            since=datetime(2020, 1, 1, 7, 0, tzinfo=hanoi), limit=5
        )
    assert recent[0].id == row.id and recent[0].after == {"a": 1}
    assert recent[0].created_at.utcoffset() == timedelta(0)
    assert abs(recent[0].created_at - datetime.now(UTC)) < timedelta(minutes=1)


async def test_chat_upsert_and_lookup_by_area(sessions: Sessions) -> None:
    *_, group = await _tree(sessions)
    async with transaction(sessions) as s:
        repo = ChatRepository(s)
        await repo.upsert(-100123, "supergroup", "TDP 1 An ninh")
        from storage.models import ChatPurpose

        updated = await repo.update(-100123, area_id=group.id, purpose=ChatPurpose.RESIDENTS)
        found = await repo.for_areas([group.id], ChatPurpose.RESIDENTS)
    assert updated.area_id == group.id and [c.telegram_chat_id for c in found] == [-100123]


async def test_a_failed_transaction_writes_nothing(sessions: Sessions) -> None:
    with pytest.raises(RuntimeError):
        async with transaction(sessions) as s:
            await AreaRepository(s).add("GONE", "Rolled back", AreaKind.PROVINCE, None)
            raise RuntimeError("boom")
    async with transaction(sessions) as s:
        assert await AreaRepository(s).get_by_code("GONE") is None


async def test_ids_from_outside_beyond_a_row_id_name_no_row(sessions: Sessions) -> None:
    """A button payload can carry any number; PostgreSQL refuses one beyond INTEGER rather
    than finding nothing, so the repositories answer "no such row" themselves."""
    from storage.models import ContactRole
    from storage.repositories.advisories import AdvisoryRepository
    from storage.repositories.advisory_runs import RunRepository
    from storage.repositories.community import ContactRepository, FaqRepository
    from storage.repositories.inbox import InboxRepository
    from storage.repositories.indicators import IndicatorRepository
    from storage.repositories.moderation import ReviewRepository
    from storage.repositories.relay import RelayRepository
    from storage.repositories.tips import TipRepository
    from storage.types import MAX_ROW_ID

    for too_big in (MAX_ROW_ID + 1, 999_999_999_999, 0, -1):
        async with transaction(sessions) as s:
            assert await AreaRepository(s).get(too_big) is None
            assert await AreaRepository(s).get_many([too_big]) == []
            assert await UserRepository(s).get(too_big) is None
            assert await IndicatorRepository(s).get_by_id(too_big) is None
            assert await TipRepository(s).get(too_big) is None
            assert await InboxRepository(s).get(too_big) is None
            assert await AdvisoryRepository(s).get(too_big) is None
            assert await RunRepository(s).get_run(too_big) is None
            assert await FaqRepository(s).get(too_big) is None
            assert await ContactRepository(s).get(too_big, next(iter(ContactRole))) is None
            assert await RelayRepository(s).get(too_big) is None
            assert await ReviewRepository(s).get(too_big) is None
