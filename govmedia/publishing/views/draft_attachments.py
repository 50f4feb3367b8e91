"""A draft's attachments: the author adds and removes them while the draft may be edited; whoever sees the
draft downloads them (never by a media URL; always as a download, never sniffed into a page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from govmedia.errors import Conflict
from govmedia.publishing.services.attachments import (
    attachment_add,
    attachment_max_bytes,
    attachment_remove,
    over_cap_message,
)
from govmedia.publishing.views.draft_forms import AttachmentForm
from govmedia.publishing.views.drafts import draft_for
from govmedia.registry.uploads import FormSizeCap
from govmedia.registry.views.common import report_domain_error


# The size cap must be in place before anything reads the body, and the CSRF check reads it; so the
# check is switched off for the outer view and done, after the cap, by the inner one (as filing_record).
@csrf_exempt
@login_required
@require_POST
def draft_attachment_add(request, pk):
    request.upload_handlers.insert(0, FormSizeCap(request, max_bytes=attachment_max_bytes()))
    return _attachment_add(request, pk)


@csrf_protect
def _attachment_add(request, pk):
    files = request.FILES  # parses the body through the cap, which notes a file it stopped taking
    draft = draft_for(request, pk)
    over_cap = getattr(request, "upload_over_cap", None)
    form = AttachmentForm(request.POST, files)
    if over_cap is not None:
        messages.error(request, over_cap_message(over_cap))
    elif not form.is_valid():
        messages.error(request, "请选择要上传的附件")
    else:
        try:
            attachment = attachment_add(draft=draft, by=request.user, upload=form.cleaned_data["file"])
        except (ValidationError, PermissionDenied, Conflict) as error:
            report_domain_error(request, error)
        else:
            messages.success(request, f"已添加附件“{attachment.name}”。")
    return redirect("publishing:draft_detail", draft.pk)


def _attachment_for(request, pk, attachment_pk):
    return get_object_or_404(draft_for(request, pk).attachments.select_related("draft"), pk=attachment_pk)


@login_required
@require_POST
def draft_attachment_remove(request, pk, attachment_pk):
    attachment = _attachment_for(request, pk, attachment_pk)
    try:
        attachment_remove(attachment=attachment, by=request.user)
    except (ValidationError, PermissionDenied, Conflict) as error:
        report_domain_error(request, error)
    else:
        messages.success(request, f"已删除附件“{attachment.name}”。")
    return redirect("publishing:draft_detail", pk)


@login_required
@require_GET
def draft_attachment(request, pk, attachment_pk):
    attachment = _attachment_for(request, pk, attachment_pk)
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已不存在") from None
    response = FileResponse(stream, as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
