"""The layers of the code base, as the README's "How it works" draws them.

- the model (sources, settings, content, generated pages, notes, schedule, bibliography, the
  Markdown extensions...) imports neither the site stage, nor the print stage, nor a command;
- `site/` and `print/` read the model: neither imports the other, nor a command;
- the commands (`cli`, `build`, `serve`, `new`) sit on top and may import anything.

Imports are read from the source with `ast`, including imports inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scripts" / "pamphlet"
COMMANDS = {"pamphlet.cli", "pamphlet.__main__", "pamphlet.build", "pamphlet.serve", "pamphlet.new"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every pamphlet module `path` imports (absolute or relative, at any depth of the code)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m == "pamphlet" or m.startswith("pamphlet.")}


def layer(module: str) -> str:
    if any(module == c or module.startswith(c + ".") for c in COMMANDS):
        return "command"
    for stage in ("site", "print"):
        if module == f"pamphlet.{stage}" or module.startswith(f"pamphlet.{stage}."):
            return stage
    return "model"


FORBIDDEN = {"model": {"site", "print", "command"}, "site": {"print", "command"}, "print": {"site", "command"},
             "command": set()}
MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_each_module_imports_only_from_the_layers_below(path: Path) -> None:
    own = layer(module_name(path))
    wrong = sorted(m for m in imports(path) if layer(m) in FORBIDDEN[own])
    assert wrong == [], f"{module_name(path)} ({own}) imports {wrong}"


def test_the_layer_rules_see_real_imports() -> None:
    """The reader itself: it must find the imports that do exist (else every check above passes)."""
    cli = imports(PACKAGE / "cli.py")
    assert "pamphlet.errors" in cli and layer("pamphlet.build") == "command"
    site_modules = [p for p in MODULES if layer(module_name(p)) == "site"]
    assert site_modules and any(imports(p) for p in site_modules)
    assert layer("pamphlet.print.booklet") == "print" and layer("pamphlet.printing") == "model"
