"""One QLACI query: the stage bloqs (encoding ... readout) composed in the proposal's order."""

from functools import cached_property
from typing import Any, Optional

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
    QUInt,
    Register,
    Signature,
    bloq_example,
)
from qualtran.resource_counting import QubitCount, get_cost_value
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.checks import integer_rows, is_integer, text_tuple
from qlaci_cost.core.circuit_parts import angles_converter, check_int
from qlaci_cost.errors import InputError, describe_value
from qlaci_cost.qlaci.ansatz import Interaction, ScoreAggregation
from qlaci_cost.qlaci.encoding import IndexBasisState, IndexSuperposition, QueryEncoding
from qlaci_cost.qlaci.feature_map import KVFeatureMap
from qlaci_cost.qlaci.measurement import PauliMeasurement
from qlaci_cost.qlaci.phase_gradient import PhaseGradientPrep
from qlaci_cost.qram import build, build_symbolic
from qlaci_cost.qram.interface import address_bitsize, check_sizes
from qlaci_cost.qram.registry import padding_note
from qlaci_cost.symbolics.rounding import smax

__all__ = ["DEFAULT_QRAM_MODEL", "QLACIQuery", "pack_words"]

#: QRAM model used when none is named.
DEFAULT_QRAM_MODEL = "bucket-brigade"


def _keys(rows) -> Optional[tuple[tuple[int, ...], ...]]:
    return integer_rows(rows, "keys")


def _values(rows) -> Optional[tuple[tuple[int, ...], ...]]:
    return integer_rows(rows, "values")


def _options(opts) -> tuple:
    return tuple(sorted(dict(opts).items())) if opts else ()


def _own(bloq: Bloq) -> SymbolicInt:
    """Qubits of a bloq's own registers."""
    return bloq.signature.n_qubits()


def pack_words(keys, values, bits: int) -> tuple[int, ...]:
    """Words K_j || V_j: components (keys, then values) of `bits` bits, the first most significant.

    Raises:
        InputError: naming a component that is not an integer in [0, 2^bits).
    """
    words = []
    for j, (k, v) in enumerate(zip(keys, values)):
        word = 0
        for c, x in enumerate(tuple(k) + tuple(v)):
            if not is_integer(x) or not 0 <= x < 2**bits:
                raise InputError(
                    f"component {c} of position {j} is {describe_value(x)}: it must be an "
                    f"integer in [0, 2^{bits})"
                )
            word = (word << bits) | int(x)
        words.append(word)
    return tuple(words)


@frozen
class QLACIQuery(Bloq):
    """One QLACI query Q_i against N key-value pairs, composed of the stage bloqs in order.

    (1) `QueryEncoding` on R_Q; (2) `IndexSuperposition` on the log2 N index qubits (or
    `IndexBasisState` |j> when `position` = j: the single-position circuit); (3) QRAM load of
    the word K_j || V_j ((d_k + d_v) b bits) into a fresh loaded register, by any model of
    `qlaci_cost.qram`; (4) `KVFeatureMap` on R_KV controlled by the loaded bits; (5)
    `Interaction` U(theta) on R_Q, R_KV and `ScoreAggregation` U(phi) on R_Q, R_KV, R_out;
    (6) QRAM unload (the same bloq: XOR is self-inverse), after which the loaded register is
    |0> and freed; (7) `PauliMeasurement` of d_ctx observables on R_out (left out with
    `measure=False`, for state-vector analysis). With the index traced out, <P> on R_out is
    (1/N) sum_j <P>_j, the uniform average of the single-position circuits: a kernel average,
    not softmax attention.

    Defaults are the prototype: 4 query qubits, N = 16 (4 index qubits) and 3 ancilla/readout
    qubits split as R_KV = 2 (key qubit, value qubit: the K component drives kv qubit 0, the V
    component kv qubit 1) and R_out = 1 read out with Z (d_ctx = 1; pass
    `observables=("Z", "X", "Y")` for its Bloch vector). One key and one value component of
    b = 2 bits each.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        d_q: Query qubits (one per query component).
        bits: b, bits per loaded component.
        layers: L, layers of each of U(theta) and U(phi).
        d_ctx: Observables measured; default 1, or `len(observables)`.
        d_k: Key components per word.
        d_v: Value components per word.
        n_kv: Key-value qubits R_KV.
        n_out: Readout qubits R_out.
        reuploads: r, uploads of Q_i.
        qram_model: A name in `qlaci_cost.qram.MODELS`; default `bucket-brigade`.
        feature_map: `controlled-rotations` or `phase-gradient`.
        query: Q_i as d_q encoding angles, or None.
        keys: N rows of d_k integers in [0, 2^b), or None.
        values: N rows of d_v integers in [0, 2^b), or None.
        fm_angles: d_k + d_v feature-map angle scales (`controlled-rotations`), or None.
        theta: 2 (d_q + n_kv) L interaction angles, or None.
        phi: 2 (d_q + n_kv + n_out) L aggregation angles, or None.
        observables: Pauli strings on R_out, or None for Z on readout qubit k < d_ctx.
        position: j to run the single-position circuit (index |j>), or None (superposition).
        measure: Include the measurement stage.
        qram_options: Model options (a dict or (name, value) pairs), e.g. {"c": 1, "k": 2}.

    Registers:
        index: log2 N qubits, |0> in.
        query: d_q qubits (R_Q), |0> in.
        kv: n_kv qubits (R_KV), |0> in.
        out: n_out qubits (R_out), |0> in, measured in place.
        phase_grad: `phase-gradient` feature map only: b qubits, |0> in and out; the query
            prepares the phase-gradient state in it before the load and unprepares it after
            the feature map (`PhaseGradientPrep`). A register rather than an allocation, so
            that it is live from the start like a gradient state a computation keeps (and so
            that Qualtran's sequential qubit count cannot move its allocation into the QRAM).

    References:
        The QLACI proposal (Quantum Log-Attention via Conditional Interaction), as summarized in
        docs/design.md#purpose and docs/design.md#kernel-average-not-softmax.
        [Quantum random access memory](https://arxiv.org/abs/0708.1879). Giovannetti, Lloyd,
        Maccone 2008. The load/unload oracle.

    ## Cost
    Gate counts (exact for the QRAM model's worst-case data and generic angles; an angle equal
    to a Clifford or T angle is counted as that gate): the sum of the stages, the QRAM twice;
    rotations = r d_q + [2 C b, controlled rotations] + 2 (d_q + n_kv) L +
    2 (d_q + n_kv + n_out) L + [2 max(0, b - 3), phase gradient]. Qubits (exact):
    log2 N + d_q + n_kv + n_out + W + max over stages of (stage qubits - stage register
    qubits), W = (d_k + d_v) b (the phase-gradient register, when used, is a register). A
    metric the QRAM model only bounds is a bound here too (`bounds`). Depths (upper bound,
    `BOUNDS`): stages as blocks scheduled as
    soon as possible: t_load = D_index + D_qram, t_fm = t_load + D_fm,
    t_agg = max(D_enc, t_fm) + D_int + D_agg, depth = max(t_agg + D_meas, t_fm + D_qram) (the
    unload runs beside U(theta), U(phi) and the readout); the same for Toffoli and T depth. The
    gate-level schedule can overlap stages further (for example the feature map starts as soon
    as the loaded bits are ready, before the QRAM's routers are uncomputed).
    """

    n_cells: SymbolicInt = 16
    d_q: SymbolicInt = 4
    bits: SymbolicInt = 2
    layers: SymbolicInt = 1
    d_ctx: Optional[SymbolicInt] = None
    d_k: SymbolicInt = 1
    d_v: SymbolicInt = 1
    n_kv: SymbolicInt = 2
    n_out: SymbolicInt = 1
    reuploads: SymbolicInt = 1
    qram_model: str = DEFAULT_QRAM_MODEL
    feature_map: str = "controlled-rotations"
    query: Optional[tuple] = attrs.field(default=None, converter=angles_converter)
    keys: Optional[tuple] = attrs.field(default=None, converter=_keys)
    values: Optional[tuple] = attrs.field(default=None, converter=_values)
    fm_angles: Optional[tuple] = attrs.field(default=None, converter=angles_converter)
    theta: Optional[tuple] = attrs.field(default=None, converter=angles_converter)
    phi: Optional[tuple] = attrs.field(default=None, converter=angles_converter)
    observables: Optional[tuple] = attrs.field(
        default=None, converter=lambda v: text_tuple(v, "observables")
    )
    position: Optional[int] = None
    measure: bool = True
    qram_options: tuple = attrs.field(default=(), converter=_options)

    #: Metrics whose closed form is an upper bound on the decomposition's.
    BOUNDS = frozenset({"depth", "toffoli_depth", "t_depth"})

    def __attrs_post_init__(self):
        if self.d_ctx is None:
            object.__setattr__(
                self, "d_ctx", 1 if self.observables is None else len(self.observables)
            )
        check_sizes(self.n_cells, self.bits)
        for name in ("d_q", "layers", "d_k", "d_v", "n_kv", "n_out", "reuploads"):
            check_int(name, getattr(self, name), 1)
        for name, rows, width in (("keys", self.keys, self.d_k), ("values", self.values, self.d_v)):
            if rows is None:
                continue
            if is_symbolic(self.n_cells) or len(rows) != self.n_cells:
                raise InputError(f"{name} has {len(rows)} rows, N={self.n_cells} are needed")
            if any(len(r) != width for r in rows):
                raise InputError(f"every row of {name} needs {width} components")
        _ = self.stages  # builds and validates every stage

    # ---- stages -------------------------------------------------------------------------

    @cached_property
    def n_index(self) -> SymbolicInt:
        return address_bitsize(self.n_cells)

    @cached_property
    def word_bits(self) -> SymbolicInt:
        return (self.d_k + self.d_v) * self.bits

    @cached_property
    def words(self) -> Optional[tuple[int, ...]]:
        """The N loaded words K_j || V_j, or None when keys or values are not given."""
        if self.keys is None or self.values is None:
            return None
        return pack_words(self.keys, self.values, int(self.bits))

    @cached_property
    def encoding(self) -> QueryEncoding:
        return QueryEncoding(self.d_q, self.reuploads, angles=self.query)

    @cached_property
    def index_preparation(self) -> Bloq:
        if self.position is None:
            return IndexSuperposition(self.n_cells)
        return IndexBasisState(self.n_cells, self.position)

    @cached_property
    def qram(self) -> Bloq:
        opts = dict(self.qram_options)
        if self.words is None:
            return build_symbolic(self.qram_model, self.n_cells, self.word_bits, **opts)
        return build(self.qram_model, self.words, int(self.word_bits), **opts)

    @cached_property
    def kv_feature_map(self) -> KVFeatureMap:
        return KVFeatureMap(
            self.n_kv, self.d_k, self.d_v, self.bits, self.feature_map, angles=self.fm_angles
        )

    @cached_property
    def interaction(self) -> Interaction:
        return Interaction(self.d_q, self.n_kv, self.layers, angles=self.theta)

    @cached_property
    def aggregation(self) -> ScoreAggregation:
        return ScoreAggregation(self.d_q, self.n_kv, self.n_out, self.layers, angles=self.phi)

    @cached_property
    def measurement(self) -> PauliMeasurement:
        return PauliMeasurement(self.n_out, self.d_ctx, observables=self.observables)

    @property
    def uses_phase_gradient(self) -> bool:
        return self.feature_map == "phase-gradient"

    @cached_property
    def stages(self) -> tuple[tuple[str, Bloq], ...]:
        """(name, bloq) in circuit order; the QRAM appears as `load` and `unload`."""
        out = [("encoding", self.encoding), ("index", self.index_preparation)]
        if self.uses_phase_gradient:
            out.append(("gradient", PhaseGradientPrep(self.bits)))
        out += [("load", self.qram), ("feature_map", self.kv_feature_map)]
        if self.uses_phase_gradient:
            out.append(("gradient_unprep", PhaseGradientPrep(self.bits, uncompute=True)))
        out += [
            ("interaction", self.interaction),
            ("aggregation", self.aggregation),
            ("unload", self.qram),
        ]
        if self.measure:
            out.append(("measurement", self.measurement))
        return tuple(out)

    @property
    def trainable_parameters(self) -> SymbolicInt:
        """Angles of U(theta) and U(phi): 2 (d_q + n_kv) L + 2 (d_q + n_kv + n_out) L."""
        return self.interaction.n_parameters + self.aggregation.n_parameters

    @property
    def is_concrete(self) -> bool:
        """Every size an int and every data value and angle given: the bloq decomposes."""
        given = [self.query, self.keys, self.values, self.theta, self.phi]
        if self.feature_map == "controlled-rotations":
            given.append(self.fm_angles)
        sizes = (self.n_cells, self.d_q, self.bits, self.layers, self.d_k, self.d_v)
        return all(g is not None for g in given) and not is_symbolic(*sizes)

    @property
    def bounds(self) -> frozenset:
        """`BOUNDS` plus every metric the QRAM model's closed form only bounds."""
        return self.BOUNDS | frozenset(getattr(type(self.qram), "BOUNDS", ()))

    @property
    def cost_notes(self) -> tuple[str, ...]:
        notes = tuple(getattr(self.qram, "cost_notes", ()))
        note = padding_note(self.qram)
        return notes + ((note,) if note else ())

    # ---- bloq protocol ------------------------------------------------------------------

    @cached_property
    def signature(self) -> Signature:
        regs = [
            Register("index", QUInt(self.n_index)),
            Register("query", QAny(self.d_q)),
            Register("kv", QAny(self.n_kv)),
            Register("out", QAny(self.n_out)),
        ]
        if self.uses_phase_gradient:
            regs.append(Register("phase_grad", QUInt(self.bits)))
        return Signature(regs)

    def build_composite_bloq(self, bb: BloqBuilder, index, query, kv, out, **grad):
        if not self.is_concrete:
            raise DecomposeTypeError(f"{self} needs concrete sizes, data and angles to decompose")
        query = bb.add(self.encoding, query=query)
        return self.wire_after_encoding(bb, index, query, kv, out, grad)

    def wire_after_encoding(self, bb: BloqBuilder, index, query, kv, out, grad: dict) -> dict:
        """The stages after the query encoding, in the paper's order (also used by
        `MultiQueryQLACI`, which encodes B queries instead of one)."""
        index = bb.add(self.index_preparation, index=index)
        if self.uses_phase_gradient:
            grad["phase_grad"] = bb.add(PhaseGradientPrep(self.bits), **grad)
        loaded = bb.allocate(dtype=QUInt(self.word_bits))
        index, loaded = bb.add(self.qram, address=index, target=loaded)
        loaded, kv, *rest = bb.add(self.kv_feature_map, loaded=loaded, kv=kv, **grad)
        if self.uses_phase_gradient:
            grad["phase_grad"] = bb.add(
                PhaseGradientPrep(self.bits, uncompute=True), phase_grad=rest[0]
            )
        query, kv = bb.add(self.interaction, query=query, kv=kv)
        query, kv, out = bb.add(self.aggregation, query=query, kv=kv, out=out)
        index, loaded = bb.add(self.qram, address=index, target=loaded)
        bb.free(loaded)
        if self.measure:
            out = bb.add(self.measurement, out=out)
        return {"index": index, "query": query, "kv": kv, "out": out, **grad}

    def build_call_graph(self, ssa):
        counts: dict = {}
        for _, bloq in self.stages:
            counts[bloq] = counts.get(bloq, 0) + 1
        return counts

    def _stage_value(self, bloq: Bloq, cost_key) -> Any:
        return get_cost_value(bloq, cost_key)

    def my_static_costs(self, cost_key):
        from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth

        if isinstance(cost_key, QubitCount):
            # Registers alive throughout, plus the loaded word, plus the largest stage extra.
            # Registers alive throughout (the gradient register is one of them), the loaded
            # word, and the largest extra of a stage over its own registers.
            extra = smax(*[get_cost_value(b, cost_key) - _own(b) for _, b in self.stages])
            return self.signature.n_qubits() + self.word_bits + smax(0, extra)
        if isinstance(cost_key, (Depth, ToffoliDepth, TDepth)):
            # Stages as blocks, each starting when its last input register is ready.
            d = {name: get_cost_value(b, cost_key) for name, b in self.stages}
            t_load = d["index"] + d["load"]
            t_fm = smax(t_load, d.get("gradient", 0)) + d["feature_map"]
            t_agg = smax(d["encoding"], t_fm) + d["interaction"] + d["aggregation"]
            ends = [t_agg + d.get("measurement", 0), t_fm + d["unload"]]
            if self.uses_phase_gradient:
                ends.append(t_fm + d["gradient_unprep"])
            return smax(*ends)
        return NotImplemented

    def __str__(self):
        where = "superposed" if self.position is None else f"position={self.position}"
        return f"QLACIQuery(N={self.n_cells}, {self.qram_model}, {self.feature_map}, {where})"


@bloq_example
def _qlaci_query_symb() -> QLACIQuery:
    N = sympy.symbols("N", positive=True, integer=True)
    qlaci_query_symb = QLACIQuery(N)
    return qlaci_query_symb


@bloq_example
def _qlaci_query() -> QLACIQuery:
    rng = np.random.default_rng(7)
    qlaci_query = QLACIQuery(
        n_cells=4,
        d_q=1,
        bits=1,
        query=(0.8,),
        keys=rng.integers(0, 2, size=(4, 1)),
        values=rng.integers(0, 2, size=(4, 1)),
        fm_angles=(0.9, -0.4),
        theta=rng.uniform(-np.pi, np.pi, 6),
        phi=rng.uniform(-np.pi, np.pi, 8),
    )
    return qlaci_query


_QLACI_QUERY_DOC = BloqDocSpec(bloq_cls=QLACIQuery, examples=(_qlaci_query_symb, _qlaci_query))
