"""The shared options of `qlaci_cost.cli.args` and the subcommand registry."""

import sys

from qlaci_cost.analysis.shots import METHODS
from qlaci_cost.cli import args, main
from qlaci_cost.core.conventions import ROTATION_MODELS
from qlaci_cost.output.tables import FORMATS
from qlaci_cost.physical import PRESETS


def test_name_lists_match_the_library():
    """The CLI keeps these names without importing the library (fast --help): same names."""
    assert args.METHODS == tuple(METHODS)
    assert args.ROTATION_MODEL_NAMES == tuple(ROTATION_MODELS)
    assert args.PHYSICAL_MODEL_NAMES == tuple(PRESETS)
    assert args.FORMAT_NAMES == tuple(FORMATS)


def test_plot_name_lists_match_the_library():
    from qlaci_cost.analysis import classical
    from qlaci_cost.cli import plot
    from qlaci_cost.output import plots

    assert plot.BASELINES == tuple(classical.BASELINES)
    assert args.HARDWARE == tuple(classical.HARDWARE)
    assert args.DEFAULT_HARDWARE == classical.DEFAULT_HARDWARE
    assert plot.PLOT_FORMATS == tuple(plots.FORMATS)


def test_every_registered_subcommand_has_help(capsys):
    registry = sys.modules["qlaci_cost.cli.main"]
    names = [c.rsplit(".", 1)[-1] for c in registry.COMMANDS if isinstance(c, str)]
    assert {"qram", "verify", "qlaci", "estimate", "plot", "report"} <= set(names)
    for name in names:
        assert main([name, "--help"]) == 0
        assert f"usage: qlaci-cost {name}" in capsys.readouterr().out
