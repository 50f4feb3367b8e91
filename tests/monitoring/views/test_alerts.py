"""提醒 through HTTP: one's own alerts, counted in the navigation, marked read; another's alert refused."""

import pytest
from django.urls import reverse

from govmedia.monitoring.models import Alert
from tests.monitoring.factories import AlertFactory
from tests.monitoring.pages import FindingFactory, PostFactory, client_for, refusals, said

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:alerts")


@pytest.fixture
def alerts(frozen_clock, edu_unit_admin, edu_leader, edu_weibo):
    finding = FindingFactory(post=PostFactory(account=edu_weibo), summary="涉密标识：内部资料")
    return {"mine": AlertFactory(recipient=edu_unit_admin, finding=finding, reason="unit_admin"),
            "theirs": AlertFactory(recipient=edu_leader, finding=finding)}


def test_the_navigation_counts_unread_alerts_and_the_page_lists_them(edu_unit_admin, alerts):
    response = client_for(edu_unit_admin).get(URL)
    page = response.content.decode()
    assert '<span class="badge badge-danger" id="unread-alerts">1</span>' in page
    assert "涉密标识：内部资料" in page and "单位管理员" in page
    assert list(response.context["page"]) == [alerts["mine"]]


def test_an_alert_is_marked_read_and_the_badge_goes(edu_unit_admin, alerts):
    client = client_for(edu_unit_admin)
    response = client.post(reverse("monitoring:alerts_read"), {"alert": alerts["mine"].pk})
    assert response.status_code == 302 and "已标记 1 条提醒为已读" in said(response)
    assert 'id="unread-alerts"' not in client.get(URL).content.decode()


def test_marking_another_persons_alert_is_refused_and_audited(edu_unit_admin, alerts):
    response = client_for(edu_unit_admin).post(reverse("monitoring:alerts_read"), {"alert": alerts["theirs"].pk})
    assert response.status_code == 403 and not Alert.objects.filter(read_at__isnull=False).exists()
    [entry] = refusals()
    assert entry.actor == edu_unit_admin and "不属于您的提醒" in entry.changes["reason"]


def test_unread_only_hides_read_alerts(frozen_clock, edu_unit_admin, alerts):
    Alert.objects.filter(pk=alerts["mine"].pk).update(read_at=frozen_clock.current)
    client = client_for(edu_unit_admin)
    assert list(client.get(URL, {"unread": "1"}).context["page"]) == []
    assert list(client.get(URL).context["page"]) == [alerts["mine"]]
