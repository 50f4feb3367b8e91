"""Approved repost sources: the shipped list and the loose but exact matching of the names reposts give."""

import pytest

from govmedia.monitoring.engine.approved import (
    ApprovedNames,
    Outlet,
    normalize_name,
    parse_outlets,
    shipped_outlets,
)

SHIPPED = ApprovedNames.from_outlets(shipped_outlets())


@pytest.mark.parametrize("name", [
    "新华社", "新华社客户端", "人民日报微博", "人民日报官方微博", "来源：新华网", "来源: 人民日报", "《求是》",
    "“人民日报”微信公众号", "新华社（记者 王某）", "新华社记者 张三、李四", "来源：新华社、人民日报", "ＣＣＴＶ",
    "央视新闻客户端", "央视新闻", "中国政府网", "学习强国", "中央纪委国家监委网站", "Source: China Daily",
    "转自 光明日报", "@青岛发布", "青岛日报 观海新闻", "大众日报客户端", "山东发布", "青岛新闻网",
    # as the feeds' repost detector hands them over
    "人民日报微信公众号", "人民日报客户端", "学习强国学习平台", "求是杂志2026年第5期", "Xinhua News Agency", "CCTV新闻",
    "山东省人民政府", "People’s Daily",
])
def test_names_of_shipped_outlets_in_the_forms_reposts_give_them_are_accepted(name):
    assert SHIPPED.match(name)


@pytest.mark.parametrize("name", [
    "某某观察", "新华日报", "大众点评", "青岛身边事", "西海岸生活圈", "人民日报、某某观察", "青岛日报 某某观察",
    "", "来源：", "  ", "网",
])
def test_self_media_other_outlets_and_empty_names_are_refused(name):
    assert not SHIPPED.match(name)


def test_matching_is_exact_after_normalising_not_a_substring_test():
    approved = ApprovedNames.from_names(["人民日报"])
    assert not approved.match("人民日报社区团购")
    assert not approved.match("人")


def test_normalising_folds_width_and_case_and_strips_channel_suffixes():
    assert normalize_name("ＣＣＴＶ新闻客户端") == "cctv新闻"
    assert normalize_name("新华网") == normalize_name("新华网官方微博") == "新华"


def test_the_shipped_list_holds_the_central_outlets_and_shandong_and_qingdao_ones():
    outlets = {outlet.name: outlet.level for outlet in shipped_outlets()}
    for name in ("新华社", "人民日报", "央视新闻", "中国政府网", "求是", "光明日报", "经济日报", "中国日报",
                 "中国新闻网", "中央纪委国家监委网站", "学习强国"):
        assert outlets[name] == "national"
    assert outlets["大众日报"] == outlets["山东发布"] == "provincial"
    assert outlets["青岛日报"] == outlets["青岛发布"] == outlets["青岛新闻网"] == "municipal"


def test_the_list_format_is_level_tab_name_tab_comma_separated_aliases():
    text = "# comment\n\nnational\t新华社\t新华网,新华社客户端\nmunicipal\t青岛发布\n"
    assert parse_outlets(text) == [Outlet("national", "新华社", ("新华网", "新华社客户端")),
                                   Outlet("municipal", "青岛发布")]


def test_a_line_with_an_unknown_level_is_refused_naming_the_line_and_value():
    with pytest.raises(ValueError, match="第 2 行级别“county”无效"):
        parse_outlets("national\t新华社\ncounty\t某县融媒\n")


def test_a_line_without_a_tab_is_refused_naming_the_line():
    with pytest.raises(ValueError, match="第 1 行格式错误"):
        parse_outlets("national 新华社\n")


def test_no_two_shipped_outlets_claim_the_same_name_once_normalised():
    owner: dict[str, str] = {}
    for outlet in shipped_outlets():
        for name in outlet.names():
            key = normalize_name(name)
            assert key, name
            assert owner.setdefault(key, outlet.name) == outlet.name, f"{name}: {owner[key]} / {outlet.name}"
