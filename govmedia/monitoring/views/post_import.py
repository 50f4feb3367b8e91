"""The page that imports an account's posts from a platform export, and its template download."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from govmedia import clock
from govmedia.monitoring.services.post_import import (
    COLUMNS,
    GUIDE,
    MAX_ROWS,
    import_posts,
    post_import_template,
)
from govmedia.orgs.permissions import may_import_posts
from govmedia.registry.ledger_cells import MAX_FILE_BYTES
from govmedia.registry.selectors import accounts_visible_to
from govmedia.registry.uploads import FormSizeCap
from govmedia.registry.views.documents import SHOWN_ERRORS, XLSX, download


class PostImportForm(forms.Form):
    file = forms.FileField(label="信息导出文件",
                           help_text=f".xlsx 或 .csv（UTF-8 或 GBK 编码），不超过 10MB、{MAX_ROWS:,} 条信息")
    dry_run = forms.BooleanField(label="只校验不导入", required=False)

    def __init__(self, *args, over_cap: str | None = None, **kwargs):
        """`over_cap`: the name of a file the upload handler stopped taking at the size cap."""
        super().__init__(*args, **kwargs)
        self.over_cap = over_cap
        if over_cap is not None:
            self.fields["file"].required = False  # it is missing because it was too big, which is the error

    def clean_file(self):
        if self.over_cap is not None:
            raise forms.ValidationError(f"文件“{self.over_cap}”超过 {MAX_FILE_BYTES // 1024 // 1024}MB，请分批导入。")
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv")):
            raise forms.ValidationError(f"文件“{upload.name}”不是 .xlsx 或 .csv 文件。旧版 .xls 请先另存为 .xlsx。")
        return upload


def _account_for(request, pk):
    """The account, if the user sees it (else 404, as for a missing one) and may import its posts."""
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    if not may_import_posts(request.user, account):
        raise PermissionDenied(f"无权为账号“{account.name}”导入信息")
    return account


@login_required
@require_GET
def post_import_template_download(request, pk):
    _account_for(request, pk)
    return download(post_import_template(), "已发布信息导入模板.xlsx", XLSX, ascii_name="posts-template.xlsx")


# The size cap must be in place before anything reads the body, and the CSRF check reads it; so the
# check is switched off for the outer view and done, after the cap, by the inner one (as filing_record).
@csrf_exempt
@login_required
def post_import(request, pk):
    if request.method == "POST":
        request.upload_handlers.insert(0, FormSizeCap(request, max_bytes=MAX_FILE_BYTES))
    return _post_import(request, pk)


@csrf_protect
def _post_import(request, pk):
    account = _account_for(request, pk)
    result, form = None, PostImportForm()
    if request.method == "POST":
        files = request.FILES  # parses the body through the cap, which notes a file it stopped taking
        form = PostImportForm(request.POST, files, over_cap=getattr(request, "upload_over_cap", None))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = import_posts(account=account, file_obj=upload, filename=upload.name, by=request.user,
                                  now=clock.now(), dry_run=form.cleaned_data["dry_run"])
    return render(request, "monitoring/import_posts.html", {
        "account": account, "form": form, "result": result,
        "errors": result.errors[:SHOWN_ERRORS] if result else [],
        "hidden_errors": max(len(result.errors) - SHOWN_ERRORS, 0) if result else 0,
        "columns": [(c.header, c.required, "、".join(c.aliases), GUIDE[c.key]) for c in COLUMNS],
        "max_rows": f"{MAX_ROWS:,}",
    })
