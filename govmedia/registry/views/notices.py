"""Public pages (no login): art. 7 requires closures and cancellations to be announced to society."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from govmedia.registry.selectors import public_notices, public_notices_matching
from govmedia.registry.views.common import paginate

NOTICES_PER_PAGE = 20


def notice_list(request):
    q = request.GET.get("q", "").strip()[:100]
    return render(request, "registry/notice_list.html", {
        "page": paginate(request, public_notices_matching(q), NOTICES_PER_PAGE), "q": q,
    })


def notice_detail(request, pk):
    return render(request, "registry/notice_detail.html", {"notice": get_object_or_404(public_notices(), pk=pk)})


class NoticeRssFeed(Feed):
    title = "政务新媒体关停注销公告"
    link = reverse_lazy("notice_list")
    description = "政务新媒体账号关停、注销公告（公告期不少于15个工作日）"

    def items(self):
        return public_notices()[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS <description> and Atom <summary type="html"> are HTML: a feed reader XML-decodes the element
        # and then renders what it finds. Escaping the plain text once more makes an account name such as
        # 教体<script> come out as text in the reader instead of markup.
        return escape(f"{item.body}\n公告日期：{item.published_on:%Y-%m-%d}；"
                      f"生效日期：{item.effective_on:%Y-%m-%d}{'（暂定）' if item.effective_is_provisional else ''}")

    def item_pubdate(self, item):
        from datetime import datetime, time

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(item.published_on, time(9, 0)))


class NoticeAtomFeed(NoticeRssFeed):
    feed_type = Atom1Feed
    subtitle = NoticeRssFeed.description
