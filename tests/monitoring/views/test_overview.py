"""监测概览 through HTTP: each user's scope, and the navigation that leads there."""

from datetime import timedelta

import pytest
from django.urls import reverse

from govmedia.monitoring.models import SourceHealth
from tests.monitoring.factories import RepostTaskFactory, SourceFactory
from tests.monitoring.pages import FindingFactory, PostFactory, client_for

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:overview")


@pytest.fixture
def district_state(frozen_clock, supervisor, edu_weibo, street_weibo):
    FindingFactory(post=PostFactory(account=edu_weibo), code="typo")
    FindingFactory(post=PostFactory(account=street_weibo), code="broken_link")
    SourceFactory(account=street_weibo, health=SourceHealth.BROKEN, health_reason="too_large",
                  broken_since=frozen_clock.current)
    RepostTaskFactory(issued_by=supervisor, title="须转载的通告", deadline=frozen_clock.current - timedelta(days=1),
                      accounts=[street_weibo])


def test_the_supervisor_sees_every_units_findings_broken_sources_overdue_reposts_and_backlog(supervisor,
                                                                                              district_state):
    page = client_for(supervisor).get(URL).content.decode()
    assert "区教育和体育局" in page and "灵山卫街道" in page
    assert "响应体超过上限" in page and "须转载的通告" in page
    assert page.count('<tr><td><a href="/monitoring/duty/?unit=') == 2


def test_a_unit_sees_only_its_own(edu_unit_admin, district_state):
    page = client_for(edu_unit_admin).get(URL).content.decode()
    assert "区教育和体育局" in page and "灵山卫" not in page and "须转载的通告" not in page


@pytest.mark.parametrize("persona", ["supervisor", "edu_unit_admin", "edu_operator", "street_reviewer"])
def test_every_role_finds_monitoring_in_the_navigation(request, persona):
    page = client_for(request.getfixturevalue(persona)).get("/").content.decode()
    for url in (URL, reverse("monitoring:duty"), reverse("monitoring:alerts")):
        assert f'href="{url}"' in page


def test_the_monitoring_pages_need_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response.url
