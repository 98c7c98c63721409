"""Fixtures shared by every test folder (the folders mirror the package's)."""

import pytest

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS


@pytest.fixture
def conventions():
    """The default counting conventions (4 T per Toffoli, mixed-fallback rotations)."""
    return DEFAULT_CONVENTIONS
