"""Log-log plots: files, byte-identical re-runs, slopes in legends, huge and zero values, layout."""

import math
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from qlaci_cost.output import plots
from qlaci_cost.output.plots import plot_crossover, plot_head_vs_classical, plot_metrics
from qlaci_cost.symbolics.scaling import loglog_slope

SIZES = [2**k for k in range(2, 21, 2)]  # 4 .. 2^20, ten sizes

#: Power laws with known exponents: the slope in the legend must read 1.00, 2.00, 0.50.
ROWS = [
    {"model": model, "N": n, "toffoli": value, "qubits": n.bit_length() + 3, "rotations": 0}
    for model, law in (
        ("bucket-brigade", lambda n: 4 * n),
        ("fanout", lambda n: 3 * n * n),
        ("select-swap", lambda n: 5 * math.isqrt(n)),
        ("ideal", lambda n: n.bit_length() - 1),
    )
    for n in SIZES
    for value in (law(n),)
]

SMALL = [2**k for k in range(4, 13, 4)]
QUANTUM = {
    "bucket-brigade": [(n, Fraction(n * n, 10**6), 2 * n) for n in SMALL],
    "ideal": [(n, Fraction(n, 10**6), n.bit_length()) for n in SMALL],
}
CLASSICAL = {
    "softmax": [(n, Fraction(4 * n * n * 64, 10**12), 2 * n * n) for n in SMALL],
    "flash": [(n, Fraction(4 * n * n * 64, 10**12), 512 * n) for n in SMALL],
}
RECORDS = [
    {
        "model": "ideal",
        "baseline": "softmax",
        "points": [
            (n, q, c) for (n, q, _), (_, c, _) in zip(QUANTUM["ideal"], CLASSICAL["softmax"])
        ],
        "crossover": 2**12,
    },
    {
        "model": "bucket-brigade",
        "baseline": "softmax",
        "points": [
            (n, q, c)
            for (n, q, _), (_, c, _) in zip(QUANTUM["bucket-brigade"], CLASSICAL["softmax"])
        ],
        "crossover": None,
    },
]


def _all_plots(out: Path, formats=plots.FORMATS) -> list[Path]:
    return (
        plot_metrics(ROWS, metrics=("toffoli", "rotations"), out_dir=out, formats=formats)
        + plot_head_vs_classical(QUANTUM, CLASSICAL, out_dir=out, formats=formats)
        + plot_crossover(RECORDS, out_dir=out, formats=formats)
    )


def _legend(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]


def _line(fig, label_start: str):
    return next(
        line for line in fig.axes[0].get_lines() if line.get_label().startswith(label_start)
    )


# --- files and reproducibility ----------------------------------------------------------------


MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "svg": b"<?xml"}


def test_every_format_writes_non_empty_files_and_returns_them_sorted(tmp_path):
    written = _all_plots(tmp_path / "new" / "dir")
    names = {p.name for p in written}
    for fmt in plots.FORMATS:
        assert {
            f"qram_metrics_toffoli.{fmt}",
            f"head_vs_classical.{fmt}",
            f"crossover.{fmt}",
        } <= names
    for path in written:
        assert path.read_bytes().startswith(MAGIC[path.suffix[1:]]), path
        assert path.stat().st_size > 1000, path
    assert written[:6] == sorted(written[:6])
    assert sorted(p.name for p in (tmp_path / "new" / "dir").iterdir()) == sorted(names)
    default = plot_metrics(ROWS, metrics=("qubits",), out_dir=tmp_path / "default")
    assert [p.name for p in default] == ["qram_metrics_qubits.pdf", "qram_metrics_qubits.png"]


def test_two_runs_are_byte_identical_in_every_format(tmp_path):
    first, second = _all_plots(tmp_path / "a"), _all_plots(tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_no_dates_or_versions_in_the_files(tmp_path):
    for path in _all_plots(tmp_path, formats=("pdf", "svg")):
        text = path.read_bytes()
        for word in (b"CreationDate", b"ModDate", b"Producer", b"<dc:date>", b"Matplotlib v"):
            assert word not in text, (path.name, word)


def test_a_fresh_process_with_another_hash_seed_writes_the_same_bytes(tmp_path):
    # Set iteration order and the user's matplotlibrc must not leak into the files.
    here = _all_plots(tmp_path / "here")
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
        "import test_plots as t; t._all_plots(Path(sys.argv[1]))"
    )
    rc = tmp_path / "rc"
    rc.mkdir()
    (rc / "matplotlibrc").write_text("font.size: 23\nlines.linewidth: 7\nsvg.hashsalt: other\n")
    env = dict(os.environ, PYTHONHASHSEED="4242", MPLCONFIGDIR=str(rc))
    there = tmp_path / "there"
    subprocess.run(
        [sys.executable, "-c", script, str(there), str(Path(__file__).parent)], env=env, check=True
    )
    for path in here:
        assert path.read_bytes() == (there / path.name).read_bytes(), path.name


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("formats", [("png", "jpeg"), "gif", ("PNG",)])
def test_unknown_format_raises_naming_it_and_writes_nothing(tmp_path, formats):
    bad = "jpeg" if formats == ("png", "jpeg") else (formats if isinstance(formats, str) else "PNG")
    for call in (
        lambda: plot_metrics(ROWS, out_dir=tmp_path, formats=formats),
        lambda: plot_head_vs_classical(QUANTUM, CLASSICAL, out_dir=tmp_path, formats=formats),
        lambda: plot_crossover(RECORDS, out_dir=tmp_path, formats=formats),
    ):
        with pytest.raises(ValueError, match=f"'{bad}'.*allowed are png, pdf, svg"):
            call()
    assert list(tmp_path.iterdir()) == []


def test_bad_rows_raise_before_any_file_is_written(tmp_path):
    with pytest.raises(ValueError, match="no metric 'depth'"):
        plot_metrics(ROWS, metrics=("toffoli", "depth"), out_dir=tmp_path, formats="png")
    with pytest.raises(ValueError, match="positive integer.*0"):
        plot_metrics([{"model": "qrom", "N": 0, "toffoli": 1}], ("toffoli",), tmp_path)
    with pytest.raises(ValueError, match="no rows"):
        plots.metric_figure([], "toffoli")
    assert list(tmp_path.iterdir()) == []


# --- what the metric figure shows -------------------------------------------------------------


def test_slope_in_the_legend_is_loglog_slope_of_the_data():
    fig = plots.metric_figure(ROWS, "toffoli")
    labels = _legend(fig)
    expected = {"bucket-brigade": 1.0, "fanout": 2.0, "select-swap": 0.5}  # the power laws
    for model in ("bucket-brigade", "fanout", "select-swap", "ideal"):
        label = next(t for t in labels if t.startswith(model + " "))
        shown = float(re.search(r"slope (-?\d+\.\d+)\)", label).group(1))
        rows = [r for r in ROWS if r["model"] == model]
        fitted = loglog_slope([r["N"] for r in rows], [r["toffoli"] for r in rows])
        assert shown == float(f"{fitted:.2f}"), label
        if model in expected:
            assert shown == pytest.approx(expected[model], abs=0.005)


def test_axes_titles_and_reference_lines():
    fig = plots.metric_figure(ROWS, "toffoli", title="QRAM models, b = 8")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "N (memory cells of the QRAM)"
    assert ax.get_ylabel() == "Toffoli gates per query"
    assert ax.get_title() == "QRAM models, b = 8: Toffoli count vs N"
    # x ticks are powers of two at their exact positions: 2⁴ 2⁸ 2¹² 2¹⁶ 2²⁰ (step 4 keeps <= 8).
    ticks = dict(zip([t.get_text() for t in ax.get_xticklabels()], ax.get_xticks()))
    assert list(ticks) == ["2⁴", "2⁸", "2¹²", "2¹⁶", "2²⁰"]
    assert ticks["2²⁰"] == pytest.approx(math.log10(2**20))
    assert "10⁸" in [t.get_text() for t in ax.get_yticklabels()]
    # The reference lines are grey, never dashed (dashed means extrapolated), and rise by 1
    # and 2 decades per decade of N.
    for label, slope in (("reference ∝ N", 1), ("reference ∝ N²", 2)):
        line = _line(fig, label)
        x, y = line.get_xdata(), line.get_ydata()
        assert (y[-1] - y[0]) / (x[-1] - x[0]) == pytest.approx(slope)
        assert line.get_linestyle() != "--" and line.get_color() != "C0"
    n_log_n = _line(fig, "reference ∝ N log₂ N")
    x, y = n_log_n.get_xdata(), n_log_n.get_ydata()
    assert y[-1] - y[0] == pytest.approx(math.log10(2**20 * 20 / (4 * 2)))
    # All three pass through the median of the non-assumed models at the smallest N = 4:
    # bucket-brigade 16, fanout 48, select-swap 10 -> median 16.
    for label in ("reference ∝ N", "reference ∝ N log₂ N", "reference ∝ N²"):
        line = _line(fig, label)
        assert line.get_xdata()[0] == pytest.approx(math.log10(4))
        assert line.get_ydata()[0] == pytest.approx(math.log10(16))


def test_ideal_is_drawn_dotted_and_labelled_assumed():
    fig = plots.metric_figure(ROWS, "toffoli")
    ideal = _line(fig, "ideal")
    assert ideal.get_label().startswith("ideal (assumed; slope ")
    assert ideal.get_linestyle() == ":"
    assert _line(fig, "fanout").get_linestyle() == "-"
    assert "assumed" not in _line(fig, "fanout").get_label()
    assert "Dotted (assumed)" in fig.get_supxlabel()
    fig = plots.metric_figure(ROWS, "toffoli", assumed=("fanout",))
    assert _line(fig, "fanout").get_linestyle() == ":"


def test_huge_values_plot_exactly_without_float_overflow():
    # 2^4000 overflows float (max ~1.8e308); the plot works in exact log10.
    rows = [{"model": "fanout", "N": 2**k, "toffoli": 2 ** (20 * k)} for k in (50, 100, 200)]
    rows += [{"model": "qrom", "N": 2**k, "toffoli": sympy.Integer(2) ** 200} for k in (50, 100)]
    fig = plots.metric_figure(rows, "toffoli")
    fanout = _line(fig, "fanout")
    assert list(fanout.get_xdata()) == pytest.approx([k * math.log10(2) for k in (50, 100, 200)])
    assert list(fanout.get_ydata()) == pytest.approx(
        [20 * k * math.log10(2) for k in (50, 100, 200)]
    )
    assert list(_line(fig, "qrom").get_ydata()) == pytest.approx([200 * math.log10(2)] * 2)
    # The top decade of N holds one point: the slope comes from the two largest N, and says so.
    assert fanout.get_label() == "fanout (slope 20.00, last two N)"
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][-1] == "2²⁰⁰"


def test_zero_values_are_dropped_and_the_caption_says_so(tmp_path):
    rows = [{"model": "qrom", "N": n, "toffoli": 0 if n < 64 else n} for n in SIZES]
    fig = plots.metric_figure(rows, "toffoli")
    qrom = _line(fig, "qrom")
    assert len(qrom.get_xdata()) == len([n for n in SIZES if n >= 64])
    assert "Zero values are not shown on log axes: qrom (2 of 10)" in fig.get_supxlabel()
    fig = plots.metric_figure(ROWS, "rotations")  # every model is 0 everywhere
    assert all("slope n/a" in t for t in _legend(fig))
    assert "qrom" not in fig.get_supxlabel()
    assert "ideal (all 10)" in fig.get_supxlabel()
    assert "nothing to draw" in fig.axes[0].texts[0].get_text()
    assert plot_metrics(ROWS, ("rotations",), tmp_path, formats="png")[0].stat().st_size > 0


def test_identical_series_are_named_and_bits_split_a_model():
    rows = [dict(r, model="qrom") for r in ROWS if r["model"] == "bucket-brigade"]
    rows += [r for r in ROWS if r["model"] == "bucket-brigade"]
    fig = plots.metric_figure(rows, "toffoli")
    assert "Identical values" in fig.get_supxlabel()
    assert "qrom = bucket-brigade" in fig.get_supxlabel()
    rows = [dict(r, bits=b) for r in ROWS if r["model"] == "qrom" or r["model"] == "fanout"
            for b in (1, 8)]  # fmt: skip
    labels = _legend(plots.metric_figure(rows, "toffoli"))
    assert [t.split(" (")[0] for t in labels[:2]] == ["fanout b=1", "fanout b=8"]


# --- head vs classical and crossover ----------------------------------------------------------


def test_head_vs_classical_has_three_labelled_panels():
    fig = plots.head_figure(QUANTUM, CLASSICAL, "QLACI head", None)
    key, runtime, qubits, memory = fig.axes
    assert (runtime.get_ylabel(), qubits.get_ylabel(), memory.get_ylabel()) == (
        "runtime of one head",
        "logical qubits (peak)",
        "memory (bytes)",
    )
    assert all(ax.get_xlabel() == "N (sequence length)" for ax in (runtime, qubits, memory))
    assert fig.get_suptitle() == "QLACI head"
    assert _legend(fig) == [
        "quantum: bucket-brigade",
        "quantum: ideal (assumed)",
        "classical: softmax",
        "classical: flash",
    ]
    # Runtimes are exact Fractions: y = log10(n^2 / 10^6) for the bucket brigade.
    line = runtime.get_lines()[0]
    assert list(line.get_ydata()) == pytest.approx([math.log10(n * n / 1e6) for n in SMALL])
    assert runtime.get_lines()[1].get_linestyle() == ":"


def test_crossover_ratio_markers_and_no_crossover_note():
    fig = plots.crossover_figure(RECORDS, "crossover", None)
    ax = fig.axes[0]
    labels = _legend(fig)
    # one baseline per figure (its title names it): the labels name the model only
    assert "ideal (assumed): crossover at N = 2¹²" in labels
    assert "bucket-brigade: no crossover up to N = 2¹²" in labels
    assert "break-even (ratio 1)" in labels
    assert ax.get_ylabel().startswith("runtime ratio quantum / classical")
    ideal = _line(fig, "ideal")
    # ratio = (n / 10^6) / (256 n^2 / 10^12) = 10^6 / (256 n): below 1 from n = 2^12 on.
    assert list(ideal.get_ydata()) == pytest.approx([math.log10(1e6 / (256 * n)) for n in SMALL])
    stars = [line for line in ax.get_lines() if line.get_marker() == "*" and line.get_xdata()]
    assert len(stars) == 1
    assert stars[0].get_xdata()[0] == pytest.approx(12 * math.log10(2))
    assert stars[0].get_ydata()[0] == pytest.approx(math.log10(1e6 / (256 * 2**12)))
    assert ax.get_ylim()[0] < 0 < ax.get_ylim()[1]  # ratio 1 is always in view


def test_crossover_records_may_be_objects():
    class Record:
        model, baseline, crossover = "qrom", "flash", None
        points = [(16, 2, 1), (256, 3, 1)]

    assert "qrom: no crossover up to N = 2⁸" in _legend(plots.crossover_figure([Record()], "t", ()))
    # The name used by qlaci_cost.qlaci.crossover records.
    record = {"model": "qrom", "baseline": "flash", "points": [(16, 2, 1), (256, 1, 3)]}
    labels = _legend(plots.crossover_figure([dict(record, crossover_N=256)], "t", ()))
    assert "qrom: crossover at N = 2⁸" in labels
    two = [dict(record, crossover_N=256), dict(record, baseline="softmax", crossover_N=None)]
    labels = _legend(plots.crossover_figure(two, "t", ()))
    assert any(t.startswith("qrom vs flash: crossover at N = 2⁸") for t in labels)  # both named


# --- readability: nothing overlaps ------------------------------------------------------------


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 - 1 and b.x0 < a.x1 - 1 and a.y0 < b.y1 - 1 and b.y0 < a.y1 - 1


@pytest.mark.parametrize(
    "build",
    [
        lambda: plots.metric_figure(ROWS, "toffoli"),
        lambda: plots.head_figure(QUANTUM, CLASSICAL, "QLACI head", None),
        lambda: plots.crossover_figure(RECORDS, "crossover", None),
        lambda: plots.frontier_figure(
            {"qrom": [(1, 10**6, 10**8), (4, 4 * 10**6, 25 * 10**6)]}, "frontier", None
        ),
    ],
)
def test_labels_legends_and_titles_do_not_overlap(build):
    fig = build()
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    figure_box = fig.bbox
    boxes = [("caption", fig._supxlabel.get_window_extent(renderer))]
    if fig.get_suptitle():
        boxes.append(("suptitle", fig._suptitle.get_window_extent(renderer)))
    for i, ax in enumerate(a for a in fig.axes if a.axison):
        boxes.append((f"axes {i}", ax.get_window_extent(renderer)))
        for part in ("title", "xaxis", "yaxis"):
            artist = ax.title if part == "title" else getattr(ax, part)
            boxes.append((f"{part} {i}", artist.get_tightbbox(renderer)))
        labels = [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
        extents = [t.get_window_extent(renderer) for t in labels]
        for j, a in enumerate(extents):
            assert not any(_overlap(a, b) for b in extents[j + 1 :]), labels[j].get_text()
    boxes += [(f"legend {i}", ax.get_legend().get_window_extent(renderer))
              for i, ax in enumerate(fig.axes) if ax.get_legend()]  # fmt: skip
    boxes += [
        (f"legend fig {i}", lg.get_window_extent(renderer)) for i, lg in enumerate(fig.legends)
    ]
    for name, box in boxes:
        assert box.x0 >= figure_box.x0 - 1 and box.x1 <= figure_box.x1 + 1, name
        assert box.y0 >= figure_box.y0 - 1 and box.y1 <= figure_box.y1 + 1, name
    # Axes, their axis labels and titles may touch each other; legends, captions and
    # super-titles must not touch any of them.
    free = [(n, b) for n, b in boxes if n.split()[0] in ("legend", "caption", "suptitle")]
    for name, box in free:
        for other, box2 in boxes:
            if other != name:
                assert not _overlap(box, box2), (name, other)


def test_extrapolated_crossover_extends_the_top_decade_trend():
    # ratio = 2^20 / N exactly: the trend reaches 1 at N = 2^20, beyond the grid 2^4..2^12.
    points = [(n, Fraction(2**20, n), 1) for n in SMALL]
    assert plots.extrapolated_crossover(points) == pytest.approx(20.0)
    # ratio = 2^30 / N^2: reaches 1 at 2^15.
    points = [(n, Fraction(2**30, n * n), 1) for n in SMALL]
    assert plots.extrapolated_crossover(points) == pytest.approx(15.0)
    # a flat ratio, a rising one, or one already below 1 has no extrapolation
    assert plots.extrapolated_crossover([(n, 5, 1) for n in SMALL]) is None
    assert plots.extrapolated_crossover([(n, n, 1) for n in SMALL]) is None
    assert plots.extrapolated_crossover([(n, Fraction(1, n), 1) for n in SMALL]) is None
    record = {"model": "qrom", "baseline": "flash", "crossover": None,
              "points": [(n, Fraction(2**20, n), 1) for n in SMALL]}  # fmt: skip
    fig = plots.crossover_figure([record], "t")
    labels = _legend(fig)
    assert "qrom: no crossover up to N = 2¹²; extrapolated ≈ 2²⁰" in labels
    assert any(t.startswith("extrapolated") and "not computed" in t for t in labels)
    hollow = [ln for ln in fig.axes[0].get_lines() if ln.get_marker() == "*"]
    assert hollow[0].get_xdata()[0] == pytest.approx(20 * math.log10(2))
    assert "Extrapolated" in fig.get_supxlabel()


def test_invalid_points_are_hollow_off_the_line_and_extrapolation_is_dashed():
    """A point whose estimate is outside its error budget (4th item False) is a hollow marker,
    not a value of the line, and it says so in the legend; the trend is extended only from
    valid points, dashed."""
    points = [(n, Fraction(2**20, n), 1, n != 2**8) for n in SMALL]
    fig = plots.crossover_figure(
        [{"model": "qrom", "baseline": "flash", "crossover": None, "points": points}], "t"
    )
    ax = fig.axes[0]
    line = _line(fig, "qrom")
    assert len(line.get_xdata()) == len(SMALL) - 1
    assert 8 * math.log10(2) not in list(line.get_xdata())
    hollow = [ln for ln in ax.get_lines() if ln.get_markerfacecolor() == "none"
              and ln.get_marker() != "*"]  # fmt: skip
    assert [list(ln.get_xdata()) for ln in hollow] == [[pytest.approx(8 * math.log10(2))]]
    labels = _legend(fig)
    assert plots.crossover.INVALID_LABEL in labels and "Hollow markers" in fig.get_supxlabel()
    assert any("(invalid at N = 2⁸)" in t for t in labels)
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--" and
              ln.get_color() != "black"]  # fmt: skip
    assert dashed  # the extrapolation, in the model's colour
    # the largest N invalid: nothing to extend
    top_bad = [(n, Fraction(2**20, n), 1, n != SMALL[-1]) for n in SMALL]
    assert plots.extrapolated_crossover(top_bad) is None


def test_overlapping_crossover_lines_are_named_in_the_legend():
    base = [(n, Fraction(n * n, 10**6), Fraction(n, 10**9)) for n in SMALL]
    close = [(n, q * Fraction(101, 100), c) for n, q, c in base]  # 1 % apart: drawn on top
    records = [
        {"model": "bucket-brigade", "baseline": "softmax", "crossover": None, "points": base},
        {"model": "fanout", "baseline": "softmax", "crossover": None, "points": close},
        {"model": "qrom", "baseline": "softmax", "crossover": None,
         "points": [(n, 10 * q, c) for n, q, c in base]},
    ]  # fmt: skip
    labels = _legend(plots.crossover_figure(records, "t"))
    assert labels[0].endswith("(≈ fanout)") and labels[1].endswith("(≈ bucket-brigade)")
    assert "≈" not in labels[2]


def test_x_axis_says_what_n_counts():
    assert plots.metric_figure(ROWS, "toffoli").axes[0].get_xlabel() == plots.N_CELLS
    head_rows = [dict(r, total_toffoli=r["toffoli"]) for r in ROWS]
    assert plots.metric_figure(head_rows, "total_toffoli").axes[0].get_xlabel() == plots.N_SEQUENCE
    assert plots.crossover_figure(RECORDS, "t").axes[0].get_xlabel() == plots.N_SEQUENCE


def test_assumed_comes_from_the_model_class_trait(monkeypatch):
    from qlaci_cost.qram.ideal import IdealQRAM

    assert plots.is_assumed("ideal") and not plots.is_assumed("qrom")
    assert not plots.is_assumed("not-a-model")
    monkeypatch.setattr(IdealQRAM, "ASSUMED_ORACLE", False, raising=False)
    assert not plots.is_assumed("ideal")


def test_frontier_draws_qubits_against_runtime_per_model(tmp_path):
    series = {
        "qrom": [(1, 10**6, Fraction(10**8)), (4, 4 * 10**6, Fraction(25 * 10**6))],
        "ideal": [(2, 2 * 10**5, 10**7), (8, 8 * 10**5, 25 * 10**5)],
    }
    fig = plots.frontier_figure(series, "frontier", None)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "physical qubits (data + factories)"
    assert ax.get_ylabel() == "runtime of one head"
    assert _legend(fig) == [
        "qrom (1..4 factories)",
        "ideal (assumed) (2..8 factories)",
        "chosen (fastest)",
    ]
    # the star marks each model's fastest point: the one the estimates and crossovers use
    stars = [ln for ln in fig.axes[0].get_lines() if ln.get_marker() == "*"]
    points = [v for s in stars for v in (s.get_xdata()[0], s.get_ydata()[0])]  # approx: flat
    assert points == pytest.approx(
        [math.log10(4e6), math.log10(25e6), math.log10(8e5), math.log10(25e5)]
    )
    qrom = _line(fig, "qrom")
    assert list(qrom.get_xdata()) == pytest.approx([6, math.log10(4e6)])
    assert list(qrom.get_ydata()) == pytest.approx([8, math.log10(25e6)])
    assert _line(fig, "ideal").get_linestyle() == ":"
    assert plots.plot_frontier(series, tmp_path, formats="png")[0].name == "frontier.png"
    with pytest.raises(ValueError, match="no frontier points"):
        plots.frontier_figure({"qrom": []}, "t", None)


def test_every_format_has_the_layout_of_the_first(tmp_path, monkeypatch):
    """`save_figure` solves the layout once (by the first format's drawing) and keeps it for
    the others, then gives the figure its layout engine back."""
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from qlaci_cost.output.plots.style import new_figure, save_figure

    fig = new_figure(6, 4)
    ax = fig.add_subplot()
    ax.plot([1, 2, 3], [3, 1, 2], label="a long label " * 3)
    ax.set_title("title")
    fig.supxlabel("a caption under the axes")
    engine = fig.get_layout_engine()
    solved, positions, drawn = [], [], []
    solve, savefig, draw = ConstrainedLayoutEngine.execute, Figure.savefig, Figure.draw

    def counted(self, figure):
        solved.append(figure)
        return solve(self, figure)

    def saved(self, *args, **kwargs):
        savefig(self, *args, **kwargs)
        positions.append(tuple(ax.get_position().bounds))

    def drawing(self, renderer):
        drawn.append(self)
        return draw(self, renderer)

    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", counted)
    monkeypatch.setattr(Figure, "savefig", saved)
    monkeypatch.setattr(Figure, "draw", drawing)
    paths = save_figure(fig, tmp_path, "f", ["pdf", "png", "svg"])
    assert [p.suffix for p in paths] == [".pdf", ".png", ".svg"]
    assert solved == [fig]  # once, for three formats
    assert len(drawn) == 4  # the first format placed, then each format drawn once
    assert len(positions) == 3 and len(set(positions)) == 1
    assert positions[0] != (0.125, 0.11, 0.775, 0.77)  # the constrained layout moved the axes
    assert fig.get_layout_engine() is engine


def test_the_plots_import_neither_qualtran_nor_cirq():
    """The plot modules need Matplotlib and sympy only (Qualtran comes in when a figure looks
    up a model's traits, or draws bloqs)."""
    import subprocess
    import sys

    code = (
        "import sys, qlaci_cost.output.plots, qlaci_cost.output.plots.metrics;"
        "print(sorted(m for m in ('qualtran', 'cirq') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
