"""The `qlaci-cost qlaci` subcommand: QLACI query, head and block costs over a grid of N."""

import argparse

from qlaci_cost.cli.args import (
    CLIError,
    add_bits_arg,
    add_convention_args,
    add_measurement_args,
    add_models_arg,
    add_output_args,
    add_sizes_arg,
    checked_out_path,
    count,
    emit_table,
    models_from_args,
    scenario_from_args,
    sizes_from_args,
)
from qlaci_cost.cli.table_cache import cached

__all__ = ["MAX_READOUT_QUBITS", "add_parser", "run"]

#: Most readout qubits n_out: the query's readout holds its d_ctx <= n_out Pauli strings of
#: n_out letters each (n_out = 10^8 alone took 7 s and 100 MB; 10^18 exhausts memory).
MAX_READOUT_QUBITS = 4096

_EPILOG = """\
rows: one per QRAM model and N. Columns qubits ... depth are ONE execution of the per-query
circuit; `shots` is the number of circuit executions per query (shots per observable x d_ctx,
or x 1 with --grouped; amplitude estimation: its calls to the circuit or its inverse);
total_toffoli, total_t_count = shots x metric (query level), N x shots x metric (head), heads x
head (block); total_depth = shots x depth (query), ceil(N / P) x shots x depth (head). The notes
printed with the table say which precision, method and delta produced `shots`.

precision: abs:EPS means eps = EPS on each Pauli expectation; rel:R means eps = R / N (R of one
position's 1/N share of the uniform average the circuit measures: ~N^2 more shots). Default
abs:0.01, the same in qlaci, estimate, plot and report.

examples:
  qlaci-cost qlaci --n 16,1024,2^20 --qram bucket-brigade,ideal --format csv
  qlaci-cost qlaci --n 2^4..2^40 --level query --precision rel:0.1 --format json
  qlaci-cost qlaci --n 1024 --amplitude-estimation --processors 8
  qlaci-cost qlaci --level block --heads 2 --symbolic --format latex
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "qlaci",
        help="QLACI query, head and block costs: per-query circuit, shots and totals",
        description=(
            "Every metric of one execution of the QLACI query circuit (any QRAM model), the\n"
            "circuit executions one query needs for its readout precision, and the totals of\n"
            "one query, one head (N queries) or one hybrid block, exact at any N."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_sizes_arg(p, "2^4..2^20", "sequence lengths N")
    add_models_arg(p, "--qram")
    p.add_argument(
        "--level",
        choices=("query", "head", "block"),
        default="head",
        help="query: one query; head: N queries (default); block: heads + classical parts",
    )
    p.add_argument(
        "--symbolic", action="store_true", help="one row per model with expressions in N"
    )
    add_measurement_args(p)
    _add_circuit_args(p)
    _add_batch_args(p)
    _add_block_args(p)
    add_convention_args(p)
    add_output_args(p)
    p.set_defaults(run=cached(run))  # a repeated command: its stored table
    return p


def _add_circuit_args(p: argparse.ArgumentParser) -> None:
    circuit = p.add_argument_group("query circuit")
    circuit.add_argument("--d-q", default="4", help="query qubits d_q >= 1 (default 4)")
    add_bits_arg(circuit, "--component-bits", "2", "bits per K/V component b >= 1 (default 2)")
    circuit.add_argument("--layers", default="1", help="ansatz layers L >= 1 (default 1)")
    circuit.add_argument(
        "--d-ctx",
        default=None,
        help="observables read per query (default 1, or the number of --observables)",
    )
    circuit.add_argument(
        "--observables",
        metavar="PAULIS",
        default=None,
        help="comma list of Pauli strings on the readout qubits, e.g. Z,X,Y (default Z)",
    )
    circuit.add_argument(
        "--n-out", default="1", help=f"readout qubits (default 1, at most {MAX_READOUT_QUBITS})"
    )
    circuit.add_argument(
        "--feature-map",
        choices=("controlled-rotations", "phase-gradient"),
        default="controlled-rotations",
        help="KV feature map (default controlled-rotations)",
    )
    circuit.add_argument(
        "--processors", default="1", help="quantum processors P sharing a head's queries"
    )


def _add_batch_args(p: argparse.ArgumentParser) -> None:
    batch = p.add_argument_group("multi-query and global tokens (docs/derivations/multi_query.md)")
    batch.add_argument(
        "--batch",
        metavar="B",
        default=None,
        help="queries per circuit, a list like 1,4,64 (padded to powers of two, each <= N): "
        "adds the columns batch, executions and circuits (query and head levels)",
    )
    batch.add_argument(
        "--pooled",
        action="store_true",
        help="with --batch: the query index is not measured (estimates (1/B) sum_b c_b only)",
    )
    batch.add_argument(
        "--loader",
        choices=("multiplexed", "qram"),
        default="multiplexed",
        help="with --batch: how the B queries are loaded (default multiplexed)",
    )
    batch.add_argument(
        "--global-tokens",
        metavar="G",
        default=None,
        help="G global tokens by QLACI, the rest classically in a window (needs --window)",
    )
    batch.add_argument("--window", metavar="W", default=None, help="local window w >= 0")


def _add_block_args(p: argparse.ArgumentParser) -> None:
    block = p.add_argument_group("block (--level block)")
    block.add_argument("--heads", default="1", help="QLACI heads per block (default 1)")
    block.add_argument("--d-model", default=None, help="model width (default heads x d_q)")
    block.add_argument("--d-ff", default=None, help="FFN width (default 4 d_model)")
    block.add_argument("--bytes-per-value", default="2", help="bytes per value (default 2)")


def _readout_qubits(text: str) -> int:
    n_out = count(text, "--n-out", "readout qubits")
    if n_out > MAX_READOUT_QUBITS:
        raise CLIError(
            f"--n-out: {text!r} is not allowed: at most {MAX_READOUT_QUBITS} readout qubits "
            "(the readout's Pauli strings are built letter by letter)"
        )
    return n_out


def run(args: argparse.Namespace) -> int:
    models = models_from_args(args)
    if args.symbolic and args.n is not None:
        raise CLIError(f"--n {args.n!r} is not allowed with --symbolic (its rows are in N)")
    sizes = [] if args.symbolic else sizes_from_args(args)
    query_options = {
        "d_q": count(args.d_q, "--d-q", "query qubits d_q"),
        "layers": count(args.layers, "--layers", "ansatz layers L"),
        "n_out": _readout_qubits(args.n_out),
        "feature_map": args.feature_map,
    }
    if args.d_ctx is not None:
        query_options["d_ctx"] = count(args.d_ctx, "--d-ctx", "observables d_ctx")
    if args.observables is not None:
        paulis = [p.strip().upper() for p in args.observables.split(",")]
        if not all(paulis) or any(set(p) - set("IXYZ") for p in paulis):
            raise CLIError(
                f"--observables: {args.observables!r} is not allowed: give a comma list of "
                "Pauli strings over I, X, Y, Z (one letter per readout qubit)"
            )
        query_options["observables"] = tuple(paulis)
    processors = count(args.processors, "--processors", "processors P")
    block = {
        "heads": count(args.heads, "--heads", "heads"),
        "d_model": None if args.d_model is None else count(args.d_model, "--d-model", "d_model"),
        "d_ff": None if args.d_ff is None else count(args.d_ff, "--d-ff", "d_ff"),
    }
    out = checked_out_path(args.out)
    scenario = scenario_from_args(args)  # the last check: it imports Qualtran
    conventions = scenario.conventions
    if args.batch is not None or args.pooled or args.global_tokens is not None or args.window:
        from qlaci_cost.cli.multi_query import run_batch

        rows, columns, notes = run_batch(args, models, sizes, scenario, processors, query_options)
        emit_table(rows, columns, args.format, notes, conventions, out, scenario=scenario)
        return 0
    from qlaci_cost.qlaci.table import qlaci_rows  # after the checks: it imports Qualtran

    table = qlaci_rows(
        models,
        sizes,
        args.level,
        scenario,
        processors=processors,
        symbolic=args.symbolic,
        **block,
        **query_options,
    )
    emit_table(
        table.rows, table.columns, args.format, table.notes, conventions, out, scenario=scenario
    )
    return 0
