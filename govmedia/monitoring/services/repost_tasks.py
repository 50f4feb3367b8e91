"""Required reposts (art. 11): the district office issues a task (the notice, what marks a repost of it, a
deadline, which accounts), changes it, or withdraws it. Completion is detected from the accounts' posts by
the checking cycle; this module only keeps the task."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from govmedia import clock
from govmedia.monitoring.models import RepostTask
from govmedia.monitoring.services.sources import check_http_url
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_issue_repost_tasks
from govmedia.registry.models import Account, AccountStatus
from govmedia.registry.selectors import accounts_visible_to

TITLE_MAX = 300
PHRASES_MAX = 20
# A phrase of one character would match nearly every post.
PHRASE_MIN_CHARS, PHRASE_MAX_CHARS = 2, 100


def _require_may_issue(by: User) -> None:
    if not may_issue_repost_tasks(by):
        raise PermissionDenied("无权下达或修改转载任务：转载任务由区级监管员下达")


def normalized_phrases(text: str) -> list[str]:
    phrases: list[str] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line and line not in phrases:
            phrases.append(line)
    return phrases


def _checked(*, by: User, title: str, notice_url: str, match_phrases: str, deadline: datetime, accounts,
             now: datetime, stored_deadline: datetime | None = None) -> dict:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": ["请填写转载任务的标题。"]})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": [f"标题不能超过 {TITLE_MAX} 字（现为 {len(title)} 字）。"]})
    phrases = normalized_phrases(match_phrases)
    if len(phrases) > PHRASES_MAX:
        raise ValidationError({"match_phrases": [f"匹配关键词最多 {PHRASES_MAX} 个（现为 {len(phrases)} 个）。"]})
    for phrase in phrases:
        if not PHRASE_MIN_CHARS <= len(phrase) <= PHRASE_MAX_CHARS:
            raise ValidationError({"match_phrases": [
                f"匹配关键词“{phrase[:30]}”应为 {PHRASE_MIN_CHARS} 至 {PHRASE_MAX_CHARS} 个字。"]})
    if deadline is None:
        raise ValidationError({"deadline": ["请填写截止时间。"]})
    if deadline <= now and deadline != stored_deadline:
        raise ValidationError({"deadline": [f"截止时间 {deadline:%Y-%m-%d %H:%M} 已过，须晚于当前时间。"]})
    accounts = list(accounts)
    if not accounts:
        raise ValidationError({"accounts": ["请至少选择一个须转载的账号。"]})
    visible = set(accounts_visible_to(by).filter(pk__in=[a.pk for a in accounts]).values_list("pk", flat=True))
    for account in accounts:
        if account.pk not in visible:
            raise PermissionDenied(f"无权对账号“{account.name}”下达转载任务")
        if account.status != AccountStatus.NORMAL:
            raise ValidationError({"accounts": [
                f"账号“{account.name}”处于“{account.get_status_display()}”状态，不能下达转载任务。"]})
    return {"title": title, "notice_url": check_http_url(notice_url, field="notice_url", what="原文链接"),
            "match_phrases": "\n".join(phrases), "deadline": deadline, "accounts": accounts}


@transaction.atomic
def repost_task_issue(*, by: User, title: str, deadline: datetime, accounts: list[Account], notice_url: str = "",
                      match_phrases: str = "", now: datetime | None = None) -> RepostTask:
    _require_may_issue(by)
    now = now or clock.now()
    values = _checked(by=by, title=title, notice_url=notice_url, match_phrases=match_phrases, deadline=deadline,
                      accounts=accounts, now=now)
    accounts = values.pop("accounts")
    task = RepostTask.objects.create(issued_by=by, issued_at=now, **values)
    task.accounts.set(accounts)
    return task


@transaction.atomic
def repost_task_change(*, task: RepostTask, by: User, title: str, deadline: datetime, accounts: list[Account],
                       notice_url: str = "", match_phrases: str = "", now: datetime | None = None) -> RepostTask:
    """Change a task; accounts that already carried it out keep their completion."""
    _require_may_issue(by)
    values = _checked(by=by, title=title, notice_url=notice_url, match_phrases=match_phrases, deadline=deadline,
                      accounts=accounts, now=now or clock.now(), stored_deadline=task.deadline)
    accounts = values.pop("accounts")
    for name, value in values.items():
        setattr(task, name, value)
    task.save()
    task.accounts.set(accounts)
    return task


@transaction.atomic
def repost_task_withdraw(*, task: RepostTask, by: User) -> None:
    """Withdraw a task issued by mistake, with what was detected of it."""
    _require_may_issue(by)
    task.delete()
