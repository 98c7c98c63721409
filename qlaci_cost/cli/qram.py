"""The `qlaci-cost qram` subcommand: every metric of every QRAM model over a grid of N."""

import argparse

from qlaci_cost.cli.args import (
    CLIError,
    add_bits_arg,
    add_convention_args,
    add_models_arg,
    add_output_args,
    add_sizes_arg,
    bits_from_args,
    checked_out_path,
    convention_options,
    conventions_from_args,
    emit_table,
    models_from_args,
    sizes_from_args,
)

__all__ = ["add_parser", "run"]

_EPILOG = """\
sizes: comma lists of integers (16), powers (2^20 or 2**20) and doubling ranges (2^4..2^20 =
2^4, 2^5, ..., 2^20); at most 1000 sizes. N that is not a power of two is padded to the next
power of two and the notes say so. Numbers are exact integers at any N (2^64, 2^200).

cache: each model's compiled closed forms are kept in the user's cache directory (keyed by
package version and source, model, options and conventions; rebuilt when missing or stale), so
a repeated table imports neither Qualtran nor sympy. QLACI_COST_CACHE_DIR=DIR relocates it,
QLACI_COST_NO_CACHE=1 disables it; a corrupt or unwritable cache is ignored.

examples:
  qlaci-cost qram --n 16,1024,2^20 --word-bits 8 --format csv
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
    add_bits_arg(
        p,
        "--word-bits",
        None,
        "bits per word b >= 1 (default 8; with --symbolic, b stays a symbol unless given)",
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
    models = models_from_args(args)
    if args.symbolic and args.n is not None:
        raise CLIError(f"--n {args.n!r} is not allowed with --symbolic (its rows are in N)")
    sizes = [] if args.symbolic else sizes_from_args(args)
    bits = bits_from_args(args)
    if bits is None and not args.symbolic:
        bits = 8
    options = convention_options(args)
    out = checked_out_path(args.out)
    if not args.symbolic:
        from qlaci_cost.qram.cached import cached_qram_rows

        cached = cached_qram_rows(models, sizes, bits, options)
        if cached is not None:  # closed forms from the disk cache: no Qualtran, no sympy
            emit_table(
                cached.rows, cached.columns, args.format, cached.notes, cached.conventions, out
            )
            return 0

    from qlaci_cost.qram.table import COLUMNS, qram_rows

    conventions = conventions_from_args(args)
    table = qram_rows(models, sizes, bits, conventions, symbolic=args.symbolic)
    emit_table(table.rows, COLUMNS, args.format, table.notes, conventions, out)
    if not args.symbolic:
        from qlaci_cost.qram.cached import store_entries

        store_entries(models, options)
    return 0
