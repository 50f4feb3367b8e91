"""监测问题: the list with its filters; one finding with its evidence, its history and the steps the user may
take (confirm, false positive with a reason, fixed, reopen, assign). Two people acting on one finding at once:
the loser's Conflict reaches ConflictMiddleware and is answered 409 in Chinese."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from govmedia.monitoring.engine.codes import GROUP_LABEL, LABEL
from govmedia.monitoring.engine.types import LINK_VERDICTS
from govmedia.monitoring.filters import SEVERITY_CHOICES, FindingFilters
from govmedia.monitoring.forms import AssignForm, StepForm
from govmedia.monitoring.highlight import excerpt
from govmedia.monitoring.models import FindingState
from govmedia.monitoring.selectors import finding_history, findings_for_list, findings_visible_to
from govmedia.monitoring.services.triage import STEPS, finding_assign, finding_transition, steps_from
from govmedia.orgs.permissions import may_triage_finding
from govmedia.registry.views.common import paginate, report_domain_error
from govmedia.registry.views.unit_picker import unit_filter
from govmedia.web.redirects import redirect_to_next


@login_required
def finding_list(request):
    filters = FindingFilters.parse(request)
    picked = unit_filter(request, filters)
    state = filters["state"] or "unresolved"
    page = paginate(request, findings_for_list(request.user, **{**filters, "state": state}))
    return render(request, "monitoring/finding_list.html", {
        "page": page, "filters": {**filters, "state": state}, **picked,
        "states": FindingFilters.base_fields["state"].choices, "groups": GROUP_LABEL.items(),
        "codes": LABEL.items(), "severities": SEVERITY_CHOICES,
    })


def _finding_for(request, pk):
    return get_object_or_404(findings_visible_to(request.user), pk=pk)


@login_required
def finding_detail(request, pk):
    finding = _finding_for(request, pk)
    may_triage = may_triage_finding(request.user, finding)
    evidence = finding.evidence if isinstance(finding.evidence, dict) else {}
    return render(request, "monitoring/finding_detail.html", {
        "finding": finding,
        "excerpt": excerpt(finding.post, finding) if finding.post_id else "",
        "evidence": evidence, "verdict": LINK_VERDICTS.get(evidence.get("verdict"), evidence.get("verdict")),
        "history": finding_history(finding),
        "may_triage": may_triage,
        "steps": steps_from(finding.state) if may_triage else [],
        "assign_form": AssignForm(account=finding.account, initial={
            "assignee": finding.assignee_id, "seen_assignee": finding.assignee_id or ""}) if may_triage else None,
        "states": FindingState,
    })


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields and form.fields[field].label else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


@login_required
@require_POST
def finding_step(request, pk):
    finding = _finding_for(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect_to_next(request, "monitoring:finding", finding.pk)
    action = form.cleaned_data["action"]
    try:
        finding_transition(finding=finding, by=request.user, action=action, reason=form.cleaned_data["reason"],
                           seen_state=form.cleaned_data["seen_state"] or None)
    except ValidationError as error:
        report_domain_error(request, error)
    else:
        messages.success(request, f"已{STEPS[action].label}：{finding.get_state_display()}。")
    return redirect_to_next(request, "monitoring:finding", finding.pk)


@login_required
@require_POST
def finding_assign_view(request, pk):
    finding = _finding_for(request, pk)
    form = AssignForm(request.POST, account=finding.account)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect_to_next(request, "monitoring:finding", finding.pk)
    assignee = form.cleaned_data["assignee"]
    try:
        finding_assign(finding=finding, by=request.user, assignee=assignee,
                       seen_assignee_id=form.cleaned_data["seen_assignee"] if "seen_assignee" in request.POST else None)
    except ValidationError as error:
        report_domain_error(request, error)
    else:
        messages.success(request, f"已指派给 {assignee.display_name}。" if assignee else "已取消指派。")
    return redirect_to_next(request, "monitoring:finding", finding.pk)
