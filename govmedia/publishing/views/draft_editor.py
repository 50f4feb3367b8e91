"""Writing a draft: title, body (an editor that keeps what is pasted from Word or a web page; the services
sanitize it), a Word (.docx) import that fills the body, target accounts, original or repost, the grade."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from govmedia.errors import Conflict
from govmedia.monitoring.engine.sanitize import sanitize_html
from govmedia.monitoring.models import ApprovedSource
from govmedia.orgs.permissions import accounts_acted_for
from govmedia.publishing.models import Draft, DraftKind
from govmedia.publishing.services.drafts import (
    BODY_HTML_MAX,
    EDITABLE_STATES,
    docx_to_html,
    draft_create,
    draft_edit,
)
from govmedia.publishing.services.review import draft_mark_grade
from govmedia.publishing.views.draft_forms import DraftForm
from govmedia.publishing.views.drafts import draft_for, writable_units
from govmedia.registry.uploads import FormSizeCap
from govmedia.registry.views.common import report_domain_error

DOCX_MAX_BYTES = 10 * 1024 * 1024
STALE = "该稿件已被他人处理或在其他窗口修改过，请刷新后再改"


def _source_names() -> list[str]:
    """The approved sources a repost may cite, for the source field's suggestions."""
    return sorted({name for source in ApprovedSource.objects.filter(is_active=True) for name in source.names()})


def _posted(request):
    """The POST with its body sanitized, so a page shown again after an error never carries unsafe HTML."""
    data = request.POST.copy()
    body = data.get("body_html", "")
    data["body_html"] = sanitize_html(body) if len(body) <= BODY_HTML_MAX else ""
    return data


def _imported(request, form_class, accounts, over_cap):
    """The form again, unbound, with what was typed and the body replaced by the imported document."""
    data = _posted(request)
    initial = {name: data.get(name) for name in ("title", "origin", "source_name", "marked_grade",
                                                 "seen_revision")}
    initial["accounts"] = data.getlist("accounts")
    upload = request.FILES.get("docx")
    form = form_class(initial=initial, accounts=accounts)
    if over_cap is not None:
        messages.error(request, f"Word 文档“{over_cap}”超过 {DOCX_MAX_BYTES // 1024 // 1024}MB 上限。")
    elif upload is None:
        messages.error(request, "请选择要导入的 Word（.docx）文件")
    else:
        try:
            initial["body_html"] = docx_to_html(upload)
        except ValidationError as error:
            report_domain_error(request, error)
        else:
            messages.success(request, f"已导入“{upload.name}”的正文，请核对后保存。")
            form = form_class(initial=initial, accounts=accounts)
    return form


def _over_cap(request) -> str | None:
    """The name of a file the cap stopped taking (the body is parsed now, through the cap)."""
    request.FILES  # noqa: B018
    return getattr(request, "upload_over_cap", None)


def _render(request, form, *, draft=None, unit=None):
    return render(request, "publishing/draft_form.html", {
        "form": form, "draft": draft, "unit": unit or draft.unit, "source_names": _source_names(),
    })


def _with_cap(view):
    """Read an upload through a size cap; the cap must be in place before the CSRF check reads the body,
    so the check is switched off outside and done, after the cap, inside (as registry's filing_record)."""
    inner = csrf_protect(view)

    @csrf_exempt
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers.insert(0, FormSizeCap(request, max_bytes=DOCX_MAX_BYTES))
        return inner(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@_with_cap
def draft_new(request):
    units = writable_units(request.user)
    if not units.exists():
        raise PermissionDenied("您没有可以撰稿的账号")
    unit_id = request.GET.get("unit")
    if unit_id is None and units.count() > 1:
        return render(request, "publishing/draft_unit_pick.html", {"units": units})
    unit = units.first() if unit_id is None else get_object_or_404(units, pk=unit_id if unit_id.isdigit() else 0)
    accounts = accounts_acted_for(request.user).filter(host_unit=unit)
    if request.method != "POST":
        return _render(request, DraftForm(accounts=accounts), unit=unit)
    over_cap = _over_cap(request)
    if "import_docx" in request.POST or over_cap is not None:
        return _render(request, _imported(request, DraftForm, accounts, over_cap), unit=unit)
    form = DraftForm(_posted(request), accounts=accounts)
    if form.is_valid():
        data = form.cleaned_data
        try:
            draft = draft_create(by=request.user, unit=unit, title=data["title"], body_html=data["body_html"],
                                 accounts=data["accounts"], origin=data["origin"],
                                 source_name=data["source_name"], marked_grade=data["marked_grade"])
        except (ValidationError, PermissionDenied, Conflict) as error:
            report_domain_error(request, error, form)
        else:
            messages.success(request, "稿件已保存。核对无误后请提交审核。")
            return redirect("publishing:draft_detail", draft.pk)
    return _render(request, form, unit=unit)


def _save(request, draft: Draft, data) -> None:
    with transaction.atomic():
        if data["seen_revision"] is not None and data["seen_revision"] != draft.revision:
            raise Conflict(STALE)
        draft_edit(draft=draft, by=request.user, title=data["title"], body_html=data["body_html"],
                   accounts=data["accounts"], origin=data["origin"], source_name=data["source_name"])
        if data["marked_grade"] != draft.marked_grade:
            draft_mark_grade(draft=draft, by=request.user, grade=data["marked_grade"])


@_with_cap
def draft_edit_view(request, pk):
    draft = draft_for(request, pk)
    if draft.author_id != request.user.pk:
        raise PermissionDenied("只有撰稿人可以修改稿件")
    if draft.kind != DraftKind.POST or draft.state not in EDITABLE_STATES:
        messages.error(request, "答复稿请在留言页面修改" if draft.kind != DraftKind.POST
                       else f"稿件{draft.get_state_display()}，不能修改")
        return redirect("publishing:draft_detail", draft.pk)
    accounts = accounts_acted_for(request.user).filter(host_unit=draft.unit)
    if request.method != "POST":
        form = DraftForm(accounts=accounts, initial={
            "title": draft.title, "body_html": draft.body_html, "accounts": draft.accounts.all(),
            "origin": draft.origin, "source_name": draft.source_name, "marked_grade": draft.marked_grade,
            "seen_revision": draft.revision})
        return _render(request, form, draft=draft)
    over_cap = _over_cap(request)
    if "import_docx" in request.POST or over_cap is not None:
        return _render(request, _imported(request, DraftForm, accounts, over_cap), draft=draft)
    form = DraftForm(_posted(request), accounts=accounts)
    if form.is_valid():
        try:
            _save(request, draft, form.cleaned_data)
        except (ValidationError, PermissionDenied, Conflict) as error:
            report_domain_error(request, error, form)
        else:
            messages.success(request, "稿件已保存。")
            return redirect("publishing:draft_detail", draft.pk)
    return _render(request, form, draft=draft)
