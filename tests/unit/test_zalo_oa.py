"""The OA surface's pieces on their own: signature readings, event bodies in every shape the
sources show, chat keys of OA groups, the event store's claims, and rotating tokens masked in
logs."""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.logs import SecretScrubber, remember_secret
from bot.settings import Settings, SettingsError, load_settings
from services.channels import (
    TELEGRAM,
    ZALO,
    ZALO_OA,
    channel_of,
    dm_user_id,
    group_id_of,
    oa_group_id_of,
    oa_group_key,
    zalo_dm_key,
    zalo_group_key,
)
from services.ports import DeliveryResult, DeliveryStatus, OutgoingMessage, Recipient
from services.zalo_oa_inbox import OaInbox
from storage.uow import Sessions
from zalo.sender import ChannelRouter
from zalo_oa import signature
from zalo_oa.events import Kind, event_key, parse
from zalo_oa.signature import Scheme

APP_ID = "3160000000000000001"
KEY = "oa-secret-key"
BODY = (
    b'{"app_id":"3160000000000000001","event_name":"user_send_text",'
    b'"timestamp":"1751100041636"}'
)


# -- signature ------------------------------------------------------------------------------
def test_the_sdk_reading_is_a_plain_sha256_of_app_id_body_timestamp_and_key() -> None:
    expected = hashlib.sha256(APP_ID.encode() + BODY + b"1751100041636" + KEY.encode())
    assert signature.mac(Scheme.SHA256, APP_ID, BODY, "1751100041636", KEY) == (
        "mac=" + expected.hexdigest()
    )
    keyed = hmac.new(KEY.encode(), APP_ID.encode() + BODY + b"1751100041636", hashlib.sha256)
    assert signature.mac(Scheme.HMAC_SHA256, APP_ID, BODY, "1751100041636", KEY) == (
        "mac=" + keyed.hexdigest()
    )


@pytest.mark.parametrize("chosen", list(Scheme))
def test_only_the_chosen_reading_verifies(chosen: Scheme) -> None:
    other = next(s for s in Scheme if s is not chosen)
    good = signature.mac(chosen, APP_ID, BODY, "1751100041636", KEY)
    assert signature.verify(chosen, good, BODY, APP_ID, KEY)
    assert signature.verify(chosen, good.upper().replace("MAC=", "mac="), BODY, APP_ID, KEY)
    assert not signature.verify(
        chosen, signature.mac(other, APP_ID, BODY, "1751100041636", KEY), BODY, APP_ID, KEY
    )
    assert not signature.verify(chosen, good, BODY.replace(b"text", b"link"), APP_ID, KEY)
    assert not signature.verify(chosen, good, BODY, "another-app", KEY)
    assert not signature.verify(chosen, "", BODY, APP_ID, KEY)
    assert not signature.verify(chosen, good, b"not json", APP_ID, KEY)


# -- event bodies ---------------------------------------------------------------------------
def _location(payload: dict, message_extra: dict | None = None) -> dict:
    return {
        "app_id": APP_ID, "event_name": "user_send_location", "timestamp": "1751100041636",
        "sender": {"id": "8309393969855402319"}, "recipient": {"id": "1423847451268726170"},
        "message": {"msg_id": "b8de7d84fa1b3043690c", "text": "Cơm Coffee New Sky",
                    "attachments": [{"type": "location", "payload": payload}],
                    **(message_extra or {})},
    }


@pytest.mark.parametrize(
    "payload",
    [
        {"coordinates": {"latitude": "10.7923119", "longitude": "106.7820651"}},  # Chatwoot log
        {"coordinates": {"latitude": 10.7923119, "longitude": 106.7820651}},
        {"latitude": "10.7923119", "longitude": "106.7820651"},
        {"lat": 10.7923119, "long": 106.7820651},
        {"lat": 10.7923119, "lng": 106.7820651},
    ],
)
def test_every_location_shape_seen_is_read(payload: dict) -> None:
    event = parse(_location(payload))
    assert event.kind is Kind.LOCATION and event.is_message
    assert event.user_id == "8309393969855402319"
    assert event.location is not None
    assert (round(event.location.latitude, 4), round(event.location.longitude, 4)) == (
        10.7923, 106.7821
    )
    assert event.at == datetime(2025, 6, 28, 8, 40, 41, 636000, tzinfo=UTC)


def test_a_flat_message_location_and_nonsense_coordinates() -> None:
    flat = parse(_location({}, {"attachments": [], "location": {"lat": "21.0", "long": "105.8"}}))
    assert flat.location is not None and flat.location.latitude == 21.0
    for bad in ({"coordinates": {"latitude": "abc", "longitude": "1"}},
                {"latitude": 91, "longitude": 0}, {"latitude": "nan", "longitude": "1"}):
        assert parse(_location(bad)).location is None


def test_follow_is_read_from_follower_and_unknown_events_are_other() -> None:
    follow = parse({"app_id": APP_ID, "event_name": "follow", "oa_id": "1", "timestamp": "5",
                    "follower": {"id": "42"}, "source": "ND-TN-1"})
    assert (follow.kind, follow.user_id, follow.oa_id, follow.source) == (
        Kind.FOLLOW, "42", "1", "ND-TN-1"
    )
    assert parse({"event_name": "follow", "sender": {"id": "43"}}).user_id == "43"
    odd = parse({"event_name": "user_reacted_message", "sender": {"id": 7}, "message": []})
    assert odd.kind is Kind.OTHER and odd.user_id == "7" and odd.text == ""
    assert parse({}).kind is Kind.OTHER and parse({"timestamp": "x"}).at is None


def test_attachments_of_images_stickers_files_and_links() -> None:
    body = {"event_name": "user_send_file", "sender": {"id": "1"}, "message": {
        "msg_id": "m1", "attachments": [
            {"type": "file", "payload": {"url": "https://f/x.pdf", "name": "x.pdf",
                                         "size": "2048", "type": "pdf"}},
            {"type": "sticker", "payload": {"id": "abc", "url": "https://s"}},
            {"type": "image", "payload": {"url": "https://i", "thumbnail": "https://t"}},
            "garbage",
        ]}}
    file, sticker, image = parse(body).attachments
    assert (file.name, file.size, file.url) == ("x.pdf", 2048, "https://f/x.pdf")
    assert sticker.sticker_id == "abc" and image.thumbnail == "https://t"


def test_a_retry_has_the_same_key_and_another_event_another() -> None:
    message = {"event_name": "user_send_text", "sender": {"id": "1"}, "timestamp": "9",
               "message": {"msg_id": "abc", "text": "x"}}
    assert event_key(message) == event_key(dict(message)) == "msg:abc"
    follow = {"event_name": "follow", "follower": {"id": "1"}, "timestamp": "9"}
    assert event_key(follow) == "follow:1:9"
    assert event_key({**follow, "timestamp": "10"}) != event_key(follow)
    assert event_key({**follow, "event_name": "unfollow"}) != event_key(follow)


# -- chat keys --------------------------------------------------------------------------------
def test_oa_group_keys_are_their_own_channel_and_never_read_as_zalo_bot_keys() -> None:
    key = oa_group_key(7)
    assert channel_of(key) == ZALO_OA and oa_group_id_of(key) == 7
    assert group_id_of(key) is None and dm_user_id(-key) is None
    assert channel_of(zalo_group_key(2**31 - 1)) == ZALO
    assert oa_group_id_of(zalo_group_key(3)) is None
    assert channel_of(zalo_dm_key(5)) == ZALO and channel_of(-100500) == TELEGRAM


async def test_the_router_never_hands_an_oa_group_to_telegram() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.seen: list[int] = []

        async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
            self.seen.append(to.chat_id)
            return DeliveryResult(DeliveryStatus.SENT, 1)

        async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
            return True

    telegram, zalo, oa = Recorder(), Recorder(), Recorder()
    without_oa = ChannelRouter(telegram, zalo)
    result = await without_oa.send(Recipient(oa_group_key(1)), OutgoingMessage("zalo-help"))
    assert result.status is DeliveryStatus.NOT_FOUND and telegram.seen == zalo.seen == []
    with_oa = ChannelRouter(telegram, zalo, oa).with_telegram(telegram)
    await with_oa.send(Recipient(oa_group_key(1)), OutgoingMessage("zalo-help"))
    assert oa.seen == [oa_group_key(1)] and telegram.seen == []


async def test_a_zalo_person_the_zalo_bot_does_not_know_is_reached_through_the_oa() -> None:
    class Answers:
        def __init__(self, status: DeliveryStatus) -> None:
            self.status = status
            self.seen: list[int] = []

        async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
            self.seen.append(to.chat_id)
            return DeliveryResult(self.status)

        async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
            return False

    person = Recipient(zalo_dm_key(42))
    bot_knows = ChannelRouter(None, Answers(DeliveryStatus.SENT), Answers(DeliveryStatus.SENT))
    assert (await bot_knows.send(person, OutgoingMessage("zalo-help"))).ok
    assert bot_knows.zalo_oa.seen == []  # type: ignore[union-attr]
    unknown = Answers(DeliveryStatus.NOT_FOUND)
    follower = Answers(DeliveryStatus.SENT)
    both = ChannelRouter(None, unknown, follower)
    assert (await both.send(person, OutgoingMessage("zalo-help"))).ok
    assert unknown.seen == follower.seen == [zalo_dm_key(42)]
    oa_only = ChannelRouter(None, None, follower)
    assert (await oa_only.send(person, OutgoingMessage("zalo-help"))).ok
    # A Zalo bot failure that is not "unknown person" is not retried on the OA.
    busy = Answers(DeliveryStatus.RETRY_LATER)
    failing = ChannelRouter(None, busy, Answers(DeliveryStatus.SENT))
    result = await failing.send(person, OutgoingMessage("zalo-help"))
    assert result.status is DeliveryStatus.RETRY_LATER
    # Group keys never go to the OA.
    no_group = ChannelRouter(None, None, follower)
    result = await no_group.send(Recipient(zalo_group_key(3)), OutgoingMessage("zalo-help"))
    assert result.status is DeliveryStatus.NOT_FOUND and follower.seen == [zalo_dm_key(42)] * 2


# -- the event store ----------------------------------------------------------------------------
async def test_a_claim_runs_out_so_a_dead_instance_does_not_keep_an_event(
    sessions: Sessions,
) -> None:
    now = [datetime(2026, 11, 1, tzinfo=UTC)]
    inbox = OaInbox(sessions, clock=lambda: now[0], claim=timedelta(seconds=60))
    first = await inbox.store("msg:1", "user_send_text", "{}")
    assert not first.duplicate
    assert (await inbox.store("msg:1", "user_send_text", "{}")).duplicate
    [claimed] = await inbox.claim()
    assert await inbox.claim() == []  # held by the first instance
    now[0] += timedelta(seconds=61)  # which died
    [again] = await inbox.claim()
    assert again.id == claimed.id
    await inbox.done(again.id)
    now[0] += timedelta(days=8)
    assert await inbox.claim() == []
    assert (await inbox.store("msg:1", "user_send_text", "{}")).duplicate  # key kept...
    await inbox.forget_old()
    assert not (await inbox.store("msg:1", "user_send_text", "{}")).duplicate  # ...7 days


async def test_a_failing_event_is_tried_later_and_set_aside_after_the_last_attempt(
    sessions: Sessions,
) -> None:
    now = [datetime(2026, 11, 1, tzinfo=UTC)]
    inbox = OaInbox(sessions, clock=lambda: now[0], max_attempts=2,
                    retry_after=timedelta(seconds=30))
    await inbox.store("msg:2", "user_send_text", "{}")
    [event] = await inbox.claim()
    assert not await inbox.failed(event, "RuntimeError")
    assert await inbox.claim() == []  # waits 30 s before the next try
    now[0] += timedelta(seconds=31)
    [event] = await inbox.claim()
    assert await inbox.failed(event, "RuntimeError")
    now[0] += timedelta(hours=1)
    assert await inbox.claim() == []


# -- logs ---------------------------------------------------------------------------------------
def test_a_token_learned_while_running_is_masked_from_then_on() -> None:
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(SecretScrubber())
    logger = logging.getLogger("test.oa.scrubber")
    logger.handlers, logger.propagate = [handler], False
    rotated = "OA-access-token-rotated-x9QeLr"
    remember_secret(rotated)
    logger.warning("calling with %s and %s-suffix", rotated, rotated)
    assert rotated not in lines[0] and lines[0].count("***") == 2


# -- settings -----------------------------------------------------------------------------------
def test_every_oa_setting_is_in_the_readme_table_and_the_env_example() -> None:
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = (root / ".env.example").read_text(encoding="utf-8")
    names = sorted(n.upper() for n in Settings.model_fields if n.startswith("zalo_oa_"))
    assert len(names) == 9
    for name in names:
        assert f"`{name}`" in readme, name
        assert f"\n{name}=" in example, name


def test_the_oa_needs_its_secrets_and_a_known_signature_reading() -> None:
    assert not load_settings(zalo_oa_app_id=" ").has_zalo_oa
    with pytest.raises(SettingsError, match="ZALO_OA_APP_SECRET"):
        load_settings(zalo_oa_app_id="1").require_zalo_oa()
    with pytest.raises(SettingsError, match="ZALO_OA_SECRET_KEY"):
        load_settings(zalo_oa_app_id="1", zalo_oa_app_secret="s").require_zalo_oa()
    settings = load_settings(zalo_oa_app_id="1", zalo_oa_app_secret="app-secret-value",
                             zalo_oa_secret_key="k", zalo_oa_api_base_url="http://x/zalo-oa/openapi/")
    settings.require_zalo_oa()
    assert settings.zalo_oa_signature == "sha256"
    assert settings.zalo_oa_api_base_url == "http://x/zalo-oa/openapi"
    assert settings.zalo_oa_webhook_port == 8445
    assert "app-secret-value" not in repr(settings)
    with pytest.raises(SettingsError, match="ZALO_OA_SIGNATURE"):
        load_settings(zalo_oa_signature="md5")
