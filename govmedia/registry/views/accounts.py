from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from govmedia import clock
from govmedia.interaction.views.services import services_with_checks
from govmedia.monitoring.selectors import account_activity
from govmedia.orgs.permissions import may_edit_account_services, may_edit_account_sources, may_import_posts
from govmedia.orgs.selectors import account_owning_units_matching
from govmedia.registry import services
from govmedia.registry.consolidation import consolidation_report
from govmedia.registry.fields import COLUMN_KEYS, TEAM_KEYS, current_values
from govmedia.registry.filters import RegistryFilters
from govmedia.registry.forms import (
    AccountForm,
    ClosureForm,
    ColumnFormSet,
    FollowerForm,
    QrUploadForm,
    ReasonForm,
    TeamFormSet,
    formset_rows,
)
from govmedia.registry.history import read_history
from govmedia.registry.ledger import may_import
from govmedia.registry.models import Account, AccountStatus, Platform
from govmedia.registry.qr import account_qr_response
from govmedia.registry.selectors import account_history, accounts_visible_to, registry_list
from govmedia.registry.views.common import paginate, report_domain_error
from govmedia.registry.views.unit_picker import UNIT_SUGGESTIONS, query_with, unit_filter


@login_required
def unit_search(request):
    """The unit picker's suggestions, as JSON: only units within the user's remit."""
    units = account_owning_units_matching(request.user, request.GET.get("q", "")[:100], UNIT_SUGGESTIONS)
    return JsonResponse({"results": [{"id": u.pk, "name": u.name} for u in units]})


@login_required
def account_list(request):
    filters = RegistryFilters.parse(request)
    picked = unit_filter(request, filters)
    accounts = registry_list(request.user, **filters)
    if request.GET.get("print") == "1":
        return _account_list_print(request, accounts)
    page = paginate(request, accounts)
    context = {
        "page": page, "filters": filters, **picked,
        # The export takes the unit the typed name resolved to, not the text.
        "query": query_with(request.GET, unit=str(filters["unit"]) if filters["unit"] else None, unit_name=None, page=None),
        "platforms": Platform.objects.all(), "statuses": AccountStatus.choices,
        "may_import": may_import(request.user),
    }
    template = "registry/_account_rows.html" if request.htmx else "registry/account_list.html"
    return render(request, template, context)


# Printing gives every filtered row, not one page; the cap keeps a whole-district print (about
# 150 accounts today) well inside one request while refusing a runaway one.
PRINT_CAP = 2000


def _account_list_print(request, accounts):
    rows = list(accounts[:PRINT_CAP + 1])
    return render(request, "registry/account_print.html", {
        "accounts": rows[:PRINT_CAP], "truncated": len(rows) > PRINT_CAP, "cap": PRINT_CAP,
        "printed_at": clock.now(), "query": _without_print(request.GET),
    })


def _without_print(params) -> str:
    params = params.copy()
    params.pop("print", None)
    return params.urlencode()


def _account_for(request, pk):
    return get_object_or_404(accounts_visible_to(request.user), pk=pk)


@login_required
def account_detail(request, pk):
    account = _account_for(request, pk)
    return render(request, "registry/account_detail.html", {
        "account": account,
        "history": read_history(account_history(account)),
        "filings": account.filings.order_by("-due_on"),
        "applications": account.applications.select_related("applicant", "applicant__person"),
        "followers": account.follower_snapshots.all()[:24],
        "notices": account.closure_notices.all(),
        "today": clock.today(),
        "follower_form": FollowerForm(initial={"taken_on": clock.today()}),
        "qr_form": QrUploadForm(),
        "may_apply": services.may_act_on(request.user, account),
        "open_application": account.applications.filter(state__in=["submitted", "rejected"]).first(),
        "activity": account_activity(account, clock.today()),
        "may_edit_sources": may_edit_account_sources(request.user, account),
        "may_import_posts": may_import_posts(request.user, account),
        "services": services_with_checks(account),
        "may_edit_services": may_edit_account_services(request.user, account),
    })


def _formsets(request, initial=None):
    data = request.POST if request.method == "POST" else None
    return (ColumnFormSet(data, prefix="col", initial=(initial or {}).get("columns")),
            TeamFormSet(data, prefix="team", initial=(initial or {}).get("team")))


@login_required
def account_open(request):
    form = AccountForm(request.POST or None, user=request.user)
    reason_form = ReasonForm(request.POST or None)
    columns, team = _formsets(request)
    if request.method == "POST" and all(f.is_valid() for f in (form, reason_form, columns, team)):
        values = {**form.as_values(), "columns": formset_rows(columns, COLUMN_KEYS), "team": formset_rows(team, TEAM_KEYS)}
        try:
            application = services.open_application_submit(
                applicant=request.user, values=values, reason=reason_form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            report_domain_error(request, error, form)
        else:
            messages.success(request, "开设申请已提交，进入审批流程。")
            return redirect(application)
    return render(request, "registry/account_form.html", {
        "form": form, "reason_form": reason_form, "columns": columns, "team": team, "title": "申请开设政务新媒体账号",
    })


@login_required
def account_change(request, pk):
    account = _account_for(request, pk)
    if not services.may_act_on(request.user, account):
        raise PermissionDenied
    initial = current_values(account)
    # The form validates on a copy: `account` itself must keep its stored values to diff against.
    form = AccountForm(request.POST or None, instance=Account.objects.get(pk=account.pk), user=request.user)
    reason_form = ReasonForm(request.POST or None)
    columns, team = _formsets(request, initial)
    if request.method == "POST" and all(f.is_valid() for f in (form, reason_form, columns, team)):
        changes = {**form.as_values(), "columns": formset_rows(columns, COLUMN_KEYS), "team": formset_rows(team, TEAM_KEYS)}
        if not changes.get("competent_unit"):
            changes["competent_unit"] = account.competent_unit_id
        try:
            with transaction.atomic():
                application = services.change_application_submit(
                    applicant=request.user, account=account, changes=changes, reason=reason_form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            report_domain_error(request, error, form)
        else:
            messages.success(request, "变更申请已提交，审批通过后生效。")
            return redirect(application)
    return render(request, "registry/account_form.html", {
        "form": form, "reason_form": reason_form, "columns": columns, "team": team, "account": account,
        "title": f"申请变更：{account.name}",
    })


@login_required
def account_close(request, pk):
    account = _account_for(request, pk)
    if not services.may_act_on(request.user, account):
        raise PermissionDenied
    form = ClosureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.closure_application_submit(
                applicant=request.user, account=account, kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"], decision_kind=form.cleaned_data["decision_kind"],
                decision_document=form.cleaned_data["decision_document"])
        except (ValidationError, PermissionDenied) as error:
            report_domain_error(request, error, form)
        else:
            messages.success(request, "关停（注销）申请已提交。审批通过后将发布不少于15个工作日的公告。")
            return redirect(application)
    return render(request, "registry/account_close.html", {"form": form, "account": account})


# A PNG opened on its own is shown in the browser's image viewer, which styles itself inline: the page
# holds no markup of ours, so its policy forbids everything but those styles and the image.
@csp_override({"default-src": [CSP.NONE], "img-src": [CSP.SELF], "style-src": [CSP.UNSAFE_INLINE]})
@login_required
def account_qr(request, pk):
    return account_qr_response(_account_for(request, pk))


@login_required
@require_POST
def account_qr_upload(request, pk):
    account = _account_for(request, pk)
    form = QrUploadForm(request.POST, request.FILES)
    if form.is_valid():
        services.account_qr_set(account=account, by=request.user, image=form.cleaned_data["qr_code"])
        messages.success(request, "二维码已更新。")
    else:
        messages.error(request, "二维码图片无效：" + "；".join(e for errs in form.errors.values() for e in errs))
    return redirect(account)


@login_required
@require_POST
def account_followers_add(request, pk):
    account = _account_for(request, pk)
    form = FollowerForm(request.POST)
    if form.is_valid():
        try:
            services.follower_count_record(account=account, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_domain_error(request, error)
        else:
            messages.success(request, "粉丝量已记录。")
    else:
        messages.error(request, "粉丝量记录无效：" + "；".join(e for errs in form.errors.values() for e in errs))
    return redirect(account)


@login_required
def consolidation(request):
    report = consolidation_report(request.user)
    # A district's ledger yields thousands of candidates: shown a page at a time, the violations in full.
    return render(request, "registry/consolidation.html", {
        "violations": report.violations, "page": paginate(request, report.candidates, per_page=100),
    })

