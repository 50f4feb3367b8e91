"""A prohibited term in an enforcement, court or warning sentence is only a note (issue 8, section 2);
offered for sale it stays prohibited, whatever police word stands next to it."""

import pytest

from govmedia.textcheck import Checker
from govmedia.textcheck.categories import INFO, PROHIBITED, PROHIBITED_MENTION, SEVERITY
from govmedia.textcheck.context import REACH
from govmedia.textcheck.rules import describe_rule


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(spelling=False)


def found(checker: Checker, text: str, *categories: str) -> list[tuple[str, str]]:
    wanted = set(categories or (PROHIBITED, PROHIBITED_MENTION))
    return [(f.category, f.text) for f in checker.check(text) if f.category in wanted]


# -- notes ------------------------------------------------------------------------------------------------


def test_drug_name_in_a_seizure_notice_is_only_a_note(checker):
    text = "近日，黄岛公安分局禁毒大队在辖区开展清查行动，当场查获冰毒12.5克、海洛因3.2克，抓获犯罪嫌疑人2名。"
    assert found(checker, text) == [(PROHIBITED_MENTION, "冰毒"), (PROHIBITED_MENTION, "海洛因")]


def test_a_note_is_informational_and_names_its_cue(checker):
    [finding] = checker.check("民警在其住处缴获摇头丸16粒。")
    assert finding.category == PROHIBITED_MENTION and finding.severity == INFO == SEVERITY[PROHIBITED_MENTION]
    assert "“缴获”" in finding.explanation and "仅作提示" in finding.explanation
    assert finding.rule == "lex:prohibited:摇头丸"  # the lexicon entry behind it stays on record
    assert describe_rule(finding.rule, finding.category) == "违法有害信息词库：摇头丸（执法或警示语境，仅作提示）"


@pytest.mark.parametrize("text, term", [
    ("灵山卫派出所民警在一出租屋内缴获大麻油2瓶，犯罪嫌疑人李某已被依法刑事拘留。", "大麻油"),
    ("经审理，区人民法院以贩卖毒品罪判处被告人王某有期徒刑七年，并处罚金人民币二万元。", "贩卖毒品"),
    ("被告人张某多次通过网络出售公民个人信息，以侵犯公民个人信息罪被判处有期徒刑三年。", "出售公民个人信息"),
    ("区公安分局深入开展打击整治跨境赌博专项行动。", "跨境赌博"),
    ("公安机关依法查处卖淫违法行为。", "卖淫"),
    ("6月26日国际禁毒日，区禁毒办开展宣传活动，向市民展示笑气等毒品仿真样品。", "笑气"),
    ("区禁毒委员会提醒：罂粟属于毒品原植物，严禁非法种植。", "罂粟"),
    ("根据规定，严禁向未成年人出售管制刀具。", "出售管制刀具"),
])
def test_enforcement_court_and_anti_drug_sentences_make_a_note(checker, text, term):
    assert found(checker, text) == [(PROHIBITED_MENTION, term)]


@pytest.mark.parametrize("text, terms", [
    ("反诈中心提醒：凡是让你先垫付资金的兼职刷单都是诈骗，切勿轻信。", ["兼职刷单"]),
    ("接到自称客服的电话，要求你出售银行卡、收购电话卡的，一律是诈骗，请立即拨打96110咨询。",
     ["出售银行卡", "收购电话卡"]),
    ("不法分子往往以高额返水为诱饵，诱骗群众加QQ群参与网络赌博。", ["高额返水", "网络赌博"]),
])
def test_an_anti_fraud_warning_is_a_note_even_when_it_describes_the_scams_contact_details(checker, text,
                                                                                          terms):
    assert found(checker, text) == [(PROHIBITED_MENTION, term) for term in terms]


# -- still prohibited -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, term", [
    ("冰毒现货，价格美丽，民警来了也不怕，加微信bd20240。", "冰毒"),
    ("出售K粉，不怕警方查获，同城可送，私聊。", "K粉"),
    ("警方打击也没用，海洛因有货，需要的私聊。", "海洛因"),
])
def test_drug_offered_for_sale_next_to_a_police_word_stays_prohibited(checker, text, term):
    assert found(checker, text) == [(PROHIBITED, term)]


def test_a_selling_word_outside_the_term_outweighs_a_mere_warning_word(checker):
    assert found(checker, "远离烦恼，摇头丸低调出售。") == [(PROHIBITED, "摇头丸")]
    assert found(checker, "远离烦恼，摇头丸快乐无限。") == [(PROHIBITED_MENTION, "摇头丸")]


def test_a_prohibited_term_with_no_cue_stays_prohibited(checker):
    assert found(checker, "有冰毒需要的私聊，安全可靠。") == [(PROHIBITED, "冰毒")]
    assert found(checker, "网上流传雪山狮子旗图片。") == [(PROHIBITED, "雪山狮子旗")]


def test_the_context_is_the_sentence_a_cue_in_the_previous_sentence_does_not_count(checker):
    assert found(checker, "民警查获一批赃物。谁要冰毒") == [(PROHIBITED, "冰毒")]
    assert found(checker, "民警查获一批赃物\n谁要冰毒") == [(PROHIBITED, "冰毒")]
    assert found(checker, "谁要冰毒！民警查获") == [(PROHIBITED, "冰毒")]
    assert found(checker, "民警查获一批赃物，谁要冰毒") == [(PROHIBITED_MENTION, "冰毒")]


def test_the_context_reaches_at_most_reach_characters_within_a_long_sentence(checker):
    filler = "，" + "各" * (REACH + 5)
    assert found(checker, "民警查获" + filler + "冰毒") == [(PROHIBITED, "冰毒")]
    assert found(checker, "民警查获" + "，" * (REACH - 8) + "冰毒") == [(PROHIBITED_MENTION, "冰毒")]


def test_a_disguised_term_is_never_downgraded(checker):
    assert found(checker, "民警查获冰-毒若干") == [(PROHIBITED, "冰-毒")]


def test_offsets_stay_exact_and_chunked_checking_agrees(checker):
    text = ("区公安分局通报：" + "本周全区治安形势平稳。" * 30 + "民警在检查中当场查获冰毒5克，抓获犯罪嫌疑人1名。"
            + "谁要冰毒\n") * 3
    whole = checker.check(text)
    chunked = Checker(spelling=False, chunk_size=97).check(text)
    assert [(f.category, f.start, f.end) for f in whole] == [(f.category, f.start, f.end) for f in chunked]
    assert all(text[f.start:f.end] == f.text for f in whole)
    assert [f.category for f in whole if f.text == "冰毒"] == [PROHIBITED_MENTION, PROHIBITED] * 3


def test_an_allow_phrase_still_silences_the_term_entirely(checker):
    assert found(checker, "坚决打击赌博违法犯罪。") == []


def test_quotation_marks_around_a_term_are_no_disguise(checker):
    text = "警方发现犯罪分子在网上兜售所谓的“大麻”烟油，已锁定3名犯罪嫌疑人。"
    assert found(checker, text) == [(PROHIBITED_MENTION, "大麻”烟")]


def test_a_prohibition_earlier_in_the_clause_negates_a_selling_word(checker):
    assert found(checker, "《枪支管理法》明确规定：禁止制造、销售仿真枪。") == [(PROHIBITED_MENTION, "仿真枪")]
    assert found(checker, "禁止吸烟，本店销售仿真枪。") == [(PROHIBITED, "仿真枪")]


def test_an_ad_phrase_quoted_in_a_scam_warning_is_not_advertising(checker):
    text = "虚假购物诈骗：诈骗分子搭建仿冒电商网站，以低价商品、限时抢购等诱饵，诱骗消费者下单付款。"
    assert found(checker, text, "advertising") == []
    assert found(checker, "低价商品限时抢购，先到先得。", "advertising") == [("advertising", "限时抢购")]


@pytest.mark.parametrize("text", [
    "冰毒，反诈认证，联系13912345678。",  # a mobile number
    "冰毒 判处的都是外行 vx:abcd1234",  # a WeChat id
    "冰毒到，被骗包赔，qq:12345678",  # a QQ id
])
def test_a_contact_handle_keeps_an_offer_prohibited_beside_a_court_or_scam_word(checker, text):
    assert (PROHIBITED, "冰毒") in found(checker, text)


@pytest.mark.parametrize("text", [
    "冰毒马上当天到，找老王。",  # 上当 straddles 马上|当天
    "冰毒没收到的找老王补。",  # 没收到 is "not received"
])
def test_a_cue_word_inside_other_words_is_no_cue(checker, text):
    assert found(checker, text) == [(PROHIBITED, "冰毒")]


def test_a_cue_word_standing_as_a_word_still_makes_a_note(checker):
    assert found(checker, "依法没收冰毒5克，当事人当场认错。") == [(PROHIBITED_MENTION, "冰毒")]
    assert found(checker, "谨防上当，冰毒危害大。") == [(PROHIBITED_MENTION, "冰毒")]


def test_an_allow_phrase_that_lengthens_a_term_holds_without_a_lure(checker):
    assert found(checker, "推动存量资金盘活，提高财政资金使用效益。") == []
    assert found(checker, "2026年世界杯足球外围赛在我市举行。") == []


def test_an_allow_phrase_that_lengthens_a_term_does_not_hold_beside_a_lure(checker):
    assert found(checker, "资金盘活动火热，入金即返。") == [(PROHIBITED, "资金盘")]


def test_a_reporting_hotline_is_no_sellers_handle(checker):
    text = "发现贩卖冰毒线索，请拨打禁毒举报电话13800000000。"
    assert found(checker, text) == [(PROHIBITED_MENTION, "冰毒")]


@pytest.mark.parametrize("text", [
    "经查，犯罪嫌疑人张某通过快递向外地发货，贩卖冰毒20余克。",
    "民警捣毁一个贩毒窝点，现场查获冰毒，货源来自境外。",
    "被告人以每克400元的价格贩卖冰毒，被判处有期徒刑。",
])
def test_a_court_or_police_report_naming_stock_or_a_price_stays_a_note(checker, text):
    assert found(checker, text) == [(PROHIBITED_MENTION, "冰毒")]
