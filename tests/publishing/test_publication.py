from datetime import timedelta

import pytest

from govmedia.errors import PermissionDenied, RuleViolation, ValidationError
from govmedia.monitoring.models import Finding, FindingState, Post
from govmedia.monitoring.services.checking import check_pending_posts
from govmedia.publishing.models import Draft, DraftState, LedgerEntry
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.review import review_approve
from tests.monitoring.factories import PostFactory
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


# ---------------------------------------------------------------- matched to what monitoring ingested


def ingest(account, clock, **kwargs):
    """A post monitoring read from the account, checked by the checking cycle as it arrives."""
    post = PostFactory(account=account, checked_at=None, first_seen=clock.current, **kwargs)
    check_pending_posts(now=clock.current)
    return post


def unreviewed(account):
    return Finding.objects.filter(account=account, code="unreviewed_post")


def test_an_approved_draft_is_published_by_the_post_with_its_title(approved, edu_weibo, frozen_clock):
    frozen_clock.advance(hours=1)
    post = ingest(edu_weibo, frozen_clock, title=" 秋季开学 工作会议召开", url="https://weibo.com/xhaedu/9")
    draft = Draft.objects.get(pk=approved.pk)
    assert draft.state == DraftState.PUBLISHED and draft.published_post == post
    assert draft.published_url == post.url and draft.published_at == post.published_at
    assert LedgerEntry.objects.get().content["published_url"] == post.url
    assert not unreviewed(edu_weibo).exists()


def test_a_post_of_a_draft_recorded_by_hand_is_linked_by_its_url(approved, assigned_operator, edu_weibo,
                                                                 frozen_clock):
    publication_record(draft=approved, by=assigned_operator, url="https://weibo.com/xhaedu/9",
                       published_at=frozen_clock.current)
    frozen_clock.advance(hours=1)
    post = ingest(edu_weibo, frozen_clock, title="标题在平台上改过", url="https://weibo.com/xhaedu/9")
    assert Draft.objects.get(pk=approved.pk).published_post == post and LedgerEntry.objects.count() == 1
    assert not unreviewed(edu_weibo).exists()


def test_a_post_with_no_approved_review_is_a_finding(approved, edu_weibo, frozen_clock):
    frozen_clock.advance(hours=1)
    post = ingest(edu_weibo, frozen_clock, title="未经审核的信息")
    finding = unreviewed(edu_weibo).get()
    assert finding.post == post and finding.get_code_display() == "未经审核发布" and finding.severity == "high"


def test_recording_the_publication_by_hand_fixes_the_finding(approved, assigned_operator, edu_weibo, frozen_clock):
    frozen_clock.advance(hours=1)
    post = ingest(edu_weibo, frozen_clock, title="平台上改过标题", url="https://weibo.com/xhaedu/7")
    assert unreviewed(edu_weibo).get().state == FindingState.OPEN
    publication_record(draft=approved, by=assigned_operator, url=post.url, published_at=post.published_at)
    assert unreviewed(edu_weibo).get().state == FindingState.FIXED


def test_a_post_from_before_the_approval_window_is_not_matched(approved, edu_weibo, frozen_clock):
    frozen_clock.advance(days=8)
    ingest(edu_weibo, frozen_clock, title=approved.title)
    assert Draft.objects.get(pk=approved.pk).state == DraftState.APPROVED and unreviewed(edu_weibo).exists()


def test_units_not_using_review_and_posts_before_the_first_draft_are_not_judged(frozen_clock, edu_weibo,
                                                                                street_weibo, assigned_operator):
    old = PostFactory(account=edu_weibo, checked_at=None, first_seen=frozen_clock.current,
                      published_at=frozen_clock.current - timedelta(days=1))
    frozen_clock.advance(hours=1)
    draft_for(assigned_operator, edu_weibo)
    ingest(street_weibo, frozen_clock, title="街道信息")
    assert Post.objects.get(pk=old.pk).checked_at is not None
    assert not Finding.objects.filter(code="unreviewed_post").exists()
