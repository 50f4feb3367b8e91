from govmedia.textcheck.lexicon import Lexicon
from govmedia.textcheck.matcher import (
    ALLOW_PHRASE,
    CANON,
    CONTEXT,
    DOUBLE,
    HALF_LEFT,
    HALF_RIGHT,
    PART,
    SWAPPED,
    TERM,
    TRIGGER,
    Matcher,
)
from govmedia.textcheck.normalize import Compact, fold
from govmedia.textcheck.rules import RULES


def matcher(*rows, pinyin=False, rules=()):
    return Matcher(Lexicon.from_entries(rows), rules, pinyin=pinyin)


def kinds(m, pattern):
    return sorted(a[0] for a in m.actions[m.patterns.index(pattern)])


def terms_found(m, text):
    ctext = Compact(fold(text)).text
    return sorted({m.patterns[pid] for pid, _, _ in m.scan(ctext) if TERM in kinds(m, m.patterns[pid])})


def test_terms_are_compiled_in_normalized_form():
    m = matcher(("prohibited", "賭 博"), ("advertising", "ＶＸ"))
    assert "赌博" in m.patterns and "vx" in m.patterns


def test_every_pattern_is_unique_and_carries_all_its_meanings():
    m = matcher(("prohibited", "赌博"), ("sensitive_topic", "赌博"), ("allow", "赌博"))
    assert m.patterns.count("赌博") == 1
    assert kinds(m, "赌博") == [TERM, TERM, ALLOW_PHRASE]


def test_the_same_entry_in_two_lexicons_is_compiled_once():
    a = Lexicon.from_entries([("prohibited", "赌博")], name="a")
    b = Lexicon.from_entries([("prohibited", "赌博")], name="b")
    m = Matcher([*a, *b])
    assert kinds(m, "赌博") == [TERM]


def test_one_overlapping_scan_finds_nested_terms():
    m = matcher(("prohibited", "大麻"), ("prohibited", "大麻烟"), ("allow", "麻烟"))
    hits = {(m.patterns[p], s, e) for p, s, e in m.scan("买大麻烟")}
    assert hits == {("大麻", 1, 3), ("大麻烟", 1, 4), ("麻烟", 2, 4)}


def test_a_canonical_phrase_contributes_itself_its_halves_and_its_middle_swap():
    m = matcher(("canonical", "两个维护"))
    assert kinds(m, "两个维护") == [CANON]
    assert kinds(m, "两个") == [HALF_LEFT]
    assert kinds(m, "维护") == [HALF_RIGHT]
    assert kinds(m, "两维个护") == [SWAPPED]


def test_a_short_canonical_phrase_gets_no_near_miss_patterns():
    m = matcher(("canonical", "新时代"))
    assert m.patterns == ["新时代"]


def test_a_wrong_form_inside_its_right_form_registers_the_right_form_as_context():
    m = matcher(("expression_error", "香港回归", "香港回归祖国"))
    assert kinds(m, "香港回归祖国") == [CONTEXT]


def test_interior_characters_of_evasive_terms_get_doubled_patterns():
    m = matcher(("prohibited", "代办证件"), ("typo", "再接再励", "再接再厉"))
    assert kinds(m, "办办") == [DOUBLE] and kinds(m, "证证") == [DOUBLE]
    assert "代代" not in m.patterns and "接接" not in m.patterns  # ends and honest mistakes: not needed
    assert m.trigrams == {"代办证", "办证件"}


def test_collapsing_repeated_characters_finds_hidden_terms():
    m = matcher(("prohibited", "代办证件"))
    text = "可以代代办办证证件件哦"
    doubles = [s for p, s, _ in m.scan(text) if kinds(m, m.patterns[p]) == [DOUBLE]]
    hits = m.expand_doubles(text, doubles)
    assert [(m.patterns[p], text[s:e]) for p, s, e in hits] == [("代办证件", "代办办证证件")]


def test_ordinary_reduplication_costs_no_rescan():
    m = matcher(("prohibited", "代办证件"))
    text = "层层落实，常常办办事"
    doubles = [s for p, s, _ in m.scan(text) if kinds(m, m.patterns[p]) == [DOUBLE]]
    assert doubles and m.expand_doubles(text, doubles) == []


def test_confusion_variants_of_listed_idioms_are_typos():
    m = matcher(("typo", "再接再励", "再接再厉"))
    assert "在接再厉" in m.patterns  # 再/在 is a built-in confusion pair
    target = m.actions[m.patterns.index("在接再厉")][0][1]
    assert (target.category, target.suggestion, target.rule) == ("typo", "再接再厉", "confusion:在接再厉")


def test_confusion_variants_skip_short_words_and_known_words():
    m = matcher(("typo", "帐户", "账户"), ("typo", "再接再励", "再接再厉"), ("allow", "再接在厉"))
    assert "账户" not in m.patterns and "帐户" in m.patterns  # 2 characters: no variants generated
    assert kinds(m, "再接在厉") == [ALLOW_PHRASE]


def test_a_confusion_learned_from_the_typo_list_needs_two_examples():
    once = matcher(("typo", "按装", "安装"), ("typo", "安居乐叶", "安居乐业"))
    assert "按居乐业" not in once.patterns
    twice = matcher(("typo", "按装", "安装"), ("typo", "按放", "安放"), ("typo", "安居乐叶", "安居乐业"))
    assert "按居乐业" in twice.patterns


def test_pinyin_forms_are_added_for_prohibited_terms_only_when_asked():
    assert "dubo" not in matcher(("prohibited", "赌博")).patterns
    m = matcher(("prohibited", "赌博"), ("prohibited", "代办证件"), ("typo", "按装", "安装"), pinyin=True)
    assert {"dubo", "daibanzhengjian", "dbzj"} <= set(m.patterns)
    assert "anzhuang" not in m.patterns


def test_rule_triggers_share_the_automaton():
    m = matcher(("prohibited", "赌博"), rules=RULES)
    assert TRIGGER in kinds(m, "加微信")


def test_terms_inside_other_words_are_found_by_the_scan_and_left_to_the_whitelist():
    m = matcher(("prohibited", "大麻"))
    assert terms_found(m, "大麻哈鱼") == ["大麻"]


def test_an_empty_lexicon_compiles_and_scans():
    m = Matcher([])
    assert m.scan("任何文本") == []


def test_a_long_canonical_phrase_also_contributes_its_thirds_with_their_offsets():
    m = matcher(("canonical", "中国特色社会主义道路"), ("canonical", "全面建成小康社会"))
    assert [a for a in m.actions[m.patterns.index("中国特色")] if a[0] == PART] == [(PART, (0, 0))]
    assert (PART, (0, 4)) in m.actions[m.patterns.index("社会主")]
    assert (PART, (0, 7)) in m.actions[m.patterns.index("义道路")]
    # the shorter part goes in the middle, where it starts inside a word
    assert [m.patterns[i] for i, acts in enumerate(m.actions) if (PART, (1, 3)) in acts] == ["成小"]


def test_a_canonical_phrase_shorter_than_eight_characters_gets_no_thirds():
    m = matcher(("canonical", "全过程人民民主"))
    assert all(a[0] != PART for actions in m.actions for a in actions)


def test_the_beginnings_of_canonical_phrases_are_kept_for_the_near_miss_check():
    m = matcher(("canonical", "中国特色社会主义制度"))
    assert "中国特色社会主义制" in m.canonical_prefixes and "中国特色" in m.canonical_prefixes
    assert "中国特" not in m.canonical_prefixes  # too short to stand for a formulation
