"""The tutorials in notebooks/: saved clean, thin, and executed top to bottom without errors."""

import ast
from pathlib import Path

import pytest

nbformat = pytest.importorskip(
    "nbformat", reason="nbformat is needed to read the notebooks: pip install -e '.[test]'"
)

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = ("quickstart", "qram_comparison", "claim_check")


def read(stem: str):
    return nbformat.read(NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_every_notebook_is_listed():
    # A notebook added to the directory must be added here too, or it would go unexecuted.
    assert sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb")) == sorted(NOTEBOOKS)


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_saved_clean(stem):
    nb = read(stem)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for i, cell in enumerate(code_cells(nb)):
        assert cell.outputs == [], f"{stem}: code cell {i} was saved with outputs"
        assert cell.execution_count is None, f"{stem}: code cell {i} has an execution count"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_thin_and_ends_with_a_check(stem):
    nb = read(stem)
    cells = code_cells(nb)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for i, cell in enumerate(cells):
        tree = ast.parse(cell.source)
        defined = [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ]
        assert not defined, f"{stem}: cell {i} defines {defined}; logic belongs in the package"
    last = ast.parse(cells[-1].source)
    assert any(isinstance(node, ast.Assert) for node in ast.walk(last)), (
        f"{stem}: the last code cell must assert something about the result"
    )


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_executes(stem, tmp_path, monkeypatch):
    nbclient = pytest.importorskip(
        "nbclient", reason="nbclient is needed to run the notebooks: pip install -e '.[test]'"
    )
    pytest.importorskip(
        "ipykernel", reason="ipykernel is needed to run the notebooks: pip install -e '.[test]'"
    )
    monkeypatch.chdir(tmp_path)
    nb = read(stem)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    errors = [
        output
        for cell in code_cells(nb)
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert not errors, f"{stem}: {errors[0].ename}: {errors[0].evalue}"
    last = code_cells(nb)[-1]
    printed = "".join(o.get("text", "") for o in last.outputs if o.output_type == "stream")
    assert "checks passed" in printed
    # Plots go to a temporary directory of their own: nothing lands in the working directory.
    assert list(tmp_path.iterdir()) == []
