from contextlib import contextmanager
from pathlib import Path

import pytest

from govmedia.textcheck import Checker, Lexicon, nearmiss
from govmedia.textcheck.nearmiss import (
    EXTRA,
    MISSING,
    SUBSTITUTED,
    SWAP,
    TWO_SUBSTITUTED,
    confusable,
    describe,
    homophones,
    one_edit,
    two_substitutions,
)

PHRASES = ("中国特色社会主义", "两个维护", "社会主义核心价值观", "四个自信")


@pytest.fixture(scope="module")
def checker():
    return Checker(Lexicon.from_entries([("canonical", p) for p in PHRASES] + [("canonical", "新时代")]),
                   defaults=False)


def near_misses(checker, text):
    return [(f.text, f.suggestion) for f in checker.check(text) if f.rule.startswith("canonical:")]


@pytest.mark.parametrize(("window", "expected"), [
    ("两个维护", None),
    ("两个唯护", (SUBSTITUTED, 2)),
    ("两维护", (MISSING, 1)),
    ("两个个维护", (EXTRA, 2)),
    ("两维个护", (SWAP, 1)),
    ("个两维护", (SWAP, 0)),
    ("两人唯护", None),
    ("两个维护好", (EXTRA, 4)),
    ("维护两个", None),
])
def test_one_edit_classifies_a_single_damerau_edit(window, expected):
    assert one_edit(window, "两个维护") == expected


def test_the_exact_canonical_phrase_is_never_flagged(checker):
    assert near_misses(checker, "坚持中国特色社会主义，做到两个维护，坚定四个自信。") == []
    assert near_misses(checker, "中国特色社会主义") == []


@pytest.mark.parametrize(("text", "wrong"), [
    ("坚持中国特色社会住义道路", "中国特色社会住义"),  # homophone
    ("坚持中国特色杜会主义道路", "中国特色杜会主义"),  # similar shape
    ("坚持中国特色社会x义道路", "中国特色社会x义"),  # any character
    ("坚持中国特色会主义道路", "中国特色会主义"),  # one missing
    ("坚持中国特色社社会主义道路", "中国特色社社会主义"),  # one extra
    ("坚持中国特社色会主义道路", "中国特社色会主义"),  # two swapped
    ("坚持中国色特社会主义道路", "中国色特社会主义"),  # swapped across the middle of a phrase
    ("做到两人维护", "两人维护"),
    ("做到两维护", "两维护"),
])
def test_near_misses_of_canonical_phrases_are_expression_errors(checker, text, wrong):
    found = checker.check(text)
    assert [(f.category, f.text, f.suggestion) for f in found] == [("expression_error", wrong, PHRASES[0]
                                                                    if "中国" in wrong else "两个维护")]
    assert found[0].severity == "high"
    assert "应为“" in found[0].explanation


def test_a_near_miss_survives_noise_and_traditional_characters(checker):
    assert near_misses(checker, "堅持中國特色 社會-住義") == [("中國特色 社會-住義", "中国特色社会主义")]


def test_the_exact_phrase_followed_or_preceded_by_anything_is_not_a_near_miss(checker):
    assert near_misses(checker, "两个维护好，维护两个维护者") == []
    assert near_misses(checker, "中国特色社会主义者，中国特色社会主") == []


def test_a_replaced_first_or_last_character_counts_only_when_it_sounds_the_same(checker):
    assert near_misses(checker, "践行社会主义核心价值关") == [("社会主义核心价值关", "社会主义核心价值观")]
    assert near_misses(checker, "社会主义核心价值体系") == []


def test_a_candidate_overlapping_another_exact_canonical_phrase_is_not_flagged():
    checker = Checker(Lexicon.from_entries([("canonical", "全面深化改革"), ("canonical", "全面深化改革开放")]),
                      defaults=False)
    assert checker.check("推进全面深化改革开放") == []


def test_short_canonical_phrases_are_not_used_for_near_misses(checker):
    assert near_misses(checker, "进入新时伐") == []


def test_describe_says_what_is_wrong_in_chinese():
    assert describe(SUBSTITUTED, 2, "两个唯护", "两个维护") == "错字：“唯”应为“维”"
    assert describe(MISSING, 1, "两维护", "两个维护") == "漏字：缺“个”"
    assert describe(EXTRA, 2, "两个个维护", "两个维护") == "多字：多“个”"
    assert describe(SWAP, 1, "两维个护", "两个维护") == "字序颠倒：“维个”应为“个维”"
    assert describe(TWO_SUBSTITUTED, 2, "社会注意思想", "社会主义思想") == "错字：“注”应为“主”，“意”应为“义”"


def test_homophones_compare_readings_without_tones():
    assert homophones("观", "关")
    assert not homophones("观", "体")
    assert not homophones("a", "a")


def test_near_misses_at_the_very_start_and_end_of_a_text_are_found(checker):
    assert near_misses(checker, "两维护") == [("两维护", "两个维护")]
    assert near_misses(checker, "四个自心") == [("四个自心", "四个自信")]


# -- two replaced characters, a replaced last character, correct continuations ------------------------------

LONG = ("习近平新时代中国特色社会主义思想", "社会主义核心价值观", "中国特色社会主义道路", "全面建成小康社会",
        "坚持和发展中国特色社会主义")
VOCABULARY = frozenset({"注意", "思潮", "道德", "观念", "社区", "价值", "完善", "现在", "制度"})


@contextmanager
def vocabulary(words):
    """The near-miss vocabulary replaced for one test (the default depends on what is installed)."""
    nearmiss.set_vocabulary(words)
    try:
        yield
    finally:
        nearmiss.set_vocabulary(None)


def long_checker(*extra):
    return Checker(Lexicon.from_entries([("canonical", p) for p in (*LONG, *extra)]), defaults=False)


def test_two_changed_characters_in_a_long_formulation_are_caught():
    with vocabulary(VOCABULARY):
        found = long_checker().check("深入学习习近平新时代中国特色社会注意思想。")
    assert [(f.text, f.suggestion, f.category) for f in found] == [
        ("习近平新时代中国特色社会注意思想", "习近平新时代中国特色社会主义思想", "expression_error")]
    assert "错字：“注”应为“主”，“意”应为“义”" in found[0].explanation


def test_two_changed_characters_far_apart_are_caught():
    with vocabulary(VOCABULARY):
        assert near_misses(long_checker(), "学习习近平新时代中国特色社会主意思相") == [
            ("习近平新时代中国特色社会主意思相", "习近平新时代中国特色社会主义思想")]


def test_two_changes_keep_offsets_into_the_original_text():
    text = "学习習近平新時代 中國特色社會注意思想！"
    with vocabulary(VOCABULARY):
        found = long_checker().check(text)
    assert [text[f.start:f.end] for f in found] == ["習近平新時代 中國特色社會注意思想"]


def test_changed_last_character_that_is_not_a_homophone_is_caught():
    with vocabulary(VOCABULARY):
        found = long_checker().check("积极践行社会主义核心价值现，")
    assert [(f.text, f.suggestion) for f in found] == [("社会主义核心价值现", "社会主义核心价值观")]
    assert "错字：“现”应为“观”" in found[0].explanation


def test_a_homophone_last_character_is_caught_as_before():
    with vocabulary(VOCABULARY):
        assert near_misses(long_checker(), "全面建成小康社汇") == [("全面建成小康社汇", "全面建成小康社会")]


@pytest.mark.parametrize("text", [
    "坚持中国特色社会主义道德建设",  # 道德: another word
    "研究习近平新时代中国特色社会主义思潮",  # 思潮
    "树立社会主义核心价值观念",  # an extra character after the exact phrase
    "全面建成小康社区",  # 社区
    "社会主义核心价值现在",  # the replaced character begins a word with what follows
])
def test_legitimate_phrase_sharing_a_prefix_is_not_flagged(text):
    with vocabulary(VOCABULARY):
        assert near_misses(long_checker(), text) == []


def test_a_near_miss_that_begins_another_canonical_phrase_is_not_flagged():
    with vocabulary(frozenset()):  # not even the vocabulary is needed: the other phrase is known
        checker = long_checker("中国特色社会主义制度")
        assert near_misses(checker, "坚持中国特色社会主义制") == []


def test_two_changes_in_a_short_phrase_are_not_reported():
    checker = Checker(Lexicon.from_entries([("canonical", "全过程人民民主")]), defaults=False)  # 7 characters
    with vocabulary(VOCABULARY):
        assert near_misses(checker, "发展全过成人明民主") == []
        assert near_misses(checker, "发展全过程人明民主") == [("全过程人明民主", "全过程人民民主")]


def test_two_changes_that_do_not_sound_alike_are_not_reported():
    with vocabulary(VOCABULARY):
        assert near_misses(long_checker(), "坚持和完善中国特色社会主义") == []


def test_three_changes_are_not_reported():
    with vocabulary(VOCABULARY):
        assert near_misses(long_checker(), "习近平新时代中国特涩社会注意思想") == []


def test_without_a_vocabulary_only_a_homophone_last_character_is_reported():
    with vocabulary(frozenset()):
        assert near_misses(long_checker(), "践行社会主义核心价值现") == []
        assert near_misses(long_checker(), "践行社会主义核心价值关") == [("社会主义核心价值关", "社会主义核心价值观")]


def test_a_changed_last_character_of_a_short_phrase_must_still_sound_the_same():
    with vocabulary(VOCABULARY):
        assert near_misses(long_checker("两个维护"), "做到两个维修") == []


def test_a_registered_confusion_admits_two_changes_that_look_alike():
    def shape(a, b):
        return {a, b} == {"色", "免"}

    with vocabulary(VOCABULARY):
        assert near_misses(long_checker(), "习近平新时代中国特免社会注义思想") == []
        nearmiss.add_confusion(shape)
        try:
            assert near_misses(long_checker(), "习近平新时代中国特免社会注义思想") == [
                ("习近平新时代中国特免社会注义思想", "习近平新时代中国特色社会主义思想")]
        finally:
            nearmiss._confusions.remove(shape)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("主", "注", True),  # same reading
    ("是", "四", True),  # sh/s
    ("能", "楞", True),  # n/l and -eng/-en
    ("程", "成", True),  # same reading
    ("发", "完", False),
    ("a", "b", False),
])
def test_confusable_compares_readings_with_the_usual_fuzzy_merges(a, b, expected):
    assert confusable(a, b) is expected


def test_two_substitutions_finds_exactly_two_differences():
    assert two_substitutions("社会注意思想", "社会主义思想") == (2, 3)
    assert two_substitutions("社会主意思想", "社会主义思想") is None
    assert two_substitutions("杜会注意思想", "社会主义思想") is None


def test_the_default_vocabulary_is_the_segmenters_dictionary():
    nearmiss.set_vocabulary(None)
    words = nearmiss.vocabulary()
    assert "道德" in words and "思潮" in words and "值现" not in words and 3 not in words


def test_a_real_official_document_gains_no_near_miss_findings():
    text = (Path(__file__).parent / "data" / "official" / "xihaian_newmedia_measures_2020.txt").read_text()
    found = Checker().check(text)
    assert [f.text for f in found if f.category == "expression_error" or f.rule.startswith("canonical:")] == []


def test_a_slip_outside_a_nested_canonical_phrase_is_still_caught():
    checker = long_checker("新时代中国特色社会主义思想")
    with vocabulary(VOCABULARY):
        assert near_misses(checker, "学习习近新时代中国特色社会主义思想") == [
            ("习近新时代中国特色社会主义思想", "习近平新时代中国特色社会主义思想")]
        assert near_misses(checker, "学习新时代中国特色社会主义思想，学习习近平新时代中国特色社会主义思想") == []
        assert near_misses(checker, "学习新时代中国特色社会注意思想") == [
            ("新时代中国特色社会注意思想", "新时代中国特色社会主义思想")]


def test_a_homophone_last_character_is_caught_even_when_it_makes_a_word():
    checker = Checker(Lexicon.from_entries([("canonical", "道路自信、理论自信、制度自信、文化自信")]), defaults=False)
    with vocabulary(VOCABULARY | {"自新"}):
        assert near_misses(checker, "坚定道路自信、理论自信、制度自信、文化自新") == [
            ("道路自信、理论自信、制度自信、文化自新", "道路自信、理论自信、制度自信、文化自信")]


# -- an extra character that names something longer -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "根据国家烟草专卖局、国家市场监督管理总局规定，电子烟不得通过互联网售卖。",
    "国家市场监督管理总局发布通知",
    "国家税务总局青岛市税务局和青岛海关总署驻地机构联合发布公告",
])
def test_an_inserted_character_that_makes_a_longer_official_name_is_not_flagged(text):
    assert [f.text for f in Checker().check(text) if f.rule.startswith("canonical:")] == []


def test_an_extra_character_forming_a_word_with_its_neighbour_is_a_longer_name_not_a_slip():
    checker = Checker(Lexicon.from_entries([("canonical", "市场监督管理局"), ("canonical", "国家税务局"),
                                            ("canonical", "海关缉私局")]), defaults=False)
    with vocabulary(frozenset({"总局", "总署"})):
        assert near_misses(checker, "国家市场监督管理总局、国家税务总局和海关缉私总局") == []
        # A real one-character slip and a doubled character are still caught.
        assert near_misses(checker, "青岛市市场监督管里局") == [("市场监督管里局", "市场监督管理局")]
        assert near_misses(checker, "国家税税务局") == [("国家税税务局", "国家税务局")]
        assert near_misses(checker, "市场监督管理的局") == [("市场监督管理的局", "市场监督管理局")]


def test_without_a_vocabulary_every_extra_character_inside_the_phrase_is_reported():
    checker = Checker(Lexicon.from_entries([("canonical", "市场监督管理局")]), defaults=False)
    with vocabulary(frozenset()):
        assert near_misses(checker, "国家市场监督管理总局") == [("市场监督管理总局", "市场监督管理局")]
