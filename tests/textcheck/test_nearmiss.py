import pytest

from govmedia.textcheck import Checker, Lexicon
from govmedia.textcheck.nearmiss import EXTRA, MISSING, SUBSTITUTED, SWAP, describe, homophones, one_edit

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


def test_homophones_compare_readings_without_tones():
    assert homophones("观", "关")
    assert not homophones("观", "体")
    assert not homophones("a", "a")


def test_near_misses_at_the_very_start_and_end_of_a_text_are_found(checker):
    assert near_misses(checker, "两维护") == [("两维护", "两个维护")]
    assert near_misses(checker, "四个自心") == [("四个自心", "四个自信")]
