"""`anninh` command line: run the bot, manage the database, start the sandbox or the demo, and
bootstrap a deployment (areas, role grants) without touching SQL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import click

from bot.i18n import t
from bot.logs import setup_logging
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


def _with_services(fn: Callable[..., Awaitable[T]]) -> T:
    """Open the database (migrated to head), run ``fn(services)``, close it."""
    from bot.wiring import OfflineSender, build_services
    from storage import migrate

    settings = _settings()

    async def main() -> T:
        services = build_services(settings, OfflineSender())
        try:
            await migrate.upgrade(services.engine)
            return await fn(services)
        finally:
            await services.engine.dispose()

    try:
        return asyncio.run(main())
    except AnninhError as exc:
        raise click.ClickException(
            t(exc.message_key, settings.default_language, **exc.args_for_message)
        ) from None
    except StorageUnavailable as exc:
        raise click.ClickException(f"database unavailable: {exc}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """anninh — neighbourhood security bot (tin báo, cảnh báo lừa đảo, khuyến cáo)."""


@cli.command()
def run() -> None:
    """Start the bot: long polling, or webhook mode when WEBHOOK_URL is set."""
    settings = _settings()
    try:
        token = settings.require_token()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    webhook_secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    setup_logging(settings.log_level, secrets=[token, webhook_secret])
    from bot.app import run as run_bot

    run_bot(settings)


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

    click.echo(f"database at revision {_with_services(go)}")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the database to REVISION (e.g. base)."""
    from bot.wiring import OfflineSender, build_services
    from storage import migrate

    settings = _settings()

    async def main() -> None:
        services = build_services(settings, OfflineSender())
        try:
            await migrate.downgrade(services.engine, revision)
        finally:
            await services.engine.dispose()

    asyncio.run(main())
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
def demo(host: str, port: int, database_url: str) -> None:
    """Start the sandbox, the real bot against it and demo data (no Telegram token needed)."""
    from bot.demo import run_demo

    setup_logging("INFO")
    asyncio.run(run_demo(host=host, port=port, database_url=database_url))


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


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    cli(prog_name="anninh")


if __name__ == "__main__":
    main()
