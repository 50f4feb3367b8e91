"""Who may act on an account or an application: the approval chain, the user's remit, the approver's step."""

from govmedia.errors import Conflict, PermissionDenied
from govmedia.orgs.models import User
from govmedia.orgs.permissions import APPROVER_ROLES, acts_only_on_assigned_accounts, administers_unit
from govmedia.orgs.selectors import district_office, unit_ids_managed_by
from govmedia.registry.models import Account, Application, ApplicationState, LifecycleEvent
from govmedia.registry.selectors import accounts_visible_to


def approval_chain(account: Account) -> list[int]:
    """Host-unit head → competent unit → district office, consecutive duplicates removed."""
    office = district_office()
    chain = [account.host_unit_id, account.competent_unit_id, office.pk if office else None]
    steps: list[int] = []
    for unit_id in chain:
        if unit_id and (not steps or steps[-1] != unit_id):
            steps.append(unit_id)
    return steps


def _require_within_remit(user: User, unit_id: int, what: str) -> None:
    ids = unit_ids_managed_by(user)
    if ids is not None and unit_id not in ids:
        raise PermissionDenied(f"无权为其他单位{what}")


def may_act_on(user: User, account: Account) -> bool:
    """Whether the user may apply for, change, or record filings, followers and the QR code of this account.

    Its host unit is within their remit; an operator acts on exactly the accounts they see, the ones
    assigned to them.
    """
    if acts_only_on_assigned_accounts(user):
        return accounts_visible_to(user).filter(pk=account.pk).exists()
    ids = unit_ids_managed_by(user)
    return ids is None or account.host_unit_id in ids


def may_withdraw(user: User, application: Application) -> bool:
    """Who withdraws an application: its applicant, and the unit admins of the applying (host) unit.

    Decided on purpose (issue 6, item 10): a reviewer, leader or operator does not withdraw a colleague's
    application, and approvers of later steps (the competent unit, the district office) reject instead.
    """
    if not may_act_on(user, application.account):
        return False
    return application.applicant_id == user.pk or administers_unit(user, application.account.host_unit_id)


def may_confirm_filing(user: User, filing) -> bool:
    """The district office confirms or returns a unit's filing, never one its own user submitted."""
    return user.is_district_supervisor and filing.filed_by_id != user.pk


def _require_may_act_on(user: User, account: Account, what: str) -> None:
    if not may_act_on(user, account):
        raise PermissionDenied(f"无权{what}")


def authored_application_ids(user: User, applications: list[Application]) -> set[int]:
    """Which of `applications` the user wrote: as applicant, or by re-submitting it after a rejection."""
    own = {a.pk for a in applications if a.applicant_id == user.pk}
    others = [a.pk for a in applications if a.pk not in own]
    if others:
        own |= set(LifecycleEvent.objects.filter(
            application_id__in=others, action=LifecycleEvent.Action.RESUBMIT, actor=user,
        ).values_list("application_id", flat=True))
    return own


def _is_author(user: User, application: Application) -> bool:
    return application.pk in authored_application_ids(user, [application])


def district_office_id() -> int | None:
    office = district_office()
    return office.pk if office else None


def _decides_step_of(user: User, unit_id: int, office_id: int | None) -> bool:
    """Whether the user decides a step held by `unit_id` (`office_id`: the district office's unit)."""
    if unit_id == office_id:
        return user.is_district_supervisor
    return user.unit is not None and user.unit.pk == unit_id and user.role in APPROVER_ROLES


def holds_current_step(user: User, application: Application, office_id: int | None) -> bool:
    """Whether the application waits at a step this user decides."""
    unit_id = application.current_unit_id
    return unit_id is not None and _decides_step_of(user, unit_id, office_id)


def can_approve(user: User, application: Application) -> bool:
    return holds_current_step(user, application, district_office_id()) and not _is_author(user, application)


def _check_approver(application: Application, by: User) -> int:
    if _is_author(by, application):
        raise PermissionDenied("不能审批本人提交的申请")
    if not holds_current_step(by, application, district_office_id()):
        # The page may have shown this user's step before someone decided it (on PostgreSQL the loser of
        # a race reads the winner's row): that is news to refresh for, not a refusal.
        if application.state != ApplicationState.SUBMITTED:
            raise Conflict(f"该申请已被处理（{application.get_state_display()}），请刷新后查看")
        if _decided_before(by, application):
            raise Conflict("该申请您所在环节已被处理，请刷新后查看")
        raise PermissionDenied("当前环节不由您审批")
    return application.current_step


def _decided_before(user: User, application: Application) -> bool:
    """Whether a step this user could decide has already been passed."""
    office_id = district_office_id()
    return any(_decides_step_of(user, unit_id, office_id) for unit_id in application.steps[:application.current_step])
