"""An anonymous tipster's identity (telegram id, name, username) after a full scenario: the
tip through the conversation, the police chat, the inbox card, taking it, a relayed question
and answer, closing it, thanks, a moderator's review queue, the weekly digest, statistics and
the audit/statistics exports (what ``anninh admin audit`` and ``anninh report`` write), and a
database error: it appears in no chat but the tipster's own, in no log line and no export."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text as sql
from sqlalchemy.exc import DBAPIError

from bot.i18n import t
from services import stats_export
from tests.e2e.harness import BotHarness, buttons, user
from tests.e2e.test_tips import HUNG, POLICE_CHAT, finish_tip, seed, start_tip
from tests.hardening.support import LogWatch, scalar, wait_until

TIPSTER = user(987_654_321, "Xuyến", "xuyen_bimat_77", last_name="Khổng")
SECRETS = ("987654321", "Xuyến", "xuyen_bimat_77", "Khổng")
MODERATOR = user(1961, "Thu", "thu_kd")
NEIGHBOUR = user(1962, "Bình", "binh_nd")
GROUP = -100961


def _leaks(texts: list[str]) -> list[str]:
    return [f"{s!r} in {tx[:160]!r}" for tx in texts for s in SECRETS if s in tx]


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    out = []
    for m in messages:
        out.append(json.dumps(m, ensure_ascii=False))
    return out


@pytest.mark.slow
async def test_an_anonymous_tipster_never_leaks(harness: BotHarness, logwatch: LogWatch) -> None:
    h = harness
    await seed(h)
    await h.services.grants.grant(
        target_telegram_id=MODERATOR["id"], role="moderator", area_code="ND-TN"
    )
    await h.client.members(GROUP, joined=[TIPSTER, NEIGHBOUR, MODERATOR], title="TDP 1")
    await h.client.set_admins(GROUP, [MODERATOR["id"]], bot_is_admin=True)
    await h.services.groups.link(None, GROUP, "ND-TN-01", "residents")

    # The tipster writes in the group too (the bot sees it) and sends an anonymous tip.
    await h.client.send_message(GROUP, TIPSTER, "Chào cả nhà", chat_type="supergroup")
    await start_tip(h, TIPSTER)
    [ack] = await h.say(TIPSTER, "Nhà số 9 có người lạ ra vào ban đêm, mang theo bao tải.")
    assert ack["text"]
    done = await finish_tip(h, TIPSTER, ack)  # the step's latest message acts
    assert "Đã gửi tin báo" in done
    report_id, code = await _report(h)

    # The police work it: the chat message, the inbox, taking it, a relayed question.
    police: list[dict[str, Any]] = []

    async def police_told() -> bool:  # routed in the background after the answer
        history = await h.client.history(POLICE_CHAT)
        police[:] = [m for m in history if code in (m.get("text") or "")]
        return bool(police)

    await wait_until(police_told)
    assert t("tip-reporter-anonymous", "vi") in police[0]["text"]
    [listing] = await h.say(HUNG, "/hopthu")
    _, [card] = await h.press(HUNG, listing, f"inbox:o:{report_id}", expect=1)
    version = await scalar(h, "SELECT version FROM reports WHERE id = :i", i=report_id)
    await h.press(HUNG, card, f"tip:verify:{report_id}:{version}", expect=1)
    version = await scalar(h, "SELECT version FROM reports WHERE id = :i", i=report_id)
    _, [_prompt] = await h.press(HUNG, card, f"tip:reply:{report_id}:{version}", expect=1)
    mark = max(m["message_id"] for m in await h.client.history(TIPSTER["id"]))
    await h.say(HUNG, "Anh chị có thấy biển số xe không?")
    [question] = await h.client.wait_for_bot_messages(TIPSTER["id"], after_message_id=mark)
    await h.say(
        TIPSTER, "Biển 18B1-234.56, xe Wave đỏ", reply_to_message_id=question["message_id"]
    )
    version = await scalar(h, "SELECT version FROM reports WHERE id = :i", i=report_id)
    await h.press(HUNG, card, f"tip:handled:{report_id}:{version}", expect=1)
    await h.say(HUNG, "Đã xác minh và xử lý.", expect=1)
    await h.say(HUNG, f"/camon {code}")
    await h.say(MODERATOR, "/duyet")
    await h.say(HUNG, "/thongke")
    await h.say(HUNG, "/nhatky")
    await h.say(HUNG, "/baocaotuan")

    # A database error while the tipster's data is the parameter: no value in the message.
    try:
        async with h.services.engine.begin() as conn:
            await conn.execute(
                sql("INSERT INTO users (id, telegram_id, first_name) VALUES (:i, :t, :n)"),
                {"i": 1, "t": TIPSTER["id"], "n": TIPSTER["first_name"]},
            )
    except DBAPIError as exc:
        error_text = str(exc)
    else:  # pragma: no cover - the insert must collide
        raise AssertionError("expected a constraint error")
    assert not _leaks([error_text]), error_text

    # 1. Chats: everything anyone but the tipster can read.
    leaks = []
    own = [m for m in await h.client.history(TIPSTER["id"]) if m["from"].get("is_bot")]
    assert _leaks(_texts(own)), "control: the scan finds the name where it may be (own chat)"
    for chat in await h.client.chats():
        if chat["id"] == TIPSTER["id"]:
            continue
        history = await h.client.history(chat["id"])
        bot_said = [m for m in history if m["from"].get("is_bot")]
        leaks += [f"chat {chat['id']}: {x}" for x in _leaks(_texts(bot_said))]
    # 2. Logs of the bot's side (the sandbox plays Telegram and is not the bot).
    leaks += [f"log: {x}" for x in _leaks([logwatch.bot_text()])]
    # 3. Exports.
    today = datetime.now(h.settings.tz).date()
    for fmt in ("csv", "json"):
        exported = await h.services.audit.export(
            since=datetime.combine(today - timedelta(days=1), datetime.min.time(), h.settings.tz),
            until=None,
            area_code=None,
            fmt=fmt,
        )
        assert code in exported or str(report_id) in exported
        leaks += [f"audit {fmt}: {x}" for x in _leaks([exported])]
    export = await h.services.stats.export("ND-TN", today - timedelta(days=7), today)
    csv_text = stats_export.to_csv(export, "vi", t, h.settings.tz)
    assert code in csv_text
    leaks += [f"report csv: {x}" for x in _leaks([csv_text])]
    xlsx = stats_export.to_xlsx(export, "vi", t, h.settings.tz)
    leaks += [f"report xlsx: {s}" for s in SECRETS if s.encode() in xlsx]
    assert not leaks, "\n".join(leaks[:20])

    # The tipster, and only the tipster, sees their own tip.
    [mine] = await h.say(TIPSTER, "/tincuatoi")
    assert code in mine["text"]
    assert buttons(mine)


async def _report(h: BotHarness) -> tuple[int, str]:
    async with h.services.engine.connect() as conn:
        row = (await conn.execute(sql("SELECT id, code FROM reports"))).one()
    return int(row[0]), str(row[1])
