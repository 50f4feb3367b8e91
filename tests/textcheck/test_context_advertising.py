"""Advertising-law superlatives (极限词) are advertising only next to a commercial cue in the same sentence;
zone names, official titles and rankings the government reports stay quiet (issue 8, section 2)."""

import pytest

from govmedia.textcheck import Checker, Lexicon
from govmedia.textcheck.categories import ADVERTISING, ADVERTISING_CONTEXT, FINDING_CATEGORIES
from govmedia.textcheck.lexicon import LexiconError, default_lexicons
from govmedia.textcheck.rules import describe_rule


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(spelling=False)


def ads(checker: Checker, text: str) -> list[str]:
    return [f.text for f in checker.check(text) if f.category == ADVERTISING]


# -- advertising ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, word", [
    ("本店茶叶品质最佳，现价仅需68元。", "最佳"),
    ("国家级品质的养生酒，咨询热线4006668888。", "国家级"),
    ("这款面霜是同类产品中的顶级之选。", "顶级"),
    ("全网首发新款手机，预约即可抢购。", "全网首发"),
    ("销量第一的品牌，买到就是赚到。", "销量第一"),
    ("祖传秘方，药到病除，扫码购买。", "药到病除"),
])
def test_superlative_next_to_a_price_is_advertising(checker, text, word):
    assert word in ads(checker, text)


def test_the_finding_says_which_cue_made_it_advertising(checker):
    [finding] = [f for f in checker.check("本店茶叶品质最佳，欢迎品尝。") if f.text == "最佳"]
    assert finding.category == ADVERTISING and "“最佳”与“本店”同句" in finding.explanation
    assert describe_rule(finding.rule, finding.category) == "广告法绝对化用语（与商业线索同句）：最佳"


# -- quiet --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "青岛西海岸新区是国务院批复的第九个国家级新区，吸引了一批知名品牌企业落户。",
    "区内现有国家级经济技术开发区、国家级高新技术产业开发区等功能区，带动产品出口增长。",
    "我区获评国家级农产品质量安全县，特色产品品牌价值持续提升。",
    "张师傅被认定为国家级非遗代表性传承人，他制作的剪纸产品远销海外。",
])
def test_national_level_zone_name_is_not_advertising(checker, text):
    assert ads(checker, text) == []


@pytest.mark.parametrize("text", [
    "区委组织部选派52名第一书记驻村帮扶，帮助村里的农产品打开销路。",
    "2023年我区港口货物吞吐量位居全国第一，全省唯一入选的品牌建设试点落户我区。",
    "全国首个海洋装备产业集群在我区落地，区内品牌企业达到120家。",
])
def test_official_titles_and_government_rankings_are_not_advertising(checker, text):
    assert ads(checker, text) == []


@pytest.mark.parametrize("text", [
    "打造最佳营商环境，推动高质量发展。",
    "我区始终坚持以人民为中心，努力办好每一件民生实事，让群众享受最佳服务。",
    "这是全区前所未有的一次应急演练。",
])
def test_superlative_without_a_commercial_cue_is_not_a_finding(checker, text):
    assert checker.check(text) == []


def test_a_level_word_before_a_product_quality_is_still_a_claim(checker):
    assert ads(checker, "国家级品质的茶叶，产品直供。") == ["国家级"]


def test_a_cue_inside_a_government_phrase_does_not_count(checker):
    assert ads(checker, "落实税收优惠政策，打造最佳营商环境。") == []
    assert ads(checker, "限时优惠，最佳口感。") == ["限时优惠", "最佳"]


def test_a_sentence_about_illegal_advertising_quotes_the_words(checker):
    text = "区市场监管局查处一起在产品宣传中使用“国家级”“最佳”等绝对化用语的违法广告。"
    assert ads(checker, text) == []


def test_the_cue_must_stand_in_the_same_sentence(checker):
    assert ads(checker, "品质最佳。本店地址在长江路。") == []
    assert ads(checker, "品质最佳，本店地址在长江路。") == ["最佳"]


def test_unambiguous_commercial_phrases_stay_unconditional(checker):
    assert ads(checker, "限时抢购") == ["限时抢购"]
    assert ads(checker, "全网最低") == ["全网最低"]


# -- the lexicon category ----------------------------------------------------------------------------------


def test_advertising_context_is_a_lexicon_category_not_a_finding_category():
    assert ADVERTISING_CONTEXT not in FINDING_CATEGORIES
    names = {lex.name for lex in default_lexicons()}
    assert "default:advertising_context.tsv" in names
    user = Lexicon.from_entries([(ADVERTISING_CONTEXT, "超值之选")])
    checker = Checker(user, defaults=False, spelling=False)
    assert [(f.category, f.text) for f in checker.check("超值之选，欢迎购买。")] == [(ADVERTISING, "超值之选")]
    assert checker.check("超值之选") == []


def test_prohibited_mention_cannot_be_listed_in_a_lexicon():
    with pytest.raises(LexiconError):
        Lexicon.from_entries([("prohibited_mention", "冰毒")])


def test_real_estate_is_a_commercial_cue(checker):
    assert ads(checker, "首批房源完美售罄，升值潜力巨大。") == ["完美", "升值潜力"]
    assert ads(checker, "严禁商铺售后返租，违者依法查处。") == []


def test_a_superlative_that_names_a_product_is_always_advertising(checker):
    assert ads(checker, "中式面馆第一品牌") == ["第一品牌"]


@pytest.mark.parametrize("text", [
    "我县茶叶企业荣获“中国驰名商标”，产品畅销全国。",
    "该品牌被认定为国家级龙头企业，产品远销海外。",
    "我市组织企业参加世界级博览会，推介本地产品。",
])
def test_an_award_or_a_fair_named_next_to_products_is_not_advertising(checker, text):
    assert ads(checker, text) == []


def test_a_claimed_title_in_an_offer_is_still_advertising(checker):
    assert ads(checker, "中国驰名商标，欢迎选购，全场包邮。") != []


@pytest.mark.parametrize("text", [
    "反诈宣传周，全场八折，欢迎选购。",
    "诈骗分子不敢卖的好货，原价599元，加微信abcd1234。",
])
def test_a_scam_word_does_not_silence_an_ad_that_sells(checker, text):
    assert ads(checker, text) != []
