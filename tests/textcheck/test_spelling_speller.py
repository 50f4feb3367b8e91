"""The speller (govmedia.textcheck.spelling): typos that are on no list."""

import pytest

from govmedia.textcheck import Checker
from govmedia.textcheck.spelling import Speller


def _typos(text, **kwargs):
    return [(f.text, f.suggestion) for f in Checker(defaults=False, **kwargs).check(text) if f.category == "typo"]


@pytest.mark.parametrize(("text", "wrong", "right"), [
    ("我们要精减机构，提高效率。", "精减", "精简"),
    ("面对困难，他一愁莫展。", "一愁莫展", "一筹莫展"),
    ("领导亲自坐阵指挥。", "坐阵", "坐镇"),
    ("大家一股作气完成任务。", "一股作气", "一鼓作气"),
    ("各单位要认真组织，确保活动取得实孝。", "实孝", "实效"),
    ("为了放便群众办事，我们推出了网上预约。", "放便", "方便"),
])
def test_a_typo_on_no_list_is_found_with_its_correction(text, wrong, right):
    assert _typos(text) == [(wrong, right)]


@pytest.mark.parametrize(("text", "wrong", "right"), [
    ("我们要精减机构，提高效率。", "精减", "精简"),
    ("他性格急燥，容易发火。", "急燥", "急躁"),
    ("面对困难，他一愁莫展。", "一愁莫展", "一筹莫展"),
    ("领导亲自坐阵指挥。", "坐阵", "坐镇"),
    ("大家一股作气完成任务。", "一股作气", "一鼓作气"),
])
def test_with_the_shipped_lists_every_example_is_found_once(text, wrong, right):
    found = [(f.text, f.suggestion) for f in Checker().check(text) if f.category == "typo"]
    assert found == [(wrong, right)]


@pytest.mark.parametrize("text", [
    "水和食物是生活必需品。",
    "全省市场监管部门著力推进广告专项治理行动。",  # a variant spelling, not a slip
    "依托咪酯是一种白色粉末状物质。",  # a rare character is a term, not an input-method slip
    "我们要精简机构，提高效率。",
    "市长亲自坐镇指挥。",
    "面对困难，他一筹莫展。",
    "大家一鼓作气完成任务。",
    "我们必须坚持党的领导。",
])
def test_correct_sentences_with_the_confusable_words_are_not_flagged(text):
    assert _typos(text) == []


def test_a_finding_explains_the_confusion_the_evidence_and_the_confidence():
    [finding] = Checker(defaults=False).check("领导亲自坐阵指挥。")
    assert finding.category == "typo" and finding.source == "builtin:spelling"
    assert "同音" in finding.explanation and "置信度" in finding.explanation
    assert 0.5 <= finding.confidence < 1


def test_an_idiom_finding_says_the_evidence_is_the_idiom():
    [finding] = Checker(defaults=False).check("面对困难，他一愁莫展。")
    assert "成语" in finding.explanation


def test_offsets_point_into_the_original_even_in_traditional_characters():
    text = "據報道，領導親自坐陣指揮。"
    [finding] = Checker(defaults=False).check(text)
    assert text[finding.start:finding.end] == finding.text == "坐陣"
    assert finding.suggestion == "坐镇"


@pytest.mark.parametrize(("text", "wrong", "right"), [
    ("我很喜欢根他说话。", "根", "跟"),
    ("那我门是在破坏环境。", "门", "们"),
    ("可是因伪这是他第一次来。", "因伪", "因为"),
])
def test_a_common_character_in_place_of_another_is_caught_by_the_word_language_model(text, wrong, right):
    assert _typos(text) == [(wrong, right)]


@pytest.mark.parametrize("text", [
    "工作做得很扎实。",  # 得 after a verb, correct
    "远处的山峦细密地绾接着无边的田野。",  # adverbial 地, correct
    "各地在巩固外贸基本盘上下功夫。",
    "我跟他说话。",
])
def test_the_characters_of_common_pairs_written_right_are_not_flagged(text):
    assert _typos(text) == []


def test_a_real_word_for_another_is_flagged_only_with_a_wide_margin():
    # 必需 for 必须 is about 500 times less probable here: below what official prose needs (a known gap)
    assert _typos("我们必需坚持党的领导。") == []


def test_what_jieba_reads_as_a_person_name_is_not_flagged():
    assert _typos("（记者杨萍 刘芳莹报道）记者今天获悉。") == []


def test_names_passed_to_the_checker_are_never_flagged():
    text = "因伪下雨，为了放便群众，活动改期。"
    assert {wrong for wrong, _ in _typos(text)} == {"因伪", "放便"}
    assert _typos(text, names=["因伪", "放便群众"]) == []


def test_spelling_can_be_turned_off():
    assert _typos("领导亲自坐阵指挥。", spelling=False) == []


def test_a_typo_is_found_once_whatever_the_chunk_size():
    text = "领导亲自坐阵指挥。面对困难，他一愁莫展。" * 3
    whole = [(f.start, f.end, f.suggestion) for f in Checker(defaults=False).check(text)]
    assert len(whole) == 6
    for size in (5, 11, 17):
        assert [(f.start, f.end, f.suggestion) for f in Checker(defaults=False, chunk_size=size).check(text)] == whole


def test_numbers_and_latin_text_are_left_alone():
    assert _typos("2024年GDP增长5.2%，CPI上涨0.2%，PMI为50.1。") == []


def test_the_confidence_reaches_the_json_of_a_finding():
    [finding] = Checker(defaults=False).check("领导亲自坐阵指挥。")
    assert finding.to_dict()["confidence"] == finding.confidence


def test_a_finding_records_the_version_of_the_speller_and_the_checker_version_includes_it():
    [finding] = Checker(defaults=False).check("领导亲自坐阵指挥。")
    assert len(finding.lexicon_version) == 12
    assert Checker(defaults=False).version != Checker(defaults=False, spelling=False).version


def test_a_span_inside_a_shipped_place_name_is_recognised_as_a_place():
    assert Speller._in_place_name("我们到青岛市调研", 3, 5)
    assert not Speller._in_place_name("我们到会场调研", 3, 5)
