"""Reading interaction data: who sees which messages, each message's reply deadline, and per-account figures.

Deadlines are computed here, never stored: a message's limit is its kind's (ReplyLimit, else
DEFAULT_REPLY_LIMITS) counted in working days from the date it was received (Beijing time) with the
working-day calendar in force, so changing the kind, a limit or the calendar moves every deadline at once.

Default limits (working days), after common practice for government accounts' message boards:
咨询 3 (a question of fact is answered quickly), 投诉 5, 留言 5, 评论 5, 建议 10 (a suggestion may need
a department's opinion). Supervisors change them in the back office (ReplyLimit).
"""

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from django.db.models import Q, QuerySet
from django.utils import timezone

from govmedia.errors import PermissionDenied
from govmedia.interaction.models import (
    OPEN_STATUSES,
    AccountService,
    Message,
    MessageKind,
    MessageStatus,
    QuestionKind,
    ReplyLimit,
    Survey,
    SurveyQuestion,
)
from govmedia.orgs.models import User
from govmedia.orgs.permissions import accounts_acted_for, sees_all_messages_by_default
from govmedia.registry.ledger_cells import write_workbook
from govmedia.registry.models import Account
from govmedia.workdays.calendar import Deadline, WorkCalendar
from govmedia.workdays.selectors import work_calendar

DEFAULT_REPLY_LIMITS = {
    MessageKind.CONSULTATION: 3,
    MessageKind.COMPLAINT: 5,
    MessageKind.MESSAGE: 5,
    MessageKind.COMMENT: 5,
    MessageKind.SUGGESTION: 10,
}


def messages_visible_to(user: User) -> QuerySet[Message]:
    """The messages of the accounts the user acts for (supervisors: all). Senders' contacts are personal data:
    every list and detail starts here, so another unit never sees them."""
    return Message.objects.select_related("account", "account__host_unit", "assignee__person").filter(
        account__in=accounts_acted_for(user).values("pk"))


def surveys_visible_to(user: User) -> QuerySet[Survey]:
    return Survey.objects.select_related("account").filter(account__in=accounts_acted_for(user).values("pk"))


def services_of(account: Account) -> QuerySet[AccountService]:
    """The services an account offers: public information, shown on the account's page to whoever sees it."""
    return AccountService.objects.filter(account=account)


def reply_limits() -> dict[str, int]:
    """Working days per kind of message: the configured ones over the defaults."""
    return {**DEFAULT_REPLY_LIMITS, **dict(ReplyLimit.objects.values_list("kind", "working_days"))}


def received_on(message: Message) -> date:
    return timezone.localtime(message.received_at).date()


def message_deadline(message: Message, *, limits: dict[str, int] | None = None,
                     calendar: WorkCalendar | None = None) -> Deadline:
    """The last day the message may be answered on. Pass `limits` and `calendar` when computing many."""
    limits = limits if limits is not None else reply_limits()
    return (calendar or work_calendar()).add_working_days(received_on(message), limits[message.kind])


def is_overdue(message: Message, today: date, *, limits=None, calendar=None) -> bool:
    """Still waiting for its answer after its deadline."""
    return message.status in OPEN_STATUSES and today > message_deadline(message, limits=limits,
                                                                         calendar=calendar).date


def overdue_messages(messages: QuerySet[Message], today: date) -> list[Message]:
    limits, calendar = reply_limits(), work_calendar()
    return [m for m in messages.filter(status__in=OPEN_STATUSES)
            if is_overdue(m, today, limits=limits, calendar=calendar)]


# ---------------------------------------------------------------- per-account figures


@dataclass(frozen=True)
class InteractionStats:
    """One account's interaction over a period (messages received from `start` to `end`, both included), as
    of `today`. The monthly inspection reads `received == 0` as no interaction at all."""

    account_id: int
    start: date
    end: date
    received: int
    answered: int  # a reply was released
    answered_in_time: int  # released no later than the deadline
    median_response_days: float | None  # working days from receipt to release, over the answered ones
    open: int  # still waiting for an answer today
    overdue: int  # of which past their deadline

    @property
    def in_time_share(self) -> float | None:
        """Share of the messages received whose reply was released within the deadline; None without any."""
        return self.answered_in_time / self.received if self.received else None


def interaction_stats(account: Account, *, user: User, start: date, end: date, today: date) -> InteractionStats:
    """Figures for the messages `account` received in [start, end]. A message closed without a reply (spam,
    a duplicate) counts as received and not answered: the share is of everything the public sent. Refused
    (PermissionDenied) when the user does not see the account's messages (messages_visible_to)."""
    return interaction_stats_by_account([account.pk], user=user, start=start, end=end, today=today)[account.pk]


def interaction_stats_by_account(account_ids, *, user: User, start: date, end: date,
                                 today: date) -> dict[int, InteractionStats]:
    """interaction_stats for many accounts at once (the monthly inspection's rows), in one query; an account
    without messages in the period gets its zero figures. Refused when any of them is outside the user's
    scope."""
    account_ids = list(dict.fromkeys(account_ids))
    seen = set(accounts_acted_for(user).filter(pk__in=account_ids).values_list("pk", flat=True))
    hidden = [pk for pk in account_ids if pk not in seen]
    if hidden:
        raise PermissionDenied(f"无权查看这些账号的互动统计（账号编号：{'、'.join(map(str, hidden))}）")
    zone = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()), zone)
    until = timezone.make_aware(datetime.combine(end, datetime.max.time()), zone)
    grouped: dict[int, list[Message]] = {pk: [] for pk in account_ids}
    for message in Message.objects.filter(account_id__in=account_ids, received_at__gte=since,
                                          received_at__lte=until).only(
            "account_id", "kind", "status", "received_at", "replied_at"):
        grouped[message.account_id].append(message)
    limits, calendar = reply_limits(), work_calendar()
    return {pk: _stats(pk, messages, start, end, today, limits, calendar) for pk, messages in grouped.items()}


def _stats(account_id, messages, start, end, today, limits, calendar) -> InteractionStats:
    answered, in_time, days, open_, overdue = 0, 0, [], 0, 0
    for message in messages:
        deadline = message_deadline(message, limits=limits, calendar=calendar).date
        if message.replied_at is not None:
            replied = timezone.localtime(message.replied_at).date()
            answered += 1
            in_time += replied <= deadline
            days.append(calendar.working_days_between(received_on(message), replied))
        elif message.status in OPEN_STATUSES:
            open_ += 1
            overdue += today > deadline
    return InteractionStats(account_id=account_id, start=start, end=end, received=len(messages),
                            answered=answered, answered_in_time=in_time,
                            median_response_days=median(days) if days else None, open=open_, overdue=overdue)


# ---------------------------------------------------------------- survey results


@dataclass(frozen=True)
class QuestionResult:
    question: SurveyQuestion
    answered: int  # responses that answered this question
    counts: list[tuple[str, int]]  # per option, in the options' order (choice questions)
    texts: list[str]  # the answers given (text questions), in the order submitted


def _check_survey_visible(survey: Survey, user: User) -> None:
    if not surveys_visible_to(user).filter(pk=survey.pk).exists():
        raise PermissionDenied(f"无权查看调查“{survey.title}”的结果")


def survey_results(survey: Survey, *, user: User) -> tuple[int, list[QuestionResult]]:
    """How many responded, and per question: for a choice question how many chose each option (a multiple-choice
    answer counts for each option chosen), for a text question the answers themselves. Refused when the user
    does not see the survey (surveys_visible_to)."""
    _check_survey_visible(survey, user)
    questions = list(survey.questions.all())
    answers = list(survey.responses.values_list("answers", flat=True))
    results = []
    for question in questions:
        key = str(question.pk)
        given = [a[key] for a in answers if key in a]
        if question.kind == QuestionKind.TEXT:
            results.append(QuestionResult(question, len(given), [], given))
            continue
        chosen = [v for value in given for v in (value if isinstance(value, list) else [value])]
        results.append(QuestionResult(question, len(given), [(o, chosen.count(o)) for o in question.options], []))
    return len(answers), results


def survey_workbook(survey: Survey, *, user: User) -> bytes:
    """The results as XLSX: every response (one row each, a multiple choice joined by “；”) and the per-option
    counts with their share of the respondents. Refused when the user does not see the survey."""
    _check_survey_visible(survey, user)
    questions = list(survey.questions.all())
    rows = []
    for number, response in enumerate(survey.responses.all(), start=1):
        submitted = timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M:%S")
        cells = [number, submitted]
        for question in questions:
            value = response.answers.get(str(question.pk), "")
            cells.append("；".join(value) if isinstance(value, list) else value)
        rows.append(cells)
    total, results = survey_results(survey, user=user)
    summary = []
    for result in results:
        title = f"{result.question.position}. {result.question.text}"
        if result.question.kind == QuestionKind.TEXT:
            summary.append([title, "（填空）", result.answered, _share(result.answered, total)])
        for option, count in result.counts:
            summary.append([title, option, count, _share(count, total)])
    return write_workbook([
        ("答卷", [("序号", 8), ("提交时间", 20), *[(f"{q.position}. {q.text}", 30) for q in questions]], rows),
        ("统计", [("题目", 40), ("选项", 24), ("人数", 10), ("占比", 10)], summary),
    ])


def _share(count: int, total: int) -> str:
    return f"{count / total:.1%}" if total else "—"


def default_message_filters(user: User) -> dict[str, str]:
    """What 待答复留言 shows when nothing is chosen, and what the dashboard counts: the messages still waiting
    for their answer; a supervisor's or unit admin's every one they see, anyone else's assigned to them or to
    nobody."""
    return {"status": "waiting", "assignee": "all" if sees_all_messages_by_default(user) else "mine_or_pool"}


def messages_for_list(user, *, status: str, assignee: str, kind: str, account: int | None, overdue: bool,
                      today):
    """The list's messages, oldest first: by status ('active' = not closed, 'waiting' = not yet answered,
    'all'), assignee ('mine_or_pool' = assigned to the user or to nobody, 'mine', 'pool', 'all'), kind,
    account, and overdue only (computed: deadlines are not stored)."""
    qs = messages_visible_to(user).order_by("received_at", "pk")
    if status == "active":
        qs = qs.exclude(status=MessageStatus.CLOSED)
    elif status == "waiting":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status and status != "all":
        qs = qs.filter(status=status)
    if assignee == "mine_or_pool":
        qs = qs.filter(Q(assignee=user) | Q(assignee__isnull=True))
    elif assignee == "mine":
        qs = qs.filter(assignee=user)
    elif assignee == "pool":
        qs = qs.filter(assignee__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if account:
        qs = qs.filter(account_id=account)
    if overdue:
        limits, calendar = reply_limits(), work_calendar()
        late = [m.pk for m in qs.filter(status__in=OPEN_STATUSES).select_related(None).only(
                    "pk", "kind", "status", "received_at")
                if is_overdue(m, today, limits=limits, calendar=calendar)]
        qs = qs.filter(pk__in=late)
    return qs
