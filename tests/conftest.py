"""Shared fixtures: an isolated Prefect, the loopback sample web, settings pointing at temp dirs."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Prefect must never touch the user's ~/.prefect or the network during tests.
_PREFECT_HOME = tempfile.mkdtemp(prefix="survwatch-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")

from flows.sample_web import SampleWeb  # noqa: E402
from flows.settings import Settings  # noqa: E402


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def sample_web():
    with SampleWeb() as web:
        yield web


@pytest.fixture
def sample_feeds(sample_web, tmp_path) -> Path:
    return sample_web.write_feed_list(tmp_path / "feeds.opml")


@pytest.fixture
def settings(sample_web, tmp_path) -> Settings:
    return Settings(db=tmp_path / "wh.duckdb", allowed_hosts=sample_web.host_port, batch_size=8, per_host_delay=0,
                    request_deadline=10, read_timeout=5, connect_timeout=2)
