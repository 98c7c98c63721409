"""The toy family's hooks (`qlaci_cost.core.family.HOOKS`): the AND ladder of `model`, its
table, two checks (counts and classical simulation) and one claim.

Rows come from the closed forms (`ladder_toffoli`, `ladder_qubits`) under the scenario's
conventions (T per Toffoli); the checks compare those closed forms with the decomposition
(Toffoli instances, Qualtran's peak qubit count) and the bloq's classical action with the
simulation of its decomposition on every input.
"""

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from qualtran.bloqs.basic_gates import Toffoli
from qualtran.resource_counting import QubitCount, get_cost_value

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS
from qlaci_cost.core.family import HOOKS, FamilyClaims, FamilyRows
from qlaci_cost.core.verification import CheckResult
from qlaci_cost.errors import InputError
from qlaci_cost.symbolics.symbols import N

from .model import AndLadder, ladder_qubits, ladder_toffoli

__all__ = list(HOOKS)

NAME = "toy"
TITLE = "Toy: the AND of N bits by a ladder of Toffolis"
ROW_UNIT = "AND ladder"
COLUMNS: tuple[str, ...] = ("model", "N", "qubits", "toffoli", "t_count")
CHECK_KINDS: tuple[str, ...] = ("toy-counts", "toy-classical")
OPTIONS: tuple[str, ...] = ()
REPORT_TABLE = True
#: Each check and the generic selector that runs it too.
SELECTED_BY = {"toy-counts": "counts", "toy-classical": "classical"}
#: Largest N the classical check runs on every input (2^(N + 1) simulations).
MAX_CLASSICAL_N = 8
_MODELS = {"and-ladder": AndLadder}


def models() -> tuple[str, ...]:
    return tuple(_MODELS)


def symbolic(model: str, **options: Any):
    """The size-only bloq with N controls (`symbolics.symbols.N`)."""
    return _MODELS[model](N)


def _sizes(sizes: Sequence[int]) -> list[int]:
    bad = [n for n in sizes if n < 2]
    if bad:
        raise InputError(f"toy: N = {bad[0]} is not allowed: the AND ladder needs N >= 2")
    return list(sizes)


def rows(sizes: Sequence[int], models: Sequence[str], scenario: Any = None) -> FamilyRows:
    """One row per (model, N) from the closed forms; T = Toffoli x the scenario's T per
    Toffoli."""
    conventions = getattr(scenario, "conventions", None) or DEFAULT_CONVENTIONS
    out = [
        {
            "model": model,
            "N": n,
            "qubits": ladder_qubits(n),
            "toffoli": ladder_toffoli(n),
            "t_count": conventions.t_per_toffoli * ladder_toffoli(n),
        }
        for model in models
        for n in _sizes(sizes)
    ]
    return FamilyRows(out, ["toy: closed forms 2N - 3 Toffolis, 2N - 1 qubits"])


def _counts(model: str, n: int) -> CheckResult:
    cbloq = _MODELS[model](n).decompose_bloq()
    toffoli = sum(isinstance(inst.bloq, Toffoli) for inst in cbloq.bloq_instances)
    qubits = get_cost_value(cbloq, QubitCount())
    ok = (toffoli, qubits) == (ladder_toffoli(n), ladder_qubits(n))
    detail = (
        f"toffoli {toffoli}, qubits {qubits} (closed forms {ladder_toffoli(n)}, {ladder_qubits(n)})"
    )
    return CheckResult("toy-counts", model, n, ok, detail)


def _classical(model: str, n: int) -> CheckResult:
    if n > MAX_CLASSICAL_N:
        reason = f"N > {MAX_CLASSICAL_N}: not simulated"
        return CheckResult("toy-classical", model, n, True, reason, skipped=True)
    cbloq = _MODELS[model](n).decompose_bloq()
    for bits in itertools.product((0, 1), repeat=n):
        for target in (0, 1):
            ctrl, out = cbloq.call_classically(ctrl=np.array(bits), target=target)
            if list(ctrl) != list(bits) or out != target ^ all(bits):
                return CheckResult("toy-classical", model, n, False, f"input {bits}, {target}")
    return CheckResult("toy-classical", model, n, True, f"{2 ** (n + 1)} inputs")


def checks(
    sizes: Sequence[int],
    models: Sequence[str],
    kinds: Sequence[str] = CHECK_KINDS,
    bits: int = 2,
    seed: int = 2024,
) -> Iterator[CheckResult]:
    """Its kinds named in `kinds` or selected there; `bits` and `seed` (what `verify` passes
    every family) do not apply: the classical check runs every input."""
    run = {"toy-counts": _counts, "toy-classical": _classical}
    for kind in CHECK_KINDS:
        if kind in kinds or SELECTED_BY[kind] in kinds:
            for model in models:
                for n in _sizes(sizes):
                    yield run[kind](model, n)


def claims(sizes: Sequence[int], models: Sequence[str], scenario: Any = None) -> FamilyClaims:
    """ "Linear Toffoli count": holds when Toffoli <= 2 N at every size."""
    out = []
    for model in models:
        table = rows(sizes, [model], scenario).rows
        linear = all(r["toffoli"] <= 2 * r["N"] for r in table)
        evidence = ", ".join(f"N={r['N']}: {r['toffoli']} Toffolis" for r in table)
        out.append(
            {
                "claim": "the AND ladder needs linearly many Toffolis",
                "key": "toy-linear",
                "model": model,
                "qram": "circuit",
                "verdict": "holds" if linear else "fails",
                "evidence": evidence,
            }
        )
    return FamilyClaims(out, notes=["toy: Toffoli <= 2 N at every N of the grid"])
