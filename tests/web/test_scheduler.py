from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from govmedia.registry import services
from govmedia.registry.models import AccountStatus, Application
from tests.monitoring.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_the_scheduler_closes_an_account_once_its_notice_period_has_run_out(
    frozen_clock, edu_unit_admin, edu_leader, supervisor, edu_weibo
):
    application = services.closure_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, kind="close", reason="无力维护", decision_kind="head_consent",
        decision_document=SimpleUploadedFile("同意.pdf", b"%PDF-1.4"))
    for approver in (edu_leader, supervisor):
        services.application_approve(application=Application.objects.get(pk=application.pk), by=approver)
    notice = edu_weibo.closure_notices.get()

    frozen_clock.set(notice.published_on + (notice.effective_on - notice.published_on) / 2)
    call_command("scheduler", "--once", stdout=StringIO())
    edu_weibo.refresh_from_db()
    assert edu_weibo.status == AccountStatus.CLOSING

    frozen_clock.set(notice.effective_on)
    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    edu_weibo.refresh_from_db()
    assert edu_weibo.status == AccountStatus.CLOSED
    assert "1 个账号" in out.getvalue()
    call_command("scheduler", "--once", stdout=StringIO())
    assert edu_weibo.events.filter(action="close").count() == 1


def test_the_scheduler_enqueues_the_due_monitoring_reads_and_the_sweep_rather_than_running_them(frozen_clock):
    source = SourceFactory()
    call_command("scheduler", "--once", stdout=StringIO())
    queued = DBTaskResult.objects.values_list("task_path", flat=True)
    assert sorted(queued) == ["govmedia.monitoring.tasks.read_source_task", "govmedia.monitoring.tasks.sweep_task"]
    assert not source.posts.exists()


def test_healthz_answers_ok(client):
    assert client.get("/healthz").content == b"ok"
