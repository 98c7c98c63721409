"""explorer.html in a real browser (Debian's chromium driven headless by Playwright, as for
index.html; marked `browser`): ten scenarios set through the page's controls give exactly the
numbers of the Python the command line runs.

For each scenario the page's runtimes (quantum head on P QPUs, classical head at efficiency
f), its quantum / classical ratios and its verdicts are read from the tables and compared
with `head_rows` + `head_estimate` (the quantum side of `qlaci-cost breakeven` and the
crossover), `runtime_seconds` (the classical side) and the `scenario_ratio` of
`verdicts.breakeven.breakeven` (the break-even table's ratio at the scenario's values, times
f / P): to 1e-9 relative (the page computes exact fractions, so the difference is 0 but for
the float of the break-even ratio). The claims matrix equals `qlaci_claims`'s verdicts, and the
crossover records equal `crossover`'s in two scenarios. Screenshots go to the test's tmp folder.
"""

from fractions import Fraction
from pathlib import Path

import pytest

from qlaci_cost.analysis.baselines import CROSSOVER_BASELINES, baseline_options_for
from qlaci_cost.analysis.crossover_result import QuantumPoint
from qlaci_cost.analysis.roofline import runtime_seconds
from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.output.explorer import write_explorer_folder
from qlaci_cost.qlaci.claims import qlaci_claims
from qlaci_cost.qram import MODELS
from qlaci_cost.verdicts.breakeven import breakeven
from qlaci_cost.verdicts.explorer import simulated_verdicts
from qlaci_cost.verdicts.head import crossover, head_estimate, head_rows
from tests.output.browser import ARGS, CHROMIUM, READY, move_knobs

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1400, "height": 1000}
TOLERANCE = 1e-9

#: Ten scenarios, each a set of knobs moved from the report's scenario (the rest stay).
SCENARIOS = [
    {"N": "20"},
    {"N": "40", "precision": "rel:0.1"},
    {"N": "30", "method": "amplitude-estimation", "precision": "abs:0.001"},
    {"N": "24", "physical_error": "0.0035"},
    {"N": "32", "reaction_time_us": "0.1", "cycle_time_us": "0.1"},
    {"N": "16", "ideal_c": "1000", "ideal_k": "3", "qpus": "100000"},
    {"N": "36", "method": "clt", "precision": "abs:0.05", "qpus": "1000", "baseline": "linear"},
    {
        "N": "28",
        "classical_efficiency": "0.01",
        "baseline": "softmax",
        "physical_error": "0.00001",
        "ideal_k": "0",
    },
    {
        "N": "18",
        "physical_error": "0.005",
        "method": "amplitude-estimation",
        "precision": "rel:0.3",
    },  # noqa: E501
    {
        "N": "40",
        "qpus": "1000000",
        "classical_efficiency": "0.001",
        "reaction_time_us": "0.01",
        "cycle_time_us": "0.01",
        "physical_error": "0.000001",
        "precision": "abs:0.5",
    },
]
#: Scenarios whose crossover records are checked against `crossover` (P = 1000 in the second:
#: a crossover exists there).
CROSSOVER_CHECKED = (0, 6)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("explorer") / "whatif"
    sizes = [2**k for k in range(4, 41)]
    write_explorer_folder(out, MODELS, sizes, Scenario(), simulation=simulated_verdicts(MODELS))
    return out


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium (Debian package `chromium`; .ci/run installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, url: str):
    page = browser.new_page(viewport=VIEWPORT)
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url)
    page.wait_for_function(READY, timeout=120_000)
    return page


@pytest.fixture(scope="module")
def page(browser, folder):
    page = open_page(browser, (folder / "explorer.html").as_uri())
    yield page
    page.close()


def set_knobs(page, values: dict) -> dict:
    """Reset, then move each knob through its control (select, or text box + Enter); the
    page's knobs once it has finished computing."""
    page.click("#reset")
    move_knobs(page, values)
    page.wait_for_function(READY, timeout=180_000)
    return page.evaluate("Object.assign({}, window.explorer.knobs)")


def exact(text: str) -> Fraction:
    n, _, d = text.partition("/")
    return Fraction(int(n), int(d or 1))


def page_numbers(page) -> dict:
    """The summary's and the matrix's exact numbers and verdicts, read from the tables."""
    return page.evaluate(
        """() => {
        const out = {summary: {}, matrix: {}, claims: {}};
        for (const tr of document.querySelectorAll('#summary tbody tr')) {
            const get = (c) => tr.querySelector('td.' + c).dataset.exact;
            out.summary[tr.dataset.model] = {quantum: get('quantum'), classical: get('classical'),
                ratio: get('ratio'), verdict: tr.querySelector('[data-verdict]').dataset.verdict};
        }
        for (const td of document.querySelectorAll('#matrix td[data-baseline]')) {
            const m = td.parentElement.dataset.model;
            (out.matrix[m] = out.matrix[m] || {})[td.dataset.baseline] =
                {exact: td.dataset.exact, verdict: td.dataset.verdict || ''};
        }
        for (const td of document.querySelectorAll('#claims td[data-model]')) {
            const key = td.parentElement.dataset.claim;
            (out.claims[td.dataset.model] = out.claims[td.dataset.model] || {})[key] =
                td.dataset.verdict;
        }
        return out;
    }"""
    )


def scenario_of(knobs: dict) -> Scenario:
    physical = {k: float(knobs[k]) for k in ("physical_error", "cycle_time_us", "reaction_time_us")}
    return Scenario(precision=knobs["precision"], method=knobs["method"], physical_params=physical)


def ideal_options(model: str, knobs: dict) -> dict:
    if model != "ideal":
        return {}
    return {"qram_options": {"c": int(knobs["ideal_c"]), "k": int(knobs["ideal_k"])}}


def python_heads(knobs: dict) -> dict:
    """Model -> (runtime on one machine, valid) from head_rows + head_estimate."""
    scenario, n = scenario_of(knobs), 2 ** int(knobs["N"])
    out = {}
    for model in MODELS:
        rows, _ = head_rows([model], [n], scenario, **ideal_options(model, knobs))
        e = head_estimate(rows[0], scenario)
        out[model] = (Fraction(e.runtime_s), e.within_budget is not False)
    return out


def python_classical(knobs: dict) -> dict:
    scenario, n = scenario_of(knobs), 2 ** int(knobs["N"])
    out = {}
    for b in CROSSOVER_BASELINES:
        options = baseline_options_for(b, scenario.baseline_options, {})
        t = runtime_seconds(b, n, scenario.head_dim, scenario.hardware, 2, **options)
        out[b] = Fraction(int(t.p), int(t.q))
    return out


def breakeven_ratios(knobs: dict) -> dict:
    """(model, baseline) -> the break-even table's ratio at the scenario (P = f = 1)."""
    scenario, n = scenario_of(knobs), 2 ** int(knobs["N"])
    out = {}
    for model in MODELS:
        rows, _ = breakeven(
            [model], CROSSOVER_BASELINES, [n], scenario, ["qpus"], **ideal_options(model, knobs)
        )
        for r in rows:
            out[(model, r["baseline"])] = r["scenario_ratio"]
    return out


def rel(a, b) -> float:
    a, b = Fraction(a), Fraction(b)
    return 0.0 if a == b else float(abs(a - b) / max(abs(a), abs(b)))


def compare(knobs: dict, got: dict) -> float:
    """Assert the page's numbers equal Python's; the largest relative difference."""
    heads, classical, ratios = python_heads(knobs), python_classical(knobs), breakeven_ratios(knobs)
    P, f = int(knobs["qpus"]), Fraction(knobs["classical_efficiency"])
    worst = 0.0
    for model, (runtime, valid) in heads.items():
        for b, seconds in classical.items():
            cell = got["matrix"][model][b]
            want_ratio = ratios[(model, b)]
            if not valid:
                assert cell["verdict"] == "invalid" and want_ratio is None, (model, b)
                continue
            page_ratio = exact(cell["exact"])
            worst = max(worst, rel(page_ratio * P / f, want_ratio))
            worst = max(worst, rel(page_ratio, (runtime / P) / (seconds / f)))
            faster = page_ratio < 1
            assert cell["verdict"] == ("faster" if faster else "slower"), (model, b)
            assert faster == (want_ratio * f / P < 1) or abs(want_ratio * float(f) / P - 1) < 1e-9
        row = got["summary"][model]
        if valid:
            worst = max(worst, rel(exact(row["quantum"]), runtime / P))
        else:
            assert row["verdict"] == "invalid" and row["quantum"] == ""
    for b, seconds in classical.items():
        worst = max(worst, rel(exact(got["matrix"]["classical"][b]["exact"]), seconds / f))
    assert worst <= TOLERANCE, worst
    return worst


_CLAIMS: dict = {}


def python_claims(knobs: dict) -> dict:
    """Model -> claim -> verdict from `qlaci_claims` under the knobs' readout (and the ideal
    oracle's c and k); None when the claim table cannot judge this readout."""
    key = (knobs["precision"].split(":")[0], knobs["method"], knobs["ideal_c"], knobs["ideal_k"])
    if key not in _CLAIMS:
        scenario = Scenario(precision=knobs["precision"], method=knobs["method"])
        grid = (2**10, 2**20)
        try:
            rows = qlaci_claims([m for m in MODELS if m != "ideal"], grid, scenario).rows
            rows += qlaci_claims(["ideal"], grid, scenario, **ideal_options("ideal", knobs)).rows
        except ValueError:
            _CLAIMS[key] = None
        else:
            table: dict = {}
            for r in rows:
                table.setdefault(r["model"], {})[r["key"]] = r["verdict"]
            _CLAIMS[key] = table
    return _CLAIMS[key]


def test_ten_scenarios_through_the_controls_equal_the_command_lines_numbers(page, tmp_path):
    worst_all = 0.0
    report = []
    for i, moved in enumerate(SCENARIOS):
        knobs = set_knobs(page, moved)
        assert {k: knobs[k] for k in moved} == moved, (moved, knobs)
        got = page_numbers(page)
        worst = compare(knobs, got)
        claims = python_claims(knobs)
        if claims is None:  # the claim table cannot judge this readout: the page says nothing
            for model in MODELS:
                assert got["claims"][model]["head-cost"] == "", model
        else:
            assert got["claims"] == claims
        page.screenshot(path=str(tmp_path / f"scenario-{i + 1}.png"), full_page=True)
        assert (tmp_path / f"scenario-{i + 1}.png").stat().st_size > 20_000
        report.append(f"scenario {i + 1} {moved}: max relative difference {worst:.3g}")
        worst_all = max(worst_all, worst)
    (tmp_path / "differences.txt").write_text("\n".join(report) + "\n")
    print("\n".join(report))
    assert worst_all <= TOLERANCE
    assert page.errors == []


def page_crossover(page) -> list:
    return page.evaluate(
        """() => window.explorer.crossover.records.map(r => ({
            model: r.model, baseline: r.baseline,
            crossover_N: r.crossover_N === null ? null : r.crossover_N.toString(),
            N: r.N.toString(), ratio: r.ratio === null ? null : r.ratio.n + '/' + r.ratio.d}))"""
    )


@pytest.mark.parametrize("index", CROSSOVER_CHECKED)
def test_the_crossover_equals_the_crossover_of_the_command_line(page, index):
    knobs = set_knobs(page, SCENARIOS[index])
    scenario, P = scenario_of(knobs), int(knobs["qpus"])
    grid = [2**k for k in range(4, int(knobs["N"]) + 1)]

    def quantum(model, n):
        rows, _ = head_rows([model], [n], scenario)
        e = head_estimate(rows[0], scenario)
        return QuantumPoint(n, Fraction(e.runtime_s) / P, False, within_budget=e.within_budget)

    result = crossover(MODELS, CROSSOVER_BASELINES, grid, scenario, quantum_runtime=quantum)
    got = {(r["model"], r["baseline"]): r for r in page_crossover(page)}
    for r in result.records:
        mine = got[(r["model"], r["baseline"])]
        want_n = None if r["crossover_N"] is None else str(r["crossover_N"])
        assert (mine["crossover_N"], mine["N"]) == (want_n, str(r["N"])), r["model"]
        if r["ratio"] is None:
            assert mine["ratio"] is None
        else:
            assert exact(mine["ratio"]) == Fraction(r["ratio"])
    sentence = page.inner_text("#crossover")
    wins = [r for r in result.records if r["crossover_N"] is not None]
    assert ("the earliest is" in sentence) == bool(wins)


def test_reset_and_the_permalink_restore_a_scenario(browser, page, tmp_path):
    knobs = set_knobs(page, SCENARIOS[6])
    numbers = page_numbers(page)
    link = page.get_attribute("#permalink", "href")
    assert link.startswith("#") and "qpus=1000" in link and "method=clt" in link
    url = page.url.split("#")[0] + link
    other = open_page(browser, url)
    try:
        assert other.evaluate("Object.assign({}, window.explorer.knobs)") == knobs
        assert page_numbers(other) == numbers
        other.screenshot(path=str(tmp_path / "permalink.png"))
    finally:
        other.close()
    page.click("#reset")
    page.wait_for_function(READY, timeout=120_000)
    defaults = page.evaluate("window.explorer.defaults")
    assert page.evaluate("Object.assign({}, window.explorer.knobs)") == defaults
    assert page.input_value("#value-physical_error") == defaults["physical_error"]


def test_a_value_out_of_range_is_refused_and_a_bad_address_is_ignored(browser, page, folder):
    page.click("#reset")
    page.wait_for_function(READY, timeout=120_000)
    page.fill("#value-physical_error", "0.5")
    page.press("#value-physical_error", "Enter")
    assert "not allowed" in page.inner_text("#knob-physical_error .error")
    assert page.evaluate("window.explorer.knobs.physical_error") == "0.001"
    url = (folder / "explorer.html").as_uri() + "#physical_error=7&N=12&bogus=1"
    other = open_page(browser, url)
    try:
        assert other.evaluate("window.explorer.knobs.N") == "12"
        assert other.evaluate("window.explorer.knobs.physical_error") == "0.001"
        assert "Ignored from the address" in other.inner_text("#status")
    finally:
        other.close()
