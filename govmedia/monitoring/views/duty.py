"""值班读网: the day's new posts in the user's scope with their findings marked, read one by one or all shown
at once; the unread backlog per unit beside them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_POST

from govmedia import clock
from govmedia.monitoring.filters import DutyFilters
from govmedia.monitoring.selectors import duty_reading, for_display, unread_backlog
from govmedia.monitoring.services.duty import posts_mark_read
from govmedia.registry.views.common import paginate, report_domain_error
from govmedia.registry.views.unit_picker import unit_filter
from govmedia.web.redirects import redirect_to_next

PER_PAGE = 30


@login_required
def duty(request):
    filters = DutyFilters.parse(request)
    today = clock.today()
    day = filters["day"] or today
    picked = unit_filter(request, filters)
    page = paginate(request, duty_reading(request.user, day, unit=filters["unit"], unread_only=filters["unread"]),
                    per_page=PER_PAGE)
    posts = for_display(page)
    return render(request, "monitoring/duty.html", {
        "page": page, "posts": posts, "day": day, "today": today, "filters": filters, **picked,
        "unread_shown": [p.pk for p in posts if p.reading is None],
        "backlog": unread_backlog(request.user),
    })


@login_required
@require_POST
def duty_read(request):
    """Mark the posts named in the form read (one, or all those shown). A post outside the user's scope
    refuses the whole request (PermissionDenied: a 403, audited)."""
    try:
        marked = posts_mark_read(post_ids=request.POST.getlist("post"), by=request.user)
    except ValidationError as error:
        report_domain_error(request, error)
    else:
        messages.success(request, f"已标记 {marked} 条为已读。" if marked else "所选信息此前已标记为已读。")
    return redirect_to_next(request, "monitoring:duty")
