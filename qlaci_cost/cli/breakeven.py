"""The `qlaci-cost breakeven` subcommand: the knob value at which a QLACI head breaks even."""

import argparse

from qlaci_cost.cli.args import (
    add_budget_scope_arg,
    add_convention_args,
    add_hardware_arg,
    add_measurement_args,
    add_models_arg,
    add_output_args,
    add_physical_args,
    add_sizes_arg,
    checked_out_path,
    count,
    emit_table,
    models_from_args,
    scenario_from_args,
    sizes_from_args,
)
from qlaci_cost.cli.table_cache import cached

__all__ = ["add_parser", "run"]

_EPILOG = """\
For every QRAM model x classical baseline x N and every knob in turn (the others at the
scenario's values), the knob's value at which the quantum head's runtime equals the classical
head's, found by bisection over the crossover's exact runtimes within the knob's physical
range, or "never (range)" / "always (range)". Knobs: reaction_time_us, cycle_time_us,
physical_error, readout_eps (the precision's value), method, qpus (P machines sharing the
runs, bounded by --machine-qubits), ideal_c and ideal_k (ideal model only),
classical_efficiency (fraction of the roofline), and the pair "reaction_time_us x method".

examples:
  qlaci-cost breakeven --n 2^20,2^40 --qram ideal --baseline flash,qlaci-exact --format csv
"""


#: The names `--help` lists, kept here so that building the parser imports no library code
#: (as verdicts.breakeven's BREAKEVEN_BASELINES, DEFAULT_MACHINE_QUBITS and KNOBS; a test
#: checks that they agree).
BREAKEVEN_BASELINES: tuple[str, ...] = (
    "softmax",
    "flash",
    "linear",
    "sliding-window",
    "ssm-scan",
    "qlaci-exact",
)
DEFAULT_MACHINE_QUBITS = 10**8
KNOBS: tuple[str, ...] = (
    "reaction_time_us",
    "cycle_time_us",
    "physical_error",
    "readout_eps",
    "method",
    "qpus",
    "ideal_c",
    "ideal_k",
    "classical_efficiency",
    "reaction_time_us x method",
)


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "breakeven",
        help="what it would take: each knob's value at which the quantum head breaks even",
        description=(
            "The value of each knob (reaction time, cycle time, error rate, readout, QPUs,\n"
            "the ideal QRAM's c and k, classical efficiency) at which a QLACI head's physical\n"
            "runtime equals a classical head's, or 'never' within the knob's physical range."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_sizes_arg(p, "2^20,2^40", "sequence lengths N")
    add_models_arg(p, "--qram")
    p.add_argument(
        "--baseline",
        metavar="NAMES",
        default="all",
        help=f"comma list of classical baselines (default all): {', '.join(BREAKEVEN_BASELINES)}",
    )
    p.add_argument(
        "--knob",
        metavar="NAMES",
        default="all",
        help=f"comma list of knobs (default all): {', '.join(KNOBS)}",
    )
    p.add_argument(
        "--machine-qubits",
        metavar="Q",
        default=str(DEFAULT_MACHINE_QUBITS),
        help=f"physical qubits of the machine bounding P (default {DEFAULT_MACHINE_QUBITS:.0e})",
    )
    add_hardware_arg(p)
    add_measurement_args(p)
    add_physical_args(p)
    add_budget_scope_arg(p)
    add_convention_args(p)
    add_output_args(p)
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(run=cached(run))  # a repeated command: its stored table
    return p


def run(args: argparse.Namespace) -> int:
    from qlaci_cost.core.grids import parse_names

    out = checked_out_path(args.out)
    sizes = sizes_from_args(args)
    models = models_from_args(args)
    scenario = scenario_from_args(args)
    # After the checks above: the break-even search imports Qualtran and sympy.
    from qlaci_cost.verdicts.breakeven import BREAKEVEN_BASELINES, COLUMNS, KNOBS, breakeven

    baselines = parse_names(args.baseline, BREAKEVEN_BASELINES, "--baseline")
    knobs = parse_names(args.knob, KNOBS, "--knob")
    machine = count(args.machine_qubits.replace("_", ""), "--machine-qubits", "physical qubits")
    progress = getattr(args, "progress", None)  # cli.main's heartbeat: it names the search
    if args.quiet and progress is not None:
        progress.silence()
    shown = progress or not args.quiet
    rows, notes = breakeven(
        models, baselines, sizes, scenario, knobs, machine_qubits=machine, progress=shown
    )
    emit_table(rows, COLUMNS, args.format, notes, scenario.conventions, out, scenario=scenario)
    return 0
