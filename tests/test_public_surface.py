"""Each package exports an explicit ``__all__``; imports go one way (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["sentencing", "counterfactuals", "explain_tiers", "evidence_pack", "hearing", "cli"]
# who may import whom: a package may import only those listed (and the standard library / third parties)
ALLOWED = {
    "sentencing": set(),
    "counterfactuals": {"sentencing"},
    "explain_tiers": {"sentencing", "counterfactuals"},
    "evidence_pack": {"sentencing", "counterfactuals", "explain_tiers"},
    "hearing": {"sentencing", "counterfactuals", "explain_tiers", "evidence_pack"},
    "cli": {"sentencing", "counterfactuals", "explain_tiers", "evidence_pack", "hearing"},
}
TOP_ONLY = {"streamlit", "sqlmodel", "sqlalchemy", "alembic", "psycopg"}


@pytest.mark.parametrize("package", PACKAGES)
def test_all_is_explicit_and_importable(package: str) -> None:
    module = importlib.import_module(package)
    assert isinstance(module.__all__, list)
    assert len(module.__all__) == len(set(module.__all__))
    for name in module.__all__:
        assert hasattr(module, name), f"{package}.{name}"


def test_every_sentencing_module_declares_all() -> None:
    for path in sorted((ROOT / "sentencing").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            t.id
            for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign)
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(t, ast.Name)
        }
        assert "__all__" in names, path.name


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_go_one_way(package: str) -> None:
    for path in sorted((ROOT / package).rglob("*.py")):
        imported = _imports(path)
        upward = (imported & set(PACKAGES)) - ALLOWED[package] - {package}
        assert not upward, f"{path.relative_to(ROOT)} imports {sorted(upward)}"
        if package not in ("hearing", "cli"):
            assert not imported & TOP_ONLY, f"{path.relative_to(ROOT)} imports {sorted(imported & TOP_ONLY)}"


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_level_imports(path: Path, known: set[str], root: Path = ROOT) -> set[str]:
    """The project modules a module imports when it is imported (not those imported inside functions).

    ``import a.b.c`` runs a, a.b and a.b.c: each is an edge, except the importing module's own packages (a
    submodule's parent is always initialising first; that is not a cycle).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path, root)
    own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)} | {name}
    found: set[str] = set()

    def add(imported: str) -> None:
        parts = imported.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if prefix in known and prefix not in own:
                found.add(prefix)

    body = list(tree.body)
    while body:
        node = body.pop(0)
        if isinstance(node, ast.If) and not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
            body.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            body.extend(node.body + node.orelse + node.finalbody)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            add(node.module)
            for alias in node.names:
                add(f"{node.module}.{alias.name}")
    return found


def _import_graph(paths: list[Path], root: Path) -> dict[str, set[str]]:
    known = {_module_name(p, root) for p in paths}
    return {_module_name(p, root): _module_level_imports(p, known, root) for p in paths}


def _first_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_no_module_level_import_cycle() -> None:
    """Importing any module must never need a module that (through others) imports it back."""
    paths = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    cycle = _first_cycle(_import_graph(paths, ROOT))
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_cycle_check_finds_a_cycle_and_allows_a_package_importing_its_own_modules(tmp_path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from pkg.a import x\n")
    (tmp_path / "pkg" / "a.py").write_text("import pkg.b\nx = 1\n")
    (tmp_path / "pkg" / "b.py").write_text("def f():\n    import pkg.a\n")
    paths = sorted(tmp_path.rglob("*.py"))
    assert _first_cycle(_import_graph(paths, tmp_path)) is None  # b imports a only inside a function
    (tmp_path / "pkg" / "b.py").write_text("from pkg.a import x\n")
    assert _first_cycle(_import_graph(paths, tmp_path)) == ["pkg.a", "pkg.b", "pkg.a"]


def _reads_environment(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and {a.name for a in node.names} & {"environ", "getenv"}
        ):
            return True
    return False


def test_no_environment_variable_is_read_below_the_edge() -> None:
    """Settings are built once at the edge (``hearing.settings``; the CLI's secrets) and passed down."""
    readers = sorted(
        str(path.relative_to(ROOT)) for package in PACKAGES for path in (ROOT / package).rglob("*.py")
        if _reads_environment(path)
    )  # fmt: skip
    assert readers == ["cli/arguments.py", "hearing/settings.py"]
