"""Fixtures shared by every test folder (the folders mirror the package's)."""

import pytest

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS
from qlaci_cost.qram import register_model, unregister_model


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
