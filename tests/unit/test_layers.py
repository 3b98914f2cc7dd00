"""Layers only import downwards, read from the source (AST), not from a convention.

``bot/`` wires; the surfaces (``handlers/``, ``zalo/``, ``zalo_oa/``, ``web/``) and the jobs
(``scheduler/``) call services and use the domain types services export
(``services/domain.py``), never ``storage``; services and storage know no Telegram; the sandbox
(a fake Bot API / Zalo) imports none of the application. Issue 16 ("one way to do each thing").
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = {"bot", "handlers", "services", "storage", "scheduler", "zalo", "zalo_oa", "web"}
SURFACES_AND_JOBS = ["handlers", "zalo", "zalo_oa", "web", "scheduler"]


def _python_files(*dirs: str) -> list[Path]:
    return sorted(p for d in dirs for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts)


def _imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """Every absolute import of the file, wherever it sits (top level, function,
    ``TYPE_CHECKING`` block), as (line, dotted module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # ``from storage import migrate`` imports storage.migrate
                yield node.lineno, f"{node.module}.{alias.name}"


def _offenders(dirs: list[str], forbidden: set[str]) -> list[str]:
    found: dict[str, str] = {}
    for path in _python_files(*dirs):
        for line, module in _imported_modules(path):
            if any(module == bad or module.startswith(bad + ".") for bad in forbidden):
                found.setdefault(f"{path.relative_to(ROOT)}:{line}", module)
    return sorted(f"{where} imports {module}" for where, module in found.items())


@pytest.mark.parametrize("surface", SURFACES_AND_JOBS)
def test_surfaces_and_jobs_never_import_storage(surface: str) -> None:
    """Repositories, models, DTOs and sessions stay behind the services; what a surface
    needs of them (enums, DTO types) comes from ``services.domain``."""
    assert _offenders([surface], {"storage", "sqlalchemy"}) == []


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        (
            "services",
            {
                "telegram",
                "sqlalchemy",
                "aiohttp",
                "bot",
                "handlers",
                "scheduler",
                "zalo",
                "zalo_oa",
                "web",
            },
        ),
        (
            "storage",
            {
                "telegram",
                "aiohttp",
                "bot",
                "handlers",
                "services",
                "scheduler",
                "zalo",
                "zalo_oa",
                "web",
            },
        ),
        # The console: pages call services (nor the chat's handlers, nor the jobs).
        ("web", {"handlers", "scheduler", "zalo", "zalo_oa"}),
        # The Zalo surfaces: never Telegram, never another surface, and of bot/ only the
        # catalogue and the settings.
        (
            "zalo",
            {
                "telegram",
                "handlers",
                "scheduler",
                "web",
                "zalo_oa",
                "bot.app",
                "bot.render",
                "bot.sender",
                "bot.wiring",
                "bot.context",
            },
        ),
        # The OA is a thin edge over the Zalo conversation (issue 21): it uses the
        # conversation (zalo.surface and its parts, zalo.render), never the Zalo bot's
        # transport (its client, runtime and sender).
        (
            "zalo_oa",
            {
                "telegram",
                "handlers",
                "scheduler",
                "web",
                "zalo.client",
                "zalo.runtime",
                "zalo.sender",
                "bot.app",
                "bot.render",
                "bot.sender",
                "bot.wiring",
                "bot.context",
            },
        ),
        ("sandbox", APP_PACKAGES),
    ],
)
def test_layers_only_import_downwards(layer: str, forbidden: set[str]) -> None:
    assert _offenders([layer], forbidden) == []


def test_no_importlib_hook_points() -> None:
    """Modules that always exist are imported plainly (or registered), not looked up at
    call time: a hook point hides a dependency from readers and from this test."""
    assert _offenders(["handlers", "bot"], {"importlib"}) == []



def test_no_savepoints() -> None:
    """Rows two writers may create at once are inserted with ON CONFLICT DO NOTHING
    (``storage.db.dialect_insert``), not tried in a savepoint: on SQLite pysqlite does not
    open the transaction before ``SAVEPOINT``, so releasing it commits everything written so
    far (tests/storage/test_no_early_commit.py shows what that broke)."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _python_files(*sorted(APP_PACKAGES))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "begin_nested(" in line or "SAVEPOINT" in line
    ]
    assert found == []

ALLOWED_BASES = {
    "object",
    "Exception",
    "Protocol",
    "Generic",
    "Enum",
    "StrEnum",
    "IntEnum",
    "NamedTuple",
    "TypedDict",
    "dict",  # a table with __missing__ (services/indicators/text.py)
}
"""What a class in services/ may inherit from: no service is built from mixins (issue 16,
"collaborators with constructors"): a part it needs is handed to its constructor."""


def _service_classes() -> dict[str, tuple[str, list[str]]]:
    """Every class in services/: name -> (where, base names)."""
    classes = {}
    for path in _python_files("services"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [ast.unparse(b).split(".")[-1].split("[")[0] for b in node.bases]
                where = f"{path.relative_to(ROOT).as_posix()}::{node.name}"
                classes[node.name] = (where, bases)
    return classes


def _is_error(name: str, classes: dict[str, tuple[str, list[str]]]) -> bool:
    """An exception of ours (errors form their own hierarchy, which is not mixing in)."""
    seen: set[str] = set()
    while name in classes and name not in seen:
        seen.add(name)
        bases = classes[name][1]
        if "Exception" in bases or any(b.endswith("Error") and b not in classes for b in bases):
            return True
        if len(bases) != 1:
            return False
        name = bases[0]
    return name == "Exception" or name.endswith("Error")


def test_no_service_class_is_built_from_mixins() -> None:
    classes = _service_classes()
    mixed = sorted(
        f"{where} inherits {', '.join(bases)}"
        for name, (where, bases) in classes.items()
        if any(b not in ALLOWED_BASES for b in bases) and not _is_error(name, classes)
    )
    assert mixed == []


def _services_class() -> ast.ClassDef:
    tree = ast.parse((ROOT / "bot" / "wiring.py").read_text(encoding="utf-8"))
    return next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Services")


def test_the_service_container_is_frozen_and_built_in_one_call() -> None:
    """``Services`` is a frozen dataclass whose every field is given to its constructor (no
    ``field(init=False)`` filled in afterwards)."""
    services = _services_class()
    [decorator] = services.decorator_list
    assert isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "dataclass"
    options = {k.arg: ast.unparse(k.value) for k in decorator.keywords}
    assert options.get("frozen") == "True"
    assert "field(" not in ast.unparse(services)


MUTATORS = {"append", "extend", "insert", "add", "update", "attach", "register", "listen"}


def _services_mutations(path: Path) -> Iterator[str]:
    """``services.x.y = …``, ``services.x.y.append(…)``, ``services.x.attach(…)`` and the
    like: something assigned or added to a built service."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATORS
        ):
            targets = [node.func.value]
        for target in targets:
            on_services = ast.unparse(target).startswith("services")
            if on_services and isinstance(target, ast.Attribute | ast.Subscript | ast.Name):
                if isinstance(target, ast.Name) and not isinstance(node, ast.Call):
                    continue  # ``services = build_services(...)``: the build itself
                yield f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}"


def test_nothing_is_assigned_to_a_service_after_the_wiring_built_it() -> None:
    found = [m for path in _python_files("bot") for m in _services_mutations(path)]
    assert found == []


# Where ``user_data`` may still be touched, and why it is not a flow's state. A conversation's
# state is a typed draft stored by the engine (services/conversation.py) or, for tips, the
# stored tip draft: it survives a restart and is shared by every instance, user_data is not.
_TIP_LIVE = (
    "LIVE marks that this process has spoken with the person since it started (so the first "
    "message after a restart asks 'continue or drop?'); the tip draft itself is stored"
)
USER_DATA_ALLOWED = {"handlers/tips.py": _TIP_LIVE, "handlers/tip_buttons.py": _TIP_LIVE}


def _user_data_uses() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in _python_files(*SURFACES_AND_JOBS, "bot"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("user_data", "chat_data"):
                found.setdefault(path.relative_to(ROOT).as_posix(), []).append(node.lineno)
    return found


def test_no_flow_state_in_user_data() -> None:
    """Multi-step flows keep their state in the conversation engine, not in PTB's per-process
    ``user_data``/``chat_data`` (lost on a restart, not seen by a second instance)."""
    uses = _user_data_uses()
    assert {where: lines for where, lines in uses.items() if where not in USER_DATA_ALLOWED} == {}
    assert set(USER_DATA_ALLOWED) <= set(uses), "an allowed use is gone: drop it from the list"


def _table_mutations(path: Path) -> Iterator[str]:
    """``TABLE.append(…)``, ``TABLE[key] = …``, ``TABLE.setdefault(…)``… on an upper-case
    (module-level, declared) name: a table filled in by whoever registers last."""
    mutators = {"append", "extend", "insert", "setdefault", "update", "add"}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in mutators
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id.isupper()
        ):
            yield f"{path.relative_to(ROOT)}:{node.lineno} {node.func.value.id}.{node.func.attr}"
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id.isupper()
                ):
                    yield f"{path.relative_to(ROOT)}:{node.lineno} {target.value.id}[…] ="


def test_declared_tables_are_not_filled_in_while_registering() -> None:
    """The /help lines, the deep-link payloads and the main keyboard are each one declared
    table (handlers/start.py, handlers/menu.py): no feature appends to one when it registers,
    so what /help shows does not depend on the order modules were registered in."""
    found = [m for path in _python_files("handlers", "bot") for m in _table_mutations(path)]
    assert found == []
