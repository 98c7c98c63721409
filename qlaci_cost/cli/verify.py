"""The `qlaci-cost verify` subcommand: simulation and count checks at small N."""

import argparse

from qlaci_cost.cli.args import CLIError, add_models_arg, models_from_args, parse_bits

__all__ = ["CHECKS", "MAX_VERIFY_N", "add_parser", "run"]

CHECKS = ("classical", "superposition", "counts")
#: Largest N `verify` simulates (classical simulation visits every address).
MAX_VERIFY_N = 2**12


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "verify",
        help="check the QRAM models by simulation and count comparison at small N",
        description=(
            "Runs the verification checks on the same bloqs the tables use: classical "
            "simulation of every address through the leaf decomposition, Cirq state vectors "
            "with the address in superposition, and closed-form counts against the "
            "decomposition and the Cirq circuit. Prints one line per check as it runs and a "
            "summary; exit status 1 if any check failed."
        ),
    )
    p.add_argument(
        "--n",
        metavar="SIZES",
        default="2,4,8",
        help=f"numbers of cells (default 2,4,8; at most {MAX_VERIFY_N}; padded to powers of 2)",
    )
    p.add_argument("--bits", metavar="B", default="2", help="bits per word b >= 1 (default 2)")
    add_models_arg(p, "--models")
    p.add_argument(
        "--checks",
        metavar="NAMES",
        default="all",
        help=f"comma list of checks (default all): {', '.join(CHECKS)}, or a model family's "
        "own check kinds (e.g. batch-branches, batch-sampling, batch-counts)",
    )
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from qlaci_cost.core.grids import parse_names, parse_sizes
    from qlaci_cost.qlaci import verify
    from qlaci_cost.qram.interface import pad_cells

    models = models_from_args(args)
    if args.models.strip() == "all":  # every family's own models (QRAM models, QLAM protocols)
        models = None
    from qlaci_cost.core.family import families

    kinds = tuple(k for fam in families() for k in fam.CHECK_KINDS if k not in CHECKS)
    checks = parse_names(args.checks, CHECKS + kinds, "--checks")
    bits = parse_bits(args.bits)
    sizes: dict[int, None] = {}
    for n in parse_sizes(args.n, "--n"):
        if n > MAX_VERIFY_N:
            raise CLIError(
                f"--n: {n} is not allowed: verify simulates circuits, N must be <= {MAX_VERIFY_N}"
            )
        padded, note = pad_cells(n)
        if note:
            print(f"note: {note}", flush=True)
        sizes[padded] = None
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for result in verify.run_checks(models, list(sizes), bits, checks):
        print(result.line(), flush=True)
        key = "skipped" if result.skipped else ("passed" if result.ok else "failed")
        counts[key] += 1
    print(
        f"verify: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped",
        flush=True,
    )
    return 1 if counts["failed"] else 0
