"""QLAM query-dependent readout: each memory qubit measured along an axis set by a query."""

from functools import cached_property
from typing import Optional

import attrs
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    Register,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import Ry, Rz
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.circuit_parts import (
    MeasureZInPlace,
    angle_symbol,
    angles_converter,
    check_angles,
    check_int,
    static_costs,
)

__all__ = ["DEFAULT_QUERY_BASES", "QueryReadout"]

#: Distinct query bases G of the query-dependent readout: an ASSUMPTION (the proposal
#: publishes none): one query per output class of the paper's 10-class tasks (sMNIST,
#: sCIFAR-10), each reading the memory in its own basis.
DEFAULT_QUERY_BASES = 10


@frozen
class QueryReadout(Bloq):
    """Measure every memory qubit along an axis chosen by a query: one run's query basis.

    The QLAM proposal reads its memory by "query-dependent measurements"
    ([arXiv:2605.13833](https://arxiv.org/abs/2605.13833), abstract) and publishes no
    circuit. Here a query q sets, for each memory qubit, an axis n(q) on the Bloch sphere
    (polar angle alpha, azimuth beta): Rz(-beta) then Ry(-alpha) turn n into z, so the Z
    measurement that follows reads n . sigma on that qubit. The 2 m angles are computed from the
    query (classically) or trained; generic angles are arbitrary rotations (non-Clifford),
    unlike a Pauli-basis readout. G distinct queries give G bases, each its own group of runs
    (the protocol multiplies by G).

    Args:
        m: Memory qubits.
        n_queries: G >= 1, the distinct query bases (the protocol's groups).
        angles: The 2 m angles of this run's query, (-beta_0, -alpha_0, -beta_1, -alpha_1,
            ...), or None for a size-only bloq.
        measure: Include the m measurements (False: the basis change alone, a unitary).

    Registers:
        memory: m qubits, measured in place.

    ## Cost
    Exact for generic angles: rotations = 2 m; measurements = m (0 without `measure`);
    qubits = m; depth = 2 + 1 (rotations then the measurement; 2 without it); Toffoli
    depth = 2; T depth = 2 x T-per-rotation; no Clifford gates.
    """

    m: SymbolicInt
    n_queries: SymbolicInt = DEFAULT_QUERY_BASES
    angles: Optional[tuple] = attrs.field(default=None, converter=angles_converter)
    measure: bool = True

    def __attrs_post_init__(self):
        check_int("m", self.m, 1)
        check_int("n_queries", self.n_queries, 1)
        check_angles("QueryReadout", self.angles, 2 * self.m)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("memory", QAny(self.m))])

    def build_composite_bloq(self, bb: BloqBuilder, memory):
        if self.angles is None or is_symbolic(self.m):
            raise DecomposeTypeError(f"{self} needs a concrete m and angles to decompose")
        qs = list(bb.split(memory))
        for q in range(int(self.m)):
            qs[q] = bb.add(Rz(self.angles[2 * q]), q=qs[q])
            qs[q] = bb.add(Ry(self.angles[2 * q + 1]), q=qs[q])
            if self.measure:
                qs[q] = bb.add(MeasureZInPlace(key=f"r{q}"), q=qs[q])
        return {"memory": bb.join(qs)}

    def build_call_graph(self, ssa):
        if self.angles is not None:
            return super().build_call_graph(ssa)
        m = self.m
        # Per memory qubit: Rz and Ry (the basis change), then one measurement.
        counts = {Rz(angle_symbol("qz")): m, Ry(angle_symbol("qy")): m}
        if self.measure:
            counts[MeasureZInPlace(key="r")] = m
        return counts

    def my_static_costs(self, cost_key):
        if self.angles is not None:
            return NotImplemented
        return static_costs(
            cost_key,
            qubits=self.m,
            depth=2 + (1 if self.measure else 0),
            toffoli_layers=2,
            t_depth=lambda key: 2 * key.per_rotation,
        )

    def __str__(self):
        return f"QueryReadout(m={self.m}, G={self.n_queries})"


@bloq_example
def _query_readout_symb() -> QueryReadout:
    m, G = sympy.symbols("m G", positive=True, integer=True)
    query_readout_symb = QueryReadout(m, G)
    return query_readout_symb


@bloq_example
def _query_readout() -> QueryReadout:
    query_readout = QueryReadout(2, 3, angles=(0.3, -1.2, 0.8, 0.5))
    return query_readout


_QUERY_READOUT_DOC = BloqDocSpec(
    bloq_cls=QueryReadout, examples=(_query_readout_symb, _query_readout)
)
