import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from govmedia.errors import RuleViolation
from govmedia.publishing.models import LedgerAnchor, LedgerEntry
from govmedia.publishing.selectors import ledger_anchors
from govmedia.publishing.services.ledger import entry_hash, ledger_anchor_day, verify_chain
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.review import review_approve
from tests.publishing.factories import draft_for


def publish(author, reviewer, account, clock, title):
    draft = review_approve(draft=draft_for(author, account, title=title, submit=True), by=reviewer, comment="同意")
    clock.advance(minutes=5)
    return publication_record(draft=draft, by=author, url=f"https://weibo.com/xhaedu/{title}",
                              published_at=clock.current)


@pytest.fixture
def ledger(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    """Four published items on edu's ledger."""
    return [publish(assigned_operator, edu_reviewer, edu_weibo, frozen_clock, f"第{n}条信息") for n in range(1, 5)]


def verify(*args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, out.getvalue()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def entry_id(unit, sequence):
    return LedgerEntry.objects.get(unit=unit, sequence=sequence).pk


def test_each_published_item_is_one_entry_with_its_whole_review(ledger, edu, edu_reviewer):
    entry = LedgerEntry.objects.get(unit=edu, sequence=2)
    content = entry.content
    assert content["title"] == "第2条信息" and content["author"] == "蒋运维" and content["grade"] == "一般"
    assert content["reviews"] == [{"round": 1, "step": "审核员审核", "reviewer": "钱审核", "decision": "通过",
                                   "comment": "同意", "at": "2026-03-02 10:05:00", "version": 1}]
    assert content["published_url"] == "https://weibo.com/xhaedu/第2条信息"
    assert entry.previous_hash == LedgerEntry.objects.get(unit=edu, sequence=1).hash
    assert entry.hash == entry_hash(content, entry.previous_hash, 2)


def test_an_intact_ledger_verifies_and_counts_its_entries(ledger, edu):
    assert verify() == (0, "台账校验通过：1 个单位，共 4 条。\n")
    assert verify("--unit", "教体局")[0] == 0


def test_a_row_edited_in_the_database_is_named(ledger, edu):
    if connection.vendor == "postgresql":
        raw("UPDATE publishing_ledgerentry SET content = jsonb_set(content, '{title}', '\"改过的标题\"') WHERE id = %s",
            [entry_id(edu, 3)])
    else:
        raw("UPDATE publishing_ledgerentry SET content = json_set(content, '$.title', '改过的标题') WHERE id = %s",
            [entry_id(edu, 3)])
    code, message = verify()
    assert code == 1 and "第3条内容被修改" in message and "此前 2 条完好" in message


def test_an_edit_with_its_hash_recomputed_is_found_by_the_next_entry(ledger, edu):
    entry = LedgerEntry.objects.get(unit=edu, sequence=2)
    forged = {**entry.content, "author": "他人"}
    raw("UPDATE publishing_ledgerentry SET hash = %s WHERE id = %s",
        [entry_hash(forged, entry.previous_hash, 2), entry.pk])
    if connection.vendor == "postgresql":
        raw("UPDATE publishing_ledgerentry SET content = jsonb_set(content, '{author}', '\"他人\"') WHERE id = %s",
            [entry.pk])
    else:
        raw("UPDATE publishing_ledgerentry SET content = json_set(content, '$.author', '他人') WHERE id = %s",
            [entry.pk])
    assert "第2条内容被修改" in verify()[1]


def test_a_deleted_row_is_named(ledger, edu):
    raw("DELETE FROM publishing_ledgerentry WHERE id = %s", [entry_id(edu, 2)])
    code, message = verify()
    assert code == 1 and "第2条缺失" in message


def test_the_newest_row_deleted_is_named(ledger, edu):
    raw("DELETE FROM publishing_ledgerentry WHERE id = %s", [entry_id(edu, 4)])
    assert "第4条缺失" in verify()[1]


def test_two_rows_swapped_are_named(ledger, edu):
    second, third = entry_id(edu, 2), entry_id(edu, 3)
    raw("UPDATE publishing_ledgerentry SET sequence = 1000000 WHERE id = %s", [second])
    raw("UPDATE publishing_ledgerentry SET sequence = 2 WHERE id = %s", [third])
    raw("UPDATE publishing_ledgerentry SET sequence = 3 WHERE id = %s", [second])
    code, message = verify()
    assert code == 1 and "第2条顺序被调换" in message


def test_each_unit_has_its_own_chain(ledger, edu, street_weibo, street_reviewer, frozen_clock, street_unit_admin,
                                     street_operator):
    publish(street_unit_admin, street_reviewer, street_weibo, frozen_clock, "街道信息")
    assert LedgerEntry.objects.get(unit=street_weibo.host_unit).sequence == 1
    assert verify_chain(street_weibo.host_unit).verified == 1
    raw("DELETE FROM publishing_ledgerentry WHERE id = %s", [entry_id(edu, 1)])
    assert verify("--unit", "灵山卫街道")[0] == 0
    assert verify("--unit", str(edu.pk))[0] == 1


def test_an_unknown_unit_is_an_error_not_a_pass(ledger):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到单位"):
        verify("--unit", "没有这个单位")


def test_the_daily_anchor_covers_every_chain_head_and_only_supervisors_see_it(ledger, edu, frozen_clock,
                                                                            supervisor, edu_leader):
    day = frozen_clock.today
    with pytest.raises(RuleViolation):
        ledger_anchor_day(day=day, now=frozen_clock.current)
    frozen_clock.advance(days=1)
    anchor = ledger_anchor_day(day=day, now=frozen_clock.current)
    head = LedgerEntry.objects.get(unit=edu, sequence=4)
    assert anchor.heads == {str(edu.pk): [4, head.hash]}
    assert ledger_anchor_day(day=day, now=frozen_clock.current) == anchor
    assert list(ledger_anchors(supervisor)) == [anchor] and not ledger_anchors(edu_leader).exists()
    assert ledger_anchor_day(day=day - timedelta(days=1), now=frozen_clock.current).heads == {}


def test_the_cli_routes_ledger_verify(ledger):
    from govmedia.cli import main

    with pytest.raises(SystemExit) as exit_:
        raw("DELETE FROM publishing_ledgerentry WHERE sequence = 1")
        main(["ledger", "verify"])
    assert exit_.value.code == 1


def test_the_scheduler_anchors_yesterday_once(ledger, frozen_clock, edu):
    frozen_clock.advance(days=1)
    first, again = io.StringIO(), io.StringIO()
    call_command("ledger", "anchor", stdout=first)
    call_command("ledger", "anchor", stdout=again)
    anchor = LedgerAnchor.objects.get()
    assert anchor.day == frozen_clock.today - timedelta(days=1) and anchor.digest in first.getvalue()
    assert again.getvalue() == ""
