import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from govmedia.errors import RuleViolation
from govmedia.publishing.models import LedgerAnchor, LedgerEntry, LedgerHead
from govmedia.publishing.selectors import ledger_anchors
from govmedia.publishing.services.attachments import attachment_add
from govmedia.publishing.services.drafts import draft_edit
from govmedia.publishing.services.ledger import (
    GENESIS,
    anchor_digest,
    entry_hash,
    hash_of,
    ledger_anchor_day,
    verify_chain,
)
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.review import draft_submit, review_approve, review_reject
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
    assert entry.hash == entry_hash(unit_id=edu.pk, sequence=2, draft_id=entry.draft_id,
                                    recorded_at=entry.recorded_at, content=content,
                                    previous_hash=entry.previous_hash)


def test_a_commercial_ad_fixed_before_approval_stays_on_the_ledger_as_fixed(frozen_clock, assigned_operator,
                                                                           edu_reviewer, edu_weibo, edu):
    draft = draft_for(assigned_operator, edu_weibo, body="<p>本店商品全网最低价。</p>", submit=True)
    draft = review_reject(draft=draft, by=edu_reviewer, comment="政务号不得发布商业广告")
    draft_edit(draft=draft, by=assigned_operator, title=draft.title, body_html="<p>区消协发布消费提示。</p>")
    draft = review_approve(draft=draft_submit(draft=draft, by=assigned_operator), by=edu_reviewer)
    publication_record(draft=draft, by=assigned_operator, url="https://weibo.com/xhaedu/1",
                       published_at=frozen_clock.current)
    findings = LedgerEntry.objects.get(unit=edu, draft=draft).content["findings"]
    assert findings == [{"category": "商业广告", "text": "全网最低价", "handling": "已修改"}]


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
    entry.content = {**entry.content, "author": "他人"}
    raw("UPDATE publishing_ledgerentry SET hash = %s WHERE id = %s", [hash_of(entry), entry.pk])
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


# ---------------------------------------------------------------- what the hash covers


def set_content(pk, content):
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    raw(f"UPDATE publishing_ledgerentry SET content = %s{cast} WHERE id = %s", [json.dumps(content), pk])


def test_the_hash_covers_when_for_which_draft_and_unit_an_entry_was_recorded(ledger, edu, street):
    entry = LedgerEntry.objects.get(unit=edu, sequence=2)
    raw("UPDATE publishing_ledgerentry SET recorded_at = %s WHERE id = %s",
        [entry.recorded_at - timedelta(days=1), entry.pk])
    assert verify_chain(edu).problem == "第2条内容被修改"
    raw("UPDATE publishing_ledgerentry SET recorded_at = %s WHERE id = %s", [entry.recorded_at, entry.pk])
    assert verify_chain(edu).intact
    raw("UPDATE publishing_ledgerentry SET draft_id = %s WHERE id = %s", [ledger[0].pk, entry.pk])
    assert verify_chain(edu).problem == "第2条内容被修改"
    raw("UPDATE publishing_ledgerentry SET draft_id = %s WHERE id = %s", [entry.draft_id, entry.pk])
    raw("UPDATE publishing_ledgerentry SET unit_id = %s WHERE id = %s", [street.pk, entry.pk])
    assert verify_chain(street).problem == "第1条内容被修改" and verify_chain(edu).problem == "第2条缺失"


def test_an_entry_added_behind_the_chain_head_is_named(ledger, edu):
    last = LedgerEntry.objects.get(unit=edu, sequence=4)
    fake = LedgerEntry(unit=edu, sequence=5, draft=last.draft, content={**last.content, "title": "补登"},
                       previous_hash=last.hash, recorded_at=last.recorded_at)
    fake.hash = hash_of(fake)
    fake.save()
    assert "第5条不是经系统登记的" in verify()[1]


# ---------------------------------------------------------------- the daily anchors


def rewrite_chain(unit, change):
    """What an attacker with the database password does: change entries and recompute every hash and the
    head, so that the chain is consistent again."""
    previous = GENESIS
    for entry in LedgerEntry.objects.filter(unit=unit).order_by("sequence"):
        entry.content = change(entry.content, entry.sequence)
        entry.previous_hash = previous
        entry.hash = hash_of(entry)
        set_content(entry.pk, entry.content)
        raw("UPDATE publishing_ledgerentry SET previous_hash = %s, hash = %s WHERE id = %s",
            [entry.previous_hash, entry.hash, entry.pk])
        previous = entry.hash
    raw("UPDATE publishing_ledgerhead SET hash = %s WHERE unit_id = %s", [previous, unit.pk])


def anchored(clock):
    """Anchor the day the clock is on, as the scheduler does the next morning."""
    day = clock.today
    clock.advance(days=1)
    return ledger_anchor_day(day=day, now=clock.current)


def test_a_consistent_rewrite_of_the_whole_chain_is_caught_by_the_anchor(ledger, edu, frozen_clock):
    anchor = anchored(frozen_clock)
    rewrite_chain(edu, lambda content, n: {**content, "title": f"改写的第{n}条"} if n >= 3 else content)
    assert verify_chain(edu, anchors=[]).intact  # the hashes alone cannot tell
    code, message = verify()
    assert code == 1 and f"第4条在锚定日{anchor.day}之后被改写（改写始于第1至第4条之间）" in message


def test_each_anchor_narrows_down_where_a_rewrite_began(frozen_clock, assigned_operator, edu_reviewer, edu_weibo,
                                                        edu):
    for n in (1, 2):
        publish(assigned_operator, edu_reviewer, edu_weibo, frozen_clock, f"第{n}条信息")
    first = anchored(frozen_clock)
    for n in (3, 4):
        publish(assigned_operator, edu_reviewer, edu_weibo, frozen_clock, f"第{n}条信息")
    second = anchored(frozen_clock)
    assert first.heads[str(edu.pk)][0] == 2 and second.heads[str(edu.pk)][0] == 4
    rewrite_chain(edu, lambda content, n: {**content, "author": "他人"} if n == 3 else content)
    verdict = verify_chain(edu)
    assert verdict.problem == f"第4条在锚定日{second.day}之后被改写（改写始于第3至第4条之间）"
    assert verdict.verified == 2


def test_a_chain_deleted_whole_is_named_by_the_anchor(ledger, edu, frozen_clock):
    anchor = anchored(frozen_clock)
    raw("DELETE FROM publishing_ledgerentry WHERE unit_id = %s", [edu.pk])
    raw("DELETE FROM publishing_ledgerhead WHERE unit_id = %s", [edu.pk])
    code, message = verify()
    assert code == 1 and f"单位区教育和体育局的台账已被删除：锚定日{anchor.day}时有4条" in message
    assert verify("--unit", "教体局")[0] == 1


def test_newest_entries_deleted_with_the_head_moved_back_are_named_by_the_anchor(ledger, edu, frozen_clock):
    anchor = anchored(frozen_clock)
    second = LedgerEntry.objects.get(unit=edu, sequence=2)
    raw("DELETE FROM publishing_ledgerentry WHERE unit_id = %s AND sequence > 2", [edu.pk])
    raw("UPDATE publishing_ledgerhead SET sequence = 2, hash = %s WHERE unit_id = %s", [second.hash, edu.pk])
    code, message = verify()
    assert code == 1 and f"第3条在锚定日{anchor.day}之后被删除（锚定日时有4条，现仅2条）" in message


def test_entries_after_the_last_anchor_are_checked_by_their_hashes(ledger, edu, frozen_clock, assigned_operator,
                                                                  edu_reviewer, edu_weibo):
    anchored(frozen_clock)
    publish(assigned_operator, edu_reviewer, edu_weibo, frozen_clock, "第5条信息")
    assert verify() == (0, "台账校验通过：1 个单位，共 5 条。\n")
    set_content(entry_id(edu, 5), {**LedgerEntry.objects.get(unit=edu, sequence=5).content, "title": "改"})
    assert "第5条内容被修改" in verify()[1]


def test_an_anchor_edited_in_the_database_is_named(ledger, edu, frozen_clock):
    anchor = anchored(frozen_clock)
    heads = {str(edu.pk): [3, anchor.heads[str(edu.pk)][1]]}
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    raw(f"UPDATE publishing_ledgeranchor SET heads = %s{cast} WHERE id = %s", [json.dumps(heads), anchor.pk])
    code, message = verify()
    assert code == 1 and f"锚定日{anchor.day}的锚定记录被改动" in message


def test_the_digest_a_supervisor_noted_proves_the_anchor_table(ledger, edu, frozen_clock):
    anchor = anchored(frozen_clock)
    code, message = verify("--anchor", anchor.digest.upper())
    assert code == 0 and f"已核对锚定日{anchor.day}的锚定哈希" in message
    # The attacker rewrites the chain and the anchor row consistently: only the noted digest tells.
    rewrite_chain(edu, lambda content, n: {**content, "title": "改写"})
    heads = {str(edu.pk): [4, LedgerHead.objects.get(unit=edu).hash]}
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    raw(f"UPDATE publishing_ledgeranchor SET heads = %s{cast}, digest = %s WHERE id = %s",
        [json.dumps(heads), anchor_digest(heads), anchor.pk])
    assert verify()[0] == 0
    code, message = verify("--anchor", anchor.digest)
    assert code == 1 and "没有锚定哈希为" in message and "锚定记录表已被改动，或所记哈希有误" in message


def test_a_malformed_noted_digest_is_refused(ledger):
    code, message = verify("--anchor", "abc")
    assert code == 1 and "格式不对" in message


def test_a_unit_an_anchor_names_that_no_longer_exists_is_reported(ledger, edu, frozen_clock):
    anchor = anchored(frozen_clock)
    heads = {**anchor.heads, "999999": [2, "ab" * 32]}  # as if the unit, its chain and head were all removed
    LedgerAnchor.objects.filter(pk=anchor.pk).update(heads=heads, digest=anchor_digest(heads))
    code, message = verify()
    assert code == 1 and f"单位#999999的台账已被删除：锚定日{anchor.day}时有2条" in message


@pytest.mark.parametrize("heads", [[], {"x": [1, "a"]}, {"1": "4"}, {"1": [1]}, {"1": ["1", "a"]}])
def test_an_anchor_with_malformed_heads_is_named_not_a_crash(ledger, frozen_clock, heads):
    anchor = anchored(frozen_clock)
    LedgerAnchor.objects.filter(pk=anchor.pk).update(heads=heads, digest=anchor_digest(heads))
    code, message = verify()
    assert code == 1 and f"锚定日{anchor.day}的锚定记录被改动" in message


def test_the_entry_fixes_each_attachment_by_name_and_digest(frozen_clock, assigned_operator, edu_reviewer,
                                                            edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attached = attachment_add(draft=draft, by=assigned_operator, upload=SimpleUploadedFile("通知.pdf", pdf))
    draft = review_approve(draft=draft_submit(draft=draft, by=assigned_operator), by=edu_reviewer)
    publication_record(draft=draft, by=assigned_operator, url="https://weibo.com/x/9",
                       published_at=frozen_clock.current)
    content = LedgerEntry.objects.get(draft=draft).content
    assert content["attachments"] == [{"name": "通知.pdf", "sha256": attached.sha256}]
