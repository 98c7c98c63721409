"""The `qlaci-cost table FAMILY` subcommand: the table of any registered model family.

The rows are the family's `rows` hook (`qlaci_cost.core.family`) under one scenario, their
columns its `COLUMNS`, rendered as every other table (`emit_table`): a family registered with
`register_family` gets this command without any change here. The family subcommands (`qram`,
`qlaci`, `qlam`) keep their own options (levels, batches, readout protocols, the QLAM circuit,
`--symbolic`); this one takes the options every family shares.
"""

import argparse

from qlaci_cost.cli.args import (
    add_convention_args,
    add_head_scenario_args,
    add_output_args,
    add_sizes_arg,
    checked_out_path,
    emit_table,
    scenario_from_args,
    sizes_from_args,
)
from qlaci_cost.cli.table_cache import cached

__all__ = ["add_parser", "run"]

_EPILOG = """\
rows: the family's own table (its `rows` hook), one row per model and N, with the family's
columns, under the scenario the options set (word and component bits, readout, conventions,
physical model, error-budget scope, classical machine), stated once with the notes. A family's
models are its own names: QRAM models for qram, qlaci and multi-query; readout protocols for
qlam. The family subcommands (qram, qlaci, qlam) give the same tables with their own options.

examples:
  qlaci-cost table qram --n 16,1024,2^20 --format csv
  qlaci-cost table qlaci --n 2^4..2^40 --models bucket-brigade,ideal --precision rel:0.1
  qlaci-cost table multi-query --n 1024 --models qrom --format json
  qlaci-cost table qlam --n 784,1024,2^20 --models final,every-step --method clt
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    from qlaci_cost.core.family import FAMILIES  # the registry only: no family is imported

    names = tuple(FAMILIES)
    p = subparsers.add_parser(
        "table",
        help="the table of any registered model family (its rows and columns)",
        description=(
            "Every column of one registered model family's table, one row per model and\n"
            f"size, under one scenario. Families: {', '.join(names)}."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("family", metavar="FAMILY", choices=names, help=f"one of {', '.join(names)}")
    add_sizes_arg(p, "2^4..2^20", "sizes N")
    p.add_argument(
        "--models",
        metavar="NAMES",
        default="all",
        help="comma list of the family's models (default all of them)",
    )
    add_head_scenario_args(p)
    add_convention_args(p)
    add_output_args(p)
    p.set_defaults(run=cached(run))  # a repeated command: its stored table
    return p


def run(args: argparse.Namespace) -> int:
    from qlaci_cost.core.family import family
    from qlaci_cost.core.grids import parse_names

    fam = family(args.family)
    models = parse_names(args.models, tuple(fam.models()), "--models")
    sizes = sizes_from_args(args)
    scenario = scenario_from_args(args)
    out = checked_out_path(args.out)
    table = fam.rows(sizes, models, scenario)
    emit_table(
        table.rows,
        tuple(fam.COLUMNS),
        args.format,
        table.notes,
        scenario.conventions,
        out,
        scenario=scenario,
    )
    return 0
