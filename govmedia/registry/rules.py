"""Article 5 of the measures: who may hold which account."""

from collections import defaultdict
from typing import NamedTuple

from govmedia.errors import RuleViolation
from govmedia.orgs.models import Unit, UnitKind
from govmedia.orgs.selectors import district_office
from govmedia.registry.models import LIVE_STATUSES, Account, AccountStatus, Platform


def default_competent_unit_id(host_unit: Unit) -> int:
    """Art. 3: the unit's designated competent unit (an enterprise's industry regulator), else its parent
    unit, else the unit itself (a department or town/street is the competent unit of its own accounts)."""
    return host_unit.competent_unit_id or host_unit.parent_id or host_unit.pk


class Holding(NamedTuple):
    """A live account as art. 5 sees it: it takes its unit's place on its platform."""

    pk: int
    name: str
    status: str


class HolderFacts:
    """What art. 5 must know besides the account itself: the live accounts and the internal departments of
    the host units. Loaded for any number of host units in two queries, so judging the whole ledger costs
    the same queries as judging one application.

    `host_unit_ids`: ids, or a queryset of ids (used as a subquery). `units_by_pk`: every unit, when the
    caller has loaded them anyway (a ledger import), so naming a competent unit costs no query either.
    """

    def __init__(self, host_unit_ids, *, units_by_pk: dict[int, Unit] | None = None):
        self._units_by_pk = units_by_pk or {}
        self._office_id: int | None | bool = False  # False: not looked up yet
        self._live: dict[tuple[int, str], list[Holding]] = defaultdict(list)
        # Ordered as accounts are listed everywhere (by unit, which is one per group here, then platform and
        # name), so the clash named is the one a user sees first.
        rows = (Account.objects.filter(host_unit_id__in=host_unit_ids, status__in=LIVE_STATUSES)
                .order_by("platform__sort_order", "name", "pk")
                .values_list("host_unit_id", "platform__exclusivity_key", "pk", "name", "status"))
        for host_unit_id, key, *holding in rows:
            self._live[host_unit_id, key].append(Holding(*holding))
        self._departments: dict[int, list[Unit]] = defaultdict(list)
        for dept in Unit.objects.filter(parent_id__in=host_unit_ids, kind=UnitKind.INTERNAL).order_by("name", "pk"):
            self._departments[dept.parent_id].append(dept)

    def clash(self, host_unit: Unit, platform: Platform, exclude_account: Account | None = None) -> Holding | None:
        """A live account of the unit on the same platform (art. 5 counts platforms by exclusivity key)."""
        excluded = exclude_account.pk if exclude_account is not None else None
        return next((a for a in self._live[host_unit.pk, platform.exclusivity_key] if a.pk != excluded), None)

    def internal_departments(self, host_unit: Unit) -> list[Unit]:
        return self._departments[host_unit.pk]

    def district_office_id(self) -> int | None:
        if self._office_id is False:
            office = district_office()
            self._office_id = office.pk if office else None
        return self._office_id

    def unit(self, pk: int) -> Unit:
        return self._units_by_pk.get(pk) or Unit.objects.get(pk=pk)


def check_account_holder(
    *, host_unit: Unit, platform: Platform, name: str, registrant_kind: str = "organisation",
    exclude_account: Account | None = None, competent_unit_id: int | None = None,
    facts: HolderFacts | None = None,
) -> None:
    """Raise RuleViolation (keyed by form field) when art. 5 forbids this unit holding this account.

    With `competent_unit_id`, also check it is the host unit's competent unit (art. 3): the approval
    chain runs through it, so choosing another unit would skip or misroute the approval.
    `facts` covering the host unit may be passed in when many accounts are judged at once.
    """
    if facts is None:
        facts = HolderFacts([host_unit.pk])
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
    internal = _internal_department_named_in(host_unit, name, facts.internal_departments(host_unit))
    if internal is not None:
        errors.setdefault("name", []).append(
            f"账号名称含内设机构“{internal.name}”，不得以内设机构名义开设政务新媒体（第五条）。"
        )
    clash = facts.clash(host_unit, platform, exclude_account)
    if clash is not None:
        errors.setdefault("platform", []).append(
            f"{host_unit.name}在{platform.name}所属平台已有账号“{clash.name}”（{AccountStatus(clash.status).label}）；"
            "一个单位在同一平台只能开设一个政务新媒体账号（第五条）。"
        )
    if errors:
        raise RuleViolation(errors)


def _competent_unit_problem(host_unit: Unit, competent_unit_id: int, facts: HolderFacts) -> str | None:
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


def _internal_department_named_in(host_unit: Unit, account_name: str, departments: list[Unit]) -> Unit | None:
    # The unit's own name may contain a word like 办公室; only what is left can name a department.
    for own in filter(None, (host_unit.name, host_unit.short_name)):
        account_name = account_name.replace(own, "")
    for dept in departments:
        short = dept.short_name or dept.name.removeprefix(host_unit.name)
        if len(short) >= 2 and short in account_name:
            return dept
    return None
