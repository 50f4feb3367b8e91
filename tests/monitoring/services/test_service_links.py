"""The links of accounts' services (art. 12) go through the posts' link checker: once a day each, through the
SSRF guard; a broken one is an account finding `service_link_broken` that fixes itself when the link works again."""

import pytest

from govmedia.monitoring.engine.linkcheck import LinkChecker
from govmedia.monitoring.models import Finding, FindingState, LinkCheck
from govmedia.monitoring.services import cycle
from govmedia.monitoring.services.service_links import check_service_links
from govmedia.registry.models import AccountStatus
from tests.interaction.factories import AccountServiceFactory
from tests.monitoring.local_server import Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(local_server):
    local_server.routes["/ok"] = Reply(200, "<html>预约页面</html>")
    local_server.routes["/gone"] = Reply(404, "<html>页面不存在</html>")
    local_server.checker = LinkChecker(allow_private=True, retries=0, timeout=3, host_interval=0)
    return local_server


def run(now, site, **kwargs):
    return check_service_links(now=now, checker=site.checker, **kwargs)


def test_a_broken_service_link_becomes_a_finding_on_the_account(frozen_clock, edu_weibo, site):
    AccountServiceFactory(account=edu_weibo, name="体育场馆预约", url=site.url("/ok"))
    gone = AccountServiceFactory(account=edu_weibo, name="学位查询", url=site.url("/gone"))
    assert run(frozen_clock.current, site) == 2
    [finding] = Finding.objects.all()
    assert (finding.account, finding.post, finding.code) == (edu_weibo, None, "service_link_broken")
    assert "学位查询" in finding.summary and "404" in finding.summary
    assert finding.evidence["service_id"] == gone.pk
    assert sorted(LinkCheck.objects.values_list("verdict", flat=True)) == ["client_error", "ok"]


def test_each_link_is_asked_once_a_day_and_the_finding_is_not_repeated(frozen_clock, edu_weibo, site):
    AccountServiceFactory(account=edu_weibo, url=site.url("/gone"))
    run(frozen_clock.current, site)
    frozen_clock.advance(hours=1)
    run(frozen_clock.current, site)
    assert len(site.requests_to("/gone")) <= 2  # HEAD, then GET: one check
    [finding] = Finding.objects.all()
    assert finding.times_found == 2


def test_the_finding_is_fixed_when_the_link_works_again(frozen_clock, edu_weibo, site):
    service = AccountServiceFactory(account=edu_weibo, url=site.url("/gone"))
    run(frozen_clock.current, site)
    site.routes["/gone"] = Reply(200, "<html>恢复</html>")
    frozen_clock.advance(days=1)
    run(frozen_clock.current, site)
    finding = Finding.objects.get()
    assert finding.state == FindingState.FIXED and "服务链接复查正常" in finding.state_reason
    service.delete()
    assert run(frozen_clock.current, site) == 0


def test_a_deleted_service_fixes_its_finding(frozen_clock, edu_weibo, site):
    service = AccountServiceFactory(account=edu_weibo, url=site.url("/gone"))
    run(frozen_clock.current, site)
    service.delete()
    run(frozen_clock.current, site)
    assert Finding.objects.get().state == FindingState.FIXED


def test_the_ssrf_guard_holds_for_service_links(frozen_clock, edu_weibo, local_server):
    local_server.routes["/gone"] = Reply(404)
    AccountServiceFactory(account=edu_weibo, url=local_server.url("/gone"))
    check_service_links(now=frozen_clock.current)  # the default checker: private addresses refused
    assert local_server.requests == [] and LinkCheck.objects.get().verdict == "blocked"
    assert not Finding.objects.exists()


def test_accounts_no_longer_live_are_not_checked(frozen_clock, edu_weibo, site):
    edu_weibo.status = AccountStatus.CLOSED
    edu_weibo.save()
    AccountServiceFactory(account=edu_weibo, url=site.url("/gone"))
    assert run(frozen_clock.current, site) == 0 and site.requests == []


def test_a_scoped_run_leaves_other_accounts_findings_alone(frozen_clock, edu_weibo, street_weibo, site):
    AccountServiceFactory(account=street_weibo, url=site.url("/gone"))
    run(frozen_clock.current, site)
    run(frozen_clock.current, site, account_ids=[edu_weibo.pk])
    assert Finding.objects.get().state == FindingState.OPEN


def test_the_hourly_sweep_checks_service_links(frozen_clock, edu_weibo, monkeypatch):
    seen = []
    monkeypatch.setattr(cycle.service_links, "check_service_links", lambda **kwargs: seen.append(kwargs) or 0)
    cycle.sweep(now=frozen_clock.current)
    assert seen == [{"now": frozen_clock.current}]
