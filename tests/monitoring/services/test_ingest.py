"""Ingesting readings: source health apart from posts, posts merged with what is known, deletions noticed,
follower counts kept, hostile values fitted."""

from datetime import datetime, timedelta

import pytest

from govmedia.monitoring.engine.types import (
    BROKEN,
    NOT_MODIFIED,
    OK,
    ORIGINAL,
    REPOST,
    FetchedPost,
    SourceReading,
)
from govmedia.monitoring.models import Post, Source, SourceHealth, SourceKind
from govmedia.monitoring.services.ingest import ingest_posts, ingest_reading
from govmedia.registry.models import FollowerSnapshot
from tests.conftest import BEIJING
from tests.factories import AccountFactory
from tests.monitoring.factories import PostFactory, SourceFactory
from tests.threads import at_once

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=BEIJING)


def item(n: int, *, hours_ago: int | None = None, **values) -> FetchedPost:
    """The n-th item of a feed, published n hours before 08:00 unless told."""
    published = MORNING - timedelta(hours=n if hours_ago is None else hours_ago)
    defaults = {"post_id": f"guid-{n}", "url": f"https://weibo.example.cn/xhaedu/{n}",
                "title": f"第{n}条政务信息", "text": f"第{n}条信息的正文。", "published": published}
    return FetchedPost(**(defaults | values))


def ok(*posts: FetchedPost, **values) -> SourceReading:
    return SourceReading(status=OK, posts=list(posts), **values)


def broken(reason: str = "cookies_expired", detail: str = "HTTP 432") -> SourceReading:
    return SourceReading(status=BROKEN, reason=reason, detail=detail, http_status=432)


@pytest.fixture
def source(frozen_clock, edu_weibo) -> Source:
    return SourceFactory(account=edu_weibo)


def fresh(source: Source) -> Source:
    return Source.objects.get(pk=source.pk)


# ---------------------------------------------------------------- source health


def test_a_broken_reading_marks_only_the_source_broken_from_its_first_failure(frozen_clock, source):
    ingest_reading(source=source, reading=ok(item(1)), now=frozen_clock.current)
    post = Post.objects.get()
    first = frozen_clock.advance(hours=1)
    outcome = ingest_reading(source=source, reading=broken(), now=first)
    ingest_reading(source=source, reading=broken("captcha", "遇到验证码页"), now=frozen_clock.advance(hours=1))
    source = fresh(source)
    assert outcome.status == BROKEN and outcome.new_post_ids == []
    assert (source.health, source.health_reason, source.health_detail) == (SourceHealth.BROKEN, "captcha", "遇到验证码页")
    assert source.broken_since == first and source.consecutive_failures == 2
    assert source.last_attempt_at == frozen_clock.current and source.last_success_at < first
    assert Post.objects.get() == post and Post.objects.get().last_seen == post.last_seen


def test_a_reading_that_answers_again_makes_the_source_healthy_and_keeps_its_etag(frozen_clock, source):
    ingest_reading(source=source, reading=broken(), now=frozen_clock.current)
    ingest_reading(source=source, reading=ok(item(1), etag='"v2"', last_modified="Mon, 02 Mar 2026 01:00:00 GMT"),
                   now=frozen_clock.advance(hours=1))
    source = fresh(source)
    assert (source.health, source.health_reason, source.broken_since, source.consecutive_failures) == (
        SourceHealth.OK, "", None, 0)
    assert source.etag == '"v2"' and source.last_success_at == frozen_clock.current
    outcome = ingest_reading(source=source, reading=SourceReading(status=NOT_MODIFIED), now=frozen_clock.advance(hours=1))
    assert outcome.status == NOT_MODIFIED and outcome.new_post_ids == []
    assert fresh(source).etag == '"v2"' and fresh(source).last_success_at == frozen_clock.current


def test_a_broken_detail_longer_than_its_column_is_cut(frozen_clock, source):
    ingest_reading(source=source, reading=broken(detail="页面" * 400), now=frozen_clock.current)
    assert len(fresh(source).health_detail) == 500


# ---------------------------------------------------------------- posts


def test_new_posts_are_stored_unchecked_with_their_source_and_times(frozen_clock, source):
    outcome = ingest_reading(source=source, reading=ok(item(1), item(2, kind=REPOST, repost_source="新华社")),
                             now=frozen_clock.current)
    posts = Post.objects.order_by("pk")
    assert outcome.new_post_ids == [p.pk for p in posts] and len(posts) == 2
    first = posts[0]
    assert (first.platform_post_id, first.title, first.source, first.checked_at) == ("guid-1", "第1条政务信息", source, None)
    assert first.first_seen == first.last_seen == frozen_clock.current and first.published_at == MORNING - timedelta(hours=1)
    assert (posts[1].kind, posts[1].repost_source) == (REPOST, "新华社")


def test_reading_the_same_feed_again_creates_no_post_and_moves_last_seen(frozen_clock, source):
    ingest_reading(source=source, reading=ok(item(1), item(2)), now=frozen_clock.current)
    again = ingest_reading(source=source, reading=ok(item(1), item(2)), now=frozen_clock.advance(hours=1))
    assert again.new_post_ids == [] and (again.updated, again.unchanged) == (0, 2)
    assert Post.objects.count() == 2 and set(Post.objects.values_list("last_seen", flat=True)) == {frozen_clock.current}


def test_a_feed_that_renews_its_guids_duplicates_nothing_by_url_or_by_content(frozen_clock, source):
    ingest_reading(source=source, reading=ok(item(1), item(2, url="")), now=frozen_clock.current)
    renewed = ok(item(1, post_id="new-guid-1"), item(2, post_id="new-guid-2", url=""))
    outcome = ingest_reading(source=source, reading=renewed, now=frozen_clock.advance(hours=1))
    assert outcome.new_post_ids == [] and Post.objects.count() == 2
    assert set(Post.objects.values_list("platform_post_id", flat=True)) == {"guid-1", "guid-2"}


def test_the_same_words_published_at_another_time_are_another_post(frozen_clock, source):
    morning = item(1, url="", title="早安，西海岸", text="")
    evening = item(2, url="", title="早安，西海岸", text="", hours_ago=20)
    ingest_reading(source=source, reading=ok(morning), now=frozen_clock.current)
    ingest_reading(source=source, reading=ok(morning, evening), now=frozen_clock.advance(hours=1))
    assert Post.objects.count() == 2


def test_two_posts_without_words_are_told_apart_by_id(frozen_clock, source):
    videos = [item(n, url="", title="", text="", published=None) for n in (1, 2)]
    ingest_reading(source=source, reading=ok(*videos), now=frozen_clock.current)
    assert Post.objects.count() == 2 and set(Post.objects.values_list("content_hash", flat=True)) == {""}


def test_a_known_post_gets_its_latest_metrics(frozen_clock, source):
    ingest_reading(source=source, reading=ok(item(1, reads=100, likes=3)), now=frozen_clock.current)
    outcome = ingest_reading(source=source, reading=ok(item(1, reads=2500, likes=None)), now=frozen_clock.advance(hours=1))
    post = Post.objects.get()
    assert (outcome.updated, outcome.unchanged) == (1, 0)
    assert (post.reads, post.likes) == (2500, 3) and post.checked_at is None


def test_content_edited_on_the_platform_is_stored_and_checked_again(frozen_clock, source):
    ingest_reading(source=source, reading=ok(item(1, text="再接再励")), now=frozen_clock.current)
    Post.objects.update(checked_at=frozen_clock.current)
    ingest_reading(source=source, reading=ok(item(1, text="再接再厉")), now=frozen_clock.advance(hours=1))
    post = Post.objects.get()
    assert post.text == "再接再厉" and post.checked_at is None


def test_another_source_of_the_account_does_not_overwrite_a_posts_content(frozen_clock, source, edu_weibo):
    push = SourceFactory(account=edu_weibo, kind="push", url="")
    ingest_posts(account=edu_weibo, source=push, posts=[item(1, text="推送的全文，很长。", reads=10)],
                 now=frozen_clock.current)
    Post.objects.update(checked_at=frozen_clock.current)
    ingest_reading(source=source, reading=ok(item(1, text="摘要", reads=99)), now=frozen_clock.advance(hours=1))
    post = Post.objects.get()
    assert (post.text, post.reads, post.source) == ("推送的全文，很长。", 99, push) and post.checked_at is not None


def test_a_post_missing_from_the_span_the_reading_covers_is_deleted_on_the_platform_until_it_returns(
        frozen_clock, source):
    ingest_reading(source=source, reading=ok(item(1), item(2), item(3), item(4)), now=frozen_clock.current)
    without_2 = ingest_reading(source=source, reading=ok(item(1), item(3), item(4)), now=frozen_clock.advance(hours=1))
    assert without_2.deleted == 1
    assert list(Post.objects.filter(deleted_on_platform=True).values_list("platform_post_id", flat=True)) == ["guid-2"]
    # The feed now lists only its two newest items: the older ones fell out of it, they were not deleted.
    ingest_reading(source=source, reading=ok(item(1), item(2)), now=frozen_clock.advance(hours=1))
    assert not Post.objects.filter(deleted_on_platform=True).exists()


def test_posts_of_other_sources_or_without_a_time_are_never_judged_deleted(frozen_clock, source, edu_weibo):
    other = SourceFactory(account=edu_weibo)
    ingest_reading(source=other, reading=ok(item(2)), now=frozen_clock.current)
    ingest_reading(source=source, reading=ok(item(1), item(3), item(5, published=None)), now=frozen_clock.current)
    ingest_reading(source=source, reading=ok(item(1), item(3)), now=frozen_clock.advance(hours=1))
    assert not Post.objects.filter(deleted_on_platform=True).exists()


def test_a_publish_time_years_ahead_is_recorded_as_unknown(frozen_clock, source):
    # Believed, it would keep a silent account looking active until that year.
    far = frozen_clock.current.replace(year=9999)
    ingest_reading(source=source, reading=ok(item(1, published=far), item(2)), now=frozen_clock.current)
    published = dict(Post.objects.values_list("platform_post_id", "published_at"))
    assert published["guid-1"] is None and published["guid-2"] is not None


def test_articles_a_website_reading_leaves_out_are_never_judged_deleted(frozen_clock, edu_weibo):
    site = SourceFactory(account=edu_weibo, kind=SourceKind.WEB, url="https://www.example.gov.cn/jyj/")
    ingest_reading(source=site, reading=ok(item(1), item(2), item(3)), now=frozen_clock.current)
    ingest_reading(source=site, reading=ok(item(1), item(3)), now=frozen_clock.advance(hours=1))
    assert not Post.objects.filter(deleted_on_platform=True).exists()


def test_a_post_naming_its_own_account_or_host_unit_as_source_is_an_original(frozen_clock, source, edu_weibo):
    unit = edu_weibo.host_unit
    reading = ok(item(1, kind=REPOST, repost_source=unit.name), item(2, kind=REPOST, repost_source=edu_weibo.name),
                 item(3, kind=REPOST, repost_source="新华社"))
    ingest_reading(source=source, reading=reading, now=frozen_clock.current)
    kinds = dict(Post.objects.values_list("platform_post_id", "kind"))
    assert kinds == {"guid-1": ORIGINAL, "guid-2": ORIGINAL, "guid-3": REPOST}
    assert Post.objects.get(platform_post_id="guid-1").repost_source == ""


def test_followers_become_the_days_feed_snapshot_and_a_count_entered_by_hand_is_kept(frozen_clock, source, edu_weibo):
    ingest_reading(source=source, reading=ok(followers=1200), now=frozen_clock.current)
    ingest_reading(source=source, reading=ok(followers=1250), now=frozen_clock.advance(hours=2))
    snapshot = FollowerSnapshot.objects.get(account=edu_weibo)
    assert (snapshot.taken_on, snapshot.followers, snapshot.source) == (frozen_clock.today, 1250, "feed")
    FollowerSnapshot.objects.create(account=edu_weibo, taken_on=frozen_clock.today + timedelta(days=1),
                                    followers=1300, source="manual")
    ingest_reading(source=source, reading=ok(followers=1400), now=frozen_clock.advance(days=1))
    assert FollowerSnapshot.objects.get(account=edu_weibo, taken_on=frozen_clock.today).followers == 1300


def test_hostile_values_are_fitted_to_their_columns_and_never_raise(frozen_clock, source):
    long_id = "https://weibo.example.cn/" + "x" * 400
    hostile = [
        item(1, post_id=long_id + "a", title="标题" * 400, url="https://e.cn/" + "p" * 1200,
             text="正文\x00含空字符\ud800", reads=-5, likes=2**70, media_count=-1,
             links=["javascript:alert(1)", "https://ok.example.cn/a", "https://ok.example.cn/a", 7,
                    "https://e.cn/" + "q" * 2100],
             repost_source="来源" * 200, published=datetime(2026, 3, 1, 9, 0)),
        item(2, post_id=long_id + "b", title="另一条"),
    ]
    outcome = ingest_reading(source=source, reading=ok(*hostile), now=frozen_clock.current)
    first, second = Post.objects.order_by("pk")
    assert len(outcome.new_post_ids) == 2 and first.platform_post_id != second.platform_post_id
    assert len(first.platform_post_id) <= 300 and len(first.title) == 500 and len(first.url) == 1000
    assert first.text == "正文含空字符?" and (first.reads, first.likes, first.media_count) == (None, None, 0)
    assert first.links == ["https://ok.example.cn/a"] and len(first.repost_source) == 200
    assert first.published_at == datetime(2026, 3, 1, 9, 0, tzinfo=BEIJING)  # no zone given: Beijing time
    again = ingest_reading(source=source, reading=ok(*hostile), now=frozen_clock.advance(hours=1))
    assert again.new_post_ids == []


def test_pushed_html_is_sanitized_and_gives_the_text_and_links(frozen_clock, edu_weibo):
    html = ('<p onclick="steal()">区政府召开常务会议<script>alert(1)</script></p>'
            '<a href="https://www.gov.cn/zhengce/">政策原文</a><a href="javascript:alert(2)">点我</a>')
    outcome = ingest_posts(account=edu_weibo, posts=[FetchedPost(post_id="p1", html=html, title="会议")],
                           now=frozen_clock.current)
    post = Post.objects.get(pk=outcome.new_post_ids[0])
    assert "script" not in post.html and "onclick" not in post.html and "javascript" not in post.html
    assert "区政府召开常务会议" in post.text and "alert" not in post.text
    assert post.links == ["https://www.gov.cn/zhengce/"] and post.source is None


def test_a_push_repeating_a_post_is_idempotent_and_never_judges_deletions(frozen_clock, edu_weibo):
    PostFactory(account=edu_weibo, platform_post_id="older", published_at=MORNING - timedelta(hours=2))
    ingest_posts(account=edu_weibo, posts=[item(1), item(3)], now=frozen_clock.current)
    again = ingest_posts(account=edu_weibo, posts=[item(1), item(3)], now=frozen_clock.advance(hours=1))
    assert again.new_post_ids == [] and again.unchanged == 2
    assert Post.objects.count() == 3 and not Post.objects.filter(deleted_on_platform=True).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_post_ingested_twice_at_once_is_one_post(frozen_clock):
    account = AccountFactory()
    source = SourceFactory(account=account)

    def reader():
        return lambda: ingest_reading(source=source, reading=ok(item(1), item(2)), now=frozen_clock.current)

    def pusher():
        return lambda: ingest_posts(account=account, posts=[item(1, post_id="push-1")], now=frozen_clock.current)

    results = at_once(reader, reader, pusher)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Post.objects.filter(account=account).count() == 2
