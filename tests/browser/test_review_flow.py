"""Issue 9's whole review flow in a real Chromium: an author submits a draft on a sensitive topic with a typo;
the reviewer sees the typo marked in the text and returns it; the author fixes it; the reviewer approves and
the head signs; the author records the publication; the ledger shows the chain and verifies; then a row edited
in the database makes `ledger verify` fail and name it, and the ledger page says so."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from govmedia.publishing.models import Draft, DraftState, Grade, LedgerEntry
from tests.factories import DEFAULT_PASSWORD

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "关于做好台风“海葵”防御工作的提示"
BODY = "受台风影响，我区启动防汛四级应急响应。请市民做好防范，切勿急燥，合理安排出行。"


def _log_in(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _type_body(page, text):
    editor = page.locator("#draft-editor")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def _open_from_queue(page, base, queue_path, draft):
    page.goto(f"{base}{queue_path}")
    page.click(f"a[href='/publishing/review/{draft.pk}/']")
    page.wait_for_url(f"**/publishing/review/{draft.pk}/")


def test_a_sensitive_draft_with_a_typo_is_returned_fixed_signed_published_and_its_ledger_verifies(
        live_server, page, assigned_operator, edu_reviewer, edu_leader, edu_weibo):
    base = live_server.url
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)

    # The author writes and submits.
    _log_in(page, base, assigned_operator)
    page.goto(f"{base}/publishing/drafts/new/")
    page.fill("#id_title", TITLE)
    _type_body(page, BODY)
    page.check(f"input[name=accounts][value='{edu_weibo.pk}']")
    with page.expect_navigation():
        page.click("#draft-form button.btn-primary")
    draft = Draft.objects.get()
    with page.expect_navigation():
        page.click("#draft-submit button[type=submit]")
    draft.refresh_from_db()
    assert (draft.state, draft.grade) == (DraftState.IN_REVIEW, Grade.SENSITIVE)  # 台风, 应急响应

    # The reviewer sees the typo marked where it is, with the suggestion, and returns the draft.
    _log_in(page, base, edu_reviewer)
    _open_from_queue(page, base, "/publishing/review/", draft)
    typo = page.locator("#marked-body mark", has_text="急燥")
    expect(typo).to_be_visible()
    assert "急躁" in typo.get_attribute("title")
    expect(page.locator("#marked-body mark", has_text="台风").first).to_be_visible()
    page.fill("#reject-comment", "“急燥”应为“急躁”，请修改后重新提交。")
    with page.expect_navigation():
        page.click("#reject-form button[type=submit]")

    # The author reads why, fixes the typo and resubmits.
    _log_in(page, base, assigned_operator)
    page.goto(f"{base}/publishing/drafts/{draft.pk}/")
    expect(page.locator("#draft-review")).to_contain_text("应为“急躁”")
    page.goto(f"{base}/publishing/drafts/{draft.pk}/edit/")
    _type_body(page, BODY.replace("急燥", "急躁"))
    with page.expect_navigation():
        page.click("#draft-form button.btn-primary")
    with page.expect_navigation():
        page.click("#draft-submit button[type=submit]")

    # The reviewer finds the typo gone (the findings ran again on version 2) and approves.
    _log_in(page, base, edu_reviewer)
    _open_from_queue(page, base, "/publishing/review/", draft)
    expect(page.locator("#draft-facts")).to_contain_text("第 2 版")
    expect(page.locator("#marked-body mark", has_text="急燥")).to_have_count(0)
    with page.expect_navigation():
        page.click("#approve-form button[type=submit]")

    # The head signs it from 待我签发.
    _log_in(page, base, edu_leader)
    _open_from_queue(page, base, "/publishing/review/sign/", draft)
    page.fill("#approve-comment", "同意发布。")
    with page.expect_navigation():
        page.click("#approve-form button[type=submit]")
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED

    # The author records where it went out.
    _log_in(page, base, assigned_operator)
    page.goto(f"{base}/publishing/drafts/{draft.pk}/")
    page.fill("#id_url", "https://weibo.com/xhaedu/5012345678")
    page.fill("#id_published_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.click("#draft-publication button[type=submit]")
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED

    # The head reads the ledger: the entry names the author and both decisions, and the chain verifies.
    _log_in(page, base, edu_leader)
    page.goto(f"{base}/publishing/ledger/?unit={draft.unit_id}")
    expect(page.locator("#verdict")).to_contain_text("台账完整")
    row = page.locator("#entry-1")
    for seen in (TITLE, assigned_operator.display_name, edu_reviewer.display_name, edu_leader.display_name,
                 "退回", "同意发布。", "weibo.com/xhaedu/5012345678"):
        expect(row).to_contain_text(seen)
    out = StringIO()
    call_command("ledger", "verify", stdout=out)
    assert "1" in out.getvalue()

    # Someone with the database's password backdates the entry.
    entry = LedgerEntry.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE publishing_ledgerentry SET recorded_at = %s WHERE id = %s",
                       [entry.recorded_at - timezone.timedelta(days=3), entry.pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("ledger", "verify", stdout=(out := StringIO()), stderr=out)
    assert exit_info.value.code == 1
    assert "第1条" in out.getvalue()
    page.reload()
    expect(page.locator("#verdict")).to_contain_text("台账校验失败")
    expect(page.locator("#verdict")).to_contain_text("第1条")
    assert problems == [], "\n".join(problems)
