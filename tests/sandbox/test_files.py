"""Uploads, file_id reuse, getFile/download and user-sent media."""

from __future__ import annotations

import struct
import zlib

import pytest
from telegram import Bot, InputMediaPhoto

from sandbox.client import SandboxClient
from tests.sandbox.conftest import GROUP_ID, LAN

pytestmark = pytest.mark.asyncio


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    """A valid PNG so width/height detection is exercised."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


async def test_send_photo_reuse_file_id_and_download(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    png = tiny_png()
    sent = await bot.send_photo(LAN["id"], png, caption="Ảnh <b>hiện trường</b>",
                                parse_mode="HTML")
    assert len(sent.photo) == 2
    assert len({p.file_id for p in sent.photo}) == 2
    assert (sent.photo[-1].width, sent.photo[-1].height) == (3, 2)
    assert sent.caption == "Ảnh hiện trường"
    again = await bot.send_photo(LAN["id"], sent.photo[-1].file_id)
    assert again.photo[-1].file_id == sent.photo[-1].file_id
    tg_file = await bot.get_file(sent.photo[-1].file_id)
    assert tg_file.file_path
    assert bytes(await tg_file.download_as_bytearray()) == png
    assert await client.download(sent.photo[0].file_id) == png


async def test_user_photo_is_downloadable_by_the_bot(bot: Bot, client: SandboxClient) -> None:
    png = tiny_png(5, 4)
    await client.send_message(
        GROUP_ID, LAN, caption="xe lạ", photo=png, chat_type="supergroup", chat_title="Tổ 5"
    )
    message = (await bot.get_updates())[0].message
    assert message is not None and message.photo and message.caption == "xe lạ"
    data = await (await message.photo[-1].get_file()).download_as_bytearray()
    assert bytes(data) == png


async def test_user_document_and_location(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, document=b"%PDF-1", filename="bien-ban.pdf")
    await client.send_message(LAN["id"], LAN, location=(10.77, 106.70))
    first, second = await bot.get_updates()
    assert first.message is not None and first.message.document is not None
    assert first.message.document.file_name == "bien-ban.pdf"
    assert first.message.document.mime_type == "application/pdf"
    assert second.message is not None and second.message.location is not None
    assert second.message.location.latitude == pytest.approx(10.77)


async def test_media_group_shares_group_id(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    album = await bot.send_media_group(
        LAN["id"], [InputMediaPhoto(tiny_png(), caption="1"), InputMediaPhoto(tiny_png(2, 2))]
    )
    assert len(album) == 2
    assert album[0].media_group_id and album[0].media_group_id == album[1].media_group_id
    assert album[0].caption == "1"
    history = await client.history(LAN["id"], from_bot=True)
    assert len(history) == 2


async def test_other_media_and_location_methods(bot: Bot, client: SandboxClient) -> None:
    await client.send_message(LAN["id"], LAN, "hi")
    doc = await bot.send_document(LAN["id"], b"a,b\n1,2", filename="bao-cao.csv", caption="v1")
    assert doc.document is not None and doc.document.file_name == "bao-cao.csv"
    edited = await bot.edit_message_caption(LAN["id"], doc.message_id, caption="v2")
    assert not isinstance(edited, bool) and edited.caption == "v2"
    voice = await bot.send_voice(LAN["id"], b"OggS...")
    assert voice.voice is not None
    video = await bot.send_video(LAN["id"], doc.document.file_id)  # any file_id is reusable
    assert video.video is not None
    venue = await bot.send_venue(LAN["id"], 10.7, 106.6, "Chợ Bến Thành", "Quận 1")
    assert venue.venue is not None and venue.location is not None
    location = await bot.send_location(LAN["id"], 10.7, 106.6)
    assert await bot.delete_messages(LAN["id"], [voice.message_id, location.message_id, 999])
    await bot.send_chat_action(LAN["id"], "typing")
    history = {m["message_id"]: m for m in await client.history(LAN["id"], from_bot=True)}
    assert history[voice.message_id]["deleted"] and not history[venue.message_id].get("deleted")
