import pytest
from django.urls import reverse

from govmedia.contentcheck.models import Lexicon
from tests.clients import back_office_client

pytestmark = pytest.mark.django_db


def test_a_supervisor_adds_a_lexicon_in_the_admin_and_it_is_versioned(supervisor):
    response = back_office_client(supervisor).post(reverse("admin:contentcheck_lexicon_add"), {
        "name": "区级补充词库", "note": "", "content": "prohibited\t测试违禁词\n", "is_active": "on",
        "revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    lexicon = Lexicon.objects.get()
    assert lexicon.entry_count == 1 and lexicon.revisions.get().version == lexicon.version


def test_a_malformed_line_in_the_admin_is_shown_with_its_line_number(supervisor):
    response = back_office_client(supervisor).post(reverse("admin:contentcheck_lexicon_add"), {
        "name": "坏词库", "content": "prohibited\t测试违禁词\n只有一列\n", "is_active": "on",
        "revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200 and "第 2 行" in response.content.decode()
    assert not Lexicon.objects.exists()


def test_a_unit_admin_cannot_edit_the_district_lexicons(edu_unit_admin):
    assert back_office_client(edu_unit_admin).get(reverse("admin:contentcheck_lexicon_add")).status_code == 403
