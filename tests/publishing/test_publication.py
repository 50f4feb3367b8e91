from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from govmedia.errors import PermissionDenied, RuleViolation, ValidationError
from govmedia.monitoring.engine import netguard
from govmedia.monitoring.models import Finding, FindingState, Post, SourceKind
from govmedia.monitoring.services.checking import check_pending_posts
from govmedia.publishing.models import Draft, DraftState, LedgerEntry
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.review import review_approve
from tests.factories import AccountFactory, platform
from tests.monitoring.factories import PostFactory, SourceFactory
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


@pytest.mark.parametrize("url", [None, "", "javascript:alert(1)", "ftp://example.cn/x", "https://user:pw@weibo.com/1"])
def test_a_bad_url_is_refused(approved, assigned_operator, frozen_clock, url):
    with pytest.raises(ValidationError):
        publication_record(draft=approved, by=assigned_operator, url=url, published_at=frozen_clock.current)


def test_a_time_before_approval_or_in_the_future_is_refused(approved, assigned_operator, frozen_clock):
    for when, why in ((frozen_clock.current - timedelta(hours=1), "早于审核通过时间 2026-03-02 10:00"),
                      (frozen_clock.current + timedelta(hours=1), "晚于现在")):
        with pytest.raises(ValidationError, match=why):
            publication_record(draft=approved, by=assigned_operator, url="https://weibo.com/x/1", published_at=when)


def test_a_time_typed_to_the_minute_of_the_approval_is_accepted(frozen_clock, assigned_operator, edu_reviewer,
                                                                 edu_weibo):
    frozen_clock.advance(seconds=30)  # approved at 10:00:30; the form says 10:00
    approved = review_approve(draft=draft_for(assigned_operator, edu_weibo, submit=True), by=edu_reviewer)
    frozen_clock.advance(minutes=1)
    draft = publication_record(draft=approved, by=assigned_operator, url="https://weibo.com/x/1",
                               published_at=approved.approved_at.replace(second=0))
    assert draft.state == DraftState.PUBLISHED


def test_a_naive_time_is_read_as_beijing_time(approved, assigned_operator, frozen_clock):
    frozen_clock.advance(hours=1)  # 11:00 Beijing, 03:00 UTC: 10:30 read as UTC would be in the future
    with pytest.raises(ValidationError, match="发布时间 2026-03-02 11:30 晚于现在"):
        publication_record(draft=approved, by=assigned_operator, url="https://weibo.com/x/1",
                           published_at=datetime(2026, 3, 2, 11, 30))
    draft = publication_record(draft=approved, by=assigned_operator, url="https://weibo.com/x/1",
                               published_at=datetime(2026, 3, 2, 10, 30))
    assert timezone.localtime(draft.published_at).replace(tzinfo=None) == datetime(2026, 3, 2, 10, 30)


@pytest.mark.parametrize("when", [None, "2026-03-02 10:30", 0])
def test_a_missing_or_unreadable_time_is_a_clear_error(approved, assigned_operator, frozen_clock, when):
    with pytest.raises(ValidationError, match="请填写发布时间"):
        publication_record(draft=approved, by=assigned_operator, url="https://weibo.com/x/1", published_at=when)


# ---------------------------------------------------------------- whose URL it is


def record(draft, by, url, clock):
    return publication_record(draft=draft, by=by, url=url, published_at=clock.current)


@pytest.mark.parametrize("url", ["https://m.weibo.cn/status/4990", "https://weibo.com/xhaedu/1",
                                 "http://www.weibo.com/1"])
def test_a_link_on_the_accounts_platform_is_accepted(approved, assigned_operator, frozen_clock, url):
    assert record(approved, assigned_operator, url, frozen_clock).published_url == url


@pytest.mark.parametrize("url", ["https://mp.weixin.qq.com/s/abc", "https://notweibo.com/1",
                                 "https://weibo.com.example.cn/1", "https://example.cn/weibo.com"])
def test_a_link_elsewhere_is_refused_saying_where_it_should_be(approved, assigned_operator, frozen_clock, url):
    with pytest.raises(ValidationError, match="不属于本稿件的发布账号.*西海岸教育发布（新浪微博：weibo.com、weibo.cn）"):
        record(approved, assigned_operator, url, frozen_clock)


def test_the_refusal_names_each_expected_domain_once(approved, assigned_operator, frozen_clock, edu_weibo):
    edu_weibo.access_url = "https://weibo.com/xhaedu"
    edu_weibo.save()
    with pytest.raises(ValidationError, match=r"（新浪微博：weibo\.com、weibo\.cn）"):
        record(approved, assigned_operator, "https://example.cn/1", frozen_clock)


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://10.0.0.8/post/1", "http://[::1]/x",
                                 "http://169.254.169.254/latest/meta-data", "http://localhost:8000/x"])
def test_an_internal_address_is_refused_even_as_the_accounts_own_site(approved, assigned_operator, frozen_clock,
                                                                      edu_weibo, url, settings):
    settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = False
    edu_weibo.access_url = url.rsplit("/", 1)[0] + "/"
    edu_weibo.save()
    with pytest.raises(ValidationError, match="内网、本机或保留地址"):
        record(approved, assigned_operator, url, frozen_clock)
    assert Draft.objects.get(pk=approved.pk).state == DraftState.APPROVED


def test_a_link_on_the_accounts_own_site_or_monitored_column_is_accepted(frozen_clock, edu, edu_unit_admin,
                                                                         edu_reviewer, monkeypatch):
    monkeypatch.setattr(netguard, "resolve", lambda host, port: ["1.2.4.8"])
    app = AccountFactory(host_unit=edu, platform=platform("app"), name="西海岸教育APP", account_id="xhaedu-app",
                         access_url="https://app.xhaedu.gov.cn/", operators=[edu_unit_admin])
    SourceFactory(account=app, kind=SourceKind.WEB, url="https://www.xhaedu.gov.cn/col/news/")
    drafts = [review_approve(draft=draft_for(edu_unit_admin, app, title=f"稿件{n}", submit=True), by=edu_reviewer)
              for n in (1, 2, 3)]
    with pytest.raises(ValidationError, match="西海岸教育APP（移动客户端（APP）：app.xhaedu.gov.cn、www.xhaedu.gov.cn）"):
        record(drafts[0], edu_unit_admin, "https://weibo.com/1", frozen_clock)
    record(drafts[0], edu_unit_admin, "https://app.xhaedu.gov.cn/news/1", frozen_clock)
    record(drafts[1], edu_unit_admin, "https://www.xhaedu.gov.cn/col/news/2.html", frozen_clock)
    app.access_url = ""
    app.save()
    app.sources.all().delete()
    with pytest.raises(ValidationError, match="未知域名，请先填写账号的访问链接"):
        record(drafts[2], edu_unit_admin, "https://app.xhaedu.gov.cn/news/3", frozen_clock)


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


def test_a_title_shared_by_two_approved_drafts_matches_neither(approved, assigned_operator, edu_reviewer,
                                                               edu_weibo, frozen_clock):
    twin = review_approve(draft=draft_for(assigned_operator, edu_weibo, submit=True), by=edu_reviewer)
    assert twin.title == approved.title
    frozen_clock.advance(hours=1)
    post = ingest(edu_weibo, frozen_clock, title=approved.title, url="https://weibo.com/xhaedu/9")
    assert set(Draft.objects.filter(pk__in=[approved.pk, twin.pk]).values_list("state", flat=True)) == {
        DraftState.APPROVED}
    assert unreviewed(edu_weibo).get().post == post


def test_a_second_post_with_the_title_of_a_matched_draft_is_not_covered_by_it(approved, edu_weibo, frozen_clock):
    frozen_clock.advance(hours=1)
    first = ingest(edu_weibo, frozen_clock, title=approved.title, url="https://weibo.com/xhaedu/9")
    assert Draft.objects.get(pk=approved.pk).published_post == first
    frozen_clock.advance(hours=1)
    second = ingest(edu_weibo, frozen_clock, title=approved.title, url="https://weibo.com/xhaedu/10")
    assert unreviewed(edu_weibo).get().post == second
    assert Draft.objects.get(pk=approved.pk).published_post == first and LedgerEntry.objects.count() == 1


def test_two_posts_with_the_drafts_title_arriving_together_match_neither(approved, edu_weibo, frozen_clock):
    frozen_clock.advance(hours=1)
    posts = [PostFactory(account=edu_weibo, checked_at=None, first_seen=frozen_clock.current, title=approved.title,
                         url=f"https://weibo.com/xhaedu/{n}") for n in (1, 2)]
    check_pending_posts(now=frozen_clock.current)
    assert Draft.objects.get(pk=approved.pk).state == DraftState.APPROVED
    assert set(unreviewed(edu_weibo).values_list("post", flat=True)) == {post.pk for post in posts}
