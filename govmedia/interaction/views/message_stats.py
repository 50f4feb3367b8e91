"""按账号互动统计: per account and month, the share of messages answered within the deadline, the median
response time in working days and the backlog (with its XLSX export); and the district's reply limits per
kind of message, which supervisors set. Deadlines are computed, never stored: a new limit moves every open
message's deadline at once."""

import calendar as month_calendar
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from govmedia import clock
from govmedia.interaction.models import MessageKind, ReplyLimit
from govmedia.interaction.selectors import DEFAULT_REPLY_LIMITS, interaction_stats_by_account, reply_limits
from govmedia.interaction.views.message_common import form_errors
from govmedia.interaction.views.message_forms import ReplyLimitsForm, StatsFilters
from govmedia.orgs.permissions import accounts_acted_for, may_configure_reply_limits
from govmedia.registry.ledger_cells import write_workbook
from govmedia.registry.views.common import paginate
from govmedia.registry.views.documents import XLSX, download

# In a month's first days its own figures are nearly empty and the monthly inspection reads the month before:
# until this day of the month, the page opens on the previous month.
PREVIOUS_MONTH_UNTIL_DAY = 10


def default_month(today: date) -> date:
    """The first day of the month the page opens on: this month, or early in it the previous one."""
    if today.day > PREVIOUS_MONTH_UNTIL_DAY:
        return today.replace(day=1)
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _month(filters) -> tuple[date, date]:
    first = (filters["month"] or default_month(clock.today())).replace(day=1)
    return first, first.replace(day=month_calendar.monthrange(first.year, first.month)[1])


def _accounts(request, filters):
    accounts = accounts_acted_for(request.user).select_related("host_unit", "platform")
    return accounts.filter(host_unit_id=filters["unit"]) if filters["unit"] else accounts


def _rows(request, accounts, start, end):
    """(account, its InteractionStats) for each account, in the accounts' order."""
    accounts = list(accounts)
    stats = interaction_stats_by_account([a.pk for a in accounts], start=start, end=end, today=clock.today(),
                                         user=request.user)
    return [(account, stats[account.pk]) for account in accounts]


def _share(stats) -> str:
    return "—" if stats.in_time_share is None else f"{stats.in_time_share:.1%}"


def _days(stats) -> str:
    return "—" if stats.median_response_days is None else f"{stats.median_response_days:g}"


@login_required
def stats(request):
    filters = StatsFilters.parse(request)
    start, end = _month(filters)
    accounts = _accounts(request, filters)
    page = paginate(request, accounts)
    units = {a.host_unit_id: a.host_unit.name for a in accounts_acted_for(request.user).select_related("host_unit")}
    return render(request, "interaction/stats.html", {
        "page": page, "rows": [(a, s, _share(s), _days(s)) for a, s in _rows(request, page.object_list, start, end)],
        "start": start, "end": end, "month": f"{start:%Y-%m}", "unit": filters["unit"],
        "units": sorted(units.items(), key=lambda u: u[1]),
    })


@login_required
@require_GET
def stats_export(request):
    filters = StatsFilters.parse(request)
    start, end = _month(filters)
    rows = [[a.host_unit.name, a.name, a.platform.name, s.received, s.answered, s.answered_in_time, _share(s),
             _days(s), s.open, s.overdue] for a, s in _rows(request, _accounts(request, filters), start, end)]
    data = write_workbook([(f"{start:%Y-%m}", [
        ("主办单位", 24), ("账号", 24), ("平台", 14), ("收到留言", 10), ("已答复", 10), ("按期答复", 10),
        ("按期答复率", 12), ("答复用时中位数（工作日）", 16), ("待答复", 10), ("其中逾期", 10)], rows)])
    return download(data, f"互动统计{start:%Y-%m}.xlsx", XLSX, ascii_name=f"interaction-{start:%Y-%m}.xlsx")


@transaction.atomic
def save_reply_limits(*, by, limits: dict[str, int]) -> list[str]:
    """Set the working-day limit of each kind; returns what changed, in words. A kind set back to its
    default keeps a row all the same: the district's decision is recorded (and audited) as made."""
    if not may_configure_reply_limits(by):
        raise PermissionDenied("答复时限由区级监管员设置")
    current, changes = reply_limits(), []
    for kind, days in limits.items():
        if current[kind] != days:
            ReplyLimit.objects.update_or_create(kind=kind, defaults={"working_days": days})
            changes.append(f"{MessageKind(kind).label} {current[kind]} → {days} 个工作日")
    return changes


@login_required
def reply_limits_view(request):
    if not may_configure_reply_limits(request.user):
        raise PermissionDenied("答复时限由区级监管员设置")
    form = ReplyLimitsForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            changes = save_reply_limits(by=request.user, limits=form.cleaned_data)
            messages.success(request, f"答复时限已保存：{'；'.join(changes)}。" if changes else "答复时限没有变化。")
            return redirect("interaction:reply_limits")
        form_errors(request, form)
    return render(request, "interaction/message_reply_limits.html", {
        "form": form, "defaults": [(MessageKind(k).label, v) for k, v in DEFAULT_REPLY_LIMITS.items()],
    })
