"""Reposts: which posts are reposts and what they name; a post completing a repost task by link or title."""

import pytest

from govmedia.monitoring.engine.reposts import RepostTaskFacts, completion, detect, normalize_source, page_key
from govmedia.monitoring.engine.types import ORIGINAL, REPOST, FetchedPost

NOTICE = "https://mp.weixin.qq.com/s?__biz=MzA3&mid=2650&idx=1&sn=8f2a"
TASK = RepostTaskFacts(title="关于做好2026年冬季安全生产工作的通知", url=NOTICE, phrases=("冬季安全生产十条措施",))


@pytest.mark.parametrize(("text", "source"), [
    ("各地教育部门要做好开学准备工作。\n来源：新华社", "新华社"),
    ("春季防火知识问答（来源：人民网）", "人民网"),
    ("【来源：中国政府网】国务院常务会议部署春耕生产", "中国政府网"),
    ("信息来源：山东省人民政府 编辑：张三", "山东省人民政府"),
    ("来源丨青岛日报", "青岛日报"),
    ("来源：新华社 记者：王五 摄", "新华社"),
    ("来源：人民日报微信公众号（ID：rmrbwx）", "人民日报微信公众号"),
    ("本文转自人民日报客户端。", "人民日报客户端"),
    ("转载自“学习强国”学习平台", "学习强国学习平台"),
    ("摘自《求是》杂志2026年第5期", "求是杂志2026年第5期"),
    ("Source: Xinhua News Agency, March 2", "Xinhua News Agency"),
    ("来源：ＣＣＴＶ新闻", "CCTV新闻"),
])
def test_a_post_naming_its_source_is_a_repost_of_that_outlet(text, source):
    assert detect(title="", text=text) == (REPOST, source)


@pytest.mark.parametrize("text", [
    "转发微博",
    "【转载】关于做好春耕备耕工作的通知",
    "转载：全国两会新闻中心举行记者会",
    "转发｜一图读懂政府工作报告",
])
def test_a_post_calling_itself_a_repost_without_a_source_is_a_repost_naming_none(text):
    assert detect(title="", text=text) == (REPOST, "")


@pytest.mark.parametrize("text", [
    "欢迎转发，让更多人知晓！",
    "原创内容，转载请注明出处。",
    "本项目资金来源：区级财政资金。",
    "数据来源：国家统计局。图片来源：视觉中国",
    "新设备投用后运转自如，群众办事更便捷。",
    "区政府召开常务会议，研究部署春季森林防火工作。",
])
def test_sharing_invitations_and_other_kinds_of_source_are_not_reposts(text):
    assert detect(title="", text=text) == (ORIGINAL, "")


def test_a_weibo_chain_names_the_account_nearest_the_original():
    assert detect(title="", text="转发理由：学习了//@青岛发布:权威发布//@山东发布:【速看】新规来了") == (REPOST, "山东发布")


def test_a_quoted_weibo_names_its_author_before_anything_in_the_text():
    html = ('<p>认真学习//@青岛发布:好</p><blockquote> - 转发 <a href="https://weibo.com/2803301701" '
            'rel="noopener noreferrer"><strong>@人民日报</strong></a>: 来源：央视新闻</blockquote>')

    assert detect(title="", text="", html=html) == (REPOST, "人民日报")


def test_a_quoted_weibo_that_was_deleted_is_a_repost_naming_none():
    html = '<blockquote> - 转发 <a href="https://weibo.com/sorry">@[原微博不可访问]</a>: </blockquote>'

    assert detect(title="", text="", html=html) == (REPOST, "")


def test_the_title_is_read_too():
    assert detect(title="转自新华网｜春运返程客流高峰到来", text="正文") == (REPOST, "新华网")


def test_a_source_name_is_normalized_and_bounded():
    assert normalize_source("  《人民日报》  ") == "人民日报"
    assert len(normalize_source("很" * 100)) == 40


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
    assert page_key("https://www.Qingdao.gov.cn/zwgk/tz/#top") == page_key("http://www.qingdao.gov.cn/zwgk/tz")
    assert page_key("https://www.qingdao.gov.cn/zwgk/tz?id=1") != page_key("https://www.qingdao.gov.cn/zwgk/tz?id=2")
    assert page_key("https://www.qingdao.gov.cn:8443/a") != page_key("https://www.qingdao.gov.cn/a")


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
