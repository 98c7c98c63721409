"""Stages 1-2 of a QLACI query: angle encoding of Q_i and the index register's preparation."""

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
    QUInt,
    Register,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, Hadamard, Ry, XGate
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.circuit_parts import (
    angle_symbol,
    angles_converter,
    brick_depth,
    check_angles,
    check_int,
    cnot_brick,
    static_costs,
)
from qlaci_cost.errors import InputError
from qlaci_cost.qram.interface import address_bitsize, check_sizes

__all__ = ["IndexBasisState", "IndexSuperposition", "QueryEncoding"]


@frozen
class QueryEncoding(Bloq):
    """Angle encoding of one query vector Q_i: Ry(Q_i[k]) on query qubit k, uploaded r times.

    Each upload is a layer Ry(Q_i[0]) ... Ry(Q_i[d_q - 1]); between two uploads a fixed CNOT
    brick (pairs (0,1), (2,3), ... then (1,2), (3,4), ...) entangles the query qubits, so that
    r uploads are not one Ry(r Q_i[k]) (data re-uploading). r = 1 is plain angle encoding.

    Args:
        d_q: Query qubits = query components encoded (one component per qubit).
        reuploads: r >= 1, the number of uploads.
        angles: The d_q encoding angles (Q_i, already scaled by the caller), floats or sympy
            expressions; None for a size-only bloq (every angle a generic rotation).

    Registers:
        query: d_q qubits, |0...0> in, the encoded state out.

    References:
        [Data re-uploading for a universal quantum classifier](https://arxiv.org/abs/1907.02085).
        Perez-Salinas, Cervera-Lierta, Gil-Fuster, Latorre 2020. Section 2.

    ## Cost
    Exact for generic angles (an angle equal to a Clifford or T angle is counted by Qualtran as
    that gate instead): rotations = r d_q; Clifford = (r - 1)(d_q - 1) CNOTs; qubits = d_q;
    Toffoli depth = r; T depth = r x T-per-rotation; depth = r + (r - 1) min(2, d_q - 1) (each
    brick is min(2, d_q - 1) layers and no upload can overlap the brick before it, since qubit 1
    sits in both halves of the brick when d_q >= 3).
    """

    d_q: SymbolicInt
    reuploads: SymbolicInt = 1
    angles: Optional[tuple] = attrs.field(default=None, converter=angles_converter)

    def __attrs_post_init__(self):
        check_int("d_q", self.d_q, 1)
        check_int("reuploads", self.reuploads, 1)
        check_angles("QueryEncoding", self.angles, self.d_q)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("query", QAny(self.d_q))])

    def build_composite_bloq(self, bb: BloqBuilder, query):
        if self.angles is None or is_symbolic(self.d_q, self.reuploads):
            raise DecomposeTypeError(f"{self} needs concrete sizes and angles to decompose")
        qs = list(bb.split(query))
        for upload in range(self.reuploads):
            if upload:
                qs = cnot_brick(bb, qs)
            qs = [bb.add(Ry(angle), q=q) for q, angle in zip(qs, self.angles)]
        return {"query": bb.join(qs)}

    def build_call_graph(self, ssa):
        if self.angles is not None:
            return super().build_call_graph(ssa)
        r, d = self.reuploads, self.d_q
        # r layers of one Ry per qubit; a (d - 1)-CNOT brick between consecutive layers.
        return {Ry(angle_symbol("q")): r * d, CNOT(): (r - 1) * (d - 1)}

    def my_static_costs(self, cost_key):
        if self.angles is not None:
            return NotImplemented
        r = self.reuploads
        return static_costs(
            cost_key,
            qubits=self.d_q,
            depth=r + (r - 1) * brick_depth(self.d_q),
            toffoli_layers=r,
            t_depth=lambda key: r * key.per_rotation,
        )

    def __str__(self):
        return f"QueryEncoding(d_q={self.d_q}, r={self.reuploads})"


class _IndexRegister:
    """The `index` register (log2 N qubits, N = the field `n_cells`) of the two index-state
    preparations; list it before `Bloq`."""

    @cached_property
    def n_index(self) -> SymbolicInt:
        return address_bitsize(self.n_cells)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("index", QUInt(self.n_index))])


@frozen
class IndexSuperposition(_IndexRegister, Bloq):
    """H on each of the log2 N index qubits: the uniform superposition over positions j.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.

    Registers:
        index: log2 N qubits, |0> in, sum_j |j> / sqrt(N) out.

    References:
        [Quantum random access memory](https://arxiv.org/abs/0708.1879). Giovannetti, Lloyd,
        Maccone 2008. The address register in superposition that a QRAM query acts on.

    ## Cost
    Exact: Clifford = log2 N; depth = 1; qubits = log2 N; no non-Clifford gates.
    """

    n_cells: SymbolicInt

    def __attrs_post_init__(self):
        check_sizes(self.n_cells, 1)

    def build_composite_bloq(self, bb: BloqBuilder, index):
        if is_symbolic(self.n_cells):
            raise DecomposeTypeError(f"{self} needs a concrete N to decompose")
        qs = [bb.add(Hadamard(), q=q) for q in bb.split(index)]
        return {"index": bb.join(qs, dtype=QUInt(self.n_index))}

    def build_call_graph(self, ssa):
        return {Hadamard(): self.n_index}

    def my_static_costs(self, cost_key):
        return static_costs(
            cost_key, qubits=self.n_index, depth=1, toffoli_layers=0, t_depth=lambda key: 0
        )

    def __str__(self):
        return f"IndexSuperposition(N={self.n_cells})"


@frozen
class IndexBasisState(_IndexRegister, Bloq):
    """X gates preparing the index register in the basis state |j> (one position only).

    The single-position counterpart of `IndexSuperposition`: `QLACIQuery(position=j)` uses it
    to run the query circuit on position j alone, the reference the superposed query is
    compared with.

    Args:
        n_cells: N, a power of two >= 2.
        position: j in [0, N).

    Registers:
        index: log2 N qubits, |0> in, |j> out.

    ## Cost
    Exact: Clifford = popcount(j) X gates; depth = 1 (0 for j = 0); qubits = log2 N.
    """

    n_cells: SymbolicInt
    position: int

    def __attrs_post_init__(self):
        check_sizes(self.n_cells, 1)
        check_int("position", self.position, 0)
        if not is_symbolic(self.n_cells) and self.position >= self.n_cells:
            raise InputError(f"position={self.position} is not allowed: it must be < N")

    def build_composite_bloq(self, bb: BloqBuilder, index):
        if is_symbolic(self.n_cells):
            raise DecomposeTypeError(f"{self} needs a concrete N to decompose")
        n = self.n_index
        qs = list(bb.split(index))
        for k in range(n):  # qubit 0 is the most significant bit
            if (self.position >> (n - 1 - k)) & 1:
                qs[k] = bb.add(XGate(), q=qs[k])
        return {"index": bb.join(qs, dtype=QUInt(n))}

    def build_call_graph(self, ssa):
        # One X per 1-bit of j, for every N (also a symbolic one: j itself is concrete).
        ones = bin(self.position).count("1")
        return {XGate(): ones} if ones else {}

    def my_static_costs(self, cost_key):
        ones = bin(self.position).count("1")
        return static_costs(
            cost_key,
            qubits=self.n_index,
            depth=1 if ones else 0,
            toffoli_layers=0,
            t_depth=lambda key: 0,
        )

    def on_classical_vals(self, index):
        return {"index": self.position}

    def __str__(self):
        return f"IndexBasisState(N={self.n_cells}, j={self.position})"


@bloq_example
def _query_encoding_symb() -> QueryEncoding:
    d_q, r = sympy.symbols("d_q r", positive=True, integer=True)
    query_encoding_symb = QueryEncoding(d_q, reuploads=r)
    return query_encoding_symb


@bloq_example
def _query_encoding() -> QueryEncoding:
    query_encoding = QueryEncoding(4, reuploads=2, angles=(0.3, -1.1, 0.7, 2.0))
    return query_encoding


@bloq_example
def _index_superposition_symb() -> IndexSuperposition:
    N = sympy.symbols("N", positive=True, integer=True)
    index_superposition_symb = IndexSuperposition(N)
    return index_superposition_symb


@bloq_example
def _index_superposition() -> IndexSuperposition:
    index_superposition = IndexSuperposition(16)
    return index_superposition


@bloq_example
def _index_basis_state_symb() -> IndexBasisState:
    N = sympy.symbols("N", positive=True, integer=True)
    index_basis_state_symb = IndexBasisState(N, 5)
    return index_basis_state_symb


@bloq_example
def _index_basis_state() -> IndexBasisState:
    index_basis_state = IndexBasisState(16, 5)
    return index_basis_state


_QUERY_ENCODING_DOC = BloqDocSpec(
    bloq_cls=QueryEncoding, examples=(_query_encoding_symb, _query_encoding)
)
_INDEX_SUPERPOSITION_DOC = BloqDocSpec(
    bloq_cls=IndexSuperposition, examples=(_index_superposition_symb, _index_superposition)
)
_INDEX_BASIS_STATE_DOC = BloqDocSpec(
    bloq_cls=IndexBasisState, examples=(_index_basis_state_symb, _index_basis_state)
)
