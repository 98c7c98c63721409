"""`qlaci-cost draw NAME`: a valid SVG or PNG for every QRAM model and family bloq, the
matplotlib fallback when Graphviz is unavailable, and bad input refused in one line with
exit status 2 and no file."""

import pytest

from qlaci_cost.cli import draw as draw_cli
from qlaci_cost.cli import main
from qlaci_cost.core.drawings import drawing_names
from qlaci_cost.qram import MODELS
from tests.output.picture_checks import no_graphviz, png_size, svg_root, svg_text  # noqa: F401


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_draw_qrom_writes_an_svg_and_a_png(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "draw", "qrom", "--n", "8")
    assert status == 0 and out == "qrom_n8.svg\n"
    text = svg_text(svg_root((tmp_path / "qrom_n8.svg").read_bytes()))
    assert "QROMQRAM(N=8, b=2)" in text
    status, out, _ = run(capsys, "draw", "qrom", "--n", "8", "--format", "png")
    assert status == 0 and out == "qrom_n8.png\n"
    png_size((tmp_path / "qrom_n8.png").read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["qrom_n8.png", "qrom_n8.svg"]


@pytest.mark.usefixtures("no_graphviz")
def test_draw_without_graphviz(capsys, tmp_path):
    for fmt in ("svg", "png"):
        out = tmp_path / f"q.{fmt}"
        assert run(capsys, "draw", "qlaci-query", "--n", "2", "--out", str(out))[0] == 0
        if fmt == "svg":
            assert "Call graph: QLACI query: N = 2" in svg_text(svg_root(out.read_bytes()))
        else:
            png_size(out.read_bytes())


def test_svg_to_stdout(capsys):
    status, out, _ = run(capsys, "draw", "qlam-step", "--out", "-", "--picture", "circuit")
    assert status == 0
    assert "Circuit: QLAM step" in svg_text(svg_root(out.encode()))


def test_the_call_graph_alone_takes_any_size(capsys, tmp_path):
    out = tmp_path / "bb.svg"
    argv = ["draw", "bucket-brigade", "--n", "2^40", "--picture", "call-graph", "--out", str(out)]
    assert run(capsys, *argv)[0] == 0
    assert f"BucketBrigadeQRAM(N={2**40}, b=2)" in svg_text(svg_root(out.read_bytes()))


def test_list_names_every_drawable_bloq(capsys):
    status, out, _ = run(capsys, "draw", "list")
    assert status == 0
    assert [line.split(" ")[0] for line in out.splitlines()] == list(drawing_names())


@pytest.mark.parametrize(
    "argv, named",
    [
        (["nope"], "unknown bloq 'nope' to draw: allowed are bucket-brigade,"),
        (["qrom", "--n", "32"], "--n: '32' is not allowed: N must be <= 16 when the circuit"),
        (["qrom", "--n", "8,16"], "--n: '8,16' is not allowed: draw takes one size N"),
        (["qrom", "--n", "0"], "--n: '0' is not allowed"),
        (["qrom", "--levels", "4"], "--levels: '4' is not allowed: an integer from 1 to 3"),
        (["qrom", "--levels", "x"], "--levels: 'x' is not allowed"),
        (["qrom", "--qram", "qrom"], "option qram is not allowed for 'qrom'"),
        (["qlaci-query", "--qram", "nope"], "unknown QRAM model 'nope': allowed are"),
        (["qrom", "--out", "x.png", "--format", "svg"], "--out: 'x.png' is not allowed with"),
        (["qrom", "--format", "pdf"], "argument --format: invalid choice: 'pdf'"),
        (["qrom", "--out", "missing/x.svg"], "--out: 'missing/x.svg' is not allowed: its dir"),
    ],
)
def test_bad_input_one_line_exit_2_no_file(capsys, tmp_path, monkeypatch, argv, named):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "draw", *argv)
    assert status == 2 and out == ""
    assert err.startswith("qlaci-cost: error: ") and err.count("\n") == 1, err
    assert named in err
    assert list(tmp_path.iterdir()) == []


def test_help_names_are_the_librarys():
    from qlaci_cost.output.drawing import FORMATS, MAX_LEVELS, PICTURES

    assert draw_cli.DRAW_FORMATS == FORMATS
    assert draw_cli.PICTURES == PICTURES
    assert draw_cli.MAX_LEVELS == MAX_LEVELS
    assert set(draw_cli.BLOQS) == set(drawing_names()) - set(MODELS)


@pytest.mark.slow(reason="24 pictures: every QRAM model and family bloq in SVG and PNG, 15-30 s")
@pytest.mark.parametrize("name", list(drawing_names()))
def test_every_model_and_family_bloq_draws_at_a_small_size(capsys, tmp_path, name):
    for fmt in ("svg", "png"):
        out = tmp_path / f"{name}.{fmt}"
        assert run(capsys, "draw", name, "--n", "4", "--out", str(out))[0] == 0
        svg_root(out.read_bytes()) if fmt == "svg" else png_size(out.read_bytes())
