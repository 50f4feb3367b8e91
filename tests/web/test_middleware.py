"""A write that lost a race gets a Chinese message and status 409, never a 500."""

import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client, RequestFactory

from govmedia.errors import Conflict
from govmedia.web.middleware import BUSY_MESSAGE, ConflictMiddleware

pytestmark = pytest.mark.django_db


class _PostgresError(Exception):
    """Stands in for the psycopg error Django wraps: only its SQLSTATE matters."""

    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _answer(exception, referer=""):
    request = RequestFactory().post("/registry/applications/1/approve/", HTTP_REFERER=referer)
    request.user = None
    return ConflictMiddleware(lambda r: None).process_exception(request, exception)


def _wrapped(sqlstate) -> OperationalError:
    error = OperationalError("could not serialize access")
    error.__cause__ = _PostgresError(sqlstate)
    return error


def test_a_conflict_raised_by_a_service_is_shown_with_its_message_and_409():
    response = _answer(Conflict("该申请已被他人处理，请刷新后查看"))
    assert response.status_code == 409
    assert "该申请已被他人处理，请刷新后查看" in response.content.decode()


@pytest.mark.parametrize("error", [
    OperationalError("database is locked"), _wrapped("40001"), _wrapped("40P01"), _wrapped("55P03"),
], ids=["sqlite-locked", "pg-serialization", "pg-deadlock", "pg-lock-not-available"])
def test_a_database_lock_conflict_is_a_409_saying_nothing_was_saved(error):
    response = _answer(error)
    assert response.status_code == 409
    assert BUSY_MESSAGE in response.content.decode()


@pytest.mark.parametrize("error", [OperationalError("no such table: registry_account"), _wrapped("42P01"),
                                   IntegrityError("NOT NULL constraint failed"), ValueError("bug")])
def test_other_errors_are_left_to_the_500_handler(error):
    assert _answer(error) is None


def test_the_way_back_is_the_referring_page_of_this_site_only():
    assert 'href="http://testserver/registry/applications/1/"' in _answer(
        Conflict("x"), referer="http://testserver/registry/applications/1/").content.decode()
    assert 'href="https://evil.example/"' not in _answer(Conflict("x"), referer="https://evil.example/").content.decode()


@pytest.mark.parametrize("url", [
    "/admin/orgs/user/?role=a%00b", "/admin/registry/account/?status=a%00b", "/registry/accounts/?q=%00",
    "/registry/filings/?state=%00x", "/registry/notices/?q=a%00", "/admin/orgs/unit/?kind%00=x",
])
def test_a_nul_byte_in_a_filter_is_dropped_with_a_message_before_any_database_sees_it(url, supervisor):
    supervisor.is_staff = True
    supervisor.save()
    client = Client(raise_request_exception=False)
    client.force_login(supervisor)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "含有无效字符（NUL），已忽略" in response.content.decode()


def test_the_other_filters_of_a_query_with_a_nul_byte_still_apply(supervisor, edu_weibo, street_weibo):
    client = Client()
    client.force_login(supervisor)
    page = client.get("/registry/accounts/?q=%E6%95%99%E8%82%B2&status=%00").content.decode()
    assert "西海岸教育发布" in page and "灵山卫发布" not in page


@pytest.mark.parametrize("url", [
    "/admin/audit/auditentry/?at__year=99999999999999999999999",
    "/admin/audit/auditentry/?at__year=-99999999999999999999",
    "/admin/workdays/calendarday/?date__year=99999999999999999999999",
    "/admin/audit/auditentry/?at__year=%F0%9D%9F%99",
])
def test_a_year_no_calendar_holds_in_the_back_office_is_a_chinese_bad_request(url, supervisor):
    from govmedia.web.middleware import OUT_OF_RANGE_MESSAGE

    supervisor.is_staff = True
    supervisor.save()
    client = Client(raise_request_exception=False)
    client.force_login(supervisor)
    response = client.get(url, follow=True)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert OUT_OF_RANGE_MESSAGE in response.content.decode()


def test_django_s_own_bad_request_and_csrf_pages_are_chinese(supervisor):
    bad = Client(raise_request_exception=False).get("/", headers={"host": "evil.example"})
    assert bad.status_code == 400 and "请求无效" in bad.content.decode()
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)
    refused = client.post("/check/", {"text": "x"})
    assert refused.status_code == 403 and "页面已过期" in refused.content.decode()
