"""CLI tests run with a private disk cache (never the user's)."""

import pytest


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Each test gets an empty cache directory of its own."""
    path = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("QLACI_COST_CACHE_DIR", str(path))
    monkeypatch.delenv("QLACI_COST_NO_CACHE", raising=False)
    return path
