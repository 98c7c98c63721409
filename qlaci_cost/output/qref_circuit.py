"""The decomposition of a concrete circuit as wired QREF routines: every bloq instance a child
routine with a port per register element, every wire a connection, leaf gates carrying their
costs (`output.qref_tree`'s resources), so a QREF compiler can add the costs up and follow the
wires to the peak number of live qubits (Bartiq's `qubit_highwater`).

The ports follow `qualtran.qref_interop.bloq_to_qref`'s names (a THRU register is an input port
`in_R` and an output port `out_R`, a LEFT register an input, a RIGHT one an output) extended to
registers of any shape (element (i, j) of R is `in_R_i_j`): Qualtran's import stops at
two-dimensional registers such as the memory of the bucket brigade and fan-out QRAMs. A bloq
with no decomposition that is not a leaf gate (an assumed oracle) is a leaf routine with its
declared cost, its registers as its ports.
"""

import itertools

from qualtran import Bloq, BloqInstance, Register, Side, Soquet
from qualtran.symbolics import is_symbolic

from qlaci_cost.errors import InputError
from qlaci_cost.output.qref_tree import (
    declared_resources,
    decomposition,
    resource_list,
    routine_name,
)

__all__ = ["circuit_routine"]


def _indices(reg: Register) -> list[tuple[int, ...]]:
    return list(itertools.product(*(range(int(d)) for d in reg.shape)))


def _suffix(idx: tuple) -> str:
    return "".join(f"_{int(i)}" for i in idx)


def _ports(bloq: Bloq) -> list[dict]:
    """One port per register element and direction (`in_`/`out_` as Qualtran names them)."""
    ports = []
    for reg in bloq.signature:
        for idx in _indices(reg):
            if reg.side != Side.LEFT:
                name = f"out_{reg.name}{_suffix(idx)}"
                ports.append({"name": name, "direction": "output", "size": int(reg.bitsize)})
            if reg.side != Side.RIGHT:
                name = f"in_{reg.name}{_suffix(idx)}"
                ports.append({"name": name, "direction": "input", "size": int(reg.bitsize)})
    return ports


def _endpoint(soquet: Soquet, names: dict, source: bool) -> str:
    """A connection end: a child's port (`child.out_R_i`) or the parent's own (the parent's
    input ports feed its children; its output ports collect from them)."""
    suffix = f"{soquet.reg.name}{_suffix(soquet.idx)}"
    if isinstance(soquet.binst, BloqInstance):
        return f"{names[soquet.binst]}.{'out' if source else 'in'}_{suffix}"
    return f"{'in' if source else 'out'}_{suffix}"


class _Wiring:
    """Routines of one circuit, one per distinct bloq (children renamed per instance)."""

    def __init__(self):
        self.memo: dict[Bloq, dict] = {}

    def routine(self, bloq: Bloq) -> dict:
        if bloq not in self.memo:
            self.memo[bloq] = self._build(bloq)
        return self.memo[bloq]

    def _build(self, bloq: Bloq) -> dict:
        from qlaci_cost.core.leaves import leaf_class, leaf_gate_counts

        base = {"name": routine_name(bloq), "type": type(bloq).__name__, "ports": _ports(bloq)}
        if leaf_class(bloq) is not None:
            return {**base, "resources": resource_list(leaf_gate_counts(bloq))}
        cbloq = decomposition(bloq)
        if cbloq is None:
            declared = declared_resources(bloq)
            if any(is_symbolic(v) for v in declared.values()):
                raise InputError(
                    f"circuit export of {bloq} is not allowed: it has no decomposition at "
                    "concrete sizes; give a concrete circuit, e.g. qlaci_cost.qram.build('qrom', "
                    "[3, 1, 4, 1])"
                )
            declared = {k: int(v) for k, v in declared.items()}
            meta = {"bloq": str(bloq), "declared": "a cost the bloq declares, not a circuit"}
            return {**base, "resources": resource_list(declared), "meta": meta}
        instances = sorted(cbloq.bloq_instances, key=lambda b: b.i)
        names = {b: f"{routine_name(b.bloq)}_{b.i}" for b in instances}
        children = [{**self.routine(b.bloq), "name": names[b]} for b in instances]
        connections = [
            {"source": _endpoint(c.left, names, True), "target": _endpoint(c.right, names, False)}
            for c in cbloq.connections
        ]
        meta = {"bloq": str(bloq)}
        return {**base, "children": children, "connections": connections, "meta": meta}


def circuit_routine(bloq: Bloq) -> dict:
    """The wired routine tree of a concrete bloq's decomposition (a dict in QREF v1's layout).

    Raises:
        InputError: A bloq with symbolic sizes (its registers or decomposition are not
            concrete): give a concrete circuit, e.g. `qram.build('qrom', data)`.
    """
    if any(is_symbolic(reg.bitsize, *reg.shape_symbolic) for reg in bloq.signature):
        raise InputError(
            f"circuit export of {bloq} is not allowed: its registers are symbolic; give a "
            "concrete circuit, e.g. qlaci_cost.qram.build('qrom', [3, 1, 4, 1])"
        )
    return _Wiring().routine(bloq)
