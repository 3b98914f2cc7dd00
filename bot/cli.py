"""`anninh` command line: run the bot, manage the database, start the sandbox or the demo, and
bootstrap a deployment (areas, role grants) without touching SQL."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from bot.i18n import t
from bot.logs import setup_logging
from bot.message_args import plain_args
from bot.settings import Settings, SettingsError, load_settings
from services.areas import describe_tree
from services.errors import AnninhError
from storage.uow import StorageUnavailable

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def _started(settings: Settings, start: Callable[[], T]) -> T:
    """Run ``start``; a start-up failure (database, Bot API, token, webhook port) becomes one
    line saying what to set, with a non-zero exit status, instead of a traceback."""
    try:
        return start()
    except Exception as exc:
        from bot.startup import explain  # only now: it imports the Telegram library

        message = explain(exc, settings)
        if message is None:
            raise
        raise click.ClickException(message) from None


def _with_services(fn: Callable[..., Awaitable[T]], *, migrate_first: bool = True) -> T:
    """Open the database (migrated to head unless told otherwise), run ``fn(services)``,
    close it."""
    from bot.wiring import OfflineSender, build_services
    from storage import migrate

    settings = _settings()

    async def main() -> T:
        services = build_services(settings, OfflineSender())
        try:
            if migrate_first:
                await migrate.upgrade(services.engine)
            return await fn(services)
        finally:
            await services.close()

    try:
        return _started(settings, lambda: asyncio.run(main()))
    except AnninhError as exc:
        raise click.ClickException(
            t(
                exc.message_key,
                settings.default_language,
                **plain_args(exc.args_for_message, settings.default_language),
            )
        ) from None
    except StorageUnavailable as exc:
        raise click.ClickException(f"database unavailable: {exc}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """anninh — neighbourhood security bot (tin báo, cảnh báo lừa đảo, khuyến cáo)."""


@cli.command()
def run() -> None:
    """Start the bot: long polling, or webhook mode when WEBHOOK_URL is set. With
    ZALO_BOT_TOKEN the Zalo channel runs too (or alone, without BOT_TOKEN)."""
    settings = _settings()
    try:
        settings.require_channel()
        settings.require_zalo_oa()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    setup_logging(settings.log_level, secrets=settings.secret_values())
    if not settings.has_telegram:
        from bot.app import run_zalo_only

        _started(settings, lambda: asyncio.run(run_zalo_only(settings)))
        return
    from bot.app import run as run_bot

    _started(settings, lambda: run_bot(settings))


@cli.command("web")
def web_console() -> None:
    """Serve the police console alone (WEB_PORT, default 8080), beside a bot that runs
    elsewhere on the same database; `anninh run` serves it itself when WEB_PORT is set."""
    settings = _settings()
    if not settings.has_telegram:
        raise click.ClickException("BOT_TOKEN is not set: the console signs in through the bot")
    if not settings.web_port:
        settings = settings.model_copy(update={"web_port": 8080})
    settings.require_token()
    setup_logging(settings.log_level, secrets=settings.secret_values())
    from bot.app import run_console_alone

    asyncio.run(run_console_alone(settings))


@cli.group()
def db() -> None:
    """Database migrations (Alembic)."""


@db.command("upgrade")
@click.argument("revision", default="heads")
def db_upgrade(revision: str) -> None:
    """Upgrade the database to REVISION (default: every head)."""
    from storage import migrate

    async def go(services) -> str | None:  # type: ignore[no-untyped-def]
        await migrate.upgrade(services.engine, revision)
        return await migrate.current_revision(services.engine)

    click.echo(f"database at revision {_with_services(go, migrate_first=False)}")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the database to REVISION (e.g. base)."""
    from storage import migrate

    async def go(services) -> None:  # type: ignore[no-untyped-def]
        await migrate.downgrade(services.engine, revision)

    _with_services(go, migrate_first=False)
    click.echo(f"database downgraded to {revision}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8081, show_default=True, type=int)
def sandbox(host: str, port: int) -> None:
    """Start the local Bot API server (Telegram stand-in for tests and the demo)."""
    from sandbox.server import main as sandbox_main

    sandbox_main(["--host", host, "--port", str(port)])


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8081, show_default=True, type=int)
@click.option(
    "--database-url",
    default="sqlite+aiosqlite:///./anninh-demo.db",
    show_default=True,
    help="Demo data is only ever loaded into this database.",
)
@click.option("--web-port", default=8082, show_default=True, type=int, help="Police console")
def demo(host: str, port: int, database_url: str, web_port: int) -> None:
    """Start the sandbox, the real bot against it, demo data and the police console (no
    Telegram token needed)."""
    from bot.demo import run_demo

    setup_logging("INFO")
    asyncio.run(run_demo(host=host, port=port, database_url=database_url, web_port=web_port))


@cli.group()
def admin() -> None:
    """Bootstrap a deployment: areas and role grants."""


@admin.group()
def area() -> None:
    """Areas: tỉnh → huyện/thành phố → phường/xã → tổ dân phố/thôn/xóm."""


@area.command("add")
@click.option("--code", required=True, help="Short unique code, e.g. ND-TP-TN-01")
@click.option("--name", required=True)
@click.option("--kind", required=True, help="province | district | ward | residential_group")
@click.option("--parent", "parent", default=None, help="Code of the parent area")
def area_add(code: str, name: str, kind: str, parent: str | None) -> None:
    """Add one area."""
    created = _with_services(lambda s: s.areas.add(code, name, kind, parent))
    click.echo(f"created {created.code} {created.name} [{created.kind.value}]")


@area.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def area_import(csv_file: Path) -> None:
    """Import areas from a CSV with columns code,name,kind,parent_code."""
    text = csv_file.read_text(encoding="utf-8-sig")
    result = _with_services(lambda s: s.areas.import_csv(text))
    click.echo(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}")


@area.command("list")
def area_list() -> None:
    """Print the area tree."""
    areas = _with_services(lambda s: s.areas.all())
    for line in describe_tree(areas):
        click.echo(line)
    if not areas:
        click.echo("(no areas yet: anninh admin area add ...)")


@admin.command("grant")
@click.option("--user", "user_id", required=True, type=int, help="Telegram user id")
@click.option("--role", required=True, help="admin | police | moderator")
@click.option("--area", "area_code", required=True, help="Area code")
def grant(user_id: int, role: str, area_code: str) -> None:
    """Give a user a role on an area (covers its whole subtree)."""
    result, _user = _with_services(
        lambda s: s.grants.grant(target_telegram_id=user_id, role=role, area_code=area_code)
    )
    click.echo("granted" if result else "already granted")


@admin.command("revoke")
@click.option("--user", "user_id", required=True, type=int, help="Telegram user id")
@click.option("--role", required=True, help="admin | police | moderator")
@click.option("--area", "area_code", required=True, help="Area code")
def revoke(user_id: int, role: str, area_code: str) -> None:
    """Take a role away."""
    removed = _with_services(
        lambda s: s.grants.revoke(target_telegram_id=user_id, role=role, area_code=area_code)
    )
    click.echo("revoked" if removed else "no such grant")


@admin.command("grants")
def grants() -> None:
    """List all role grants."""
    rows = _with_services(lambda s: s.grants.all())
    for g, user in rows:
        who = f"{user.telegram_id} {user.display_name}".strip()
        click.echo(f"{g.area.code:<20} {g.role.value:<10} {who}")
    if not rows:
        click.echo("(no grants yet)")


@admin.command("link")
@click.option("--chat", "chat_id", required=True, type=int, help="Telegram chat id (negative)")
@click.option("--area", "area_code", required=True, help="Area code")
@click.option("--purpose", default="residents", show_default=True, help="police | residents")
def link_chat(chat_id: int, area_code: str, purpose: str) -> None:
    """Link a group to an area: the police work chat or a residents' group."""
    outcome = _with_services(lambda s: s.groups.link(None, chat_id, area_code, purpose))
    click.echo(f"linked {chat_id} to {outcome.area.code} as {outcome.purpose.value}")


@admin.command("oa-group")
@click.option("--group", "group_id", required=True, help="Zalo group id (a group the OA created)")
@click.option("--area", "area_code", required=True, help="Area code")
@click.option("--title", default=None, help="The group's name, as the console shows it")
def link_oa_group(group_id: str, area_code: str, title: str | None) -> None:
    """Link a group the Zalo Official Account created to an area: the area's advisories reach
    it once each (Zalo documents no way to add an OA to groups residents made)."""

    async def link(services: Any) -> Any:
        oa = services.zalo_oa
        if oa is None:
            raise click.ClickException("ZALO_OA_APP_ID is not set")
        return await oa.groups.link(None, group_id.strip(), area_code, title=title)

    outcome = _with_services(link)
    click.echo(f"linked OA group {group_id} to {outcome.area.code}")


@admin.command("chats")
def list_chats() -> None:
    """List the chats the bot knows, with their area and purpose."""
    rows = _with_services(lambda s: s.groups.chats())
    for row in rows:
        chat = row.chat
        flags = ("active" if chat.active else "gone") + (" bot-admin" if chat.bot_is_admin else "")
        area_code = row.area.code if row.area else "-"
        click.echo(
            f"{chat.telegram_chat_id:<16} {chat.type:<10} {area_code:<14} "
            f"{chat.purpose.value:<10} {flags:<16} {chat.title or ''}"
        )
    if not rows:
        click.echo("(no chats yet)")


@admin.command("audit")
@click.option("--since", required=True, help="Local date (Asia/Ho_Chi_Minh), e.g. 2026-11-01")
@click.option("--until", default=None, help="Local date, exclusive")
@click.option("--area", "area_code", default=None, help="Only this area and its subtree")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
def audit_export(since: str, until: str | None, area_code: str | None, fmt: str) -> None:
    """Export the audit log (times in local time)."""
    from datetime import datetime

    tz = _settings().tz

    def parse(value: str, name: str) -> datetime:
        try:
            return datetime.fromisoformat(value).replace(tzinfo=tz)
        except ValueError:
            raise click.BadParameter(
                f"{value!r} is not a date like 2026-11-01", param_hint=name
            ) from None

    start = parse(since, "--since")
    end = parse(until, "--until") if until else None
    text = _with_services(
        lambda s: s.audit.export(since=start, until=end, area_code=area_code, fmt=fmt)
    )
    click.echo(text, nl=not text.endswith("\n"))


# -- community: QR posters, who-to-call contacts, procedures FAQ ------------------------------


def _bot_username(settings: Settings, given: str | None) -> str:
    """--bot-username, else BOT_USERNAME, else ask Telegram (getMe) with BOT_TOKEN."""
    name = (given or settings.bot_username or "").strip().lstrip("@")
    if not name and settings.bot_token is not None:
        from telegram import Bot

        async def ask() -> str:
            async with Bot(settings.require_token(), base_url=settings.bot_api_base_url) as bot:
                return bot.username

        name = _started(settings, lambda: asyncio.run(ask()))
    if not re.fullmatch(r"[A-Za-z0-9_]{3,64}", name or ""):
        raise click.ClickException("set BOT_USERNAME (or pass --bot-username) for the QR links")
    return name


@admin.command("qr")
@click.option("--area", "area_code", required=True, help="A tổ dân phố, or a ward/higher level")
@click.option(
    "--out",
    "out_dir",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--format", "fmt", type=click.Choice(["png", "pdf"]), default="png", show_default=True
)
@click.option("--bot-username", default=None, help="Default: BOT_USERNAME, or asked from Telegram")
@click.option(
    "--lang", type=click.Choice(["vi", "en"]), default=None, help="Default: DEFAULT_LANGUAGE"
)
def qr_posters(
    area_code: str, out_dir: Path, fmt: str, bot_username: str | None, lang: str | None
) -> None:
    """Printable QR posters: one per tổ dân phố below AREA (or AREA itself)."""
    from handlers.onboarding import poster_text
    from services.onboarding import deep_link
    from services.posters import pdf_bytes, png_bytes

    settings = _settings()
    username = _bot_username(settings, bot_username)
    places = _with_services(lambda s: s.onboarding.poster_targets(area_code))
    out_dir.mkdir(parents=True, exist_ok=True)
    for place in places:
        text = poster_text(
            place, deep_link(username, place.area.code), lang or settings.default_language
        )
        path = out_dir / f"qr-{place.area.code}.{fmt}"
        path.write_bytes(png_bytes(text) if fmt == "png" else pdf_bytes([text]))
        click.echo(f"{path}  {place.full_name}")


@admin.group()
def contact() -> None:
    """Who-to-call entries residents see with /lienhe."""


@contact.command("set")
@click.option("--area", "area_code", required=True, help="Ward for duty, tổ dân phố for officer")
@click.option("--role", required=True, help="duty | officer")
@click.option("--phone", required=True)
@click.option("--name", default="", help="Required for an officer")
@click.option("--rank", default="")
def contact_set(area_code: str, role: str, phone: str, name: str, rank: str) -> None:
    """Create or replace the area's duty line or officer in charge."""
    from services.indicators import display_phone

    change = _with_services(
        lambda s: s.contacts.set(area_code=area_code, role=role, phone=phone, name=name, rank=rank)
    )
    after = change.after
    who = " ".join(p for p in (after.rank, after.name) if p)
    click.echo(f"{change.area.code} {after.role.value}: {who} {display_phone(after.phone)}")


@contact.command("remove")
@click.option("--area", "area_code", required=True)
@click.option("--role", required=True, help="duty | officer")
def contact_remove(area_code: str, role: str) -> None:
    """Remove an entry."""
    removed = _with_services(lambda s: s.contacts.remove(area_code=area_code, role=role))
    click.echo("removed" if removed else "no such entry")


@contact.command("list")
@click.option("--area", "area_code", default=None, help="Only this area and its subtree")
def contact_list(area_code: str | None) -> None:
    """Print every entry."""
    from services.indicators import display_phone

    rows = _with_services(lambda s: s.contacts.list(area_code))
    for area, entry in rows:
        who = " ".join(p for p in (entry.rank, entry.name) if p) or "-"
        click.echo(f"{area.code:<20} {entry.role.value:<8} {display_phone(entry.phone):<16} {who}")
    if not rows:
        click.echo("(no contacts yet: anninh admin contact set ...)")


@admin.group()
def faq() -> None:
    """The procedures FAQ residents see with /thutuc."""


@faq.command("list")
def faq_list() -> None:
    """Print every entry (hidden ones marked)."""
    entries = _with_services(lambda s: s.faq.topics(include_inactive=True))
    for entry in entries:
        flag = " " if entry.active else "-"
        click.echo(f"{flag} {entry.position:>4} {entry.slug:<24} {entry.question_vi}")
    if not entries:
        click.echo("(no entries yet; they are seeded when the bot starts)")


@faq.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def faq_import(csv_file: Path) -> None:
    """Create/update entries from a CSV: slug,question_vi,answer_vi[,question_en,answer_en,
    keywords,position,active]. All rows or none."""
    text = csv_file.read_text(encoding="utf-8-sig")
    result = _with_services(lambda s: s.faq.import_csv(text))
    click.echo(f"created {result.created}, updated {result.updated}")


@cli.command("report")
@click.option("--area", "area_code", required=True, help="Area code, e.g. ND-TP-TN")
@click.option("--from", "date_from", required=True, help="First local day, YYYY-MM-DD")
@click.option("--to", "date_to", required=True, help="Last local day (included), YYYY-MM-DD")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="File to write (CSV goes to standard output without it)",
)
def report(area_code: str, date_from: str, date_to: str, fmt: str, out: Path | None) -> None:
    """Export an area's statistics and its tip list (no reporter identity) as CSV or XLSX."""
    from datetime import date

    from services import stats_export

    def parse(value: str, name: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(
                f"{value!r} is not a date like 2026-10-31", param_hint=name
            ) from None

    start, end = parse(date_from, "--from"), parse(date_to, "--to")
    settings = _settings()
    locale = settings.default_language
    export = _with_services(lambda s: s.stats.export(area_code, start, end))
    if fmt == "xlsx":
        target = out or Path(f"anninh-{area_code.upper()}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
        target.write_bytes(stats_export.to_xlsx(export, locale, t, settings.tz))
        click.echo(f"wrote {target} ({len(export.rows)} tips)")
        return
    text = stats_export.to_csv(export, locale, t, settings.tz)
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8-sig")  # the BOM makes Excel read UTF-8
    click.echo(f"wrote {out} ({len(export.rows)} tips)")


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    cli(prog_name="anninh")


if __name__ == "__main__":
    main()
