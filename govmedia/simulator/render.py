"""Feeds (RSS 2.0, Atom, JSON Feed 1.1) shaped like RSSHub's output, and the HTML pages around them."""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape
from urllib.parse import quote

from .platforms import ABSTRACT, WEB
from .world import CN, Account, Post, RepostTask

# The smallest valid GIF (1×1, transparent): what /img/ serves.
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
         b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

# Atom ids are tag URIs, which readers take as they are (a bare id would be resolved against the feed's URL).
ATOM_ID = "tag:govmedia-simulator,2026:"
ANCHORS = ("点击查看详情", "原文链接", "附件下载", "报名入口", "政策原文", "办事指南")


@dataclass(frozen=True, slots=True)
class Urls:
    """Turns the simulator's paths into absolute URLs for one request.

    `link_bases` spreads /link/ URLs over several origins (e.g. 127.0.0.2, 127.0.0.3 on the same port), so
    a link checker's per-host limits see many hosts, as on the real web; each path always gets the same one.
    """

    base: str
    link_bases: tuple[str, ...] = ()

    def abs(self, path: str) -> str:
        return path if "://" in path else self.base + path

    def link(self, path: str) -> str:
        if self.link_bases and path.startswith("/link/"):
            return self.link_bases[zlib.crc32(path.encode()) % len(self.link_bases)] + path
        return self.abs(path)

    def article(self, account: Account, post: Post) -> str:
        if account.route.kind == WEB:
            return self.abs(f"/site/{account.key}/{post.id}.html")
        return self.abs(f"/a/{post.id}")


def _shown(account: Account, post: Post) -> list[str]:
    if account.route.text == ABSTRACT:
        return post.body[:2 if post.kind == "repost" else 1]
    return post.body


def post_html(account: Account, post: Post, urls: Urls, *, whole: bool = False) -> str:
    """A post's HTML as a feed's description carries it (`whole`: as its article page does)."""
    paragraphs = post.body if whole else _shown(account, post)
    parts = [f"<p>{escape(text)}</p>" for text in paragraphs]
    for i, link in enumerate(post.links):
        parts.append(f'<p><a href="{escape(urls.link(link))}">{ANCHORS[i % len(ANCHORS)]}</a></p>')
    for i in range(post.images):
        parts.append(f'<img src="{escape(urls.abs(f"/img/{post.id}-{i}.gif"))}" alt="">')
    return "".join(parts)


def _rfc822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(CN))


def _channel_title(account: Account) -> str:
    return f"{account.name} - {account.route.names[0]}"


def rss(account: Account, posts: Sequence[Post], urls: Urls, self_url: str, now: datetime) -> str:
    items = []
    for post in posts:
        parts = [f"<title>{escape(post.title)}</title>",
                 f"<description>{escape(post_html(account, post, urls))}</description>"]
        if not post.hide_link:
            # Kuaishou-like items without a link carry no guid either (RSSHub would use the title; RSS does not
            # require one): a reader has to fall back to a content hash.
            parts += [f"<link>{escape(urls.article(account, post))}</link>",
                      f'<guid isPermaLink="false">{escape(post.id)}</guid>']
        if not post.hide_time:
            parts.append(f"<pubDate>{_rfc822(post.published)}</pubDate>")
        parts.append(f"<author>{escape(account.name)}</author>")
        if post.images:
            parts.append(f'<enclosure url="{escape(urls.abs(f"/img/{post.id}-0.gif"))}" type="image/gif" length="{len(PIXEL)}"/>')
        parts.append(f"<category>{'转载' if post.kind == 'repost' else '原创'}</category>")
        if account.route.stats:
            s = post.stats
            parts.append(f"<stats><reposts_count>{s['reposts']}</reposts_count><comments_count>{s['comments']}"
                         f"</comments_count><attitudes_count>{s['likes']}</attitudes_count></stats>")
        items.append("<item>" + "".join(parts) + "</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0"><channel>'
            f"<title>{escape(_channel_title(account))}</title><link>{escape(self_url)}</link>"
            f'<atom:link href="{escape(self_url)}" rel="self" type="application/rss+xml"/>'
            f"<description>{escape(_channel_title(account))} - Powered by RSSHub</description>"
            "<generator>RSSHub</generator><language>zh-cn</language>"
            f"<lastBuildDate>{_rfc822(posts[0].published if posts else now)}</lastBuildDate>"
            "<ttl>5</ttl>" + "".join(items) + "</channel></rss>")


def atom(account: Account, posts: Sequence[Post], urls: Urls, self_url: str, now: datetime) -> str:
    entries = []
    for post in posts:
        parts = [f"<title>{escape(post.title)}</title>",
                 f'<content type="html">{escape(post_html(account, post, urls))}</content>']
        # Atom requires an id (an IRI) and an updated time: a linkless item's id is made of its title, as RSSHub
        # falls back to the title, and an item without a publish time is "updated" at the time of the request.
        if post.hide_link:
            parts.append(f"<id>{ATOM_ID}{quote(post.title)}</id>")
        else:
            parts += [f'<link href="{escape(urls.article(account, post))}"/>', f"<id>{ATOM_ID}{escape(post.id)}</id>"]
        if post.hide_time:
            parts.append(f"<updated>{now.astimezone(CN).replace(microsecond=0).isoformat()}</updated>")
        else:
            parts += [f"<published>{post.published.isoformat()}</published>",
                      f"<updated>{post.published.isoformat()}</updated>"]
        parts.append(f"<author><name>{escape(account.name)}</name></author>")
        if post.images:
            parts.append(f'<link rel="enclosure" href="{escape(urls.abs(f"/img/{post.id}-0.gif"))}" type="image/gif"/>')
        parts.append(f'<category term="{"转载" if post.kind == "repost" else "原创"}"/>')
        entries.append("<entry>" + "".join(parts) + "</entry>")
    updated = (posts[0].published if posts else now).isoformat()
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-cn">'
            f'<title>{escape(_channel_title(account))}</title><link rel="alternate" href="{escape(self_url)}"/>'
            f'<link rel="self" href="{escape(self_url)}" type="application/atom+xml"/><id>{escape(self_url)}</id>'
            f"<generator>RSSHub</generator><updated>{updated}</updated>"
            f"<author><name>{escape(account.name)}</name></author>" + "".join(entries) + "</feed>")


def json_feed(account: Account, posts: Sequence[Post], urls: Urls, self_url: str, now: datetime) -> str:
    items = []
    for post in posts:
        item = {"id": post.id, "url": urls.article(account, post), "title": post.title,
                "content_html": post_html(account, post, urls),
                "date_published": post.published.isoformat(), "authors": [{"name": account.name}],
                "tags": ["转载" if post.kind == "repost" else "原创"]}
        if post.hide_link:  # JSON Feed requires an id: the title, as RSSHub falls back to
            item["id"] = post.title
            del item["url"]
        if post.hide_time:
            del item["date_published"]
        if post.images:
            item["image"] = urls.abs(f"/img/{post.id}-0.gif")
        items.append(item)
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": _channel_title(account),
                       "home_page_url": self_url, "feed_url": self_url,
                       "description": f"{_channel_title(account)} - Made with love by RSSHub",
                       "authors": [{"name": account.name}], "language": "zh-cn", "items": items},
                      ensure_ascii=False)


FEED_TYPES = {"rss": (rss, "application/rss+xml"), "atom": (atom, "application/atom+xml"),
              "json": (json_feed, "application/feed+json")}


def _page(title: str, body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>{head}'
            "</head><body><header><nav><a href=\"/\">首页</a> | 政务公开 | 政策解读 | 便民服务 | 互动交流</nav></header>"
            f"{body}<footer><p>主办：青岛西海岸新区管委办公室　网站标识码 3702110001</p>"
            "<p>地址：青岛西海岸新区长江中路 版权所有</p></footer></body></html>")


def article_page(account: Account, post: Post, urls: Urls) -> str:
    """An article as a platform or a website shows it: title, source, time and text, in readable HTML."""
    head = f'<meta name="author" content="{escape(account.name)}">'
    shown_time = ""
    if not post.hide_time:
        local = post.published.astimezone(CN)
        head += (f'<meta name="PubDate" content="{local:%Y-%m-%d %H:%M}">'
                 f'<meta property="article:published_time" content="{local.isoformat()}">')
        shown_time = f'<time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M}</time>'
    body = (f"<main><article><h1>{escape(post.title)}</h1>"
            f'<div class="info"><span>来源：{escape(account.name)}</span> {shown_time}</div>'
            f'<div class="content">{post_html(account, post, urls, whole=True)}</div></article></main>')
    return _page(post.title, body, head)


def listing_page(account: Account, posts: Sequence[Post], urls: Urls) -> str:
    rows = "".join(f'<li><a href="{escape(urls.article(account, p))}">{escape(p.title)}</a>'
                   f"<span>{p.published.astimezone(CN):%Y-%m-%d}</span></li>" for p in posts)
    return _page(f"{account.name} - 工作动态", f'<main><h2>工作动态</h2><ul class="news-list">{rows}</ul></main>')


def sitemap(account: Account, posts: Sequence[Post], urls: Urls) -> str:
    rows = "".join(f"<url><loc>{escape(urls.article(account, p))}</loc>"
                   f"<lastmod>{p.published.astimezone(CN).isoformat()}</lastmod></url>" for p in posts)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>')


def notice_page(task: RepostTask) -> str:
    local = task.issued.astimezone(CN)
    body = (f"<main><article><h1>{escape(task.title)}</h1>"
            f'<div class="info"><span>来源：青岛西海岸新区管委办公室</span> '
            f'<time datetime="{local.isoformat()}">{local:%Y-%m-%d}</time></div>'
            "<div class=\"content\"><p>各镇街、各部门、各单位：</p>"
            f"<p>请各政务新媒体账号于{task.deadline.astimezone(CN):%Y年%m月%d日}前完成转载，并注明来源。</p>"
            "<p>青岛西海岸新区管委办公室</p></div></article></main>")
    return _page(task.title, body, f'<meta name="PubDate" content="{local:%Y-%m-%d %H:%M}">')


def link_page(kind: str, n: str) -> str:
    return _page(f"相关页面 {n}", f"<main><h1>相关页面 {escape(n)}</h1><p>本页面内容正常。</p></main>")


CAPTCHA_PAGE = _page("验证码中间页", '<main><div id="captcha-verify"><p>请完成下列验证后继续</p>'
                                     '<div class="captcha_verify_slide">拖动滑块完成拼图</div></div></main>')
LOGIN_PAGE = _page("登录", '<main><form method="post" action="/_login"><h2>请先登录</h2>'
                          '<input name="username" placeholder="账号"><input name="password" type="password" '
                          'placeholder="密码"><button>登录</button><p>扫码登录</p></form></main>')
