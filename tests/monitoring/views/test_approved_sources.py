"""许可转载来源 through HTTP: everyone reads the list; only supervisors change it, and a unit's attempt is
refused and audited."""

import pytest
from django.urls import reverse

from govmedia.monitoring.models import ApprovedSource
from tests.monitoring.pages import client_for, refusals, said

pytestmark = pytest.mark.django_db

LIST = reverse("monitoring:approved_sources")


def test_everyone_reads_the_seeded_list_and_searches_it(edu_operator):
    client = client_for(edu_operator)
    page = client.get(LIST).content.decode()
    assert "新华社" in page and "青岛发布" in page and reverse("monitoring:approved_source_add") not in page
    assert [s.name for s in client.get(LIST, {"q": "观海"}).context["sources"]] == ["青岛日报"]


def test_a_supervisor_adds_an_outlet(supervisor):
    response = client_for(supervisor).post(reverse("monitoring:approved_source_add"), {
        "name": "西海岸发布", "level": "district", "aliases": "青岛西海岸新区发布", "is_active": "on"})
    assert response.status_code == 302 and "许可转载来源已保存：西海岸发布" in said(response)
    assert ApprovedSource.objects.get(name="西海岸发布").names() == ["西海岸发布", "青岛西海岸新区发布"]


def test_a_name_taken_by_another_outlet_is_shown_on_the_form(supervisor):
    response = client_for(supervisor).post(reverse("monitoring:approved_source_add"), {
        "name": "新华社客户端", "level": "national", "aliases": ""})
    assert "与许可转载来源“新华社”的名称或别名相同" in str(response.context["form"].errors["name"])


@pytest.mark.parametrize("attempt", ["add", "edit", "delete"])
def test_a_unit_admin_changes_nothing_and_the_attempt_is_audited(edu_unit_admin, attempt):
    xinhua = ApprovedSource.objects.get(name="新华社")
    url = {"add": reverse("monitoring:approved_source_add"),
           "edit": reverse("monitoring:approved_source_edit", args=[xinhua.pk]),
           "delete": reverse("monitoring:approved_source_delete", args=[xinhua.pk])}[attempt]
    client = client_for(edu_unit_admin)
    before = list(ApprovedSource.objects.order_by("pk").values())
    response = client.post(url, {"name": "某某自媒体", "level": "national", "aliases": ""})
    assert response.status_code == 403 and list(ApprovedSource.objects.order_by("pk").values()) == before
    [entry] = refusals()
    assert entry.actor == edu_unit_admin and "名单由区级监管员维护" in entry.changes["reason"]
