"""An account's services (art. 12): the unit adds, changes and deletes them; the account page shows them with
the link checker's latest verdict."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govmedia.errors import PermissionDenied, ValidationError
from govmedia.interaction.models import AccountService, ServiceKind
from govmedia.interaction.selectors import services_of
from govmedia.interaction.services.account_services import (
    NAME_MAX,
    URL_MAX,
    account_service_delete,
    account_service_save,
)
from govmedia.monitoring.engine.types import BROKEN_VERDICTS
from govmedia.monitoring.selectors import latest_link_checks
from govmedia.orgs.permissions import may_edit_account_services
from govmedia.registry.selectors import accounts_visible_to
from govmedia.registry.views.common import report_domain_error

REFUSED = "无权维护该账号的服务事项：由账号的主办单位维护"


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label="服务类型", choices=ServiceKind.choices)
    name = forms.CharField(label="服务名称", max_length=NAME_MAX)
    url = forms.CharField(label="链接", max_length=URL_MAX,
                          widget=forms.URLInput(attrs={"placeholder": "https://…"}))


def services_with_checks(account) -> list[dict]:
    """The account's services, each with the link checker's latest verdict: 正常, 失效 or not yet checked."""
    services = list(services_of(account))
    checks = latest_link_checks([service.url for service in services])
    rows = []
    for service in services:
        check = checks.get(service.url)
        broken = check is not None and check.verdict in BROKEN_VERDICTS
        rows.append({"service": service, "check": check, "broken": broken,
                     "verdict": "未检查" if check is None else "失效" if broken else "正常"})
    return rows


def _account_for(request, pk):
    """The account (404 outside the user's sight) if the user may keep its services (else 403)."""
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    if not may_edit_account_services(request.user, account):
        raise PermissionDenied(REFUSED)
    return account


def _save(request, account, form, service=None):
    if not form.is_valid():
        return False
    try:
        account_service_save(account=account, by=request.user, service=service, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        report_domain_error(request, error, form)
        return False
    messages.success(request, f"服务事项已保存：{form.cleaned_data['name']}。")
    return True


@login_required
def service_list(request, pk):
    account = _account_for(request, pk)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and _save(request, account, form):
        return redirect("interaction:services", pk=account.pk)
    return render(request, "interaction/service_list.html", {
        "account": account, "form": form, "services": services_with_checks(account)})


def _service_for(request, pk):
    service = get_object_or_404(AccountService.objects.select_related("account"), pk=pk,
                                account__in=accounts_visible_to(request.user).values("pk"))
    if not may_edit_account_services(request.user, service.account):
        raise PermissionDenied(REFUSED)
    return service


@login_required
def service_edit(request, pk):
    service = _service_for(request, pk)
    initial = {"kind": service.kind, "name": service.name, "url": service.url}
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and _save(request, service.account, form, service):
        return redirect("interaction:services", pk=service.account_id)
    return render(request, "interaction/service_edit.html", {"service": service, "form": form})


@login_required
@require_POST
def service_delete(request, pk):
    service = _service_for(request, pk)
    try:
        account_service_delete(service=service, by=request.user)
    except PermissionDenied as error:
        report_domain_error(request, error)
    else:
        messages.success(request, f"服务事项已删除：{service.name}。")
    return redirect("interaction:services", pk=service.account_id)
