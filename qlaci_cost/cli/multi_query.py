"""`qlaci-cost qlaci --batch B [--pooled]` and `--global-tokens G --window W` (helpers)."""

import argparse

from qlaci_cost.cli.args import CLIError, count

__all__ = ["parse_batches", "run_batch"]


def parse_batches(text: str) -> list[int]:
    """B values from a comma list (each an integer >= 1)."""
    items = [t.strip() for t in str(text).split(",")]
    if not all(items):
        raise CLIError(f"--batch: {text!r} is not allowed: give a comma list of integers >= 1")
    return [count(t, "--batch", "queries per circuit B") for t in items]


def run_batch(args: argparse.Namespace, models, sizes, scenario, processors, query_options):
    """(rows, columns, notes) of the multi-query (`--batch`) or global-token table, all under
    the one `scenario`."""
    if args.global_tokens is not None or args.window is not None:
        if args.batch is not None or args.pooled:
            raise CLIError("--global-tokens is not allowed with --batch/--pooled: give one")
        if args.global_tokens is None or args.window is None:
            raise CLIError("--global-tokens and --window go together: give both")
        if args.symbolic:
            raise CLIError("--global-tokens is not allowed with --symbolic")
        g = count(args.global_tokens, "--global-tokens", "global tokens G", 0)
        w = count(args.window, "--window", "window w", 0)
        for n in sizes:
            if g > n:
                raise CLIError(f"--global-tokens: G={g} is not allowed: at most N={n}")
        from qlaci_cost.qlaci.global_tokens import GLOBAL_COLUMNS, global_token_rows

        rows, notes = global_token_rows(models, sizes, g, w, scenario, **query_options)
        return rows, GLOBAL_COLUMNS, notes
    if args.batch is None:
        raise CLIError("--pooled is not allowed without --batch")
    from qlaci_cost.qlaci.multi_query_table import multi_query_rows

    if args.level == "block":
        raise CLIError("--batch is not allowed with --level block: use query or head")
    table = multi_query_rows(
        models, sizes, parse_batches(args.batch), args.level, scenario, processors=processors,
        pooled=args.pooled, loader=args.loader, symbolic=args.symbolic, **query_options,
    )  # fmt: skip
    return table.rows, table.columns, table.notes
