from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govmedia.errors import Conflict
from govmedia.orgs.models import Unit
from govmedia.registry import services
from govmedia.registry.filters import InboxFilters
from govmedia.registry.forms import DecisionForm, ReasonForm
from govmedia.registry.history import application_fields, application_history, filing_next_step
from govmedia.registry.models import ApplicationState
from govmedia.registry.selectors import applications_visible_to, my_applications
from govmedia.registry.views.common import paginate, report_domain_error


def _application_for(request, pk):
    return get_object_or_404(applications_visible_to(request.user), pk=pk)


@login_required
def inbox(request):
    state = InboxFilters.parse(request)["state"]
    everything = applications_visible_to(request.user)
    if state:
        everything = everything.filter(state=state)
    return render(request, "registry/inbox.html", {
        "mine": my_applications(request.user).filter(state__in=[ApplicationState.SUBMITTED, ApplicationState.REJECTED]),
        "page": paginate(request, everything),
        "states": ApplicationState.choices, "state": state,
    })


@login_required
def application_detail(request, pk):
    application = _application_for(request, pk)
    steps = []
    units = Unit.objects.in_bulk(application.steps)
    for index, unit_id in enumerate(application.steps):
        if application.state == ApplicationState.APPROVED or index < application.current_step:
            status = "已通过"
        elif index == application.current_step and application.state == ApplicationState.SUBMITTED:
            status = "待审批"
        elif index == application.current_step and application.state == ApplicationState.REJECTED:
            status = "已退回"
        else:
            status = "未开始"
        steps.append((units.get(unit_id), status))
    return render(request, "registry/application_detail.html", {
        "application": application, "account": application.account, "steps": steps,
        "history": application_history(application), "fields": application_fields(application),
        "next_step": filing_next_step(application),
        "can_decide": services.can_approve(request.user, application),
        "can_withdraw": services.may_withdraw(request.user, application),
        "decision_form": DecisionForm(), "reason_form": ReasonForm(initial={"reason": application.reason}),
    })


def _decide(request, pk, action):
    application = _application_for(request, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if action == "approve":
            services.application_approve(application=application, by=request.user, comment=comment)
            messages.success(request, "已审批通过。")
        else:
            services.application_reject(application=application, by=request.user, comment=comment)
            messages.success(request, "已退回申请人。")
    except (ValidationError, PermissionDenied, Conflict) as error:
        report_domain_error(request, error)
    return redirect(application)


@login_required
@require_POST
def application_approve(request, pk):
    return _decide(request, pk, "approve")


@login_required
@require_POST
def application_reject(request, pk):
    return _decide(request, pk, "reject")


@login_required
@require_POST
def application_resubmit(request, pk):
    application = _application_for(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写理由后重新提交。")
        return redirect(application)
    try:
        services.application_resubmit(application=application, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "已重新提交，审批从第一环节重新开始。")
    except (ValidationError, PermissionDenied, Conflict) as error:
        report_domain_error(request, error)
    return redirect(application)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _application_for(request, pk)
    try:
        services.application_withdraw(application=application, by=request.user)
        messages.success(request, "申请已撤回。")
    except (ValidationError, PermissionDenied, Conflict) as error:
        report_domain_error(request, error)
    return redirect(application)


@login_required
def decision_document(request, pk):
    application = _application_for(request, pk)
    if not application.decision_document:
        raise Http404
    return FileResponse(application.decision_document.open("rb"), as_attachment=True,
                        filename=application.decision_document.name.rsplit("/", 1)[-1])
