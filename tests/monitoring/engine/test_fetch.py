import gzip
import socket

import pytest

from govmedia.monitoring.engine import netguard
from govmedia.monitoring.engine.fetch import Fetcher, FetchResponse, fetch
from govmedia.monitoring.engine.types import BROKEN, BROKEN_REASONS, NOT_MODIFIED
from tests.monitoring.local_server import Reply

HTML = {"Content-Type": "text/html; charset=utf-8"}
ARTICLE = ("<html><head><title>区应急管理局开展春季森林防火专项检查</title></head><body><h1>区应急管理局开展春季森林防火专项检查"
           "</h1><p>3月2日，区应急管理局组织执法人员深入各镇街林区，对防火检查站、扑火物资储备和值班值守情况开展专项检查，"
           "要求各单位压实责任、严防死守，确保全区森林资源安全。</p></body></html>")


def _broken(reading, reason):
    assert reading.status == BROKEN, reading
    assert reading.reason == reason, reading
    assert reason in BROKEN_REASONS
    assert reading.detail
    return reading


def test_a_page_is_fetched_once_with_a_browser_like_user_agent_naming_govmedia(local_server):
    local_server.routes["/news/1.html"] = Reply(body=ARTICLE, headers=HTML)

    answer = fetch(local_server.url("/news/1.html"), allow_private=True)

    assert isinstance(answer, FetchResponse)
    assert answer.status == 200 and "森林防火" in answer.text
    (seen,) = local_server.requests
    assert seen.headers["user-agent"].startswith("Mozilla/5.0") and "govmedia" in seen.headers["user-agent"]
    assert "if-none-match" not in seen.headers


def test_loopback_is_refused_without_allow_private_and_never_contacted(local_server):
    local_server.routes["/feed"] = Reply(body=ARTICLE, headers=HTML)

    reading = _broken(fetch(local_server.url("/feed")), "blocked_address")

    assert "127.0.0.1" in reading.detail
    assert local_server.requests == []


def test_a_redirect_from_a_public_host_to_loopback_is_refused_at_the_hop(local_server, monkeypatch):
    # Let 127.0.0.1 pass as the "public" host; the redirect points at 127.0.0.2, which stays internal.
    internal = netguard._is_internal
    monkeypatch.setattr(netguard, "_is_internal", lambda address: str(address) != "127.0.0.1" and internal(address))
    local_server.routes["/go"] = Reply(302, headers={"Location": f"http://127.0.0.2:{local_server.port}/admin"})

    reading = _broken(fetch(local_server.url("/go")), "blocked_address")

    assert "127.0.0.2" in reading.detail
    assert [seen.path for seen in local_server.requests] == ["/go"]


def test_a_name_that_resolves_to_loopback_at_connection_time_is_refused(local_server, monkeypatch):
    # DNS rebinding: public when checked, loopback a moment later when connecting.
    answers = iter([["203.0.113.7"], ["127.0.0.1"]])
    monkeypatch.setattr(netguard, "resolve", lambda host, port: next(answers))

    reading = _broken(fetch(f"http://rebind.example:{local_server.port}/"), "blocked_address")

    assert "rebind.example" in reading.detail
    assert local_server.requests == []


def test_redirects_are_followed_and_the_final_address_is_reported(local_server):
    local_server.routes["/old"] = Reply(301, headers={"Location": "/new"})
    local_server.routes["/new"] = Reply(302, headers={"Location": local_server.url("/final.html")})
    local_server.routes["/final.html"] = Reply(body=ARTICLE, headers=HTML)

    answer = fetch(local_server.url("/old"), allow_private=True)

    assert isinstance(answer, FetchResponse)
    assert answer.url == local_server.url("/final.html")


def test_more_than_five_redirects_is_too_many_redirects(local_server):
    for hop in range(7):
        local_server.routes[f"/r{hop}"] = Reply(302, headers={"Location": f"/r{hop + 1}"})

    _broken(fetch(local_server.url("/r0"), allow_private=True), "too_many_redirects")

    assert len(local_server.requests) == 6


def test_a_conditional_request_answered_304_is_not_modified(local_server):
    etag, modified = '"v42"', "Mon, 02 Mar 2026 02:00:00 GMT"
    local_server.routes["/feed"] = lambda seen: (
        Reply(304, headers={"ETag": etag}) if seen.headers.get("if-none-match") == etag
        else Reply(body=ARTICLE, headers={**HTML, "ETag": etag, "Last-Modified": modified}))

    first = fetch(local_server.url("/feed"), allow_private=True)
    again = fetch(local_server.url("/feed"), etag=first.etag, last_modified=first.last_modified, allow_private=True)

    assert (first.etag, first.last_modified) == (etag, modified)
    assert again.status == NOT_MODIFIED and again.http_status == 304 and again.etag == etag
    assert local_server.requests[1].headers["if-modified-since"] == modified


@pytest.mark.parametrize(("status", "reason"), [
    (404, "http_client_error"), (403, "http_client_error"), (500, "http_server_error"),
    (503, "http_server_error"), (432, "cookies_expired"), (418, "rate_limited"), (429, "rate_limited"),
])
def test_an_error_status_is_broken_with_its_reason(local_server, status, reason):
    local_server.routes["/weibo/user/1"] = Reply(status, "<html><body>出错了</body></html>", HTML)

    reading = _broken(fetch(local_server.url("/weibo/user/1"), allow_private=True), reason)

    assert reading.http_status == status
    assert f"HTTP {status}" in reading.detail


def test_rate_limiting_names_the_retry_after_the_server_asked_for(local_server):
    local_server.routes["/f"] = Reply(429, "Too Many Requests", {"Retry-After": "120"})

    assert "120" in _broken(fetch(local_server.url("/f"), allow_private=True), "rate_limited").detail


def test_an_rsshub_error_page_reporting_weibo_432_is_cookies_expired(local_server):
    page = ('<html><body><h1>Looks like something went wrong</h1><p class="message">Error Message:<br/>'
            '<code class="mt-2 block details">FetchError: [GET] "https://m.weibo.cn/api/container/getIndex": '
            '432 </code></p></body></html>')
    local_server.routes["/weibo/user/2803301701"] = Reply(503, page, HTML)

    reading = _broken(fetch(local_server.url("/weibo/user/2803301701"), allow_private=True), "cookies_expired")

    assert "m.weibo.cn" in reading.detail and reading.http_status == 503


def test_a_body_over_the_cap_is_too_large_and_the_rest_is_never_read(local_server):
    size = 20 * 1024 * 1024
    local_server.routes["/huge"] = Reply(body=b"<rss>" + b" " * size, content_length=False,
                                         headers={"Content-Type": "application/rss+xml"})

    reading = _broken(fetch(local_server.url("/huge"), allow_private=True, max_bytes=256 * 1024), "too_large")

    (seen,) = local_server.requests
    assert seen.finished.wait(5)
    assert not seen.complete and seen.sent < size
    assert "上限" in reading.detail


def test_a_declared_length_over_the_cap_is_refused_before_reading(local_server):
    local_server.routes["/big"] = Reply(body=b"x" * 300_000, headers={"Content-Type": "text/plain"})

    reading = _broken(fetch(local_server.url("/big"), allow_private=True, max_bytes=100_000), "too_large")

    assert "300000" in reading.detail


def test_a_gzip_bomb_is_stopped_at_the_cap_on_the_decompressed_size(local_server):
    bomb = gzip.compress(b"\0" * (16 * 1024 * 1024))  # about 16 KB on the wire
    local_server.routes["/bomb"] = Reply(body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/xml"})

    _broken(fetch(local_server.url("/bomb"), allow_private=True, max_bytes=1024 * 1024), "too_large")


def test_a_gzip_body_is_decompressed(local_server):
    local_server.routes["/gz"] = Reply(body=gzip.compress(ARTICLE.encode()), headers={**HTML, "Content-Encoding": "gzip"})

    answer = fetch(local_server.url("/gz"), allow_private=True)

    assert answer.text == ARTICLE
    assert local_server.requests[0].headers["accept-encoding"] == "gzip"


def test_a_server_that_does_not_answer_in_time_is_a_timeout(local_server):
    local_server.routes["/slow"] = Reply(body=ARTICLE, headers=HTML, delay=2.0)

    _broken(fetch(local_server.url("/slow"), allow_private=True, timeout=0.2), "timeout")


def test_a_server_dripping_its_body_stops_at_the_deadline(local_server):
    local_server.routes["/drip"] = Reply(body=ARTICLE.encode() * 40, headers=HTML, chunk_size=50, chunk_delay=0.05)

    reading = _broken(fetch(local_server.url("/drip"), allow_private=True, deadline=0.3), "timeout")

    assert "0.3" in reading.detail


def test_an_unresolvable_name_is_a_dns_failure():
    _broken(fetch("http://gov-media-no-such-host.invalid/feed", allow_private=True), "dns_failure")


def test_tls_to_a_server_that_does_not_speak_it_is_a_tls_error(local_server):
    _broken(fetch(f"https://127.0.0.1:{local_server.port}/", allow_private=True), "tls_error")


def test_a_closed_port_is_a_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert "拒绝连接" in _broken(fetch(f"http://127.0.0.1:{port}/", allow_private=True), "connection_error").detail


def test_a_non_web_scheme_is_refused():
    _broken(fetch("file:///etc/passwd", allow_private=True), "blocked_address")


DOUYIN_WAF = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title></title></head><body>'
              '<script src="https://lf-cdn-tos.bytescm.com/obj/static/byted_acrawler/sdk.js"></script>'
              '<script>window._wafchallengeid="eyJ2IjoxfQ==";</script></body></html>')
SLIDER = ('<html><head><title>安全验证</title></head><body><div id="captcha_container">'
          '<p>请拖动下方滑块完成拼图</p></div></body></html>')
TEXT_CAPTCHA = '<html><head><title>访问提示</title></head><body><p>请输入验证码后继续访问</p><img src="/code.jpg"></body></html>'
LOGIN_TITLE = ('<html><head><title>用户登录 - 政务服务网</title></head><body><form><input name="u">'
               '<input type="password" name="p"><button>登录</button></form></body></html>')
LOGIN_FORM = ('<html><head><title>新浪通行证</title></head><body><form action="/sso/login"><p>账号</p><input name="u">'
              '<input type="password" name="p"></form></body></html>')


@pytest.mark.parametrize(("page", "reason"), [
    (DOUYIN_WAF, "captcha"), (SLIDER, "captcha"), (TEXT_CAPTCHA, "captcha"),
    (LOGIN_TITLE, "login_page"), (LOGIN_FORM, "login_page"),
    ("", "empty"), ("  \n ", "empty"),
    ("<html><head><title>抖音</title></head><body><div id='root'></div><script>render()</script></body></html>", "empty"),
])
def test_a_page_that_is_a_captcha_a_login_form_or_blank_is_broken(local_server, page, reason):
    local_server.routes["/douyin/user/MS4wLjAB"] = Reply(body=page, headers=HTML)

    reading = _broken(fetch(local_server.url("/douyin/user/MS4wLjAB"), allow_private=True), reason)

    assert reading.http_status == 200


def test_an_article_warning_of_captcha_fraud_is_content_not_a_captcha_page(local_server):
    warning = ("<html><head><title>警惕！冒充客服索要验证码的新型诈骗_区公安分局</title></head><body><p>"
               + "近期，我区发生多起冒充电商客服、以退款为由索要短信验证码的诈骗案件。" * 20
               + "</p><p>请登录官方平台核实，切勿向陌生人透露验证码。</p></body></html>")
    local_server.routes["/art/1.html"] = Reply(body=warning, headers=HTML)

    assert isinstance(fetch(local_server.url("/art/1.html"), allow_private=True), FetchResponse)


def test_a_short_notice_about_sms_codes_is_content_not_a_captcha_page(local_server):
    notice = ("<html><head><title>关于启用短信验证码登录政务服务网的通知</title></head><body><p>自3月10日起，"
              "政务服务网启用短信验证码登录，请提前核实预留手机号码。</p></body></html>")
    local_server.routes["/tz/2.html"] = Reply(body=notice, headers=HTML)

    assert isinstance(fetch(local_server.url("/tz/2.html"), allow_private=True), FetchResponse)


def test_a_gbk_page_without_a_declared_charset_is_decoded(local_server):
    local_server.routes["/gbk"] = Reply(body=ARTICLE.encode("gbk"), headers={"Content-Type": "text/html"})

    assert "区应急管理局" in fetch(local_server.url("/gbk"), allow_private=True).text


def test_one_fetcher_reuses_its_connection_for_several_pages(local_server):
    local_server.routes["/a.html"] = Reply(body=ARTICLE, headers=HTML)
    local_server.routes["/b.html"] = Reply(body=ARTICLE, headers=HTML)

    with Fetcher(allow_private=True) as fetcher:
        answers = [fetcher.fetch(local_server.url(path)) for path in ("/a.html", "/b.html")]

    assert all(isinstance(answer, FetchResponse) for answer in answers)
    first, second = local_server.requests
    assert first.peer == second.peer


def test_a_chain_of_slow_redirects_stops_at_the_deadline(local_server):
    for hop in range(5):
        local_server.routes[f"/hop{hop}"] = Reply(302, headers={"Location": f"/hop{hop + 1}"}, delay=0.15)
    local_server.routes["/hop5"] = Reply(body=ARTICLE, headers=HTML)

    _broken(fetch(local_server.url("/hop0"), allow_private=True, deadline=0.4), "timeout")

    assert len(local_server.requests) < 5
