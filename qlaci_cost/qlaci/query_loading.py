"""Coherent loading of B queries: uniformly controlled rotations, or a QRAM over the queries.

The two named methods of `MultiQueryQLACI` (docs/derivations/multi_query.md, section 1):
`multiplexed` (one uniformly controlled Ry per query qubit and upload, Mottonen et al.) and
`qram` (a second QRAM over B cells of query words, then data-controlled rotations).
"""

from functools import cached_property
from typing import Optional

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    BloqDocSpec,
    DecomposeTypeError,
    QAny,
    QBit,
    QUInt,
    Register,
    Signature,
    bloq_example,
)
from qualtran.bloqs.basic_gates import CNOT, Ry
from qualtran.symbolics import SymbolicInt, is_symbolic, smin

from qlaci_cost.core.checks import integer_rows
from qlaci_cost.core.circuit_parts import (
    angle_symbol,
    angles_converter,
    brick_depth,
    check_int,
    cnot_brick,
    static_costs,
)
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.feature_map import ControlledRy
from qlaci_cost.qram.interface import address_bitsize

__all__ = [
    "QUERY_METHODS",
    "MultiplexedQueryEncoding",
    "QRAMQueryEncoding",
    "UniformlyControlledRy",
    "check_batch",
    "multiplexor_angles",
    "worst_case_words",
]

#: Methods that load the B queries coherently.
QUERY_METHODS = ("multiplexed", "qram")


def check_batch(n_batch: SymbolicInt) -> None:
    """Raise `InputError` naming B unless it is a power of two >= 1 (or symbolic)."""
    if is_symbolic(n_batch):
        return
    ok = isinstance(n_batch, (int, np.integer)) and not isinstance(n_batch, bool)
    if not ok or n_batch < 1 or (int(n_batch) & (int(n_batch) - 1)):
        raise InputError(
            f"B={n_batch!r} is not allowed: queries per circuit must be a power of two >= 1"
        )


def batch_bits(n_batch: SymbolicInt) -> SymbolicInt:
    """log2 B (0 for B = 1)."""
    return address_bitsize(n_batch) if is_symbolic(n_batch) else int(n_batch).bit_length() - 1


def _has_cnots(n_batch: SymbolicInt) -> SymbolicInt:
    """1 when a multiplexor has controls (B >= 2), 0 for B = 1: min(1, log2 B)."""
    return smin(1, batch_bits(n_batch))


def multiplexor_angles(alphas) -> np.ndarray:
    """Rotation angles theta_i of the Gray-code multiplexor for control-value angles alpha_j.

    theta_i = 2^-k sum_j (-1)^(j . g(i)) alpha_j with g(i) = i XOR (i >> 1), B = 2^k
    (Mottonen et al., quant-ph/0407010, Eq. 3): the target sees sum_i (-1)^(j . g(i)) theta_i
    = alpha_j when the control register holds j.
    """
    a = np.asarray(alphas, dtype=float)
    n = len(a)
    gray = [i ^ (i >> 1) for i in range(n)]
    signs = np.array([[(-1) ** bin(j & g).count("1") for j in range(n)] for g in gray])
    return signs @ a / n


def _flip_bit(i: int, n: int) -> int:
    """The bit (value position) that changes from g(i) to g(i + 1 mod n) in the Gray code."""
    a, b = i ^ (i >> 1), ((i + 1) % n) ^ (((i + 1) % n) >> 1)
    return (a ^ b).bit_length() - 1


@frozen
class UniformlyControlledRy(Bloq):
    """Ry(alpha_j) on `target` when the control register holds j (a multiplexed Ry).

    Gray-code decomposition: for i = 0 .. B - 1, Ry(theta_i) on the target, then a CNOT from
    the control bit that changes between g(i) and g(i + 1 mod B) (`multiplexor_angles`).

    Args:
        n_batch: B = 2^k control values, a power of two >= 1, or a symbol.
        angles: The B angles alpha_j, or None for a size-only bloq.

    Registers:
        ctrl: log2 B qubits (unchanged; absent for B = 1).
        target: the rotated qubit.

    References:
        [Quantum circuits for general multiqubit gates](https://arxiv.org/abs/quant-ph/0404089)
        and [Transformation of quantum states using uniformly controlled
        rotations](https://arxiv.org/abs/quant-ph/0407010). Mottonen, Vartiainen, Bergholm,
        Salomaa 2004. Theorem 8 / Eq. 3: B rotations and B CNOTs.

    ## Cost
    Exact for generic angles: rotations = B; Clifford = B min(1, log2 B) CNOTs; qubits =
    log2 B + 1; depth = B + B min(1, log2 B) (all on the target); Toffoli depth = B; T depth =
    B x T-per-rotation.
    """

    n_batch: SymbolicInt
    angles: Optional[tuple] = attrs.field(default=None, converter=angles_converter)

    def __attrs_post_init__(self):
        check_batch(self.n_batch)
        if self.angles is not None and not is_symbolic(self.n_batch):
            if len(self.angles) != self.n_batch:
                raise InputError(f"{len(self.angles)} angles given, B={self.n_batch} are needed")

    @cached_property
    def n_ctrl(self) -> SymbolicInt:
        return batch_bits(self.n_batch)

    @cached_property
    def signature(self) -> Signature:
        regs = [] if self.n_ctrl == 0 else [Register("ctrl", QUInt(self.n_ctrl))]
        return Signature(regs + [Register("target", QBit())])

    def build_composite_bloq(self, bb: BloqBuilder, target, ctrl=None):
        if self.angles is None or is_symbolic(self.n_batch):
            raise DecomposeTypeError(f"{self} needs concrete B and angles to decompose")
        B, k = int(self.n_batch), int(self.n_ctrl)
        if k == 0:
            return {"target": bb.add(Ry(self.angles[0]), q=target)}
        cs = list(bb.split(ctrl))
        for i, theta in enumerate(multiplexor_angles(self.angles)):
            target = bb.add(Ry(float(theta)), q=target)
            c = k - 1 - _flip_bit(i, B)  # qubit 0 is the most significant bit
            cs[c], target = bb.add(CNOT(), ctrl=cs[c], target=target)
        return {"ctrl": bb.join(cs, dtype=QUInt(k)), "target": target}

    def build_call_graph(self, ssa):
        if self.angles is not None:
            return super().build_call_graph(ssa)
        return {
            Ry(angle_symbol("mux")): self.n_batch,
            CNOT(): self.n_batch * _has_cnots(self.n_batch),
        }

    def my_static_costs(self, cost_key):
        if self.angles is not None:
            return NotImplemented
        B = self.n_batch
        return static_costs(
            cost_key,
            qubits=self.n_ctrl + 1,
            depth=B + B * _has_cnots(B),
            toffoli_layers=B,
            t_depth=lambda key: B * key.per_rotation,
        )

    def __str__(self):
        return f"UniformlyControlledRy(B={self.n_batch})"


def _angle_table(rows) -> Optional[tuple]:
    if rows is None:
        return None
    return tuple(angles_converter(np.atleast_1d(r)) for r in rows)


@frozen
class MultiplexedQueryEncoding(Bloq):
    """Angle encoding of query b on R_Q when the batch register holds b (multiplexed).

    `QueryEncoding` with each Ry(Q[k]) replaced by a `UniformlyControlledRy` over the B
    queries' k-th components: upload by upload, query qubit by query qubit, with the same CNOT
    brick between uploads. Branch b of the batch register sees exactly `QueryEncoding(Q_b)`.

    Args:
        n_batch: B, a power of two >= 1, or a symbol.
        d_q: Query qubits.
        reuploads: r >= 1.
        queries: B rows of d_q angles (row b is Q_b), or None for a size-only bloq.

    Registers:
        batch: log2 B qubits (unchanged; absent for B = 1).
        query: d_q qubits, |0> in, the encoded branch state out.

    References:
        [Transformation of quantum states using uniformly controlled
        rotations](https://arxiv.org/abs/quant-ph/0407010). Mottonen et al. 2004.

    ## Cost
    Exact for generic angles: rotations = r d_q B; Clifford = r d_q B min(1, log2 B) +
    (r - 1)(d_q - 1); qubits = log2 B + d_q. Depths (upper bound, `BOUNDS`): the multiplexors
    one after another (they share the control qubits): r d_q (B + B min(1, log2 B)) +
    (r - 1) min(2, d_q - 1) (exact for d_q = 1); Toffoli depth r d_q B; T depth x T-per-rotation.
    """

    n_batch: SymbolicInt
    d_q: SymbolicInt
    reuploads: SymbolicInt = 1
    queries: Optional[tuple] = attrs.field(default=None, converter=_angle_table)

    BOUNDS = frozenset({"depth", "toffoli_depth", "t_depth"})

    def __attrs_post_init__(self):
        check_batch(self.n_batch)
        check_int("d_q", self.d_q, 1)
        check_int("reuploads", self.reuploads, 1)
        if self.queries is not None:
            if is_symbolic(self.n_batch) or len(self.queries) != self.n_batch:
                raise InputError(f"{len(self.queries)} queries given, B={self.n_batch} needed")
            if any(len(q) != self.d_q for q in self.queries):
                raise InputError(f"every query needs d_q={self.d_q} angles")

    @cached_property
    def n_ctrl(self) -> SymbolicInt:
        return batch_bits(self.n_batch)

    @cached_property
    def signature(self) -> Signature:
        regs = [] if self.n_ctrl == 0 else [Register("batch", QUInt(self.n_ctrl))]
        return Signature(regs + [Register("query", QAny(self.d_q))])

    def multiplexor(self, k: int) -> UniformlyControlledRy:
        angles = None if self.queries is None else [q[k] for q in self.queries]
        return UniformlyControlledRy(self.n_batch, angles)

    def build_composite_bloq(self, bb: BloqBuilder, query, batch=None):
        if self.queries is None or is_symbolic(self.n_batch, self.d_q, self.reuploads):
            raise DecomposeTypeError(f"{self} needs concrete sizes and queries to decompose")
        qs = list(bb.split(query)) if self.d_q > 1 else [query]
        for upload in range(self.reuploads):
            if upload:
                qs = cnot_brick(bb, qs)
            for k in range(self.d_q):
                if batch is None:
                    qs[k] = bb.add(self.multiplexor(k), target=qs[k])
                else:
                    batch, qs[k] = bb.add(self.multiplexor(k), ctrl=batch, target=qs[k])
        out = {"query": bb.join(qs) if self.d_q > 1 else qs[0]}
        return out if batch is None else {**out, "batch": batch}

    def build_call_graph(self, ssa):
        if self.queries is not None:
            return super().build_call_graph(ssa)
        r, d = self.reuploads, self.d_q
        return {UniformlyControlledRy(self.n_batch): r * d, CNOT(): (r - 1) * (d - 1)}

    def my_static_costs(self, cost_key):
        if self.queries is not None:
            return NotImplemented
        B, r, d = self.n_batch, self.reuploads, self.d_q
        return static_costs(
            cost_key,
            qubits=self.n_ctrl + d,
            depth=r * d * (B + B * _has_cnots(B)) + (r - 1) * brick_depth(d),
            toffoli_layers=r * d * B,
            t_depth=lambda key: r * d * B * key.per_rotation,
        )

    def __str__(self):
        return f"MultiplexedQueryEncoding(B={self.n_batch}, d_q={self.d_q}, r={self.reuploads})"


def worst_case_words(model: str, n_batch: int, d_q: int, query_bits: int) -> tuple:
    """The QRAM model's worst-case B words of d_q b_q bits, split into d_q components."""
    from qlaci_cost.qram import model_class

    packed = model_class(model).worst_case_data(n_batch, d_q * query_bits)
    mask = 2**query_bits - 1
    return tuple(
        tuple((w >> (query_bits * (d_q - 1 - k))) & mask for k in range(d_q)) for w in packed
    )


def _int_rows(rows) -> Optional[tuple]:
    return integer_rows(rows, "words")


@frozen
class QRAMQueryEncoding(Bloq):
    """Query b loaded from a QRAM over B cells, then encoded by data-controlled rotations.

    The batch register addresses a QRAM (any `qlaci_cost.qram` model) whose cell b holds the
    query word x_b: d_q components of b_q bits (most significant first). After the load,
    for each upload and each component k, bit p of x_b[k] controls Ry(scale_k 2^p) on query
    qubit k (`ControlledRy`), so branch b sees `QueryEncoding(scale * x_b)`; the CNOT brick
    separates uploads as in `QueryEncoding`. The QRAM is applied again to unload (XOR is
    self-inverse) and the word register is freed in |0>.

    Args:
        n_batch: B, a power of two >= 2, or a symbol.
        d_q: Query qubits = components per word.
        query_bits: b_q, bits per component.
        reuploads: r >= 1.
        qram_model: A name in `qlaci_cost.qram.MODELS`.
        words: B rows of d_q integers in [0, 2^b_q), or None (size-only: worst-case data).
        scales: d_q angle scales, or None (size-only).

    Registers:
        batch: log2 B qubits (unchanged).
        query: d_q qubits, |0> in, the encoded branch state out.

    ## Cost
    Exact for generic scales: 2 x the QRAM's counts (B cells of d_q b_q bits) plus r d_q b_q
    `ControlledRy` (2 rotations, 2 CNOTs each) and (r - 1)(d_q - 1) brick CNOTs; qubits =
    log2 B + d_q + d_q b_q + max(0, QRAM qubits - its registers). Depths (upper bound): load,
    rotations one after another (r d_q b_q x 4 layers + bricks), unload.
    """

    n_batch: SymbolicInt
    d_q: SymbolicInt
    query_bits: SymbolicInt = 2
    reuploads: SymbolicInt = 1
    qram_model: str = "qrom"
    words: Optional[tuple] = attrs.field(default=None, converter=_int_rows)
    scales: Optional[tuple] = attrs.field(default=None, converter=angles_converter)

    BOUNDS = frozenset({"depth", "toffoli_depth", "t_depth"})

    def __attrs_post_init__(self):
        check_batch(self.n_batch)
        if not is_symbolic(self.n_batch) and self.n_batch < 2:
            raise InputError(f"B={self.n_batch} is not allowed with method 'qram': B >= 2")
        check_int("d_q", self.d_q, 1)
        check_int("query_bits", self.query_bits, 1)
        check_int("reuploads", self.reuploads, 1)
        if self.words is not None:
            if is_symbolic(self.n_batch) or len(self.words) != self.n_batch:
                raise InputError(f"{len(self.words)} query words given, B={self.n_batch} needed")
            for row in self.words:
                if len(row) != self.d_q or not all(0 <= x < 2**self.query_bits for x in row):
                    raise InputError(
                        f"query word {row} is not allowed: {self.d_q} components in "
                        f"[0, 2^{self.query_bits}) are needed"
                    )
        if self.scales is not None and not is_symbolic(self.d_q) and len(self.scales) != self.d_q:
            raise InputError(f"{len(self.scales)} scales given, d_q={self.d_q} are needed")
        _ = self.qram

    @cached_property
    def n_ctrl(self) -> SymbolicInt:
        return batch_bits(self.n_batch)

    @cached_property
    def word_bits(self) -> SymbolicInt:
        return self.d_q * self.query_bits

    @cached_property
    def packed(self) -> Optional[tuple]:
        if self.words is None:
            return None
        b = int(self.query_bits)
        out = []
        for row in self.words:
            w = 0
            for x in row:
                w = (w << b) | x
            out.append(w)
        return tuple(out)

    @cached_property
    def qram(self) -> Bloq:
        from qlaci_cost.qram import build, build_symbolic

        if self.packed is None:
            return build_symbolic(self.qram_model, self.n_batch, self.word_bits)
        return build(self.qram_model, self.packed, int(self.word_bits))

    def angles(self) -> np.ndarray:
        """The B x d_q encoded angles scale_k x_b[k] (concrete words and scales)."""
        return np.array(self.words, dtype=float) * np.array(self.scales, dtype=float)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("batch", QUInt(self.n_ctrl)), Register("query", QAny(self.d_q))])

    def build_composite_bloq(self, bb: BloqBuilder, batch, query):
        if self.words is None or self.scales is None or is_symbolic(self.n_batch, self.d_q):
            raise DecomposeTypeError(f"{self} needs concrete sizes, words and scales")
        d, b = int(self.d_q), int(self.query_bits)
        word = bb.allocate(dtype=QUInt(self.word_bits))
        batch, word = bb.add(self.qram, address=batch, target=word)
        ws = list(bb.split(word))
        qs = list(bb.split(query)) if d > 1 else [query]
        for upload in range(self.reuploads):
            if upload:
                qs = cnot_brick(bb, qs)
            for k in range(d):
                for p in range(b):  # bit p of component k: qubit k b + p, weight 2^(b-1-p)
                    rot = ControlledRy(self.scales[k] * 2 ** (b - 1 - p))
                    ws[k * b + p], qs[k] = bb.add(rot, ctrl=ws[k * b + p], target=qs[k])
        word = bb.join(ws, dtype=QUInt(self.word_bits))
        batch, word = bb.add(self.qram, address=batch, target=word)
        bb.free(word)
        return {"batch": batch, "query": bb.join(qs) if d > 1 else qs[0]}

    def build_call_graph(self, ssa):
        if self.words is not None and self.scales is not None:
            return super().build_call_graph(ssa)
        r, d = self.reuploads, self.d_q
        return {
            self.qram: 2,
            ControlledRy(angle_symbol("qscale")): r * self.word_bits,
            CNOT(): (r - 1) * (d - 1),
        }

    def my_static_costs(self, cost_key):
        from qualtran.resource_counting import QubitCount, get_cost_value

        from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth
        from qlaci_cost.qlaci.query import smax

        if isinstance(cost_key, QubitCount):
            extra = get_cost_value(self.qram, cost_key) - self.qram.signature.n_qubits()
            return self.n_ctrl + self.d_q + self.word_bits + smax(0, extra)
        if isinstance(cost_key, (Depth, ToffoliDepth, TDepth)):
            q = get_cost_value(self.qram, cost_key)
            rot = get_cost_value(ControlledRy(angle_symbol("qscale")), cost_key)
            brick = brick_depth(self.d_q) if isinstance(cost_key, Depth) else 0
            r = self.reuploads
            return 2 * q + r * self.word_bits * rot + (r - 1) * brick
        return NotImplemented

    def __str__(self):
        return f"QRAMQueryEncoding(B={self.n_batch}, d_q={self.d_q}, {self.qram_model})"


@bloq_example
def _uniformly_controlled_ry_symb() -> UniformlyControlledRy:
    B = sympy.symbols("B", positive=True, integer=True)
    uniformly_controlled_ry_symb = UniformlyControlledRy(B)
    return uniformly_controlled_ry_symb


@bloq_example
def _uniformly_controlled_ry() -> UniformlyControlledRy:
    uniformly_controlled_ry = UniformlyControlledRy(4, angles=(0.3, -0.2, 1.1, 0.5))
    return uniformly_controlled_ry


@bloq_example
def _multiplexed_query_encoding_symb() -> MultiplexedQueryEncoding:
    B, d_q = sympy.symbols("B d_q", positive=True, integer=True)
    multiplexed_query_encoding_symb = MultiplexedQueryEncoding(B, d_q)
    return multiplexed_query_encoding_symb


@bloq_example
def _multiplexed_query_encoding() -> MultiplexedQueryEncoding:
    multiplexed_query_encoding = MultiplexedQueryEncoding(
        4, 1, queries=[[0.3], [1.1], [-0.7], [2.0]]
    )
    return multiplexed_query_encoding


@bloq_example
def _qram_query_encoding_symb() -> QRAMQueryEncoding:
    B, d_q = sympy.symbols("B d_q", positive=True, integer=True)
    qram_query_encoding_symb = QRAMQueryEncoding(B, d_q)
    return qram_query_encoding_symb


@bloq_example
def _qram_query_encoding() -> QRAMQueryEncoding:
    qram_query_encoding = QRAMQueryEncoding(
        4, 1, query_bits=2, words=[[1], [3], [0], [2]], scales=(0.4,)
    )
    return qram_query_encoding


_UNIFORMLY_CONTROLLED_RY_DOC = BloqDocSpec(
    bloq_cls=UniformlyControlledRy,
    examples=(_uniformly_controlled_ry_symb, _uniformly_controlled_ry),
)
_MULTIPLEXED_QUERY_ENCODING_DOC = BloqDocSpec(
    bloq_cls=MultiplexedQueryEncoding,
    examples=(_multiplexed_query_encoding_symb, _multiplexed_query_encoding),
)
_QRAM_QUERY_ENCODING_DOC = BloqDocSpec(
    bloq_cls=QRAMQueryEncoding, examples=(_qram_query_encoding_symb, _qram_query_encoding)
)
