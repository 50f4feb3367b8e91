"""The simulator's HTTP server (aiohttp): feeds, pages, link targets, broken sources, /_publish, /_manifest.

Run it in a thread of the current process (`serving(world)` / `start_in_thread`) for tests, or as its own
process (`start_in_process`, or `python -m govmedia.simulator`) when the client's CPU must not be shared,
as in the benchmark.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from email.utils import format_datetime
from urllib.parse import quote

from aiohttp import web

from . import render
from .manifest import manifest
from .platforms import FEED, PLATFORMS
from .render import Urls
from .world import Account, World


@dataclass(frozen=True, slots=True)
class Options:
    latency_ms: float = 0  # added to every request, without blocking others
    slow_seconds: float = 30.0  # how long /link/slow/ and a "timeout" source wait before answering
    huge_bytes: int = 32 * 1024 * 1024  # the size of a "too_large" source's body
    link_hosts: tuple[str, ...] = ()  # more loopback addresses, same port, that /link/ URLs are spread over


WORLD = web.AppKey("world", World)
OPTIONS = web.AppKey("options", Options)
SEEN_FLAKY = web.AppKey("seen_flaky", set)


# LinkChecker (the benchmark's baseline) keeps to 10 requests/s per host unless the host answers with this
# header; every host here is one simulated platform, so both checkers are measured free of that throttle.
UNTHROTTLE = {"LinkChecker": "govmedia-simulator"}


@web.middleware
async def _latency(request: web.Request, handler):
    delay = request.app[OPTIONS].latency_ms
    if delay:
        await asyncio.sleep(delay / 1000)
    try:
        response = await handler(request)
    except web.HTTPException as answer:
        answer.headers.update(UNTHROTTLE)
        raise
    response.headers.update(UNTHROTTLE)
    return response


def make_app(world: World, options: Options | None = None) -> web.Application:
    app = web.Application(middlewares=[_latency], client_max_size=1024 * 1024)
    app[WORLD], app[OPTIONS], app[SEEN_FLAKY] = world, options or Options(), set()
    routes = [web.get("/", _index), web.get("/_manifest", _manifest), web.post("/_publish", _publish),
              web.get("/_login", _login), web.get("/a/{post_id}", _article), web.get("/notice/{task_id}", _notice),
              web.get("/img/{name}", _image), web.get("/link/{kind}/{n}", _link),
              web.get("/site/{key}/", _site_listing), web.get("/site/{key}/sitemap.xml", _sitemap),
              web.get("/site/{key}/{post_id}.html", _site_article)]
    for template in dict.fromkeys(p.route for p in PLATFORMS if p.kind == FEED):
        routes.append(web.get(template, _feed_handler(template)))
    app.add_routes(routes)
    return app


def _world(request: web.Request) -> World:
    return request.app[WORLD]


def _urls(request: web.Request) -> Urls:
    base = f"{request.scheme}://{request.host}"
    hosts = request.app[OPTIONS].link_hosts
    extra = tuple(f"http://{host}:{request.url.port}" for host in hosts)
    return Urls(base, (base, *extra) if extra else ())


def _not_found(what: str) -> web.Response:
    return web.Response(status=404, text=f"Error: {what}不存在", content_type="text/plain")


def _account(request: web.Request, template: str) -> Account:
    account = _world(request).accounts.get(request.match_info["key"])
    if account is None or account.route.route != template:
        raise web.HTTPNotFound(text=f"Error: 账号 {request.match_info['key']} 不存在", content_type="text/plain")
    return account


async def _broken(request: web.Request, account: Account) -> web.StreamResponse | None:
    """The response of a source that breaks (Account.source), or None to serve it normally."""
    options = request.app[OPTIONS]
    match account.source:
        case "cookies_expired":
            return web.Response(status=432, text="Error: 微博 Cookie 已过期，请更新 WEIBO_COOKIES",
                                content_type="text/plain")
        case "rate_limited":
            return web.Response(status=418, text="Error: 请求过于频繁 (418)", content_type="text/plain")
        case "captcha":
            return web.Response(text=render.CAPTCHA_PAGE, content_type="text/html")
        case "login_page":
            raise web.HTTPFound("/_login?next=" + quote(request.path_qs))
        case "empty":
            return web.Response(body=b"", content_type="application/rss+xml")
        case "parse_error":
            # A gzip body sent without Content-Encoding: bytes, not a feed.
            garbage = b"\x1f\x8b\x08\x00" + random.Random(account.key).randbytes(4096)
            return web.Response(body=garbage, content_type="application/rss+xml")
        case "too_large":
            return await _huge(request, account, options.huge_bytes)
        case "http_server_error":
            return web.Response(status=500, text="Error: 路由处理出错 (RSSHub)", content_type="text/plain")
        case "http_client_error":
            return web.Response(status=404, text="Error: 账号不存在或已注销", content_type="text/plain")
        case "timeout":
            await asyncio.sleep(options.slow_seconds)
    return None


async def _huge(request: web.Request, account: Account, size: int) -> web.StreamResponse:
    # Chunked, with no Content-Length, so a reader must count what it receives to stop at its cap.
    response = web.StreamResponse(headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    item = ("<item><title>超长内容</title><description>" + "西海岸" * 2000 + "</description></item>").encode()
    chunk = item * max(1, 65536 // len(item))
    with contextlib.suppress(ConnectionError):
        await response.write(f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>'
                             f"{account.name}</title>".encode())
        sent = 0
        while sent < size:
            await response.write(chunk)
            sent += len(chunk)
        await response.write(b"</channel></rss>")
        await response.write_eof()
    return response


def _conditional(request: web.Request, body: bytes, content_type: str, modified) -> web.Response:
    """200 with ETag and Last-Modified, or 304 when the client's copy is current."""
    etag = f'"{hashlib.blake2b(body, digest_size=10).hexdigest()}"'
    modified = modified.astimezone(UTC).replace(microsecond=0)
    headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True), "Cache-Control": "no-cache"}
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        fresh = if_none_match.strip() == "*" or etag in (tag.strip() for tag in if_none_match.split(","))
    else:
        fresh = request.if_modified_since is not None and modified <= request.if_modified_since
    if fresh:
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, headers={**headers, "Content-Type": f"{content_type}; charset=utf-8"})


def _feed_handler(template: str) -> Callable:
    async def feed(request: web.Request) -> web.StreamResponse:
        account = _account(request, template)
        broken = await _broken(request, account)
        if broken is not None:
            return broken
        chosen = request.query.get("format", "rss")
        if chosen not in render.FEED_TYPES:
            raise web.HTTPBadRequest(text=f"Error: 不支持的格式 {chosen}，可用 rss、atom、json", content_type="text/plain")
        write, content_type = render.FEED_TYPES[chosen]
        world = _world(request)
        posts = world.posts(account.key)
        body = write(account, posts, _urls(request), str(request.url), world.now()).encode()
        return _conditional(request, body, content_type, posts[0].published if posts else world.anchor)

    return feed


def _web_account(request: web.Request) -> Account:
    return _account(request, "/site/{key}/")


async def _site_listing(request: web.Request) -> web.StreamResponse:
    account = _web_account(request)
    broken = await _broken(request, account)
    if broken is not None:
        return broken
    world = _world(request)
    posts = world.posts(account.key)
    body = render.listing_page(account, posts, _urls(request)).encode()
    return _conditional(request, body, "text/html", posts[0].published if posts else world.anchor)


async def _sitemap(request: web.Request) -> web.StreamResponse:
    account = _web_account(request)
    broken = await _broken(request, account)
    if broken is not None:
        return broken
    world = _world(request)
    posts = world.posts(account.key)
    body = render.sitemap(account, posts, _urls(request)).encode()
    return _conditional(request, body, "application/xml", posts[0].published if posts else world.anchor)


async def _site_article(request: web.Request) -> web.Response:
    account = _web_account(request)
    post = _world(request).post(request.match_info["post_id"])
    if post is None or post.account != account.key:
        return _not_found("文章")
    return web.Response(text=render.article_page(account, post, _urls(request)), content_type="text/html")


async def _article(request: web.Request) -> web.Response:
    world = _world(request)
    post = world.post(request.match_info["post_id"])
    if post is None:
        return _not_found("文章")
    account = world.accounts[post.account]
    return web.Response(text=render.article_page(account, post, _urls(request)), content_type="text/html")


async def _notice(request: web.Request) -> web.Response:
    world = _world(request)
    task = world.task(request.match_info["task_id"])
    if task is None or task.issued > world.now():
        return _not_found("通知")
    return web.Response(text=render.notice_page(task), content_type="text/html")


async def _image(request: web.Request) -> web.Response:
    return web.Response(body=render.PIXEL, content_type="image/gif")


async def _login(request: web.Request) -> web.Response:
    return web.Response(text=render.LOGIN_PAGE, content_type="text/html")


async def _link(request: web.Request) -> web.Response:
    """Link targets: /link/<kind>/<n>, kind one of world.LINK_KINDS, plus flaky (503 once per n, then 200)."""
    kind, n = request.match_info["kind"], request.match_info["n"]
    # HEAD gets the page's headers too (aiohttp sends no body): an answer without a length makes aiohttp drop
    # the connection, and checkers would measure reconnecting instead of checking.
    page = web.Response(text=render.link_page(kind, n), content_type="text/html")
    match kind:
        case "ok":
            return page
        case "redirect":
            raise web.HTTPFound(f"/link/ok/{quote(n)}")
        case "nohead":
            if request.method == "HEAD":
                return web.Response(status=405, text="不支持 HEAD", headers={"Allow": "GET"})
            return page
        case "missing":
            return web.Response(status=404, text="页面不存在")
        case "gone":
            return web.Response(status=410, text="页面已删除")
        case "error":
            return web.Response(status=500, text="服务器内部错误")
        case "slow":
            await asyncio.sleep(request.app[OPTIONS].slow_seconds)
            return page
        case "flaky":
            seen = request.app[SEEN_FLAKY]
            if n not in seen:
                seen.add(n)
                return web.Response(status=503, text="服务暂不可用", headers={"Retry-After": "1"})
            return page
    return _not_found("链接类型")


async def _manifest(request: web.Request) -> web.Response:
    return web.json_response(manifest(_world(request), _urls(request)),
                             dumps=lambda data: json.dumps(data, ensure_ascii=False))


def _bad_request(message: str) -> web.Response:
    return web.json_response({"error": message}, status=400, dumps=lambda data: json.dumps(data, ensure_ascii=False))


async def _publish(request: web.Request) -> web.Response:
    """POST {account, title, text, links?, kind?, repost_source?}: a new post at the current time.

    A `repost_source` makes the post a repost ("" for a repost that names no source), as does kind "repost".
    """
    try:
        data = await request.json()
    except ValueError:
        return _bad_request("请求体不是有效的 JSON")
    world = _world(request)
    if not isinstance(data, dict):
        return _bad_request("请求体应为 JSON 对象：{account, title, text, links?, repost_source?}")
    key, title, text = data.get("account"), data.get("title"), data.get("text", "")
    links, source = data.get("links", []), data.get("repost_source")
    kind = data.get("kind") or ("repost" if source is not None else "original")
    if key not in world.accounts:
        return _bad_request(f"账号 {key!r} 不在模拟世界中")
    if not isinstance(title, str) or not title.strip() or not isinstance(text, str):
        return _bad_request("title 必须是非空字符串，text 必须是字符串")
    if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
        return _bad_request("links 必须是字符串数组")
    if source is not None and not isinstance(source, str):
        return _bad_request("repost_source 必须是字符串")
    try:
        post = world.publish(key, title=title, text=text, links=links, kind=kind, repost_source=source or "")
    except ValueError as error:
        return _bad_request(str(error))
    account = world.accounts[key]
    return web.json_response({"id": post.id, "url": _urls(request).article(account, post),
                              "published": post.published.isoformat()}, status=201)


async def _index(request: web.Request) -> web.Response:
    world, urls = _world(request), _urls(request)
    rows = "".join(f'<li><a href="{urls.abs(a.route.route.format(key=a.key))}">{a.name}（{a.route.names[0]}，{a.key}）'
                   f"</a></li>" for a in world.accounts.values())
    body = f'<main><h1>政务新媒体平台模拟器</h1><p><a href="/_manifest">/_manifest</a></p><ul>{rows}</ul></main>'
    return web.Response(text=body, content_type="text/html")


# -- running ------------------------------------------------------------------------------------


async def start(world: World, host: str = "127.0.0.1", port: int = 0,
                options: Options | None = None) -> tuple[web.AppRunner, str]:
    """Start serving on the running loop; returns the runner (to clean up) and the base URL."""
    options = options or Options()
    runner = web.AppRunner(make_app(world, options), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, host, port, backlog=2048).start()
    port = runner.addresses[0][1]
    for extra in options.link_hosts:
        await web.TCPSite(runner, extra, port, backlog=2048).start()
    return runner, f"http://{host}:{port}"


def start_in_thread(world: World, *, host: str = "127.0.0.1", port: int = 0,
                    options: Options | None = None) -> tuple[str, Callable[[], None]]:
    """Serve `world` from a background thread with its own event loop; returns (base_url, stop)."""
    loop = asyncio.new_event_loop()
    ready, box = threading.Event(), {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            box["runner"], box["url"] = loop.run_until_complete(start(world, host, port, options))
        except BaseException as error:  # handed to the caller, who sees why the server did not start
            box["error"] = error
            ready.set()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(box["runner"].cleanup())
        loop.close()

    thread = threading.Thread(target=run, name="govmedia-simulator", daemon=True)
    thread.start()
    ready.wait()
    if "error" in box:
        raise box["error"]

    def stop() -> None:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)

    return box["url"], stop


@contextlib.contextmanager
def serving(world: World, **kwargs) -> Iterator[str]:
    """`with serving(world, options=Options(latency_ms=20)) as base_url: ...`"""
    url, stop = start_in_thread(world, **kwargs)
    try:
        yield url
    finally:
        stop()


def start_in_process(*args: str) -> tuple[str, Callable[[], None]]:
    """Run `python -m govmedia.simulator --port 0 ARGS...` as a child process; returns (base_url, stop)."""
    process = subprocess.Popen([sys.executable, "-m", "govmedia.simulator", "--port", "0", *args],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith(BANNER):
        process.kill()
        raise RuntimeError(f"模拟器未能启动：{line.strip() or '进程已退出'}")

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()

    return line.split()[-1], stop


BANNER = "govmedia simulator serving on"
