"""An account's services (art. 12): kept by whoever acts for the account's unit, each with a web link; audited."""

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.errors import PermissionDenied, ValidationError
from govmedia.interaction.models import AccountService
from govmedia.interaction.services.account_services import account_service_delete, account_service_save
from tests.interaction.factories import AccountServiceFactory

pytestmark = pytest.mark.django_db

URL = "https://zwfw.example.cn/xuewei/query"


def save(account, by, **overrides):
    values = {"kind": "lookup", "name": " 学位查询 ", "url": f" {URL} "}
    values.update(overrides)
    return account_service_save(account=account, by=by, **values)


def test_the_unit_adds_a_service_with_its_link_and_the_write_is_audited(edu_weibo, assigned_operator):
    service = save(edu_weibo, assigned_operator)
    assert (service.kind, service.name, service.url) == ("lookup", "学位查询", URL)
    assert AuditEntry.objects.filter(object_type="interaction.AccountService", object_id=str(service.pk),
                                     action=AuditEntry.Action.CREATE).exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.cn/x", "zwfw.example.cn", "http://",
                                 "https://a.cn/has space", "https://example.cn/" + "x" * 1000])
def test_a_service_link_must_be_a_web_address(edu_weibo, edu_unit_admin, url):
    with pytest.raises(ValidationError) as refused:
        save(edu_weibo, edu_unit_admin, url=url)
    assert list(refused.value.message_dict) == ["url"]
    assert not AccountService.objects.exists()


def test_a_service_is_checked_for_kind_name_and_a_duplicate_name(edu_weibo, edu_wechat, edu_unit_admin):
    with pytest.raises(ValidationError) as refused:
        save(edu_weibo, edu_unit_admin, kind="lottery", name="")
    assert set(refused.value.message_dict) == {"kind", "name"}
    save(edu_weibo, edu_unit_admin)
    with pytest.raises(ValidationError) as refused:
        save(edu_weibo, edu_unit_admin, url="https://other.example.cn/")
    assert refused.value.message_dict == {"name": ["该账号已有名为“学位查询”的服务事项。"]}
    save(edu_wechat, edu_unit_admin)  # another account may offer the same


def test_a_service_is_changed_and_deleted(edu_weibo, edu_unit_admin):
    service = save(edu_weibo, edu_unit_admin)
    save(edu_weibo, edu_unit_admin, service=service, kind="payment", name="学费缴纳", url="https://pay.example.cn/")
    service.refresh_from_db()
    assert (service.kind, service.name) == ("payment", "学费缴纳")
    account_service_delete(service=service, by=edu_unit_admin)
    assert not AccountService.objects.exists()


def test_another_units_staff_cannot_add_change_or_delete(edu_weibo, street_weibo, street_unit_admin,
                                                         edu_unit_admin):
    service = AccountServiceFactory(account=edu_weibo)
    with pytest.raises(PermissionDenied):
        save(edu_weibo, street_unit_admin)
    with pytest.raises(PermissionDenied):
        save(street_weibo, street_unit_admin, service=service)  # through its own account
    with pytest.raises(PermissionDenied):
        account_service_delete(service=service, by=street_unit_admin)
    assert AccountService.objects.get() == service
