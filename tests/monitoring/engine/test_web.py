from datetime import UTC, datetime

import pytest

from govmedia.monitoring.engine.types import BROKEN, NOT_MODIFIED, OK, REPOST
from govmedia.monitoring.engine.web import listing_links, read_site
from tests.monitoring.local_server import Reply

HTML = {"Content-Type": "text/html; charset=utf-8"}
NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)

ARTICLES = {
    "/xwzx/202603/t20260302_101.html": ("西海岸新区召开2026年安全生产工作会议", "2026-03-02 09:30",
                                        "3月2日上午，新区召开2026年安全生产工作会议，总结去年工作，部署今年重点任务。"
                                        "会议强调，要坚持人民至上、生命至上，压紧压实各方责任。"),
    "/xwzx/202603/t20260301_100.html": ("新区开展春季森林防火专项检查", "2026年03月01日 15:05",
                                        "近日，区应急管理局联合各镇街对重点林区开展春季森林防火专项检查，"
                                        "排查整改隐患12处。详见<a href='/zwgk/fire.html'>防火公告</a>。"),
    "/xwzx/202602/t20260227_099.html": ("国务院常务会议部署春耕生产", "2026-02-27",
                                        "国务院总理主持召开国务院常务会议，部署春耕生产工作。来源：新华社"),
}


FOLLOW_UP = ("下一步，各有关部门要进一步提高政治站位，细化工作措施，明确责任分工，加强督促检查，"
             "确保各项任务落到实处、取得实效，切实保障人民群众生命财产安全和社会大局稳定。")
CLOSING = ("各镇街、各部门要加强值班值守，严格落实领导带班和24小时值班制度，遇有重要情况及时报告，"
           "不得迟报、漏报、瞒报，确保信息畅通、处置高效。")


def _article(title: str, when: str, body: str) -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}_青岛西海岸新区</title></head><body>"
            "<div class='nav'><a href='/'>首页</a><a href='/xwzx/'>新闻中心</a></div>"
            f"<div class='article'><h1>{title}</h1><div class='info'>发布时间：{when}　来源：区融媒体中心</div>"
            f"<div class='content'><p>{body}</p><p>{FOLLOW_UP}</p><p>{CLOSING}</p></div></div>"
            "<div class='footer'>主办：青岛西海岸新区管委办公室</div></body></html>")


LISTING = ("<!DOCTYPE html><html><head><title>新闻中心_青岛西海岸新区</title></head><body>"
           "<div class='nav'><a href='/'>首页</a> <a href='/zwgk/index.html'>政务公开</a> "
           "<a href='/col/col1234/index.html'>专题</a></div><ul class='list'>"
           "<li><a href='/xwzx/202602/t20260227_099.html'>国务院常务会议部署春耕生产</a><span>2026-02-27</span></li>"
           "<li><a href='/xwzx/202603/t20260302_101.html'>西海岸新区召开2026年安全生产工作会议</a></li>"
           "<li><a href='/xwzx/202603/t20260301_100.html#top'>新区开展春季森林防火专项检查</a></li>"
           "<li><a href='https://www.shandong.gov.cn/art/2026/3/2/art_1_2.html'>省政府要闻</a></li>"
           "<li><a href='/xwzx/202603/P020260302_plan.pdf'>附件下载</a></li>"
           "</ul><div class='pages'><a href='/xwzx/index_1.html'>下一页</a><a href='/xwzx/?page=2'>2</a></div>"
           "</body></html>")


@pytest.fixture
def site(local_server):
    local_server.routes["/xwzx/"] = Reply(body=LISTING, headers={**HTML, "ETag": '"list-1"'})
    for path, parts in ARTICLES.items():
        local_server.routes[path] = Reply(body=_article(*parts), headers=HTML)
    return local_server


def _read(server, path="/xwzx/", **options):
    return read_site(server.url(path), allow_private=True, now=NOW, **options)


def test_a_listing_page_gives_its_own_articles_newest_first():
    links = listing_links(LISTING, "https://www.xihaian.gov.cn/xwzx/")

    assert links == ["https://www.xihaian.gov.cn/xwzx/202603/t20260302_101.html",
                     "https://www.xihaian.gov.cn/xwzx/202603/t20260301_100.html",
                     "https://www.xihaian.gov.cn/xwzx/202602/t20260227_099.html"]


def test_articles_are_read_with_title_publish_time_and_text(site):
    reading = _read(site)

    assert reading.status == OK and reading.etag == '"list-1"'
    meeting, fire, council = reading.posts
    assert meeting.post_id == meeting.url == site.url("/xwzx/202603/t20260302_101.html")
    assert meeting.title == "西海岸新区召开2026年安全生产工作会议"
    assert meeting.published == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 Beijing time
    assert "压紧压实各方责任" in meeting.text and "主办" not in meeting.text and "首页" not in meeting.text
    assert fire.published == datetime(2026, 3, 1, 7, 5, tzinfo=UTC)
    assert fire.links == [site.url("/zwgk/fire.html")]
    assert council.published == datetime(2026, 2, 26, 16, 0, tzinfo=UTC)  # a day without a time: its midnight
    assert (council.kind, council.repost_source) == (REPOST, "新华社")


def test_only_the_newest_few_are_fetched_and_known_ones_are_skipped(site):
    reading = _read(site, limit=2, skip={site.url("/xwzx/202603/t20260302_101.html")})

    assert [post.title for post in reading.posts] == ["新区开展春季森林防火专项检查"]
    fetched = [seen.path for seen in site.requests]
    assert fetched == ["/xwzx/", "/xwzx/202603/t20260301_100.html"]


def test_an_article_without_a_date_is_published_none(local_server):
    local_server.routes["/list.html"] = Reply(body="<html><body><a href='/content/1001.html'>通知</a></body></html>",
                                              headers=HTML)
    local_server.routes["/content/1001.html"] = Reply(
        body="<html><head><title>关于调整办事大厅工作时间的通知</title></head><body><h1>关于调整办事大厅工作时间的通知</h1>"
             "<p>自即日起，区政务服务大厅工作时间调整为每周一至周五上午9:00至下午5:00，周六上午照常办理部分业务。</p>"
             "</body></html>", headers=HTML)

    (post,) = _read(local_server, "/list.html").posts

    assert post.published is None and post.title == "关于调整办事大厅工作时间的通知"


def test_a_failing_article_is_skipped_and_noted_without_breaking_the_source(site):
    site.routes["/xwzx/202603/t20260301_100.html"] = Reply(404, "页面不存在")

    reading = _read(site)

    assert reading.status == OK and len(reading.posts) == 2
    assert "1 篇文章页读取失败" in reading.detail and "404" in reading.detail
    assert reading.etag == ""  # so that the next reading does not get a 304 and forget the failed article


def test_when_every_article_fails_the_source_is_broken(site):
    for path in ARTICLES:
        site.routes[path] = Reply(body="<html><head><title>安全验证</title></head><body>请完成滑块验证</body></html>",
                                  headers=HTML)

    reading = _read(site)

    assert (reading.status, reading.reason) == (BROKEN, "captcha")
    assert "3 篇文章页全部读取失败" in reading.detail


def test_a_failing_listing_breaks_the_source(site):
    site.routes["/xwzx/"] = Reply(502, "Bad Gateway")

    reading = _read(site)

    assert (reading.status, reading.reason, reading.http_status) == (BROKEN, "http_server_error", 502)


def test_a_listing_without_article_links_is_a_parse_error(local_server):
    local_server.routes["/app/"] = Reply(body="<html><body><div id='app'>加载中……</div></body></html>", headers=HTML)

    reading = _read(local_server, "/app/")

    assert (reading.status, reading.reason) == (BROKEN, "parse_error")


def test_an_unchanged_listing_is_not_modified(site):
    site.routes["/xwzx/"] = lambda seen: Reply(304) if seen.headers.get("if-none-match") == '"list-1"' else Reply(
        body=LISTING, headers=HTML)

    reading = _read(site, etag='"list-1"')

    assert reading.status == NOT_MODIFIED and len(site.requests) == 1


def test_a_sitemap_gives_same_host_articles_by_lastmod(site):
    site.routes["/sitemap.xml"] = Reply(body=f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{site.url("/xwzx/202602/t20260227_099.html")}</loc><lastmod>2026-02-27T10:00:00+08:00</lastmod></url>
<url><loc>{site.url("/xwzx/202603/t20260302_101.html")}</loc><lastmod>2026-03-02</lastmod></url>
<url><loc>https://elsewhere.example.cn/a/20260303.html</loc><lastmod>2026-03-03</lastmod></url>
<url><loc>{site.url("/xwzx/202603/t20260301_100.html")}</loc></url>
</urlset>""", headers={"Content-Type": "application/xml"})

    reading = _read(site, "/sitemap.xml", limit=2)

    assert [post.title for post in reading.posts] == ["西海岸新区召开2026年安全生产工作会议", "国务院常务会议部署春耕生产"]


def test_a_sitemap_index_is_followed_to_its_newest_sitemaps(site):
    site.routes["/sitemap_index.xml"] = Reply(body=f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{site.url("/sitemap-2026-03.xml")}</loc><lastmod>2026-03-02</lastmod></sitemap>
</sitemapindex>""", headers={"Content-Type": "application/xml"})
    site.routes["/sitemap-2026-03.xml"] = Reply(body=f"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{site.url("/xwzx/202603/t20260302_101.html")}</loc><lastmod>2026-03-02</lastmod></url>
</urlset>""", headers={"Content-Type": "application/xml"})

    (post,) = _read(site, "/sitemap_index.xml").posts

    assert post.title == "西海岸新区召开2026年安全生产工作会议"


def test_a_sitemap_index_whose_sitemaps_all_fail_breaks_the_source(local_server):
    local_server.routes["/sitemap_index.xml"] = Reply(body=f"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{local_server.url("/sitemap-1.xml")}</loc></sitemap></sitemapindex>""")

    reading = _read(local_server, "/sitemap_index.xml")

    assert (reading.status, reading.reason, reading.http_status) == (BROKEN, "http_client_error", 404)
