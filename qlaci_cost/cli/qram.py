"""The `qlaci-cost qram` subcommand: every metric of every QRAM model over a grid of N."""

import argparse

from qlaci_cost.cli.args import (
    CLIError,
    add_convention_args,
    add_models_arg,
    add_output_args,
    add_sizes_arg,
    checked_out_path,
    conventions_from_args,
    models_from_args,
    parse_bits,
    sizes_from_args,
    write_output,
)

__all__ = ["add_parser", "run"]

_EPILOG = """\
sizes: comma lists of integers (16), powers (2^20 or 2**20) and doubling ranges (2^4..2^20 =
2^4, 2^5, ..., 2^20); at most 1000 sizes. N that is not a power of two is padded to the next
power of two and the notes say so. Numbers are exact integers at any N (2^64, 2^200).

examples:
  qlaci-cost qram --n 16,1024,2^20 --bits 8 --format csv
  qlaci-cost qram --models bucket-brigade,qrom --n 2^4..2^40 --format json --out qram.json
  qlaci-cost qram --symbolic --format latex
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "qram",
        help="compare the QRAM models: every metric over a grid of sizes",
        description=(
            "Qubits, Toffoli, T, Clifford, rotation and measurement counts and the three\n"
            "depths of one QRAM query (a load of b-bit words from N cells), for each model\n"
            "and size, from each model's closed forms (worst case over the data)."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_sizes_arg(p, "2^4..2^20", "numbers of cells N")
    p.add_argument(
        "--bits",
        metavar="B",
        help="bits per word b >= 1 (default 8; with --symbolic, b stays a symbol unless given)",
    )
    add_models_arg(p, "--models")
    p.add_argument(
        "--symbolic",
        action="store_true",
        help="one row per model with the closed forms in N (and b) instead of numbers",
    )
    add_convention_args(p)
    add_output_args(p)
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from qlaci_cost.output.tables import render
    from qlaci_cost.qram.table import COLUMNS, qram_rows

    models = models_from_args(args)
    if args.symbolic and args.n is not None:
        raise CLIError(f"--n {args.n!r} is not allowed with --symbolic (its rows are in N)")
    sizes = [] if args.symbolic else sizes_from_args(args)
    if args.bits is None:
        bits = None if args.symbolic else 8
    else:
        bits = parse_bits(args.bits)
    conventions = conventions_from_args(args)
    out = checked_out_path(args.out)
    table = qram_rows(models, sizes, bits, conventions, symbolic=args.symbolic)
    text = render(table.rows, COLUMNS, args.format, table.notes, conventions)
    write_output(text, out)
    return 0
