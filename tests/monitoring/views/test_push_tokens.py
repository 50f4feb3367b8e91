"""The push-token page: the token is shown once on issuing, listed by prefix after, and revocable."""

import pytest
from django.test import Client

from govmedia.monitoring.models import PushToken
from govmedia.monitoring.services.tokens import token_authenticate, token_issue

pytestmark = pytest.mark.django_db


def _url(account) -> str:
    return f"/monitoring/accounts/{account.pk}/tokens"


def test_an_issued_token_is_shown_once_and_never_again(client, edu_unit_admin, edu_weibo):
    client.force_login(edu_unit_admin)
    response = client.post(_url(edu_weibo), {"name": "融媒体中心发布系统"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["raw_token"]
    assert raw.startswith("gm_") and raw in response.content.decode()
    assert token_authenticate(raw).account == edu_weibo
    listing = client.get(_url(edu_weibo)).content.decode()
    token = PushToken.objects.get()
    assert raw not in listing and f"{token.prefix}…" in listing and "融媒体中心发布系统" in listing


def test_a_revoked_token_is_listed_as_revoked_and_refused_by_the_api(client, edu_unit_admin, edu_weibo,
                                                                    frozen_clock):
    token, raw = token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)
    client.force_login(edu_unit_admin)
    response = client.post(f"{_url(edu_weibo)}/{token.pk}/revoke", follow=True)
    assert "已吊销令牌" in response.content.decode() and "已于 2026-03-02 10:00 吊销" in response.content.decode()
    assert token_authenticate(raw) is None
    again = client.post(f"{_url(edu_weibo)}/{token.pk}/revoke", follow=True)
    assert "已于 2026-03-02 10:00 吊销" in again.content.decode()


def test_a_token_is_revoked_only_through_its_own_account(client, edu_unit_admin, edu_weibo, edu_wechat,
                                                         frozen_clock):
    token, raw = token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)
    client.force_login(edu_unit_admin)
    assert client.post(f"{_url(edu_wechat)}/{token.pk}/revoke").status_code == 404
    assert token_authenticate(raw) is not None


def test_revoking_needs_a_post(client, edu_unit_admin, edu_weibo, frozen_clock):
    token, raw = token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)
    client.force_login(edu_unit_admin)
    assert client.get(f"{_url(edu_weibo)}/{token.pk}/revoke").status_code == 405
    assert token_authenticate(raw) is not None


@pytest.mark.parametrize(("persona", "status"), [
    ("supervisor", 200), ("edu_unit_admin", 200), ("edu_leader", 403), ("edu_reviewer", 403),
    ("assigned_operator", 403), ("street_unit_admin", 404), ("water_co_admin", 404),
])
def test_who_sees_and_issues_the_accounts_tokens(request, edu_weibo, persona, status):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(edu_weibo)).status_code == status
    assert client.post(_url(edu_weibo), {"name": "x"}).status_code == status
    assert PushToken.objects.exists() == (status == 200)


def test_another_unit_cannot_revoke_the_accounts_token(edu_unit_admin, street_unit_admin, edu_weibo, frozen_clock):
    token, raw = token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)
    client = Client()
    client.force_login(street_unit_admin)
    assert client.post(f"{_url(edu_weibo)}/{token.pk}/revoke").status_code == 404
    assert token_authenticate(raw) is not None
