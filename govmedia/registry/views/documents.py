"""Downloads and uploads of documents: attachment 1 (DOCX/PDF), the ledger import and the XLSX export."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from govmedia import clock
from govmedia.registry import attachment1, ledger
from govmedia.registry.filters import RegistryFilters
from govmedia.registry.ledger_cells import MAX_ACCOUNTS, MAX_FILE_BYTES
from govmedia.registry.selectors import accounts_visible_to

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ERRORS = 500


def download(data: bytes, filename: str, content_type: str, *, ascii_name: str) -> HttpResponse:
    """An attachment with a Chinese file name (RFC 5987 filename*) and an ASCII fallback for old clients."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment1_docx(request, pk):
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    return download(attachment1.attachment1_docx(account), attachment1.safe_filename(account, "docx"), DOCX,
                    ascii_name=f"attachment1-{account.pk}.docx")


@login_required
def attachment1_pdf(request, pk):
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    return download(attachment1.attachment1_pdf(account), attachment1.safe_filename(account, "pdf"),
                    "application/pdf", ascii_name=f"attachment1-{account.pk}.pdf")


@login_required
def registry_export(request):
    data = ledger.export_registry(request.user, **RegistryFilters.parse(request))
    today = clock.today()
    return download(data, f"政务新媒体台账-{today:%Y%m%d}.xlsx", XLSX, ascii_name=f"registry-{today:%Y%m%d}.xlsx")


class LedgerImportForm(forms.Form):
    file = forms.FileField(label="台账文件", help_text=f".xlsx 或 .csv（UTF-8 或 GBK 编码），不超过 10MB、{MAX_ACCOUNTS:,} 个账号")
    dry_run = forms.BooleanField(label="只校验不导入", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv")):
            raise forms.ValidationError(f"文件“{upload.name}”不是 .xlsx 或 .csv 文件。旧版 .xls 请先另存为 .xlsx。")
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("文件不能超过 10MB，请分批导入。")
        return upload


@login_required
def ledger_import(request):
    if not ledger.may_import(request.user):
        raise PermissionDenied("只有单位管理员、单位负责人或区级监管员可以导入台账")
    if request.method == "GET" and request.GET.get("template"):
        return download(ledger.ledger_template(request.user), "政务新媒体台账导入模板.xlsx", XLSX,
                        ascii_name="ledger-template.xlsx")
    result = None
    if request.method == "POST":
        form = LedgerImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = ledger.import_ledger(file_obj=upload, filename=upload.name, user=request.user,
                                          dry_run=form.cleaned_data["dry_run"])
            if result.ok and not result.dry_run:
                messages.success(request, f"已从“{upload.name}”导入 {result.created} 个账号。")
                return redirect("account_list")
    else:
        form = LedgerImportForm()
    return render(request, "registry/ledger_import.html", {
        "form": form,
        "result": result,
        "errors": result.errors[:SHOWN_ERRORS] if result else [],
        "hidden_errors": max(len(result.errors) - SHOWN_ERRORS, 0) if result else 0,
        "max_accounts": MAX_ACCOUNTS,
    })
