"""The registry through HTTP: scoping (404 for other units' objects), forms, security."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from govmedia.audit.models import AuditEntry
from govmedia.registry import services
from govmedia.registry.models import Account, AccountStatus, Application, ApplicationState
from tests.factories import DEFAULT_PASSWORD, AccountFactory, platform
from tests.threads import at_once
from tests.uncovered_year import LAST_COVERED_DAY, weekdays

pytestmark = pytest.mark.django_db


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _open_values(district, **overrides):
    values = {
        "account_id": "xha_new", "name": "西海岸教体视频号", "platform": platform("wechat-channels").pk,
        "host_unit": district.edu.pk, "registrant_kind": "organisation", "registered_on": "2026-02-20",
        "responsible_person": district.edu_reviewer.person.pk,
    }
    values.update(overrides)
    return values


def _open_post_data(district, **overrides):
    data = {k: v for k, v in _open_values(district, **overrides).items()}
    data.update({
        "reason": "开设视频号发布政策解读短视频。",
        "col-TOTAL_FORMS": "1", "col-INITIAL_FORMS": "0", "col-0-level1": "政务公开", "col-0-level2": "政策解读",
        "team-TOTAL_FORMS": "1", "team-INITIAL_FORMS": "0", "team-0-name": "钱审核",
        "team-0-unit_and_title": "区教育和体育局 宣传科科长", "team-0-mobile": "13900000000",
    })
    return data


OBJECT_URLS = [
    "account_detail", "account_change", "account_close", "account_qr", "attachment1_docx", "attachment1_pdf",
]


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_a_user_of_another_unit_gets_404_on_the_account_pages(name, street_unit_admin, edu_weibo):
    response = _client_for(street_unit_admin).get(reverse(name, args=[edu_weibo.pk]))
    assert response.status_code == 404


def test_a_user_of_another_unit_gets_404_on_the_application_and_cannot_approve_it(
    edu_unit_admin, street_leader, edu_weibo
):
    application = services.change_application_submit(
        applicant=edu_unit_admin, account=edu_weibo, changes={"introduction": "新的简介"}, reason="更新简介")
    outsider = _client_for(street_leader)
    assert outsider.get(reverse("application_detail", args=[application.pk])).status_code == 404
    assert outsider.post(reverse("application_approve", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.current_step == 0 and application.state == ApplicationState.SUBMITTED


def test_a_user_of_another_unit_gets_404_on_the_account_in_the_admin(street_unit_admin, edu_weibo, street_weibo):
    street_unit_admin.is_staff = True
    street_unit_admin.save()
    client = _client_for(street_unit_admin)
    assert client.get(reverse("admin:registry_account_change", args=[edu_weibo.pk])).status_code == 404
    assert client.get(reverse("admin:registry_account_change", args=[street_weibo.pk])).status_code == 200
    listing = client.get(reverse("admin:registry_account_changelist")).content.decode()
    assert "灵山卫发布" in listing and "西海岸教育发布" not in listing


def test_the_registry_list_shows_only_the_users_own_accounts(edu_unit_admin, edu_weibo, school_douyin, street_weibo):
    page = _client_for(edu_unit_admin).get(reverse("account_list")).content.decode()
    assert "西海岸教育发布" in page and "西海岸实验小学" in page
    assert "灵山卫发布" not in page


def test_an_operator_sees_only_the_accounts_assigned_to_them(assigned_operator, edu_weibo, edu_wechat):
    client = _client_for(assigned_operator)
    assert client.get(reverse("account_detail", args=[edu_weibo.pk])).status_code == 200
    assert client.get(reverse("account_detail", args=[edu_wechat.pk])).status_code == 404


def test_the_registry_list_filters_by_platform_and_search(supervisor, edu_weibo, edu_wechat):
    client = _client_for(supervisor)
    page = client.get(reverse("account_list"), {"platform": platform("weibo").pk}).content.decode()
    assert "西海岸教育发布" in page and "gh_xhaedu" not in page
    page = client.get(reverse("account_list"), {"q": "gh_xhaedu"}).content.decode()
    assert "西海岸教体" in page and "<td>xhaedu<" not in page


def test_an_opening_through_the_form_registers_a_pending_account_and_starts_the_chain(district, edu_unit_admin):
    response = _client_for(edu_unit_admin).post(reverse("account_open"), _open_post_data(district))
    assert response.status_code == 302
    account = Account.objects.get(account_id="xha_new")
    assert account.status == AccountStatus.PENDING
    assert list(account.columns.values_list("level1", "level2")) == [("政务公开", "政策解读")]
    assert account.team.get().name == "钱审核"
    application = Application.objects.get(account=account)
    assert response["Location"] == application.get_absolute_url()


def test_a_second_account_on_the_same_platform_is_refused_on_the_form_with_the_reason(
    district, edu_unit_admin, edu_wechat
):
    data = _open_post_data(district, platform=platform("wechat-service").pk, account_id="gh_other")
    response = _client_for(edu_unit_admin).post(reverse("account_open"), data)
    assert response.status_code == 200
    assert "一个单位在同一平台只能开设一个政务新媒体账号" in response.content.decode()
    assert not Account.objects.filter(account_id="gh_other").exists()


def test_a_unit_cannot_open_an_account_for_another_unit(district, street_unit_admin):
    response = _client_for(street_unit_admin).post(reverse("account_open"), _open_post_data(district))
    assert response.status_code == 200
    assert not Account.objects.filter(account_id="xha_new").exists()


def test_the_approver_approves_through_the_detail_page_and_the_applicant_cannot(
    district, edu_unit_admin, edu_leader
):
    _client_for(edu_unit_admin).post(reverse("account_open"), _open_post_data(district))
    application = Application.objects.get()
    own = _client_for(edu_unit_admin).post(reverse("application_approve", args=[application.pk]), follow=True)
    assert "不能审批本人提交的申请" in own.content.decode()
    _client_for(edu_leader).post(reverse("application_approve", args=[application.pk]), {"comment": "同意"})
    application.refresh_from_db()
    assert application.current_step == 1


def test_a_closure_without_a_decision_document_is_refused(edu_unit_admin, edu_weibo):
    response = _client_for(edu_unit_admin).post(
        reverse("account_close", args=[edu_weibo.pk]),
        {"kind": "close", "reason": "无力维护", "decision_kind": "collective"},
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_a_closure_with_its_decision_document_is_submitted(edu_unit_admin, edu_weibo):
    document = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = _client_for(edu_unit_admin).post(
        reverse("account_close", args=[edu_weibo.pk]),
        {"kind": "close", "reason": "无力维护", "decision_kind": "collective", "decision_document": document},
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.kind == "close" and application.decision_document


def _approve_closure(account, applicant, *approvers):
    document = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4", content_type="application/pdf")
    application = services.closure_application_submit(
        applicant=applicant, account=account, kind="close", reason="功能并入微信公众号",
        decision_kind="collective", decision_document=document)
    for approver in approvers:
        application = services.application_approve(application=Application.objects.get(pk=application.pk),
                                                    by=approver)
    return application


def test_public_notices_and_feeds_need_no_login(frozen_clock, edu_unit_admin, edu_leader, supervisor, edu_weibo):
    _approve_closure(edu_weibo, edu_unit_admin, edu_leader, supervisor)
    anonymous = Client()
    listing = anonymous.get(reverse("notice_list"))
    assert listing.status_code == 200 and "西海岸教育发布" in listing.content.decode()
    for feed in ("notice_feed_rss", "notice_feed_atom"):
        body = anonymous.get(reverse(feed)).content.decode()
        assert "西海岸教育发布" in body
    assert "<feed" in anonymous.get(reverse("notice_feed_atom")).content.decode()


def test_pages_behind_login_redirect_anonymous_users(edu_weibo):
    response = Client().get(reverse("account_detail", args=[edu_weibo.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_post_without_a_csrf_token_is_rejected(edu_unit_admin, edu_weibo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(edu_unit_admin)
    response = client.post(reverse("account_followers_add", args=[edu_weibo.pk]),
                           {"taken_on": "2026-01-01", "followers": "5"})
    assert response.status_code == 403


def test_five_wrong_passwords_lock_the_user_out_even_with_the_right_one(edu_unit_admin):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(5):
        client.post(reverse("login"), {"username": "edu_admin", "password": "wrong-password1"})
    response = client.post(reverse("login"), {"username": "edu_admin", "password": DEFAULT_PASSWORD})
    assert "已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_write_through_the_ui_is_audited_with_user_and_address(edu_unit_admin, edu_weibo):
    client = Client(REMOTE_ADDR="10.9.8.7")
    client.force_login(edu_unit_admin)
    client.post(reverse("account_followers_add", args=[edu_weibo.pk]), {"taken_on": "2026-01-01", "followers": "321"})
    entry = AuditEntry.objects.filter(object_type="registry.FollowerSnapshot").latest("pk")
    assert entry.actor == edu_unit_admin and entry.ip_address == "10.9.8.7" and entry.channel == "web"


def test_the_dashboard_counts_overdue_filings(frozen_clock, supervisor, edu_weibo):
    services.create_filing(account=edu_weibo, kind="opening", triggered_on=frozen_clock.today)
    frozen_clock.advance(days=30)
    page = _client_for(supervisor).get(reverse("dashboard")).content.decode()
    assert 'id="overdue-count">1<' in page.replace("\n", "")


def test_junk_filter_values_are_ignored_instead_of_failing(supervisor, edu_weibo):
    response = _client_for(supervisor).get(reverse("account_list"), {"unit": "abc", "platform": "1;drop", "status": "x"})
    assert response.status_code == 200 and "西海岸教育发布" in response.content.decode()


def test_an_operator_is_told_in_chinese_that_importing_is_not_for_their_role(assigned_operator):
    response = _client_for(assigned_operator).get(reverse("ledger_import"))
    assert response.status_code == 403 and "无权访问" in response.content.decode()


def test_select_boxes_prompt_in_chinese(edu_unit_admin):
    page = _client_for(edu_unit_admin).get(reverse("account_open")).content.decode()
    assert "请选择" in page and "Select an option" not in page


def test_a_provisional_date_is_marked_on_every_page_that_shows_it(
        frozen_clock, edu_unit_admin, edu_leader, supervisor, edu_weibo, edu_wechat):
    frozen_clock.set(LAST_COVERED_DAY)
    services.create_filing(account=edu_wechat, kind="change", triggered_on=LAST_COVERED_DAY)
    notice = _approve_closure(edu_weibo, edu_unit_admin, edu_leader, supervisor).notice
    due, effective = weekdays(7)[-1], weekdays(15)[-1] + timedelta(days=1)
    staff = _client_for(edu_unit_admin)
    assert f"{due:%Y-%m-%d}（暂定）" in staff.get(reverse("filing_list")).content.decode()
    assert f"{due:%Y-%m-%d}（暂定）" in staff.get(reverse("account_detail", args=[edu_wechat.pk])).content.decode()
    account_page = staff.get(reverse("account_detail", args=[edu_weibo.pk])).content.decode()
    assert f"{effective:%Y-%m-%d}（暂定） 起生效" in account_page
    anonymous = Client()
    assert f"{effective:%Y-%m-%d}（暂定）" in anonymous.get(reverse("notice_list")).content.decode()
    page = anonymous.get(notice.get_absolute_url()).content.decode()
    assert f"生效日期：{effective:%Y年%-m月%-d日}（暂定）" in page  # the heading
    assert f"将于{effective:%Y年%m月%d日}（暂定）起关停" in page  # and the text of the notice itself
    for feed in ("notice_feed_rss", "notice_feed_atom"):
        body = anonymous.get(reverse(feed)).content.decode()
        assert f"{effective:%Y年%m月%d日}（暂定）起关停" in body and f"生效日期：{effective:%Y-%m-%d}（暂定）" in body


def test_an_operator_not_assigned_to_the_account_cannot_upload_its_qr_code(edu_operator, edu_unit_admin, edu_weibo):
    image = SimpleUploadedFile("qr.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif")
    response = _client_for(edu_operator).post(reverse("account_qr_upload", args=[edu_weibo.pk]), {"qr_code": image})
    assert response.status_code == 404
    edu_weibo.refresh_from_db()
    assert not edu_weibo.qr_code


def test_a_follower_count_from_the_future_is_refused_with_a_message(frozen_clock, edu_unit_admin, edu_weibo):
    response = _client_for(edu_unit_admin).post(reverse("account_followers_add", args=[edu_weibo.pk]),
                                               {"taken_on": "2026-03-09", "followers": "5"}, follow=True)
    assert "不能晚于今天" in response.content.decode()
    assert not edu_weibo.follower_snapshots.exists()


def test_a_reviewer_who_posts_a_withdrawal_of_a_colleagues_opening_is_refused(district, edu_operator, edu_reviewer):
    response = _client_for(edu_operator).post(reverse("account_open"), _open_post_data(district))
    application = Application.objects.get(account__account_id="xha_new")
    page = _client_for(edu_reviewer).post(reverse("application_withdraw", args=[application.pk]), follow=True)
    assert response.status_code == 302 and "单位管理员" in page.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_the_print_view_lists_every_filtered_row_of_the_users_own_accounts(district, edu_unit_admin):
    for i in range(55):
        AccountFactory(host_unit=district.edu, name=f"教体发布{i:02d}", account_id=f"edu{i:02d}")
    AccountFactory(host_unit=district.street, name="灵山卫发布", account_id="lsw")
    client = _client_for(edu_unit_admin)
    assert client.get(reverse("account_list")).content.decode().count("教体发布") == 50  # one page on screen
    page = client.get(reverse("account_list"), {"q": "发布", "print": "1"}).content.decode()
    assert page.count("教体发布") == 55
    assert "灵山卫发布" not in page
    assert "打印时间" in page


def test_the_print_view_stops_at_its_cap_and_says_so(district, edu_unit_admin, monkeypatch):
    from govmedia.registry.views import accounts

    monkeypatch.setattr(accounts, "PRINT_CAP", 3)
    for i in range(5):
        AccountFactory(host_unit=district.edu, name=f"教体发布{i:02d}", account_id=f"edu{i:02d}")
    page = _client_for(edu_unit_admin).get(reverse("account_list"), {"print": "1"}).content.decode()
    assert page.count("教体发布") == 3
    assert "只列出前 3 个" in page


# ---------------------------------------------------------------- writes racing each other


def _racing_post(user, url, data):
    """A logged-in client that POSTs when released, and answers like the server would (a 500, not an exception)."""
    def prepare():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        return lambda: client.post(url, data, follow=True)
    return prepare


def _no_server_error(responses) -> list[str]:
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert [r.status_code for r in responses] == [200] * len(responses)
    return [r.content.decode() for r in responses]


ROUNDS = 4  # a single race may not overlap; four nearly always do


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_approvers_posting_at_once_the_loser_is_told_in_chinese_and_one_approval_counts(
    district, edu_operator, edu_leader, edu_unit_admin
):
    for i in range(ROUNDS):
        application = services.open_application_submit(
            applicant=edu_operator, values=_open_values(district, account_id=f"race{i}", platform=platform(
                ["douyin", "kuaishou", "bilibili", "toutiao"][i]).pk), reason="开设账号")
        url = reverse("application_approve", args=[application.pk])
        pages = _no_server_error(at_once(_racing_post(edu_leader, url, {"comment": "同意"}),
                                         _racing_post(edu_unit_admin, url, {"comment": "同意"})))
        assert sum("已审批通过" in page for page in pages) == 1
        assert sum("该申请已被他人处理" in page or "环节已被处理" in page for page in pages) == 1
        application.refresh_from_db()
        assert application.current_step == 1
        assert application.events.filter(action="approve").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_opening_submitted_twice_at_once_is_registered_once_and_the_second_is_refused_in_chinese(
    district, edu_reviewer
):
    for i in range(ROUNDS):
        data = _open_post_data(district, account_id=f"twice{i}", platform=platform(
            ["douyin", "kuaishou", "bilibili", "toutiao"][i]).pk)
        pages = _no_server_error(at_once(*[_racing_post(edu_reviewer, reverse("account_open"), data)] * 2))
        assert sum("开设申请已提交" in page for page in pages) == 1
        losers = [page for page in pages if "开设申请已提交" not in page]
        assert "一个单位在同一平台只能开设一个政务新媒体账号" in losers[0], re.findall(r'class="msg-[^"]*">([^<]*)', losers[0])
        assert Application.objects.filter(account__account_id=f"twice{i}").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_openings_of_one_unit_on_one_platform_at_once_cannot_both_pass_article_5(
    district, edu_reviewer, edu_unit_admin
):
    for i, code in enumerate(["douyin", "kuaishou", "bilibili", "toutiao"][:ROUNDS]):
        first = _open_post_data(district, account_id=f"first{i}", name=f"教体{code}一", platform=platform(code).pk)
        second = _open_post_data(district, account_id=f"second{i}", name=f"教体{code}二", platform=platform(code).pk)
        pages = _no_server_error(at_once(_racing_post(edu_reviewer, reverse("account_open"), first),
                                         _racing_post(edu_unit_admin, reverse("account_open"), second)))
        assert sum("开设申请已提交" in page for page in pages) == 1
        assert sum("一个单位在同一平台只能开设一个政务新媒体账号" in page for page in pages) == 1
        assert Account.objects.filter(host_unit=district.edu, platform__code=code).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_units_registering_one_account_id_at_once_get_one_account_and_a_chinese_message(
    district, edu_reviewer, street_unit_admin
):
    street_person = street_unit_admin.person.pk
    for i, code in enumerate(["douyin", "kuaishou", "bilibili", "toutiao"][:ROUNDS]):
        edu = _open_post_data(district, account_id=f"same{i}", name=f"教体{code}", platform=platform(code).pk)
        street = _open_post_data(district, account_id=f"same{i}", name=f"灵山卫{code}", platform=platform(code).pk,
                                 host_unit=district.street.pk, responsible_person=street_person)
        responses = at_once(_racing_post(edu_reviewer, reverse("account_open"), edu),
                            _racing_post(street_unit_admin, reverse("account_open"), street))
        # The loser's form says the id is taken, or (PostgreSQL, both past the check) a 409 page says so.
        assert sorted(r.status_code for r in responses) in ([200, 200], [200, 409])
        pages = [r.content.decode() for r in responses]
        assert sum("开设申请已提交" in page for page in pages) == 1
        assert sum("已经存在" in page or "刚刚被另一份同时提交的申请登记" in page for page in pages) == 1
        assert Account.objects.filter(platform__code=code, account_id=f"same{i}").count() == 1


def _png(width: int, height: int, *, padding: int = 0) -> SimpleUploadedFile:
    """A real PNG header of the given size; `padding` bytes of a private chunk make the file large cheaply."""
    import io
    import struct
    import zlib

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (8, 8)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", width, height)  # IHDR width and height
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    if padding:
        chunk = b"prIv" + b"\0" * padding
        data[33:33] = struct.pack(">I", padding) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return SimpleUploadedFile("qr.png", bytes(data), content_type="image/png")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow warns; the form refuses
@pytest.mark.parametrize(("image", "message"), [
    (lambda: _png(200, 200, padding=3 * 1024 * 1024), "超过 2MB 上限"),
    (lambda: _png(13000, 13000), "过大"),
])
def test_a_qr_image_the_pages_would_never_show_is_refused_at_upload(edu_unit_admin, edu_weibo, image, message):
    page = _client_for(edu_unit_admin).post(reverse("account_qr_upload", args=[edu_weibo.pk]),
                                            {"qr_code": image()}, follow=True).content.decode()
    assert message in page and "二维码已更新" not in page
    edu_weibo.refresh_from_db()
    assert not edu_weibo.qr_code


def test_the_qr_image_on_its_own_allows_only_the_browsers_image_viewer_styles(edu_unit_admin, edu_weibo):
    edu_weibo.access_url = "https://weibo.com/xhaedu"
    edu_weibo.save()
    response = _client_for(edu_unit_admin).get(reverse("account_qr", args=[edu_weibo.pk]))
    policy = response["Content-Security-Policy"]
    assert response["Content-Type"] == "image/png"
    assert "default-src 'none'" in policy and "script-src" not in policy
