"""Every `@bloq_example` of the package runs: it builds, `cost_summary` counts it, a concrete
example's decomposition is valid and its leaf-by-leaf counts agree with `cost_summary`, and a
symbolic example's closed forms, at the sizes of its concrete partner (`_x_symb` and `_x`),
agree with that partner's circuit.

The examples are found by importing every module of the package, so an example added anywhere
is run without being listed here; a module the walk misses fails
`test_every_decorated_example_is_found`.
"""

import functools
import importlib
import pkgutil
import re
from pathlib import Path

import attrs
import pytest
import sympy
from qualtran import (
    Bloq,
    BloqExample,
    CompositeBloq,
    DecomposeNotImplementedError,
    DecomposeTypeError,
    Signature,
)
from qualtran.testing import assert_bloq_example_make, assert_valid_cbloq

import qlaci_cost
from qlaci_cost import cost_summary
from qlaci_cost.core.decomposed import decomposed_summary
from qlaci_cost.core.summary import METRICS, CostSummary
from qlaci_cost.qlaci.measurement import PauliMeasurement
from qlaci_cost.qlaci.multi_query.query import MultiQueryQLACI
from qlaci_cost.qlaci.query import QLACIQuery
from qlaci_cost.qlaci.query_loading import QRAMQueryEncoding, worst_case_words
from qlaci_cost.qlam.readout import DirectReadout
from qlaci_cost.qram import model_class
from qlaci_cost.qram.bucket_brigade import MemoryWrite
from qlaci_cost.qram.interface import QRAMInterface
from qlaci_cost.qram.parallel_memory import ParallelMemoryWrite, PlaneWrite

PACKAGE_DIR = Path(qlaci_cost.__file__).parent


def _module_names() -> list[str]:
    """Every module of the package except `__main__` ones (importing those runs the CLI)."""
    names = [m.name for m in pkgutil.walk_packages(qlaci_cost.__path__, "qlaci_cost.")]
    return [n for n in names if n.rsplit(".", 1)[-1] != "__main__"]


def _find_examples() -> list[BloqExample]:
    """The module-level `BloqExample`s of every module, each once, sorted by name."""
    found: dict[int, BloqExample] = {}
    for name in _module_names():
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, BloqExample):
                found[id(value)] = value
    return sorted(found.values(), key=lambda e: e.name)


EXAMPLES = _find_examples()
BY_NAME = {e.name: e for e in EXAMPLES}


def _decorated_count() -> int:
    """`@bloq_example` decorators in the package's source text."""
    pattern = re.compile(r"^@bloq_example\b", re.MULTILINE)
    return sum(len(pattern.findall(p.read_text())) for p in PACKAGE_DIR.rglob("*.py"))


def _decomposition(bloq: Bloq) -> CompositeBloq | None:
    """`bloq`'s decomposition, or None when it has none (symbolic sizes, an assumed oracle)."""
    try:
        return bloq.decompose_bloq()
    except (DecomposeTypeError, DecomposeNotImplementedError):
        return None


def _bounds(bloq: Bloq) -> frozenset:
    """The metrics `bloq`'s closed forms only bound (its `bounds`, else its class's `BOUNDS`)."""
    bounds = getattr(bloq, "bounds", None)
    return frozenset(getattr(type(bloq), "BOUNDS", ()) if bounds is None else bounds)


def _has_symbolic_size(bloq: Bloq) -> bool:
    """Whether any field of `bloq` (or of a bloq inside it) is a sympy expression in symbols."""
    for field in attrs.fields(type(bloq)):
        value = getattr(bloq, field.name)
        if isinstance(value, sympy.Basic) and value.free_symbols:
            return True
        if isinstance(value, Bloq) and attrs.has(type(value)) and _has_symbolic_size(value):
            return True
    return False


@functools.cache
def _measured(bloq: Bloq) -> CostSummary:
    """`decomposed_summary(bloq)`, once per bloq (an example's case and its symbolic
    partner's case measure the same circuit when the example's data is its worst case)."""
    return decomposed_summary(bloq)


def _disagreements(closed: CostSummary, measured: CostSummary, bounds: frozenset) -> list[str]:
    """Metrics where the closed form is not equal to (for `bounds`: not >=) the measurement."""
    problems = []
    for m in METRICS:
        c, d = getattr(closed, m), getattr(measured, m)
        if (m in bounds and not d <= c) or (m not in bounds and d != c):
            want = "<=" if m in bounds else "=="
            problems.append(f"{m}: closed form {c}, decomposition {d} (want decomposition {want})")
    return problems


def _equal(a, b) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays and the like compare element by element
        return False


def _symbolic_twin(symbolic: Bloq, concrete: Bloq, sizes: dict) -> Bloq:
    """`symbolic` with every non-size parameter of `concrete` (e.g. `d_q`, a precision), so
    that its closed forms at `sizes` (symbol -> `concrete`'s value, filled in here) describe
    `concrete`'s circuit. Data fields (None in `symbolic`) stay None: closed forms are for the
    worst case, sizes only."""
    assert type(symbolic) is type(concrete), f"{symbolic} and {concrete} are different bloqs"
    changes = {}
    for field in attrs.fields(type(symbolic)):
        if not field.init:
            continue
        s, c = getattr(symbolic, field.name), getattr(concrete, field.name)
        if isinstance(s, sympy.Symbol):
            sizes[s] = c
        elif isinstance(s, Bloq) and attrs.has(type(s)):
            twin = _symbolic_twin(s, c, sizes)
            if twin is not s:
                changes[field.alias] = twin
        elif s is not None and not _equal(s, c):
            changes[field.alias] = c
    return attrs.evolve(symbolic, **changes) if changes else symbolic


def _worst_case(bloq: Bloq) -> Bloq:
    """`bloq` with the data its closed forms are exact for (each class's `## Cost`): a QRAM
    model's `worst_case_data`; every bit 1 for a memory write; a QLACI query (or a query
    encoding) loading its QRAM model's worst-case words, and a multi-query circuit such a
    template (its `multiplexed` queries are angles); readouts in their default Z basis. Other
    bloqs' closed forms hold for every data (generic angles)."""
    if isinstance(bloq, QRAMInterface) and bloq.data is not None:
        return attrs.evolve(bloq, data=type(bloq).worst_case_data(bloq.n_cells, bloq.bits))
    if isinstance(bloq, (MemoryWrite, ParallelMemoryWrite)) and bloq.data is not None:
        return attrs.evolve(bloq, data=(2**bloq.bits - 1,) * bloq.n_cells)
    if isinstance(bloq, PlaneWrite) and bloq.pattern is not None:
        return attrs.evolve(bloq, pattern=(1,) * bloq.n_cells)
    if isinstance(bloq, QLACIQuery) and bloq.words is not None:
        n, b, d_k = bloq.n_cells, bloq.bits, bloq.d_k
        words = model_class(bloq.qram_model).worst_case_data(n, bloq.word_bits)
        rows = _split_words(words, bloq.d_k + bloq.d_v, b)
        return attrs.evolve(bloq, keys=[r[:d_k] for r in rows], values=[r[d_k:] for r in rows])
    if isinstance(bloq, QRAMQueryEncoding) and bloq.words is not None:
        words = worst_case_words(bloq.qram_model, bloq.n_batch, bloq.d_q, bloq.query_bits)
        return attrs.evolve(bloq, words=words)
    if isinstance(bloq, MultiQueryQLACI):
        return attrs.evolve(bloq, template=_worst_case(bloq.template))
    if isinstance(bloq, DirectReadout):
        return attrs.evolve(bloq, bases=None)
    if isinstance(bloq, PauliMeasurement):
        return attrs.evolve(bloq, observables=None)
    return bloq


def _split_words(words, components: int, bits: int) -> list[tuple[int, ...]]:
    """Each word split into `components` fields of `bits` bits, the first most significant
    (the inverse of `qlaci.query.pack_words`)."""
    mask = 2**bits - 1
    shifts = [bits * (components - 1 - c) for c in range(components)]
    return [tuple((w >> s) & mask for s in shifts) for w in words]


def _pair(example: BloqExample) -> BloqExample | None:
    """The concrete partner of a symbolic example (`_x` for `_x_symb`), if there is one."""
    return (
        BY_NAME.get(example.name.removesuffix("_symb")) if example.name.endswith("_symb") else None
    )


def test_every_decorated_example_is_found():
    """The module walk finds at least every `@bloq_example` in the source text, and the
    example names (the test ids) are unique."""
    decorated = _decorated_count()
    assert decorated > 0
    assert len(EXAMPLES) >= decorated, f"found {len(EXAMPLES)} examples, {decorated} decorated"
    assert len(BY_NAME) == len(EXAMPLES), "two examples share a name"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_bloq_example(example):
    """Builds; has a signature; `cost_summary` gives every metric as an int or a sympy
    expression. Concrete: the decomposition (if any) is valid and its leaf counts equal
    `cost_summary`'s (are <= for the bloq's bounds). Symbolic: see `_check_symbolic`."""
    assert_bloq_example_make(example)
    bloq = example.make()
    assert isinstance(bloq.signature, Signature) and bloq.signature.n_qubits() is not None
    summary = cost_summary(bloq)
    assert isinstance(summary, CostSummary)
    for m, value in summary.metrics().items():
        assert isinstance(value, (int, sympy.Basic)) and not isinstance(value, bool), (m, value)
    if _has_symbolic_size(bloq):
        _check_symbolic(example, bloq, summary)
        return
    assert not summary.is_symbolic, summary.metrics()
    cbloq = _decomposition(bloq)
    if cbloq is None:
        return  # no circuit (an assumed oracle, shots x a query): its closed forms only
    assert_valid_cbloq(cbloq)
    problems = _disagreements(summary, _measured(bloq), _bounds(bloq))
    assert not problems, "; ".join(problems)


def _check_symbolic(example: BloqExample, bloq: Bloq, summary: CostSummary) -> None:
    """Symbolic sizes: sympy expressions, no decomposition; where a concrete partner exists,
    the closed forms at its sizes equal its worst-case decomposition (are >= it for bounded
    metrics) or, when it has no decomposition, its own numeric closed forms."""
    assert summary.is_symbolic, f"symbolic sizes, numeric summary {summary.metrics()}"
    assert _decomposition(bloq) is None, "a bloq with symbolic sizes decomposed"
    partner = _pair(example)
    if partner is None:
        return
    concrete = partner.make()
    sizes: dict = {}
    twin = _symbolic_twin(bloq, concrete, sizes)
    closed = summary if twin is bloq else cost_summary(twin)
    exprs = [v for v in closed.metrics().values() if isinstance(v, sympy.Basic)]
    symbols = set().union(*(e.free_symbols for e in exprs))
    closed = closed.subs({s: v for s, v in sizes.items() if s in symbols})
    assert not closed.is_symbolic, f"symbols left after substituting {sizes}: {closed.metrics()}"
    assert not any("padded" in n for n in closed.notes), closed.notes
    worst = _worst_case(concrete)
    if _decomposition(worst) is None:
        measured, bounds = cost_summary(worst), frozenset()
    else:
        measured, bounds = _measured(worst), _bounds(worst)
    problems = _disagreements(closed, measured, bounds)
    assert not problems, f"{partner.name} at {sizes}: " + "; ".join(problems)
