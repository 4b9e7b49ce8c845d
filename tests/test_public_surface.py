"""Each package exports an explicit ``__all__``; imports go one way (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["sentencing", "counterfactuals", "explain_tiers", "evidence_pack", "hearing"]
# who may import whom: a package may import only those listed (and the standard library / third parties)
ALLOWED = {
    "sentencing": set(),
    "counterfactuals": {"sentencing"},
    "explain_tiers": {"sentencing", "counterfactuals"},
    "evidence_pack": {"sentencing", "counterfactuals", "explain_tiers"},
    "hearing": {"sentencing", "counterfactuals", "explain_tiers", "evidence_pack"},
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
        if package != "hearing":
            assert not imported & TOP_ONLY, f"{path.relative_to(ROOT)} imports {sorted(imported & TOP_ONLY)}"
