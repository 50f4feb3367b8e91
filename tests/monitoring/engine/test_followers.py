"""Follower anomalies: growth far above the account's own history that no popular post explains."""

from datetime import date, timedelta

from govmedia.monitoring.engine.followers import follower_anomalies

START = date(2026, 10, 1)
SPIKE = date(2026, 11, 1)


def history(daily: int = 40, days: int = 31, start: int = 10_000) -> list[tuple[date, int]]:
    """Snapshots from START growing by `daily` a day, up to the day before SPIKE."""
    return [(START + timedelta(days=n), start + daily * n) for n in range(days)]


def with_spike(growth: int, snapshots=None) -> list[tuple[date, int]]:
    snapshots = snapshots or history()
    return [*snapshots, (SPIKE, snapshots[-1][1] + growth)]


def anomalies(snapshots, popular_days=(), factor=10.0, min_growth=500):
    return follower_anomalies(snapshots, set(popular_days), growth_factor=factor, min_growth=min_growth)


def test_steady_growth_is_no_anomaly():
    assert anomalies(history()) == []


def test_a_day_gaining_far_more_than_usual_without_a_popular_post_is_an_anomaly():
    [finding] = anomalies(with_spike(5_200))
    assert finding.code == "follower_anomaly"
    assert finding.key == "2026-11-01"
    assert finding.detail == ("2026-11-01 粉丝增加 5200，超过此前 30 天日增长中位数 40 的 10 倍，"
                              "且当天及前一天无阅读量突出的信息")
    assert finding.evidence["growth"] == 5_200


def test_a_popular_post_that_day_or_the_day_before_explains_the_growth():
    assert anomalies(with_spike(5_200), popular_days=[SPIKE]) == []
    assert anomalies(with_spike(5_200), popular_days=[SPIKE - timedelta(days=1)]) == []
    assert len(anomalies(with_spike(5_200), popular_days=[SPIKE - timedelta(days=2)])) == 1


def test_growth_below_the_minimum_is_no_anomaly_however_many_times_the_usual():
    quiet = history(daily=2)
    assert anomalies(with_spike(450, quiet)) == []
    assert len(anomalies(with_spike(600, quiet))) == 1


def test_growth_within_the_factor_of_a_big_accounts_usual_growth_is_no_anomaly():
    big = history(daily=1_000)
    assert anomalies(with_spike(9_000, big)) == []
    assert len(anomalies(with_spike(11_000, big))) == 1


def test_an_account_with_less_than_a_week_of_history_is_not_judged():
    assert anomalies(with_spike(50_000, history(days=30)[-6:])) == []


def test_one_earlier_spike_does_not_hide_the_next():
    snapshots = history()
    snapshots[20] = (snapshots[20][0], snapshots[20][1] + 8_000)
    snapshots[21:] = [(day, count + 8_000) for day, count in snapshots[21:]]
    assert [f.key for f in anomalies(with_spike(3_000, snapshots))] == ["2026-10-21", "2026-11-01"]


def test_growth_between_snapshots_days_apart_is_spread_over_the_days():
    snapshots = history()
    gap = [*snapshots, (SPIKE + timedelta(days=4), snapshots[-1][1] + 1_500)]  # 300 a day over 5 days
    assert anomalies(gap) == []
    [finding] = anomalies([*snapshots, (SPIKE + timedelta(days=4), snapshots[-1][1] + 25_000)])
    assert finding.detail.startswith("2026-10-31 至 2026-11-05（日均 5000） 粉丝增加 25000")
