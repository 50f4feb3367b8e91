"""审核流程设置: a unit's chain per grade (art. 8), kept by its unit admin or by supervisors.

A grade with no configured steps follows the default chain (services.review.DEFAULT_CHAINS); saving an
empty chain, or 恢复默认, returns it to the default. Drafts already in review keep the chain they were
submitted on.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from govmedia.inputs import control_character_error
from govmedia.orgs.models import Role, Unit, User
from govmedia.orgs.permissions import may_configure_review_chain
from govmedia.orgs.selectors import unit_ids_managed_by
from govmedia.publishing.models import ChainStep, Grade, StepMode
from govmedia.publishing.services.review import DEFAULT_CHAINS, StepSpec, chain_configure, chain_for
from govmedia.registry.views.common import report_domain_error

MAX_STEPS = 5
LABEL_MAX = ChainStep._meta.get_field("label").max_length


def configurable_units(user: User):
    remit = unit_ids_managed_by(user)
    units = Unit.objects.order_by("name")
    if remit is None:
        return units if user.is_district_supervisor else units.none()
    return units.filter(pk__in=remit) if user.role == Role.UNIT_ADMIN else units.none()


def _unit_or_404(user: User, unit_pk) -> Unit:
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not may_configure_review_chain(user, unit.pk):
        raise Http404
    return unit


def _candidates(user: User, unit: Unit):
    """Whom a step may name: active people of the unit (or of the admin's remit), and the supervisors."""
    remit = unit_ids_managed_by(user)
    people = User.objects.filter(is_active=True, person__isnull=False).select_related("person__unit")
    if remit is None:
        return people.filter(person__unit=unit) | people.filter(role=Role.SUPERVISOR)
    return people.filter(person__unit_id__in=remit)


def _rows(unit: Unit, grade: str) -> list[dict]:
    configured = ChainStep.objects.filter(unit=unit, grade=grade).order_by("order").prefetch_related("users")
    rows = [{"label": s.label, "role": s.role, "mode": s.mode, "user_ids": {u.pk for u in s.users.all()}}
            for s in configured]
    return rows + [{"label": "", "role": "", "mode": StepMode.ANY, "user_ids": set()}] * (MAX_STEPS - len(rows))


@login_required
def chains(request):
    units = configurable_units(request.user)
    if not units.exists():
        raise PermissionDenied("审核流程由单位管理员或区级监管员设置")
    unit = _unit_or_404(request.user, request.GET["unit"]) if request.GET.get("unit", "").isdigit() else units[0]
    grades = [{
        "value": value, "label": label, "configured": ChainStep.objects.filter(unit=unit, grade=value).exists(),
        "effective": chain_for(unit, value), "default": DEFAULT_CHAINS[value], "rows": _rows(unit, value),
    } for value, label in Grade.choices]
    return render(request, "publishing/chains.html", {
        "units": units, "unit": unit, "grades": grades, "roles": Role.choices, "modes": StepMode.choices,
        "candidates": _candidates(request.user, unit).order_by("person__unit__name", "username"),
        "label_max": LABEL_MAX,
    })


def parse_steps(data) -> list[StepSpec]:
    """The posted rows as step specs; blank rows are skipped, a half-filled one is named."""
    steps, errors = [], []
    for index in range(MAX_STEPS):
        label = data.get(f"label_{index}", "").strip()
        role = data.get(f"role_{index}", "").strip()
        mode = data.get(f"mode_{index}", StepMode.ANY).strip() or StepMode.ANY
        raw_users = [u for u in data.getlist(f"users_{index}") if u.strip()]
        if not (label or role or raw_users):
            continue
        row = f"第{index + 1}步"
        if not label:
            errors.append(f"{row}：请填写步骤名称")
        elif bad := control_character_error(label, "步骤名称"):
            errors.append(f"{row}：{bad}")
        elif len(label) > LABEL_MAX:
            errors.append(f"{row}：步骤名称“{label[:20]}…”超过{LABEL_MAX}字")
        if role and role not in Role.values:
            errors.append(f"{row}：审核角色“{role}”无效")
        if mode not in StepMode.values:
            errors.append(f"{row}：通过方式“{mode}”无效")
        bad = [u for u in raw_users if not u.isdigit()]
        if bad:
            errors.append(f"{row}：审核人员编号“{bad[0][:20]}”无效")
            continue
        steps.append(StepSpec(label, role, mode, tuple(dict.fromkeys(int(u) for u in raw_users))))
    if errors:
        raise ValidationError(errors)
    return steps


@login_required
@require_POST
def chain_save(request, unit_pk: int, grade: str):
    unit = _unit_or_404(request.user, unit_pk)
    if grade not in Grade.values:
        raise Http404
    label = Grade(grade).label
    try:
        steps = [] if request.POST.get("reset") else parse_steps(request.POST)
        chain_configure(unit=unit, grade=grade, steps=steps, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        report_domain_error(request, error)
    else:
        if steps:
            messages.success(request, f"{unit.name}“{label}”稿件的审核流程已保存，共{len(steps)}步。")
        else:
            messages.success(request, f"{unit.name}“{label}”稿件已恢复默认审核流程。")
    return redirect(f"{reverse('publishing:chains')}?unit={unit.pk}")
