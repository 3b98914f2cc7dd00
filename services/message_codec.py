"""An :class:`~services.ports.OutgoingMessage` as JSON and back, for messages stored before
they are sent (the notice outbox, services/reach.py). Arguments are plain JSON values,
catalogue messages (:class:`~services.ports.L10n`) or safe HTML (:class:`~services.ports.Html`);
anything else is a programming error and raises ``TypeError`` when stored, not when sent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.ports import Html, InlineButton, L10n, MediaKind, MediaRef, OutgoingMessage

_PLAIN = (str, int, float, bool, type(None))


def _arg(value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, L10n):
        return {"l10n": value.key, "args": _args(value.args)}
    if isinstance(value, Html):
        return {"html": value.value}
    raise TypeError(f"a message argument of type {type(value).__name__} cannot be stored")


def _args(args: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _arg(value) for name, value in args.items()}


def _unarg(value: Any) -> Any:
    if isinstance(value, dict):
        if "l10n" in value:
            return L10n(str(value["l10n"]), _unargs(value.get("args") or {}))
        return Html(str(value["html"]))
    return value


def _unargs(args: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _unarg(value) for name, value in args.items()}


def encode(message: OutgoingMessage) -> dict[str, Any]:
    return {
        "key": message.key,
        "args": _args(message.args),
        "buttons": [
            [
                {"label": b.label_key, "data": b.data, "url": b.url, "args": _args(b.label_args)}
                for b in row
            ]
            for row in message.buttons
        ],
        "media": [[m.kind.value, m.file_id] for m in message.media],
        "location": list(message.location) if message.location else None,
        "reply_to": message.reply_to_message_id,
        "silent": message.silent,
        "pin": message.pin,
    }


def decode(data: Mapping[str, Any]) -> OutgoingMessage:
    location = data.get("location")
    return OutgoingMessage(
        str(data["key"]),
        _unargs(data.get("args") or {}),
        buttons=tuple(
            tuple(
                InlineButton(b["label"], b.get("data"), b.get("url"), _unargs(b.get("args") or {}))
                for b in row
            )
            for row in data.get("buttons") or ()
        ),
        media=tuple(MediaRef(MediaKind(k), f) for k, f in data.get("media") or ()),
        location=(float(location[0]), float(location[1])) if location else None,
        reply_to_message_id=data.get("reply_to"),
        silent=bool(data.get("silent")),
        pin=bool(data.get("pin")),
    )
