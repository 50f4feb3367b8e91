from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from govmedia import clock
from govmedia.registry import services
from govmedia.registry.filters import FilingFilters
from govmedia.registry.forms import FilingForm
from govmedia.registry.selectors import filings_visible_to, open_filings, overdue_filings
from govmedia.registry.views.common import paginate, report_domain_error
from govmedia.web.redirects import redirect_to_next


@login_required
def filing_list(request):
    today = clock.today()
    filters = FilingFilters.parse(request)
    show = "overdue" if filters["overdue"] else filters["show"] or "open"
    if show == "overdue":
        filings = overdue_filings(request.user, today)
    elif show == "open":
        filings = open_filings(request.user)
    else:
        filings = filings_visible_to(request.user).order_by("filed_on", "due_on")
    return render(request, "registry/filing_list.html", {
        "page": paginate(request, filings), "today": today, "show": show,
        "form": FilingForm(initial={"filed_on": today}),
    })


@login_required
@require_POST
def filing_record(request, pk):
    filing = get_object_or_404(filings_visible_to(request.user), pk=pk)
    form = FilingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "备案日期无效：" + "；".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            services.filing_record(filing=filing, by=request.user, filed_on=form.cleaned_data["filed_on"],
                                   provincial_filing_no=form.cleaned_data["provincial_filing_no"])
            messages.success(request, f"“{filing.account.name}”{filing.get_kind_display()}已登记。")
        except (ValidationError, PermissionDenied) as error:
            report_domain_error(request, error)
    return redirect_to_next(request, "filing_list")
