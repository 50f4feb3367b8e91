"""A local simulator of the platforms govmedia monitors (no Django): RSSHub-shaped feeds, article pages, web
listings, link targets, and realistic problems planted in a deterministic world. Used by the tests, the demo
(`make run`) and benchmarks/monitoring.py.

Run
    python -m govmedia.simulator [serve] --port 8700 [--latency-ms 20] [--world demo|bench]
        [--accounts-file accounts.json] [--accounts 1000] [--days 30] [--seed 0] [--now 2026-03-02T10:00+08:00]
        [--slow-seconds 30] [--huge-bytes 33554432] [--link-hosts 1]
    python -m govmedia.simulator publish --url http://127.0.0.1:8700 --account KEY --title T --text X
        [--link URL]... [--repost-source SOURCE]
The first line on stdout is "govmedia simulator serving on http://HOST:PORT" (useful with --port 0).

Use from Python
    from govmedia.simulator import demo_world, serving, feed_url
    world = demo_world([("1234567890", "新浪微博"), ("gh_0123456789ab", "微信订阅号")], seed=0, now=...)
    with serving(world, options=Options(latency_ms=20)) as base_url:
        url = feed_url(base_url, "新浪微博", "1234567890")        # base_url + /weibo/user/1234567890
Also start_in_thread(world, port=0) -> (base_url, stop), start_in_process(*cli_args) -> (base_url, stop),
bench_world(accounts, days=, seed=), sample_accounts(), load_accounts(path), source_kind(platform).

The world
    Accounts have a key (the platform account id; [A-Za-z0-9._~-]), a platform (a govmedia Platform code or
    name), a name, and a behaviour. Each account's posts are a pure function of (seed, key, Beijing calendar
    day): the same seed gives the same posts, and while the server runs each day's posts appear as the clock
    reaches them. A feed holds the posts of the last `days` days (at least its latest 5, however old).
    Post ids are KEY-YYYYMMDD-N (published ones KEY-pN).

Routes (RSSHub-like; see platforms.PLATFORMS)
    /weibo/user/:key  /wechat/mp/:key  /wechat/channels/:key  /douyin/user/:key  /kuaishou/profile/:key
    /toutiao/user/token/:key  /bilibili/user/dynamic/:key  /zhihu/people/activities/:key  /jianshu/user/:key
    /xiaohongshu/user/:key/notes  /weishi/user/:key  /huoshan/user/:key  /yidian/user/:key  /meipian/user/:key
    /baijiahao/user/:key — RSS 2.0 by default, ?format=atom, ?format=json (JSON Feed 1.1); ETag and
    Last-Modified, 304 on If-None-Match / If-Modified-Since.
    RSS items: title, description (HTML), link, guid (isPermaLink=false), pubDate, author, enclosure (image),
    category 原创|转载, and for weibo and bilibili RSSHub's <stats><reposts_count/><comments_count/>
    <attitudes_count/></stats>. Douyin-like platforms carry a caption only (no links); toutiao an abstract
    (the first paragraph); kuaishou items are sometimes without link and guid, most of those without pubDate.
    Ids: RSS guid and JSON Feed id = the post id; Atom id = tag:govmedia-simulator,2026:POST (a linkless item:
    its title, as RSSHub falls back to it; an Atom entry without a publish time is "updated" at request time).
    A repost's text opens with "【转载】来源：SOURCE", or just "【转载】" when it names no source.
    Web platforms (app, mini program, website): /site/:key/ (listing), /site/:key/sitemap.xml,
    /site/:key/POST.html. Every post also at /a/POST (HTML with <h1>, <time>, PubDate and
    article:published_time metas). /notice/TASK: a repost task's notice. /img/NAME: a 1×1 GIF.
    /link/ok|redirect|nohead|missing|gone|error|slow|flaky/:n — 200; 302 to ok; 405 to HEAD and 200 to GET;
    404; 410; 500; 200 after slow_seconds; 503 on the first request for n then 200. GET and HEAD.
    POST /_publish {account, title, text, links?, kind?, repost_source?} → 201 {id, url, published}: a post
    at the current time (a repost when repost_source is given; "" names no source). GET /_manifest: below.
    --latency-ms delays every request (asyncio.sleep: others proceed meanwhile).

Planted problems (demo_world: DEMO_PLAN accounts each, drawn by seed among accounts that pin nothing; one
problem per account, at most a third of the accounts, source failures first)
    In posts (about one post in three of the planted account): typo (再接再励, 按步就班, 迫不急待, 一股作气 from
    typo.tsv); expression_error (十四五计划, 青岛市西海岸新区, 残废人 from expression_error.tsv; near misses
    社会主义核心价值关, 优化营商坏境 of canonical.tsv); advertising (限时抢购, 扫码购买); secret_marking (机密★1年,
    请勿外传); broken_link (a /link/missing|gone|error|slow/ link); repost_without_source;
    repost_unapproved_source (西海岸生活圈, 黄岛吃喝玩乐, 青岛同城热点). Other accounts' posts are clean for the
    shipped lexicons, and their links are ok, redirect or nohead.
    Per account: silent (last post 20 days before the anchor), zombie (120 days), skips_reposts (never
    reposts the district's tasks). One account per source failure (world.SOURCE_FAILURES, named by the
    BROKEN_REASONS code govmedia should report): cookies_expired 432, rate_limited 418, captcha (200 page),
    login_page (302 to /_login), empty (200, no body), parse_error (200, gzip bytes), too_large (200 chunked,
    --huge-bytes), http_server_error 500, http_client_error 404, timeout (waits --slow-seconds).
    Repost tasks: one every 21 days ("task-YYYYMMDD", issued 09:00, deadline 3 days later), so a 30-day
    window holds one or two, one past its deadline. Accounts repost within 48 hours, half by the exact
    title and half by linking /notice/TASK, naming 青岛西海岸发布 as source.

Manifest (GET /_manifest, or manifest.manifest(world, Urls(base_url)))
    {seed, days, now, anchor, approved_sources: [..], unapproved_sources: [..], source_failures: {mode: text},
     link_kinds: {kind: {status, verdict}}, repost_tasks: [{id, title, url, issued, deadline}],
     totals: {accounts, posts, links, links_by_kind, planted: {kind: n}},
     accounts: {KEY: {platform, name, url, kind: feed|web, activity: active|silent|zombie, last_post,
                      source: ok|MODE, plants: [kind], skips_reposts, reposts: {task id: post id|null},
                      posts, planted_posts: {post id: [{kind, category?, text?, url?, status?, verdict?,
                      source?}]}, published: [post id]}}}
"""

from .manifest import manifest
from .platforms import UnknownPlatform, feed_url, platform, route_path, source_kind
from .render import Urls
from .server import Options, make_app, serving, start_in_process, start_in_thread
from .world import Account, Post, RepostTask, World
from .worlds import bench_world, demo_world, load_accounts, sample_accounts

__all__ = [
    "Account", "Options", "Post", "RepostTask", "UnknownPlatform", "Urls", "World", "bench_world", "demo_world",
    "feed_url", "load_accounts", "make_app", "manifest", "platform", "route_path", "sample_accounts", "serving",
    "source_kind", "start_in_process", "start_in_thread",
]
