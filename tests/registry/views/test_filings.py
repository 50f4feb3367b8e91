"""Filings through HTTP: each unit sees and submits only its own, only the district office confirms or
returns, hostile uploads are refused, and the stamped form is downloaded only through the platform."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from govmedia.registry import services
from govmedia.registry.models import FilingState
from tests.factories import AccountFactory, FilingFactory
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db

NUMBER = "鲁政新媒备〔2026〕0001号"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(name="备案登记表.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_submission(client, filing, **overrides):
    data = {"provincial_filing_no": NUMBER, "form": upload()}
    data.update(overrides)
    return client.post(reverse("filing_record", args=[filing.pk]), data)


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.fixture
def edu_filing(frozen_clock, edu_weibo):
    return FilingFactory(account=edu_weibo, due_on=date(2026, 2, 20))


# ---------------------------------------------------------------- the unit submits


def test_a_unit_admin_submits_the_number_and_the_stamped_form(edu_filing, edu_unit_admin):
    response = post_submission(client_for(edu_unit_admin), edu_filing)
    assert response.status_code == 302 and response.url == reverse("filing_detail", args=[edu_filing.pk])
    filing = fresh(edu_filing)
    assert (filing.state, filing.provincial_filing_no, filing.filed_by) == (FilingState.SUBMITTED, NUMBER,
                                                                            edu_unit_admin)
    assert "等待管委办公室确认" in said(response)


@pytest.mark.parametrize(("name", "content", "content_type", "why"), [
    ("钓鱼.html", b"<script>alert(document.cookie)</script>", "text/html", "类型不支持"),
    ("表.pdf", b"<html><script>alert(1)</script></html>", "application/pdf", "不是 PDF"),
    ("表.png", b"MZ\x90\x00\x03\x00\x00\x00", "image/png", "不是有效的图片"),
    ("表.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "image/svg+xml", "类型不支持"),
])
def test_a_hostile_upload_is_refused_and_nothing_is_stored(edu_filing, edu_unit_admin, settings, name, content,
                                                           content_type, why):
    response = post_submission(client_for(edu_unit_admin), edu_filing, form=upload(name, content, content_type))
    assert why in said(response) and name in said(response)
    assert fresh(edu_filing).state == FilingState.PENDING and not fresh(edu_filing).events.exists()
    assert not (settings.MEDIA_ROOT / "filings").exists()


def test_an_oversized_upload_is_refused_while_it_streams_in(edu_filing, edu_unit_admin, settings):
    settings.GOVMEDIA_FILING_FORM_MAX_BYTES = 2048
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload would be spooled to a temporary file
    response = post_submission(client_for(edu_unit_admin), edu_filing, form=upload("大.pdf", PDF + b"0" * 200_000))
    assert "备案登记表“大.pdf”超过 2KB 上限" in said(response)
    assert response.wsgi_request.upload_over_cap == "大.pdf"  # stopped by the cap, not after the whole file
    assert "大.pdf" not in response.wsgi_request.FILES
    assert fresh(edu_filing).state == FilingState.PENDING


def test_the_submission_still_needs_the_csrf_token(edu_filing, edu_unit_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(edu_unit_admin)
    response = client.post(reverse("filing_record", args=[edu_filing.pk]),
                           {"provincial_filing_no": NUMBER, "form": upload()})
    assert response.status_code == 403 and fresh(edu_filing).state == FilingState.PENDING


def test_a_submission_without_the_number_is_refused_in_chinese(edu_filing, edu_unit_admin):
    response = post_submission(client_for(edu_unit_admin), edu_filing, provincial_filing_no="")
    assert "省备案编号" in said(response) and fresh(edu_filing).state == FilingState.PENDING


def test_another_unit_gets_404_on_every_filing_page_and_action(edu_filing, street_unit_admin, edu_unit_admin):
    services.filing_submit(filing=edu_filing, by=edu_unit_admin, provincial_filing_no=NUMBER, form=upload())
    client = client_for(street_unit_admin)
    for name in ("filing_detail", "filing_form"):
        assert client.get(reverse(name, args=[edu_filing.pk])).status_code == 404
    for name in ("filing_record", "filing_confirm", "filing_return"):
        assert client.post(reverse(name, args=[edu_filing.pk]), {"reason": "x"}).status_code == 404
    assert "西海岸教育发布" not in client.get(reverse("filing_list"), {"show": "all"}).content.decode()


def test_the_forms_after_a_submission_do_not_redirect_off_site(edu_filing, edu_unit_admin):
    response = post_submission(client_for(edu_unit_admin), edu_filing, next="https://evil.com/phish")
    assert response.status_code == 302 and "evil.com" not in response.url
    response = post_submission(client_for(edu_unit_admin), edu_filing, next="/registry/filings/?show=all")
    assert response.url == "/registry/filings/?show=all"


# ---------------------------------------------------------------- the district office decides


@pytest.fixture
def submitted(edu_filing, edu_unit_admin):
    return services.filing_submit(filing=edu_filing, by=edu_unit_admin, provincial_filing_no=NUMBER, form=upload())


@pytest.mark.parametrize("persona", ["edu_unit_admin", "edu_leader"])
def test_the_unit_itself_cannot_confirm_or_return_its_filing(submitted, persona, request):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(reverse("filing_detail", args=[submitted.pk])).content.decode()
    assert 'id="filing-decide"' not in page
    response = client.post(reverse("filing_confirm", args=[submitted.pk]))
    assert "只有管委办公室" in said(response)
    client.post(reverse("filing_return", args=[submitted.pk]), {"reason": "自己退回"})
    assert fresh(submitted).state == FilingState.SUBMITTED


def test_the_district_office_returns_with_a_reason_and_the_unit_resubmits(submitted, supervisor, edu_unit_admin):
    office = client_for(supervisor)
    assert 'id="filing-decide"' in office.get(reverse("filing_detail", args=[submitted.pk])).content.decode()
    office.post(reverse("filing_return", args=[submitted.pk]), {"reason": "备案登记表缺少主管单位意见"})
    assert fresh(submitted).state == FilingState.RETURNED

    unit = client_for(edu_unit_admin)
    page = unit.get(reverse("filing_detail", args=[submitted.pk])).content.decode()
    assert "备案登记表缺少主管单位意见" in page and "修改后重新提交" in page
    post_submission(unit, submitted)
    office.post(reverse("filing_confirm", args=[submitted.pk]), {"comment": "同意"})
    assert fresh(submitted).state == FilingState.CONFIRMED
    history = unit.get(reverse("filing_detail", args=[submitted.pk])).content.decode()
    for step in ("提交", "退回", "重新提交", "确认"):
        assert f"<td>{step}</td>" in history


def test_a_return_without_a_reason_is_refused(submitted, supervisor):
    response = client_for(supervisor).post(reverse("filing_return", args=[submitted.pk]), {"reason": ""})
    assert "退回原因" in said(response) and fresh(submitted).state == FilingState.SUBMITTED


# ---------------------------------------------------------------- the stamped form


def test_the_form_is_downloaded_by_those_who_see_the_account(submitted, edu_leader, supervisor):
    for user in (edu_leader, supervisor):
        response = client_for(user).get(reverse("filing_form", args=[submitted.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")


def test_the_form_is_not_served_to_anonymous_users_or_by_its_media_url(submitted):
    anonymous = Client()
    response = anonymous.get(reverse("filing_form", args=[submitted.pk]))
    assert response.status_code == 302 and "/login" in response.url
    assert anonymous.get("/media/" + fresh(submitted).form.name).status_code == 404


# ---------------------------------------------------------------- the list


def test_the_list_shows_days_overdue_in_working_days_and_never_filed_accounts(edu_filing, edu_unit_admin, district):
    AccountFactory(host_unit=district.edu, name="从未备案的账号")
    page = client_for(edu_unit_admin).get(reverse("filing_list")).content.decode()
    # Due Friday 2026-02-20; by Monday 03-02 six working days have passed (Saturday 02-28 was worked).
    assert '<td class="days-overdue overdue">6</td>' in page
    assert 'id="never-filed"' in page and "从未备案的账号" in page and "未备案" in page


def test_the_list_filters_by_unit_and_state_and_searches(frozen_clock, edu_weibo, school_douyin, supervisor,
                                                         district, edu_unit_admin):
    FilingFactory(account=edu_weibo, due_on=date(2026, 3, 5))
    services.filing_submit(filing=FilingFactory(account=school_douyin, due_on=date(2026, 3, 5)), by=supervisor,
                           provincial_filing_no="鲁政新媒备〔2026〕0099号", form=upload())
    client = client_for(supervisor)

    def listed(**params):
        page = client.get(reverse("filing_list"), params).content.decode()
        table = page[page.index('id="filing-table"'):]
        return {name for name in ("西海岸教育发布", "西海岸实验小学") if name in table}

    assert listed() == {"西海岸教育发布", "西海岸实验小学"}
    assert listed(unit=district.school.pk) == {"西海岸实验小学"}
    assert listed(state="submitted") == {"西海岸实验小学"}
    assert listed(state="pending") == {"西海岸教育发布"}
    assert listed(q="0099") == {"西海岸实验小学"}
    assert listed(q="教育发布") == {"西海岸教育发布"}
    # The unit is picked by typing its name (the picker works without JavaScript), not from a list of units.
    assert listed(unit_name=district.school.name) == {"西海岸实验小学"}
    assert '<select name="unit"' not in client.get(reverse("filing_list")).content.decode()


@pytest.mark.parametrize("params", [
    {"unit": "99999999999999999999999"}, {"unit": "abc"}, {"state": "<script>"}, {"show": "everything"},
])
def test_junk_filter_values_are_ignored_with_a_message(edu_filing, supervisor, params):
    response = client_for(supervisor).get(reverse("filing_list"), params)
    assert response.status_code == 200 and "西海岸教育发布" in response.content.decode()
    assert "无效，已忽略" in said(response)


@pytest.mark.parametrize("params", [{"page": "-1"}, {"page": "99999999999999999999"}, {"q": "西" * 5000}])
def test_odd_pages_and_long_searches_answer_a_page(edu_filing, supervisor, params):
    assert client_for(supervisor).get(reverse("filing_list"), params).status_code == 200


def test_an_account_without_any_filing_shows_as_unfiled_on_its_page_and_in_the_registry(frozen_clock, district,
                                                                                      edu_unit_admin):
    account = AccountFactory(host_unit=district.edu, name="从未备案的账号")
    client = client_for(edu_unit_admin)
    assert "未备案（无备案记录，计为逾期）" in client.get(account.get_absolute_url()).content.decode()
    registry = client.get(reverse("account_list"), {"overdue": "1"}).content.decode()
    assert "从未备案的账号" in registry and '<span class="badge badge-danger">未备案</span>' in registry


# ---------------------------------------------------------------- reminders on the dashboard


def test_the_unit_admin_finds_the_reminder_on_the_dashboard(edu_filing, edu_unit_admin, street_unit_admin):
    edu_unit_admin.email = "li@edu.example.cn"
    edu_unit_admin.save()
    services.send_filing_reminders()
    page = client_for(edu_unit_admin).get(reverse("dashboard")).content.decode()
    assert 'id="filing-reminders"' in page and "西海岸教育发布" in page and "已逾期" in page
    assert 'id="filing-reminders"' not in client_for(street_unit_admin).get(reverse("dashboard")).content.decode()
    assert len(mail.outbox) == 1
