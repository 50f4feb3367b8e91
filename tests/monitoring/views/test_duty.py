"""值班读网 through HTTP: the day's posts of one's scope, escaped, with findings marked at their offsets;
marking read one or all shown; a crafted request for another unit's post refused and audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govmedia.monitoring.models import DutyReading
from tests.monitoring.pages import FindingFactory, PostFactory, client_for, refusals, said

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:duty")


@pytest.fixture
def edu_post(frozen_clock, edu_weibo):
    post = PostFactory(account=edu_weibo, title="通知", text="机构精减方案已印发。")
    FindingFactory(post=post, evidence={"start": 5, "end": 7, "text": "精减", "suggestion": "精简"})
    return post


@pytest.fixture
def street_post(frozen_clock, street_weibo):
    return PostFactory(account=street_weibo, title="灵山卫街道开展消防演练")


def test_the_page_shows_todays_posts_of_the_users_scope_with_findings_marked(edu_unit_admin, edu_post,
                                                                            street_post):
    page = client_for(edu_unit_admin).get(URL).content.decode()
    assert edu_post.title in page and street_post.title not in page
    assert ('机构<mark class="finding sev-medium" title="错别字（建议：精简）" data-finding="'
            in page)


def test_a_post_with_a_script_in_it_is_shown_escaped(frozen_clock, edu_unit_admin, edu_weibo):
    PostFactory(account=edu_weibo, title="<script>alert('t')</script>", text="<img src=x onerror=alert(1)>")
    page = client_for(edu_unit_admin).get(URL).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_posts_of_another_day_are_found_by_the_date(frozen_clock, edu_unit_admin, edu_weibo):
    old = PostFactory(account=edu_weibo, title="上周的信息", first_seen=frozen_clock.current - timedelta(days=7))
    client = client_for(edu_unit_admin)
    assert old.title not in client.get(URL).content.decode()
    day = (frozen_clock.today - timedelta(days=7)).isoformat()
    assert old.title in client.get(URL, {"day": day}).content.decode()


def test_one_post_is_marked_read_and_the_reader_is_shown(frozen_clock, edu_unit_admin, edu_post):
    client = client_for(edu_unit_admin)
    response = client.post(reverse("monitoring:duty_read"), {"post": edu_post.pk, "next": URL})
    assert response.status_code == 302 and response.url == URL
    assert DutyReading.objects.get(post=edu_post).reader == edu_unit_admin and "已标记 1 条为已读" in said(response)
    page = client.get(URL).content.decode()
    assert "已读</span> <span class=\"muted\">李管理" in page


def test_all_shown_posts_are_marked_read_at_once(frozen_clock, edu_unit_admin, edu_weibo, edu_post):
    others = [PostFactory(account=edu_weibo) for _ in range(3)]
    client = client_for(edu_unit_admin)
    form = client.get(URL).context["unread_shown"]
    assert sorted(form) == sorted([edu_post.pk, *(p.pk for p in others)])
    client.post(reverse("monitoring:duty_read"), {"post": form})
    assert DutyReading.objects.count() == 4
    assert client.get(URL).context["unread_shown"] == []


def test_a_crafted_request_for_another_units_post_is_refused_and_audited(street_unit_admin, edu_post, street_post):
    response = client_for(street_unit_admin).post(reverse("monitoring:duty_read"),
                                                  {"post": [street_post.pk, edu_post.pk]})
    assert response.status_code == 403 and not DutyReading.objects.exists()
    [entry] = refusals()
    assert entry.actor == street_unit_admin and "不属于您管理范围" in entry.changes["reason"]


def test_a_request_naming_no_post_is_answered_with_a_message(edu_unit_admin):
    response = client_for(edu_unit_admin).post(reverse("monitoring:duty_read"), {})
    assert response.status_code == 302 and "未选择信息" in said(response)


def test_supervisors_see_the_unread_backlog_per_unit(supervisor, edu_post, street_post):
    backlog = client_for(supervisor).get(URL).context["backlog"]
    assert {(row.unit_name, row.unread) for row in backlog} == {("区教育和体育局", 1), ("灵山卫街道", 1)}


def test_a_unit_sees_its_own_backlog_only(edu_unit_admin, edu_post, street_post):
    backlog = client_for(edu_unit_admin).get(URL).context["backlog"]
    assert [(row.unit_name, row.unread) for row in backlog] == [("区教育和体育局", 1)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.text(max_size=30), unit=st.text(max_size=30), unread=st.text(max_size=5),
       page=st.text(max_size=10))
def test_any_filter_value_gets_a_page_or_a_message_never_a_500(supervisor, day, unit, unread, page):
    response = client_for(supervisor).get(URL, {"day": day, "unit": unit, "unread": unread, "page": page})
    assert response.status_code in (200, 400)
