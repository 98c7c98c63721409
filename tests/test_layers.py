"""The layer contract (README "Layout", docs/design.md "Layers") is what the imports do.

- `pyproject.toml`'s import-linter contracts (layers, acyclic siblings, private modules) hold;
- no module imports another module's private name (`from x import _y`);
- output/, physical/ and analysis/ import no family package and name no model;
- the README and docs/design.md list the layers in the contract's order.
"""

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "qlaci_cost"
#: Family-name strings that are also published identifiers, and why they may appear in the
#: packages that name no family: the `qram` column of claim and crossover rows ("circuit" or
#: "assumed oracle") and the stem of the QRAM query table and figures (file names users read).
PUBLISHED_IDENTIFIERS = {"qram"}


def _contract() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _layers() -> list[str]:
    """The layer names of the package's contract, bottom first."""
    (layers,) = [c["layers"] for c in _contract()["contracts"] if c["id"] == "layers"]
    return [name.strip() for row in reversed(layers) for name in row.split("|")]


def test_import_linter_contracts_hold(capsys):
    from importlinter.cli import lint_imports

    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert code == 0, out
    kept = re.findall(r" KEPT$", out, re.M)
    assert len(kept) == len(_contract()["contracts"]), out


def test_layer_check_catches_an_arrow_against_the_order(tmp_path, monkeypatch, capsys):
    from importlinter.cli import lint_imports

    for name, text in (("__init__", ""), ("low", "from toylayers import high\n"), ("high", "")):
        (tmp_path / "toylayers").mkdir(exist_ok=True)
        (tmp_path / "toylayers" / f"{name}.py").write_text(text)
    config = tmp_path / "contract.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "toylayers"\n[[tool.importlinter.contracts]]\n'
        'name = "layers"\ntype = "layers"\ncontainers = ["toylayers"]\n'
        'layers = ["high", "low"]\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert lint_imports(config_filename=str(config), no_cache=True, no_logo=True) == 1
    assert "toylayers.low -> toylayers.high" in capsys.readouterr().out


def private_imports(source: str, module: str) -> list[str]:
    """`from x import _y` in `source` (module `module`) where x is another module of the
    package: "x._y" for each. (A private module, `_x`, is the import-linter contract's
    `private_modules` rule: imported only inside its own package.)"""
    found = []
    package = module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            target = ".".join(package[: len(package) - node.level + 1] + [node.module or ""])
        else:
            target = node.module or ""
        if not target.startswith("qlaci_cost") or target == module:
            continue
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                found.append(f"{target}.{alias.name}")
    return found


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, ".".join(parts)


def test_no_module_imports_a_private_name_of_another():
    bad = {
        module: names
        for path, module in _modules()
        if (names := private_imports(path.read_text(), module))
    }
    assert not bad, bad


def test_private_import_check_catches_one():
    source = "from qlaci_cost.physical.arithmetic import _hidden, shown\n"
    assert private_imports(source, "qlaci_cost.qram.table") == [
        "qlaci_cost.physical.arithmetic._hidden"
    ]
    assert private_imports("from .b import _z\n", "qlaci_cost.core.a") == ["qlaci_cost.core.b._z"]
    assert private_imports("from qlaci_cost.core.a import _y\n", "qlaci_cost.core.a") == []


def _names_of_families_and_models() -> set[str]:
    from qlaci_cost.core.family import FAMILIES, families
    from qlaci_cost.qram import MODELS

    names = set(FAMILIES) | set(MODELS)
    for fam in families():
        names |= set(fam.models())
    return names


@pytest.mark.parametrize("layer", ["output", "physical", "analysis"])
def test_no_family_or_model_named_below_or_beside_the_families(layer):
    families = {"qlaci_cost.qlaci", "qlaci_cost.qlam"}
    names = _names_of_families_and_models() - PUBLISHED_IDENTIFIERS
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom) and node.module:
                if any(node.module == f or node.module.startswith(f + ".") for f in families):
                    found.append(f"{where} imports {node.module}")
            elif isinstance(node, ast.Import):
                found += [f"{where} imports {a.name}" for a in node.names if a.name in families]
            elif isinstance(node, ast.Constant) and node.value in names:
                found.append(f"{where} names {node.value!r}")
    assert not found, found


def test_readme_and_design_list_the_contracts_layers_in_order():
    layers = _layers()
    assert layers[:3] == ["errors", "symbolics", "core"]
    readme = (ROOT / "README.md").read_text()
    block = readme[readme.index("qlaci_cost/            the package") :]
    block = block[: block.index("```")]
    listed = re.findall(r"^  (\w+)(?:/|\.py)(?: \| (\w+)/)?", block, re.M)
    assert [n for pair in listed for n in pair if n] == layers
    design = (ROOT / "docs" / "design.md").read_text()
    section = design[design.index("## Layers") : design.index("## The family seam")]
    rows = re.findall(r"^\| `(\w+)/?`(?: \\\| `(\w+)/`)? \|", section, re.M)
    assert [n for pair in rows for n in pair if n] == layers


def test_every_family_is_a_package_with_the_same_inner_names():
    """A family is a package: family.py, table.py, verify.py, and claims.py where it judges
    claims of its own (the QRAM family has none: QLACI judges them under every QRAM model)."""
    from qlaci_cost.core.family import FAMILIES

    for name, module in FAMILIES.items():
        assert module.endswith(".family"), (name, module)
        folder = ROOT / Path(*module.split(".")[:-1])
        inner = {p.name for p in folder.glob("*.py")}
        assert {"__init__.py", "family.py", "table.py", "verify.py"} <= inner, (name, inner)
        assert ("claims.py" in inner) == (name != "qram"), (name, inner)
