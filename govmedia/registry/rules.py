"""Article 5 of the measures: who may hold which account."""

from collections import defaultdict

from govmedia.errors import RuleViolation
from govmedia.orgs.models import Unit, UnitKind
from govmedia.orgs.selectors import district_office
from govmedia.registry.models import LIVE_STATUSES, Account, Platform


def default_competent_unit_id(host_unit: Unit) -> int:
    """Art. 3: the unit's designated competent unit (an enterprise's industry regulator), else its parent
    unit, else the unit itself (a department or town/street is the competent unit of its own accounts)."""
    return host_unit.competent_unit_id or host_unit.parent_id or host_unit.pk


class RegistryFacts:
    """What the art. 5 check reads from the database, one query per question.

    A ledger import asks these questions for thousands of rows; it passes `LoadedRegistryFacts`,
    which answers them from one load, so the check stays the same and only the reading differs.
    """

    def district_office_id(self) -> int | None:
        office = district_office()
        return office.pk if office else None

    def unit(self, pk: int) -> Unit:
        return Unit.objects.get(pk=pk)

    def internal_departments(self, host_unit: Unit):
        return Unit.objects.filter(parent=host_unit, kind=UnitKind.INTERNAL)

    def live_account_on(self, host_unit: Unit, platform: Platform, exclude_account: Account | None):
        return same_platform_accounts(host_unit, platform, exclude_account=exclude_account).first()


class LoadedRegistryFacts(RegistryFacts):
    """The same facts for every unit and live account, loaded once (a few queries, whatever the row count)."""

    def __init__(self, units_by_pk: dict[int, Unit]):
        self.units_by_pk = units_by_pk
        self._office_id = super().district_office_id()
        self._departments: dict[int, list[Unit]] = defaultdict(list)
        for unit in units_by_pk.values():
            if unit.kind == UnitKind.INTERNAL and unit.parent_id:
                self._departments[unit.parent_id].append(unit)
        self._live: dict[tuple[int, str], list[Account]] = defaultdict(list)
        # Same order as same_platform_accounts(), so both name the same clashing account.
        for account in Account.objects.filter(status__in=LIVE_STATUSES).select_related("platform").order_by(
                *Account._meta.ordering):
            self._live[(account.host_unit_id, account.platform.exclusivity_key)].append(account)

    def district_office_id(self) -> int | None:
        return self._office_id

    def unit(self, pk: int) -> Unit:
        return self.units_by_pk[pk]

    def internal_departments(self, host_unit: Unit):
        return self._departments.get(host_unit.pk, [])

    def live_account_on(self, host_unit: Unit, platform: Platform, exclude_account: Account | None):
        excluded = exclude_account.pk if exclude_account is not None else None
        return next((a for a in self._live.get((host_unit.pk, platform.exclusivity_key), ())
                     if excluded is None or a.pk != excluded), None)


def check_account_holder(
    *, host_unit: Unit, platform: Platform, name: str, registrant_kind: str = "organisation",
    exclude_account: Account | None = None, competent_unit_id: int | None = None,
    facts: RegistryFacts | None = None,
) -> None:
    """Raise RuleViolation (keyed by form field) when art. 5 forbids this unit holding this account.

    With `competent_unit_id`, also check it is the host unit's competent unit (art. 3): the approval
    chain runs through it, so choosing another unit would skip or misroute the approval.
    """
    facts = facts or RegistryFacts()
    errors: dict[str, list[str]] = {}
    if competent_unit_id is not None:
        problem = _competent_unit_problem(host_unit, competent_unit_id, facts)
        if problem:
            errors.setdefault("competent_unit", []).append(problem)
    if host_unit.kind == UnitKind.INTERNAL:
        errors.setdefault("host_unit", []).append(
            f"“{host_unit.name}”是内设机构，不得以内设机构名义开设政务新媒体（第五条）。"
        )
    elif not host_unit.is_active:
        errors.setdefault("host_unit", []).append(f"“{host_unit.name}”已停用，不能作为主办单位开设或变更账号。")
    elif not host_unit.may_own_accounts:
        errors.setdefault("host_unit", []).append(
            f"“{host_unit.name}”为{host_unit.get_kind_display()}，不能作为主办单位；运维机构只能作为承办单位（第四条）。"
        )
    if registrant_kind == "individual":
        errors.setdefault("registrant_kind", []).append("禁止以个人身份注册、以单位名义开办政务新媒体（第五条）。")
    internal = _internal_department_named_in(host_unit, name, facts)
    if internal is not None:
        errors.setdefault("name", []).append(
            f"账号名称含内设机构“{internal.name}”，不得以内设机构名义开设政务新媒体（第五条）。"
        )
    clash = facts.live_account_on(host_unit, platform, exclude_account)
    if clash is not None:
        errors.setdefault("platform", []).append(
            f"{host_unit.name}在{platform.name}所属平台已有账号“{clash.name}”（{clash.get_status_display()}）；"
            "一个单位在同一平台只能开设一个政务新媒体账号（第五条）。"
        )
    if errors:
        raise RuleViolation(errors)


def _competent_unit_problem(host_unit: Unit, competent_unit_id: int, facts: RegistryFacts) -> str | None:
    designated = host_unit.competent_unit_id or host_unit.parent_id
    if designated is not None:
        allowed = {designated}
    else:
        office_id = facts.district_office_id()
        allowed = {host_unit.pk} | ({office_id} if office_id else set())
    if competent_unit_id in allowed:
        return None
    expected = facts.unit(designated) if designated else host_unit
    return (f"{host_unit.name}的政务新媒体主管单位应为“{expected.name}”，不能另选；"
            "审批由主管单位把关（第三条）。")


def same_platform_accounts(host_unit: Unit, platform: Platform, *, exclude_account: Account | None = None):
    qs = Account.objects.filter(
        host_unit=host_unit, platform__exclusivity_key=platform.exclusivity_key, status__in=LIVE_STATUSES
    ).select_related("platform")
    if exclude_account is not None and exclude_account.pk:
        qs = qs.exclude(pk=exclude_account.pk)
    return qs


def _internal_department_named_in(host_unit: Unit, account_name: str, facts: RegistryFacts) -> Unit | None:
    # The unit's own name may contain a word like 办公室; only what is left can name a department.
    for own in filter(None, (host_unit.name, host_unit.short_name)):
        account_name = account_name.replace(own, "")
    for dept in facts.internal_departments(host_unit):
        short = dept.short_name or dept.name.removeprefix(host_unit.name)
        if len(short) >= 2 and short in account_name:
            return dept
    return None
