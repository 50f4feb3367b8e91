"""The public closure notices (no login): the host unit's contact, a paginated and searchable list."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import AccountFactory, ClosureNoticeFactory

pytestmark = pytest.mark.django_db


def test_a_notice_gives_the_host_units_phone_and_address_to_anyone(district):
    district.edu.phone, district.edu.address = "0532-86981234", "青岛西海岸新区长江中路 218 号"
    district.edu.save()
    notice = ClosureNoticeFactory(application__account=AccountFactory(host_unit=district.edu))
    page = Client().get(notice.get_absolute_url()).content.decode()
    assert "联系电话：0532-86981234" in page and "地址：青岛西海岸新区长江中路 218 号" in page


def test_a_unit_without_a_public_contact_says_so(district):
    notice = ClosureNoticeFactory(application__account=AccountFactory(host_unit=district.street))
    page = Client().get(notice.get_absolute_url()).content.decode()
    assert "联系电话：未公开" in page


def test_the_notice_list_is_paginated(district):
    for n in range(23):
        ClosureNoticeFactory(application__account=AccountFactory(host_unit=district.edu, name=f"待关停账号{n:02d}"),
                             published_on=date(2026, 1, 1 + n))
    first = Client().get(reverse("notice_list")).content.decode()
    second = Client().get(reverse("notice_list"), {"page": 2}).content.decode()
    assert first.count("<tr><td><a href=") == 20 and second.count("<tr><td><a href=") == 3
    assert "第 2 / 2 页" in second


def test_the_notice_list_is_searched_by_title_account_and_unit_and_keeps_the_search_across_pages(district):
    for n in range(22):
        ClosureNoticeFactory(application__account=AccountFactory(host_unit=district.street, name=f"街道账号{n:02d}"))
    ClosureNoticeFactory(application__account=AccountFactory(host_unit=district.edu, name="教体旧微博"))
    client = Client()
    found = client.get(reverse("notice_list"), {"q": "教体旧"}).content.decode()
    assert "教体旧微博" in found and "街道账号" not in found and "共 1 条" in found
    by_unit = client.get(reverse("notice_list"), {"q": "灵山卫街道"}).content.decode()
    assert "教体旧微博" not in by_unit and "共 22 条" in by_unit and "q=%E7%81%B5" in by_unit  # pager keeps q
    assert "没有符合条件的公告" in client.get(reverse("notice_list"), {"q": "不存在"}).content.decode()
