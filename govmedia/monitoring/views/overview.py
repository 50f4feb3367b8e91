"""监测概览: open findings by indicator and unit, broken sources, overdue reposts, the unread backlog."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from govmedia import clock
from govmedia.monitoring.engine.codes import GROUP_LABEL
from govmedia.monitoring.selectors import overview as overview_data


@login_required
def overview(request):
    return render(request, "monitoring/overview.html", {
        "data": overview_data(request.user, clock.now()), "group_labels": GROUP_LABEL,
    })
