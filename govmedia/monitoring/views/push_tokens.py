"""The page that lists an account's push tokens, issues one (shown once, on the answer to the POST) and
revokes one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from govmedia import clock
from govmedia.errors import Conflict
from govmedia.monitoring.models import PushToken
from govmedia.monitoring.services.tokens import token_issue, token_revoke
from govmedia.orgs.permissions import may_edit_account_sources
from govmedia.registry.selectors import accounts_visible_to
from govmedia.registry.views.common import report_domain_error


class TokenIssueForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, required=False,
                           help_text="如“融媒体中心发布系统”，便于日后辨认和吊销")


def _account_for(request, pk):
    """The account, if the user sees it (else 404, as for a missing one) and keeps its sources."""
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    if not may_edit_account_sources(request.user, account):
        raise PermissionDenied(f"无权管理账号“{account.name}”的推送令牌")
    return account


def _page(request, account, form, *, issued=None, raw_token=""):
    return render(request, "monitoring/tokens_list.html", {
        "account": account, "form": form, "issued": issued, "raw_token": raw_token,
        "tokens": PushToken.objects.filter(account=account).select_related("created_by", "created_by__person"),
    })


# The answer to the issuing POST carries the raw token: never cached, by the browser or any proxy.
@never_cache
@login_required
def push_tokens(request, pk):
    account = _account_for(request, pk)
    if request.method != "POST":
        return _page(request, account, TokenIssueForm())
    form = TokenIssueForm(request.POST)
    if form.is_valid():
        try:
            token, raw = token_issue(account=account, name=form.cleaned_data["name"], by=request.user,
                                     now=clock.now())
        except ValidationError as error:
            report_domain_error(request, error, form)
        else:
            return _page(request, account, TokenIssueForm(), issued=token, raw_token=raw)
    return _page(request, account, form)


@login_required
@require_POST
def push_token_revoke(request, pk, token_pk):
    account = _account_for(request, pk)
    token = get_object_or_404(PushToken.objects.filter(account=account), pk=token_pk)
    try:
        token_revoke(token=token, by=request.user, now=clock.now())
        messages.success(request, f"已吊销令牌 {token.prefix}…，使用它的推送将被拒绝。")
    except (PermissionDenied, Conflict) as error:
        report_domain_error(request, error)
    return redirect("monitoring:push_tokens", pk=account.pk)
