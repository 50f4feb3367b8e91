"""The page where a logged-in user issues (shown once, on the answer to the POST) and revokes their own
tokens for the JSON API (/api/v1/). A token acts as its user: nobody issues one for someone else."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from govmedia.errors import Conflict
from govmedia.orgs.api_tokens import NAME_MAX, api_token_issue, api_token_revoke
from govmedia.orgs.models import ApiToken
from govmedia.registry.views.common import report_domain_error
from govmedia.web.api import REQUESTS_PER_MINUTE


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=NAME_MAX, required=False,
                           help_text="如“单位采编系统”，便于日后辨认和吊销")


def _page(request, form, *, issued=None, raw_token=""):
    return render(request, "web/api_tokens.html", {
        "form": form, "issued": issued, "raw_token": raw_token, "rate": REQUESTS_PER_MINUTE,
        "tokens": ApiToken.objects.filter(user=request.user),
    })


# The answer to the issuing POST carries the raw token: never cached, by the browser or any proxy.
@never_cache
@login_required
def api_tokens(request):
    if request.method != "POST":
        return _page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = api_token_issue(user=request.user, name=form.cleaned_data["name"])
        except (ValidationError, PermissionDenied) as error:
            report_domain_error(request, error, form)
        else:
            return _page(request, ApiTokenForm(), issued=token, raw_token=raw)
    return _page(request, form)


@login_required
@require_POST
def api_token_revoke_view(request, pk):
    # Only one's own tokens are on the page; another's is as missing (supervisors revoke in the back office).
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    try:
        api_token_revoke(token=token, by=request.user)
        messages.success(request, f"已吊销令牌 {token.prefix}…，使用它的请求将被拒绝。")
    except (PermissionDenied, Conflict) as error:
        report_domain_error(request, error)
    return redirect("api_tokens")
