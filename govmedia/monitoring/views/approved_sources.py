"""许可转载来源: everyone reads the list; supervisors add, edit and delete outlets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govmedia.monitoring.forms import ApprovedSourceForm
from govmedia.monitoring.models import ApprovedSource, SourceLevel
from govmedia.monitoring.services.approved_sources import approved_source_delete, approved_source_save
from govmedia.orgs.permissions import may_edit_approved_sources
from govmedia.registry.views.common import report_domain_error

REFUSED = "无权修改许可转载来源名单：名单由区级监管员维护"


@login_required
def approved_source_list(request):
    q = request.GET.get("q", "").strip()[:50]
    sources = ApprovedSource.objects.all()
    if q:
        sources = sources.filter(Q(name__icontains=q) | Q(aliases__icontains=q))
    return render(request, "monitoring/approved_sources.html", {
        "sources": sources, "q": q, "levels": SourceLevel, "may_edit": may_edit_approved_sources(request.user),
    })


def _edit(request, source: ApprovedSource, title: str):
    if not may_edit_approved_sources(request.user):
        raise PermissionDenied(REFUSED)
    form = ApprovedSourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        try:
            approved_source_save(source=form.instance, by=request.user)
        except ValidationError as error:
            report_domain_error(request, error, form)
        else:
            messages.success(request, f"许可转载来源已保存：{form.instance.name}。")
            return redirect("monitoring:approved_sources")
    return render(request, "monitoring/approved_source_form.html", {"form": form, "source": source, "title": title})


@login_required
def approved_source_add(request):
    return _edit(request, ApprovedSource(), "添加许可转载来源")


@login_required
def approved_source_edit(request, pk):
    source = get_object_or_404(ApprovedSource, pk=pk)
    return _edit(request, source, f"修改许可转载来源：{source.name}")


@login_required
@require_POST
def approved_source_remove(request, pk):
    source = get_object_or_404(ApprovedSource, pk=pk)
    approved_source_delete(source=source, by=request.user)
    messages.success(request, f"已从名单中删除：{source.name}。")
    return redirect("monitoring:approved_sources")
