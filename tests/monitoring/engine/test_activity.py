"""Account activity over a window: the veto, weekly updates, originals every two weeks, sleeping, zombie."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia.monitoring.engine.activity import (
    ActivityPolicy,
    PostFacts,
    account_findings,
    activity_known,
)
from govmedia.monitoring.engine.dates import BEIJING
from govmedia.monitoring.engine.types import BROKEN, NOT_MODIFIED, OK, ORIGINAL, REPOST

AS_OF = date(2026, 11, 22)  # a Sunday; the default window is 2026-10-26 (Monday) to here: four whole weeks
POLICY = ActivityPolicy(sleeping_days=30, zombie_days=90)


def post(day: date, kind: str = ORIGINAL, hour: int = 10) -> PostFacts:
    return PostFacts(datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING), kind)


def every(days: int, first: date, last: date, kind: str = ORIGINAL) -> list[PostFacts]:
    return [post(first + timedelta(days=n), kind) for n in range(0, (last - first).days + 1, days)]


def found(posts, **kwargs) -> list[tuple[str, str]]:
    return [(f.code, f.key) for f in account_findings(posts, as_of=kwargs.pop("as_of", AS_OF), policy=POLICY,
                                                       **kwargs)]


def test_an_account_publishing_originals_every_three_days_has_no_findings():
    assert found(every(3, date(2026, 10, 1), AS_OF)) == []


def test_no_update_in_the_14_days_before_the_check_date_is_the_veto_with_its_dates():
    posts = every(2, date(2026, 10, 20), date(2026, 11, 5))
    findings = account_findings(posts, as_of=AS_OF, policy=POLICY)
    veto = [f for f in findings if f.code == "no_update_2_weeks"]
    assert len(veto) == 1
    assert veto[0].detail == "2026-11-09 至 2026-11-22 无更新（最近一次更新 2026-11-05）"
    assert veto[0].key == "2026-11-06"
    assert veto[0].evidence == {"silent_from": "2026-11-06", "to": "2026-11-22", "last_update": "2026-11-05"}


def test_a_post_on_the_first_of_the_14_days_avoids_the_veto_and_one_the_day_before_does_not():
    assert "no_update_2_weeks" not in [code for code, _ in found([post(date(2026, 11, 9))])]
    assert "no_update_2_weeks" in [code for code, _ in found([post(date(2026, 11, 8))])]


def test_the_veto_keeps_its_key_while_the_silence_goes_on():
    posts = [post(date(2026, 11, 5))]
    assert ("no_update_2_weeks", "2026-11-06") in found(posts, as_of=AS_OF)
    assert ("no_update_2_weeks", "2026-11-06") in found(posts, as_of=AS_OF + timedelta(days=5))


def test_each_silent_calendar_week_is_one_not_weekly_finding_keyed_by_its_monday():
    posts = [post(date(2026, 10, 27)), post(date(2026, 11, 20))]
    weekly = [f for f in account_findings(posts, as_of=AS_OF, policy=POLICY) if f.code == "not_weekly"]
    assert [f.key for f in weekly] == ["2026-11-02", "2026-11-09"]
    assert weekly[0].detail == "2026-11-02 至 2026-11-08 当周无更新（最近一次更新 2026-10-27）"


def test_a_week_only_partly_inside_the_window_is_not_judged():
    # Window from Wednesday 11-04; as_of Wednesday 11-25: only the weeks of 11-09 and 11-16 lie wholly inside.
    weekly = [key for code, key in found([], window_start=date(2026, 11, 4), as_of=date(2026, 11, 25))
              if code == "not_weekly"]
    assert weekly == ["2026-11-09", "2026-11-16"]


def test_a_post_at_2330_beijing_time_on_sunday_counts_for_that_week_whatever_zone_the_source_wrote():
    sunday_night = PostFacts(datetime(2026, 11, 15, 15, 30, tzinfo=UTC))  # 23:30 in Beijing, Sunday 11-15
    monday_morning = PostFacts(datetime(2026, 11, 15, 16, 30, tzinfo=UTC))  # 00:30 in Beijing, Monday 11-16
    others = [post(date(2026, 10, 27)), post(date(2026, 11, 4)), post(date(2026, 11, 20))]
    assert ("not_weekly", "2026-11-09") not in found([*others, sunday_night])
    assert ("not_weekly", "2026-11-09") in found([*others, monday_morning])


def test_a_stretch_of_14_days_without_an_original_is_reported_once_keyed_by_its_first_day():
    posts = [post(date(2026, 10, 26)), *every(2, date(2026, 10, 27), AS_OF, REPOST)]
    gaps = [f for f in account_findings(posts, as_of=AS_OF, policy=POLICY) if f.code == "no_original_2_weeks"]
    assert [(f.key, f.detail) for f in gaps] == [
        ("2026-10-27", "2026-10-27 至 2026-11-22 共 27 天无原创信息（最近一次原创 2026-10-26）")]
    assert found(posts) == [("no_original_2_weeks", "2026-10-27")]  # reposts are updates


def test_separate_stretches_give_one_finding_each_and_13_days_give_none():
    updates = every(2, date(2026, 10, 1), AS_OF, REPOST)
    originals = [post(date(2026, 10, 1)), post(date(2026, 10, 20)), post(date(2026, 11, 5))]
    assert found([*updates, *originals], window_start=date(2026, 10, 1)) == [
        ("no_original_2_weeks", "2026-10-02"),  # 18 days
        ("no_original_2_weeks", "2026-10-21"),  # 15 days
        ("no_original_2_weeks", "2026-11-06"),  # 17 days, up to as_of
    ]
    thirteen = [post(date(2026, 11, 1)), post(date(2026, 11, 15)), post(date(2026, 11, 22))]
    assert found([*updates, *thirteen], window_start=date(2026, 11, 1)) == []


def test_a_stretch_begun_before_the_window_keeps_its_first_day_and_counts_only_the_window_days():
    reposts = every(2, date(2026, 10, 1), AS_OF, REPOST)
    before = [post(date(2026, 10, 10))]
    assert found([*reposts, *before]) == [("no_original_2_weeks", "2026-10-11")]
    assert found([*reposts, *before], window_start=date(2026, 11, 10)) == []  # 13 days of it in the window


def test_a_month_of_silence_is_sleeping():
    findings = account_findings([post(date(2026, 10, 1))], as_of=AS_OF, policy=POLICY)
    sleeping = [f for f in findings if f.code == "sleeping"]
    assert [f.detail for f in sleeping] == [
        "自 2026-10-02 起连续 52 天未更新（最近一次更新 2026-10-01），达到休眠账号标准（30 天）"]
    assert sleeping[0].key == "2026-10-02"


def test_a_zombie_is_reported_as_zombie_only_not_also_as_sleeping():
    codes = [code for code, _ in found([post(date(2026, 8, 1))])]
    assert "zombie" in codes
    assert "sleeping" not in codes


def test_thresholds_come_from_the_policy():
    posts = [post(date(2026, 10, 1))]
    strict = account_findings(posts, as_of=AS_OF, policy=ActivityPolicy(sleeping_days=20, zombie_days=50))
    assert "zombie" in [f.code for f in strict]


def test_posts_without_a_publish_time_are_no_activity_and_the_finding_says_how_many():
    posts = [post(date(2026, 11, 5)), PostFacts(None), PostFacts(None, REPOST)]
    veto = [f for f in account_findings(posts, as_of=AS_OF, policy=POLICY) if f.code == "no_update_2_weeks"]
    assert veto[0].detail == ("2026-11-09 至 2026-11-22 无更新（最近一次更新 2026-11-05）"
                              "；另有 2 条信息发布时间未知，未计入")


def test_an_account_with_no_known_posts_is_silent_since_the_window_start():
    assert found([], window_start=date(2026, 11, 1)) == [
        ("no_update_2_weeks", "2026-11-01"),
        ("not_weekly", "2026-11-02"),
        ("not_weekly", "2026-11-09"),
        ("not_weekly", "2026-11-16"),
        ("no_original_2_weeks", "2026-11-01"),
    ]
    veto = account_findings([], as_of=AS_OF, policy=POLICY, window_start=date(2026, 11, 1))[0]
    assert veto.detail == "2026-11-09 至 2026-11-22 无更新（自 2026-11-01 起无更新记录）"


def test_an_account_known_for_less_than_two_weeks_is_not_judged_silent_for_two_weeks():
    assert found([], window_start=date(2026, 11, 10)) == [("not_weekly", "2026-11-16")]


def test_posts_after_the_check_date_are_not_counted():
    assert "no_update_2_weeks" in [code for code, _ in found([post(date(2026, 11, 25))])]


def test_activity_is_judged_only_when_some_source_could_be_read():
    assert not activity_known([BROKEN])
    assert not activity_known([])
    assert activity_known([BROKEN, OK])
    assert activity_known([NOT_MODIFIED])


def test_a_policy_with_sleeping_not_below_zombie_is_refused():
    with pytest.raises(ValueError, match="休眠天数（90）"):
        ActivityPolicy(sleeping_days=90, zombie_days=30)


def test_a_window_starting_after_the_check_date_is_refused():
    with pytest.raises(ValueError, match="2026-11-23 晚于截止日 2026-11-22"):
        account_findings([], as_of=AS_OF, policy=POLICY, window_start=date(2026, 11, 23))


@settings(max_examples=300, deadline=None)
@given(offsets=st.lists(st.tuples(st.integers(0, 120), st.booleans()), max_size=30),
       window_days=st.integers(1, 100), as_of_shift=st.integers(0, 6))
def test_findings_agree_with_a_day_by_day_reading_of_the_calendar(offsets, window_days, as_of_shift):
    as_of = AS_OF + timedelta(days=as_of_shift)
    start = as_of - timedelta(days=window_days - 1)
    posts = [post(as_of - timedelta(days=n), ORIGINAL if is_original else REPOST) for n, is_original in offsets]
    days = {as_of - timedelta(days=n) for n, _ in offsets}
    originals = {as_of - timedelta(days=n) for n, is_original in offsets if is_original}
    findings = account_findings(posts, as_of=as_of, policy=POLICY, window_start=start)
    window = [start + timedelta(days=n) for n in range(window_days)]

    first_of_two_weeks = as_of - timedelta(days=13)
    veto = not any(d >= first_of_two_weeks for d in days) and (
        any(d < first_of_two_weeks for d in days) or start <= first_of_two_weeks)
    assert veto == any(f.code == "no_update_2_weeks" for f in findings)

    silent_mondays = [d for d in window if d.weekday() == 0 and d + timedelta(days=6) <= as_of
                      and not any(d <= p <= d + timedelta(days=6) for p in days)]
    assert [f.key for f in findings if f.code == "not_weekly"] == [m.isoformat() for m in silent_mondays]

    runs, run = [], []
    for d in window:
        if d in originals:
            runs.append(run)
            run = []
        else:
            run.append(d)
    runs.append(run)
    expected = {d for run in runs if len(run) >= 14 for d in run}
    reported = {d for f in findings if f.code == "no_original_2_weeks" for d in window
                if date.fromisoformat(f.evidence["stretch_start"]) <= d <= date.fromisoformat(f.evidence["stretch_end"])}
    assert reported == expected

    assert not {"sleeping", "zombie"} <= {f.code for f in findings}
