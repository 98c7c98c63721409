"""The `qlaci-cost qlam` subcommand: QLAM (quantum recurrent memory) costs per readout protocol."""

import argparse
import re

from qlaci_cost.cli.args import (
    DEFAULT_DELTA_TEXT,
    DEFAULT_PRECISION,
    MIN_PROBABILITY,
    CLIError,
    add_convention_args,
    add_output_args,
    add_sizes_arg,
    checked_out_path,
    count,
    emit_table,
    scenario_from_args,
    sizes_from_args,
)
from qlaci_cost.cli.table_cache import cached

__all__ = ["add_parser", "run"]

READOUTS = ("final", "every-step", "weak", "time-pooled", "query-dependent")
ENTANGLERS = ("ladder", "brick", "ring")
UNIONS = ("none", "observables", "steps", "all")

_EPILOG = """\
rows: one per readout protocol and N. Columns qubits ... depth are ONE full-length run of the
QLAM circuit (N steps of token encoding + update ansatz, then the readout; weak: every step
with its weak readout); step_executions, runs and rounds count what the protocol executes:

  final       G S runs of N steps                   (1 round)
  every-step  G S runs of every prefix t = 1..N     (N rounds: the estimates are fed back)
  weak        S / sin^2(theta) trajectories of N steps, estimating the MONITORED model
  time-pooled G S runs of a random prefix (uniform in 1..N): G S (N + 1) / 2 steps expected,
              estimating the pooled (1/N) sum_t <O_t>
  query-dependent  G_q S runs of N steps, each read in one of G_q query bases (arbitrary
              rotations then measurement; --query-bases, default 10: an assumption)
  --amplitude-estimation: K k (2M - 1) calls of the sequence (final) or of every prefix

The every-step protocol feeds each estimate into the next token: that feedback is our
assumption, not the paper's (it makes the rounds sequential; the executions are the same).

total_* = every run one after another. The notes say what eps refers to for each protocol.
The circuit is a parameter (--memory-qubits, --layers, ...): the QLAM proposal does not
publish its circuit, qubit count or readout schedule.

examples:
  qlaci-cost qlam --n 784,1024,2^20 --readout every-step
  qlaci-cost qlam --n 784 --readout all --memory-qubits 10 --format csv
  qlaci-cost qlam --n 2^4..2^40 --readout final --amplitude-estimation --format json
  qlaci-cost qlam --readout weak --theta pi/8 --symbolic
  qlaci-cost qlam --n 784,1024,2^20 --readout time-pooled,query-dependent --query-bases 10
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "qlam",
        help="QLAM quantum recurrent memory: cost of each readout protocol over N tokens",
        description=(
            "Every metric of one run of the QLAM circuit (an m-qubit memory updated once per\n"
            "token), the step executions, runs and sequential rounds each readout protocol\n"
            "needs for its precision, and the totals, exact at any N."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_sizes_arg(p, "2^4..2^20", "tokens N")
    p.add_argument(
        "--readout",
        metavar="NAMES",
        default="final",
        help=f"comma list of protocols (default final): {', '.join(READOUTS)}, or all",
    )
    p.add_argument("--symbolic", action="store_true", help="one row per protocol in N")
    _add_circuit_args(p)
    _add_readout_args(p)
    add_convention_args(p)
    add_output_args(p)
    p.set_defaults(run=cached(run))  # a repeated command: its stored table
    return p


def _add_circuit_args(p: argparse.ArgumentParser) -> None:
    circuit = p.add_argument_group("QLAM circuit (parameters: the paper does not publish them)")
    circuit.add_argument(
        "--memory-qubits",
        metavar="M",
        default="8",
        help="m (default 8; any m: above 64 the counts come from the closed forms in m)",
    )
    circuit.add_argument("--layers", metavar="L", default="2", help="ansatz layers (default 2)")
    circuit.add_argument(
        "--rotations", metavar="R", default="2", help="rotations per qubit per layer (default 2)"
    )
    circuit.add_argument("--d-in", metavar="D", default="1", help="features per token (default 1)")
    circuit.add_argument(
        "--entangler", choices=ENTANGLERS, default="ladder", help="(default ladder)"
    )
    circuit.add_argument(
        "--observables", metavar="K", default=None, help="observables read (default M)"
    )
    circuit.add_argument("--groups", metavar="G", default="1", help="commuting groups (default 1)")
    circuit.add_argument(
        "--ancillas", metavar="k", default=None, help="weak-readout ancillas (default K)"
    )
    circuit.add_argument(
        "--query-bases",
        metavar="G",
        default="10",
        help="query-dependent readout: distinct query bases G_q (default 10, one per class of "
        "the paper's 10-class tasks: an assumption)",
    )
    circuit.add_argument(
        "--theta",
        default="pi/4",
        help=f"weak-measurement angle in [{MIN_PROBABILITY}, pi/2], a number or an expression "
        "in pi (default pi/4)",
    )


def _add_readout_args(p: argparse.ArgumentParser) -> None:
    readout = p.add_argument_group("precision")
    readout.add_argument(
        "--precision",
        metavar="abs:EPS",
        default=DEFAULT_PRECISION,
        help=f"EPS in [{MIN_PROBABILITY}, 1) (default {DEFAULT_PRECISION})",
    )
    readout.add_argument(
        "--delta",
        default=DEFAULT_DELTA_TEXT,
        help=f"failure probability in [{MIN_PROBABILITY}, 1) (default {DEFAULT_DELTA_TEXT})",
    )
    readout.add_argument(
        "--method", choices=("hoeffding", "clt"), default="hoeffding", help="shot rule"
    )
    readout.add_argument(
        "--amplitude-estimation",
        action="store_true",
        help="amplitude estimation instead of sampling (final and every-step only)",
    )
    readout.add_argument(
        "--union",
        choices=UNIONS,
        default="none",
        help="union bound of delta over K observables, N steps, or both (default none)",
    )


_THETA = re.compile(r"[0-9.eE+\-*/() ]*(pi)?[0-9.eE+\-*/() ]*")


def parse_theta(text: str):
    """--theta: a number or an expression in pi, exact, in [MIN_PROBABILITY, pi/2] (below,
    the S / sin^2 theta trajectories would not print)."""
    import sympy

    msg = (
        f"--theta: {text!r} is not allowed: the weak-measurement angle must be a number in "
        f"[{MIN_PROBABILITY}, pi/2] (radians; e.g. 0.3 or pi/8)"
    )
    stripped = str(text).strip()
    if not stripped or not _THETA.fullmatch(stripped):
        raise CLIError(msg)
    try:
        value = sympy.sympify(stripped, locals={"pi": sympy.pi}, rational=True)
    except (sympy.SympifyError, TypeError, SyntaxError, ValueError, ZeroDivisionError) as exc:
        raise CLIError(msg) from exc  # ValueError: more digits than Python converts
    if value.free_symbols or not value.is_extended_real or not (0 < value <= sympy.pi / 2):
        raise CLIError(msg)
    if value < sympy.Rational(str(MIN_PROBABILITY)):
        raise CLIError(msg)
    return value


def _readouts(text: str) -> list[str]:
    from qlaci_cost.core.grids import parse_names

    return parse_names(text, READOUTS, "--readout")


def run(args: argparse.Namespace) -> int:
    readouts = _readouts(args.readout)
    if args.symbolic and args.n is not None:
        raise CLIError(f"--n {args.n!r} is not allowed with --symbolic (its rows are in N)")
    sizes = [] if args.symbolic else sizes_from_args(args)
    if args.amplitude_estimation and "weak" in readouts:
        raise CLIError(
            "--amplitude-estimation is not allowed with --readout weak: its trajectories are "
            "sampled; use final or every-step"
        )
    sampled_only = [r for r in readouts if r in ("time-pooled", "query-dependent")]
    if args.amplitude_estimation and sampled_only:
        raise CLIError(
            f"--amplitude-estimation is not allowed with --readout {sampled_only[0]}: its runs "
            "are sampled one by one; use final or every-step"
        )
    m = count(args.memory_qubits, "--memory-qubits", "memory qubits M")
    k_obs = None if args.observables is None else count(args.observables, "--observables", "K")
    ancillas = None if args.ancillas is None else count(args.ancillas, "--ancillas", "ancillas")
    if args.entangler == "ring" and m < 2:
        raise CLIError("--entangler ring is not allowed with --memory-qubits 1: it needs M >= 2")
    options = dict(
        d_in=count(args.d_in, "--d-in", "features per token"),
        layers=count(args.layers, "--layers", "ansatz layers L"),
        rotations=count(args.rotations, "--rotations", "rotations per qubit"),
        n_groups=count(args.groups, "--groups", "commuting groups G"),
        theta=parse_theta(args.theta),
        query_bases=count(args.query_bases, "--query-bases", "query bases G_q"),
    )
    out = checked_out_path(args.out)
    scenario = scenario_from_args(args)  # the last checks: the scenario imports Qualtran
    if scenario.precision.kind != "abs":
        raise CLIError(
            f"--precision: {args.precision!r} is not allowed for qlam: use abs:EPS with EPS in "
            "(0, 1) (an additive eps on each expectation)"
        )
    from qlaci_cost.qlam.protocols import QLAMConfig
    from qlaci_cost.qlam.table import qlam_rows

    config = QLAMConfig(
        m=m, entangler=args.entangler, n_observables=k_obs, ancillas=ancillas, **options
    )
    table = qlam_rows(sizes, readouts, config, scenario, args.union, symbolic=args.symbolic)
    emit_table(
        table.rows,
        table.columns,
        args.format,
        table.notes,
        scenario.conventions,
        out,
        scenario=scenario,
    )
    return 0
