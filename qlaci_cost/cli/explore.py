"""The `qlaci-cost explore` subcommand: the what-if explorer page for a scenario."""

import argparse

from qlaci_cost.cli.args import (
    CLIError,
    add_convention_args,
    add_head_scenario_args,
    add_models_arg,
    add_sizes_arg,
    models_from_args,
    scenario_from_args,
    sizes_from_args,
)

__all__ = ["add_parser", "run"]

_EPILOG = """\
writes OUT/explorer.html, one self-contained page (no server, no network), and
OUT/explorer.json, the closed forms it evaluates. The page starts at the scenario these
options give and recomputes, exactly and in the browser, every QLACI head's physical runtime,
its ratio to each classical head, the crossover sentence, the summary table and the verdicts
as you move the reaction time, cycle time, physical error rate, readout precision and method,
the ideal QRAM's c and k, the number of QPUs, the classical baseline and its efficiency, and
N. The assumptions are kept in the page's address (a permalink). `qlaci-cost report` writes
the same page beside index.html.

OUT is created if missing; an explorer.html or explorer.json there that the explorer did not
write, or a report's folder, is refused before any work. Only the gidney-fowler presets are
transcribed for the browser (other --physical-model values are refused).

--open opens the page in the default browser as well. Details: docs/explorer.md.

examples:
  qlaci-cost explore
  qlaci-cost explore --out /tmp/whatif --precision rel:0.1 --error-rate 1e-4
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "explore",
        help="the what-if explorer: one page that recomputes the verdicts as you move assumptions",
        description=(
            "Write the what-if explorer page for a scenario (and optionally open it): every\n"
            "head verdict recomputed exactly in the browser as the assumptions move."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--out", metavar="DIR", default="explorer", help="output folder (default explorer/)"
    )
    p.add_argument("--open", action="store_true", help="open the page in the default browser")
    add_sizes_arg(p, "2^4..2^40", "grid of sizes N (the page starts at the largest)")
    add_models_arg(p, "--models")
    add_head_scenario_args(p)
    add_convention_args(p)
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    sizes = sizes_from_args(args)
    models = models_from_args(args)
    scenario = scenario_from_args(args)
    # After the checks above: the explorer's modules import Qualtran and sympy.
    from qlaci_cost.output.explorer import check_explorer_folder, write_explorer_folder
    from qlaci_cost.output.files import FolderError
    from qlaci_cost.verdicts.explorer import (
        N_EXPONENTS,
        explorer_support,
        simulated_verdicts,
    )

    low, high = N_EXPONENTS
    outside = [n for n in sizes if not 2**low <= n <= 2**high]
    if outside:
        n = outside[0]
        shown = f"2^{n.bit_length() - 1}" if n & (n - 1) == 0 else str(n)
        raise CLIError(
            f"--n: N = {shown} is not allowed: the explorer page offers N = 2^{low} to 2^{high}"
        )
    try:
        check_explorer_folder(args.out)
    except FolderError as err:
        raise CLIError(str(err)) from None
    reason = explorer_support(scenario)
    if reason:
        raise CLIError(f"the explorer cannot recompute this scenario: {reason}")
    try:
        page = write_explorer_folder(
            args.out, models, sizes, scenario, simulation=simulated_verdicts(models)
        )
    except FolderError as err:
        raise CLIError(str(err)) from None
    print(f"explorer written to {page}")
    if args.open:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())
    return 0
