"""提醒: the user's own alerts, newest first, marked read one by one or all shown at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_POST

from govmedia.monitoring.selectors import alerts_for
from govmedia.monitoring.services.duty import alerts_mark_read
from govmedia.registry.views.common import paginate, report_domain_error
from govmedia.web.redirects import redirect_to_next


@login_required
def alert_list(request):
    unread_only = request.GET.get("unread") == "1"
    alerts = alerts_for(request.user)
    page = paginate(request, alerts.filter(read_at__isnull=True) if unread_only else alerts)
    return render(request, "monitoring/alerts.html", {
        "page": page, "unread_only": unread_only, "unread_shown": [a.pk for a in page if a.read_at is None],
    })


@login_required
@require_POST
def alerts_read(request):
    """Mark the alerts named in the form read; naming another person's alert refuses the request (403)."""
    try:
        marked = alerts_mark_read(alert_ids=request.POST.getlist("alert"), by=request.user)
    except ValidationError as error:
        report_domain_error(request, error)
    else:
        messages.success(request, f"已标记 {marked} 条提醒为已读。" if marked else "所选提醒此前已读。")
    return redirect_to_next(request, "monitoring:alerts")
