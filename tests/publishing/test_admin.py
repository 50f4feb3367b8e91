"""Publishing in the back office, by persona: looked up in one's remit, never edited; the ledger is read-only
even for supervisors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govmedia.publishing.models import DraftAttachment, LedgerEntry
from govmedia.publishing.services.attachments import attachment_add
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.review import review_approve
from tests.clients import back_office_client
from tests.publishing.factories import draft_for

ADMIN = "/admin/publishing"


@pytest.fixture
def entry(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft = review_approve(draft=draft_for(assigned_operator, edu_weibo, submit=True), by=edu_reviewer)
    publication_record(draft=draft, by=assigned_operator, url="https://weibo.com/x/1",
                       published_at=frozen_clock.current)
    return LedgerEntry.objects.get()


def test_a_unit_admin_sees_its_own_units_drafts_and_ledger_only(entry, edu_unit_admin, street_unit_admin):
    edu, street = back_office_client(edu_unit_admin), back_office_client(street_unit_admin)
    assert edu.get(f"{ADMIN}/ledgerentry/").context["cl"].result_count == 1
    assert edu.get(f"{ADMIN}/draft/").context["cl"].result_count == 1
    assert street.get(f"{ADMIN}/ledgerentry/").context["cl"].result_count == 0
    assert street.get(f"{ADMIN}/ledgerentry/{entry.pk}/change/").status_code == 404


def test_nobody_edits_or_deletes_a_ledger_entry_in_the_back_office(entry, supervisor):
    client = back_office_client(supervisor)
    page = client.get(f"{ADMIN}/ledgerentry/{entry.pk}/change/")
    assert page.status_code == 200 and not page.context["has_change_permission"]
    client.post(f"{ADMIN}/ledgerentry/{entry.pk}/change/", {"sequence": 9})
    assert client.post(f"{ADMIN}/ledgerentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.get().sequence == 1


def test_anchors_and_settings_are_the_district_offices(edu_unit_admin, supervisor):
    assert back_office_client(edu_unit_admin).get(f"{ADMIN}/ledgeranchor/").status_code == 403
    assert back_office_client(edu_unit_admin).get(f"{ADMIN}/publishingsettings/").status_code == 403
    assert back_office_client(supervisor).get(f"{ADMIN}/publishingsettings/add/").status_code == 200


def test_a_drafts_attachments_are_shown_in_the_back_office_and_cannot_be_changed_there(
        frozen_clock, assigned_operator, edu_weibo, edu_unit_admin):
    draft = draft_for(assigned_operator, edu_weibo)
    attachment_add(draft=draft, by=assigned_operator,
                   upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
    page = back_office_client(edu_unit_admin).get(f"{ADMIN}/draft/{draft.pk}/change/")
    assert page.status_code == 200 and "方案.pdf" in page.content.decode()
    inline = next(f for f in page.context["inline_admin_formsets"] if f.opts.model is DraftAttachment)
    assert not inline.has_change_permission and not inline.has_add_permission and not inline.has_delete_permission
