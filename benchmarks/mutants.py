"""Mutation check: each deliberate bug in `MUTATIONS` must make the default test run fail.

For each mutation the repository is copied to a temporary directory (everything but `.git` and
caches), one text substitution is made in the copy, and `python -m pytest` runs the mutation's
test files there with the project's default options (slow tests excluded), `PYTHONPATH` at the
copy and a private, empty disk cache. The working tree is never written to; the copy is removed
in a `finally`. A substitution that no longer matches the source (the code moved on) is
reported as `STALE`, never silently as caught.

Prints one line per mutation: caught / NOT CAUGHT, and the tests that failed. With `--baseline`
the unmutated copy runs every listed test file first and must pass (otherwise a "caught" means
nothing). Exit status 1 when a mutation is not caught or stale.

Run: python benchmarks/mutants.py [--only NAME,...] [--baseline] [--list]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
SUPERPOSITION = "qlaci_cost/core/superposition.py"
QRAM_VERIFY = "qlaci_cost/qram/verify.py"
QLACI_VERIFY = "qlaci_cost/qlaci/verify.py"
BATCH_VERIFY = "qlaci_cost/qlaci/multi_query/verify.py"
SPARSE_TESTS = (
    "tests/analysis/test_superposition.py",
    "tests/analysis/test_superposition_fails.py",
    "tests/analysis/test_qram_checks_fail.py",
)
QLACI_TESTS = ("tests/qlaci/test_qlaci_checks_fail.py",)
QLAM_TESTS = ("tests/qlam/test_qlam_bloqs.py", "tests/qlam/test_qlam_verify.py")
MICROSOFT_LIKE = "qlaci_cost/physical/microsoft_like.py"
PHYSICAL_TESTS = (
    "tests/physical/test_microsoft_like.py",
    "tests/physical/test_budget_distillation.py",
)


class Mutation(NamedTuple):
    """One deliberate bug: in `path`, each `old` (must occur exactly once, or `count` times
    for a 3-tuple) replaced by its `new`."""

    name: str
    path: str
    subs: tuple  # ((old, new) or (old, new, count), ...)
    tests: tuple[str, ...]
    what: str


def _one(name, path, old, new, tests, what, count=1) -> Mutation:
    return Mutation(name, path, ((old, new, count),), tests, what)


MUTATIONS = (
    # The sparse superposition verifier (core/superposition.py).
    _one(
        "sparse-tolerance",
        SUPERPOSITION,
        "atol: float = 1e-9",
        "atol: float = 0.5",
        SPARSE_TESTS,
        "amplitude tolerance 1e-9 -> 0.5",
        count=2,
    ),
    Mutation(
        "sparse-uncompute-tolerance",
        SUPERPOSITION,
        (("rtol=0, atol=1e-9)", "rtol=0, atol=0.5)"), ("> 1e-9:", "> 0.5:")),
        SPARSE_TESTS,
        "measurement-based uncompute's tolerances 1e-9 -> 0.5",
    ),
    _one(
        "sparse-uncompute-rtol",
        SUPERPOSITION,
        "rtol=0, atol=1e-9)",
        "atol=1e-9)",
        SPARSE_TESTS,
        "uncompute comparison with numpy's default rtol=1e-5",
    ),
    _one(
        "sparse-extra-branch",
        SUPERPOSITION,
        "if len(state.amps) != n:",
        "if len(state.amps) < n:",
        SPARSE_TESTS,
        "branch count check != -> <",
    ),
    _one(
        "sparse-freed-qubit",
        SUPERPOSITION,
        "if bad.any():",
        "if False:",
        SPARSE_TESTS,
        "freed-qubit check removed",
    ),
    _one(
        "sparse-dirty-ancilla",
        SUPERPOSITION,
        "if dirty[i]:",
        "if False:",
        SPARSE_TESTS,
        "dirty-ancilla (end state) check removed",
    ),
    Mutation(
        "sparse-both-ancilla-checks",
        SUPERPOSITION,
        (("if bad.any():", "if False:"), ("if dirty[i]:", "if False:")),
        SPARSE_TESTS,
        "freed-qubit and dirty-ancilla checks both removed",
    ),
    # QLAM bloqs and their reference.
    _one(
        "qlam-weak-depth",
        "qlaci_cost/qlam/readout.py",
        "depth=3 * c + 2",
        "depth=3 * c + 1",
        QLAM_TESTS,
        "weak readout depth 3c+2 -> 3c+1",
    ),
    _one(
        "qlam-readout-depth",
        "qlaci_cost/qlam/readout.py",
        "depth=1 + clifford_layers",
        "depth=2 + clifford_layers",
        QLAM_TESTS,
        "direct readout depth 1 + layers -> 2 + layers",
    ),
    _one(
        "qlam-ladder-direction",
        "qlaci_cost/qlam/ansatz.py",
        "ladder = [(i, i + 1) for i in range(m - 1)]",
        "ladder = [(i + 1, i) for i in range(m - 1)]",
        QLAM_TESTS,
        "ladder CNOTs reversed (control <-> target)",
    ),
    _one(
        "qlam-encoding-axis",
        "qlaci_cost/qlam/encoding.py",
        "return Rx if (feature // m) % 2 == 0 else Rz",
        "return Rz if (feature // m) % 2 == 0 else Rx",
        QLAM_TESTS,
        "encoding rotations Rx <-> Rz",
    ),
    Mutation(
        "qlam-reference-shares-code",
        "qlaci_cost/qlam/simulation.py",
        (
            (
                "from qlaci_cost.qlam.readout import MeasureReset",
                "from qlaci_cost.qlam.ansatz import entangler_pairs\n"
                "from qlaci_cost.qlam.readout import MeasureReset",
            ),
            (
                "for c, t in _reference_pairs(seq.entangler, m):",
                "for c, t in entangler_pairs(seq.entangler, m):",
            ),
        ),
        QLAM_TESTS,
        "the NumPy reference takes its CNOT pairs from the code under test",
    ),
    _one(
        "qlam-state-tolerance",
        "qlaci_cost/qlam/verify.py",
        "TOL = 1e-9",
        "TOL = 0.5",
        QLAM_TESTS,
        "state and weak checks' tolerance 1e-9 -> 0.5",
    ),
    # QRAM checks (qram/verify.py).
    _one(
        "qram-statevector-tolerance",
        QRAM_VERIFY,
        "rtol=0, atol=1e-6)",
        "rtol=0, atol=0.5)",
        SPARSE_TESTS,
        "Cirq superposition check tolerance 1e-6 -> 0.5",
    ),
    _one(
        "qram-statevector-rtol",
        QRAM_VERIFY,
        "rtol=0, atol=1e-6)",
        "atol=1e-6)",
        SPARSE_TESTS,
        "Cirq superposition check with numpy's default rtol=1e-5",
    ),
    _one(
        "qram-classical-compare",
        QRAM_VERIFY,
        "if (int(out[0]), int(out[1])) != want:",
        "if False:",
        SPARSE_TESTS,
        "classical check's comparison removed",
    ),
    # QLACI and multi-query checks.
    _one(
        "qlaci-average-tolerance",
        QLACI_VERIFY,
        "rtol=0, atol=1e-6)",
        "rtol=0, atol=0.5)",
        QLACI_TESTS,
        "kernel-average check (Cirq) tolerance 1e-6 -> 0.5",
    ),
    _one(
        "qlaci-sparse-average-tolerance",
        QLACI_VERIFY,
        "rtol=0, atol=1e-9)",
        "rtol=0, atol=0.5)",
        QLACI_TESTS,
        "kernel-average check (sparse) tolerance -> 0.5",
    ),
    _one(
        "qlaci-average-rtol",
        QLACI_VERIFY,
        "rtol=0, ",
        "",
        QLACI_TESTS,
        "kernel-average checks with numpy's default rtol=1e-5",
        count=2,
    ),
    _one(
        "qlaci-ancilla-tolerance",
        QLACI_VERIFY,
        "abs(single.probability_all_zero(single.ancillas) - 1) > 1e-9",
        "abs(single.probability_all_zero(single.ancillas) - 1) > 0.5",
        QLACI_TESTS,
        "kernel-average check's ancilla tolerance 1e-9 -> 0.5",
    ),
    _one(
        "batch-index-tolerance",
        BATCH_VERIFY,
        "1 / n_batch, rtol=0, atol=1e-9)",
        "1 / n_batch, rtol=0, atol=0.5)",
        QLACI_TESTS,
        "P(b) = 1/B tolerance 1e-9 -> 0.5",
    ),
    _one(
        "batch-branch-tolerance",
        BATCH_VERIFY,
        "single, rtol=0, atol=1e-6)",
        "single, rtol=0, atol=0.5)",
        QLACI_TESTS,
        "branch vs single query tolerance -> 0.5",
    ),
    _one(
        "batch-rtol",
        BATCH_VERIFY,
        "rtol=0, ",
        "",
        QLACI_TESTS,
        "batch-branches check with numpy's default rtol=1e-5",
        count=2,
    ),
    _one(
        "batch-ancilla-tolerance",
        BATCH_VERIFY,
        "if abs(clean - 1) > 1e-9:",
        "if abs(clean - 1) > 0.5:",
        QLACI_TESTS,
        "batch ancilla tolerance 1e-9 -> 0.5",
    ),
    # The disk cache.
    _one(
        "cache-unwritable-raises",
        "qlaci_cost/core/cache.py",
        "except Exception:  # a cache that cannot be written is skipped, never an error",
        "except ImportError:  # mutated",
        ("tests/cli/test_cache.py",),
        "an unwritable cache directory raises instead of being skipped",
    ),
    # The physical models' validity flags and distillation (qlaci_cost/physical/).
    _one(
        "microsoft-like-valid-ignores-reason",
        MICROSOFT_LIKE,
        "valid = not reason and expected <=",
        "valid = expected <=",
        PHYSICAL_TESTS,
        "microsoft-like valid when only the sum of the shares fits",
    ),
    _one(
        "microsoft-like-lower-bound-off",
        MICROSOFT_LIKE,
        "lower = valid and _reaction_note(x, a, runtime, notes)",
        "lower = False",
        PHYSICAL_TESTS,
        "microsoft-like never flags a lower bound",
    ),
    _one(
        "microsoft-like-lower-bound-when-invalid",
        MICROSOFT_LIKE,
        "lower = valid and _reaction_note(x, a, runtime, notes)",
        "lower = _reaction_note(x, a, runtime, notes)",
        PHYSICAL_TESTS,
        "microsoft-like flags a lower bound on an invalid estimate",
    ),
    _one(
        "microsoft-like-lower-bound-at-equality",
        MICROSOFT_LIKE,
        "if reaction <= runtime:",
        "if reaction < runtime:",
        PHYSICAL_TESTS,
        "microsoft-like: a reaction time equal to the schedule is a lower bound",
    ),
    _one(
        "run-failure-0.011",
        "qlaci_cost/physical/distillation.py",
        "RUN_FAILURE = 0.01\n",
        "RUN_FAILURE = 0.011\n",
        PHYSICAL_TESTS,
        "a factory run may fail with probability 1.1 % instead of 1 %",
    ),
    _one(
        "frontier-steps-at-smaller-distance",
        MICROSOFT_LIKE,
        "cycles = max(layout, math.ceil(runs * f.duration_s / cycle_d))",
        "cycles = max(layout, math.ceil(runs * f.duration_s / (cycle_d - 2 * a.cycle_s)))",
        PHYSICAL_TESTS,
        "with given factories, the steps counted at the next smaller distance",
    ),
)


def _copy(dest: Path) -> None:
    ignore = shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", ".ruff_cache")
    shutil.copytree(ROOT, dest, ignore=ignore, dirs_exist_ok=True)


def _mutate(tree: Path, mutation: Mutation) -> str | None:
    """Apply the substitutions in the copy; a line saying what did not match, else None."""
    path = tree / mutation.path
    text = path.read_text()
    for sub in mutation.subs:
        old, new, count = sub if len(sub) == 3 else (*sub, 1)
        if text.count(old) != count:
            return f"{mutation.path}: {old!r} found {text.count(old)}x, want {count}x"
        text = text.replace(old, new)
    path.write_text(text)
    return None


def _pytest(tree: Path, files: tuple[str, ...]) -> tuple[int, list[str], float]:
    """(exit status, failing test ids, seconds) of the default run of `files` in `tree`."""
    env = dict(os.environ, PYTHONPATH=str(tree), QLACI_COST_CACHE_DIR=str(tree / ".mutant-cache"))
    cmd = [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", *files]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    failed = re.findall(r"^FAILED (\S+)", done.stdout, flags=re.MULTILINE)
    if done.returncode not in (0, 1):  # collection or usage error: show it
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        failed = failed or [f"pytest exit {done.returncode}: " + " | ".join(tail)]
    return done.returncode, failed, time.perf_counter() - t0


def run(mutation: Mutation) -> tuple[str, list[str], float]:
    """('caught' | 'NOT CAUGHT' | 'STALE', failing tests, seconds) for one mutation."""
    tree = Path(tempfile.mkdtemp(prefix=f"mutant-{mutation.name}-"))
    try:
        _copy(tree)
        stale = _mutate(tree, mutation)
        if stale:
            return "STALE", [stale], 0.0
        status, failed, seconds = _pytest(tree, mutation.tests)
        return ("caught" if status != 0 else "NOT CAUGHT"), failed, seconds
    finally:
        shutil.rmtree(tree, ignore_errors=True)


def baseline(mutations) -> tuple[int, list[str], float]:
    files = tuple(dict.fromkeys(f for m in mutations for f in m.tests))
    tree = Path(tempfile.mkdtemp(prefix="mutant-baseline-"))
    try:
        _copy(tree)
        return _pytest(tree, files)
    finally:
        shutil.rmtree(tree, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated mutation names")
    parser.add_argument("--baseline", action="store_true", help="run the unmutated copy first")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only.split(",")]
    if args.list:
        for m in chosen:
            print(f"{m.name:<31} {m.path}: {m.what}")
        return 0
    if args.baseline:
        status, failed, seconds = baseline(chosen)
        print(f"{'baseline':<31} {'pass' if status == 0 else 'FAIL':<11} {seconds:6.1f} s")
        if status != 0:
            print("\n".join(f"    {t}" for t in failed))
            return 1
    bad = 0
    for m in chosen:
        verdict, failed, seconds = run(m)
        bad += verdict != "caught"
        print(f"{m.name:<31} {verdict:<11} {seconds:6.1f} s  {m.what}", flush=True)
        for t in failed[:6]:
            print(f"    {t}")
        if len(failed) > 6:
            print(f"    ... and {len(failed) - 6} more")
    print(f"{len(chosen) - bad} of {len(chosen)} mutations caught")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
