"""The console's part 2 over HTTP, with the real bot and scheduler behind it: an officer
composes advisories as /phatcanhbao would (same refusals), sees them on the calendar and each
group's delivery, retracts after a confirmation page; the areas page; the audit log's filters
and its formula-safe exports; a moderator clears a queue item and the chat's /duyet agrees.
An officer of another ward sees none of Thống Nhất's."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import httpx
from openpyxl import load_workbook

from bot.i18n import t
from services.review import enqueue_in
from services.tip_exposure import queue_for_moderators
from storage.models import ReviewKind
from storage.uow import transaction
from tests.e2e.test_advisories_support import copies, seed_groups
from tests.hardening.support import user_db_id, wait_until
from tests.web.conftest import NAMED_REPORTER, PEOPLE, Console, csrf_in

FORMULA_AREA = '=HYPERLINK("http://x","bấm")'


def _advisory_id(response: httpx.Response) -> int:
    assert response.status_code == 303, (response.status_code, response.text[:400])
    location = response.headers["location"]
    match = re.fullmatch(r"/advisories/(\d+)\?done=(created|sending)", location)
    assert match, location
    return int(match.group(1))


async def _compose(
    client: httpx.AsyncClient, csrf: str, step: str, **fields: str
) -> httpx.Response:
    return await client.post("/advisories/new", data={"csrf": csrf, "step": step, **fields})


async def test_an_officer_composes_schedules_sees_delivery_and_retracts(
    console: Console,
) -> None:
    h = console.h
    tn_group, hb_group = await seed_groups(h, ["ND-TN-01", "ND-HB-01"], base=-1002100)
    tn = (await h.services.areas.get("ND-TN")).id
    hb = (await h.services.areas.get("ND-HB")).id
    police = await console.signed_in("police")
    other = await console.signed_in("police_other")
    try:
        form = await police.get("/advisories/new")
        assert form.status_code == 200
        assert "Phường Thống Nhất" in form.text and "Phường Hạ Long" not in form.text
        assert "An ninh ND-TN-01" in form.text and "An ninh ND-HB-01" not in form.text
        csrf = csrf_in(form.text)

        # The chat's refusals, on the page: another ward, a weekly schedule without days.
        foreign = await _compose(police, csrf, "preview", text="x", area_id=str(hb), when="now")
        assert foreign.status_code == 403 and t("adv-area-not-yours", "vi") in foreign.text
        no_days = await _compose(
            police, csrf, "preview", text="x", area_id=str(tn), when="weekly", time_of_day="07:30"
        )
        assert no_days.status_code == 400 and t("adv-weekdays-none", "vi") in no_days.text
        past = await _compose(
            police, csrf, "preview", text="x", area_id=str(tn), when="at",
            at_date="2020-01-01", at_time="07:00",
        )  # fmt: skip
        assert past.status_code == 400 and "sched" not in past.text  # a worded refusal

        # Each kind of schedule reads back as the chat words it.
        future = (datetime.now(UTC) + timedelta(days=3)).astimezone(h.services.settings.tz)
        until = (future + timedelta(days=60)).date()
        for fields, words in (
            ({"when": "at", "at_date": f"{future:%Y-%m-%d}", "at_time": "19:05"},
             f"19:05 ngày {future:%d/%m/%Y}"),
            ({"when": "weekly", "time_of_day": "7h", "weekdays": ["0", "6"]},
             "07:00 thứ Hai, Chủ nhật hằng tuần"),
            ({"when": "monthly", "time_of_day": "08:30", "month_day": "15",
              "until": until.isoformat()},
             f"08:30 ngày 15 hằng tháng, đến hết {until:%d/%m/%Y}"),
        ):  # fmt: skip
            shown = await police.post(
                "/advisories/new",
                data={"csrf": csrf, "step": "preview", "text": "x", "area_id": str(tn), **fields},
            )
            assert shown.status_code == 200, shown.text[:300]
            assert words in shown.text, words
        bad_day = await _compose(
            police, csrf, "preview", text="x", area_id=str(tn), when="monthly",
            time_of_day="08:30", month_day="32",
        )  # fmt: skip
        assert bad_day.status_code == 400
        assert t("sched-month-day-invalid", "vi") in bad_day.text

        # A daily advisory: preview (exactly the residents' message, text escaped), schedule.
        daily = {"text": "Khóa cửa <b>trước</b> 22h", "area_id": str(tn), "when": "daily",
                 "time_of_day": "21:30", "pin": "on"}  # fmt: skip
        preview = await _compose(police, csrf, "preview", **daily)
        assert preview.status_code == 200
        assert "Khóa cửa &lt;b&gt;trước&lt;/b&gt; 22h" in preview.text
        assert "21:30" in preview.text and 'id="adv-send"' in preview.text
        scheduled = _advisory_id(await _compose(police, csrf, "send", **daily))
        month = datetime.now(UTC).astimezone(h.services.settings.tz)
        calendar = await police.get(f"/advisories?month={month:%Y-%m}")
        assert calendar.status_code == 200
        entries = re.findall(
            rf'class="entry entry-planned" data-advisory="{scheduled}"', calendar.text
        )
        assert entries, "the daily advisory is not on this month's calendar"
        # 06:15 in Hà Nội is 23:15 UTC the day before: it is shown on the local day.
        early = _advisory_id(
            await _compose(police, csrf, "send", text="Sáng sớm", area_id=str(tn), when="daily",
                           time_of_day="06:15")
        )  # fmt: skip
        tomorrow = (month + timedelta(days=1)).date()
        cell = (await police.get(f"/advisories?month={tomorrow:%Y-%m}")).text
        day_html = cell.split(f'data-day="{tomorrow.isoformat()}"', 1)[1].split("</td>", 1)[0]
        assert f"06:15 #{early}" in day_html and f"21:30 #{scheduled}" in day_html
        following = (month.replace(day=1) + timedelta(days=32)).strftime("%Y-%m")
        later = await police.get(f"/advisories?month={following}")
        assert len(re.findall(rf'data-advisory="{scheduled}"', later.text)) >= 29

        # Sent now: the delivery report names Thống Nhất's group, not Hạ Long's.
        now_id = _advisory_id(
            await _compose(police, csrf, "send", text="Cảnh báo lừa đảo ngay", area_id=str(tn),
                           when="now")
        )  # fmt: skip

        async def delivered() -> bool:
            page = (await police.get(f"/advisories/{now_id}")).text
            return 'data-delivery="sent"' in page

        await wait_until(delivered, timeout=30)
        report = (await police.get(f"/advisories/{now_id}")).text
        assert "An ninh ND-TN-01" in report and "An ninh ND-HB-01" not in report
        assert len(await copies(h, tn_group, "Cảnh báo lừa đảo ngay")) == 1
        assert await copies(h, hb_group, "Cảnh báo lừa đảo ngay") == []

        # An officer of another ward sees none of it and cannot retract it.
        for path in (f"/advisories/{now_id}", f"/advisories/{now_id}/retract"):
            assert (await other.get(path)).status_code == 403
        other_csrf = csrf_in((await other.get("/advisories")).text)
        refused = await other.post(f"/advisories/{now_id}/retract", data={"csrf": other_csrf})
        assert refused.status_code == 403
        theirs = (await other.get(f"/advisories?month={month:%Y-%m}")).text
        assert f'data-advisory="{now_id}"' not in theirs
        assert f'data-advisory="{scheduled}"' not in theirs

        # Retracting asks first; the question changes nothing.
        confirm = await police.get(f"/advisories/{now_id}/retract")
        assert confirm.status_code == 200 and 'id="retract-yes"' in confirm.text
        assert len(await copies(h, tn_group, "Cảnh báo lừa đảo ngay")) == 1
        done = await police.post(f"/advisories/{now_id}/retract", data={"csrf": csrf})
        assert done.status_code == 303
        assert done.headers["location"].endswith("done=retracted&deleted=1&total=1")
        assert await copies(h, tn_group, "Cảnh báo lừa đảo ngay") == []
        after = (await police.get(done.headers["location"])).text
        assert 'data-delivery="retracted"' in after
    finally:
        await police.aclose()
        await other.aclose()


async def test_the_areas_page_shows_the_tree_groups_and_contacts_of_ones_own_areas(
    console: Console,
) -> None:
    h = console.h
    await seed_groups(h, ["ND-TN-01", "ND-HB-01"], base=-1002200)
    profile = await h.services.users.profile_of(await user_db_id(h, PEOPLE["police"]["id"]))
    assert profile is not None
    await h.services.contacts.set(
        area_code="ND-TN", role="duty", phone="0228 3849 113", name="Trực ban", actor=profile
    )
    police = await console.signed_in("police")
    try:
        page = (await police.get("/areas")).text
        assert 'data-area="ND-TN-01"' in page and 'data-area="ND-HB-01"' not in page
        assert "An ninh ND-TN-01" in page and t("console-purpose-residents", "vi") in page
        assert "0228 3849 113" in page
        hb = (await h.services.areas.get("ND-HB")).id
        assert (await police.get(f"/areas?area={hb}")).status_code == 403
    finally:
        await police.aclose()


async def test_the_audit_log_filters_and_exports_formula_safe(console: Console) -> None:
    h = console.h
    await h.services.areas.add(
        code="ND-TN-09", name=FORMULA_AREA, kind="residential_group", parent_code="ND-TN"
    )
    tn9 = (await h.services.areas.get("ND-TN-09")).id
    tn = (await h.services.areas.get("ND-TN")).id
    await seed_groups(h, ["ND-TN-09"], base=-1002200)  # an advisory needs a group to reach
    police = await console.signed_in("police")
    other = await console.signed_in("police_other")
    try:
        csrf = csrf_in((await police.get("/advisories/new")).text)
        made = await _compose(
            police, csrf, "send", text="Cảnh báo tổ 9", area_id=str(tn9), when="daily",
            time_of_day="08:00",
        )  # fmt: skip
        advisory_id = _advisory_id(made)
        everything = (await police.get("/audit")).text
        assert 'data-action="advisory.create"' in everything
        assert 'data-action="web.signin"' not in everything  # no area: not an area's entry
        narrowed = (await police.get("/audit?action=advisory.create")).text
        actions = set(re.findall(r'<tr data-action="([^"]+)"', narrowed))
        assert actions == {"advisory.create"}
        family = set(re.findall(r'<tr data-action="([^"]+)"', (await police.get(
            "/audit?action=advisory.")).text))  # fmt: skip
        assert family and all(a.startswith("advisory.") for a in family)
        officer = await user_db_id(h, PEOPLE["police"]["id"])
        by_officer = (await police.get(f"/audit?actor={officer}&area={tn}")).text
        assert 'data-action="advisory.create"' in by_officer
        assert (
            'data-action="advisory.create"'
            not in (await police.get("/audit?from=2001-01-01&to=2001-01-31")).text
        )
        # Hạ Long's officer: not in their log, and Thống Nhất refused by name.
        assert 'data-action="advisory.create"' not in (await other.get("/audit")).text
        assert (await other.get(f"/audit?area={tn}")).status_code == 403
        assert (await other.get(f"/audit/export?format=csv&area={tn}")).status_code == 403

        exported = await police.get("/audit/export?format=csv&action=advisory.create")
        assert exported.status_code == 200
        assert exported.headers["content-disposition"].startswith("attachment;")
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert rows[0][0] == t("console-audit-col-time", "vi")
        areas = [row[3] for row in rows[1:]]
        # A tổ dân phố is named with its ward; the name starting with "=" stays text.
        assert any(a.startswith("'" + FORMULA_AREA) for a in areas), areas
        assert not any(a.startswith(FORMULA_AREA) for a in areas), areas
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
        workbook = await police.get("/audit/export?format=xlsx&action=advisory.")
        sheet = load_workbook(io.BytesIO(workbook.content)).active
        assert sheet is not None
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        assert any(c.startswith("'" + FORMULA_AREA) for c in cells), cells
        assert not any(c.startswith(FORMULA_AREA) for c in cells), cells
        assert str(advisory_id) in " ".join(cells)
    finally:
        await police.aclose()
        await other.aclose()


async def test_a_moderator_clears_a_queue_item_and_the_chat_queue_agrees(
    console: Console,
) -> None:
    h = console.h
    tdp = await h.services.areas.get("ND-TN-01")
    reporter = PEOPLE["resident"]
    async with transaction(h.services.sessions) as session:
        item = await enqueue_in(
            session,
            kind=ReviewKind.GROUP_MESSAGE,
            area_id=tdp.id,
            reason="report",
            chat_id=-100777,
            message_id=5,
            subject_name="Bán Hàng",
            text="Nhận làm sổ đỏ giá rẻ",
            details={"chat_title": "An ninh TDP 1", "reporter": reporter["id"]},
        )
    moderator = httpx.AsyncClient(base_url=console.base, timeout=20)
    police = await console.signed_in("police")
    try:
        link = await console.link_for("moderator")
        page = await moderator.get(link)
        signed = await moderator.post(link, data={"csrf": csrf_in(page.text)})
        assert signed.status_code == 303 and signed.headers["location"] == "/review"
        queue = await moderator.get("/review")
        assert queue.status_code == 200
        assert queue.text.count(f'data-item="{item.id}"') == 1  # the chat's skip wraps around
        assert "Nhận làm sổ đỏ giá rẻ" in queue.text
        assert reporter["first_name"] not in queue.text and str(reporter["id"]) not in queue.text
        for action in ("dismiss", "delete", "warn", "mute", "ban"):
            assert f'data-action="{action}"' in queue.text
        # Police pages are not a moderator's, and the queue page is not the police's.
        assert (await moderator.get("/inbox")).status_code == 403
        assert (await moderator.get("/advisories")).status_code == 403
        assert (await police.get("/review")).status_code == 403
        cleared = await moderator.post(
            f"/review/{item.id}/act", data={"csrf": csrf_in(queue.text), "action": "dismiss"}
        )
        assert cleared.status_code == 303 and cleared.headers["location"] == "/review?done=dismiss"
        after = (await moderator.get("/review")).text
        assert f'data-item="{item.id}"' not in after
        # Pressing again (a stale page): the chat's "already decided" refusal.
        again = await moderator.post(
            f"/review/{item.id}/act", data={"csrf": csrf_in(after), "action": "dismiss"}
        )
        assert again.status_code == 409 and t("review-item-closed", "vi") in again.text
        # The chat's queue agrees.
        answers = await h.say(PEOPLE["moderator"], "/duyet", expect=2)
        texts = " ".join(a.get("text") or "" for a in answers)
        assert "Nhận làm sổ đỏ giá rẻ" not in texts
        assert t("review-empty", "vi") in texts
    finally:
        await moderator.aclose()
        await police.aclose()


async def test_the_new_pages_speak_english_too(console: Console) -> None:
    police = await console.signed_in("police")
    try:
        page = await police.get("/advisories")
        switched = await police.post(
            "/language", data={"csrf": csrf_in(page.text), "language": "en", "next": "/audit"}
        )
        assert switched.status_code == 303 and switched.headers["location"] == "/audit"
        for path, words in (
            ("/advisories", ("Advisories", "Compose an advisory", "Next month")),
            ("/advisories/new", ("2. Send to", "Preview")),
            ("/areas", ("Areas", "ward, commune")),
            ("/audit", ("Log", "Done by")),
        ):
            html = (await police.get(path)).text
            for word in words:
                assert word in html, (path, word)
            assert "Cảnh báo" not in html.split("<main>")[1], path
    finally:
        await police.aclose()


async def test_a_flagged_tip_shows_the_moderator_its_text_never_its_reporter(
    console: Console,
) -> None:
    """The queue's tip card on the page is the chat's: code, area, reasons, text; the named
    reporter is not on it, and a police-only tip is not queued for moderators at all."""
    h = console.h
    tips = h.services.tip_steps
    uid = await user_db_id(h, NAMED_REPORTER["id"])
    await h.services.tip_intake.begin(uid)
    await tips.choose_category(uid, "order")
    await tips.add_text(uid, "Hát karaoke to quá nửa đêm ở ngõ 5")
    await tips.finish_description(uid)
    await tips.skip_location(uid)
    await tips.choose_area(uid, (await h.services.areas.get("ND-TN-01")).id)
    await tips.set_anonymous(uid, False)
    noisy = (await h.services.tip_intake.submit(uid)).report
    async with transaction(h.services.sessions) as session:
        queued = await queue_for_moderators(session, noisy, ["officer"])
        refused = await queue_for_moderators(session, console.ids["named"], ["officer"])
    assert queued is not None and refused is None  # a crime tip stays with the police
    moderator = await console.signed_in("moderator")
    try:
        page = (await moderator.get("/review")).text
        assert noisy.code in page and "Hát karaoke to quá nửa đêm" in page
        for action in ("approve", "reject", "merge", "escalate"):
            assert f'data-action="{action}"' in page
        for secret in (NAMED_REPORTER["first_name"], NAMED_REPORTER["last_name"], "congkhai"):
            assert secret not in page
        assert console.ids["named"].code not in page
    finally:
        await moderator.aclose()
