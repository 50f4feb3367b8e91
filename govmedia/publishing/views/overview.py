"""区级：逾期补审与逾期留言 — what is late in review and interaction: emergency releases whose full review is
overdue, drafts waiting in review for more than WAITING_DAYS working days, and messages past their reply
deadline. Supervisors see the district; unit admins and heads their remit (the selectors scope it)."""

from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from govmedia import clock
from govmedia.interaction.selectors import (
    message_deadline,
    messages_visible_to,
    overdue_messages,
    reply_limits,
)
from govmedia.orgs.permissions import may_see_review_overview
from govmedia.publishing.models import DraftState
from govmedia.publishing.selectors import drafts_visible_to, emergency_reviews_overdue, pending_step
from govmedia.publishing.views.review import nav
from govmedia.workdays.selectors import work_calendar

# A draft is reviewed within two working days of its submission; longer, and it is listed as waiting.
WAITING_DAYS = 2


def drafts_waiting(user, today, calendar) -> list[dict]:
    # Working days never outnumber calendar days, so only drafts submitted at least WAITING_DAYS + 1 days
    # ago can qualify: the query skips the rest.
    before = timezone.make_aware(datetime.combine(today - timedelta(days=WAITING_DAYS), time.min))
    rows = []
    for draft in drafts_visible_to(user).filter(state=DraftState.IN_REVIEW, submitted_at__lt=before).order_by(
            "submitted_at", "pk"):
        days = calendar.working_days_between(timezone.localdate(draft.submitted_at), today)
        if days > WAITING_DAYS:
            rows.append({"draft": draft, "days": days, "step": pending_step(draft)})
    return rows


def late_messages(user, today, calendar) -> list[dict]:
    limits = reply_limits()
    rows = [{"message": m, "deadline": message_deadline(m, limits=limits, calendar=calendar).date}
            for m in overdue_messages(messages_visible_to(user), today)]
    return sorted(rows, key=lambda row: (row["deadline"], row["message"].pk))


@login_required
def overview(request):
    if not may_see_review_overview(request.user):
        raise PermissionDenied("只有区级监管员、单位管理员和单位负责人可以查看逾期情况")
    today, calendar = clock.today(), work_calendar()
    emergencies = [{"draft": d, "step": pending_step(d)}
                   for d in emergency_reviews_overdue(request.user, today=today)]
    return render(request, "publishing/overview.html", {
        "nav": nav(request.user), "section": "overview",
        "today": today, "emergencies": emergencies, "waiting": drafts_waiting(request.user, today, calendar),
        "messages_late": late_messages(request.user, today, calendar), "waiting_days": WAITING_DAYS,
    })
