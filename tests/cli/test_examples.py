"""Every example a user is shown runs: the `qlaci-cost ...` lines of README.md's fenced blocks
and the `examples:` of every subcommand's `--help`, each exiting 0.

The examples run in-process from a temporary working directory, so the files they write
(`--out figures`, `reports/`, ...) land there; an absolute `--out /tmp/...` is moved into it.
The few heavy ones (the full report, the default verification, surface-code estimates over
the whole grid) are marked slow, each with its reason in `HEAVY`; they run as written with
`python -m pytest -m slow`.
"""

import re
import shlex
from pathlib import Path

import pytest

from qlaci_cost import cli
from qlaci_cost.cli.main import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"

#: Examples too slow for the default run (measured on one core), with the reason.
HEAVY = {
    "qlaci-cost report --out reports/ --n 2^4..2^40": "the full report, about a minute",
    "qlaci-cost report": "the full report, about a minute",
    "qlaci-cost report --out /tmp/report --n 2^4..2^30 --formats png,svg": "a report, ~1 min",
    "qlaci-cost report --out /tmp/report-job --budget-scope job --precision rel:0.1": (
        "the full report, about a minute (its scenario, small grid: tests/output/test_report.py)"
    ),
    "qlaci-cost verify": "every check at N = 2, 4, 8: 20-40 s over two cores",
    "qlaci-cost verify --n 2,4,8": "every check at N = 2, 4, 8: 20-40 s over two cores",
    "qlaci-cost verify --n 1024 --checks superposition": "seven sparse simulations at N = 2^10",
    "qlaci-cost verify --n 2,4,8,16 --models qrom,bucket-brigade --checks classical,counts": (
        "decompositions up to N = 16: about half a minute"
    ),
    "qlaci-cost plot --what crossover --baselines softmax --physical-model beverland --out "
    "figures": "Beverland estimates of 7 models x 37 sizes: about two minutes",
    "qlaci-cost plot --what qram --n 2^4..2^40 --out figures": "18 figures: about 10 s",
    "qlaci-cost explore": "the explorer's closed forms and the claim simulation: about 20 s",
    "qlaci-cost explore --out /tmp/whatif --precision rel:0.1 --error-rate 1e-4": "as above",
    "qlaci-cost plot --what head,crossover --models bucket-brigade,qrom,ideal --formats png,pdf "
    "--out figures": "estimates of 3 models x 37 sizes and 10 figures: about half a minute",
}


def readme_examples() -> list[str]:
    """The commands `qlaci-cost ...` of README.md's fenced blocks (a line's own, or after
    `&&` as in `pip install -e . && qlaci-cost report`), comments cut."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.S | re.M)
    lines = [line.split("&&")[-1].strip() for block in blocks for line in block.splitlines()]
    return [line.split(" #")[0].strip() for line in lines if line.startswith("qlaci-cost ")]


def help_examples() -> list[str]:
    """The `examples:` lines of every subcommand's `--help` epilog."""
    parser = build_parser()
    out = []
    for sub in parser._subparsers._group_actions[0].choices.values():
        epilog = sub.epilog or ""
        _, _, tail = epilog.partition("examples:\n")
        for line in tail.splitlines():
            if not line.startswith("  qlaci-cost"):
                break
            out.append(line.strip())
    return out


EXAMPLES = list(dict.fromkeys([*readme_examples(), *help_examples()]))


def test_examples_are_found():
    """The README shows its examples and every subcommand's help has some."""
    assert len(readme_examples()) >= 7
    commands = {e.split()[1] for e in help_examples()}
    assert commands == set(build_parser()._subparsers._group_actions[0].choices)
    assert set(HEAVY) <= set(EXAMPLES)  # no stale entry


def _argv(example: str, tmp_path: Path) -> list[str]:
    words = shlex.split(example)[1:]
    return [str(tmp_path / w[len("/tmp/") :]) if w.startswith("/tmp/") else w for w in words]


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(e, marks=pytest.mark.slow(reason=HEAVY[e])) if e in HEAVY else e
        for e in EXAMPLES
    ],
)
def test_example_runs(example, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status = cli.main(_argv(example, tmp_path))
    out, err = capsys.readouterr()
    assert status == 0, f"{example}\n{err[-2000:]}"
    assert out or any(tmp_path.iterdir())  # it printed or wrote something
