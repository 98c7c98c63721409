"""The `qlaci-cost verify` subcommand: simulation and count checks at small N."""

import argparse
import sys
import threading
import time

from qlaci_cost.cli.args import (
    CLIError,
    add_bits_arg,
    add_models_arg,
    bits_from_args,
    models_from_args,
)

__all__ = ["MAX_VERIFY_N", "PROGRESS_SECONDS", "add_parser", "check_kinds", "run"]

#: Largest N `verify` simulates: classical simulation runs all N addresses through an
#: O(N)-gate circuit, so its time grows as N^2 (about 5 s per model at N = 64 and 1-2 min at
#: N = 256 on one core; N = 512 took 118 s for one model).
MAX_VERIFY_N = 2**8
#: Largest N for the superposition checks alone: the sparse simulation over the N address
#: branches (analysis.superposition) grows ~N, 3-16 s per model at N = 2^10.
MAX_SPARSE_VERIFY_N = 2**10
SPARSE_CHECKS = frozenset({"superposition", "qlaci-average"})
#: A progress line goes to stderr when a check runs longer than this.
PROGRESS_SECONDS = 5.0

_EPILOG = f"""\
limits: N <= {MAX_VERIFY_N} ({MAX_SPARSE_VERIFY_N} with --checks superposition alone: a sparse
simulation over the N address branches). Classical simulation sends all N addresses through
the circuit (time ~ N^2: seconds per model at N = 64, a minute or two at N = 256); state vectors are
simulated up to N = 8 and QLACI queries decomposed up to N = 64 (larger N: skipped, said so).
A check running longer than {PROGRESS_SECONDS:.0f} s prints a progress line on stderr.

checks: the selectors classical, superposition and counts run the matching checks of every
model family; a family's own kinds (e.g. qlaci-average, head-counts) run alone;
'--checks list' prints every kind of every registered family.

examples:
  qlaci-cost verify
  qlaci-cost verify --n 2,4,8,16 --models qrom,bucket-brigade --checks classical,counts
  qlaci-cost verify --checks list
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "verify",
        help="check the QRAM models and QLACI by simulation and count comparison at small N",
        description=(
            "Runs the verification checks on the same bloqs the tables use: classical "
            "simulation of every address through the leaf decomposition, Cirq state vectors "
            "with the address in superposition, and closed-form counts against the "
            "decomposition and the Cirq circuit. Prints one line per check as it runs and a "
            "summary; exit status 1 if any check failed."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--n",
        metavar="SIZES",
        default="2,4,8",
        help=f"numbers of cells (default 2,4,8; at most {MAX_VERIFY_N}; padded to powers of 2)",
    )
    add_bits_arg(p, "--word-bits", "2", "bits per word b >= 1 (default 2)")
    add_models_arg(p, "--models")
    p.add_argument(
        "--checks",
        metavar="NAMES",
        default="all",
        help="comma list of check kinds (default all): classical, superposition, counts, or a "
        "model family's own kinds (e.g. qlaci-average, batch-branches); 'list' prints them all",
    )
    p.set_defaults(run=run)
    return p


def check_kinds() -> dict[str, tuple[str, ...]]:
    """{"selectors": SELECTORS, family name: its CHECK_KINDS, ...} of every registered family."""
    from qlaci_cost.core.family import FAMILIES, SELECTORS, family

    kinds = {"selectors": tuple(SELECTORS)}
    for name in FAMILIES:
        kinds[name] = tuple(getattr(family(name), "CHECK_KINDS", ()))
    return kinds


class _Progress:
    """A stderr line when no check has finished for `PROGRESS_SECONDS` (long simulations)."""

    def __init__(self, label: str = "verify"):
        self.label = label
        self.last = self.start = time.monotonic()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)

    def _tick(self) -> None:
        while not self.done.wait(1.0):
            now = time.monotonic()
            if now - self.last >= PROGRESS_SECONDS:
                sys.stderr.write(
                    f"{self.label}: still running ({now - self.start:.0f} s elapsed)\n"
                )
                sys.stderr.flush()
                self.last = now

    def __enter__(self):
        self.thread.start()
        return self

    def mark(self) -> None:
        self.last = time.monotonic()

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()


def run(args: argparse.Namespace) -> int:
    from qlaci_cost.core.grids import pad_size, parse_names, parse_sizes

    kinds = check_kinds()
    if args.checks.strip() == "list":
        for name, names in kinds.items():
            print(f"{name}: {', '.join(names)}")
        return 0
    allowed = tuple(dict.fromkeys(k for names in kinds.values() for k in names))
    models = models_from_args(args)
    if args.models.strip() == "all":  # every family's own models (QRAM models, QLAM protocols)
        models = None
    if args.checks.strip() == "all":  # the selectors run every family's kinds once
        checks = list(kinds["selectors"])
    else:
        checks = parse_names(args.checks, allowed, "--checks")
    bits = bits_from_args(args)
    sizes: dict[int, None] = {}
    notes = []
    limit = MAX_SPARSE_VERIFY_N if set(checks) <= SPARSE_CHECKS else MAX_VERIFY_N
    for n in parse_sizes(args.n, "--n"):
        if n > limit:
            raise CLIError(
                f"--n: {args.n!r} has N = {n}, which is not allowed: verify simulates circuits, "
                f"N must be <= {limit} (time grows as N^2, as N with --checks superposition "
                f"up to {MAX_SPARSE_VERIFY_N}; see 'qlaci-cost verify --help')"
            )
        padded, note = pad_size(n)
        if note:
            notes.append(note)
        sizes[padded] = None
    from qlaci_cost.qlaci import verify

    for note in notes:
        print(f"note: {note}", flush=True)
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    with _Progress() as progress:
        for result in verify.run_checks(models, list(sizes), bits, checks):
            print(result.line(), flush=True)
            progress.mark()
            key = "skipped" if result.skipped else ("passed" if result.ok else "failed")
            counts[key] += 1
    print(
        f"verify: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped",
        flush=True,
    )
    return 1 if counts["failed"] else 0
