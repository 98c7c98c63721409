"""`qlaci-cost explore`: the what-if page for a scenario, written safely (or refused with one
line and exit status 2 before any work)."""

import json

import pytest

from qlaci_cost.cli import main
from qlaci_cost.output.files import MANIFEST


def test_an_unsupported_physical_model_is_refused(tmp_path, capsys):
    out = tmp_path / "whatif"
    assert main(["explore", "--out", str(out), "--physical-model", "beverland"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "gidney-fowler presets only" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("sizes", "shown"), [("2^1000", "2^1000"), ("2,16", "2^1"), ("2^65", "2^65")]
)
def test_sizes_beyond_the_pages_range_are_refused(tmp_path, capsys, sizes, shown):
    from qlaci_cost.verdicts.explorer import N_EXPONENTS

    assert N_EXPONENTS == (4, 64)
    out = tmp_path / "whatif"
    assert main(["explore", "--out", str(out), "--n", sizes]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--n: N = {shown} is not allowed" in err
    assert "N = 2^4 to 2^64" in err and not out.exists()


@pytest.mark.parametrize("name", ["explorer.html", "explorer.json"])
def test_a_users_file_of_the_explorers_name_is_refused_and_kept(tmp_path, capsys, name):
    (tmp_path / name).write_text("mine\n")
    assert main(["explore", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{name} there was not written by the explorer" in err
    assert (tmp_path / name).read_text() == "mine\n"


def test_a_reports_folder_is_refused(tmp_path, capsys):
    (tmp_path / MANIFEST).write_text("{}")
    assert main(["explore", "--out", str(tmp_path)]) == 2
    assert "is a report's folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == [MANIFEST]


def test_the_page_is_written_rewritten_and_opened(tmp_path, capsys, monkeypatch):
    """The simulation behind the one simulated claim is replaced (it takes ~10 s; the report's
    tests and the browser test run it); everything else runs as written."""
    import webbrowser

    import qlaci_cost.verdicts.explorer as explorer

    fake = lambda models: dict.fromkeys(models, "fails")  # noqa: E731
    monkeypatch.setattr(explorer, "simulated_verdicts", fake)
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    out = tmp_path / "whatif"
    argv = ["explore", "--out", str(out), "--models", "qrom,ideal", "--n", "2^4..2^12",
            "--precision", "rel:0.1", "--error-rate", "2e-4", "--open"]  # fmt: skip
    assert main(argv) == 0
    assert f"explorer written to {out / 'explorer.html'}" in capsys.readouterr().out
    data = json.loads((out / "explorer.json").read_text())
    assert data["order"] == ["qrom", "ideal"] and data["knobs"]["values"]["N"] == "12"
    assert data["knobs"]["values"]["precision"] == "rel:0.1"
    assert data["physical"]["defaults"]["physical_error"] == "0.0002"
    assert opened == [(out / "explorer.html").resolve().as_uri()]
    assert main(argv[:-1]) == 0  # our own page is rewritten
