"""In-memory file storage and the Telegram JSON for media attachments."""

from __future__ import annotations

import mimetypes
import secrets
import struct
from typing import Any

from sandbox.errors import bad_request
from sandbox.models import StoredFile
from sandbox.params import Upload

_DEFAULT_MIME = {
    "photo": "image/jpeg", "video": "video/mp4", "voice": "audio/ogg",
    "audio": "audio/mpeg", "animation": "video/mp4", "sticker": "image/webp",
    "document": "application/octet-stream",
}


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width/height of a PNG or JPEG, so PhotoSize looks plausible."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(w), int(h)
            i += 2 + length
    return None


class FileStore:
    def __init__(self) -> None:
        self.files: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._counter = 0

    def add(
        self, data: bytes, kind: str, file_name: str | None = None,
        mime_type: str | None = None, size: tuple[int, int] | None = None,
    ) -> StoredFile:
        self._counter += 1
        guessed = mimetypes.guess_type(file_name)[0] if file_name else None
        mime = mime_type or guessed or _DEFAULT_MIME.get(kind)
        ext = (mimetypes.guess_extension(mime or "") or "") if not file_name else ""
        if file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        if kind == "photo":
            ext = ".jpg" if not ext or ext == ".jpe" else ext
        width, height = size or image_size(data) or (0, 0)
        stored = StoredFile(
            # Distinct prefixes make ids easy to tell apart in logs, like Telegram's.
            file_id=f"{kind[:2].upper()}{self._counter:05d}-{secrets.token_urlsafe(18)}",
            file_unique_id=f"U{self._counter:05d}{secrets.token_hex(4)}",
            data=data, file_path=f"{kind}s/file_{self._counter}{ext}", kind=kind,
            mime_type=mime, file_name=file_name, width=width, height=height,
        )
        self.files[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def add_photo(self, data: bytes, file_name: str | None = None) -> list[StoredFile]:
        """Two PhotoSizes (thumbnail + original) over the same bytes."""
        width, height = image_size(data) or (1280, 720)
        scale = min(1.0, 320 / max(width, height, 1))
        small = self.add(data, "photo", file_name, size=(
            max(1, int(width * scale)), max(1, int(height * scale))))
        big = self.add(data, "photo", file_name, size=(width, height))
        small.siblings = big.siblings = [small.file_id, big.file_id]
        return [small, big]

    def get(self, file_id: str) -> StoredFile | None:
        return self.files.get(file_id)

    def by_path(self, path: str) -> StoredFile | None:
        return self._by_path.get(path)

    def resolve(self, value: Upload | str | None, kind: str) -> list[StoredFile]:
        """Turn an InputFile parameter into stored files (several for photos)."""
        if value is None:
            raise bad_request(f"there is no {kind} in the request")
        if isinstance(value, Upload):
            if kind == "photo":
                return self.add_photo(value.data, value.filename)
            return [self.add(value.data, kind, value.filename, value.content_type)]
        known = self.files.get(value)
        if known is not None:
            if kind == "photo" and known.siblings:
                return [self.files[f] for f in known.siblings]
            return [known]
        if value.startswith(("http://", "https://")):
            # The sandbox cannot fetch URLs; keep the URL itself as opaque content.
            name = value.rsplit("/", 1)[-1] or None
            if kind == "photo":
                return self.add_photo(value.encode(), name)
            return [self.add(value.encode(), kind, name)]
        raise bad_request("wrong file identifier/HTTP URL specified")


def file_json(stored: StoredFile) -> dict[str, Any]:
    return {
        "file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
    }


def media_json(kind: str, files: list[StoredFile]) -> Any:
    """The Message field value for an attachment of ``kind``."""
    if kind == "photo":
        return [
            {**file_json(f), "width": f.width or 1280, "height": f.height or 720} for f in files
        ]
    stored = files[0]
    out = file_json(stored)
    if kind in ("video", "animation", "sticker"):
        out["width"] = stored.width or (512 if kind == "sticker" else 640)
        out["height"] = stored.height or (512 if kind == "sticker" else 360)
    if kind in ("video", "animation", "voice", "audio"):
        out["duration"] = 1
    if kind == "sticker":
        out.update(type="regular", is_animated=False, is_video=False)
    else:
        if stored.mime_type:
            out["mime_type"] = stored.mime_type
        if stored.file_name and kind in ("document", "video", "audio", "animation"):
            out["file_name"] = stored.file_name
    return out
