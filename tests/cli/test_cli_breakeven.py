"""`qlaci-cost breakeven`: every format parses; bad input is one line and exit 2."""

import io
import json

import pandas as pd
import pytest

from qlaci_cost.cli.main import main
from qlaci_cost.verdicts.breakeven import COLUMNS

ARGS = ["breakeven", "--n", "2^20", "--qram", "ideal", "--baseline", "flash,qlaci-exact",
        "--knob", "qpus,classical_efficiency,reaction_time_us", "--quiet"]  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "md", "json", "latex"])
def test_formats_parse(fmt, capsys):
    assert main([*ARGS, "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "csv":
        table = pd.read_csv(io.StringIO(out))
        assert tuple(table.columns) == COLUMNS
        assert len(table) == 2 * 3
        assert set(table["knob"]) == {"qpus", "classical_efficiency", "reaction_time_us"}
        assert all(table["breakeven_value"].astype(str).str.len() > 0)
    elif fmt == "json":
        doc = json.loads(out)
        assert len(doc["rows"]) == 6 and "scenario" in doc
    elif fmt == "md":
        assert out.startswith("| " + " | ".join(COLUMNS) + " |")
    else:
        assert "\\begin{tabular}" in out


@pytest.mark.parametrize(
    "bad, word",
    [(["--knob", "speed"], "speed"), (["--baseline", "gpu"], "gpu"),
     (["--machine-qubits", "0"], "--machine-qubits")],
)  # fmt: skip
def test_bad_input(bad, word, capsys, tmp_path):
    out = tmp_path / "t.csv"
    assert main([*ARGS, *bad, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and word in err and "Traceback" not in err
    assert not out.exists()


def test_the_help_names_equal_the_librarys():
    """cli/breakeven keeps copies of the names its --help lists (so the parser imports no
    library code); they must be the library's."""
    from qlaci_cost.cli import breakeven as cli_breakeven
    from qlaci_cost.verdicts import breakeven

    assert cli_breakeven.BREAKEVEN_BASELINES == breakeven.BREAKEVEN_BASELINES
    assert cli_breakeven.DEFAULT_MACHINE_QUBITS == breakeven.DEFAULT_MACHINE_QUBITS
    assert cli_breakeven.KNOBS == breakeven.KNOBS
