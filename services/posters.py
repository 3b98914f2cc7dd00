"""Printable QR posters for a tổ dân phố (pure: text in, PNG/PDF bytes out).

The caller supplies every string already in the reader's language; this module only lays them
out on an A4 page (150 dpi) around a QR code of the deep link. Vietnamese needs a font with its
precomposed letters: DejaVu Sans (Debian ``fonts-dejavu-core``) is looked up first, then any of
a few common TTFs, then Pillow's bundled default font.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_Q

PAGE_SIZE = (1240, 1754)  # A4 at 150 dpi
DPI = 150
MARGIN = 90
QR_SIZE = 760
HEADER_COLOUR = (176, 28, 36)  # the red of police posters
EMERGENCY_COLOUR = (176, 28, 36)
TEXT_COLOUR = (25, 25, 25)
MUTED_COLOUR = (90, 90, 90)

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))
REGULAR_FONTS = ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf")
BOLD_FONTS = ("DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf", "LiberationSans-Bold.ttf")


@dataclass(frozen=True, slots=True)
class PosterText:
    url: str
    """What the QR code encodes (the bot's deep link for the area)."""
    header: str
    area_name: str
    lineage: str
    scan_hint: str
    features: Sequence[str]
    emergency: str
    footer: str


@cache
def find_font(bold: bool = False) -> str | None:
    """Path of a TTF that covers Vietnamese, or None."""
    names = BOLD_FONTS if bold else REGULAR_FONTS
    for name in names:
        for base in FONT_DIRS:
            root = Path(base)
            if not root.is_dir():
                continue
            found = next(iter(sorted(root.rglob(name))), None)
            if found is not None:
                return str(found)
    return None


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = find_font(bold) or find_font(False)
    if path is not None:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def qr_image(url: str, size: int = QR_SIZE) -> Image.Image:
    """A black-on-white QR code of ``url``, ``size`` pixels square (quiet zone included)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=4, box_size=10)
    code.add_data(url)
    code.make(fit=True)
    modules = code.modules_count + 2 * code.border
    box = max(1, size // modules)
    code.box_size = box
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    return image.resize((size, size), Image.Resampling.NEAREST)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if current and draw.textlength(candidate, font=font) > width:  # type: ignore[arg-type]
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


def _centered(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    font: object,
    fill: tuple[int, int, int],
    width: int,
    spacing: int = 10,
) -> int:
    """Draw wrapped, centred text from ``y``; returns the y below it."""
    for line in _wrap(draw, text, font, width):
        left, top, right, bottom = draw.textbbox((0, 0), line or " ", font=font)  # type: ignore[arg-type]
        draw.text(((PAGE_SIZE[0] - (right - left)) / 2 - left, y), line, font=font, fill=fill)  # type: ignore[arg-type]
        y += (bottom - top) + spacing + 8
    return y


def render(text: PosterText) -> Image.Image:
    """One A4 poster."""
    page = Image.new("RGB", PAGE_SIZE, "white")
    draw = ImageDraw.Draw(page)
    inner = PAGE_SIZE[0] - 2 * MARGIN

    draw.rectangle((0, 0, PAGE_SIZE[0], 150), fill=HEADER_COLOUR)
    header_font = _font(58, bold=True)
    _centered(draw, 42, text.header, header_font, (255, 255, 255), inner)

    y = 200
    y = _centered(draw, y, text.area_name, _font(64, bold=True), TEXT_COLOUR, inner)
    if text.lineage:
        y = _centered(draw, y, text.lineage, _font(34), MUTED_COLOUR, inner)

    y += 20
    qr = qr_image(text.url)
    page.paste(qr, ((PAGE_SIZE[0] - QR_SIZE) // 2, y))
    y += QR_SIZE + 10
    y = _centered(draw, y, text.scan_hint, _font(36, bold=True), TEXT_COLOUR, inner)
    y = _centered(draw, y, text.url, _font(26), MUTED_COLOUR, inner)

    y += 20
    body = _font(32)
    for line in text.features:
        y = _centered(draw, y, line, body, TEXT_COLOUR, inner, spacing=4)

    emergency_font = _font(40, bold=True)
    band_lines = len(_wrap(draw, text.emergency, emergency_font, inner))
    band_bottom = PAGE_SIZE[1] - 110
    band_top = band_bottom - 60 - 58 * band_lines
    draw.rectangle((0, band_top, PAGE_SIZE[0], band_bottom), fill=EMERGENCY_COLOUR)
    _centered(draw, band_top + 30, text.emergency, emergency_font, (255, 255, 255), inner)
    _centered(draw, PAGE_SIZE[1] - 80, text.footer, _font(24), MUTED_COLOUR, inner)
    return page


def png_bytes(text: PosterText) -> bytes:
    out = io.BytesIO()
    render(text).save(out, "PNG", optimize=True, dpi=(DPI, DPI))
    return out.getvalue()


def pdf_bytes(texts: Sequence[PosterText]) -> bytes:
    """One A4 page per poster."""
    if not texts:
        raise ValueError("no posters to render")
    pages = [render(t) for t in texts]
    out = io.BytesIO()
    # Pillow stores RGB pages as JPEG: high quality keeps the QR modules' edges clean.
    pages[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=pages[1:], quality=92)
    return out.getvalue()
