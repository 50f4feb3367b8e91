"""The author's actions on a draft: submit to review (or release in an emergency), withdraw, and record where
an approved draft was published. POST only; a refused action is told on the draft's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from govmedia.errors import Conflict
from govmedia.publishing.models import DraftKind
from govmedia.publishing.services.drafts import draft_withdraw
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.review import draft_submit
from govmedia.publishing.views.draft_forms import PublicationForm, SubmitForm
from govmedia.publishing.views.drafts import draft_for
from govmedia.registry.views.common import report_domain_error


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def _act(request, pk, form_class, act, done):
    """Bind the form, call the service, and go back to the draft with the outcome in Chinese."""
    draft = draft_for(request, pk)
    if draft.kind != DraftKind.POST:
        messages.error(request, "答复稿请在留言页面提交、撤回和发布")
        return redirect("publishing:draft_detail", draft.pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        _form_errors(request, form)
        return redirect("publishing:draft_detail", draft.pk)
    try:
        act(draft, **(form.cleaned_data if form else {}))
    except (ValidationError, PermissionDenied, Conflict) as error:
        report_domain_error(request, error)
    else:
        messages.success(request, done(draft))
    return redirect("publishing:draft_detail", draft.pk)


def _submitted(draft) -> str:
    if draft.emergency:
        return "稿件已按紧急发布提交单位负责人审核；发布后须在期限内补齐完整审核。"
    return f"稿件已提交审核（{draft.get_grade_display()}）。"


@login_required
@require_POST
def draft_submit_view(request, pk):
    return _act(request, pk, SubmitForm, lambda draft, emergency, emergency_reason: draft_submit(
        draft=draft, by=request.user, emergency_reason=emergency_reason), _submitted)


@login_required
@require_POST
def draft_withdraw_view(request, pk):
    return _act(request, pk, None, lambda draft: draft_withdraw(draft=draft, by=request.user),
                lambda draft: "稿件已撤回。")


@login_required
@require_POST
def draft_publication(request, pk):
    return _act(request, pk, PublicationForm, lambda draft, url, published_at: publication_record(
        draft=draft, by=request.user, url=url, published_at=published_at),
        lambda draft: "已登记发布情况，并记入审核发布登记台账。")
