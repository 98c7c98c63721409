"""The repository's documentation is complete and cannot drift from the code.

- Every `docs/...` file cited in the package, tests, notebooks, benchmarks and README exists,
  and so does the section a citation names (`file.md#anchor`, GitHub-style heading anchors).
- Every relative markdown link in docs/ and the README resolves (file and anchor).
- Nothing cites design notes or references kept outside the repository.
- Every QRAM model in `qram.MODELS` has a section in docs/derivations with a `closed-form`
  block giving every metric, and each formula equals the code's symbolic cost
  (`sympy.simplify(doc - code) == 0`) and its concrete cost at a few sizes.
"""

import json
import re
from functools import cache
from pathlib import Path

import pytest
import sympy

from qlaci_cost import cost_summary, qram
from qlaci_cost.core.summary import METRICS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DERIVATIONS = DOCS / "derivations"

#: Where citations live: code, tests, notebooks, benchmarks, the README and pyproject.
CITING = [
    *sorted((ROOT / "qlaci_cost").rglob("*.py")),
    *sorted((ROOT / "tests").rglob("*.py")),
    *sorted((ROOT / "benchmarks").rglob("*.py")),
    *sorted((ROOT / "notebooks").glob("*.ipynb")),
    ROOT / "README.md",
    ROOT / "pyproject.toml",
]
MARKDOWN = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]

# A path under docs/ ending in .md, with an optional #anchor.
CITATION = re.compile(r"\bdocs/((?:[\w.-]+/)*[\w.-]+\.md)(#[\w-]+)?")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```closed-form\n(.*?)^```", re.S | re.M)
# Spelled in pieces so that this file does not match what it forbids.
FORBIDDEN = ["DESIGN" + ".md", "DESIGN" + " section", "REFERENCES" + ".md", "/work/" + "shared"]

N, b = sympy.symbols("N b", positive=True, integer=True)


def _text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":  # cells' sources, without outputs or metadata
        cells = json.loads(text)["cells"]
        text = "\n".join("".join(c["source"]) for c in cells)
    return text


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset:
    """Anchors of every markdown heading of `path` (outside fenced blocks)."""
    found, fenced = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            found.add(slug(line.lstrip("#")))
    return frozenset(found)


def citations() -> list[tuple[str, str, str]]:
    """(citing file, cited path, anchor or "") for every docs/... citation."""
    out = []
    for path in CITING:
        for m in CITATION.finditer(_text(path)):
            out.append((str(path.relative_to(ROOT)), m.group(1), (m.group(2) or "")[1:]))
    return out


def test_code_and_tests_cite_the_docs():
    # The package's docstrings cite docs/ (a test that finds nothing to check would pass
    # vacuously).
    cited = {c for _, c, _ in citations()}
    assert {"design.md", "conventions.md", "references.md"} <= cited
    assert any(c.startswith("derivations/") for c in cited)


@pytest.mark.parametrize("source, cited, anchor", citations())
def test_cited_docs_exist(source, cited, anchor):
    target = DOCS / cited
    assert target.is_file(), f"{source} cites docs/{cited}, which does not exist"
    if anchor:
        assert anchor in anchors(target), (
            f"{source} cites docs/{cited}#{anchor}; its sections are {sorted(anchors(target))}"
        )


def links() -> list[tuple[str, str]]:
    out = []
    for path in MARKDOWN:
        text = path.read_text(encoding="utf-8")
        for m in LINK.finditer(re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)):
            out.append((str(path.relative_to(ROOT)), m.group(1)))
    return out


@pytest.mark.parametrize("source, target", links())
def test_markdown_links_resolve(source, target):
    if re.match(r"[a-z]+:", target):  # https:, mailto:
        return
    file_part, _, anchor = target.partition("#")
    path = (ROOT / source).parent / file_part if file_part else ROOT / source
    assert path.exists(), f"{source} links to {target}: {path} does not exist"
    if anchor:
        assert path.suffix == ".md" and anchor in anchors(path.resolve()), (
            f"{source} links to {target}: no such section"
        )


def test_no_citation_of_notes_outside_the_repository():
    offenders = [
        f"{path.relative_to(ROOT)}: {word}"
        for path in CITING + MARKDOWN
        for word in FORBIDDEN
        if word in path.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders


def test_docs_index_lists_every_docs_file():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for path in DOCS.rglob("*.md"):
        if path.name != "README.md":
            assert str(path.relative_to(DOCS)) in index, f"docs/README.md does not list {path}"


# --- closed forms -----------------------------------------------------------------------------


def _log2(x):
    return sympy.log(x, 2)


def parse_closed_form(block: str) -> tuple[str, dict]:
    """(model, {metric: sympy expression in N and b}) from a `closed-form` block.

    Lines are `model: NAME`, `where: NAME = EXPR` (a helper, usable by later lines) and
    `METRIC: EXPR`; `log2(x)` is log base 2 and `Max`, `Min`, `ceiling` are sympy's.
    """
    env = {"N": N, "b": b, "log2": _log2, "Max": sympy.Max, "Min": sympy.Min}
    env["ceiling"] = sympy.ceiling
    model, exprs = None, {}
    for line in block.strip().splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "model":
            model = value
        elif key == "where":
            name, _, expr = value.partition("=")
            env[name.strip()] = sympy.sympify(expr, locals=env)
        else:
            assert key not in exprs, f"{model}: {key} given twice"
            exprs[key] = sympy.sympify(value, locals=env)
    return model, exprs


@cache
def documented() -> dict:
    """Model -> (file, metric expressions), from every closed-form block in docs/derivations."""
    out = {}
    for path in sorted(DERIVATIONS.glob("*.md")):
        for m in FENCE.finditer(path.read_text(encoding="utf-8")):
            model, exprs = parse_closed_form(m.group(1))
            assert model not in out, f"{model} has two closed-form blocks"
            out[model] = (path, exprs)
    return out


QUERY = "qlaci-query/"  # a block for the default QLACIQuery over a QRAM model: QUERY + model


@cache
def symbolic_metrics(model: str) -> dict:
    if model.startswith(QUERY):
        from qlaci_cost.qlaci import QLACIQuery

        bloq = QLACIQuery(n_cells=N, qram_model=model[len(QUERY) :])
    else:
        bloq = qram.build_symbolic(model, N, b)
    return cost_summary(bloq).metrics()


def mismatches(model: str, exprs: dict) -> list[str]:
    code = symbolic_metrics(model)
    return [m for m in METRICS if sympy.simplify(exprs[m] - code[m]) != 0]


@pytest.mark.parametrize("model", qram.MODELS)
def test_every_model_has_a_derivation_section(model):
    heads = [p for p in DERIVATIONS.glob("*.md") if re.search(
        rf"^#+ .*`{re.escape(model)}`", p.read_text(encoding="utf-8"), re.M)]  # fmt: skip
    assert heads, f"no heading naming `{model}` in docs/derivations"
    assert model in documented(), f"no closed-form block for {model} in docs/derivations"
    path, exprs = documented()[model]
    assert path in heads
    assert set(exprs) == set(METRICS), f"{model}: the block must give exactly {METRICS}"


@pytest.mark.parametrize("model", qram.MODELS)
def test_documented_closed_forms_equal_the_code(model):
    _, exprs = documented()[model]
    assert mismatches(model, exprs) == [], f"docs/derivations disagree with {model}"


@pytest.mark.parametrize("model", qram.MODELS)
@pytest.mark.parametrize("n_cells, bits", [(16, 8), (1024, 3), (2**20, 1)])
def test_documented_closed_forms_at_concrete_sizes(model, n_cells, bits):
    # A second path: the code's concrete-size model (ints, not the symbolic expression).
    _, exprs = documented()[model]
    concrete = cost_summary(qram.build_symbolic(model, n_cells, bits)).metrics()
    values = {N: n_cells, b: bits}
    for metric, expr in exprs.items():
        value = sympy.simplify(expr.subs(values))
        assert value == concrete[metric], (model, n_cells, bits, metric, value)


def test_every_closed_form_block_names_a_known_model():
    known = set(qram.MODELS) | {QUERY + m for m in qram.MODELS}
    assert set(documented()) <= known, set(documented()) - known


@pytest.mark.parametrize("model", [m for m in sorted(documented()) if m.startswith(QUERY)])
def test_documented_query_closed_forms_equal_the_code(model):
    _, exprs = documented()[model]
    assert set(exprs) == set(METRICS)
    assert mismatches(model, exprs) == [], f"docs/derivations disagree with {model}"


def test_a_wrong_formula_is_caught():
    model = "bucket-brigade"
    _, exprs = documented()[model]
    for metric in METRICS:
        wrong = dict(exprs, **{metric: exprs[metric] + 1})
        assert mismatches(model, wrong) == [metric]


# --- README -----------------------------------------------------------------------------------


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def test_readme_layout_lists_every_package_folder():
    layout = _readme_section("Layout")
    folders = [p.parent.name for p in (ROOT / "qlaci_cost").glob("*/__init__.py")]
    assert folders
    missing = [f for f in folders if not re.search(rf"^\s+(\w+/ \| )?{f}/", layout, re.M)]
    assert not missing, f"README.md's layout does not list qlaci_cost/{missing}"
    for top in ("tests/", "docs/", "benchmarks/", "notebooks/"):
        assert re.search(rf"^{top}", layout, re.M), top


def test_readme_quickstart_runs_and_prints_what_it_says(capsys):
    code = re.search(r"```python\n(.*?)```", _readme_section("Quickstart"), re.S).group(1)
    exec(compile(code, "README quickstart", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    said = [m.group(1) for m in re.finditer(r"^print\(.*\)\s*#\s*(.*)$", code, re.M)]
    assert len(printed) == len(re.findall(r"^print\(", code, re.M))
    checked = 0
    for out, comment in zip(printed, said):
        try:
            expected = sympy.sympify(comment, locals={"N": N, "b": b})
        except (sympy.SympifyError, SyntaxError, TypeError):
            continue  # a comment in words ("exact integer")
        assert sympy.simplify(sympy.sympify(out, locals={"N": N, "b": b}) - expected) == 0
        checked += 1
    assert checked >= 1
