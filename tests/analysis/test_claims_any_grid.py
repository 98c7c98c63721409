"""Claims judged on any grid: one size, or sizes more than a decade apart, give no fitted slope
(fewer than two sizes in the top decade); the evidence then says "slope n/a", flags no
disagreement, and the leading order alone gives the same verdicts as the full grid, where the
slope agrees with it."""

import pytest

from qlaci_cost.qlaci.claims import qlaci_claims
from qlaci_cost.qlam.claims import qlam_claims
from qlaci_cost.symbolics.scaling import loglog_slope, slope_text

FULL = [2**k for k in range(4, 41)]
NO_SLOPE_GRIDS = [[16], [16, 1024, 2**20], [2**40]]


def test_no_slope_on_grids_without_two_sizes_in_the_top_decade():
    for grid in NO_SLOPE_GRIDS:
        assert loglog_slope(grid, [n * n for n in grid]) is None
    assert loglog_slope([2**19, 2**20], [2**38, 2**40]) == pytest.approx(2)
    assert slope_text(None) == "n/a" and slope_text(1.234, 1) == "2.23"


@pytest.fixture(scope="module")
def full_verdicts():
    rows = qlaci_claims(["qrom", "ideal"], FULL).rows
    return {(r["key"], r["model"]): r["verdict"] for r in rows}


@pytest.mark.parametrize("grid", NO_SLOPE_GRIDS, ids=str)
def test_qlaci_claims_without_a_slope(grid, full_verdicts):
    result = qlaci_claims(["qrom", "ideal"], grid)
    verdicts = {(r["key"], r["model"]): r["verdict"] for r in result.rows}
    assert verdicts == full_verdicts
    for row in result.rows:
        assert "disagree" not in row["evidence"]
        if row["key"] != "global-attention":
            assert "slope n/a" in row["evidence"]
    assert "slope n/a" in next(r for r in result.rows if r["key"] == "global-attention")["evidence"]


def test_qlam_linear_time_without_a_slope():
    names = ["final", "every-step", "weak"]

    def verdicts(grid):
        rows = qlam_claims(grid, names).rows
        return {r["model"]: r["verdict"] for r in rows if r["key"] == "linear-time"}

    one = verdicts([16])
    assert one == verdicts(FULL)
    assert one["qlam per run (one shot)"] == "holds" and one["qlam every-step"] == "fails"
