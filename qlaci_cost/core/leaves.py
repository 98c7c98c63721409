"""Leaf-gate classification shared by every counter, mirroring Qualtran's `QECGatesCost`."""

from qualtran import Bloq
from qualtran.resource_counting.classify_bloqs import (
    bloq_is_clifford,
    bloq_is_rotation,
    bloq_is_state_or_effect,
    bloq_is_t_like,
)

#: Leaf classes. `free` costs nothing (bookkeeping, allocation, global phase).
LEAF_CLASSES = ("t", "toffoli", "rotation", "clifford", "measurement", "free")


def leaf_class(bloq: Bloq) -> str | None:
    """The leaf class of `bloq`, or None when it is not a leaf and must be decomposed.

    The rules are `QECGatesCost.compute`'s, in its order, so that a count made by walking a
    decomposition to these leaves equals Qualtran's gate counts. `And(uncompute=True)` is a
    measurement-based uncompute: class `measurement` (Qualtran adds one Clifford, see
    `leaf_gate_counts`).
    """
    from qualtran.bloqs.basic_gates import (
        Discard,
        GlobalPhase,
        Identity,
        MeasureX,
        MeasureZ,
        Toffoli,
        TwoBitCSwap,
    )
    from qualtran.bloqs.mcmt import And, MultiTargetCNOT

    from qlaci_cost.core._qualtran_adapter import is_bookkeeping

    if bloq_is_t_like(bloq):
        return "t"
    if isinstance(bloq, Toffoli):
        return "toffoli"
    if isinstance(bloq, (MeasureZ, MeasureX)):
        return "measurement"
    if isinstance(bloq, And):
        return "measurement" if bloq.uncompute else "toffoli"
    if isinstance(bloq, TwoBitCSwap):
        return "toffoli"
    if isinstance(bloq, MultiTargetCNOT):
        return "clifford"
    if bloq_is_clifford(bloq):
        return "clifford"
    if bloq_is_state_or_effect(bloq):
        return "free"
    if is_bookkeeping(bloq) or isinstance(bloq, (GlobalPhase, Identity, Discard)):
        return "free"
    if bloq_is_rotation(bloq):
        return "rotation"
    return None


def leaf_gate_counts(bloq: Bloq) -> dict[str, int]:
    """Counts of one leaf in the vocabulary of `CostSummary` (toffoli, t, clifford, ...)."""
    from qualtran.bloqs.mcmt import And

    cls = leaf_class(bloq)
    if cls is None:
        raise ValueError(f"{bloq} is not a leaf gate")
    if cls == "free":
        return {}
    if cls == "measurement" and isinstance(bloq, And):
        # Measurement-based uncompute: an X-basis measurement and a classically controlled CZ.
        return {"measurements": 1, "clifford": 1}
    key = {
        "t": "t",
        "toffoli": "toffoli",
        "rotation": "rotations",
        "clifford": "clifford",
        "measurement": "measurements",
    }[cls]
    return {key: 1}
