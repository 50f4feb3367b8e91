"""Messages coming in: one entered by hand, or one account's messages imported from a spreadsheet (XLSX or
CSV, all or nothing, every problem listed by row, column and value), and the import's template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from govmedia import clock
from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.interaction.models import MessageChannel
from govmedia.interaction.services.message_import import (
    COLUMNS,
    GUIDE,
    MAX_ROWS,
    import_messages,
    message_import_template,
)
from govmedia.interaction.services.messages import message_create
from govmedia.interaction.views.message_forms import MessageImportForm, MessageNewForm
from govmedia.orgs.permissions import accounts_acted_for
from govmedia.registry.ledger_cells import MAX_FILE_BYTES
from govmedia.registry.uploads import FormSizeCap
from govmedia.registry.views.common import report_domain_error
from govmedia.registry.views.documents import SHOWN_ERRORS, XLSX, download


@login_required
def message_new(request):
    """The account choices are those the user may enter messages for (services check it again)."""
    accounts = accounts_acted_for(request.user)
    form = MessageNewForm(request.POST or None, accounts=accounts,
                          initial={"account": request.GET.get("account", "")} if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            message = message_create(by=request.user, channel=MessageChannel.MANUAL, **values)
        except (ValidationError, PermissionDenied, Conflict) as error:
            report_domain_error(request, error, form)
        else:
            messages.success(request, "留言已录入。")
            return redirect("interaction:message_detail", message.pk)
    return render(request, "interaction/message_new.html", {"form": form})


@login_required
@require_GET
def message_import_template_download(request):
    return download(message_import_template(), "互动留言导入模板.xlsx", XLSX, ascii_name="messages-template.xlsx")


# The size cap must be in place before anything reads the body, and the CSRF check reads it; so the
# check is switched off for the outer view and done, after the cap, by the inner one (as post_import).
@csrf_exempt
@login_required
def message_import(request):
    if request.method == "POST":
        request.upload_handlers.insert(0, FormSizeCap(request, max_bytes=MAX_FILE_BYTES))
    return _message_import(request)


@csrf_protect
def _message_import(request):
    accounts = accounts_acted_for(request.user)
    result, form = None, MessageImportForm(accounts=accounts)
    if request.method == "POST":
        files = request.FILES  # parses the body through the cap, which notes a file it stopped taking
        form = MessageImportForm(request.POST, files, accounts=accounts,
                                 over_cap=getattr(request, "upload_over_cap", None))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_messages(account=form.cleaned_data["account"], file_obj=upload,
                                         filename=upload.name, by=request.user, now=clock.now(),
                                         dry_run=form.cleaned_data["dry_run"])
            except (PermissionDenied, Conflict) as error:
                report_domain_error(request, error)
    return render(request, "interaction/message_import.html", {
        "form": form, "result": result,
        "errors": result.errors[:SHOWN_ERRORS] if result else [],
        "hidden_errors": max(len(result.errors) - SHOWN_ERRORS, 0) if result else 0,
        "columns": [(c.header, c.required, "、".join(c.aliases), GUIDE[c.key]) for c in COLUMNS],
        "max_rows": f"{MAX_ROWS:,}",
    })
