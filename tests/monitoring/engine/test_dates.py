from datetime import UTC, datetime

import pytest

from govmedia.monitoring.engine.dates import parse


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-03-02T10:00:00+08:00", datetime(2026, 3, 2, 2, tzinfo=UTC)),
    ("2026-03-02T02:00:00.000Z", datetime(2026, 3, 2, 2, tzinfo=UTC)),
    ("Mon, 02 Mar 2026 02:00:00 GMT", datetime(2026, 3, 2, 2, tzinfo=UTC)),
    ("Mon, 02 Mar 2026 10:00:00 +0800", datetime(2026, 3, 2, 2, tzinfo=UTC)),
    ("Mon, 02 Mar 2026 02:00:00 -0000", datetime(2026, 3, 2, 2, tzinfo=UTC)),
    ("2026-03-02 10:00:00", datetime(2026, 3, 2, 2, tzinfo=UTC)),
    ("2026年3月2日 10:00", datetime(2026, 3, 2, 2, tzinfo=UTC)),
    ("2026-03-02", datetime(2026, 3, 1, 16, tzinfo=UTC)),
])
def test_a_time_is_read_as_utc_and_a_zoneless_one_as_beijing_time(raw, expected):
    assert parse(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "昨天", "刚刚", "2026-02-30 10:00", "not a date",
                                 "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00", "0001-01-01 00:00:00"])
def test_what_is_not_a_time_is_none_never_now(raw):
    assert parse(raw) is None
