"""Which RSSHub-like route the simulator serves for each govmedia platform, and how to name it.

The platform codes and names are those of registry/migrations/0002_platforms.py (the simulator does not
import Django, so it cannot read the Platform table); a district may add platforms in the admin, and a
name this table does not know raises UnknownPlatform rather than guessing a route.

Routes follow RSSHub where RSSHub has one (weibo, douyin, kuaishou, toutiao, bilibili, zhihu, jianshu,
xiaohongshu); WeChat goes through a wechat2rss-style bridge (/wechat/mp/:id). Mini programs, apps and
websites have no feed: they are read as web pages (a listing page and a sitemap) by the web connector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FEED, WEB = "feed", "web"
FULL, ABSTRACT, CAPTION = "full", "abstract", "caption"  # what a feed item carries of a post

# Account keys are used verbatim in paths, so they are limited to URL-unreserved characters.
KEY_RE = re.compile(r"^[A-Za-z0-9._~-]{1,80}$")


class UnknownPlatform(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class PlatformRoute:
    code: str
    names: tuple[str, ...]  # the registry's name first, then common aliases
    route: str  # path template with {key}
    kind: str = FEED
    text: str = FULL  # ABSTRACT: the feed has the first paragraph only; CAPTION: a video's caption, no links
    stats: bool = False  # RSSHub's non-standard <stats> block (weibo-like routes)
    sometimes_no_link: bool = False  # kuaishou-like: some items have no link and no publish time
    posts_per_day: float = 0.8


PLATFORMS: tuple[PlatformRoute, ...] = (
    PlatformRoute("weibo", ("新浪微博", "微博"), "/weibo/user/{key}", stats=True, posts_per_day=1.6),
    PlatformRoute("wechat-service", ("微信服务号", "服务号"), "/wechat/mp/{key}", posts_per_day=0.7),
    PlatformRoute("wechat-subscription", ("微信订阅号", "微信公众号", "公众号", "订阅号"), "/wechat/mp/{key}",
                  posts_per_day=1.2),
    PlatformRoute("wechat-miniprogram", ("微信小程序", "小程序"), "/site/{key}/", kind=WEB, posts_per_day=0.6),
    PlatformRoute("wechat-channels", ("微信视频号", "视频号"), "/wechat/channels/{key}", text=CAPTION, posts_per_day=0.6),
    PlatformRoute("weishi", ("微视",), "/weishi/user/{key}", text=CAPTION, posts_per_day=0.6),
    PlatformRoute("app", ("移动客户端（APP）", "移动客户端", "政务APP", "APP", "客户端"), "/site/{key}/", kind=WEB,
                  posts_per_day=1.0),
    PlatformRoute("website", ("网站", "政府网站", "门户网站"), "/site/{key}/", kind=WEB, posts_per_day=1.0),
    PlatformRoute("toutiao", ("今日头条", "头条号", "头条"), "/toutiao/user/token/{key}", text=ABSTRACT, posts_per_day=0.9),
    PlatformRoute("douyin", ("抖音", "抖音号"), "/douyin/user/{key}", text=CAPTION,
                  posts_per_day=0.7),
    PlatformRoute("kuaishou", ("快手", "快手号"), "/kuaishou/profile/{key}", text=CAPTION,
                  sometimes_no_link=True, posts_per_day=0.6),
    PlatformRoute("huoshan", ("抖音火山版（火山小视频）", "抖音火山版", "火山小视频"), "/huoshan/user/{key}",
                  text=CAPTION, posts_per_day=0.6),
    PlatformRoute("bilibili", ("哔哩哔哩", "B站", "bilibili"), "/bilibili/user/dynamic/{key}", stats=True,
                  posts_per_day=0.6),
    PlatformRoute("yidian", ("一点资讯", "一点号"), "/yidian/user/{key}", posts_per_day=0.6),
    PlatformRoute("meipian", ("美篇",), "/meipian/user/{key}", posts_per_day=0.6),
    PlatformRoute("zhihu", ("知乎",), "/zhihu/people/activities/{key}", posts_per_day=0.6),
    PlatformRoute("jianshu", ("简书",), "/jianshu/user/{key}", posts_per_day=0.6),
    PlatformRoute("xiaohongshu", ("小红书",), "/xiaohongshu/user/{key}/notes", text=CAPTION,
                  posts_per_day=0.6),
    PlatformRoute("baijiahao", ("百家号",), "/baijiahao/user/{key}", posts_per_day=0.7),
)

BY_CODE: dict[str, PlatformRoute] = {p.code: p for p in PLATFORMS}
_BY_NAME: dict[str, PlatformRoute] = {name.casefold(): p for p in PLATFORMS for name in (p.code, *p.names)}


def platform(name_or_code: str) -> PlatformRoute:
    """The route of a platform given by its code (weibo) or its name (新浪微博, 微博, 微信公众号…)."""
    found = _BY_NAME.get(name_or_code.strip().casefold())
    if found is None:
        raise UnknownPlatform(f"模拟器不认识平台“{name_or_code}”，可用：{'、'.join(p.names[0] for p in PLATFORMS)}")
    return found


def check_key(key: str) -> str:
    if not KEY_RE.match(key):
        raise ValueError(f"账号标识“{key}”只能由字母、数字和 . _ ~ - 组成（1–80 个字符）")
    return key


def route_path(platform_name: str, key: str) -> str:
    """The path the simulator serves an account on, e.g. /weibo/user/1234567890."""
    return platform(platform_name).route.format(key=check_key(key))


def feed_url(base_url: str, platform_name: str, account_id: str) -> str:
    """The URL of an account's source on the simulator: a feed, or a listing page for web platforms.

    `platform_name` is a govmedia Platform code or name; `account_id` is the account's key in the world
    (for the demo, the registry's account_id). Use `source_kind` to tell a feed from a web listing.
    """
    return base_url.rstrip("/") + route_path(platform_name, account_id)


def source_kind(platform_name: str) -> str:
    """FEED ("feed": RSS/Atom/JSON Feed) or WEB ("web": a listing page plus /sitemap.xml beside it)."""
    return platform(platform_name).kind
