"""Entry points (api, cli, worker) never import each other, and nothing hides such an import (DESIGN §2).

lint-imports checks the import graph; these tests keep it honest where the graph cannot: an import tucked
inside a function is how a cycle between entry points (or back into `services/cli/main.py`) goes unseen by a
reader, and a core module missing from the forbidden contract is not checked at all.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "services"
ENTRY_POINTS = ("services.api", "services.cli", "services.worker")
CORE_CONTRACT = "the core services never import an entry point"

KNOWN: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool) -> Iterator[str]:
    """The absolute names an import statement reaches: `from services import api` reaches `services.api`."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    parts = importer.split(".")
    base = parts[: len(parts) - node.level + int(is_package)] if node.level else []
    module = ".".join([*base, node.module] if node.module else base)
    yield module
    yield from (f"{module}.{alias.name}" for alias in node.names)


def imports_inside_functions(source: str, importer: str, is_package: bool = False) -> Iterator[str]:
    for function in ast.walk(ast.parse(source)):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield from imported(node, importer, is_package)


def entry_point_of(module: str) -> str | None:
    return next((entry for entry in ENTRY_POINTS if module == entry or module.startswith(entry + ".")), None)


def test_no_function_imports_an_entry_point_module() -> None:
    found = {
        (module_name(path), entry)
        for path in sorted(SERVICES.rglob("*.py"))
        for target in imports_inside_functions(path.read_text(), module_name(path), path.name == "__init__.py")
        if (entry := entry_point_of(target)) is not None
    }
    assert found == KNOWN, "import entry-point modules at the top of the file, where lint-imports and readers see them"


def test_an_import_of_an_entry_point_inside_a_function_is_found() -> None:
    """Proof the walk above can fail, whichever way the import is written; a top-level import is not its business."""
    source = (
        "import services.cli.options\n"
        "def serve() -> None:\n"
        "    from services.api.app import create_app\n"
        "    from services import worker\n"
        "    if True:\n"
        "        from ..cli import main\n"
        "    import services.settings\n"
    )
    reached = set(imports_inside_functions(source, "services.seed.probe"))
    assert {"services.api.app", "services.worker", "services.cli", "services.settings"} <= reached
    assert "services.cli.options" not in reached


def test_the_core_contract_names_every_module_of_services_but_the_entry_points() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    (core,) = [contract for contract in contracts if contract["name"] == CORE_CONTRACT]
    modules = {
        f"services.{path.stem}"
        for path in SERVICES.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert set(core["source_modules"]) == modules - set(ENTRY_POINTS)
    assert set(core["forbidden_modules"]) == set(ENTRY_POINTS)
