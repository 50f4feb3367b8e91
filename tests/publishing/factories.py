"""Drafts for publishing tests: `draft_for(author, account, ...)` goes through the service, as users do."""

from govmedia.publishing.services.drafts import draft_create
from govmedia.publishing.services.review import draft_submit

CLEAN_BODY = "<p>区教育和体育局召开秋季开学工作会议，部署校园安全工作。</p>"


def draft_for(author, account, *, title="秋季开学工作会议召开", body=CLEAN_BODY, submit=False, **kwargs):
    draft = draft_create(by=author, unit=account.host_unit, title=title, body_html=body, accounts=[account], **kwargs)
    return draft_submit(draft=draft, by=author) if submit else draft
