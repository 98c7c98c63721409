"""`qlaci-cost export --format qref`: a valid QREF document for any bloq name, symbolic or at
the sizes given; bad input is one line and exit 2, and no file is written."""

import json

import pytest
import sympy

from qlaci_cost.cli.export import FORMATS
from qlaci_cost.cli.main import main
from qlaci_cost.output.qref_export import QREF_FORMAT, bloq_names

qref = pytest.importorskip("qref")


def _document(path) -> dict:
    document = json.loads(path.read_text())
    qref.SchemaV1.model_validate(document)
    return document


def test_a_model_symbolic(tmp_path):
    out = tmp_path / "bb.qref.json"
    assert main(["export", "--format", "qref", "bucket-brigade", "--out", str(out)]) == 0
    program = _document(out)["program"]
    assert program["type"] == "BucketBrigadeQRAM"
    assert program["input_params"] == ["N", "b"]
    assert program["meta"]["sizes"] == "symbolic"
    # docs/derivations/bucket-brigade.md: toffoli (b + 2) N - 4.
    N, b = sympy.symbols("N b")
    toffoli = sympy.sympify(program["meta"]["closed_forms"]["toffoli"], locals={"N": N})
    assert sympy.expand(toffoli - ((b + 2) * N - 4)) == 0


def test_a_family_bloq_at_a_size_to_stdout(capsys):
    assert main(["export", "qlaci/ideal/head", "--n", "2^20", "--out", "-"]) == 0
    program = json.loads(capsys.readouterr().out)["program"]
    assert program["type"] == "QLACIHead"
    assert program["meta"]["sizes"] == {"N": 2**20}
    assert "input_params" not in program  # every size substituted


def test_several_names_side_by_side(tmp_path):
    out = tmp_path / "two.json"
    assert main(["export", "qrom", "qlam/final/step", "--word-bits", "3", "--out", str(out)]) == 0
    children = _document(out)["program"]["children"]
    assert [c["type"] for c in children] == ["QROMQRAM", "QLAMStep"]
    assert children[0]["meta"]["sizes"] == {"b": 3}


def test_a_wired_circuit(tmp_path):
    out = tmp_path / "qrom8.json"
    assert (
        main(["export", "--circuit", "qrom", "--n", "8", "--word-bits", "2", "--out", str(out)])
        == 0
    )
    program = _document(out)["program"]
    assert program["type"] == "QROMQRAM" and program["meta"]["wired"] is True
    assert program["connections"] and all("ports" in c for c in program["children"])


def test_list_names_every_bloq(capsys):
    assert main(["export", "--list"]) == 0
    assert capsys.readouterr().out.splitlines() == bloq_names()


def test_the_help_names_equal_the_librarys():
    assert FORMATS == (QREF_FORMAT,)


@pytest.mark.parametrize(
    "args, word",
    [
        (["bogus"], "'bogus'"),
        (["qlaci/qrom/tail"], "'tail'"),
        (["qrom", "--n", "2,4"], "--n"),
        (["qrom", "--n", "0"], "--n"),
        (["qrom", "--word-bits", "0"], "--word-bits"),
        (["qrom", "--batch", "x"], "--batch"),
        (["qrom", "--batch", "4"], "'B'"),
        (["qrom", "--n", "16", "--symbolic"], "--symbolic"),
        (["qrom", "--list"], "--list"),
        (["qlam/final/step", "--n", "16"], "'N'"),
        (["qrom", "--format", "json"], "--format"),
        (["qlaci/qrom", "--circuit", "--n", "8"], "'qlaci/qrom'"),
        (["qrom", "--circuit", "--n", "128"], "N <= 64"),
        (["qrom", "--circuit"], "--circuit"),
        (["qrom", "--circuit", "--n", "8", "--batch", "2"], "--circuit"),
    ],
)
def test_bad_input_is_one_line_and_no_file(args, word, tmp_path, capsys):
    out = tmp_path / "doc.json"
    assert main(["export", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and word in err and "Traceback" not in err
    assert not out.exists()


def test_an_existing_file_is_left_as_it_was_on_bad_input(tmp_path, capsys):
    out = tmp_path / "doc.json"
    out.write_text("mine\n")
    assert main(["export", "bogus", "--out", str(out)]) == 2
    assert out.read_text() == "mine\n"


@pytest.mark.slow(reason="every bloq of every family: about 10 s")
def test_every_bloq_by_default(tmp_path):
    out = tmp_path / "all.json"
    assert main(["export", "--n", "1024", "--out", str(out)]) == 0
    children = _document(out)["program"]["children"]
    assert len(children) == len(bloq_names())
