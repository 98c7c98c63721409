"""explorer.html without a browser: self-contained, its data equal to explorer.json, numbers
written as the report writes them (`core.numbers`), a scenario it cannot recompute said so,
and the claims judged as `qlaci_claims` judges them."""

import json
import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.core.numbers import count_text, duration_text, quantity_text, size_text
from qlaci_cost.output.explorer import (
    DATA_NAME,
    PAGE_NAME,
    check_explorer_folder,
    write_explorer,
)
from qlaci_cost.output.files import FolderError
from qlaci_cost.qlaci.claims import qlaci_claims

NODE = shutil.which("node")
RUNNER = Path(__file__).with_name("explorer_node.js")
MODELS = ["qrom", "ideal"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("page")
    names = write_explorer(out, MODELS, [2**10], Scenario(), report_link="index.html")
    assert names == [PAGE_NAME, DATA_NAME]
    return out


def engine(data_file: Path, tasks: list[dict]) -> list:
    text = json.dumps({"data": str(data_file), "tasks": tasks})
    done = subprocess.run([NODE, str(RUNNER)], input=text, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_page_is_self_contained_and_carries_explorer_json(folder):
    page = (folder / PAGE_NAME).read_text()
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    tag = '<script type="application/json" id="explorer-data">'
    blob = re.search(re.escape(tag) + "(.*?)</script>", page, re.S)
    assert json.loads(blob.group(1)) == json.loads((folder / DATA_NAME).read_text())
    assert '<meta name="generator" content="qlaci-cost explorer">' in page


def test_a_scenario_the_page_cannot_recompute_gets_a_page_saying_why(tmp_path):
    names = write_explorer(tmp_path, MODELS, [16], Scenario(physical_model="beverland"))
    assert names == [PAGE_NAME, DATA_NAME]
    assert "gidney-fowler presets only" in (tmp_path / PAGE_NAME).read_text()
    assert json.loads((tmp_path / DATA_NAME).read_text())["supported"] is False


def test_the_folder_rule(folder, tmp_path):
    assert check_explorer_folder(folder) == folder  # our own files may be rewritten
    (tmp_path / PAGE_NAME).write_text("<html>mine</html>")
    with pytest.raises(FolderError, match="not written by the explorer"):
        check_explorer_folder(tmp_path)
    with pytest.raises(FolderError, match="not allowed"):
        check_explorer_folder("-")


VALUES = [Fraction(0), Fraction(14, 5), Fraction(1, 3), Fraction(2), Fraction(999999, 1000),
          Fraction(1, 1000), Fraction(1, 40), Fraction(1682, 600), Fraction(168),
          Fraction(5_080_000 * 31_557_600), Fraction(2**100), Fraction(3, 10**9),
          Fraction(123_456_789), Fraction(-7, 3), Fraction(2**40), Fraction(9_999_999),
          Fraction(73_778), Fraction(34_650), Fraction(5_141)]  # fmt: skip


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_numbers_are_written_as_the_report_writes_them(folder):
    tasks = [{"op": "format", "value": [str(v.numerator), str(v.denominator)]} for v in VALUES]
    for v, got in zip(VALUES, engine(folder / DATA_NAME, tasks)):
        assert got["quantity"] == quantity_text(v), v
        assert got["duration"] == duration_text(v), v
        if v.denominator == 1:
            assert (got["count"], got["size"]) == (count_text(int(v)), size_text(int(v))), v


@pytest.mark.slow  # one claim table per readout: about half a minute
@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize(
    ("precision", "method"),
    [("abs:0.01", "hoeffding"), ("rel:0.1", "hoeffding"), ("rel:0.1", "clt"),
     ("abs:0.01", "amplitude-estimation")],
)  # fmt: skip
def test_the_claims_are_judged_as_the_claim_table_judges_them(folder, precision, method):
    data = json.loads((folder / DATA_NAME).read_text())
    knobs = {**data["knobs"]["values"], "precision": precision, "method": method}
    (got,) = engine(folder / DATA_NAME, [{"op": "claims", "knobs": knobs}])
    rows = qlaci_claims(MODELS, (2**10, 2**20), Scenario(precision=precision, method=method)).rows
    for r in rows:
        if r["key"] != "global-attention":  # judged by simulation: the report's verdict
            assert got[r["model"]][r["key"]] == r["verdict"], (r["model"], r["key"])


def test_the_page_starts_at_the_grids_top_up_to_2_64(folder):
    from qlaci_cost.verdicts.explorer import explorer_data

    assert json.loads((folder / DATA_NAME).read_text())["knobs"]["values"]["N"] == "10"
    data = explorer_data(MODELS, [16, 2**1024], Scenario())
    assert data["knobs"]["values"]["N"] == "64" and data["knobs"]["ranges"]["N"]["high"] == 64
