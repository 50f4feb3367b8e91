"""Push tokens: shown once, stored as a hash, scoped to one account, revocable, issued by who keeps sources."""

import hashlib

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.errors import Conflict, PermissionDenied
from govmedia.monitoring.models import PushToken
from govmedia.monitoring.services.tokens import token_authenticate, token_issue, token_revoke

pytestmark = pytest.mark.django_db


def test_an_issued_token_is_returned_once_and_only_its_hash_and_prefix_are_stored(edu_weibo, edu_unit_admin,
                                                                                   frozen_clock):
    token, raw = token_issue(account=edu_weibo, name=" 发布系统 ", by=edu_unit_admin, now=frozen_clock.current)
    assert raw.startswith("gm_") and len(raw) == 46
    stored = PushToken.objects.get()
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.prefix == raw[:10] and raw not in str(PushToken.objects.values().get())
    assert (stored.account, stored.name, stored.created_by, stored.created_at) == (
        edu_weibo, "发布系统", edu_unit_admin, frozen_clock.current)
    entry = AuditEntry.objects.get(object_type="monitoring.PushToken", action="create")
    assert entry.object_id == str(token.pk) and raw not in str(entry.changes)


def test_two_issued_tokens_differ(edu_weibo, edu_unit_admin, frozen_clock):
    raws = {token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)[1]
            for _ in range(2)}
    assert len(raws) == 2


def test_a_token_authenticates_as_its_account_and_is_marked_used(edu_weibo, edu_unit_admin, frozen_clock):
    token, raw = token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)
    later = frozen_clock.advance(minutes=5)
    found = token_authenticate(raw)
    assert found == token and found.account == edu_weibo
    assert PushToken.objects.get().last_used_at == later


def test_a_revoked_token_no_longer_authenticates(edu_weibo, edu_unit_admin, frozen_clock):
    token, raw = token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)
    token_revoke(token=token, by=edu_unit_admin, now=frozen_clock.advance(hours=1))
    assert token_authenticate(raw) is None
    assert PushToken.objects.get().revoked_at == frozen_clock.current
    assert AuditEntry.objects.filter(object_type="monitoring.PushToken", action="update",
                                     changes__has_key="revoked_at").exists()


def test_revoking_a_revoked_token_is_a_conflict_naming_when(edu_weibo, edu_unit_admin, frozen_clock):
    token, _raw = token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)
    token_revoke(token=token, by=edu_unit_admin, now=frozen_clock.current)
    stale = PushToken.objects.get()
    stale.revoked_at = None  # a page loaded before the first revocation
    with pytest.raises(Conflict, match="已于 2026-03-02 10:00 吊销"):
        token_revoke(token=stale, by=edu_unit_admin, now=frozen_clock.advance(hours=1))


@pytest.mark.parametrize("raw", ["", "gm_", "gm_unknown", "GM_abc", "x" * 46, "gm_" + "a" * 500, "Bearer gm_x"])
def test_strings_that_are_no_live_token_do_not_authenticate(edu_weibo, edu_unit_admin, frozen_clock, raw):
    token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)
    assert token_authenticate(raw) is None


def test_the_hash_alone_does_not_authenticate(edu_weibo, edu_unit_admin, frozen_clock):
    token, _raw = token_issue(account=edu_weibo, name="", by=edu_unit_admin, now=frozen_clock.current)
    assert token_authenticate(token.token_hash) is None
    assert token_authenticate("gm_" + token.token_hash) is None


@pytest.mark.parametrize(("persona", "account", "allowed"), [
    ("supervisor", "edu_weibo", True),
    ("edu_unit_admin", "edu_weibo", True),
    ("edu_unit_admin", "school_douyin", True),   # school is within edu's remit
    ("water_co_admin", "water_co_wechat", True),
    ("street_unit_admin", "edu_weibo", False),   # another unit
    ("edu_leader", "edu_weibo", False),
    ("edu_reviewer", "edu_weibo", False),
    ("assigned_operator", "edu_weibo", False),   # operates the account, does not hold its credentials
    ("water_leader", "water_co_wechat", False),  # competent unit's leader
])
def test_only_supervisors_and_unit_admins_over_the_host_unit_issue_and_revoke(request, frozen_clock, supervisor,
                                                                             persona, account, allowed):
    user, account = request.getfixturevalue(persona), request.getfixturevalue(account)
    if allowed:
        token, _raw = token_issue(account=account, name="", by=user, now=frozen_clock.current)
        token_revoke(token=token, by=user, now=frozen_clock.current)
        return
    with pytest.raises(PermissionDenied, match="无权为账号"):
        token_issue(account=account, name="", by=user, now=frozen_clock.current)
    token, _raw = token_issue(account=account, name="", by=supervisor, now=frozen_clock.current)
    with pytest.raises(PermissionDenied, match="无权吊销"):
        token_revoke(token=token, by=user, now=frozen_clock.current)
    assert PushToken.objects.get().revoked_at is None
