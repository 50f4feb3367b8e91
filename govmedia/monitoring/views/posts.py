"""An account's posts and one post with its findings marked in its text."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from govmedia.monitoring.selectors import account_posts, for_display, posts_visible_to
from govmedia.registry.selectors import accounts_visible_to
from govmedia.registry.views.common import paginate


@login_required
def account_post_list(request, pk):
    account = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    return render(request, "monitoring/account_posts.html", {
        "account": account, "page": paginate(request, account_posts(account)),
    })


@login_required
def post_detail(request, pk):
    post = get_object_or_404(posts_visible_to(request.user).select_related("source", "duty_reading"), pk=pk)
    [post] = for_display([post])
    return render(request, "monitoring/post_detail.html", {"post": post, "findings": post.findings.all()})
