"""Webhook bodies of the Official Account, read into typed events.

Shapes are in the FACTS of ``zalo_oa``; where sources differ (the location payload, who a
follow event is from) every shape seen is read. Reading never fails: a field that is not
there is None, an unknown event is kind OTHER, so a new event Zalo adds is stored, marked
done and ignored rather than retried for days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

JSON = dict[str, Any]


class Kind(StrEnum):
    TEXT = "user_send_text"
    IMAGE = "user_send_image"
    LOCATION = "user_send_location"
    LINK = "user_send_link"
    STICKER = "user_send_sticker"
    FILE = "user_send_file"
    AUDIO = "user_send_audio"
    VIDEO = "user_send_video"
    GIF = "user_send_gif"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    OTHER = "other"


USER_MESSAGES = frozenset(k for k in Kind if k.value.startswith("user_send_"))


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Attachment:
    type: str
    """image, gif, sticker, file, audio, video, link, location (as Zalo names them)."""
    url: str | None = None
    thumbnail: str | None = None
    name: str | None = None
    size: int | None = None
    sticker_id: str | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class OaEvent:
    name: str
    kind: Kind
    user_id: str | None
    """The resident: the sender of a message, the follower of a follow/unfollow."""
    oa_id: str | None
    at: datetime | None
    msg_id: str | None
    text: str
    attachments: tuple[Attachment, ...] = ()
    source: str | None = None
    """Where a follow came from, when Zalo says (e.g. a QR code's parameter)."""

    @property
    def is_message(self) -> bool:
        return self.kind in USER_MESSAGES

    @property
    def location(self) -> Location | None:
        return next((a.location for a in self.attachments if a.location), None)


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _id_of(value: Any) -> str | None:
    return _str(value.get("id")) if isinstance(value, dict) else None


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _location(payload: Any) -> Location | None:
    """``coordinates.{latitude,longitude}`` (Chatwoot, as strings), or the same keys flat, or
    ``lat`` with ``long``/``lng``/``lon``."""
    if not isinstance(payload, dict):
        return None
    inner = payload.get("coordinates")
    source = inner if isinstance(inner, dict) else payload
    lat = _float(source.get("latitude", source.get("lat")))
    lon = _float(source.get("longitude", source.get("long", source.get("lng", source.get("lon")))))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Location(lat, lon)


def _attachment(raw: Any) -> Attachment | None:
    if not isinstance(raw, dict):
        return None
    kind = _str(raw.get("type")) or "unknown"
    payload = raw.get("payload") if isinstance(raw.get("payload"), dict) else {}
    size = _float(payload.get("size"))
    return Attachment(
        type=kind,
        url=_str(payload.get("url")),
        thumbnail=_str(payload.get("thumbnail")),
        name=_str(payload.get("name")),
        size=int(size) if size is not None else None,
        sticker_id=_str(payload.get("id")) if kind == "sticker" else None,
        location=_location(payload) if kind == "location" else None,
    )


def _time(value: Any) -> datetime | None:
    millis = _float(value)
    if millis is None or millis <= 0:
        return None
    try:
        return datetime.fromtimestamp(millis / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse(body: JSON) -> OaEvent:
    name = _str(body.get("event_name")) or ""
    kind = Kind(name) if name in Kind._value2member_map_ else Kind.OTHER
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    attachments = tuple(
        a for a in map(_attachment, message.get("attachments") or ()) if a is not None
    )
    if kind is Kind.LOCATION and not any(a.location for a in attachments):
        # Some integrations read a flat ``message.location`` instead.
        place = _location(message.get("location"))
        if place is not None:
            attachments += (Attachment(type="location", location=place),)
    user = _id_of(body.get("follower")) if kind in (Kind.FOLLOW, Kind.UNFOLLOW) else None
    return OaEvent(
        name=name,
        kind=kind,
        user_id=user or _id_of(body.get("sender")) or _id_of(body.get("user")),
        oa_id=_str(body.get("oa_id")) or _id_of(body.get("recipient")),
        at=_time(body.get("timestamp")),
        msg_id=_str(message.get("msg_id")),
        text=str(message.get("text") or ""),
        attachments=attachments,
        source=_str(body.get("source")) or _str(body.get("ref")),
    )


def event_key(body: JSON) -> str:
    """What makes a retried event the same event: its msg_id, else (follow, unfollow...)
    its name, resident and timestamp, which a retry repeats unchanged."""
    event = parse(body)
    if event.msg_id:
        return f"msg:{event.msg_id}"
    return f"{event.name}:{event.user_id or '-'}:{_str(body.get('timestamp')) or '-'}"
