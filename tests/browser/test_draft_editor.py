"""The draft editor in a real Chromium: what is pasted from Word keeps its structure, loses Word's styles, and
reaches the saved draft; the emergency reason shows only with its option; no CSP violation."""

import pytest
from django.conf import settings
from django.test import Client

from govmedia.publishing.models import Draft

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORD_CLIPBOARD = ('<html><head><style>p.MsoNormal{margin:0}</style></head><body><!--StartFragment-->'
                  '<p class="MsoNormal" style="mso-line-height-rule:exactly">开学<b>安全</b>工作<o:p></o:p></p>'
                  '<ul><li style="color:red">第一项</li></ul><!--EndFragment--></body></html>')


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_a_paste_from_word_keeps_its_structure_and_is_saved(live_server, page, assigned_operator, edu_weibo):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    _log_in(page, live_server, assigned_operator)
    page.goto(f"{live_server.url}/publishing/drafts/new/")
    sync_api.expect(page.locator("#draft-editor")).to_be_visible()
    sync_api.expect(page.locator("#id_body_html")).to_be_hidden()
    page.fill("#id_title", "开学安全工作通知")
    page.click("#draft-editor")
    page.evaluate("""html => {
        const data = new DataTransfer();
        data.setData("text/html", html);
        data.setData("text/plain", "开学安全工作");
        document.getElementById("draft-editor").dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", WORD_CLIPBOARD)
    sync_api.expect(page.locator("#draft-editor b")).to_have_text("安全")
    page.check(f"input[name=accounts][value='{edu_weibo.pk}']")
    with page.expect_navigation():
        page.click("#draft-form button.btn-primary")
    draft = Draft.objects.get()
    assert "<b>安全</b>" in draft.body_html and "<li>第一项</li>" in draft.body_html
    assert "Mso" not in draft.body_html and "style" not in draft.body_html
    page.goto(f"{live_server.url}/publishing/drafts/{draft.pk}/")
    sync_api.expect(page.locator("#id_emergency_reason")).to_be_hidden()
    page.check("#id_emergency")
    sync_api.expect(page.locator("#id_emergency_reason")).to_be_visible()
    assert problems == [], "\n".join(problems)
