"""`LeafGateCounts`: Qualtran's gate counts with one leaf convention on every path.

Qualtran's `QECGatesCost` recurses through each bloq's *call graph*. A hand-written call graph
can disagree with the bloq's own decomposition: Qualtran 0.7.0's `CSwapApprox(n)` declares
16 n + 6 n - 1 Cliffords (its `MultiTargetCNOT(n)` counted as the 2 n - 1 CNOTs of a ladder),
while its decomposition has 16 n + 4 n Cliffords and one `MultiTargetCNOT`, which
`QECGatesCost` itself counts as one Clifford. So the same select-swap circuit had 504 Cliffords
when counted through the call graph and 480 when counted gate by gate (N = 16, b = 4).

This key classifies leaves with `leaves.leaf_class` (the one classification every counter
shares). A bloq of Qualtran's library is counted through its decomposition when it has one
(its call graph is not ours to check); this package's bloqs through their call graphs, the
closed forms that tests check against their decompositions (so a size-only model at
N = 2^200 is never decomposed). Bloqs without a decomposition use their call graph or
`my_static_costs` (a subclass of `QECGatesCost`, so the `ideal` oracle's assumed Toffolis are
still used). The counts of a concrete circuit are then the sum over its leaf gates
(`decomposed.decomposed_summary`).
"""

from collections.abc import Callable

from attrs import frozen
from qualtran import Bloq, CompositeBloq, DecomposeNotImplementedError, DecomposeTypeError
from qualtran.resource_counting import GateCounts, QECGatesCost
from qualtran.resource_counting._call_graph import get_bloq_callee_counts

from qlaci_cost.core.flatten import decomposition
from qlaci_cost.core.leaves import leaf_class, leaf_gate_counts

__all__ = ["LeafGateCounts", "counted_by_decomposition", "leaf_counts_as_gate_counts"]

#: `leaf_gate_counts` vocabulary -> `GateCounts` field.
_FIELDS = {
    "t": "t",
    "toffoli": "toffoli",
    "rotations": "rotation",
    "clifford": "clifford",
    "measurements": "measurement",
}


def leaf_counts_as_gate_counts(bloq: Bloq) -> GateCounts:
    """The `GateCounts` of one leaf gate (Toffoli-class gates all in the `toffoli` field)."""
    return GateCounts(**{_FIELDS[k]: v for k, v in leaf_gate_counts(bloq).items()})


def counted_by_decomposition(bloq: Bloq) -> bool:
    """True for Qualtran's own bloqs (and wrappers of them: `Adjoint`, `Controlled`): their
    hand-written call graphs are not checked against their decompositions by this package."""
    return type(bloq).__module__.startswith("qualtran.") or isinstance(bloq, CompositeBloq)


def _decomposition(bloq: Bloq) -> CompositeBloq | None:
    try:
        return decomposition(bloq)
    except (DecomposeNotImplementedError, DecomposeTypeError):
        return None


@frozen
class LeafGateCounts(QECGatesCost):
    """Gate counts in `QECGatesCost`'s vocabulary: leaf rules; then a Qualtran bloq's
    decomposition; then the call graph.

    Exact (equal to the leaf-by-leaf count) for every concrete circuit whose call graphs agree
    with their decompositions (tests/core/test_gate_counts.py checks this package's bloqs); for
    a bloq without a decomposition the value is its declared closed form, exact or a bound as
    that bloq's docstring says.
    """

    def compute(self, bloq: Bloq, get_callee_cost: Callable[[Bloq], GateCounts]) -> GateCounts:
        if leaf_class(bloq) is not None:
            return leaf_counts_as_gate_counts(bloq)
        totals = GateCounts()
        cbloq = _decomposition(bloq) if counted_by_decomposition(bloq) else None
        if cbloq is not None:
            for binst in cbloq.bloq_instances:
                totals += get_callee_cost(binst.bloq)
            return totals
        for callee, n in get_bloq_callee_counts(bloq, ignore_decomp_failure=False):
            totals += n * get_callee_cost(callee)
        return totals

    def __str__(self):
        return "leaf gate counts"
