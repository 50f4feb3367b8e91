"""An account's services (art. 12) through HTTP: its unit adds, changes and deletes them; the account page shows
them with the link checker's latest verdict; another unit cannot see (404) or change (403) them."""

from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from govmedia.interaction.models import AccountService
from govmedia.monitoring.models import LinkCheck
from govmedia.monitoring.services.checking import url_hash
from tests.conftest import BEIJING
from tests.factories import AccountFactory
from tests.interaction.factories import AccountServiceFactory
from tests.monitoring.pages import client_for, refusals, said

pytestmark = pytest.mark.django_db


def services_url(account):
    return reverse("interaction:services", args=[account.pk])


def check(url, day, verdict, status):
    return LinkCheck.objects.create(url=url, url_hash=url_hash(url), day=day, verdict=verdict, http_status=status,
                                    checked_at=datetime.combine(day, datetime.min.time(), tzinfo=BEIJING))


def test_the_unit_adds_a_service(edu_weibo, edu_unit_admin):
    response = client_for(edu_unit_admin).post(services_url(edu_weibo), {
        "kind": "appointment", "name": "体育场馆预约", "url": "https://edu.example.cn/book"})
    assert response.status_code == 302 and "服务事项已保存：体育场馆预约" in said(response)
    assert list(AccountService.objects.values_list("account", "kind", "name", "url")) == [
        (edu_weibo.pk, "appointment", "体育场馆预约", "https://edu.example.cn/book")]


def test_the_page_names_the_account_with_its_platform(edu_weibo, edu_unit_admin):
    text = client_for(edu_unit_admin).get(services_url(edu_weibo)).content.decode()
    assert "<title>服务事项：西海岸教育发布（新浪微博）" in text


def test_a_bad_link_is_named_on_the_form(edu_weibo, edu_unit_admin):
    response = client_for(edu_unit_admin).post(services_url(edu_weibo), {
        "kind": "lookup", "name": "学位查询", "url": "javascript:alert(1)"})
    assert response.status_code == 200 and "链接应以 http:// 或 https:// 开头" in str(response.context["form"].errors)
    assert not AccountService.objects.exists()


def test_the_unit_edits_and_deletes_a_service(edu_weibo, edu_unit_admin):
    service = AccountServiceFactory(account=edu_weibo, name="学位查询")
    client = client_for(edu_unit_admin)
    response = client.post(reverse("interaction:service_edit", args=[service.pk]), {
        "kind": "certificate", "name": "学籍证明", "url": "https://edu.example.cn/cert"})
    service.refresh_from_db()
    assert response.status_code == 302 and (service.kind, service.name) == ("certificate", "学籍证明")
    client.post(reverse("interaction:service_delete", args=[service.pk]))
    assert not AccountService.objects.exists()


def test_the_account_page_shows_each_service_with_its_latest_verdict(frozen_clock, edu_weibo, assigned_operator):
    fine = AccountServiceFactory(account=edu_weibo, name="学位查询", url="https://edu.example.cn/q")
    gone = AccountServiceFactory(account=edu_weibo, name="在线缴费", kind="payment", url="https://pay.example.cn/")
    AccountServiceFactory(account=edu_weibo, name="预约", kind="appointment", url="https://book.example.cn/")
    check(fine.url, date(2026, 3, 1), "client_error", 404)
    check(fine.url, date(2026, 3, 2), "ok", 200)  # the latest day decides
    check(gone.url, date(2026, 3, 2), "client_error", 404)
    response = client_for(assigned_operator).get(reverse("account_detail", args=[edu_weibo.pk]))
    rows = {row["service"].name: (row["verdict"], row["check"] and row["check"].http_status)
            for row in response.context["services"]}
    assert rows == {"学位查询": ("正常", 200), "在线缴费": ("失效", 404), "预约": ("未检查", None)}
    page = response.content.decode()
    assert 'id="account-services"' in page and "2026-03-02" in page and services_url(edu_weibo) in page


def test_another_units_account_services_are_not_found(edu_weibo, street_unit_admin):
    service = AccountServiceFactory(account=edu_weibo)
    client = client_for(street_unit_admin)
    assert client.get(services_url(edu_weibo)).status_code == 404
    assert client.get(reverse("interaction:service_edit", args=[service.pk])).status_code == 404


@pytest.mark.parametrize("attempt", ["add", "edit", "delete"])
def test_another_unit_changes_nothing_and_the_attempt_is_audited(edu_weibo, street_unit_admin, attempt):
    service = AccountServiceFactory(account=edu_weibo)
    target = {"add": services_url(edu_weibo), "edit": reverse("interaction:service_edit", args=[service.pk]),
              "delete": reverse("interaction:service_delete", args=[service.pk])}[attempt]
    before = list(AccountService.objects.values())
    response = client_for(street_unit_admin).post(target, {"kind": "other", "name": "钓鱼", "url": "https://evil.example"})
    assert response.status_code == 404 and list(AccountService.objects.values()) == before
    assert [entry.actor for entry in refusals()] == [street_unit_admin]


@pytest.fixture
def street_account_under_edu(district):
    """A street's account the education bureau oversees as its competent unit: it sees it, the street keeps it."""
    return AccountFactory(host_unit=district.street, competent_unit=district.edu, name="灵山卫学区发布")


@pytest.mark.parametrize("attempt", ["add", "edit", "delete"])
def test_a_competent_unit_sees_but_does_not_keep_the_services(street_account_under_edu, edu_unit_admin, attempt):
    account = street_account_under_edu
    service = AccountServiceFactory(account=account)
    client = client_for(edu_unit_admin)
    page = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    assert service.name in page and services_url(account) not in page
    target = {"add": services_url(account), "edit": reverse("interaction:service_edit", args=[service.pk]),
              "delete": reverse("interaction:service_delete", args=[service.pk])}[attempt]
    before = list(AccountService.objects.values())
    response = client.post(target, {"kind": "other", "name": "钓鱼", "url": "https://evil.example"})
    assert response.status_code == 403 and list(AccountService.objects.values()) == before
    assert [entry.actor for entry in refusals()] == [edu_unit_admin]


def test_the_pages_need_a_login(edu_weibo):
    service = AccountServiceFactory(account=edu_weibo)
    assert Client().get(services_url(edu_weibo)).status_code == 302
    Client().post(reverse("interaction:service_delete", args=[service.pk]))
    assert AccountService.objects.filter(pk=service.pk).exists()
