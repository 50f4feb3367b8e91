"""信息审核发布登记台账: a unit's ledger by month (?unit=<unit id>&month=YYYY-MM), with the hash chain's verdict
on top, the daily anchors for supervisors, and the month's XLSX and PDF.

Units are those the user may read the ledger of (permissions.may_read_ledger); another unit is not found.
A malformed unit or month is named in a message and the page falls back to the default."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from govmedia import clock
from govmedia.orgs.models import Unit
from govmedia.orgs.permissions import may_read_ledger
from govmedia.orgs.selectors import unit_ids_managed_by
from govmedia.publishing.selectors import drafts_visible_to, ledger_anchors
from govmedia.publishing.services.ledger import verify_chain
from govmedia.publishing.services.ledger_export import TITLE, ledger_pdf, ledger_xlsx, month_entries
from govmedia.publishing.views.review import nav
from govmedia.registry.views.documents import XLSX, download

MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
FORMATS = {"xlsx": (ledger_xlsx, XLSX), "pdf": (ledger_pdf, "application/pdf")}
ANCHORS_SHOWN = 31


def readable_units(user):
    ids = unit_ids_managed_by(user)
    units = Unit.objects.all() if ids is None else Unit.objects.filter(pk__in=ids)
    return [unit for unit in units.order_by("kind", "name") if may_read_ledger(user, unit.pk)]


def _unit(request, units) -> Unit:
    raw = request.GET.get("unit", "").strip()
    if raw and not (raw.isascii() and raw.isdigit()):
        messages.error(request, f"单位“{raw[:40]}”无效，请从列表中选择")
        raw = ""
    if not raw:
        own = request.user.unit
        return next((u for u in units if own is not None and u.pk == own.pk), units[0])
    unit = next((u for u in units if u.pk == int(raw)), None)
    if unit is None:
        raise Http404("单位不存在")
    return unit


def _month(request) -> tuple[int, int]:
    raw = request.GET.get("month", "").strip()
    match = MONTH.fullmatch(raw)
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return int(match[1]), int(match[2])
    if raw:
        messages.error(request, f"月份“{raw[:20]}”无效，应为“年-月”，如 2026-03")
    today = clock.today()
    return today.year, today.month


def _scope(request) -> tuple[list, Unit, int, int]:
    units = readable_units(request.user)
    if not units:
        raise PermissionDenied("无权查看审核发布台账")
    return units, _unit(request, units), *_month(request)


def entry_row(entry) -> dict:
    content = entry.content if isinstance(entry.content, dict) else {}
    return {"entry": entry, "c": content, "reviews": content.get("reviews") or [],
            "findings": content.get("findings") or []}


@login_required
def ledger(request):
    units, unit, year, month = _scope(request)
    entries = month_entries(unit=unit, year=year, month=month, by=request.user)
    readable = set(drafts_visible_to(request.user).filter(pk__in=[e.draft_id for e in entries])
                   .values_list("pk", flat=True))
    return render(request, "publishing/ledger_page.html", {
        "nav": nav(request.user), "section": "ledger",
        "units": units, "unit": unit, "year": year, "month": month, "month_value": f"{year}-{month:02d}",
        "rows": [entry_row(e) | {"draft_link": e.draft_id in readable} for e in entries], "verdict": verify_chain(unit),
        "anchors": ledger_anchors(request.user)[:ANCHORS_SHOWN],
    })


@login_required
def ledger_export(request):
    units, unit, year, month = _scope(request)
    kind = request.GET.get("format", "xlsx")
    if kind not in FORMATS:
        messages.error(request, f"导出格式“{kind[:20]}”无效，应为 xlsx 或 pdf")
        return redirect(f"{reverse('publishing:ledger')}?unit={unit.pk}&month={year}-{month:02d}")
    make, content_type = FORMATS[kind]
    return download(make(unit=unit, year=year, month=month, by=request.user),
                    f"{unit.name}-{TITLE}-{year}年{month:02d}月.{kind}", content_type,
                    ascii_name=f"ledger-{unit.pk}-{year}-{month:02d}.{kind}")
