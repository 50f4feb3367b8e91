"""Real concurrency for race tests: each action runs in its own thread, on its own database connection.

Such tests need `@pytest.mark.django_db(transaction=True, serialized_rollback=True)`: the threads cannot
see a test transaction that is never committed. On SQLite the test database is a file (settings), so the
threads contend for its write lock as two gunicorn workers would.
"""

import threading

from django.db import connection


def at_once(*actions) -> list:
    """Run each action in its own thread and transaction, released together; return each result or exception.

    An action is called first to prepare (e.g. load the object as the page did), and returns the callable
    that acts; every thread prepares before any acts."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i, action):
        try:
            prepared = action()
            barrier.wait(timeout=10)
            results[i] = prepared()
        except Exception as error:  # the outcome is what the test inspects
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results
