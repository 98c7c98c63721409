"""The API and the command line give the same number for the same call (both at their
defaults), every table states its scenario once, and every physical output its budget scope."""

import csv
import io
import json

import pytest

from qlaci_cost import cli
from qlaci_cost.analysis.scenario import DEFAULT_SCENARIO, Scenario
from qlaci_cost.cli.args import scenario_from_args
from qlaci_cost.cli.main import build_parser
from qlaci_cost.core.conventions import Conventions
from qlaci_cost.core.summary import cost_summary


def run(argv, capsys):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out, err


def json_rows(argv, capsys) -> tuple[list[dict], dict]:
    out, _ = run([*argv, "--format", "json"], capsys)
    doc = json.loads(out)
    return doc["rows"], doc


def exact(value):
    return int(value) if isinstance(value, str) else value


def test_qlaci_head_api_equals_cli(capsys):
    """`QLACIHead(QLACIQuery(1024, qram_model='qrom'))` at its defaults and `qlaci-cost qlaci
    --n 1024 --qram qrom --level head` at its defaults: the same head, the same numbers."""
    from qlaci_cost.qlaci import QLACIHead, QLACIQuery

    head = QLACIHead(QLACIQuery(1024, qram_model="qrom"))
    summary = cost_summary(head)
    (row,), doc = json_rows(["qlaci", "--n", "1024", "--qram", "qrom", "--level", "head"], capsys)
    assert row["shots"] == head.circuit_calls == 73_778
    assert exact(row["total_toffoli"]) == summary.toffoli == 154_421_485_568
    assert exact(row["total_t_count"]) == summary.t_count
    assert exact(row["total_depth"]) == summary.depth
    assert row["qubits"] == summary.qubits
    assert doc["scenario"] == DEFAULT_SCENARIO.to_dict()


def test_multi_query_api_equals_cli(capsys):
    from qlaci_cost.core.family import family
    from qlaci_cost.qlaci.multi_query.table import multi_query_rows

    api = multi_query_rows(["qrom"], [1024], [1, 4, 64]).rows
    fam = family("multi-query").rows([1024], ["qrom"]).rows
    rows, _ = json_rows(["qlaci", "--n", "1024", "--qram", "qrom", "--batch", "1,4,64"], capsys)
    for a, f, c in zip(api, fam, rows, strict=True):
        for col in ("batch", "shots", "executions", "circuits", "total_toffoli", "total_t_count"):
            assert a[col] == f[col] == exact(c[col]), col
    single = family("qlaci").rows([1024], ["qrom"]).rows[0]
    assert api[0]["shots"] == single["shots"] == 73_778  # the same head in both families


def test_qlam_api_equals_cli(capsys):
    from qlaci_cost.qlam.protocols import protocol_cost
    from qlaci_cost.qlam.table import qlam_rows

    api = qlam_rows([784], ["final", "every-step"]).rows
    rows, doc = json_rows(["qlam", "--n", "784", "--readout", "final,every-step"], capsys)
    for a, c in zip(api, rows, strict=True):
        cost = protocol_cost(a["protocol"], 784)
        assert a["shots"] == cost.shots == 73_778 and exact(c["runs"]) == a["runs"] == cost.runs
        assert a["step_executions"] == cost.step_executions == exact(c["step_executions"])
        assert exact(c["total_t_count"]) == a["total_t_count"]
    ae = qlam_rows([784], ["final"], scenario=Scenario(method="amplitude-estimation")).rows[0]
    (c,), _ = json_rows(["qlam", "--n", "784", "--amplitude-estimation"], capsys)
    assert c["protocol"] == ae["protocol"] == "final-ae" and exact(c["runs"]) == ae["runs"]
    assert doc["scenario"]["precision"] == "abs:0.01"


@pytest.mark.parametrize(
    "argv, want",
    [
        (["qlaci"], DEFAULT_SCENARIO),
        (
            ["qlaci", "--precision", "rel:0.1", "--method", "clt", "--delta", "0.01",
             "--component-bits", "3", "--t-per-toffoli", "7", "--eps", "1e-3",
             "--bytes-per-value", "4"],
            Scenario(precision="rel:0.1", method="clt", delta="0.01", component_bits=3,
                     conventions=Conventions.with_t_per_toffoli(7, eps=1e-3), bytes_per_value=4),
        ),
        (
            ["estimate", "--amplitude-estimation", "--physical-model", "beverland",
             "--error-rate", "1e-4", "--budget-scope", "job"],
            Scenario(method="amplitude-estimation", physical_model="beverland",
                     physical_params={"physical_error": 1e-4}, budget_scope="job"),
        ),
        (
            ["report", "--word-bits", "4", "--component-bits", "3", "--precision", "abs:0.05",
             "--hardware", "a100", "--reaction-time-us", "1"],
            Scenario(word_bits=4, component_bits=3, precision="abs:0.05", hardware="a100",
                     physical_params={"reaction_time_us": 1.0}),
        ),
        (["qlam", "--amplitude-estimation"], Scenario(method="amplitude-estimation")),
        (["plot", "--what", "qram", "--out", "x", "--bits", "6"], Scenario(word_bits=6)),
    ],
)  # fmt: skip
def test_scenario_from_args(argv, want):
    args = build_parser().parse_args(argv)
    assert scenario_from_args(args) == want


def test_every_table_states_the_scenario_once(capsys):
    out, err = run(["qlaci", "--n", "16", "--precision", "rel:0.1", "--format", "csv"], capsys)
    lines = [line for line in err.splitlines() if "Scenario: " in line]
    assert len(lines) == 1 and "rel:0.1" in lines[0] and "Scenario" not in out
    out, _ = run(["qlam", "--n", "16", "--format", "md"], capsys)
    assert out.count("Scenario: ") == 1
    out, _ = run(["qlaci", "--n", "16", "--batch", "4", "--format", "md"], capsys)
    assert out.count("Scenario: ") == 1


def test_every_physical_output_states_its_scope(capsys, tmp_path):
    out, err = run(["estimate", "--n", "16", "--qram", "ideal", "--format", "csv"], capsys)
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["budget_scope"] == "run" and float(row["error_budget"]) == 5e-4
    assert "error budget scope run" in err
    out, err = run(["estimate", "--n", "16", "--qram", "ideal", "--frontier", "--budget-scope",
                    "job", "--format", "csv"], capsys)  # fmt: skip
    assert {r["budget_scope"] for r in csv.DictReader(io.StringIO(out))} == {"job"}
    argv = ["plot", "--what", "crossover", "--n", "16,32", "--models", "ideal",
            "--baselines", "flash", "--formats", "svg", "--out", tmp_path / "f"]  # fmt: skip
    out, _ = run(argv, capsys)
    assert "error budget scope run" in out
