"""Checking new posts (content, links once a day, repost sources, repost tasks) and accounts (activity only
when their sources can tell, overdue repost tasks, follower anomalies), with findings that fix themselves."""

from datetime import timedelta

import pytest

from govmedia.monitoring.engine.linkcheck import LinkChecker
from govmedia.monitoring.engine.types import REPOST, SourceReading
from govmedia.monitoring.models import (
    Alert,
    Finding,
    FindingEvent,
    FindingState,
    LinkCheck,
    Post,
    RepostCompletion,
    SourceHealth,
)
from govmedia.monitoring.services import checking
from govmedia.monitoring.services.checking import check_accounts, check_pending_posts, url_hash
from govmedia.monitoring.services.ingest import ingest_reading
from govmedia.registry.models import AccountStatus, FollowerSnapshot
from tests.factories import AccountFactory
from tests.monitoring.factories import ApprovedSourceFactory, PostFactory, RepostTaskFactory, SourceFactory
from tests.monitoring.local_server import Reply
from tests.monitoring.services.test_ingest import item, ok
from tests.threads import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(local_server):
    """A site with a working page and a missing one, and a link checker allowed to reach it."""
    local_server.routes["/ok"] = Reply(200, "<html>正常页面</html>")
    local_server.routes["/gone"] = Reply(404, "<html>页面不存在</html>")
    local_server.checker = LinkChecker(allow_private=True, retries=0, timeout=3, host_interval=0)
    return local_server


def pending(account, **values) -> Post:
    """A post not yet checked, published an hour before it was seen."""
    return PostFactory(account=account, checked_at=None, **values)


def codes_of(**filters) -> list[str]:
    return sorted(Finding.objects.filter(**filters).values_list("code", flat=True))


def run(now, links=None) -> int:
    return check_pending_posts(now=now, link_checker=links.checker if links else None)


# ---------------------------------------------------------------- posts


def test_new_posts_are_checked_once_with_their_content_and_broken_link_findings(frozen_clock, edu_weibo, links):
    bad = pending(edu_weibo, title="再接再励", text="详见 " + links.url("/gone"),
                  links=[links.url("/ok"), links.url("/gone")])
    clean = pending(edu_weibo, links=[links.url("/ok")])
    assert run(frozen_clock.current, links) == 2
    assert codes_of(post=bad) == ["broken_link", "typo"] and codes_of(post=clean) == []
    assert set(Post.objects.values_list("checked_at", flat=True)) == {frozen_clock.current}
    broken = Finding.objects.get(code="broken_link")
    assert broken.evidence["url"] == links.url("/gone") and broken.evidence["http_status"] == 404
    assert broken.evidence["verdict"] == "client_error" and broken.evidence["start"] == 8
    assert run(frozen_clock.advance(hours=1), links) == 0 and Finding.objects.count() == 2


def test_a_link_in_many_posts_is_checked_once_a_day(frozen_clock, edu_weibo, edu_wechat, links):
    for account in (edu_weibo, edu_wechat, edu_weibo):
        pending(account, links=[links.url("/gone"), links.url("/gone#part2")])
    run(frozen_clock.current, links)
    requests_first_day = len(links.requests_to("/gone"))
    pending(edu_wechat, links=[links.url("/gone")])
    run(frozen_clock.advance(hours=2), links)
    assert len(links.requests_to("/gone")) == requests_first_day  # the day's stored verdict answered
    assert LinkCheck.objects.count() == 1 and Finding.objects.filter(code="broken_link").count() == 7
    pending(edu_wechat, links=[links.url("/gone")])
    run(frozen_clock.advance(days=1), links)
    assert len(links.requests_to("/gone")) > requests_first_day and LinkCheck.objects.count() == 2


class CountingChecker(LinkChecker):
    """The real checker, counting how often it is run and on how many links."""

    def __init__(self, **options):
        super().__init__(**options)
        self.runs: list[int] = []

    def check_many(self, urls, *, today=None):
        urls = list(urls)
        self.runs.append(len(urls))
        return super().check_many(urls, today=today)


def test_links_of_every_pending_post_are_checked_in_one_run_ahead_of_the_post_batches(frozen_clock, edu_weibo,
                                                                                     links):
    # One run per batch of posts would leave the checker idle behind each batch's slowest link.
    for n in range(checking.BATCH * 2 + 10):
        links.routes[f"/ok/{n}"] = links.routes["/ok"]
        pending(edu_weibo, links=[links.url(f"/ok/{n}"), links.url("/gone")])
    counting = CountingChecker(allow_private=True, retries=1, timeout=5, host_interval=0)
    assert check_pending_posts(now=frozen_clock.current, link_checker=counting) == checking.BATCH * 2 + 10
    assert counting.runs == [checking.BATCH * 2 + 11]
    assert Finding.objects.filter(code="broken_link").count() == checking.BATCH * 2 + 10


def test_links_beyond_one_chunk_are_checked_in_several_runs_each_link_once(frozen_clock, edu_weibo, links):
    for n in range(30):
        links.routes[f"/ok/{n}"] = links.routes["/ok"]
        pending(edu_weibo, links=[links.url(f"/ok/{n}"), links.url("/gone")])
    counting = CountingChecker(allow_private=True, retries=0, timeout=3, host_interval=0)
    pending_posts = Post.objects.filter(checked_at__isnull=True)
    assert checking.check_pending_links(pending_posts, now=frozen_clock.current, checker=counting, chunk=10) > 0
    assert sum(counting.runs) == 31 and len(counting.runs) >= 3
    assert LinkCheck.objects.count() == 31


def test_the_days_stored_verdict_is_used_without_asking_the_site(frozen_clock, edu_weibo, links):
    url = "https://www.example.gov.cn/notice/1"
    LinkCheck.objects.create(url=url, url_hash=url_hash(url), day=frozen_clock.today, verdict="server_error",
                             http_status=503, checked_at=frozen_clock.current)
    post = pending(edu_weibo, links=[url])
    run(frozen_clock.current, links)
    assert codes_of(post=post) == ["broken_link"] and links.requests == []


def test_a_link_the_ssrf_guard_refuses_is_no_broken_link(frozen_clock, edu_weibo, local_server):
    local_server.routes["/gone"] = Reply(404)
    post = pending(edu_weibo, links=[local_server.url("/gone")])
    check_pending_posts(now=frozen_clock.current)  # the default checker: private addresses refused
    assert codes_of(post=post) == [] and local_server.requests == []
    assert LinkCheck.objects.get().verdict == "blocked"


def test_a_repost_must_name_a_source_on_the_approved_list(frozen_clock, edu_weibo):
    ApprovedSourceFactory(name="新华社", aliases="新华网")
    approved = pending(edu_weibo, kind=REPOST, repost_source="新华社客户端")
    alias = pending(edu_weibo, kind=REPOST, repost_source="新华网")
    unapproved = pending(edu_weibo, kind=REPOST, repost_source="某某观察")
    unnamed = pending(edu_weibo, kind=REPOST, repost_source="")
    run(frozen_clock.current)
    assert codes_of(post=approved) == codes_of(post=alias) == []
    assert codes_of(post=unapproved) == ["repost_unapproved_source"]
    assert codes_of(post=unnamed) == ["repost_without_source"]


def test_a_post_linking_to_a_task_notice_completes_the_task(frozen_clock, edu_weibo, edu_wechat):
    task = RepostTaskFactory(accounts=[edu_weibo, edu_wechat], notice_url="https://www.qingdao.gov.cn/n/1")
    post = pending(edu_weibo, links=["https://www.qingdao.gov.cn/n/1?from=timeline"])
    pending(edu_wechat, title="今日天气")
    run(frozen_clock.current)
    completion = RepostCompletion.objects.get()
    assert (completion.task, completion.account, completion.post, completion.matched_by) == (
        task, edu_weibo, post, "link")


def test_an_edited_post_checked_again_fixes_what_the_edit_removed(frozen_clock, edu_weibo):
    post = pending(edu_weibo, title="再接再励", text="机密★5年")
    run(frozen_clock.current)
    Post.objects.filter(pk=post.pk).update(title="再接再厉", checked_at=None)
    run(frozen_clock.advance(hours=1))
    typo = Finding.objects.get(code="typo")
    assert typo.state == FindingState.FIXED and "信息修改后复查未再发现" in typo.state_reason
    assert Finding.objects.get(code="secret_marking").state == FindingState.OPEN
    assert FindingEvent.objects.filter(finding=typo, action="state", to_state="fixed").exists()


class Killed(BaseException):
    """The worker process dying: nothing in the pipeline may catch it."""


def test_a_worker_killed_mid_run_leaves_the_rest_unchecked_and_the_next_run_duplicates_nothing(
        frozen_clock, edu_weibo, monkeypatch):
    posts = [pending(edu_weibo, title=f"再接再励{n}") for n in range(3)]
    record = checking.record_post_findings

    def dies_on_the_second(*, post, **kwargs):
        result = record(post=post, **kwargs)
        if post.pk == posts[1].pk:
            raise Killed
        return result

    monkeypatch.setattr(checking, "record_post_findings", dies_on_the_second)
    with pytest.raises(Killed):
        run(frozen_clock.current)
    assert Finding.objects.count() == 1 and Post.objects.filter(checked_at__isnull=True).count() == 2
    monkeypatch.undo()
    assert run(frozen_clock.advance(minutes=5)) == 2
    assert Finding.objects.count() == 3 and sorted(Finding.objects.values_list("post_id", flat=True)) == [
        p.pk for p in posts]


def test_a_post_the_checks_choke_on_stays_unchecked_and_the_others_are_checked(frozen_clock, edu_weibo, monkeypatch):
    choking, fine = pending(edu_weibo, title="坏"), pending(edu_weibo, title="好")
    check_post = checking.check_post

    def chokes(post, **kwargs):
        if post.title == "坏":
            raise ValueError("无法检查")
        return check_post(post, **kwargs)

    monkeypatch.setattr(checking, "check_post", chokes)
    assert run(frozen_clock.current) == 1
    assert Post.objects.get(pk=choking.pk).checked_at is None and Post.objects.get(pk=fine.pk).checked_at


def test_checking_a_clean_post_takes_a_few_queries(frozen_clock, edu_weibo, django_assert_max_num_queries):
    for _ in range(30):
        pending(edu_weibo)
    # Per batch: 12, and one asking which of its accounts' units review before publishing (issue 9).
    with django_assert_max_num_queries(30 * 3 + 13):
        assert run(frozen_clock.current) == 30


# ---------------------------------------------------------------- accounts


@pytest.fixture
def feed(frozen_clock, edu_weibo):
    """edu_weibo's feed, read successfully."""
    return SourceFactory(account=edu_weibo, health=SourceHealth.OK)


def published(account, days_ago: int, now, **values) -> Post:
    return PostFactory(account=account, published_at=now - timedelta(days=days_ago), **values)


def open_codes(account) -> list[str]:
    return codes_of(account=account, state=FindingState.OPEN)


def test_an_account_silent_for_two_weeks_gets_the_veto_and_posting_again_fixes_it(frozen_clock, edu_weibo, feed,
                                                                                 edu_unit_admin):
    published(edu_weibo, 20, frozen_clock.current)
    assert check_accounts(now=frozen_clock.current) == 1
    assert open_codes(edu_weibo) == ["no_original_2_weeks", "no_update_2_weeks", "not_weekly", "not_weekly"]
    veto = Finding.objects.get(code="no_update_2_weeks")
    assert veto.evidence["window_start"] == "2026-02-10" and veto.evidence["window_end"] == "2026-03-02"
    assert Alert.objects.filter(finding=veto, recipient=edu_unit_admin).exists()
    published(edu_weibo, 0, frozen_clock.advance(hours=1))
    check_accounts(now=frozen_clock.current)
    veto.refresh_from_db()
    assert veto.state == FindingState.FIXED and "问题已不存在" in veto.state_reason
    # The silent weeks happened, and stay; they are no longer news, they are history.
    assert open_codes(edu_weibo) == ["no_original_2_weeks", "not_weekly", "not_weekly"]


def test_the_same_silence_found_every_day_is_one_finding(frozen_clock, edu_weibo, feed):
    for _ in range(3):
        check_accounts(now=frozen_clock.current)
        frozen_clock.advance(days=1)
    veto = Finding.objects.get(code="no_update_2_weeks")
    assert veto.times_found == 3 and veto.events.count() == 1 and veto.evidence["window_end"] == "2026-03-04"


def test_a_broken_source_never_makes_an_account_silent(frozen_clock, edu_weibo):
    SourceFactory(account=edu_weibo, health=SourceHealth.BROKEN)
    published(edu_weibo, 60, frozen_clock.current)
    assert check_accounts(now=frozen_clock.current) == 0 and Finding.objects.count() == 0


def test_a_broken_source_never_makes_an_account_active(frozen_clock, edu_weibo, feed):
    check_accounts(now=frozen_clock.current)
    ingest_reading(source=feed, reading=SourceReading(status="broken", reason="captcha"),
                   now=frozen_clock.advance(days=1))
    check_accounts(now=frozen_clock.current)
    veto = Finding.objects.get(code="no_update_2_weeks")
    assert veto.state == FindingState.OPEN and veto.times_found == 1


def test_an_account_read_by_one_broken_and_one_working_source_is_judged(frozen_clock, edu_weibo, feed):
    SourceFactory(account=edu_weibo, health=SourceHealth.BROKEN)
    assert check_accounts(now=frozen_clock.current) == 1


def test_accounts_without_sources_not_yet_read_or_closed_are_not_judged(frozen_clock, edu_weibo, edu_wechat,
                                                                        street_weibo):
    SourceFactory(account=edu_wechat)  # never read yet
    SourceFactory(account=street_weibo, health=SourceHealth.OK)
    street_weibo.status = AccountStatus.CLOSED
    street_weibo.save()
    assert check_accounts(now=frozen_clock.current) == 0 and Finding.objects.count() == 0


def test_a_push_source_lets_the_account_be_judged_from_the_day_it_was_added(frozen_clock, edu_weibo):
    push = SourceFactory(account=edu_weibo, kind="push", url="")
    push.created_at = frozen_clock.current - timedelta(days=3)
    push.save()
    check_accounts(now=frozen_clock.current)
    assert Finding.objects.count() == 0  # three days of pushes say nothing of the weeks before
    frozen_clock.advance(days=12)
    check_accounts(now=frozen_clock.current)
    assert "no_update_2_weeks" in open_codes(edu_weibo)


def test_a_sleeping_account_that_becomes_a_zombie_keeps_its_sleeping_finding_open(frozen_clock, edu_weibo, feed):
    published(edu_weibo, 80, frozen_clock.current)
    check_accounts(now=frozen_clock.current)
    assert "sleeping" in open_codes(edu_weibo)
    check_accounts(now=frozen_clock.advance(days=15))
    assert {"sleeping", "zombie"} <= set(open_codes(edu_weibo))


def test_a_week_found_silent_is_fixed_when_posts_read_later_fill_it(frozen_clock, edu_weibo, feed):
    published(edu_weibo, 20, frozen_clock.current)
    published(edu_weibo, 1, frozen_clock.current)
    check_accounts(now=frozen_clock.current)
    week = Finding.objects.get(code="not_weekly", evidence__week_start="2026-02-16")
    published(edu_weibo, 12, frozen_clock.current)  # 02-18, read late (a source back from a failure)
    check_accounts(now=frozen_clock.advance(hours=1))
    week.refresh_from_db()
    assert week.state == FindingState.FIXED


def test_an_overdue_repost_task_is_a_finding_per_account_until_the_repost_is_seen(frozen_clock, edu_weibo, edu_wechat,
                                                                                  feed):
    SourceFactory(account=edu_wechat, health=SourceHealth.OK)
    for account in (edu_weibo, edu_wechat):
        published(account, 1, frozen_clock.current)
    task = RepostTaskFactory(accounts=[edu_weibo, edu_wechat], title="关于做好冬季森林防火工作的通告",
                             issued_at=frozen_clock.current - timedelta(days=3),
                             deadline=frozen_clock.current - timedelta(days=1))
    check_accounts(now=frozen_clock.current)
    overdue = Finding.objects.filter(code="repost_task_overdue")
    assert sorted(overdue.values_list("account__name", flat=True)) == ["西海岸教体", "西海岸教育发布"]
    assert overdue.first().evidence["task_id"] == task.pk
    pending(edu_weibo, title="转发：关于做好冬季森林防火工作的通告")
    run(frozen_clock.advance(hours=1))
    check_accounts(now=frozen_clock.current)
    assert overdue.get(account=edu_weibo).state == FindingState.FIXED
    assert overdue.get(account=edu_wechat).state == FindingState.OPEN


def test_a_repost_made_before_the_task_was_issued_counts(frozen_clock, edu_weibo, feed):
    published(edu_weibo, 2, frozen_clock.current, title="关于做好冬季森林防火工作的通告",
              first_seen=frozen_clock.current - timedelta(days=2))  # seen and checked before the task existed
    RepostTaskFactory(accounts=[edu_weibo], title="关于做好冬季森林防火工作的通告",
                      issued_at=frozen_clock.current - timedelta(days=1),
                      deadline=frozen_clock.current - timedelta(hours=1))
    check_accounts(now=frozen_clock.current)
    assert RepostCompletion.objects.get().matched_by == "title"
    assert not Finding.objects.filter(code="repost_task_overdue").exists()


def test_a_follower_jump_no_popular_post_explains_is_an_anomaly(frozen_clock, edu_weibo, edu_wechat, feed):
    SourceFactory(account=edu_wechat, health=SourceHealth.OK)
    for account in (edu_weibo, edu_wechat):
        for day in range(10):
            FollowerSnapshot.objects.create(account=account, taken_on=frozen_clock.today - timedelta(days=10 - day),
                                            followers=1000 + 20 * day, source="feed")
        FollowerSnapshot.objects.create(account=account, taken_on=frozen_clock.today, followers=9000, source="feed")
    published(edu_wechat, 0, frozen_clock.current, reads=500_000)
    check_accounts(now=frozen_clock.current)
    assert Finding.objects.filter(code="follower_anomaly").get().account == edu_weibo


def test_reading_the_same_feed_again_makes_no_new_post_finding_or_alert(frozen_clock, edu_weibo, feed, links,
                                                                        edu_unit_admin):
    reading = ok(item(1, title="再接再励", links=[links.url("/gone")]), item(2), followers=100)
    rounds = []
    for _ in range(2):
        ingest_reading(source=feed, reading=reading, now=frozen_clock.current)
        run(frozen_clock.current, links)
        check_accounts(now=frozen_clock.current)
        rounds.append((Post.objects.count(), Finding.objects.count(), Alert.objects.count()))
        frozen_clock.advance(hours=1)
    assert rounds[0] == rounds[1] and Finding.objects.filter(post__isnull=False).count() == 2


def test_an_account_with_only_old_posts_counts_from_its_oldest_post(frozen_clock):
    account = AccountFactory()
    SourceFactory(account=account, health=SourceHealth.OK)
    published(account, 3, frozen_clock.current)
    check_accounts(now=frozen_clock.current)
    assert Finding.objects.count() == 0


def test_a_silent_week_that_slides_out_of_the_window_stays_as_it_was(frozen_clock, edu_weibo, feed):
    published(edu_weibo, 20, frozen_clock.current)
    published(edu_weibo, 1, frozen_clock.current)
    check_accounts(now=frozen_clock.current)
    for day in range(0, 60, 3):
        published(edu_weibo, -day, frozen_clock.current)
    check_accounts(now=frozen_clock.advance(days=60))
    assert set(Finding.objects.filter(code="not_weekly").values_list("state", flat=True)) == {FindingState.OPEN}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_checking_at_once_store_each_finding_once(frozen_clock):
    account = AccountFactory()
    SourceFactory(account=account, health=SourceHealth.OK)
    for n in range(6):
        pending(account, title=f"再接再励{n}", published_at=frozen_clock.current - timedelta(days=20 + n))
    posts = lambda: lambda: run(frozen_clock.current)  # noqa: E731
    accounts = lambda: lambda: check_accounts(now=frozen_clock.current)  # noqa: E731
    results = at_once(posts, posts, accounts, accounts)
    assert not [r for r in results if isinstance(r, Exception)]
    assert results[0] + results[1] == 6 and Finding.objects.filter(code="typo").count() == 6
    assert Finding.objects.filter(post__isnull=True).count() == Finding.objects.filter(post__isnull=True).values(
        "fingerprint").distinct().count() > 0


# ---------------------------------------------------------------- context (issue 8)

SEIZURE_NOTICE = ("近日，黄岛公安分局禁毒大队在辖区开展清查行动，当场查获冰毒12.5克、海洛因3.2克，"
                  "抓获犯罪嫌疑人2名。")


def test_a_seizure_notice_is_only_a_note_and_reaches_no_district_supervisor(frozen_clock, edu_weibo, feed,
                                                                           supervisor):
    ingest_reading(source=feed, reading=ok(item(1, title="禁毒大队破获一起贩毒案", text=SEIZURE_NOTICE)),
                   now=frozen_clock.current)
    run(frozen_clock.current)
    assert codes_of() == ["prohibited_mention", "prohibited_mention"]
    assert not Finding.objects.filter(escalated=True).exists()
    assert set(Finding.objects.values_list("severity", flat=True)) == {"info"}
    assert not Alert.objects.filter(recipient=supervisor).exists()


def test_a_drug_offered_for_sale_still_escalates_as_prohibited(frozen_clock, edu_weibo, feed, supervisor):
    ingest_reading(source=feed, reading=ok(item(1, text="冰毒现货，价格美丽，民警来了也不怕，私聊。")),
                   now=frozen_clock.current)
    run(frozen_clock.current)
    assert Finding.objects.get(code="prohibited").escalated is True
    assert Alert.objects.filter(recipient=supervisor, reason="district").exists()
