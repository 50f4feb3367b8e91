"""Weapon and ammunition words are prohibited only when offered for sale in the same sentence, a note in an
enforcement or warning sentence, and nothing in sports news or other plain mentions (issue 8, section 2)."""

import pytest

from govmedia.textcheck import Checker, Lexicon
from govmedia.textcheck.categories import (
    FINDING_CATEGORIES,
    PROHIBITED,
    PROHIBITED_CONTEXT,
    PROHIBITED_MENTION,
)
from govmedia.textcheck.lexicon import default_lexicons
from govmedia.textcheck.rules import describe_rule


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(spelling=False)


def found(checker: Checker, text: str) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in checker.check(text) if f.category in (PROHIBITED, PROHIBITED_MENTION)]


@pytest.mark.parametrize("text, word", [
    ("进口手枪一把售价2500元，可送货。", "手枪"),
    ("各型号猎枪现货，价格私聊。", "猎枪"),
    ("长期供应气枪配件和子弹，微信转账即可。", "子弹"),
    ("弹夹、消音器都有，联系电话13912345678。", "消音器"),
    ("本店出售弓弩，全国包邮。", "弓弩"),
])
def test_a_gun_offered_with_a_price_is_prohibited(checker, text, word):
    assert (PROHIBITED, word) in found(checker, text)


def test_the_finding_says_which_sale_cue_made_it_prohibited(checker):
    [finding] = [f for f in checker.check("进口手枪一把售价2500元。") if f.text == "手枪"]
    assert finding.category == PROHIBITED and "“手枪”与“售价”同句" in finding.explanation
    assert describe_rule(finding.rule, finding.category) == "枪支弹药用语（与出售、价格、联系交易同句）：手枪"


@pytest.mark.parametrize("text", [
    "民警在其车内查获手枪一支、子弹二十发。",
    "警方当场缴获气枪3支，犯罪嫌疑人已被刑事拘留。",
    "今年以来共收缴各类枪支46支、弹药1200余发。",
    "严禁非法制造、买卖、运输枪支弹药，发现线索请拨打110举报。",
])
def test_a_seized_gun_in_a_police_notice_is_only_a_note(checker, text):
    findings = found(checker, text)
    assert findings and all(category == PROHIBITED_MENTION for category, _ in findings)


def test_a_report_on_gun_trafficking_names_its_trade_and_is_only_a_note(checker):
    assert found(checker, "警方打掉一个制贩枪支的犯罪团伙，涉及生产、运输、销售等环节。") == [
        (PROHIBITED_MENTION, "枪支")]


def test_a_police_notice_about_a_gun_sold_for_a_price_is_still_only_a_note(checker):
    # The judicial cue decides before the price, as for every prohibited term.
    assert found(checker, "警方查获以每支3000元价格向他人贩卖手枪的犯罪嫌疑人。") == [(PROHIBITED_MENTION, "手枪")]


@pytest.mark.parametrize("text", [
    "在男子10米气手枪决赛中，我国选手以总成绩243.1环夺得金牌。",
    "女子25米运动手枪比赛奖金为5万元。",
    "射击队队员每天练习步枪据枪动作两个小时。",
    "汽车消声器维修，价格面议。",
    "根据《枪支管理法》，射击运动员使用的枪支由体育部门统一保管。",
])
def test_an_air_pistol_event_in_sports_news_is_not_flagged(checker, text):
    assert [word for category, word in found(checker, text) if category == PROHIBITED] == []


def test_a_weapon_word_alone_is_not_flagged(checker):
    assert found(checker, "他讲述了当年用猎枪守护林区的往事。") == []


# -- the lexicon category ----------------------------------------------------------------------------------


def test_prohibited_context_is_a_lexicon_category_not_a_finding_category():
    assert PROHIBITED_CONTEXT not in FINDING_CATEGORIES
    assert "default:prohibited_context.tsv" in {lex.name for lex in default_lexicons()}
    user = Lexicon.from_entries([(PROHIBITED_CONTEXT, "钢弩")])
    checker = Checker(user, defaults=False, spelling=False)
    assert found(checker, "钢弩出售，价格优惠。") == [(PROHIBITED, "钢弩")]
    assert found(checker, "钢弩") == []
    assert found(checker, "民警查获钢弩一把。") == [(PROHIBITED_MENTION, "钢弩")]
