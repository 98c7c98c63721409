"""Figures read at a glance: time axes in human units with reference lines, legends that never
cover the data and take a small share of the figure, hollow = invalid and dashed =
extrapolated (and nothing else), and every fitted slope off its leading order explained.

Second sources are written here: the unit table, the Julian year and Planck's age of the
universe; slopes refitted from the drawn lines; leading exponents from sympy's limit, a huge-N
evaluation of the closed form and Berry et al. (2019); block sizes from Qualtran's own rule.
"""

import functools
import math
import re
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy
from matplotlib.colors import to_rgba

from qlaci_cost.core.grids import DEFAULT_SIZES
from qlaci_cost.output import plots
from qlaci_cost.output.plots.tornado import tornado_figure
from qlaci_cost.qram.table import qram_rows
from qlaci_cost.symbolics.symbols import N

#: Seconds per unit, written out here: the axis labels are read back with this table.
SECONDS = {"ps": 1e-12, "ns": 1e-9, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0,
           "h": 3600.0, "day": 86_400.0, "days": 86_400.0,
           "year": 365.25 * 86_400, "years": 365.25 * 86_400}  # fmt: skip
#: Planck Collaboration 2018 results VI (arXiv:1807.06209), Table 2: 13.787 +- 0.020 Gyr.
AGE_OF_UNIVERSE_S = 13.787e9 * 365.25 * 86_400

SMALL = [2**k for k in range(4, 41, 4)]


def _seconds(label: str) -> float:
    """A tick label read back: '250 µs' -> 2.5e-4, '1e6 years' -> 3.16e13, '1,000 years'."""
    number, unit = label.split(" ")
    return float(number.replace(",", "")) * SECONDS[unit]


@functools.cache  # built once: the tests only read it
def _wide_head():
    """Runtimes from 1e-7 s (a classical head at N = 16) to 1e25 s (a quantum one at 2^40),
    one quantum estimate invalid (4th item False)."""
    quantum = {"qrom": [(n, 10 ** (25 * i / 9), 100 + i, i != 4) for i, n in enumerate(SMALL)]}
    classical = {"flash": [(n, Fraction(10 ** (i - 7)), 2 * n) for i, n in enumerate(SMALL)]}
    return plots.head_figure(quantum, classical, "head", None)


# --- human time axes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "seconds, text",
    [
        (1e-7, "100 ns"),
        (2.5e-4, "250 µs"),
        (1.0, "1 s"),
        (90.0, "1.5 min"),
        (3600.0, "1 h"),
        (86_400.0, "1 day"),
        (3 * 86_400.0, "3 days"),
        (365.25 * 86_400, "1 year"),
        (100 * 365.25 * 86_400, "100 years"),
        (1e6 * 365.25 * 86_400, "1e6 years"),
        (1e25, "3.17e17 years"),  # 1e25 / 31,557,600 = 3.1688e17
        (AGE_OF_UNIVERSE_S, "1.38e10 years"),
    ],
)
def test_durations_read_in_the_largest_unit_they_reach(seconds, text):
    assert plots.human_time(seconds) == text


def test_a_duration_must_be_positive():
    with pytest.raises(ValueError, match="positive and finite, got 0"):
        plots.human_time(0)


def test_a_wide_runtime_axis_has_human_ticks_at_their_values():
    runtime = _wide_head().axes[1]
    ticks = [(t.get_text(), y) for t, y in zip(runtime.get_yticklabels(), runtime.get_yticks())]
    labels = [text for text, _ in ticks]
    assert {"1 µs", "1 s", "1 h", "1 year", "1e6 years", "1e18 years"} <= set(labels)
    assert 5 <= len(labels) <= 12 and len(set(labels)) == len(labels)
    for text, y in ticks:
        assert math.log10(_seconds(text)) == pytest.approx(y, abs=1e-9), text
    low, high = runtime.get_ylim()
    assert low <= -7 and high >= 25  # the data's range, 1e-7 .. 1e25 s


def test_reference_lines_at_one_day_one_year_and_the_age_of_the_universe():
    runtime = _wide_head().axes[1]
    lines = {
        ln.get_label().split(": ", 1)[1]: ln.get_ydata()[0]
        for ln in runtime.get_lines()
        if ln.get_label().startswith("_reference")
    }
    assert lines == {
        "1 day": pytest.approx(math.log10(86_400)),
        "1 year": pytest.approx(math.log10(365.25 * 86_400)),
        "age of the universe (13.8e9 years)": pytest.approx(math.log10(AGE_OF_UNIVERSE_S)),
    }
    (side,) = runtime.child_axes  # their names, on a right-hand axis outside the data
    named = [t.get_text() for t in side.get_yticklabels()]
    assert named == ["1 day", "1 year", "age of the universe\n(13.8e9 years)"]
    assert list(side.get_yticks()) == pytest.approx(sorted(lines.values()))
    assert plots.AGE_OF_UNIVERSE_YEARS * plots.YEAR_S == pytest.approx(AGE_OF_UNIVERSE_S)


def test_a_reference_just_above_the_data_is_shown_and_one_far_above_is_not():
    # runtimes 100 s .. 10^4 s: 1 day (10^4.94) is within 1.5 decades above, 1 year is not
    fig = plots.frontier_figure({"qrom": [(1, 10**6, 10**4), (4, 4 * 10**6, 100)]}, "t", None)
    ax = fig.axes[0]
    refs = [ln.get_label() for ln in ax.get_lines() if ln.get_label().startswith("_reference")]
    assert refs == ["_reference: 1 day"]
    assert ax.get_ylim()[1] >= math.log10(86_400)
    # a short range far below the references: finer human ticks, no reference line
    fig = plots.frontier_figure({"qrom": [(1, 10**6, 1e-3), (4, 4 * 10**6, 1e-6)]}, "t", None)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert {"1 µs", "10 µs", "100 µs", "1 ms"} <= set(labels)
    assert not [ln for ln in ax.get_lines() if ln.get_label().startswith("_reference")]


# --- legends: outside the data, a small share of the figure -----------------------------------


@functools.cache  # built once: the tests only read it
def _tornado():
    rows = [
        {"model": "qrom", "knob": k, "baseline": b, "N": "2^40", "scenario_ratio": 10.0**r,
         "ratio_low": 10.0 ** (r - 2), "ratio_high": 10.0 ** (r + 3)}
        for k in ("reaction_time_us", "qpus") for b, r in (("flash", 6), ("linear", 12))
    ]  # fmt: skip
    return tornado_figure(rows, "qrom", "tornado")


@functools.cache  # built once: the tests only read it
def _metric():
    rows = qram_rows(["select-swap", "qrom", "ideal"], DEFAULT_SIZES, 8).rows
    forms = plots.query_closed_forms(["select-swap", "qrom", "ideal"], bits=8)
    return plots.metric_figure(rows, "toffoli", closed_forms=forms)


@functools.cache  # built once: the tests only read it
def _crossover():
    invalid = [(n, Fraction(2**44, n), 1, n != 2**20) for n in SMALL]
    flat = [(n, 10**12, 1) for n in SMALL]
    return plots.crossover_figure(
        [
            {"model": "qrom", "baseline": "flash", "crossover": None, "points": invalid},
            {"model": "fanout", "baseline": "flash", "crossover": None, "points": flat},
            {"model": "ideal", "baseline": "flash", "crossover": 2**16,
             "points": [(n, Fraction(2**16, n), 1) for n in SMALL]},
        ],
        "crossover",
    )  # fmt: skip


@functools.cache  # built once: the tests only read it
def _frontier():
    series = {
        "qrom": [(1, 10**6, 10**24), (4, 4 * 10**6, 10**23)],
        "bucket-brigade-parallel": [
            (68853918664, 10**17, 10**16),
            (13170366309062, 10**18, 10**14),
        ],
        "fanout": [],  # no valid estimate
    }
    return plots.frontier_figure(series, "frontier", None)


BUILDERS = {
    "metric": _metric,
    "head": _wide_head,
    "crossover": _crossover,
    "frontier": _frontier,
    "tornado": _tornado,
}


def legend_shares(fig) -> list[tuple[str, float, bool]]:
    """(legend, share of the figure it takes from the data, overlaps a data region) per legend:
    its width over the figure's when it sits beside every data axes, else its height over the
    figure's (a legend above or below takes height)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    data = [ax.get_window_extent(renderer) for ax in fig.axes if ax.axison]
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + list(fig.legends)
    out = []
    for i, legend in enumerate(legends):
        box = legend.get_window_extent(renderer)
        beside = all(box.x0 >= d.x1 or box.x1 <= d.x0 for d in data)
        share = box.width / fig.bbox.width if beside else box.height / fig.bbox.height
        covers = any(box.overlaps(d) for d in data)
        out.append((f"legend {i}", share, covers))
    return out


def check_legends(fig, name: str) -> list[float]:
    shares = legend_shares(fig)
    assert shares, f"{name}: no legend"
    for legend, share, covers in shares:
        assert not covers, f"{name}: {legend} overlaps a data region"
        assert share < 0.25, f"{name}: {legend} takes {share:.0%} of the figure"
    return [share for _, share, _ in shares]


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_legend_is_outside_the_data_and_takes_a_small_share(name):
    check_legends(BUILDERS[name](), name)


def test_the_share_check_fails_on_a_legend_over_the_data():
    fig = plots.crossover_figure([{"model": "qrom", "baseline": "flash", "crossover": None,
                                   "points": [(n, 2, 1) for n in SMALL]}], "t")  # fmt: skip
    ax = fig.axes[0]
    ax.legend(loc="center")  # over the data
    assert any(covers for _, _, covers in legend_shares(fig))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), labels=["x" * 70])
    assert any(share > 0.25 for _, share, _ in legend_shares(fig))


# --- what a hollow marker and a dashed line mean ----------------------------------------------


def _hollow(ax) -> list:
    marked = [ln for ln in ax.get_lines() if ln.get_marker() not in ("None", "", None)]
    return [ln for ln in marked if ln.get_markerfacecolor() == "none"]


def _dashed(ax) -> list:
    return [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]


def _legend_texts(fig) -> list[str]:
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + list(fig.legends)
    return [t.get_text() for lg in legends for t in lg.get_texts()]


def test_invalid_points_hollow_and_the_extrapolation_dashed_in_a_crossover():
    fig = _crossover()
    ax = fig.axes[0]
    (hollow,) = _hollow(ax)  # the one invalid estimate, at N = 2^20, ratio 2^24
    assert list(hollow.get_xdata()) == pytest.approx([20 * math.log10(2)])
    assert list(hollow.get_ydata()) == pytest.approx([24 * math.log10(2)])
    assert to_rgba(hollow.get_markerfacecolor()) == (0, 0, 0, 0)
    (dashed,) = _dashed(ax)  # qrom's trend 2^44 / N from its last valid point to ratio 1
    assert list(dashed.get_xdata()) == pytest.approx([40 * math.log10(2), 44 * math.log10(2)])
    assert list(dashed.get_ydata()) == pytest.approx([4 * math.log10(2), 0.0])
    texts = _legend_texts(fig)
    assert any(t.startswith("invalid (") for t in texts)
    assert any(t.startswith("extrapolated") for t in texts)
    # the star at the extrapolated crossover is tinted, not hollow (hollow means invalid)
    (star,) = [ln for ln in ax.get_lines() if ln.get_marker() == "*"
               and list(ln.get_xdata()) == pytest.approx([44 * math.log10(2)])]  # fmt: skip
    assert 0 < to_rgba(star.get_markerfacecolor())[3] < 1


def test_invalid_runtimes_are_hollow_in_the_head_figure_and_nothing_is_dashed():
    fig = _wide_head()
    runtime = fig.axes[1]
    (hollow,) = _hollow(runtime)
    assert list(hollow.get_xdata()) == pytest.approx([math.log10(SMALL[4])])
    assert list(hollow.get_ydata()) == pytest.approx([25 * 4 / 9])
    assert any(t.startswith("invalid (") for t in _legend_texts(fig))
    assert not any(_dashed(ax) for ax in fig.axes)


@pytest.mark.parametrize("name", ["metric", "frontier"])
def test_figures_without_invalid_or_extrapolated_points_have_no_hollow_or_dashed_line(name):
    fig = BUILDERS[name]()
    for ax in fig.axes:
        assert not _hollow(ax) and not _dashed(ax), name
    texts = _legend_texts(fig)
    assert not any(t.startswith(("invalid", "extrapolated")) for t in texts)


def test_a_model_without_a_valid_frontier_is_named_in_the_caption():
    caption = _frontier().get_supxlabel()
    assert "No valid estimate (outside its error budget" in caption and "fanout." in caption


# --- fitted slopes against the leading order --------------------------------------------------


def _top_decade_fit(xs, ys) -> float:
    """numpy's least-squares slope over the points with log10 N within 1 of the largest."""
    xs, ys = np.asarray(xs), np.asarray(ys)
    keep = xs >= xs.max() - 1
    return float(np.polyfit(xs[keep], ys[keep], 1)[0])


def _asymptotic_exponent(expr) -> float:
    """d log f / d log N at N = 2^4000, ceilings and floors read as their argument: the leading
    exponent within 1/ln(2^4000) = 4e-4 per power of log N."""
    f = sympy.lambdify(N, expr, modules=[{"ceiling": lambda x: x, "floor": lambda x: x},
                                         "mpmath"])  # fmt: skip
    with mpmath.workdps(60):
        lo, hi = f(mpmath.mpf(2) ** 4000), f(mpmath.mpf(2) ** 4001)
        return float(mpmath.log(hi / lo, 2))


def test_select_swap_toffoli_slope_is_refitted_from_the_line_and_explained():
    fig = _metric()
    ax = fig.axes[0]
    line = next(ln for ln in ax.get_lines() if ln.get_label().startswith("select-swap "))
    refit = _top_decade_fit(line.get_xdata(), line.get_ydata())
    assert refit == pytest.approx(0.6, abs=1e-6)  # a staircase: 4 points, 17, 17, 18, 18
    assert line.get_label() == f"select-swap (slope {refit:.2f} vs O(N^0.5) [1])"
    rows = qram_rows(["select-swap"], DEFAULT_SIZES, 8).rows
    forms = plots.query_closed_forms(["select-swap"], bits=8)
    (note,) = plots.slope_notes(rows, forms, ["toffoli"])
    assert note.fitted == pytest.approx(refit, abs=1e-9)
    # Leading exponent: Berry et al. 2019 (arXiv:1902.02134) App. A-B, N/K + b (K - 1)
    # Toffolis at the best K ~ sqrt(N / b): Theta(sqrt(N b)); and sympy's limit of
    # log f / log N on the closed form with its ceiling and Max read asymptotically.
    smooth = forms["select-swap"]["toffoli"].replace(sympy.ceiling, lambda a: a)
    smooth = smooth.replace(sympy.Max, lambda *args: next(a for a in args if a.has(N)))
    assert sympy.limit(sympy.log(smooth) / sympy.log(N), N, sympy.oo) == sympy.Rational(1, 2)
    assert note.leading == sympy.Rational(1, 2) and note.order == "O(N^0.5)"
    assert note.differs and note.rounding == pytest.approx(0.1, abs=1e-6)
    # The block size of Qualtran's own rule at the fit's sizes: the staircase the note names.
    from qualtran.bloqs.data_loading.select_swap_qrom import find_optimal_log_block_size

    ks = [find_optimal_log_block_size(n, 8, use_dirty_ancilla=True) for n in note.sizes]
    assert note.sizes == tuple(2**k for k in range(37, 41)) and ks == [17, 17, 18, 18]
    assert f"reads {', '.join(map(str, ks))}" in note.note
    assert "[1] select-swap: slope 0.60" in fig.get_supxlabel()


MODELS = ("bucket-brigade-parallel", "qrom", "select-swap", "qroam-clean", "ideal")
QUERY_METRICS = ("qubits", "toffoli", "t_count", "clifford", "toffoli_depth", "depth")


def test_a_note_exists_exactly_where_the_slope_is_off_its_leading_exponent():
    rows = qram_rows(MODELS, DEFAULT_SIZES, 8).rows
    forms = plots.query_closed_forms(MODELS, bits=8)
    notes = plots.slope_notes(rows, forms, QUERY_METRICS)
    assert len(notes) == len(MODELS) * len(QUERY_METRICS)
    noted = []
    for note in notes:
        mine = [r for r in rows if r["model"] == note.model and r[note.metric] > 0]
        if note.fitted is None:  # a metric that is 0 everywhere: nothing to fit
            assert not mine and not note.differs
            continue
        xs = [math.log10(r["N"]) for r in mine]
        ys = [math.log10(r[note.metric]) for r in mine]
        refit = _top_decade_fit(xs, ys)
        exponent = _asymptotic_exponent(forms[note.model][note.metric])
        assert float(note.leading) == pytest.approx(exponent, abs=0.01), note
        assert note.fitted == pytest.approx(refit, abs=1e-9), note
        parts = note.rounding + note.lower_order + note.log_factor
        assert parts == pytest.approx(refit - float(note.leading), abs=1e-9), note
        assert note.differs == (abs(refit - float(note.leading)) > 0.05), note
        if note.differs:
            noted.append((note.model, note.metric))
    # the staircases of the block size 2^k: select-swap and qroam-clean, Toffolis and qubits
    assert {("select-swap", "toffoli"), ("qroam-clean", "qubits")} <= set(noted)
    assert all(m in ("select-swap", "qroam-clean") for m, _ in noted)


def test_the_head_inherits_the_query_staircase():
    from qlaci_cost.verdicts.head import head_rows

    rows, _ = head_rows(["select-swap"], DEFAULT_SIZES)
    forms = plots.head_closed_forms(["select-swap"])
    (note,) = plots.slope_notes(rows, forms, ["total_toffoli"])
    xs = [math.log10(r["N"]) for r in rows]
    refit = _top_decade_fit(xs, [math.log10(r["total_toffoli"]) for r in rows])
    assert note.fitted == pytest.approx(refit, abs=1e-9)
    # N queries x shots (constant at an absolute precision) x the query's Theta(N^0.5)
    assert note.leading == sympy.Rational(3, 2)
    assert _asymptotic_exponent(forms["select-swap"]["total_toffoli"]) == pytest.approx(1.5, 1e-2)
    assert note.differs and re.search(r"slope 1\.40 over N = 2³⁷\.\.2⁴⁰", note.note)


# --- every figure of a report -----------------------------------------------------------------


@pytest.mark.slow  # reason: writes a whole report (every stage) to get its figures, ~1 min
def test_every_figure_of_a_report_keeps_its_legend_off_the_data(tmp_path, monkeypatch):
    from qlaci_cost.analysis.scenario import Scenario
    from qlaci_cost.output import report
    from qlaci_cost.output.plots import crossover, frontier, head, metrics, tornado

    drawn = {}
    for module in (metrics, head, crossover, frontier, tornado):

        def keep(fig, out_dir, name, formats, _save=module.save_figure):
            drawn[name] = fig
            return _save(fig, out_dir, name, formats)

        monkeypatch.setattr(module, "save_figure", keep)
    models = ("fanout", "select-swap", "ideal")
    scenario = Scenario(budget_scope="job")  # estimates outside their budget at 2^39, 2^40
    report.write_report(tmp_path / "r", [16, 2**10, 2**20, 2**39, 2**40], models, scenario,
                        formats=("svg",), progress=None)  # fmt: skip
    assert {"head_vs_classical", "frontier", "qram_toffoli", "crossover_flash"} <= set(drawn)
    for name, fig in drawn.items():
        check_legends(fig, name)
    runtime = drawn["head_vs_classical"].axes[1]
    assert all(" " in t.get_text() for t in runtime.get_yticklabels())  # '1 s', '1e6 years'
    assert any(ln.get_label() == "_reference: 1 year" for ln in runtime.get_lines())
    assert _hollow(runtime) and any(t.startswith("invalid (") for t in _legend_texts(
        drawn["head_vs_classical"]))  # fmt: skip
    toffoli = drawn["qram_toffoli"]
    assert "[1] select-swap: slope" in toffoli.get_supxlabel()


def test_tick_text_reads_times_beyond_a_float_in_the_log_domain():
    from qlaci_cost.output.plots.time_axis import tick_text

    # 10^400 s / 31,557,600 s per year = 10^(400 - 7.499...) years = 3.17e392 years
    assert tick_text(400) == "3.17e392 years"
    assert tick_text(-400) == "1e-400 s"
    assert tick_text(7.5) == "1 year"  # 3.16e7 s: one Julian year to 3 figures


def test_a_figure_reuses_the_notes_the_report_computed_before_it(monkeypatch):
    """The report computes its QRAM slope notes before its figure workers fork; a figure then
    asks for the same notes and gets them without fitting again, equal to fresh ones."""
    from qlaci_cost.output.plots import slopes

    rows = qram_rows(["select-swap", "qrom"], DEFAULT_SIZES, 8).rows
    forms = plots.query_closed_forms(["select-swap", "qrom"], bits=8)
    slopes._note_of.cache_clear()
    kept = plots.slope_notes(rows, forms, ["toffoli"])
    slopes._note_of.cache_clear()
    assert plots.slope_notes(rows, forms, ["toffoli"]) == kept  # kept = computed afresh

    def no_fit(*args, **kwargs):
        raise AssertionError("fitted again")

    monkeypatch.setattr(slopes, "_fit", no_fit)
    fig = plots.metric_figure(rows, "toffoli", closed_forms=forms)
    labels = [ln.get_label() for ln in fig.axes[0].get_lines()]
    assert any(label.startswith("select-swap (slope 0.60 vs O(N^0.5) [1])") for label in labels)
    slopes._note_of.cache_clear()
    with pytest.raises(AssertionError, match="fitted again"):
        plots.metric_figure(rows, "toffoli", closed_forms=forms)
