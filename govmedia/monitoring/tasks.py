"""Monitoring's background tasks, on Django's tasks interface: the database queue by default
(`govmedia db_worker`), Redis with GOVMEDIA_TASKS=rq (`govmedia rqworker`, any number of machines).

The scheduler calls `monitoring_tick` every minute and enqueues `sweep_task` every hour; workers do the
reading. A task is a thin call into services.cycle, where the rules (leases, schedule, retries) live.
"""

from datetime import datetime

from django.tasks import TaskResult, task

from govmedia import clock
from govmedia.monitoring.services import cycle


@task
def read_source_task(source_id: int, due_at: str | None = None) -> dict:
    """Read one source. `due_at` is the mark the tick left; the read is skipped when it is gone (the
    source was read since, e.g. by `govmedia monitor run`)."""
    result = cycle.read_source_now(source_id, now=clock.now(),
                                   due_at=datetime.fromisoformat(due_at) if due_at else None)
    return {"source_id": source_id, "status": result.status, "reason": result.reason, "new_posts": result.new_posts}


@task
def sweep_task() -> int:
    """Posts left unchecked, account checks for everyone, alert deliveries to retry."""
    return cycle.sweep(now=clock.now())


def monitoring_tick(*, now: datetime | None = None) -> list[TaskResult]:
    """Enqueue a read of every due source; the enqueued tasks."""
    return [read_source_task.enqueue(source_id, due_at.isoformat())
            for source_id, due_at in cycle.claim_due_sources(now=now or clock.now())]
