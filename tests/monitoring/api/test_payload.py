"""The push body checked item by item, without a database: what each field accepts and what it becomes."""

from datetime import UTC, datetime

import pytest

from govmedia.monitoring.api.payload import MAX_LINKS, links_in_text, parse_batch


def _one(**fields):
    batch = parse_batch({"id": "1", **fields})
    assert not batch.errors, batch.errors
    return batch.posts[0]


def test_a_numeric_id_and_whole_number_floats_are_accepted_as_platforms_send_them():
    batch = parse_batch({"id": 4987654321, "reads": 12.0})
    assert (batch.posts[0].post_id, batch.posts[0].reads) == ("4987654321", 12)


def test_a_publish_time_in_utc_is_kept_as_that_moment():
    assert _one(published="2026-03-02T01:30:00Z").published == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def test_addresses_in_plain_text_become_links_unless_the_sender_lists_them():
    assert _one(text="详见https://www.xihaian.gov.cn/a，或 http://b.cn/x?y=1。").links == [
        "https://www.xihaian.gov.cn/a", "http://b.cn/x?y=1"]
    assert _one(text="详见https://www.xihaian.gov.cn/a", links=["https://c.cn/"]).links == ["https://c.cn/"]


def test_links_in_text_are_bounded_and_unique():
    text = " ".join(f"https://a.cn/{i % (MAX_LINKS + 50)}" for i in range(2000))
    assert len(links_in_text(text)) == MAX_LINKS


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"url": "javascript:alert(1)"}, "url", "http://"),
    ({"links": ["https://a.cn", "ftp://b.cn"]}, "links[1]", "http://"),
    ({"published": "昨天"}, "published", "ISO 8601"),
    ({"published": 1709343000}, "published", "ISO 8601"),
    ({"published": "9999-12-31T23:59:59-14:00"}, "published", "超出"),
    ({"published": "0001-01-01T00:00:00+14:00"}, "published", "超出"),
    ({"id": "\x00\x00"}, "id", "缺少信息ID"),
    ({"title": 5}, "title", "字符串"),
    ({"reads": True}, "reads", "非负整数"),
    ({"reads": 10**16}, "reads", "合理范围"),
    ({"media_count": -1}, "media_count", "负数"),
])
def test_each_bad_field_is_named_with_its_value(fields, field, message):
    errors = parse_batch({"id": "1", **fields}).errors
    assert [(e.index, e.field) for e in errors] == [(0, field)]
    assert message in errors[0].message


def test_a_batch_with_any_error_yields_no_posts():
    batch = parse_batch({"posts": [{"id": "1"}, {"id": "2", "reads": -1}, {"id": "3", "deleted": True}]})
    assert batch.posts == [] and batch.deleted_ids == set() and len(batch.errors) == 1


def test_long_values_are_cut_when_repeated_in_an_error():
    errors = parse_batch({"id": "1", "title": "长" * 600}).errors
    assert len(errors[0].value) == 101 and errors[0].value.endswith("…")
