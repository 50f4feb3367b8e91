"""Built-in rules and how a finding's rule reads in Chinese."""

from govmedia.textcheck import Checker, Lexicon, check_text
from govmedia.textcheck.rules import describe_rule


def test_a_lexicon_rule_reads_as_the_lexicon_with_the_wrong_and_right_words():
    [finding] = check_text("我们要再接再励。")
    assert finding.rule == "lex:typo:再接再励"
    assert describe_rule(finding.rule, finding.category, finding.suggestion) == "错别字词库：再接再励→再接再厉"


def test_a_lexicon_rule_without_a_suggestion_names_the_listed_term():
    assert describe_rule("lex:secret_marking:绝密★", "secret_marking") == "涉密标识词库：绝密★"


def test_a_builtin_rule_reads_as_its_chinese_label():
    finding = next(f for f in check_text("全场五折优惠") if f.rule == "ad.discount")
    assert describe_rule(finding.rule, finding.category) == "商业广告规则：打折优惠"


def test_a_near_miss_of_a_canonical_phrase_names_the_correct_wording():
    checker = Checker(Lexicon.from_entries([("canonical", "两个维护")]))
    [finding] = checker.check("牢记两个唯护。")
    assert describe_rule(finding.rule, finding.category, finding.suggestion) == "规范表述近似错误：应为“两个维护”"


def test_an_unknown_rule_falls_back_to_its_category():
    assert describe_rule("retired.rule", "advertising") == "商业广告"
