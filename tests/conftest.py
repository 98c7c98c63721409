"""Fixtures shared by every test folder (the folders mirror the package's)."""

import contextlib
import os
from pathlib import Path

import attrs
import numpy as np
import pytest
from attrs import frozen
from qualtran import Bloq

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS
from qlaci_cost.core.family import FAMILIES, register_family, unregister_family
from qlaci_cost.qram import register_model, unregister_model
from qlaci_cost.qram.interface import QRAMInterface, data_converter
from qlaci_cost.qram.qrom import QROMQRAM


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory):
    """The library's disk cache (closed forms, tables, figures) in a directory of this test
    session, never the user's: warm across the session's tests, and its own directory in each
    pytest-xdist worker (`tmp_path_factory` is per worker). Tests that need an empty or a
    shared cache set `QLACI_COST_CACHE_DIR` themselves (tests/cli/conftest.py)."""
    path = tmp_path_factory.mktemp("qlaci-cost-cache")
    # Reports here are small: figures drawn in the process, not in a worker that imports
    # Matplotlib and Qualtran again (tests/output/test_report_cache.py checks the worker).
    # verify runs its checks in this process too (the test workers already fill the cores;
    # tests/cli/test_cli_verify_jobs.py runs the worker processes).
    values = {
        "QLACI_COST_CACHE_DIR": str(path),
        "QLACI_COST_FIGURE_WORKERS": "0",
        "QLACI_COST_JOBS": "1",
    }
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    yield path
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _in_process_closed_forms() -> tuple:
    """The in-process caches in front of the disk cache of closed forms."""
    from qlaci_cost.qlaci import table as qlaci_table
    from qlaci_cost.qlaci.multi_query import table as multi_query_table
    from qlaci_cost.qlam import protocols
    from qlaci_cost.qlam import table as qlam_table
    from qlaci_cost.qram import table as qram_table

    return (
        qram_table.compiled_metrics,
        qram_table.symbolic_summary,
        qlaci_table._compiled,
        qlaci_table._query_summary,
        multi_query_table._compiled,
        multi_query_table._summary,
        protocols._summaries,
        qlam_table._cost,
    )


@pytest.fixture
def forget_closed_forms():
    """`forget()`: clears the in-process caches in front of the disk cache, so that the next
    table reads its closed forms from disk (or derives them); cleared again afterwards."""

    def forget() -> None:
        for fn in _in_process_closed_forms():
            fn.cache_clear()

    forget()
    yield forget
    forget()


@pytest.fixture(autouse=True)
def fresh_flatten_memo():
    """The per-process memo of flattened bloqs (`core.flatten`) emptied before every test: a
    test that patches a decomposition must not meet a flattening done before it."""
    from qlaci_cost.core.flatten import flatten_until

    flatten_until.cache_clear()


@pytest.fixture(autouse=True)
def no_progress_heartbeat(monkeypatch):
    """No progress heartbeat on stderr in tests: on a loaded machine it would land among the
    lines a test reads there (tests/output/test_progress.py tests the heartbeat itself)."""
    monkeypatch.setenv("QLACI_COST_PROGRESS_SECONDS", "0")


@pytest.fixture
def conventions():
    """The default counting conventions (4 T per Toffoli, mixed-fallback rotations)."""
    return DEFAULT_CONVENTIONS


@pytest.fixture
def register_qram_model():
    """`register(name, cls)`: a QRAM model registered for one test, removed afterwards."""
    added: list[str] = []

    def register(name: str, cls: type) -> str:
        register_model(name, cls)
        added.append(name)
        return name

    yield register
    for name in added:
        unregister_model(name)


@frozen
class FlawedQROM(QRAMInterface, Bloq):
    """A deliberately wrong QRAM model for the checks' negative tests: Qualtran's QROM (the
    `qrom` model, correct on its own), then `FLAW(bb, address_bits, target_bits)`, which a
    subclass sets (lists of bit soquets, most significant first, edited in place). Its adjoint
    is itself (`QRAMInterface`), so a circuit that unloads applies the flaw twice."""

    n_cells: int
    bits: int
    data: tuple = attrs.field(default=None, converter=data_converter)

    def build_composite_bloq(self, bb, address, target):
        qrom = QROMQRAM(self.n_cells, self.bits, self.data)
        address, target = bb.add(qrom, address=address, target=target)
        a, t = list(bb.split(address)), list(bb.split(target))
        type(self).FLAW(bb, a, t)
        return {"address": bb.join(np.array(a)), "target": bb.join(np.array(t))}


@pytest.fixture
def flawed_qram(register_qram_model):
    """`flawed_qram(name, flaw)`: a `FlawedQROM` with `flaw`, registered as QRAM model `name`
    for one test."""

    def make(name: str, flaw) -> str:
        cls = type(f"FlawedQROM_{name}", (FlawedQROM,), {"FLAW": staticmethod(flaw)})
        return register_qram_model(name, cls)

    return make


#: The repository root (the toy family's module path starts at it: `tests.toy_family`).
ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def _toy_family_registered():
    outer = FAMILIES.get("toy")  # registered by an enclosing fixture: left as it was
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))  # `tests` importable however pytest was started
        register_family("toy", "tests.toy_family.family")
        try:
            yield "toy"
        finally:
            if outer is None:
                unregister_family("toy")


@pytest.fixture
def toy_family():
    """The toy family of `tests/toy_family` registered (one line) for one test: its name."""
    with _toy_family_registered() as name:
        yield name


@pytest.fixture(scope="module")
def toy_family_for_module():
    """The toy family registered for every test of one module (a report shared by them)."""
    with _toy_family_registered() as name:
        yield name
