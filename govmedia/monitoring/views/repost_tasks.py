"""转载任务: the district office issues, changes and withdraws required reposts; everyone sees the tasks that
name their accounts, with each account's status: done (with the post), pending, or overdue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govmedia import clock
from govmedia.monitoring.forms import RepostTaskForm
from govmedia.monitoring.models import RepostTask
from govmedia.monitoring.selectors import (
    REPOST_STATUS_LABEL,
    accounts_picked,
    repost_statuses,
    repost_tasks_visible_to,
    with_repost_counts,
)
from govmedia.monitoring.services.repost_tasks import (
    repost_task_change,
    repost_task_issue,
    repost_task_withdraw,
)
from govmedia.orgs.permissions import may_issue_repost_tasks
from govmedia.registry.views.common import paginate, report_domain_error

REFUSED = "无权下达或修改转载任务：转载任务由区级监管员下达"


@login_required
def repost_task_list(request):
    now = clock.now()
    page = paginate(request, repost_tasks_visible_to(request.user))
    return render(request, "monitoring/repost_task_list.html", {
        "page": page, "tasks": with_repost_counts(page, request.user, now), "now": now,
        "may_issue": may_issue_repost_tasks(request.user), "labels": REPOST_STATUS_LABEL,
    })


def _task_for(request, pk) -> RepostTask:
    return get_object_or_404(repost_tasks_visible_to(request.user), pk=pk)


@login_required
def repost_task_detail(request, pk):
    task = _task_for(request, pk)
    now = clock.now()
    return render(request, "monitoring/repost_task_detail.html", {
        "task": task, "statuses": repost_statuses(task, request.user, now), "now": now,
        "may_issue": may_issue_repost_tasks(request.user),
    })


def _form(request, task: RepostTask | None) -> RepostTaskForm:
    initial = {}
    if task is not None:
        initial = {"title": task.title, "notice_url": task.notice_url, "match_phrases": task.match_phrases,
                   "deadline": task.deadline, "accounts": task.accounts.all()}
    return RepostTaskForm(request.POST or None, initial=initial, user=request.user,
                          accounts=accounts_picked(request.user))


def _edit(request, task: RepostTask | None):
    if not may_issue_repost_tasks(request.user):
        raise PermissionDenied(REFUSED)
    form = _form(request, task)
    is_new = task is None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accounts = set(data["accounts"])
        if data["units"] or data["platforms"]:
            accounts |= set(accounts_picked(request.user, units=data["units"], platforms=data["platforms"]))
        values = {"title": data["title"], "notice_url": data["notice_url"], "match_phrases": data["match_phrases"],
                  "deadline": data["deadline"], "accounts": sorted(accounts, key=lambda a: a.pk)}
        try:
            if is_new:
                task = repost_task_issue(by=request.user, **values)
            else:
                repost_task_change(task=task, by=request.user, **values)
        except ValidationError as error:
            report_domain_error(request, error, form)
        else:
            messages.success(request, f"转载任务已{'下达' if is_new else '保存'}，"
                                      f"涉及 {len(accounts)} 个账号。")
            return redirect("monitoring:repost_task", task.pk)
    return render(request, "monitoring/repost_task_form.html", {"form": form, "task": task})


@login_required
def repost_task_add(request):
    return _edit(request, None)


@login_required
def repost_task_edit(request, pk):
    return _edit(request, _task_for(request, pk))


@login_required
@require_POST
def repost_task_remove(request, pk):
    task = _task_for(request, pk)
    repost_task_withdraw(task=task, by=request.user)
    messages.success(request, f"转载任务已撤回：{task.title}。")
    return redirect("monitoring:repost_tasks")
