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
        fit = [n for n in sizes if g <= n]  # G of the N tokens are global
        if not fit:
            raise CLIError(
                f"--global-tokens: G={g} is not allowed: at most N (the largest N here is "
                f"{max(sizes)})"
            )
        from qlaci_cost.qlaci.multi_query.global_tokens import GLOBAL_COLUMNS, global_token_rows

        rows, notes = global_token_rows(models, fit, g, w, scenario, **query_options)
        left = [str(n) for n in sizes if n not in fit]
        if left:
            notes = [*notes, f"N={', '.join(left)} left out: fewer than G={g} tokens"]
        return rows, GLOBAL_COLUMNS, notes
    if args.batch is None:
        raise CLIError("--pooled is not allowed without --batch")
    from qlaci_cost.qlaci.multi_query.table import multi_query_rows

    if args.level == "block":
        raise CLIError("--batch is not allowed with --level block: use query or head")
    batches = parse_batches(args.batch)
    rows, notes = [], {}
    for grid, fit in [([], batches)] if args.symbolic else _fitting(batches, sizes):
        table = multi_query_rows(
            models,
            grid,
            fit,
            args.level,
            scenario,
            processors=processors,
            pooled=args.pooled,
            loader=args.loader,
            symbolic=args.symbolic,
            **query_options,
        )
        rows += table.rows
        notes.update(dict.fromkeys(table.notes))
        left = [str(b) for b in batches if b not in fit]
        if left:
            notes[
                f"N={grid[0]}: B={', '.join(left)} left out (a circuit holds at most N queries)"
            ] = None
    return rows, table.columns, list(notes)


def _fitting(batches: list[int], sizes: list[int]) -> list[tuple[list[int], list[int]]]:
    """([N], the B values with B <= N) per size, both padded to powers of two as the table
    pads them: a circuit holds at most N queries, so a larger B is left out at that N (a note
    says so) and refused only when it fits no N of the grid."""
    from qlaci_cost.core.grids import pad_size

    def pad(b: int) -> int:
        return 1 << (b - 1).bit_length()

    groups = [([n], [b for b in batches if pad(b) <= pad_size(n)[0]]) for n in sizes]
    for b in batches:
        if not any(b in fit for _, fit in groups):
            top = max(pad_size(n)[0] for n in sizes)
            raise CLIError(
                f"--batch: B={b} is not allowed: a circuit holds at most N queries (B <= N; "
                f"the largest N here is {top})"
            )
    return [(grid, fit) for grid, fit in groups if fit]
