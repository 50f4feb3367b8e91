"""The monitoring pages in a real Chromium under the Content-Security-Policy: duty reading marks a post read,
a delete asks first (app.js data-confirm), and no page raises a policy violation."""

import pytest

from govmedia.monitoring.models import DutyReading, Source
from tests.factories import DEFAULT_PASSWORD
from tests.monitoring.factories import SourceFactory
from tests.monitoring.pages import FindingFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_duty_reading_and_a_source_delete_work_without_a_policy_violation(live_server, page, edu_unit_admin,
                                                                         edu_weibo):
    found = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    post = PostFactory(account=edu_weibo, title="关于<script>机构</script>调整的通知", text="机构精减方案已印发。")
    finding = FindingFactory(post=post, evidence={"start": len(post.title) + 3, "end": len(post.title) + 5,
                                                  "text": "精减", "suggestion": "精简"})
    source = SourceFactory(account=edu_weibo)
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("#id_username", edu_unit_admin.username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/monitoring/duty/")
    assert page.locator(f"#post-{post.pk} mark.finding").inner_text() == "精减"
    assert "<script>" in page.locator(f"#post-{post.pk} .post-title").inner_text()  # shown as text
    page.click(f"#post-{post.pk} .post-actions button")
    page.wait_for_selector(f"#post-{post.pk}.is-read")
    assert DutyReading.objects.filter(post=post, reader=edu_unit_admin).exists()

    for path in ("/monitoring/", f"/monitoring/findings/{finding.pk}/", "/monitoring/findings/",
                 "/monitoring/alerts/", "/monitoring/repost-tasks/", "/monitoring/approved-sources/",
                 edu_weibo.get_absolute_url()):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")

    page.goto(f"{base}/monitoring/sources/{source.pk}/edit/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button.btn-danger")
    assert Source.objects.filter(pk=source.pk).exists()  # the user said no
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("button.btn-danger")
    assert not Source.objects.filter(pk=source.pk).exists()
    assert found == []
