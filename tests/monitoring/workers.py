"""Real worker processes for the reliability tests: `govmedia db_worker` and `govmedia rqworker` started as
subprocesses on the test database pytest-django created, and killed or stopped like a real one.

Such tests need `@pytest.mark.django_db(transaction=True, serialized_rollback=True)`: the workers see only
what the test committed, and the seeded platforms come back after the tables are flushed.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def worker_database_url() -> str:
    """DATABASE_URL of the database this test runs on (pytest-django's test_<name>, or the SQLite file)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    credentials = quote(params.get("USER") or "", safe="")
    if params.get("PASSWORD"):
        credentials += ":" + quote(params["PASSWORD"], safe="")
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{params['NAME']}"


def worker_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A worker's environment: the test database, loopback sources allowed, the given overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVMEDIA_", "DJANGO_", "DATABASE_URL"))}
    env.update({
        "DATABASE_URL": worker_database_url(), "GOVMEDIA_DATA_DIR": str(data_dir),
        "GOVMEDIA_SECRET_KEY": secrets.token_urlsafe(40), "GOVMEDIA_MONITOR_ALLOW_PRIVATE": "1",
        "PYTHONPATH": str(ROOT), **extra,
    })
    return env


class Worker:
    """One `govmedia …` worker process, its output in a log file (shown when a test fails)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path):
        self.name = name
        self.log = log_dir / f"{name}.log"
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "govmedia.cli", *args], cwd=ROOT, env=env,
                                        stdout=self._log_file, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        """SIGKILL: no cleanup, no finishing the task at hand, as when a machine dies."""
        self.process.kill()
        self.process.wait(timeout=10)
        self._log_file.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log_file.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str, workers: list[Worker] = ()) -> None:
    """Poll until `condition()` holds; on timeout, fail with the workers' output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for worker in workers:
            if worker.process.poll() not in (None, 0, -signal.SIGKILL):
                raise AssertionError(f"{worker.name} exited with {worker.process.returncode}:\n{worker.output()}")
        time.sleep(0.2)
    logs = "\n".join(f"--- {w.name}\n{w.output()}" for w in workers)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}\n{logs}")
