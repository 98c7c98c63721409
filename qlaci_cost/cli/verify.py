"""The `qlaci-cost verify` subcommand: simulation and count checks at small N."""

import argparse

from qlaci_cost.cli.args import (
    CLIError,
    add_bits_arg,
    bits_from_args,
)
from qlaci_cost.core.progress import PROGRESS_SECONDS  # cli.main's heartbeat

__all__ = [
    "MAX_JOBS",
    "MAX_VERIFY_BITS",
    "MAX_VERIFY_N",
    "PROGRESS_SECONDS",
    "add_parser",
    "check_kinds",
    "family_model_names",
    "run",
]

#: Largest N `verify` simulates: classical simulation runs all N addresses through an
#: O(N)-gate circuit, so its time grows as N^2 (about 5 s per model at N = 64 and 1-2 min at
#: N = 256 on one core; N = 512 took 118 s for one model).
MAX_VERIFY_N = 2**8
#: Largest N for the superposition checks alone: the sparse simulation over the N address
#: branches (analysis.superposition) grows ~N, 3-16 s per model at N = 2^10.
MAX_SPARSE_VERIFY_N = 2**10
SPARSE_CHECKS = frozenset({"superposition", "qlaci-average"})
#: Largest word size `verify` simulates: the state-vector check of the assumed `ideal` oracle
#: builds its unitary on the address and target (N = 16, b = 8: 4096 x 4096, about 1 GB at
#: the peak); b = 12 took 11 GB, b = 16 asks for 128 GB.
MAX_VERIFY_BITS = 8

#: Most worker processes `--jobs` accepts.
MAX_JOBS = 64

_EPILOG = f"""\
limits: N <= {MAX_VERIFY_N} ({MAX_SPARSE_VERIFY_N} with --checks superposition alone: a sparse
simulation over the N address branches); b <= {MAX_VERIFY_BITS} (the ideal oracle's state-vector
check builds its 2^(log2 N + b)-square unitary). Classical simulation sends all N addresses
through the circuit (time ~ N^2: seconds per model at N = 64, a minute or two at N = 256).
Cirq state vectors: QRAM models up to N = 16, QLACI queries up to N = 4; above, or when a
circuit is too wide for a state vector, the sparse simulation. QLACI queries are decomposed up
to N = 64 and batched queries simulated for N, B <= 4; a case beyond a check's reach is
skipped, and its line says why (a skip never fails the run). The defaults (N = 2, 4, 8, all
models, about 400 checks) take 20-40 s on two cores. With no line for
{PROGRESS_SECONDS:.0f} s a progress line goes to stderr.

processes: --jobs J runs the checks in J worker processes (default: one per core, or
$QLACI_COST_JOBS), one unit per model and size N (per family and size for QLAM, whose counts
belong to no protocol); the lines come unit by unit (N by N, family by family, model by
model), the same checks and results as --jobs 1, which runs them in this process in each
family's own order.

checks: the selectors classical, superposition and counts run the matching checks of every
model family; a family's own kinds (e.g. qlaci-average, head-counts) run alone;
'--checks list' prints every kind of every registered family.

examples:
  qlaci-cost verify
  qlaci-cost verify --n 2,4,8,16 --models qrom,bucket-brigade --checks classical,counts
  qlaci-cost verify --checks list
  qlaci-cost verify --n 2,4 --models qrom,final --checks counts --jobs 2
  qlaci-cost verify --n 2 --models final,weak --checks qlam-counts
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
    add_bits_arg(
        p, "--word-bits", "2", f"bits per word b >= 1 (default 2; at most {MAX_VERIFY_BITS})"
    )
    p.add_argument(
        "--models",
        "--qram",
        dest="models",
        metavar="NAMES",
        default="all",
        help="comma list of models of any registered model family (default all: every "
        "family's own): QRAM models (checked by the QRAM, QLACI and multi-query families) or "
        "another family's (QLAM: its readout protocols final, every-step, ...)",
    )
    p.add_argument(
        "--checks",
        metavar="NAMES",
        default="all",
        help="comma list of check kinds (default all): classical, superposition, counts, or a "
        "model family's own kinds (e.g. qlaci-average, batch-branches); 'list' prints them all",
    )
    p.add_argument(
        "--jobs",
        metavar="J",
        default="auto",
        help="worker processes (default auto: one per core, or $QLACI_COST_JOBS; 1 runs "
        "every check in this process, in each family's own order)",
    )
    p.set_defaults(run=run)
    return p


def jobs_from_args(text: str) -> int:
    """`--jobs`: "auto" (one per core) or an integer from 1 to `MAX_JOBS`."""
    from qlaci_cost.core.verification import default_jobs

    if text.strip() == "auto":
        return default_jobs()
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if not 1 <= jobs <= MAX_JOBS:
        raise CLIError(
            f"--jobs: {text!r} is not allowed: give auto or a whole number from 1 to {MAX_JOBS}"
        )
    return jobs


def check_kinds() -> dict[str, tuple[str, ...]]:
    """{"selectors": SELECTORS, family name: its CHECK_KINDS, ...} of every registered family."""
    from qlaci_cost.core.family import FAMILIES, SELECTORS, family

    kinds = {"selectors": tuple(SELECTORS)}
    for name in FAMILIES:
        kinds[name] = tuple(getattr(family(name), "CHECK_KINDS", ()))
    return kinds


def family_model_names() -> tuple[str, ...]:
    """The models of every registered family, in registry order, each once."""
    from qlaci_cost.core.family import families

    return tuple(dict.fromkeys(m for fam in families() for m in fam.models()))


def run(args: argparse.Namespace) -> int:
    from qlaci_cost.core.grids import pad_size, parse_names, parse_sizes

    if args.checks.strip() == "list":
        for name, names in check_kinds().items():
            print(f"{name}: {', '.join(names)}")
        return 0
    # The inputs that need no family first: the families' modules import Qualtran and Cirq.
    jobs = jobs_from_args(args.jobs)
    bits = bits_from_args(args)
    if bits > MAX_VERIFY_BITS:
        raise CLIError(
            f"{'--bits' if args.old_bits is not None else args._bits_option}: {bits} is not "
            f"allowed: verify simulates words of at most "
            f"{MAX_VERIFY_BITS} bits (see 'qlaci-cost verify --help')"
        )
    given = parse_sizes(args.n, "--n")
    kinds = check_kinds()
    allowed = tuple(dict.fromkeys(k for names in kinds.values() for k in names))
    models = None  # all: every family's own models (QRAM models, QLAM protocols, ...)
    if args.models.strip() != "all":
        models = parse_names(args.models, family_model_names(), "--models")
    if args.checks.strip() == "all":  # the selectors run every family's kinds once
        checks = list(kinds["selectors"])
    else:
        checks = parse_names(args.checks, allowed, "--checks")
    sizes: dict[int, None] = {}
    notes = []
    limit = MAX_SPARSE_VERIFY_N if set(checks) <= SPARSE_CHECKS else MAX_VERIFY_N
    for n in given:
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
    from qlaci_cost.core.verification import run_family_checks

    for note in notes:
        print(f"note: {note}", flush=True)
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    progress = getattr(args, "progress", None)  # cli.main's heartbeat
    for result in run_family_checks(models, list(sizes), bits, checks, jobs=jobs):
        print(result.line(), flush=True)
        if progress is not None:
            progress.mark()
        key = "skipped" if result.skipped else ("passed" if result.ok else "failed")
        counts[key] += 1
    print(
        f"verify: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped",
        flush=True,
    )
    return 1 if counts["failed"] else 0
