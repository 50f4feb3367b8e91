"""Is a hand-recorded publication URL plausibly where the draft went out?

An experienced editor expects the link of a Weibo post to be on weibo.com, of a WeChat article on
mp.weixin.qq.com, and the link of an item on the unit's own site or app to be on that site. So a URL is
accepted when its host is (a subdomain of) a known host of one of the draft's accounts' platforms
(PLATFORM_HOSTS, by Platform.code), or the host of the account's own access link (Account.access_url), or
of a website column monitoring reads for it (a Source of kind WEB). A platform the district added without
known hosts relies on the account's access link.

Hosts that are not a known platform's are also checked with monitoring's SSRF guard (netguard): a link to
an internal, loopback or reserved address is refused unless the deployment lets monitoring reach private
addresses (GOVMEDIA_MONITOR_ALLOW_PRIVATE), since the link checker and the pages show these links.
"""

from urllib.parse import urlsplit

from django.conf import settings

from govmedia.errors import ValidationError
from govmedia.monitoring.engine.netguard import BlockedAddress, UnresolvableHost, check_url
from govmedia.monitoring.models import SourceKind
from govmedia.monitoring.services.sources import check_http_url

FIELD = "published_url"

# The public hosts a platform's posts are published on (share links included), by Platform.code.
PLATFORM_HOSTS: dict[str, tuple[str, ...]] = {
    "weibo": ("weibo.com", "weibo.cn"),
    "wechat-service": ("mp.weixin.qq.com",),
    "wechat-subscription": ("mp.weixin.qq.com",),
    "wechat-miniprogram": ("mp.weixin.qq.com",),
    "wechat-channels": ("channels.weixin.qq.com",),
    "weishi": ("weishi.qq.com",),
    "toutiao": ("toutiao.com",),
    "douyin": ("douyin.com", "iesdouyin.com"),
    "kuaishou": ("kuaishou.com", "gifshow.com"),
    "huoshan": ("huoshan.com",),
    "bilibili": ("bilibili.com", "b23.tv"),
    "yidian": ("yidianzixun.com",),
    "meipian": ("meipian.cn", "meipian.me"),
    "zhihu": ("zhihu.com",),
    "jianshu": ("jianshu.com",),
    "xiaohongshu": ("xiaohongshu.com", "xhslink.com"),
    "baijiahao": ("baijiahao.baidu.com", "mbd.baidu.com"),
}


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def _under(host: str, domain: str) -> bool:
    return bool(domain) and (host == domain or host.endswith("." + domain))


def account_hosts(account) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the platform's known hosts, the account's own hosts: its access link and monitored website columns)."""
    own = {_host(account.access_url)} if account.access_url else set()
    own |= {_host(url) for url in account.sources.filter(kind=SourceKind.WEB).values_list("url", flat=True)}
    return PLATFORM_HOSTS.get(account.platform.code, ()), tuple(sorted(own - {""}))


def check_published_url(url, *, accounts) -> str:
    """The URL, stripped, if it is an http(s) link on one of the accounts' platforms or own sites and not an
    internal address; a ValidationError on `published_url` explaining the rule otherwise."""
    url = check_http_url(url if isinstance(url, str) else "", field=FIELD, what="发布链接")
    if not url:
        raise ValidationError({FIELD: "请填写发布链接"})
    shown = url if len(url) <= 80 else url[:80] + "…"
    host = _host(url)
    accounts = list(accounts)
    hosts = {account.pk: account_hosts(account) for account in accounts}
    on_platform = any(_under(host, domain) for known, _own in hosts.values() for domain in known)
    if not on_platform:
        try:
            check_url(url, allow_private=settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE)
        except BlockedAddress as blocked:
            raise ValidationError({FIELD: f"发布链接“{shown}”不能使用：{blocked}"}) from None
        except UnresolvableHost:
            pass  # judged by whose host it is; the link checker reports a dead link later
    if on_platform or any(_under(host, domain) for _known, own in hosts.values() for domain in own):
        return url
    expected = "；".join(
        f"{account.name}（{account.platform.name}：{'、'.join(dict.fromkeys([*known, *own])) or '未知域名，请先填写账号的访问链接'}）"
        for account in accounts for known, own in [hosts[account.pk]])
    raise ValidationError({FIELD: f"发布链接“{shown}”的域名 {host} 不属于本稿件的发布账号。链接须在发布账号所在平台"
                                  f"或账号自有网站上：{expected}"})
