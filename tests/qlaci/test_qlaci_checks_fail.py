"""The QLACI checks fail on crafted wrong circuits, each error just above the tolerance of the
check that must see it, and pass the same flaw just below it.

- `check_kernel_average` (Cirq state vectors up to N = 8, tolerance 1e-6 on <X,Y,Z>; the sparse
  simulation above, 1e-9; ancillas |0> to 1e-9 in probability, or exactly per branch when
  sparse): the superposed query built with its query angle off by delta (the N
  single-position circuits stay right), or a QRAM that leaves the loaded word rotated.
- `check_batch_branches` (multi-query, Cirq: P(b) = 1/B to 1e-9, <X,Y,Z | b> equal to the single
  query for Q_b to 1e-6, ancillas to 1e-9): the batch index prepared slightly off uniform, the
  single-query reference off by delta, or the rotating QRAM.
"""

import attrs
import numpy as np
import pytest
from qualtran import QUInt
from qualtran.bloqs.basic_gates import Rx, Ry

from qlaci_cost.core.flatten import flatten_until
from qlaci_cost.qlaci import verify
from qlaci_cost.qlaci.encoding import IndexSuperposition
from qlaci_cost.qlaci.multi_query import verify as multi_query_verify
from qlaci_cost.qlaci.multi_query.query import MultiQueryQLACI


@pytest.fixture
def superposed_query_off_by(monkeypatch):
    """`off_by(delta)`: `check_kernel_average` builds its superposed query with the query
    angle + delta; the single-position circuits (position=j) keep the right angle."""
    original = verify.seeded_query

    def off_by(delta):
        def seeded_query(*args, **kwargs):
            query = original(*args, **kwargs)
            if kwargs.get("position") is None:
                query = attrs.evolve(query, query=tuple(a + delta for a in query.query))
            return query

        monkeypatch.setattr(verify, "seeded_query", seeded_query)

    return off_by


def rotate_word(angle):
    """A QRAM flaw: Rx(angle) on the loaded word's low bit (twice per query: load, unload)."""

    def flaw(bb, a, t):
        t[-1] = bb.add(Rx(angle), q=t[-1])

    return flaw


def test_state_vector_average_fails_just_above_its_tolerance(superposed_query_off_by):
    """N = 2 (Cirq): delta = 2e-5 moves <Z> by 1.14e-6 (> 1e-6): FAIL naming register out;
    delta = 1e-6 (~6e-8): PASS."""
    superposed_query_off_by(2e-5)
    above = verify.check_kernel_average("qrom", 2)
    assert not above.ok and above.detail.startswith("register out: <X,Y,Z>"), above.line()
    superposed_query_off_by(1e-6)
    below = verify.check_kernel_average("qrom", 2)
    assert below.ok and "qubits" in below.detail, below.line()


def test_sparse_average_fails_just_above_its_tolerance(superposed_query_off_by):
    """N = 16 (sparse runs): delta = 5e-6 moves <Z> by ~1e-8 (> 1e-9): FAIL; delta = 5e-9:
    PASS."""
    superposed_query_off_by(5e-6)
    above = verify.check_kernel_average("qrom", 16)
    assert not above.ok and above.detail.startswith("<X,Y,Z> = "), above.line()
    superposed_query_off_by(5e-9)
    below = verify.check_kernel_average("qrom", 16)
    assert below.ok and below.detail.startswith("sparse"), below.line()


def test_a_dirty_loaded_word_fails_the_ancilla_check(flawed_qram):
    """The QRAM rotates the loaded word by Rx(t) at load and again at unload: the word
    register (an ancilla of the query) ends in |1> with probability sin^2(t) and the averages
    still agree (the flaw is the same in every branch), so only the ancilla check can fail.
    Cirq (N = 2): t = 1e-4 (1e-8 > 1e-9) fails, t = 1e-6 (1e-12) passes. Sparse (N = 16): any
    amplitude above PRUNE = 1e-12 fails, t = 1e-10; t = 1e-14 passes."""
    above = verify.check_kernel_average(flawed_qram("rx-1e-4", rotate_word(1e-4)), 2)
    assert not above.ok and above.detail == "position=0: an ancilla is not back in |0>"
    assert verify.check_kernel_average(flawed_qram("rx-1e-6", rotate_word(1e-6)), 2).ok
    sparse = verify.check_kernel_average(flawed_qram("rx-1e-10", rotate_word(1e-10)), 16)
    assert not sparse.ok and "not |0> in every branch" in sparse.detail, sparse.line()
    assert verify.check_kernel_average(flawed_qram("rx-1e-14", rotate_word(1e-14)), 16).ok


@pytest.fixture
def fresh_branches():
    """`check_batch_branches` caches its simulations per (model, N, B, seed): clear them
    around a test that changes the circuits."""
    multi_query_verify._branches.cache_clear()
    yield
    multi_query_verify._branches.cache_clear()


def test_a_batch_index_off_uniform_fails(monkeypatch, fresh_branches):
    """Ry(eps) after the batch register's H (B = 2): P(b) = (1 -+ sin eps) / 2. eps = 2e-8
    (P off by 1e-8 > 1e-9) fails naming P(b); eps = 2e-11 passes. The query's own index
    register (N = 4) is left alone."""
    original = IndexSuperposition.build_composite_bloq

    def off_uniform(eps):
        def build(self, bb, index):
            out = original(self, bb, index)
            if self.n_cells != 2:
                return out
            qs = list(bb.split(out["index"]))
            qs[0] = bb.add(Ry(eps), q=qs[0])
            return {"index": bb.join(np.array(qs), dtype=QUInt(self.n_index))}

        monkeypatch.setattr(IndexSuperposition, "build_composite_bloq", build)
        multi_query_verify._branches.cache_clear()
        flatten_until.cache_clear()

    off_uniform(2e-8)
    above = multi_query_verify.check_batch_branches("qrom", 4, 2)
    assert not above.ok and above.detail.startswith("B=2: P(b) = "), above.line()
    off_uniform(2e-11)
    assert multi_query_verify.check_batch_branches("qrom", 4, 2).ok


def test_a_branch_off_its_single_query_fails(monkeypatch, fresh_branches):
    """The reference single query for Q_b built with Q_b + delta: delta = 2e-5 (readout of
    b = 0 off by 1.46e-6 > 1e-6) fails naming b and register out; delta = 1e-6 passes."""
    original = MultiQueryQLACI.single_query

    def off_by(delta):
        def single_query(self, b):
            query = original(self, b)
            return attrs.evolve(query, query=tuple(a + delta for a in query.query))

        monkeypatch.setattr(MultiQueryQLACI, "single_query", single_query)
        multi_query_verify._branches.cache_clear()

    off_by(2e-5)
    above = multi_query_verify.check_batch_branches("qrom", 2, 2)
    assert not above.ok and "b=0, register out" in above.detail, above.line()
    off_by(1e-6)
    assert multi_query_verify.check_batch_branches("qrom", 2, 2).ok


def test_a_dirty_loaded_word_fails_the_batch_ancilla_check(flawed_qram, fresh_branches):
    """The rotating QRAM under the multi-query circuit: branches still equal their single
    queries, the ancillas are |0> with probability 1 - ~1e-8 (t = 1e-4): FAIL."""
    model = flawed_qram("batch-rx-1e-4", rotate_word(1e-4))
    result = multi_query_verify.check_batch_branches(model, 2, 2)
    assert not result.ok and result.detail.startswith("B=2: ancillas |0> w.p."), result.line()
