import time

import pytest

from govmedia.monitoring.engine.sanitize import html_to_text, read_content, sanitize_html

XSS = [
    '<script>alert("xss")</script>',
    '<img src="https://img.example.cn/a.jpg" onerror="alert(1)">',
    '<a href="javascript:alert(1)">点击查看</a>',
    '<a href="JaVaScRiPt:alert(1)">点击</a>',
    '<a href="&#106;avascript:alert(1)">点击</a>',
    '<p onclick="steal()" style="background:url(javascript:alert(1))">正文</p>',
    '<style>body{display:none}</style>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"><script>alert(2)</script></svg>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<form action="https://evil.example/"><input name="q"></form>',
    '<object data="https://evil.example/x.swf"></object>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_leave_nothing_executable(payload):
    clean = sanitize_html(f"<p>区政府召开常务会议</p>{payload}").lower()

    for danger in ("<script", "javascript:", "onerror", "onclick", "onload", "<style", "<iframe", "<svg", "data:",
                   "<form", "<object", "style="):
        assert danger not in clean


def test_article_markup_links_and_images_are_kept_with_a_safe_rel():
    clean = sanitize_html('<h2>一、工作目标</h2><p>详见<a href="https://www.gov.cn/zhengce/" target="_blank">'
                          '中国政府网</a></p><img src="https://img.example.cn/a.jpg" alt="会议现场"><table><tr><td>1</td>'
                          '</tr></table><blockquote>引文</blockquote>')

    assert "<h2>" in clean and "<table>" in clean and "<blockquote>" in clean
    assert '<a href="https://www.gov.cn/zhengce/" rel="noopener noreferrer">' in clean
    assert '<img src="https://img.example.cn/a.jpg" alt="会议现场">' in clean
    assert "target=" not in clean


def test_relative_urls_are_made_absolute_against_the_base_or_dropped():
    html = '<a href="/zwgk/tzgg/1.html">通知</a><img src="pic/2.jpg">'

    assert 'href="https://www.xihaian.gov.cn/zwgk/tzgg/1.html"' in sanitize_html(
        html, base_url="https://www.xihaian.gov.cn/news/index.html")
    assert 'src="https://www.xihaian.gov.cn/news/pic/2.jpg"' in sanitize_html(
        html, base_url="https://www.xihaian.gov.cn/news/index.html")
    assert "href" not in sanitize_html(html) and "src" not in sanitize_html(html)


def test_html_to_text_shows_blocks_on_their_own_lines_without_scripts():
    text = html_to_text("<h1>关于做好春节期间安全生产工作的通知</h1><p>各单位：</p><script>var a = 1;</script>"
                        "<p>请认真落实&nbsp;值班制度。</p>")

    assert text == "关于做好春节期间安全生产工作的通知\n各单位：\n请认真落实\xa0值班制度。"


def test_html_to_text_stays_fast_on_hostile_markup():
    hostile = "<div " + 'a="x" ' * 400_000 + ">" + "<b>" * 100_000

    started = time.perf_counter()
    html_to_text(hostile)

    assert time.perf_counter() - started < 3


def test_read_content_collects_outbound_links_once_without_the_posts_own_address():
    own = "https://mp.weixin.qq.com/s/AbCdEf"
    content = read_content(
        f'<p><a href="{own}">本文</a><a href="{own}#comment">评论</a><a href="https://www.gov.cn/a.html">国务院</a>'
        '<a href="https://www.gov.cn/a.html">再次</a><a href="mailto:ban@example.cn">邮箱</a>'
        '<a href="/rel/1.html">相对</a><img src="https://img.example.cn/1.jpg"><img src="https://img.example.cn/1.jpg">'
        '<video src="https://v.example.cn/1.mp4"></video></p>',
        base_url=own, own_url=own)

    assert content.links == ["https://www.gov.cn/a.html", "https://mp.weixin.qq.com/rel/1.html"]
    assert content.media == ["https://img.example.cn/1.jpg", "https://v.example.cn/1.mp4"]
    assert "国务院" in content.text
