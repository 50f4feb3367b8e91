"""A classification word written as a document header (at the start of a line or of the text, followed by
a space, ★, a period, a colon or the end of the line) is a secret marking even without ★ (issue 8)."""

import pytest

from govmedia.textcheck import Checker
from govmedia.textcheck.categories import SECRET_MARKING


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(spelling=False)


def markings(checker: Checker, text: str) -> list[tuple[str, int]]:
    return [(f.text, f.start) for f in checker.check(text) if f.category == SECRET_MARKING]


@pytest.mark.parametrize("text, word, start", [
    ("机密 关于做好2024年度安全生产检查工作的通知", "机密", 0),
    ("秘密．\n各街道办事处：", "秘密", 0),
    ("秘密。\n各街道办事处：", "秘密", 0),
    ("绝密\n关于调整防汛指挥部成员的通知", "绝密", 0),
    ("青岛西海岸新区应急管理局\n机密：关于开展隐患排查的通知", "机密", 13),
    ("　　内部 关于印发工作要点的通知", "内部", 2),
    ("内部资料\n2024年工作总结", "内部资料", 0),
])
def test_classification_word_heading_a_line_is_a_secret_marking(checker, text, word, start):
    assert (word, start) in markings(checker, text)


@pytest.mark.parametrize("text", [
    "全区各级机关要严格保守国家秘密，落实保密工作责任制。",
    "企业应当加强商业秘密保护，防止技术信息泄露。",
    "机密文件管理规定已于近日修订印发。",
    "秘密会议的说法不实，请以官方发布为准。",
    "内部控制制度建设持续加强。",
    "会议强调，要把机密、秘密事项分级管理。",
])
def test_classification_word_in_running_text_is_not(checker, text):
    assert markings(checker, text) == []


def test_the_marking_with_a_star_is_still_found_once(checker):
    assert markings(checker, "秘密★1年\n关于…的通知") == [("秘密★1年", 0)]


def test_a_header_deep_in_a_long_text_is_found_in_its_chunk(checker):
    text = "各单位：\n" + "请认真做好各项工作。\n" * 400 + "机密 附件一"
    chunked = Checker(spelling=False, chunk_size=500)
    found = markings(chunked, text)
    assert found == [("机密", len(text) - 6)] == markings(checker, text)


@pytest.mark.parametrize("text, word", [
    ("\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000绝密\n关于…的通知", "绝密"),
    ("## 秘密\n关于…的通知", "秘密"),
    ("〖机密〗\n关于…的通知", "机密"),
    ("秘 密\n关于…的通知", "秘 密"),
])
def test_a_decorated_or_centred_header_marking_is_a_secret_marking(checker, text, word):
    assert word in [w for w, _ in markings(checker, text)]


@pytest.mark.parametrize("text", [
    "秘密：如何守护你的个人信息？",
    "内部：强化管理，外部：优化服务。",
    "机密：一个关于数据安全的故事。",
])
def test_a_colon_heading_of_prose_is_not_a_secret_marking(checker, text):
    assert markings(checker, text) == []
