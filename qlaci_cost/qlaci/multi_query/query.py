"""Multi-query QLACI: B queries in superposition over a query-index register, one circuit."""

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
    QUInt,
    Register,
    Signature,
    bloq_example,
)
from qualtran.resource_counting import QubitCount, get_cost_value
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.checks import integer_rows
from qlaci_cost.core.circuit_parts import angles_converter, check_int, static_costs
from qlaci_cost.errors import InputError
from qlaci_cost.qlaci.encoding import IndexSuperposition
from qlaci_cost.qlaci.measurement import MeasureZInPlace
from qlaci_cost.qlaci.query import QLACIQuery, smax
from qlaci_cost.qlaci.query_loading import (
    QUERY_METHODS,
    MultiplexedQueryEncoding,
    QRAMQueryEncoding,
    batch_bits,
    check_batch,
)

__all__ = ["BatchIndexMeasurement", "MultiQueryQLACI"]


@frozen
class BatchIndexMeasurement(Bloq):
    """Z measurement of each of the log2 B query-index qubits, in place (keys b0, b1, ...).

    ## Cost
    Exact: measurements = log2 B; depth = 1 (0 for B = 1); qubits = log2 B.
    """

    n_batch: SymbolicInt

    @cached_property
    def n_bits(self) -> SymbolicInt:
        return batch_bits(self.n_batch)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("batch", QUInt(self.n_bits))])

    def build_composite_bloq(self, bb: BloqBuilder, batch):
        if is_symbolic(self.n_batch):
            raise DecomposeTypeError(f"{self} needs a concrete B to decompose")
        qs = [bb.add(MeasureZInPlace(key=f"b{k}"), q=q) for k, q in enumerate(bb.split(batch))]
        return {"batch": bb.join(qs, dtype=QUInt(self.n_bits))}

    def build_call_graph(self, ssa):
        return {MeasureZInPlace(key="b"): self.n_bits}

    def my_static_costs(self, cost_key):
        return static_costs(
            cost_key,
            qubits=self.n_bits,
            depth=sympy.Min(1, self.n_bits) if is_symbolic(self.n_bits) else min(1, self.n_bits),
            toffoli_layers=0,
            t_depth=lambda key: 0,
        )

    def __str__(self):
        return f"BatchIndexMeasurement(B={self.n_batch})"


def _rows(rows) -> Optional[tuple]:
    if rows is None:
        return None
    return tuple(angles_converter(np.atleast_1d(r)) for r in rows)


def _ints(rows) -> Optional[tuple]:
    return integer_rows(rows, "query_words")


@frozen
class MultiQueryQLACI(Bloq):
    """B QLACI queries in one circuit: a query-index register in uniform superposition.

    Stages: H on the log2 B query-index qubits (`IndexSuperposition(B)`); the B queries
    loaded coherently onto R_Q by `method` (`multiplexed`: `MultiplexedQueryEncoding`,
    uniformly controlled rotations; `qram`: `QRAMQueryEncoding`, a QRAM over B cells of query
    words); then the `template` query's stages unchanged (index superposition, the shared
    key/value QRAM load, feature map, U(theta), U(phi), unload, readout); finally the query
    index is measured (`BatchIndexMeasurement`). The state before measurement is
    (1/sqrt(B)) sum_b |b> (x) U_b |0>, U_b the single-query circuit for Q_b, so one execution
    yields b uniformly at random and a readout distributed as `QLACIQuery` for Q_b
    (docs/derivations/multi_query.md, section 1).

    Args:
        template: The per-query circuit (N, d_q, b, QRAM model, angles, ...); its `query`
            angles are not used. Default: the prototype `QLACIQuery()`.
        n_batch: B, queries per circuit, a power of two >= 1 (B = 1 is the single query), or
            a symbol.
        method: `multiplexed` (default) or `qram`.
        queries: `multiplexed`: B rows of d_q angles; or None (size-only).
        query_words: `qram`: B rows of d_q integers in [0, 2^query_bits); or None.
        query_scales: `qram`: d_q angle scales (Q_b[k] = scale_k x_b[k]); or None.
        query_bits: `qram`: b_q bits per query component.
        query_qram_model: `qram`: the QRAM model over the queries (default `qrom`).
        measure: Include both measurements (readout and query index).

    Registers:
        batch: log2 B qubits, |0> in, measured in place (absent for B = 1).
        index, query, kv, out (and phase_grad): as `QLACIQuery`.

    References:
        The QLACI proposal's section 3.5.3 (multi-query encodings), as summarized in
        docs/derivations/multi_query.md.
        [Transformation of quantum states using uniformly controlled
        rotations](https://arxiv.org/abs/quant-ph/0407010). Mottonen et al. 2004.

    ## Cost
    Gate counts (exact): the template query's counts with its encoding replaced by the
    B-query encoding, plus log2 B H gates and log2 B measurements. `multiplexed` adds
    r d_q (B - 1) rotations and r d_q B min(1, log2 B) CNOTs over the single query. Qubits:
    log2 B + the query's registers + W + the encoding's extra + the largest extra of the other
    stages (exact for `multiplexed`, whose extra is 0; an upper bound for `qram`, whose query
    word and QRAM ancillas may or may not be alive beside the key/value load, depending on
    the schedule). Depths (upper bound, `BOUNDS`): the stage-block schedule of `QLACIQuery`
    with the encoding after the query-index preparation and the index measurement after the
    encoding.
    """

    template: QLACIQuery = attrs.field(factory=QLACIQuery)
    n_batch: SymbolicInt = 2
    method: str = "multiplexed"
    queries: Optional[tuple] = attrs.field(default=None, converter=_rows)
    query_words: Optional[tuple] = attrs.field(default=None, converter=_ints)
    query_scales: Optional[tuple] = attrs.field(default=None, converter=angles_converter)
    query_bits: SymbolicInt = 2
    query_qram_model: str = "qrom"
    measure: bool = True

    BOUNDS = QLACIQuery.BOUNDS

    def __attrs_post_init__(self):
        if not isinstance(self.template, QLACIQuery):
            raise InputError(f"template={self.template!r} is not allowed: a QLACIQuery is needed")
        check_batch(self.n_batch)
        if self.method not in QUERY_METHODS:
            allowed = ", ".join(QUERY_METHODS)
            raise InputError(f"query method {self.method!r} is not allowed: use one of {allowed}")
        check_int("query_bits", self.query_bits, 1)
        if not is_symbolic(self.n_batch, self.template.n_cells):
            if self.n_batch > self.template.n_cells:
                raise InputError(
                    f"B={self.n_batch} is not allowed: at most N={self.template.n_cells} "
                    "queries per circuit"
                )
        _ = self.stages

    @property
    def n_cells(self) -> SymbolicInt:
        return self.template.n_cells

    @cached_property
    def n_ctrl(self) -> SymbolicInt:
        return batch_bits(self.n_batch)

    @cached_property
    def single(self) -> QLACIQuery:
        """The template with the measurement stage as requested (its encoding unused)."""
        return attrs.evolve(self.template, measure=self.measure)

    @cached_property
    def encoding(self) -> Bloq:
        t = self.template
        if self.method == "multiplexed":
            return MultiplexedQueryEncoding(self.n_batch, t.d_q, t.reuploads, self.queries)
        return QRAMQueryEncoding(
            self.n_batch,
            t.d_q,
            self.query_bits,
            t.reuploads,
            self.query_qram_model,
            self.query_words,
            self.query_scales,
        )

    def query_angles(self, b: int) -> tuple:
        """Q_b: the angles branch b encodes (concrete queries)."""
        if self.method == "multiplexed":
            return tuple(self.queries[b])
        return tuple(float(x) for x in self.encoding.angles()[b])

    def single_query(self, b: int) -> QLACIQuery:
        """The single-query circuit for Q_b (the reference branch b must equal)."""
        return attrs.evolve(self.template, query=self.query_angles(b), measure=self.measure)

    @cached_property
    def stages(self) -> tuple[tuple[str, Bloq], ...]:
        """(name, bloq) in circuit order: batch, encoding, the query's stages after its
        encoding, batch_measurement (B >= 2 or symbolic only for the batch stages)."""
        has_batch = self.n_ctrl != 0
        out = [("batch", IndexSuperposition(self.n_batch))] if has_batch else []
        out.append(("encoding", self.encoding))
        out += [s for s in self.single.stages if s[0] != "encoding"]
        if self.measure and has_batch:
            out.append(("batch_measurement", BatchIndexMeasurement(self.n_batch)))
        return tuple(out)

    @property
    def is_concrete(self) -> bool:
        t = self.template
        if is_symbolic(self.n_batch, t.n_cells, t.d_q, t.bits, t.layers, t.d_k, t.d_v):
            return False  # before building a d_q-long query (d_q may be huge in a size-only bloq)
        t = attrs.evolve(t, query=(0.0,) * int(t.d_q))
        if not t.is_concrete:
            return False
        if self.method == "multiplexed":
            return self.queries is not None
        return self.query_words is not None and self.query_scales is not None

    @property
    def bounds(self) -> frozenset:
        """`BOUNDS`, the template's, and `qubits` for the `qram` loader (see ## Cost)."""
        extra = frozenset({"qubits"}) if self.method == "qram" else frozenset()
        return self.BOUNDS | self.template.bounds | extra

    @property
    def cost_notes(self) -> tuple[str, ...]:
        return tuple(self.template.cost_notes) + (
            f"multi-query: B = {self.n_batch} queries per circuit loaded by '{self.method}'; "
            "each execution measures the query index and yields one sample of one uniformly "
            "random query",
        )

    # ---- bloq protocol ------------------------------------------------------------------

    @cached_property
    def signature(self) -> Signature:
        regs = [] if self.n_ctrl == 0 else [Register("batch", QUInt(self.n_ctrl))]
        return Signature(regs + list(self.template.signature))

    def build_composite_bloq(self, bb: BloqBuilder, index, query, kv, out, batch=None, **grad):
        if not self.is_concrete:
            raise DecomposeTypeError(f"{self} needs concrete sizes, data and angles to decompose")
        q = self.single
        if batch is not None:
            batch = bb.add(IndexSuperposition(self.n_batch), index=batch)
            batch, query = bb.add(self.encoding, batch=batch, query=query)
        else:
            query = bb.add(self.encoding, query=query)
        soqs = q.wire_after_encoding(bb, index, query, kv, out, grad)
        if self.measure and batch is not None:
            batch = bb.add(BatchIndexMeasurement(self.n_batch), batch=batch)
        return soqs if batch is None else {"batch": batch, **soqs}

    def build_call_graph(self, ssa):
        counts: dict = {}
        for _, bloq in self.stages:
            counts[bloq] = counts.get(bloq, 0) + 1
        return counts

    def my_static_costs(self, cost_key):
        from qlaci_cost.core.depth import Depth, TDepth, ToffoliDepth

        if isinstance(cost_key, QubitCount):
            # Registers, the loaded word W, the largest extra of the later stages, and the
            # encoding's extra (the `qram` loader's word and QRAM ancillas): the encoding can
            # run beside the key/value load, so its extra is added (an upper bound for `qram`,
            # exact for `multiplexed`, whose extra is 0).
            def extra(b):
                return get_cost_value(b, cost_key) - b.signature.n_qubits()

            enc = smax(0, extra(self.encoding))
            rest = smax(0, *[extra(b) for n, b in self.stages if n != "encoding"])
            return self.signature.n_qubits() + self.single.word_bits + enc + rest
        if isinstance(cost_key, (Depth, ToffoliDepth, TDepth)):
            d = {name: get_cost_value(b, cost_key) for name, b in self.stages}
            t_enc = d.get("batch", 0) + d["encoding"]
            t_load = d["index"] + d["load"]
            t_fm = smax(t_load, d.get("gradient", 0)) + d["feature_map"]
            t_agg = smax(t_enc, t_fm) + d["interaction"] + d["aggregation"]
            ends = [t_agg + d.get("measurement", 0), t_fm + d["unload"]]
            if "gradient_unprep" in d:
                ends.append(t_fm + d["gradient_unprep"])
            if "batch_measurement" in d:
                ends.append(t_enc + d["batch_measurement"])
            return smax(*ends)
        return NotImplemented

    def __str__(self):
        return f"MultiQueryQLACI(N={self.n_cells}, B={self.n_batch}, {self.method})"


@bloq_example
def _batch_index_measurement_symb() -> BatchIndexMeasurement:
    B = sympy.symbols("B", positive=True, integer=True)
    batch_index_measurement_symb = BatchIndexMeasurement(B)
    return batch_index_measurement_symb


@bloq_example
def _batch_index_measurement() -> BatchIndexMeasurement:
    batch_index_measurement = BatchIndexMeasurement(4)
    return batch_index_measurement


@bloq_example
def _multi_query_qlaci_symb() -> MultiQueryQLACI:
    N, B = sympy.symbols("N B", positive=True, integer=True)
    multi_query_qlaci_symb = MultiQueryQLACI(QLACIQuery(N), B)
    return multi_query_qlaci_symb


@bloq_example
def _multi_query_qlaci() -> MultiQueryQLACI:
    rng = np.random.default_rng(7)
    template = QLACIQuery(
        n_cells=4,
        d_q=1,
        bits=1,
        query=(0.0,),
        keys=rng.integers(0, 2, size=(4, 1)),
        values=rng.integers(0, 2, size=(4, 1)),
        fm_angles=(0.9, -0.4),
        theta=rng.uniform(-np.pi, np.pi, 6),
        phi=rng.uniform(-np.pi, np.pi, 8),
    )
    multi_query_qlaci = MultiQueryQLACI(template, 2, queries=[[0.8], [-1.3]])
    return multi_query_qlaci


_BATCH_INDEX_MEASUREMENT_DOC = BloqDocSpec(
    bloq_cls=BatchIndexMeasurement,
    examples=(_batch_index_measurement_symb, _batch_index_measurement),
)
_MULTI_QUERY_QLACI_DOC = BloqDocSpec(
    bloq_cls=MultiQueryQLACI, examples=(_multi_query_qlaci_symb, _multi_query_qlaci)
)
