"""`anninh admin qr | contact | faq`, run as real processes against a real database."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import zxingcpp
from PIL import Image

from services.areas import AreaService
from storage.uow import Sessions

ROOT = Path(__file__).resolve().parents[2]
TREE = (
    "code,name,kind,parent_code\n"
    "ND,Tỉnh Nam Định,province,\n"
    "ND-TP,Thành phố Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-TN-01,Tổ dân phố 1,residential_group,ND-TN\n"
    "ND-TN-02,Tổ dân phố 2,residential_group,ND-TN\n"
    "ND-TN-03,Tổ dân phố 3,residential_group,ND-TN\n"
)


def anninh(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"BOT_TOKEN", "DATABASE_URL", "BOT_USERNAME"}
    }
    env.update({"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


async def seed(sessions: Sessions) -> None:
    """In-process (each CLI run costs seconds): the tree the commands work on."""
    await AreaService(sessions).import_csv(TREE)


async def test_qr_writes_one_decodable_poster_per_to_dan_pho(
    tmp_path: Path, database_url: str, sessions: Sessions
) -> None:
    await seed(sessions)
    out = tmp_path / "posters"
    result = anninh(
        database_url, "admin", "qr", "--area", "ND-TN", "--out", str(out),
        "--bot-username", "anninh_test_bot",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    files = sorted(out.iterdir())
    assert [f.name for f in files] == ["qr-ND-TN-01.png", "qr-ND-TN-02.png", "qr-ND-TN-03.png"]
    assert "Tổ dân phố 2, Phường Thống Nhất, Thành phố Nam Định" in result.stdout
    for f in files:
        image = Image.open(f)
        assert image.format == "PNG" and image.size == (1240, 1754)
        code = f.stem.removeprefix("qr-")
        assert [r.text for r in zxingcpp.read_barcodes(image)] == [
            f"https://t.me/anninh_test_bot?start={code}"
        ]

    pdf = anninh(
        database_url, "admin", "qr", "--area", "nd-tn-02", "--out", str(out), "--format", "pdf",
        "--bot-username", "@anninh_test_bot", "--lang", "en",
    )  # fmt: skip
    assert pdf.returncode == 0, pdf.stderr
    reader = pypdf.PdfReader(io.BytesIO((out / "qr-ND-TN-02.pdf").read_bytes()))
    [page] = reader.pages
    [found] = zxingcpp.read_barcodes(page.images[0].image)
    assert found.text == "https://t.me/anninh_test_bot?start=ND-TN-02"

    missing = anninh(database_url, "admin", "qr", "--area", "ND-TN", "--out", str(tmp_path))
    assert missing.returncode != 0 and "BOT_USERNAME" in missing.stderr
    assert "Traceback" not in missing.stderr


async def test_contacts_and_faq_are_managed_from_the_command_line(
    tmp_path: Path, database_url: str, sessions: Sessions
) -> None:
    await seed(sessions)
    ok = anninh(
        database_url, "admin", "contact", "set", "--area", "ND-TN-01", "--role", "officer",
        "--name", "Trần Văn Hùng", "--rank", "Thượng úy", "--phone", "0912345678",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "ND-TN-01 officer: Thượng úy Trần Văn Hùng 0912 345 678"
    listing = anninh(database_url, "admin", "contact", "list").stdout
    assert "ND-TN-01" in listing and "0912 345 678" in listing and "Trần Văn Hùng" in listing

    faq_csv = tmp_path / "faq.csv"
    faq_csv.write_text(
        "slug,question_vi,answer_vi,keywords\n"
        'gio-lam-viec,Công an phường làm việc giờ nào?,"Sáng 7h30-11h30, chiều 13h30-17h",'
        "giờ làm việc\n",
        encoding="utf-8",
    )
    imported = anninh(database_url, "admin", "faq", "import", str(faq_csv))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "created 1, updated 0"
    assert "gio-lam-viec" in anninh(database_url, "admin", "faq", "list").stdout
    broken = tmp_path / "broken.csv"
    broken.write_text("slug,question_vi,answer_vi\nmoi,,\n", encoding="utf-8")
    failed = anninh(database_url, "admin", "faq", "import", str(broken))
    assert failed.returncode != 0 and "Dòng 2" in failed.stderr and "moi" in failed.stderr
