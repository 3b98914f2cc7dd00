"""Every privileged command and button against every kind of user: a resident, the
moderator of the area, police of another ward, police of the area, an admin. The table says
who may; the test runs each action as each role (denied roles first, so a refused attempt
could not have been "helped" by an allowed one), classifies the bot's answer as a refusal or
not, and compares the whole table at once. Refused attempts must also leave no audit entry
and no change. The review queue's buttons are here too, including on an item about a
protected member (nobody may); what the bot does by itself to a member, against every role as
that member, is in test_permissions_automatic.py."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.i18n import LOCALES_DIR
from services.advisory_types import AdvisoryDraft
from services.indicators import extract_indicators
from services.review import enqueue_in
from services.schedule_text import Schedule
from services.users import IncomingUser
from storage.models import Recurrence, ReviewKind
from storage.repositories.indicators import IndicatorRepository
from storage.uow import transaction
from tests.e2e.harness import BotHarness, user
from tests.e2e.test_police_inbox import seed_tip
from tests.hardening.support import (
    callback_update,
    draft_ready,
    message_update,
    user_db_id,
)

AREAS = (
    "code,name,kind,parent_code\n"
    "ND,Nam Định,province,\n"
    "ND-TP,TP Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-TN-01,Tổ dân phố số 1,residential_group,ND-TN\n"
    "ND-HB,Phường Hạ Long,ward,ND-TP\n"
    "ND-HB-01,Tổ dân phố Hạ Long 1,residential_group,ND-HB\n"
)
ROLES = {
    "resident": user(1901, "Dân", "dan"),
    "moderator": user(1902, "Kiểm duyệt", "kd"),
    "police_other": user(1903, "CA Hạ Long", "ca_hl"),
    "police": user(1904, "CA Thống Nhất", "ca_tn"),
    "admin": user(1905, "Quản trị", "qt"),
}
GRANTS = {
    "moderator": ("moderator", "ND-TN"),
    "police_other": ("police", "ND-HB"),
    "police": ("police", "ND-TN"),
    "admin": ("admin", "ND"),
}
REPORTER = user(1910, "Người báo", "nguoibao")
SPAMMER = user(1911, "Rác", "rac")
TO_TRUONG = user(1912, "Tổ trưởng", "totruong")
"""Moderator of the tổ dân phố: protected there, and none of the roles above (so nobody's
press on an item about them is about themselves)."""
GROUP = -100801  # residents' group of ND-TN-01
NEW_GROUP = -100802  # not linked yet
POLICE_CHAT = -100803  # the police working chat of ND-TN

ANY_MOD = {"moderator", "police_other", "police", "admin"}
ANY_POLICE = {"police_other", "police", "admin"}
AREA_POLICE = {"police", "admin"}
AREA_MOD = {"moderator", "police", "admin"}

# (name, kind, payload, chat, who may). ``{report}``/``{code}``/``{advisory}`` are filled in.
TABLE: list[tuple[str, str, str, str, set[str]]] = [
    ("/hopthu", "command", "/hopthu", "private", ANY_POLICE),
    ("/web", "command", "/web", "private", ANY_MOD),
    ("/duyet", "command", "/duyet", "private", ANY_MOD),
    ("/nhatky", "command", "/nhatky", "private", ANY_MOD),
    ("/thongke", "command", "/thongke", "private", ANY_MOD),
    ("/phatcanhbao", "command", "/phatcanhbao", "private", ANY_POLICE),
    ("/lichphat", "command", "/lichphat", "private", ANY_POLICE),
    ("/qr ND-TN", "command", "/qr ND-TN", "private", AREA_POLICE),
    ("/camon <code>", "command", "/camon {code}", "private", AREA_POLICE),
    (
        "/capnhatlienhe",
        "command",
        "/capnhatlienhe khu vực: ND-TN\nvai trò: duty\nsđt: 0228 3849 113",
        "private",
        AREA_POLICE,
    ),
    ("tip:verify", "callback", "tip:verify:{report}", "private", AREA_POLICE),
    ("tip:reply", "callback", "tip:reply:{report}", "private", AREA_POLICE),
    ("tip:handled", "callback", "tip:handled:{report}", "private", AREA_POLICE),
    ("inbox:o", "callback", "inbox:o:{report}", "private", AREA_POLICE),
    ("sched:pause", "callback", "sched:pause:{advisory}", "private", AREA_POLICE),
    # Last of the report's actions: escalating hands the report to the district.
    ("tip:escalate", "callback", "tip:escalate:{report}", "private", AREA_POLICE),
    ("/lienket (group)", "command", "/lienket ND-TN-01", "new_group", AREA_POLICE),
    ("/caidat (group)", "command", "/caidat", "group", AREA_MOD),
    ("/canhcao (group, reply)", "command", "/canhcao", "group_reply", AREA_MOD),
    ("/gocanhcao (group, reply)", "command", "/gocanhcao", "group_reply", AREA_MOD),
    ("/camchat (group, reply)", "command", "/camchat 30p", "group_reply", AREA_MOD),
    ("/mochat (group, reply)", "command", "/mochat", "group_reply", AREA_MOD),
    ("/chan @name (group)", "command", "/chan @rac", "group", AREA_MOD),
    ("/gochan @name (group)", "command", "/gochan @rac", "group", AREA_MOD),
    ("/xacminh (group)", "command", "/xacminh on", "group", AREA_MOD),
    ("/canhbaotudong (group)", "command", "/canhbaotudong off", "group", AREA_MOD),
    ("/capquyen", "command", "/capquyen @nguoibao moderator ND-TN-01", "private", AREA_POLICE),
    ("/thuquyen", "command", "/thuquyen @nguoibao moderator ND-TN-01", "private", AREA_POLICE),
    ("/baocaotuan (police chat)", "command", "/baocaotuan on", "police_chat", AREA_POLICE),
    ("/loicamon ND-TN", "command", "/loicamon ND-TN", "private", AREA_POLICE),
    ("/suathutuc", "command", "/suathutuc", "private", ANY_POLICE),
    ("/thuhoi <advisory>", "command", "/thuhoi {advisory}", "private", AREA_POLICE),
    ("tip:reject", "callback", "tip:reject:{report2}", "private", AREA_POLICE),
    ("scam:ok", "callback", "scam:ok:{indicator}", "private", AREA_POLICE),
    (
        "tip:scam (a fraud tip's indicators)",
        "callback",
        "tip:scam:{fraud}",
        "private",
        AREA_POLICE,
    ),
    (
        "tipscam (confirm one indicator)",
        "callback",
        "tipscam:{fraud}:{fraud_indicator}:1",
        "private",
        AREA_POLICE,
    ),
    ("rv:<item>:warn", "callback", "rv:{review}:warn", "private", AREA_MOD),
    # The queue's other buttons, each on its own item about the spammer.
    ("rv:<item>:mute", "callback", "rv:{review_mute}:mute", "private", AREA_MOD),
    ("rv:<item>:delete", "callback", "rv:{review_delete}:delete", "private", AREA_MOD),
    ("rv:<item>:ban", "callback", "rv:{review_ban}:ban", "private", AREA_MOD),
    ("rv:<item>:dismiss", "callback", "rv:{review_dismiss}:dismiss", "private", AREA_MOD),
    # An item about the tổ's own moderator (queued before the rule, or before their grant):
    # nobody may act on them from the queue, whatever their rights on the area.
    ("rv:<protected>:ban", "callback", "rv:{review_protected}:ban", "private", set()),
    ("rv:<protected>:mute", "callback", "rv:{review_protected}:mute", "private", set()),
    ("rv:<protected>:warn", "callback", "rv:{review_protected}:warn", "private", set()),
    ("rv:<protected>:delete", "callback", "rv:{review_protected}:delete", "private", set()),
    # Tips in the queue: a moderator decides on what they may see; police restore what a
    # moderator closed; nobody hands a police-only tip to the moderators.
    ("rv:<tip>:approve", "callback", "rv:{review_tip}:approve", "private", AREA_MOD),
    ("tip:restore", "callback", "tip:restore:{report_closed}", "private", AREA_POLICE),
    ("tip:review (police-only tip)", "callback", "tip:review:{report_crime}", "private", set()),
    ("tip:review", "callback", "tip:review:{report_order}", "private", AREA_POLICE),
    ("au:<page>", "callback", "au:0", "private", ANY_MOD),
    ("inbox:l (a page of the inbox)", "callback", "inbox:l:r:all:0", "private", ANY_POLICE),
    ("st:p (stats of ND-TN)", "callback", "st:p:m:{ward}", "private", AREA_MOD),
    ("st:r (a fixed period)", "callback", "st:r:m.20261101.20261126:{ward}", "private", AREA_MOD),
    ("st:a (by child area)", "callback", "st:a:m.20261101.20261126:{ward}", "private", AREA_MOD),
    ("sched:resume", "callback", "sched:resume:{advisory}", "private", AREA_POLICE),
    ("sched:edit", "callback", "sched:edit:{advisory}", "private", AREA_POLICE),
    ("sched:delete", "callback", "sched:delete:{advisory}", "private", AREA_POLICE),
    # A warning its author wrote while policing ND-TN, before their transfer to ND-HB: it is
    # the ward's now (police_other, its author, is refused; the ward's police manage it).
    ("sched:edit (former officer's)", "callback", "sched:edit:{former}", "private", AREA_POLICE),
    ("sched:pause (former officer's)", "callback", "sched:pause:{former}", "private", AREA_POLICE),
    (
        "sched:resume (former officer's)",
        "callback",
        "sched:resume:{former}",
        "private",
        AREA_POLICE,
    ),
    ("/thuhoi (former officer's)", "command", "/thuhoi {former}", "private", AREA_POLICE),
    ("sched:retract (former's)", "callback", "sched:retract:{former}", "private", AREA_POLICE),
    (
        "sched:retractok (former's)",
        "callback",
        "sched:retractok:{former}",
        "private",
        AREA_POLICE,
    ),
    ("sched:delete (former's)", "callback", "sched:delete:{former}", "private", AREA_POLICE),
    # Nothing of a tip shows in a residents' group, whoever asks (the police's card and
    # buttons work in private, above). Late in the table: the group's flood guard counts
    # these messages too.
    ("/hopthu (residents' group)", "command", "/hopthu", "group", set()),
    ("/hopthu <code> (group)", "command", "/hopthu {code2}", "group", set()),
    ("inbox:o (residents' group)", "callback", "inbox:o:{report2}", "group", set()),
    ("tip:verify (residents' group)", "callback", "tip:verify:{report2}:1", "group", set()),
    # Last: unlinking the newly linked group.
    ("/huylienket (group)", "command", "/huylienket", "new_group", AREA_POLICE),
]
# Buttons that are not a role's to press, and what guards them instead.
PERSONAL_BUTTONS = {
    "tipf:": "the resident's own tip draft",
    "tipa:": "the resident's own tip draft",
    "mytips:": "the person's own tips, by their user id",
    "relay:": "the reporter's own relayed question",
    "onb:": "the person's own home area",
    "home:": "the person's own home area",
    "lang:": "the person's own language",
    "faq:": "public answers",
    "contact:": "public contacts",
    "vf:": "only the newcomer the button names",
    "adv:": "a composition, which only /phatcanhbao (in the table) starts",
    "acct:": "the person's own account-link request (its two sides only, by users.id)",
    "advt:": "a composition, which only /phatcanhbao (in the table) starts",
}
# Commands anyone may use (test_every_command_is_in_the_table keeps this list honest).
PUBLIC_COMMANDS = {
    "start",
    "help",
    "language",
    "baotin",
    "canhbaolua",
    "huy",
    "tincuatoi",
    "khuvuc",
    "dangky",
    "huydangky",
    "kiemtra",
    "lienhe",
    "thutuc",
    "baocao",
    "lienkettaikhoan",
}

DENY_KEYS = [
    "error-permission-denied",
    "adv-police-only",
    "adv-area-not-yours",
    "adv-not-yours",
    "audit-not-allowed",
    "contact-not-yours",
    "inbox-not-police",
    "inbox-wrong-chat",
    "inbox-code-not-found",  # another area's tip reads as unknown
    "tipact-denied",
    "group-link-denied",
    "mod-not-allowed",
    "onb-qr-not-yours",
    "thanks-not-yours",
    "thanks-area-not-yours",
    "relay-denied",
    "review-not-allowed",
    "review-denied",
    "mod-target-protected",
    "tipact-review-police-only",
    "stats-not-allowed",
    "stats-digest-denied",
    "web-not-allowed",
    "scam-confirm-denied",
    "scam-toggle-denied",
]


def _deny_patterns() -> list[re.Pattern[str]]:
    """Each refusal's first line as users see it, its arguments as wildcards."""
    raw: dict[str, str] = {}
    for path in (LOCALES_DIR / "vi").glob("*.ftl"):
        for m in re.finditer(r"^([a-z0-9-]+) =[ \t]*(.*)$", path.read_text(), re.M):
            raw[m.group(1)] = m.group(2)
    patterns = []
    for key in DENY_KEYS:
        assert raw.get(key), f"refusal {key} not in the catalogue (or not one line)"
        parts = re.split(r"\{[^}]*\}", raw[key])
        static = [re.escape(re.sub(r"<[^>]+>", "", part)) for part in parts]
        patterns.append(re.compile(".*?".join(static)))
    return patterns


DENIALS = _deny_patterns()


def is_refusal(text: str) -> bool:
    first = text.split("\n")[0]
    return any(p.match(first) for p in DENIALS)


async def _setup(h: BotHarness) -> dict[str, Any]:
    await h.stop()
    # A console address, so that /web answers those allowed with a sign-in link.
    await h.start(web_base_url="http://127.0.0.1:9")
    await h.services.areas.import_csv(AREAS)
    for role, (grant, area) in GRANTS.items():
        await h.services.grants.grant(
            target_telegram_id=ROLES[role]["id"], role=grant, area_code=area
        )
    await h.services.grants.grant(
        target_telegram_id=TO_TRUONG["id"], role="moderator", area_code="ND-TN-01"
    )
    everyone = [*ROLES.values(), REPORTER, SPAMMER, TO_TRUONG]
    await h.client.members(GROUP, joined=everyone, title="An ninh TDP 1")
    await h.client.members(NEW_GROUP, joined=everyone, title="Nhóm mới")
    await h.client.members(POLICE_CHAT, joined=list(ROLES.values()), title="CA P. Thống Nhất")
    for chat_id in (GROUP, NEW_GROUP, POLICE_CHAT):
        await h.client.set_admins(chat_id, [], bot_is_admin=True)
    await h.services.groups.link(None, GROUP, "ND-TN-01", "residents")
    await h.services.groups.link(None, POLICE_CHAT, "ND-TN", "police")
    # Every role writes in the group once per row: the flood guard must not mute them.
    admin = await h.services.users.identify(IncomingUser(ROLES["admin"]["id"], "QT"))
    await h.services.groups.set_setting(admin, GROUP, "flood_messages", "1000")
    [in_group] = await h.say(ROLES["admin"], "/lienhe", chat_id=GROUP)
    bot_messages: dict[int, int] = {}
    for who in everyone:
        [hello] = await h.say(who, "/start")
        bot_messages[who["id"]] = hello["message_id"]
    reporter_id = await draft_ready(h, REPORTER["id"], "ND-TN-01", "Có kẻ lạ cạy cửa nhà số 7.")
    report = (await h.services.tip_intake.submit(reporter_id)).report
    await draft_ready(h, REPORTER["id"], "ND-TN-01", "Nhóm thanh niên tụ tập đua xe đêm qua.")
    second = (await h.services.tip_intake.submit(reporter_id)).report
    tdp = await h.services.areas.get("ND-TN-01")
    fraud = await seed_tip(
        h,
        REPORTER,
        "Họ gọi vào số của tôi 0987000111",
        category="online_fraud",
        fraud="Số lừa đảo 0911 222 333",
    )
    async with transaction(h.services.sessions) as session:
        # A scam number reported in the ward, and a flagged group message in the queue.
        indicators = IndicatorRepository(session)
        # (On the second report: the first is escalated to the district by then.)
        await indicators.link_report(second.id, tdp.id, extract_indicators("0912 345 678"))
        [indicator] = await indicators.for_report(second.id)
        fraud_indicator = (await indicators.links_of_report(fraud.id))[0].indicator
    police = await h.services.users.identify(IncomingUser(ROLES["police"]["id"], "CA"))
    advisory = await h.services.advisories.create(
        police,
        AdvisoryDraft(
            text="Cảnh giác lừa đảo qua điện thoại",
            schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC) + timedelta(days=2)),
            area_id=(await h.services.areas.get("ND-TN")).id,
        ),
    )
    former = await _former_officers_advisory(h)
    spam = await h.client.send_message(
        GROUP, SPAMMER, "Vay tiền nhanh không cần thế chấp!!!", chat_type="supergroup"
    )
    items = {}
    for key, who in (
        ("review", SPAMMER),
        ("review_mute", SPAMMER),
        ("review_delete", SPAMMER),
        ("review_ban", SPAMMER),
        ("review_dismiss", SPAMMER),
        ("review_protected", TO_TRUONG),
    ):
        said = spam
        if who is not SPAMMER:
            said = await h.client.send_message(
                GROUP, who, "Họp tổ tối thứ Bảy nhé cả nhà", chat_type="supergroup"
            )
        async with transaction(h.services.sessions) as session:
            item = await enqueue_in(
                session,
                kind=ReviewKind.GROUP_MESSAGE,
                area_id=tdp.id,
                reason="report",
                chat_id=GROUP,
                message_id=said["message_id"],
                subject_user_id=await user_db_id(h, who["id"]),
                subject_name=who["first_name"],
                text=said["text"],
                details={"chat_title": "An ninh TDP 1", "subject_telegram_id": who["id"]},
            )
        items[key] = item.id
    tips = await _queued_tips(h, reporter_id)
    assert h.app is not None and h.app.updater is not None
    await h.app.updater.stop()  # from here on the test feeds updates itself
    # Without PTB's flood limiter: a hundred answers in one group would otherwise wait 3 s each
    # (Telegram's 20 messages a minute per group), which is not what is tested here.
    h.app.bot._rate_limiter = None
    return {
        "report": report.id,
        "code": report.code,
        "advisory": getattr(advisory, "id", advisory),
        "former": former,
        "report2": second.id,
        "code2": second.code,
        "indicator": indicator.id,
        **items,
        **tips,
        "fraud": fraud.id,
        "fraud_indicator": fraud_indicator.id,
        "ward": (await h.services.areas.get("ND-TN")).id,
        "bot_messages": bot_messages,
        "group_message": in_group["message_id"],
        "spam": spam,
    }


async def _queued_tips(h: BotHarness, reporter_id: int) -> dict[str, int]:
    """Tips for the queue rows: one in the moderators' queue (many links), one a moderator
    closed from it, a police-only one and an ordinary one nobody queued."""
    intake = h.services.tip_intake
    steps = h.services.tip_steps
    tdp = await h.services.areas.get("ND-TN-01")
    ids = {}
    for key, category, body in (
        ("order", "order", "Đèn đường ngõ 3 hỏng cả tuần nay"),
        ("crime", "crime", "Có người lạ rình nhà số 9"),
        ("tip", "order", "Nhận quà tại https://qua.vn/a https://qua.vn/b www.qua.top"),
        ("closed", "order", "Khuyến mãi https://km.vn/a https://km.vn/b www.km.top"),
    ):
        await intake.begin(reporter_id, category=category, text=body)
        await steps.finish_description(reporter_id)
        await steps.skip_location(reporter_id)
        await steps.choose_area(reporter_id, tdp.id)
        await steps.set_anonymous(reporter_id, True)
        ids[key] = (await intake.submit(reporter_id)).report.id
    moderator = await h.services.users.identify(IncomingUser(ROLES["moderator"]["id"], "KD"))
    by_report: dict[int, int] = {}
    card, after = await h.services.review.next_card(moderator), 0
    while card is not None and card.item.id > after:
        if card.item.report_id is not None:
            by_report[card.item.report_id] = card.item.id
        after = card.item.id
        card = await h.services.review.next_card(moderator, after)
    await h.services.review.act(moderator, by_report[ids["closed"]], "reject")
    return {
        "review_tip": by_report[ids["tip"]],
        "report_closed": ids["closed"],
        "report_crime": ids["crime"],
        "report_order": ids["order"],
    }


async def _former_officers_advisory(h: BotHarness) -> int:
    """A daily warning to ND-TN written by police_other while they policed it too; then that
    grant is revoked (they keep ND-HB: a transfer)."""
    who = ROLES["police_other"]
    await h.services.grants.grant(target_telegram_id=who["id"], role="police", area_code="ND-TN")
    author = await h.services.users.identify(IncomingUser(who["id"], "CA"))
    advisory = await h.services.advisories.create(
        author,
        AdvisoryDraft(
            text="Khoá cửa trước khi ngủ",
            schedule=Schedule(Recurrence.DAILY, time_of_day="21:00"),
            area_id=(await h.services.areas.get("ND-TN")).id,
        ),
    )
    await h.services.grants.revoke(target_telegram_id=who["id"], role="police", area_code="ND-TN")
    return advisory.id


async def _act(h: BotHarness, ctx: dict[str, Any], row: tuple[Any, ...], role: str) -> str:
    """Run one action as ``role``; returns everything the bot said back (answer + messages)."""
    _name, kind, payload, chat, _ = row
    who = ROLES[role]
    text = payload.format(**ctx)
    chat_id = {
        "private": who["id"],
        "group": GROUP,
        "group_reply": GROUP,
        "new_group": NEW_GROUP,
        "police_chat": POLICE_CHAT,
    }[chat]
    before = max((m["message_id"] for m in await h.client.history(chat_id)), default=0)
    answer_id = None
    if kind == "callback":
        under = ctx["group_message"] if chat == "group" else ctx["bot_messages"][who["id"]]
        pressed = await h.client.press_button(chat_id, who, under, text, forged=True)
        raw = callback_update(who, text, chat_id=chat_id, message_id=under)
        raw["callback_query"]["id"] = answer_id = pressed["callback_query_id"]
    else:
        chat_type = "private" if chat == "private" else "supergroup"
        real = await h.client.send_message(
            chat_id,
            who,
            text,
            chat_type=chat_type,
            reply_to_message_id=ctx["spam"]["message_id"] if chat == "group_reply" else None,
        )
        chat_obj = {"id": chat_id, "type": chat_type, "title": "g"} if chat_id < 0 else None
        raw = message_update(who, text, chat=chat_obj)
        raw["message"]["message_id"] = real["message_id"]
        if chat == "group_reply":
            raw["message"]["reply_to_message"] = {**ctx["spam"], "chat": chat_obj}
    assert h.app is not None
    await h.app.process_update(Update.de_json(raw, h.app.bot))
    said = []
    if answer_id is not None:
        answer = await h.client.callback_answer(answer_id, wait=0.2)
        if answer and answer.get("text"):
            said.append(answer["text"])
    history = await h.client.history(chat_id, after=before, from_bot=True)
    said += [m.get("text") or m.get("caption") or "" for m in history]
    return "\n---\n".join(said)


async def test_every_command_is_in_the_table_or_public(harness: BotHarness) -> None:
    """A new command is either public or gets its row above: none escapes the matrix."""
    assert harness.app is not None
    in_table = {
        payload.split()[0].lstrip("/") for _, kind, payload, *_ in TABLE if kind == "command"
    }
    missing = []
    for handlers in harness.app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                names = set(handler.commands)
                if not names & (in_table | PUBLIC_COMMANDS):
                    missing.append(sorted(names))
    assert not missing, f"commands neither public nor in the permissions table: {missing}"


async def test_every_button_is_in_the_table_or_personal(harness: BotHarness) -> None:
    """A new kind of button is either pressed by the matrix or guarded by whose it is."""
    assert harness.app is not None
    keys = ("report", "report2", "advisory", "former", "indicator", "review", "ward", "code2")
    ids = {key: 1 for key in (*keys, "fraud", "fraud_indicator")}
    ids.update(
        {
            key: 1
            for key in (
                "review_mute",
                "review_delete",
                "review_ban",
                "review_dismiss",
                "review_protected",
                "review_tip",
                "report_closed",
                "report_crime",
                "report_order",
            )
        }
    )
    pressed = [payload.format(**ids) for _, kind, payload, *_ in TABLE if kind == "callback"]
    missing = []
    for handlers in harness.app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
                pattern = re.compile(handler.pattern)
                personal = pattern.pattern.lstrip("^").startswith(tuple(PERSONAL_BUTTONS))
                if not personal and not any(pattern.match(data) for data in pressed):
                    missing.append(pattern.pattern)
    assert not missing, f"buttons neither personal nor in the permissions table: {missing}"


@pytest.mark.slow
async def test_every_privileged_action_against_every_role(harness: BotHarness) -> None:
    h = harness
    ctx = await _setup(h)
    outsiders = [await user_db_id(h, ROLES[r]["id"]) for r in ("resident", "police_other")]
    set_up = len(await _actions(h, outsiders))  # police_other's advisory, written in _setup
    table: list[tuple[str, str, bool, bool, str]] = []
    for row in TABLE:
        name, *_rest, allowed = row
        ordered = sorted(ROLES, key=lambda r: r in allowed)  # refused roles first
        for role in ordered:
            said = await _act(h, ctx, row, role)
            refused = any(is_refusal(part) for part in said.split("\n---\n"))
            table.append((name, role, role in allowed, not refused, said[:120]))
    wrong = [r for r in table if r[2] != r[3]]
    report = "\n".join(
        f"{name:<26} {role:<13} expected {'allow' if exp else 'deny ':<5} "
        f"got {'allow' if got else 'deny '}  {said!r}"
        for name, role, exp, got, said in wrong
    )
    assert not wrong, f"{len(wrong)} of {len(table)} cells wrong:\n{report}"
    # Allowed answers are real answers, not the generic apology.
    generic = [r for r in table if r[3] and r[4].startswith("Xin lỗi, đã có lỗi")]
    assert not generic, generic

    # Refused attempts are audited as refusals, and nothing else of theirs is.
    actions = (await _actions(h, outsiders))[set_up:]
    assert {a[0] for a in actions} <= {"denied", "review.denied"}, actions


async def _actions(h: BotHarness, ids: list[int]) -> list[Any]:
    from sqlalchemy import text

    from storage.uow import transaction

    async with transaction(h.services.sessions) as session:
        rows = await session.execute(
            text(
                "SELECT action, actor_user_id, target_type, area_id FROM audit_log "
                "WHERE actor_user_id IN (:a, :b) ORDER BY id"
            ),
            {"a": ids[0], "b": ids[1]},
        )
        return [tuple(r) for r in rows]
