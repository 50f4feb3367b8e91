"""The services an account offers the public (art. 12): information look-up, online payment, appointments,
certificates, each with its link. Kept by whoever acts for the account's unit; every write audited (signals).

Checking that the links still work is monitoring's link checker's job; hooking these links into it comes with
the next slice (its cycle reads posts' links today).
"""

from django.db import IntegrityError, transaction

from govmedia.errors import PermissionDenied, ValidationError
from govmedia.interaction.models import AccountService, ServiceKind
from govmedia.monitoring.engine.netguard import is_web_url
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_edit_account_services
from govmedia.registry.models import Account

NAME_MAX = 100
URL_MAX = 1000


def _require_may_edit(by: User, account: Account) -> None:
    if not may_edit_account_services(by, account):
        raise PermissionDenied(f"无权维护账号“{account.name}”的服务事项：由账号的主办单位维护")


@transaction.atomic
def account_service_save(*, account: Account, by: User, kind: str, name: str, url: str,
                         service: AccountService | None = None) -> AccountService:
    """Add a service to the account, or change `service` (one of its own)."""
    _require_may_edit(by, account)
    if service is not None and service.account_id != account.pk:
        raise PermissionDenied("该服务事项不属于此账号")
    errors = {}
    if kind not in ServiceKind.values:
        errors["kind"] = [f"服务类型只能是：{'、'.join(ServiceKind.labels)}"]
    name, url = (name or "").strip(), (url or "").strip()
    if not name or len(name) > NAME_MAX:
        errors["name"] = [f"服务名称不能为空，且不超过 {NAME_MAX} 字。"]
    if not is_web_url(url) or len(url) > URL_MAX:
        errors["url"] = [f"链接应以 http:// 或 https:// 开头并含有主机名，且不超过 {URL_MAX} 个字符。"]
    duplicate = AccountService.objects.filter(account=account, name=name)
    if name and duplicate.exclude(pk=service.pk if service else None).exists():
        errors["name"] = [f"该账号已有名为“{name}”的服务事项。"]
    if errors:
        raise ValidationError(errors)
    service = service or AccountService(account=account)
    service.kind, service.name, service.url = kind, name, url
    try:
        with transaction.atomic():
            service.save()
    except IntegrityError:  # the same name added by a colleague at the same moment
        raise ValidationError({"name": [f"该账号已有名为“{name}”的服务事项。"]}) from None
    return service


@transaction.atomic
def account_service_delete(*, service: AccountService, by: User) -> None:
    _require_may_edit(by, service.account)
    service.delete()
