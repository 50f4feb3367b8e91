"""Under the strict Content-Security-Policy (no inline scripts or styles) the pages and the back office
still work in a real Chromium, and the browser reports no violation."""

import pytest

from tests.factories import DEFAULT_PASSWORD, ClosureNoticeFactory, FilingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def violations(page):
    """Chromium reports every blocked inline script, style or eval on the console."""
    found = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_pages_and_the_back_office_raise_no_csp_violation(live_server, page, violations, supervisor, edu_weibo):
    supervisor.is_staff = True
    supervisor.save(update_fields=["is_staff"])
    FilingFactory(account=edu_weibo)
    ClosureNoticeFactory(application__account=edu_weibo)
    base = live_server.url

    response = page.goto(f"{base}/login/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page.fill("#id_username", supervisor.username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    # htmx still filters the registry in place (its indicator <style> is switched off, not blocked).
    page.goto(f"{base}/registry/accounts/")
    with page.expect_response(lambda r: "/registry/accounts/?" in r.url):
        page.select_option("select[name=status]", "normal")
    page.wait_for_url("**/registry/accounts/?*status=normal*")
    # The inbox's status filter submits itself through static/govmedia/app.js, not an onchange attribute.
    page.goto(f"{base}/registry/applications/")
    page.select_option("select[name=state]", "approved")
    page.wait_for_url("**/registry/applications/?state=approved")

    for path in (edu_weibo.get_absolute_url(), "/registry/filings/", "/registry/notices/", "/check/",
                 "/registry/consolidation/", "/admin/", f"/admin/orgs/unit/{edu_weibo.host_unit_id}/change/",
                 f"/admin/orgs/user/{supervisor.pk}/change/", "/admin/contentcheck/lexicon/add/",
                 "/admin/workdays/calendarday/add/"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("body").count() == 1
    # The unit form's autocomplete (select2) opens and lists units.
    page.goto(f"{base}/admin/orgs/unit/{edu_weibo.host_unit_id}/change/")
    page.click("#id_parent ~ .select2")
    page.wait_for_selector(".select2-results__option")
    assert violations == []
