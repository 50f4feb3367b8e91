"""Reads on the registry, always scoped through orgs.selectors."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from govmedia import clock
from govmedia.orgs.models import User
from govmedia.orgs.permissions import APPROVER_ROLES, acts_only_on_assigned_accounts
from govmedia.orgs.selectors import unit_ids_managed_by
from govmedia.registry.models import (
    Account,
    AccountStatus,
    Application,
    ApplicationState,
    ClosureNotice,
    Filing,
    LifecycleEvent,
)


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
    return Filing.objects.filter(account=OuterRef("pk"), filed_on__isnull=True, due_on__lt=today)


def registry_list(user: User, *, unit=None, platform=None, status=None, overdue: bool = False, q: str = "",
                  today: date | None = None) -> QuerySet[Account]:
    today = today or clock.today()
    qs = accounts_visible_to(user).annotate(is_overdue=Exists(overdue_filings_subquery(today)))
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
    today = today or clock.today()
    return filings_visible_to(user).filter(filed_on__isnull=True, due_on__lt=today).order_by("due_on")


def open_filings(user: User) -> QuerySet[Filing]:
    return filings_visible_to(user).filter(filed_on__isnull=True).order_by("due_on")


def public_notices() -> QuerySet[ClosureNotice]:
    return ClosureNotice.objects.select_related("account", "account__platform", "account__host_unit")


def notices_under_way() -> QuerySet[ClosureNotice]:
    return public_notices().filter(took_effect_at__isnull=True)


@dataclass
class Dashboard:
    total: int
    by_status: list[tuple[str, int]]
    by_platform: list[tuple[str, int]]
    overdue: list[Filing]
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
    return Dashboard(
        total=accounts.count(),
        by_status=by_status,
        by_platform=by_platform,
        overdue=list(overdue_filings(user, today)[:50]),
        pending_applications=applications_visible_to(user).filter(state=ApplicationState.SUBMITTED).count(),
        notices=list(visible_notices[:20]),
        overdue_closures=list(visible_notices.filter(effective_on__lte=today)),
    )
