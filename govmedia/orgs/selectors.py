"""Who sees what. Every list, detail and write in govmedia starts from these functions."""

from django.db.models import Case, Q, QuerySet, Value, When

from govmedia.orgs import permissions
from govmedia.orgs.models import Person, Unit, UnitKind, User


def _unit_graph() -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    children: dict[int, list[int]] = {}
    supervised: dict[int, list[int]] = {}
    for pk, parent_id, competent_id in Unit.objects.values_list("pk", "parent_id", "competent_unit_id"):
        if parent_id:
            children.setdefault(parent_id, []).append(pk)
        if competent_id and competent_id != parent_id:
            supervised.setdefault(competent_id, []).append(pk)
    return children, supervised


def unit_ids_managed_by(user: User) -> set[int] | None:
    """Unit ids within the user's remit; None means every unit (district supervisors).

    A unit's remit is itself, its subordinate units and internal departments, and the units
    it is the competent unit for (art. 3: the competent unit guides and supervises them).
    """
    if not user.is_authenticated:
        return set()
    if user.is_district_supervisor:
        return None
    cached = getattr(user, "_managed_unit_ids", None)
    if cached is not None:
        return cached
    own = user.unit
    if own is None:
        result: set[int] = set()
    elif permissions.acts_only_on_assigned_accounts(user):
        # Contractor staff act for the host units of the accounts assigned to them (art. 4).
        result = {own.pk, *user.operated_accounts.values_list("host_unit_id", flat=True)}
    else:
        result = remit_of(own.pk)
    user._managed_unit_ids = result
    return result


def remit_of(unit_id: int) -> set[int]:
    """The unit itself, its subordinate units and internal departments, and the units it is the competent
    unit for, all the way down."""
    children, supervised = _unit_graph()
    result, stack = set(), [unit_id]
    while stack:
        pk = stack.pop()
        if pk in result:
            continue
        result.add(pk)
        stack.extend(children.get(pk, ()))
        stack.extend(supervised.get(pk, ()))
    return result


def units_visible_to(user: User) -> QuerySet[Unit]:
    ids = unit_ids_managed_by(user)
    qs = Unit.objects.select_related("parent", "competent_unit")
    return qs if ids is None else qs.filter(pk__in=ids)


def account_owning_units_visible_to(user: User) -> QuerySet[Unit]:
    return units_visible_to(user).exclude(kind__in=[UnitKind.INTERNAL, UnitKind.CONTRACTOR]).filter(is_active=True)


def account_owning_units_matching(user: User, text: str, limit: int = 20) -> list[Unit]:
    """The unit picker's suggestions: units in the user's remit that may host accounts, whose name or short
    name contains `text`; a unit named exactly so comes first, then by name."""
    text = text.strip()
    qs = account_owning_units_visible_to(user).select_related(None)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(short_name__icontains=text))
    exact = Case(When(Q(name=text) | Q(short_name=text), then=Value(0)), default=Value(1))
    return list(qs.order_by(exact, "name", "pk")[:limit])


def people_visible_to(user: User) -> QuerySet[Person]:
    ids = unit_ids_managed_by(user)
    qs = Person.objects.select_related("unit")
    return qs if ids is None else qs.filter(unit_id__in=ids)


def district_office() -> Unit | None:
    return Unit.objects.filter(kind=UnitKind.DISTRICT_OFFICE).order_by("pk").first()

