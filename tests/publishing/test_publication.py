from datetime import timedelta

import pytest

from govmedia.errors import PermissionDenied, RuleViolation, ValidationError
from govmedia.publishing.models import DraftState, LedgerEntry
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.review import review_approve
from tests.publishing.factories import draft_for


@pytest.fixture
def approved(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    return review_approve(draft=draft_for(assigned_operator, edu_weibo, submit=True), by=edu_reviewer)


def test_recording_the_url_publishes_the_draft_onto_the_ledger(approved, assigned_operator, frozen_clock):
    draft = publication_record(draft=approved, by=assigned_operator, url="https://weibo.com/xhaedu/1",
                               published_at=frozen_clock.current)
    assert draft.state == DraftState.PUBLISHED and draft.published_url == "https://weibo.com/xhaedu/1"
    assert LedgerEntry.objects.get().draft == draft


def test_a_colleague_of_the_unit_may_record_it_another_unit_may_not(approved, edu_unit_admin, street_unit_admin,
                                                                    frozen_clock):
    with pytest.raises(PermissionDenied):
        publication_record(draft=approved, by=street_unit_admin, url="https://weibo.com/x/1",
                           published_at=frozen_clock.current)
    publication_record(draft=approved, by=edu_unit_admin, url="https://weibo.com/x/1",
                       published_at=frozen_clock.current)


def test_only_an_approved_draft_is_recorded_once(frozen_clock, assigned_operator, edu_weibo, approved):
    pending = draft_for(assigned_operator, edu_weibo, submit=True)
    with pytest.raises(RuleViolation, match="审核中"):
        publication_record(draft=pending, by=assigned_operator, url="https://weibo.com/x/1",
                           published_at=frozen_clock.current)
    publication_record(draft=approved, by=assigned_operator, url="https://weibo.com/x/1",
                       published_at=frozen_clock.current)
    with pytest.raises(RuleViolation, match="已发布"):
        publication_record(draft=approved, by=assigned_operator, url="https://weibo.com/x/2",
                           published_at=frozen_clock.current)
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "ftp://example.cn/x", "https://user:pw@weibo.com/1"])
def test_a_bad_url_is_refused(approved, assigned_operator, frozen_clock, url):
    with pytest.raises(ValidationError):
        publication_record(draft=approved, by=assigned_operator, url=url, published_at=frozen_clock.current)


def test_a_time_before_approval_or_in_the_future_is_refused(approved, assigned_operator, frozen_clock):
    for when in (frozen_clock.current - timedelta(hours=1), frozen_clock.current + timedelta(hours=1)):
        with pytest.raises(ValidationError):
            publication_record(draft=approved, by=assigned_operator, url="https://weibo.com/x/1", published_at=when)
