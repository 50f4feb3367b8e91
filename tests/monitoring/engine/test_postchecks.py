"""The checks on one post: content findings with offsets into title + text, broken links, repost sources."""

import pytest

from govmedia.monitoring.engine.approved import ApprovedNames
from govmedia.monitoring.engine.postchecks import check_post, post_document
from govmedia.monitoring.engine.types import ORIGINAL, REPOST, FetchedPost, LinkVerdict
from govmedia.textcheck import Checker

APPROVED = ApprovedNames.from_names(["新华社", "人民日报", "新华网", "青岛发布"])


@pytest.fixture(scope="module")
def checker():
    return Checker()


def check(checker, post, verdicts=None):
    return check_post(post, checker=checker, verdicts=verdicts or {}, approved=APPROVED)


def test_a_clean_original_post_has_no_findings(checker):
    post = FetchedPost("1", title="区政府召开常务会议", text="会议研究部署冬季安全生产工作。",
                       links=["https://www.gov.cn/a"], kind=ORIGINAL)
    assert check(checker, post, {"https://www.gov.cn/a": LinkVerdict("https://www.gov.cn/a", "ok", 200)}) == []


def test_the_document_is_the_title_a_line_break_and_the_text():
    assert post_document(FetchedPost("1", title="标题", text="正文")) == "标题\n正文"


def test_a_typo_in_the_text_is_found_with_offsets_into_the_document_and_the_checkers_evidence(checker):
    post = FetchedPost("1", title="全区干部再接再厉", text="我们要在接再厉，迎难而上。")
    findings = check(checker, post)
    document = post_document(post)
    typo = [f for f in findings if f.text == "在接再厉"]
    assert len(typo) == 1
    f = typo[0]
    assert (f.code, f.category, f.severity, f.suggestion) == ("typo", "content", "medium", "再接再厉")
    assert document[f.start:f.end] == "在接再厉"
    assert f.start > len(post.title)
    assert f.lexicon_version and "再接再厉" in f.detail


def test_a_problem_in_the_title_is_found_at_its_place_in_the_title(checker):
    post = FetchedPost("1", title="加微信领取优惠券", text="详见正文。")
    ads = [f for f in check(checker, post) if f.code == "advertising"]
    assert [(f.text, f.start, f.end) for f in ads] == [("加微信", 0, 3), ("优惠券", 5, 8)]


def test_a_broken_link_gives_one_finding_with_url_status_and_verdict_label(checker):
    url = "https://www.example.gov.cn/gone"
    post = FetchedPost("1", title="通知", text=f"详见 {url}", links=[url, url])
    findings = check(checker, post, {url: LinkVerdict(url, "client_error", 404)})
    assert len(findings) == 1
    f = findings[0]
    assert (f.code, f.category, f.url, f.http_status, f.text) == ("broken_link", "links", url, 404, url)
    assert f.detail == f"链接不可用（客户端错误（4xx），HTTP 404）：{url}"
    assert post_document(post)[f.start:f.end] == url


def test_a_link_only_in_the_html_has_no_offsets(checker):
    url = "https://www.example.gov.cn/gone"
    post = FetchedPost("1", title="通知", text="详见原文", links=[url])
    [f] = check(checker, post, {url: LinkVerdict(url, "dns_failure")})
    assert (f.start, f.end) == (None, None)
    assert f.detail == f"链接不可用（域名解析失败）：{url}"


@pytest.mark.parametrize("verdict", ["ok", "redirect", "blocked"])
def test_working_redirected_and_unchecked_private_links_are_not_broken(checker, verdict):
    url = "https://www.example.gov.cn/page"
    assert check(checker, FetchedPost("1", links=[url]), {url: LinkVerdict(url, verdict)}) == []


def test_a_link_without_a_verdict_gives_no_finding(checker):
    assert check(checker, FetchedPost("1", links=["https://www.example.gov.cn/x"])) == []


@pytest.mark.parametrize("source", ["", "  "])
def test_a_repost_without_a_named_source_is_a_finding(checker, source):
    findings = check(checker, FetchedPost("1", title="转发", kind=REPOST, repost_source=source))
    assert [(f.code, f.category, f.detail) for f in findings] == [
        ("repost_without_source", "reposts", "转载信息未注明来源")]


def test_an_original_post_needs_no_source(checker):
    assert check(checker, FetchedPost("1", title="原创", kind=ORIGINAL)) == []


@pytest.mark.parametrize("source", ["新华社客户端", "人民日报微博", "来源：新华网", "青岛发布"])
def test_a_repost_from_an_approved_outlet_passes(checker, source):
    assert check(checker, FetchedPost("1", title="转发", kind=REPOST, repost_source=source)) == []


def test_a_repost_from_a_self_media_account_is_a_finding_naming_it(checker):
    findings = check(checker, FetchedPost("1", title="转发", kind=REPOST, repost_source="某某观察"))
    assert [(f.code, f.text, f.detail) for f in findings] == [
        ("repost_unapproved_source", "某某观察", "转载来源“某某观察”不在许可转载来源名单中")]
