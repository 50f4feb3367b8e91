"""An account's sources, kept by its host unit: add, edit, disable or enable, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govmedia.monitoring.forms import SourceForm
from govmedia.monitoring.models import Source
from govmedia.monitoring.selectors import sources_visible_to
from govmedia.monitoring.services.sources import source_delete, source_save, source_set_active
from govmedia.orgs.permissions import may_edit_account_sources
from govmedia.registry.selectors import accounts_visible_to
from govmedia.registry.views.common import report_domain_error


def _source_for(request, pk) -> Source:
    return get_object_or_404(sources_visible_to(request.user), pk=pk)


def _edit(request, source: Source, title: str):
    if not may_edit_account_sources(request.user, source.account):
        raise PermissionDenied(f"无权修改账号“{source.account.name}”的数据源：数据源由账号的主办单位维护")
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        try:
            source_save(source=form.instance, by=request.user)
        except ValidationError as error:
            report_domain_error(request, error, form)
        else:
            messages.success(request, f"数据源已保存：{form.instance}。")
            return redirect(source.account)
    return render(request, "monitoring/source_form.html", {"form": form, "source": source, "title": title})


@login_required
def source_add(request, pk):
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    return _edit(request, Source(account=account), f"为“{account.name}”添加数据源")


@login_required
def source_edit(request, pk):
    source = _source_for(request, pk)
    return _edit(request, source, f"修改数据源：{source}")


@login_required
@require_POST
def source_active(request, pk):
    source = _source_for(request, pk)
    active = request.POST.get("active") == "1"
    try:
        source_set_active(source=source, by=request.user, active=active)
    except ValidationError as error:
        report_domain_error(request, error)
    else:
        messages.success(request, f"数据源已{'启用' if active else '停用'}：{source}。")
    return redirect(source.account)


@login_required
@require_POST
def source_remove(request, pk):
    source = _source_for(request, pk)
    account = source.account
    source_delete(source=source, by=request.user)
    messages.success(request, f"数据源已删除：{source}。已读取的信息仍保留在账号下。")
    return redirect(account)
