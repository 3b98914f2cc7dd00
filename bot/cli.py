"""`anninh` command line: run the bot, manage the database, start the sandbox or the demo,
export an area's report; `anninh admin` (bot/cli_admin.py) bootstraps a deployment (areas,
role grants) without touching SQL."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import click

from bot.cli_admin import admin
from bot.cli_support import settings_or_exit, started, with_services
from bot.i18n import t
from bot.logs import setup_logging
from bot.settings import SettingsError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """anninh — neighbourhood security bot (tin báo, cảnh báo lừa đảo, khuyến cáo)."""


@cli.command()
def run() -> None:
    """Start the bot: long polling, or webhook mode when WEBHOOK_URL is set. With
    ZALO_BOT_TOKEN the Zalo channel runs too (or alone, without BOT_TOKEN)."""
    settings = settings_or_exit()
    try:
        settings.require_channel()
        settings.require_zalo_oa()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    setup_logging(settings.log_level, secrets=settings.secret_values())
    if not settings.has_telegram:
        from bot.app import run_zalo_only

        started(settings, lambda: asyncio.run(run_zalo_only(settings)))
        return
    from bot.app import run as run_bot

    started(settings, lambda: run_bot(settings))


@cli.command("web")
def web_console() -> None:
    """Serve the police console alone (WEB_PORT, default 8080), beside a bot that runs
    elsewhere on the same database; `anninh run` serves it itself when WEB_PORT is set."""
    settings = settings_or_exit()
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

    click.echo(f"database at revision {with_services(go, migrate_first=False)}")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the database to REVISION (e.g. base)."""
    from storage import migrate

    async def go(services) -> None:  # type: ignore[no-untyped-def]
        await migrate.downgrade(services.engine, revision)

    with_services(go, migrate_first=False)
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
    settings = settings_or_exit()
    locale = settings.default_language
    export = with_services(lambda s: s.stats.export(area_code, start, end))
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


cli.add_command(admin)


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    cli(prog_name="anninh")


if __name__ == "__main__":
    main()
