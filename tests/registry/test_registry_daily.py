"""The daily job: provisional dates counted again first (a calendar package upgrade), then closures take effect."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from govmedia.registry.models import AccountStatus
from tests.registry.services.helpers import approve, fresh, submit_closure
from tests.uncovered_year import LAST_COVERED_DAY, install_a_release_that_knows_the_year, weekdays

pytestmark = pytest.mark.django_db


def _run(frozen_clock, day) -> str:
    frozen_clock.set(day)
    out = StringIO()
    call_command("registry_daily", stdout=out)
    return out.getvalue()


def test_after_a_package_upgrade_the_daily_job_moves_the_notice_before_closing_anything(
    frozen_clock, edu_weibo, edu_unit_admin, edu_leader, supervisor, monkeypatch
):
    frozen_clock.set(LAST_COVERED_DAY)
    notice = approve(submit_closure(edu_unit_admin, edu_weibo), edu_leader, supervisor).notice
    announced, recomputed = (weekdays(n)[-1] + timedelta(days=1) for n in (15, 16))
    install_a_release_that_knows_the_year(monkeypatch)

    out = _run(frozen_clock, announced)
    assert f"已重算：{notice.title}" in out and "共 0 个账号关停/注销生效" in out
    notice = fresh(notice)
    assert (notice.effective_on, notice.effective_is_provisional) == (recomputed, False)
    assert fresh(edu_weibo).status == AccountStatus.CLOSING

    assert "共 1 个账号关停/注销生效" in _run(frozen_clock, recomputed)
    assert fresh(edu_weibo).status == AccountStatus.CLOSED
