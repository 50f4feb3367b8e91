"""Fixtures of the monitoring tests."""

import pytest

from tests.monitoring.local_server import LocalServer


@pytest.fixture
def local_server():
    """A real HTTP server on 127.0.0.1, stopped after the test; see tests/monitoring/local_server.py."""
    server = LocalServer().start()
    yield server
    server.stop()
