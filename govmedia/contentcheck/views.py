from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from govmedia.contentcheck.forms import MAX_UPLOAD, CheckForm
from govmedia.contentcheck.selectors import checks_visible_to, highlighted_text
from govmedia.contentcheck.services import content_check_run
from govmedia.textcheck import LABEL, InputError
from govmedia.textcheck.readers import document_from_bytes


@login_required
def check_new(request):
    form = CheckForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        title = form.cleaned_data.get("title") or ""
        try:
            if upload is not None:
                # Read no further than the cap the form checked, whatever the upload object reports.
                document = document_from_bytes(upload.name, upload.read(MAX_UPLOAD + 1))
                text, title = document.text, title or upload.name
            else:
                text = form.cleaned_data["text"]
                title = title or text.strip().splitlines()[0][:40]
        except InputError as error:
            form.add_error("file", error.reason)
        else:
            run = content_check_run(text=text, title=title, by=request.user, account=form.cleaned_data["account"])
            if run.finding_count:
                messages.warning(request, f"发现 {run.finding_count} 处问题，请逐条核对。")
            else:
                messages.success(request, "未发现问题。")
            return redirect(run)
    recent = checks_visible_to(request.user)[:20]
    return render(request, "contentcheck/check_new.html", {"form": form, "recent": recent})


@login_required
def check_detail(request, pk):
    run = get_object_or_404(checks_visible_to(request.user), pk=pk)
    return render(request, "contentcheck/check_detail.html", {
        "run": run, "findings": run.findings.all(), "highlighted": highlighted_text(run), "labels": LABEL,
    })
