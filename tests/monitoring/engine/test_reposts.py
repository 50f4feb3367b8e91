"""Required reposts: a post completes the task by linking to its notice or by carrying its title."""

import pytest

from govmedia.monitoring.engine.reposts import RepostTaskFacts, completion, normalize_url
from govmedia.monitoring.engine.types import FetchedPost

NOTICE = "https://mp.weixin.qq.com/s?__biz=MzA3&mid=2650&idx=1&sn=8f2a"
TASK = RepostTaskFacts(title="关于做好2026年冬季安全生产工作的通知", url=NOTICE, phrases=("冬季安全生产十条措施",))


@pytest.mark.parametrize("link", [
    NOTICE,
    "HTTPS://MP.WEIXIN.QQ.COM/s?__biz=MzA3&mid=2650&idx=1&sn=8f2a",
    "http://mp.weixin.qq.com/s?idx=1&sn=8f2a&__biz=MzA3&mid=2650",
    "https://mp.weixin.qq.com/s?__biz=MzA3&mid=2650&idx=1&sn=8f2a&chksm=abc&scene=21#wechat_redirect",
    "https://mp.weixin.qq.com:443/s/?__biz=MzA3&mid=2650&idx=1&sn=8f2a&utm_source=weibo",
])
def test_a_post_linking_to_the_notice_in_any_of_its_spellings_completes_the_task_by_link(link):
    post = FetchedPost("1", title="转发", text="请各单位认真学习。", links=[link])
    assert completion(TASK, post) == "link"


def test_a_link_written_out_in_the_text_counts_too():
    post = FetchedPost("1", text=f"原文链接：{NOTICE}&scene=1，请查阅。")
    assert completion(TASK, post) == "link"


def test_a_link_to_another_article_of_the_same_account_does_not_complete_it():
    other = "https://mp.weixin.qq.com/s?__biz=MzA3&mid=2650&idx=2&sn=77aa"
    assert completion(TASK, FetchedPost("1", title="转发", links=[other])) is None


def test_a_page_and_its_trailing_slash_and_fragment_are_the_same_page():
    assert normalize_url("https://www.Qingdao.gov.cn/zwgk/tz/#top") == normalize_url("http://www.qingdao.gov.cn/zwgk/tz")
    assert normalize_url("https://www.qingdao.gov.cn/zwgk/tz?id=1") != normalize_url("https://www.qingdao.gov.cn/zwgk/tz?id=2")
    assert normalize_url("https://www.qingdao.gov.cn:8443/a") != normalize_url("https://www.qingdao.gov.cn/a")


@pytest.mark.parametrize("title", [
    "【转发】关于做好2026年冬季安全生产工作的通知",
    "《关于做好 2026 年冬季安全生产工作的通知》",
    "转：关于做好２０２６年冬季安全生产工作的“通知”",
])
def test_a_post_carrying_the_task_title_with_other_punctuation_quotes_or_width_completes_it_by_title(title):
    assert completion(TASK, FetchedPost("1", title=title)) == "title"


def test_the_first_line_of_a_post_without_title_counts_as_its_title():
    post = FetchedPost("1", text="\n#转发#关于做好2026年冬季安全生产工作的通知\n各单位：……")
    assert completion(TASK, post) == "title"


def test_the_title_further_down_the_text_does_not_count():
    post = FetchedPost("1", title="今日要闻", text="一、天气\n二、关于做好2026年冬季安全生产工作的通知")
    assert completion(TASK, post) is None


def test_a_match_phrase_completes_the_task():
    assert completion(TASK, FetchedPost("1", title="图解：冬季安全生产十条措施")) == "title"


def test_a_very_short_phrase_is_not_used_as_it_would_match_unrelated_posts():
    task = RepostTaskFacts(title="关于做好2026年冬季安全生产工作的通知", phrases=("通知",))
    assert completion(task, FetchedPost("1", title="停水通知")) is None


def test_an_unrelated_post_does_not_complete_the_task():
    assert completion(TASK, FetchedPost("1", title="区政府召开常务会议", links=["https://www.gov.cn/"])) is None
