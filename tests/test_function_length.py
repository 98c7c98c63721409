"""Every function of the package reads in one screen: at most 60 lines from its `def` to its
end (`end_lineno - lineno + 1` of its `ast` node; decorators not counted), unless its docstring
states why in a sentence starting "Long because:"."""

import ast
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qlaci_cost"
MAX_LINES = 60
REASON = "Long because:"


def long_functions(source: str, filename: str = "<source>", limit: int = MAX_LINES) -> list[str]:
    """`file:line name length` of every function (methods and nested functions included)
    longer than `limit` lines whose docstring lacks `REASON`."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > limit and REASON not in (ast.get_docstring(node) or ""):
                found.append(f"{filename}:{node.lineno} {node.name} {length}")
    return found


def _package_sources() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def test_no_function_is_longer_than_60_lines_without_a_stated_reason():
    found = [f for name, text in _package_sources() for f in long_functions(text, name)]
    assert not found, (
        f"functions over {MAX_LINES} lines whose docstring has no '{REASON}' sentence "
        "(file:line name length):\n" + "\n".join(found)
    )


def test_the_walk_sees_the_whole_package():
    # The check above passes vacuously if it reads no code: at a limit of 10 lines the same
    # walk must find functions in most subpackages.
    sources = _package_sources()
    assert len(sources) > 100
    found = [f for name, text in sources for f in long_functions(text, name, limit=10)]
    folders = {f.split("/")[1] for f in found}
    assert {"core", "qram", "qlaci", "qlam", "physical", "output", "cli"} <= folders


def _function(name: str, lines: int, docstring: str = "", indent: str = "") -> str:
    """A function of exactly `lines` lines from `def` to its last line."""
    body = [f'    """{docstring}"""'] if docstring else []
    body += [f"    x{i} = {i}" for i in range(lines - 1 - len(body))]
    return textwrap.indent("\n".join([f"def {name}():", *body]), indent) + "\n"


def test_the_check_fails_on_a_long_function():
    source = "import os\n\n\n" + _function("too_long", 61) + "\n\n" + _function("fits", 60)
    assert long_functions(source, "synthetic.py") == ["synthetic.py:4 too_long 61"]


def test_the_check_reads_methods_nested_and_async_functions():
    nested = "def outer():\n" + _function("inner", 61, indent="    ")
    method = "class Holder:\n" + _function("method", 70, indent="    ")
    coroutine = _function("coroutine", 62).replace("def ", "async def ", 1)
    found = long_functions(nested + method + coroutine, "synthetic.py")
    names = sorted(f.split()[1] for f in found)
    assert names == ["coroutine", "inner", "method", "outer"]
    assert "synthetic.py:2 inner 61" in found


def test_a_stated_reason_in_the_docstring_allows_a_long_function():
    reasoned = _function("derivation", 80, "One recipe. Long because: it reads as one derivation.")
    assert long_functions(reasoned) == []
    # A reason elsewhere (a comment, another function's docstring) does not count.
    commented = _function("commented", 80).replace("    x0 = 0", "    # Long because: no.", 1)
    assert long_functions(commented) == ["<source>:1 commented 80"]
    other = _function("helper", 5, "Long because: not this one.") + _function("long", 61)
    assert long_functions(other) == ["<source>:6 long 61"]
