"""Personal API tokens (orgs.api_tokens): a user issues their own (shown once, only a hash kept), revokes their
own; supervisors look them up and revoke them in the back office, where no token or hash is ever shown."""

import pytest
from django.test import Client

from govmedia.audit.models import AuditEntry
from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.orgs.api_tokens import api_token_authenticate, api_token_issue, api_token_revoke
from govmedia.orgs.models import ApiToken
from govmedia.tokens import hash_token
from tests.api.conftest import call, token_for
from tests.clients import back_office_client

pytestmark = pytest.mark.django_db

ADMIN = "/admin/orgs/apitoken"


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_the_hash_and_a_prefix_are_stored(frozen_clock, assigned_operator):
    token, raw = api_token_issue(user=assigned_operator, name="采编系统")
    assert raw.startswith("gmu_") and len(raw) == 4 + 43
    stored = ApiToken.objects.get()
    assert stored.token_hash == hash_token(raw) and raw not in str(ApiToken.objects.values().get())
    assert stored.prefix == raw[:11] and stored.created_at == frozen_clock.current
    assert api_token_authenticate(raw).user == assigned_operator


def test_a_purpose_over_100_characters_is_refused(frozen_clock, assigned_operator):
    with pytest.raises(ValidationError):
        api_token_issue(user=assigned_operator, name="长" * 101)


def test_nobody_revokes_another_users_token_but_a_supervisor_may(frozen_clock, assigned_operator, edu_unit_admin,
                                                                 supervisor):
    token, _raw = api_token_issue(user=assigned_operator, name="")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=edu_unit_admin)
    api_token_revoke(token=token, by=supervisor)
    with pytest.raises(Conflict, match="已于"):
        api_token_revoke(token=token, by=assigned_operator)


def test_the_page_issues_a_token_shown_once_and_never_again(frozen_clock, assigned_operator, api):
    browser = _logged_in(assigned_operator)
    issued = browser.post("/api/v1/tokens/", {"name": "单位采编系统"})
    assert issued.status_code == 200 and "no-cache" in issued["Cache-Control"]
    raw = issued.context["raw_token"]
    assert raw in issued.content.decode()
    assert raw not in browser.get("/api/v1/tokens/").content.decode()
    assert call(api, "GET", "/api/v1/drafts", raw).status_code == 200
    entry = AuditEntry.objects.get(object_type="orgs.ApiToken", action="create")
    assert entry.actor_id == assigned_operator.pk and raw not in str(entry.changes)


def test_the_page_lists_only_ones_own_tokens(frozen_clock, assigned_operator, edu_reviewer):
    token_for(edu_reviewer, "审核员的脚本")
    token_for(assigned_operator, "我的系统")
    page = _logged_in(assigned_operator).get("/api/v1/tokens/").content.decode()
    assert "我的系统" in page and "审核员的脚本" not in page


def test_a_user_revokes_their_token_on_the_page_and_it_stops_working(frozen_clock, assigned_operator, api):
    raw = token_for(assigned_operator)
    response = _logged_in(assigned_operator).post(f"/api/v1/tokens/{ApiToken.objects.get().pk}/revoke")
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at == frozen_clock.current
    assert call(api, "GET", "/api/v1/drafts", raw).status_code == 401


def test_another_users_token_is_404_on_the_page_and_stays_live(frozen_clock, assigned_operator, edu_unit_admin):
    token_for(assigned_operator)
    response = _logged_in(edu_unit_admin).post(f"/api/v1/tokens/{ApiToken.objects.get().pk}/revoke")
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    assert AuditEntry.objects.filter(action="denied", changes__status=404).exists()


def test_the_page_needs_a_login_and_a_csrf_token(frozen_clock, assigned_operator):
    assert Client().get("/api/v1/tokens/").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(assigned_operator)
    assert strict.post("/api/v1/tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_back_office_shows_tokens_to_supervisors_without_any_hash(frozen_clock, assigned_operator, supervisor):
    token_for(assigned_operator)
    token = ApiToken.objects.get()
    office = back_office_client(supervisor)
    for url in (f"{ADMIN}/", f"{ADMIN}/{token.pk}/change/"):
        page = office.get(url)
        assert page.status_code == 200
        assert token.token_hash not in page.content.decode() and "token_hash" not in page.content.decode()
    assert office.get(f"{ADMIN}/add/").status_code == 403
    office.post(f"{ADMIN}/", {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.objects.get().revoked_at == frozen_clock.current


def test_a_unit_admin_cannot_see_or_revoke_tokens_in_the_back_office(frozen_clock, assigned_operator,
                                                                       edu_unit_admin):
    token_for(assigned_operator)
    office = back_office_client(edu_unit_admin)
    assert office.get(f"{ADMIN}/").status_code == 403
    office.post(f"{ADMIN}/", {"action": "revoke", "_selected_action": [ApiToken.objects.get().pk]})
    assert ApiToken.objects.get().revoked_at is None
