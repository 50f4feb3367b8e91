"""A write that lost a race gets a Chinese message and status 409, never a 500."""

import pytest
from django.db import IntegrityError, OperationalError
from django.test import RequestFactory

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
    "/registry/filings/?state=%00x", "/notices/?q=a%00",
])
def test_a_nul_byte_in_a_query_string_is_refused_in_chinese_before_any_database_sees_it(url, supervisor):
    from django.test import Client

    from govmedia.web.middleware import NUL_MESSAGE

    supervisor.is_staff = True
    supervisor.save()
    client = Client(raise_request_exception=False)
    client.force_login(supervisor)
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_a_query_string_without_nul_passes(supervisor):
    from django.test import Client

    client = Client()
    client.force_login(supervisor)
    assert client.get("/registry/accounts/?q=%E6%95%99%E8%82%B2").status_code == 200
