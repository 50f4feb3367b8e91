"""Reads on the registry, always scoped through orgs.selectors."""

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from govmedia import clock
from govmedia.orgs.models import User
from govmedia.orgs.permissions import APPROVER_ROLES, acts_only_on_assigned_accounts
from govmedia.orgs.selectors import unit_ids_managed_by
from govmedia.registry.models import (
    AWAITING_UNIT,
    Account,
    AccountStatus,
    Application,
    ApplicationState,
    ClosureNotice,
    Filing,
    FilingReminder,
    FilingState,
    LifecycleEvent,
)
from govmedia.workdays.calendar import WorkCalendar


def accounts_visible_to(user: User) -> QuerySet[Account]:
    qs = Account.objects.select_related("platform", "host_unit", "competent_unit", "operating_unit")
    if acts_only_on_assigned_accounts(user):
        return qs.filter(operators=user)
    ids = unit_ids_managed_by(user)
    return qs if ids is None else qs.filter(Q(host_unit_id__in=ids) | Q(competent_unit_id__in=ids))


def applications_visible_to(user: User) -> QuerySet[Application]:
    return Application.objects.select_related("account", "account__platform", "account__host_unit", "applicant",
                                              "applicant__person").filter(account__in=accounts_visible_to(user))


def overdue_filings_subquery(today: date):
    return Filing.objects.filter(account=OuterRef("pk")).overdue(today)


def with_filing_flags(accounts: QuerySet[Account], today: date) -> QuerySet[Account]:
    """Mark each account `never_filed` (operating, yet not one filing record: 未备案) and `is_overdue`
    (an overdue filing, or never filed: an operating account without any filing is late by definition)."""
    return accounts.annotate(
        has_filing=Exists(Filing.objects.filter(account=OuterRef("pk"))),
        has_overdue_filing=Exists(overdue_filings_subquery(today)),
    ).annotate(
        never_filed=ExpressionWrapper(Q(status=AccountStatus.NORMAL, has_filing=False), output_field=BooleanField()),
        is_overdue=ExpressionWrapper(Q(has_overdue_filing=True) | Q(status=AccountStatus.NORMAL, has_filing=False),
                                     output_field=BooleanField()),
    )


def registry_list(user: User, *, unit=None, platform=None, status=None, overdue: bool = False, q: str = "",
                  today: date | None = None) -> QuerySet[Account]:
    today = today or clock.today()
    qs = with_filing_flags(accounts_visible_to(user), today)
    if unit:
        qs = qs.filter(host_unit_id=unit)
    if platform:
        qs = qs.filter(platform_id=platform)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(is_overdue=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(account_id__icontains=q) | Q(host_unit__name__icontains=q)
                       | Q(introduction__icontains=q))
    return qs


def account_history(account: Account) -> QuerySet[LifecycleEvent]:
    return account.events.select_related("actor", "actor__person", "application")


def approvals_inbox(user: User) -> list[Application]:
    """Applications waiting for this user's decision at their current step.

    Shown in the navigation on every page, so it costs a fixed three queries however long the list."""
    from govmedia.registry.services.access import (
        authored_application_ids,
        district_office_id,
        holds_current_step,
    )

    if not user.is_district_supervisor and user.role not in APPROVER_ROLES:
        return []
    pending = applications_visible_to(user).filter(state=ApplicationState.SUBMITTED).order_by("submitted_at")
    office_id = district_office_id()
    waiting = [a for a in pending if holds_current_step(user, a, office_id)]
    authored = authored_application_ids(user, waiting)
    return [a for a in waiting if a.pk not in authored]


def my_applications(user: User) -> QuerySet[Application]:
    return applications_visible_to(user).filter(applicant=user)


def filings_visible_to(user: User) -> QuerySet[Filing]:
    return Filing.objects.select_related("account", "account__host_unit", "account__platform").filter(
        account__in=accounts_visible_to(user)
    )


def overdue_filings(user: User, today: date | None = None) -> QuerySet[Filing]:
    """Filings past their deadline and not confirmed (see FilingQuerySet.overdue)."""
    today = today or clock.today()
    return filings_visible_to(user).overdue(today).order_by("due_on")


def open_filings(user: User) -> QuerySet[Filing]:
    """Filings not yet confirmed: waiting for the unit, or submitted and waiting for the district office."""
    return filings_visible_to(user).open().order_by("due_on")


def never_filed_accounts(user: User) -> QuerySet[Account]:
    """Operating accounts with no filing record at all: shown as 未备案 and counted as overdue.
    The daily job gives each one its art. 19 obligation (services.open_missing_filings)."""
    return accounts_visible_to(user).filter(status=AccountStatus.NORMAL, filings__isnull=True)


def filings_for_list(user: User, *, show: str = "open", state: str | None = None, unit: int | None = None,
                q: str = "", today: date | None = None) -> QuerySet[Filing]:
    """The filing list: open (not confirmed), overdue or all; by state, host unit, and a search of the
    account name or ID and the provincial filing number."""
    today = today or clock.today()
    if show == "overdue":
        qs = overdue_filings(user, today)
    elif show == "open":
        qs = open_filings(user)
    else:
        qs = filings_visible_to(user).order_by("state", "due_on")
    if state:
        qs = qs.filter(state=state)
    if unit:
        qs = qs.filter(account__host_unit_id=unit)
    if q:
        qs = qs.filter(Q(account__name__icontains=q) | Q(account__account_id__icontains=q)
                       | Q(provincial_filing_no__icontains=q) | Q(account__provincial_filing_no__icontains=q))
    return qs.order_by("due_on", "pk") if show != "all" else qs.order_by("-due_on", "pk")


def never_filed_list(user: User, *, unit: int | None = None, q: str = "") -> QuerySet[Account]:
    qs = never_filed_accounts(user)
    if unit:
        qs = qs.filter(host_unit_id=unit)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(account_id__icontains=q) | Q(provincial_filing_no__icontains=q))
    return qs


def days_overdue(filing: Filing, today: date, calendar: WorkCalendar) -> int:
    """Working days (the measures count deadlines in working days) by which the filing is late: up to its
    submission if one was made, else up to today. 0 when it is not late."""
    end = filing.filed_on if filing.filed_on is not None else today
    if filing.state == FilingState.CONFIRMED and filing.filed_on is None:
        return 0
    return max(calendar.working_days_between(filing.due_on, end), 0)


def filing_history(filing: Filing):
    return filing.events.select_related("actor", "actor__person")


def reminders_for(user: User, limit: int = 20) -> list[FilingReminder]:
    """The dashboard's reminders: the latest one per filing still waiting for this user's unit."""
    latest: dict[int, FilingReminder] = {}
    rows = (FilingReminder.objects.select_related("filing", "filing__account", "filing__account__platform")
            .filter(recipient=user, filing__state__in=AWAITING_UNIT,
                    filing__account__in=accounts_visible_to(user))
            .order_by("-sent_on", "filing__due_on"))
    for reminder in rows[:limit * 5]:
        latest.setdefault(reminder.filing_id, reminder)
    return list(latest.values())[:limit]


def public_notices() -> QuerySet[ClosureNotice]:
    return ClosureNotice.objects.select_related("account", "account__platform", "account__host_unit")


def public_notices_matching(q: str = "") -> QuerySet[ClosureNotice]:
    """The public notice list, searched by title, account name or host unit."""
    qs = public_notices()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(account__name__icontains=q) | Q(account__host_unit__name__icontains=q)
                       | Q(account__host_unit__short_name__icontains=q))
    return qs


def notices_under_way() -> QuerySet[ClosureNotice]:
    return public_notices().filter(took_effect_at__isnull=True)


@dataclass
class Dashboard:
    total: int
    by_status: list[tuple[str, int]]
    by_platform: list[tuple[str, int]]
    overdue: list[Filing]
    overdue_count: int  # overdue filings plus accounts never filed
    never_filed: int
    reminders: list[FilingReminder]
    pending_applications: int
    notices: list[ClosureNotice]
    overdue_closures: list[ClosureNotice]


def dashboard(user: User, today: date | None = None) -> Dashboard:
    today = today or clock.today()
    accounts = accounts_visible_to(user)
    status_labels = dict(AccountStatus.choices)
    by_status = [(status_labels[row["status"]], row["n"])
                 for row in accounts.values("status").annotate(n=Count("pk")).order_by("status")]
    by_platform = [(row["platform__name"], row["n"]) for row in
                   accounts.filter(status__in=[AccountStatus.NORMAL, AccountStatus.CLOSING, AccountStatus.PENDING])
                   .values("platform__name", "platform__sort_order").annotate(n=Count("pk"))
                   .order_by("platform__sort_order")]
    visible_notices = notices_under_way().filter(account__in=accounts)
    overdue = overdue_filings(user, today)
    never_filed = never_filed_accounts(user).count()
    return Dashboard(
        total=accounts.count(),
        by_status=by_status,
        by_platform=by_platform,
        overdue=list(overdue[:50]),
        overdue_count=overdue.count() + never_filed,
        never_filed=never_filed,
        reminders=reminders_for(user),
        pending_applications=applications_visible_to(user).filter(state=ApplicationState.SUBMITTED).count(),
        notices=list(visible_notices[:20]),
        overdue_closures=list(visible_notices.filter(effective_on__lte=today)),
    )
