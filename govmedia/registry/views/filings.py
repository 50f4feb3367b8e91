"""Filings: the list with its filters, one filing with its history, the unit's submission, the district
office's confirmation or return, and the download of the stamped form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from govmedia import clock
from govmedia.errors import Conflict
from govmedia.registry import services
from govmedia.registry.filters import FilingFilters
from govmedia.registry.forms import FilingConfirmForm, FilingReturnForm, FilingSubmitForm
from govmedia.registry.models import FilingState
from govmedia.registry.selectors import (
    days_overdue,
    filing_history,
    filings_for_list,
    filings_visible_to,
    never_filed_list,
)
from govmedia.registry.uploads import FORM_TYPES, FormSizeCap, over_cap_message, suffix_of
from govmedia.registry.views.common import paginate, report_domain_error
from govmedia.registry.views.unit_picker import unit_filter
from govmedia.web.redirects import redirect_to_next
from govmedia.workdays.selectors import work_calendar


def _filters(request) -> dict:
    values = FilingFilters.parse(request)
    return {"show": "overdue" if values["overdue"] else values["show"] or "open",
            "state": values["state"] or None, "unit": values["unit"], "q": values["q"].strip()}


@login_required
def filing_list(request):
    today = clock.today()
    filters = _filters(request)
    picked = unit_filter(request, filters)  # before the query: a typed name decides the unit
    page = paginate(request, filings_for_list(request.user, today=today, **filters))
    calendar = work_calendar()
    for filing in page:
        filing.days_overdue = days_overdue(filing, today, calendar)
    # Accounts without any filing record are overdue by definition; they head the open and overdue views.
    never_filed = []
    if filters["show"] != "all" and filters["state"] in (None, FilingState.PENDING):
        never_filed = never_filed_list(request.user, unit=filters["unit"], q=filters["q"])[:200]
    return render(request, "registry/filing_list.html", {
        "page": page, "today": today, "filters": filters, "never_filed": never_filed,
        "states": FilingState.choices, **picked,
    })


def _filing_for(request, pk):
    return get_object_or_404(filings_visible_to(request.user), pk=pk)


@login_required
def filing_detail(request, pk):
    filing = _filing_for(request, pk)
    today = clock.today()
    user = request.user
    return render(request, "registry/filing_detail.html", {
        "filing": filing, "today": today, "history": filing_history(filing),
        "days_overdue": days_overdue(filing, today, work_calendar()),
        "may_submit": filing.awaits_unit and services.may_act_on(user, filing.account),
        "may_decide": filing.state == FilingState.SUBMITTED and services.may_confirm_filing(user, filing),
        "submit_form": FilingSubmitForm(initial={"provincial_filing_no": filing.provincial_filing_no}),
        "confirm_form": FilingConfirmForm(), "return_form": FilingReturnForm(),
    })


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def _handle(request, pk, form_class, act, done: str):
    """Bind the form, call the service with the filing and the form's values, report the outcome in Chinese,
    and go back where the form came from."""
    filing = _filing_for(request, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            act(filing, **form.cleaned_data)
            messages.success(request, f"“{filing.account.name}”{filing.get_kind_display()}{done}。")
        except (ValidationError, PermissionDenied, Conflict) as error:
            report_domain_error(request, error)
    return redirect_to_next(request, "filing_detail", filing.pk)


# The size cap must be in place before anything reads the body, and the CSRF check reads it; so the
# check is switched off for the outer view and done, after the cap, by the inner one (Django's documented way).
@csrf_exempt
@login_required
@require_POST
def filing_record(request, pk):
    """The unit submits its filing: the provincial number and the stamped attachment-1 form."""
    request.upload_handlers.insert(0, FormSizeCap(request))
    return _filing_submit(request, pk)


@csrf_protect
def _filing_submit(request, pk):
    request.FILES  # noqa: B018 -- read the body now, through the cap, whether or not the CSRF check did
    over_cap = getattr(request, "upload_over_cap", None)
    if over_cap is not None:
        messages.error(request, over_cap_message(over_cap))
        return redirect_to_next(request, "filing_detail", _filing_for(request, pk).pk)
    return _handle(request, pk, FilingSubmitForm, lambda filing, **values: services.filing_submit(
        filing=filing, by=request.user, **values), "已提交，等待管委办公室确认")


@login_required
@require_POST
def filing_confirm(request, pk):
    return _handle(request, pk, FilingConfirmForm, lambda filing, **values: services.filing_confirm(
        filing=filing, by=request.user, **values), "已确认")


@login_required
@require_POST
def filing_return(request, pk):
    return _handle(request, pk, FilingReturnForm, lambda filing, **values: services.filing_return(
        filing=filing, by=request.user, **values), "已退回")


@login_required
def filing_form(request, pk):
    """The stamped form, only to those who see the account; media files are never served by URL."""
    filing = _filing_for(request, pk)
    if not filing.form:
        raise Http404
    suffix = suffix_of(filing.form.name)
    response = FileResponse(filing.form.open("rb"), as_attachment=True,
                            filename=f"备案登记表-{filing.account.name}{suffix}",
                            content_type=FORM_TYPES.get(suffix, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    return response
