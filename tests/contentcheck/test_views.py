import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from govmedia.contentcheck.models import ContentCheck
from tests.factories import AccountFactory, platform

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_pasted_text_is_checked_and_the_findings_are_highlighted(edu_reviewer):
    response = _client(edu_reviewer).post(reverse("content_check"), {"text": "扫码购买，限时优惠，加微信下单！"},
                                          follow=True)
    page = response.content.decode()
    assert '<mark class="finding' in page
    assert ContentCheck.objects.get().finding_count > 0


def test_markup_in_the_checked_text_is_escaped(edu_reviewer):
    response = _client(edu_reviewer).post(reverse("content_check"), {"text": "<script>alert(1)</script>限时优惠"},
                                          follow=True)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_an_uploaded_html_file_is_read_as_visible_text(edu_reviewer):
    upload = SimpleUploadedFile("post.html", "<html><body><p>扫码购买</p><script>var x='隐藏';</script></body></html>"
                                .encode(), content_type="text/html")
    _client(edu_reviewer).post(reverse("content_check"), {"file": upload})
    run = ContentCheck.objects.get()
    assert "扫码购买" in run.text and "隐藏" not in run.text and run.title == "post.html"


def test_an_unreadable_upload_is_refused_with_the_reason(edu_reviewer):
    upload = SimpleUploadedFile("bad.txt", b"\xff\xfe\x00\x00\x81\x00garbage\x00", content_type="text/plain")
    response = _client(edu_reviewer).post(reverse("content_check"), {"file": upload})
    assert response.status_code == 200
    assert not ContentCheck.objects.exists()


def test_a_user_of_another_unit_gets_404_on_a_check(edu_reviewer, street_reviewer):
    _client(edu_reviewer).post(reverse("content_check"), {"text": "限时优惠"})
    run = ContentCheck.objects.get()
    assert _client(street_reviewer).get(reverse("content_check_detail", args=[run.pk])).status_code == 404
    assert _client(edu_reviewer).get(reverse("content_check_detail", args=[run.pk])).status_code == 200


def test_an_operator_gets_404_on_a_colleagues_check_but_sees_the_checks_on_their_account(
    edu_reviewer, assigned_operator, edu_weibo
):
    reviewer = _client(edu_reviewer)
    reviewer.post(reverse("content_check"), {"text": "内部讲话稿", "title": "内部"})
    reviewer.post(reverse("content_check"), {"text": "微博稿件", "title": "微博", "account": edu_weibo.account_id})
    internal, on_account = ContentCheck.objects.get(title="内部"), ContentCheck.objects.get(title="微博")
    operator = _client(assigned_operator)
    assert operator.get(reverse("content_check_detail", args=[internal.pk])).status_code == 404
    assert operator.get(reverse("content_check_detail", args=[on_account.pk])).status_code == 200
    assert "内部" not in operator.get(reverse("content_check")).context["recent"].values_list("title", flat=True)


def test_a_check_for_an_account_of_another_unit_is_refused_by_the_form(edu_reviewer, street_weibo):
    response = _client(edu_reviewer).post(reverse("content_check"), {"text": "稿件", "account": street_weibo.account_id})
    assert response.status_code == 200 and "account" in response.context["form"].errors
    assert not ContentCheck.objects.exists()


def test_a_finding_shows_its_rule_in_chinese_and_keeps_the_internal_id_in_a_toggle(edu_reviewer):
    response = _client(edu_reviewer).post(reverse("content_check"), {"text": "我们要再接再励。"}, follow=True)
    page = response.content.decode()
    assert "错别字词库：再接再励→再接再厉" in page
    visible, _, toggle = page.partition("<details")
    assert "lex:typo:" not in visible
    assert "lex:typo:再接再励" in toggle.partition("</details>")[0]


def _hostile_docx() -> bytes:
    """600,000 short paragraphs in a 2 MB .docx: 18 s and 330 MB of a worker before the reader was bounded."""
    import io
    import zipfile

    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    source = zipfile.ZipFile(template)
    xml = source.read("word/document.xml").decode()
    body = "".join(f"<w:p><w:r><w:t>{i * 7919 % 100_003}</w:t></w:r></w:p>" for i in range(600_000))
    xml = xml.replace("<w:body>", "<w:body>" + body, 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            package.writestr(info.filename, xml if info.filename == "word/document.xml" else source.read(info))
    return out.getvalue()


def test_a_hostile_docx_is_refused_quickly_with_a_chinese_reason(edu_reviewer):
    import time

    upload = SimpleUploadedFile("post.docx", _hostile_docx(), content_type="application/octet-stream")
    started = time.perf_counter()
    response = _client(edu_reviewer).post(reverse("content_check"), {"file": upload})
    assert time.perf_counter() - started < 10
    assert response.status_code == 200 and not ContentCheck.objects.exists()
    assert "段落超过" in " ".join(response.context["form"].errors["file"])


def test_a_broken_docx_is_refused_in_chinese_only(edu_reviewer):
    upload = SimpleUploadedFile("post.docx", b"PK\x03\x04 not really a zip", content_type="application/octet-stream")
    response = _client(edu_reviewer).post(reverse("content_check"), {"file": upload})
    [reason] = response.context["form"].errors["file"]
    assert "无法读取该 .docx 文件" in reason and "zip" not in reason.lower() and "cannot" not in reason
    assert reason in response.content.decode()


def test_an_upload_over_10_mb_is_refused_on_the_file_field(edu_reviewer):
    upload = SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1), content_type="text/plain")
    response = _client(edu_reviewer).post(reverse("content_check"), {"file": upload})
    assert response.context["form"].errors["file"] == ["文件“big.txt”超过 10MB，请拆分后再检查。"]
    assert not ContentCheck.objects.exists()


def test_the_account_is_named_by_its_id_or_name_and_an_ambiguous_name_asks_for_the_id(edu_reviewer, edu_weibo):
    client = _client(edu_reviewer)
    client.post(reverse("content_check"), {"text": "稿件一", "title": "按名称", "account": edu_weibo.name})
    assert ContentCheck.objects.get(title="按名称").account == edu_weibo
    AccountFactory(host_unit=edu_weibo.host_unit, name=edu_weibo.name, account_id="twin", platform=platform("douyin"))
    response = client.post(reverse("content_check"), {"text": "稿件二", "account": edu_weibo.name})
    assert "请填写账号ID" in response.context["form"].errors["account"][0]


def test_the_check_page_lists_no_accounts_however_many_the_user_sees(edu_reviewer, edu_weibo, edu_wechat):
    page = _client(edu_reviewer).get(reverse("content_check")).content.decode()
    assert edu_wechat.account_id not in page and "<option" not in page.split('name="account"')[1][:200]
