import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia.textcheck import Checker, Lexicon, check_text
from govmedia.textcheck.checker import CONTEXT_CHARS, MAX_SPAN, QUOTE_REACH
from govmedia.textcheck.rules import RULES_VERSION

ROWS = [
    ("prohibited", "赌博"), ("prohibited", "大麻"), ("prohibited", "大麻烟"), ("prohibited", "代办证件"),
    ("prohibited", "枪支"), ("prohibited", "sex"), ("prohibited", "k粉"),
    ("allow", "打击赌博"), ("allow", "大麻哈鱼"), ("allow", "枪支管理"),
    ("typo", "按装", "安装"), ("typo", "再接再励", "再接再厉"), ("typo", "既使", "即使"),
    ("expression_error", "台湾总统", "台湾地区领导人"), ("expression_error", "香港回归", "香港回归祖国"),
    ("canonical", "中国特色社会主义"),
    ("advertising", "全场包邮"), ("secret_marking", "绝密文件"), ("personal_opinion", "恶心透了"),
    ("sensitive_topic", "地震"), ("sensitive_topic", "疫情"),
]


@pytest.fixture(scope="module")
def checker():
    return Checker(Lexicon.from_entries(ROWS, name="test.tsv"), defaults=False)


def found(checker, text):
    return [(f.category, f.text) for f in checker.check(text)]


def categories(checker, text):
    return {f.category for f in checker.check(text)}


# -- every category: true positives and true negatives ----------------------------------------------------

@pytest.mark.parametrize(("text", "category", "span"), [
    ("网上赌博害人", "prohibited", "赌博"),
    ("新款大麻烟到货", "prohibited", "大麻烟"),
    ("软件按装完成", "typo", "按装"),
    ("望大家在接再厉", "typo", "在接再厉"),
    ("会见台湾总统", "expression_error", "台湾总统"),
    ("庆祝香港回归", "expression_error", "香港回归"),
    ("全场包邮", "advertising", "全场包邮"),
    ("原价199元，现价99元", "advertising", "原价199元"),
    ("￥59.9 抢购", "advertising", "￥59.9"),
    ("全场5折起", "advertising", "5折"),
    ("限时优惠，买一送一", "advertising", "限时优惠"),
    ("详情加微信 abc_12345", "advertising", "加微信 abc_12345"),
    ("扫码购买", "advertising", "扫码购买"),
    ("厂家直销，订购电话 138-0013-8000", "advertising", "厂家直销，订购电话 138-0013-8000"),
    ("天猫旗舰店同步上新", "advertising", "天猫旗舰店"),
    ("链接 https://item.taobao.com/item.htm?id=1 速抢", "advertising", "https://item.taobao.com/item.htm?id=1"),
    ("秘密★1年", "secret_marking", "秘密★1年"),
    ("绝密 ★ 长期", "secret_marking", "绝密 ★ 长期"),
    ("内部资料 注意保存", "secret_marking", "内部资料 注意保存"),
    ("此件不得外传", "secret_marking", "不得外传"),
    ("这是内部文件", "secret_marking", "内部文件"),
    ("密级：机密", "secret_marking", "密级：机密"),
    ("我觉得这个政策不好", "personal_opinion", "我觉得"),
    ("简直太离谱了", "personal_opinion", "简直太"),
    ("真是恶心透了", "personal_opinion", "恶心透了"),
    ("竟然这样！！！", "personal_opinion", "！！！"),
    ("昨日发生地震", "sensitive_topic", "地震"),
    ("事故造成3人死亡", "sensitive_topic", "3人死亡"),
    ("致两名工人受伤", "sensitive_topic", "两名工人受伤"),
])
def test_each_category_reports_its_true_positives(checker, text, category, span):
    assert (category, span) in found(checker, text)


@pytest.mark.parametrize("text", [
    "区政府召开常务会议，研究部署安全生产工作。",
    "全区完成投资20亿元，同比增长8%。",
    "我们认为要持续推进改革。",  # collective, not personal
    "我市认真落实各项决策部署，工作不打折扣。",
    "请关注微信公众号获取办事指南，咨询电话 0532-12345678。",
    "保守国家秘密是每个公民的义务，国家秘密分为绝密级、机密级、秘密级。",
    "软件安装完成，望大家再接再厉，即使困难也要坚持中国特色社会主义。",
    "热烈庆祝香港回归祖国二十七周年。",
    "公安机关严厉打击赌博违法犯罪。",
    "本地特产大麻哈鱼上市。",
    "加强枪支管理。",
    "Essex is a county; the sextant is old.",
    "曲折前进，一波三折。",
    "市民可在云闪付APP领券，购车后在线核销。",
    "对成品油零售价格违法行为，群众可拨打价格举报电话0532-86981234进行举报。",
    "批发零售业增加值增长5%，咨询电话 0532-12345678。",
    "居民王女士说：“我觉得现在办事方便多了！！！”",
])
def test_ordinary_official_text_is_clean(checker, text):
    assert checker.check(text) == []


# -- evasion forms --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "span"), [
    ("网上赌-博", "赌-博"),
    ("出售大*麻", "大*麻"),
    ("代 办 证 件", "代 办 证 件"),
    ("赌\u200b博", "赌\u200b博"),
    ("賭博", "賭博"),
    ("ＳＥＸ", "ＳＥＸ"),
    ("SeX", "SeX"),
    ("Ｋ粉", "Ｋ粉"),
    ("代代办办证证件件", "代办办证证件"),
    ("赌🎲博", "赌🎲博"),
    ("枪　支", "枪　支"),
])
def test_disguised_prohibited_terms_are_still_found(checker, text, span):
    assert ("prohibited", span) in found(checker, text)


def test_noise_between_characters_does_not_hide_a_prohibited_term(checker):
    for sep in " -*_.·~|/+#@":
        assert ("prohibited", sep.join("代办证件")) in found(checker, "提供" + sep.join("代办证件") + "服务")


def test_circled_and_full_width_digits_are_read_as_digits(checker):
    text = "订购请联系①③⑧００１３８０００"
    assert ("advertising", "订购请联系①③⑧００１３８０００") in found(checker, text)


def test_too_much_noise_between_characters_breaks_a_match(checker):
    assert found(checker, "赌------博") == []


def test_a_line_break_ends_a_term(checker):
    assert found(checker, "豪赌\n博物馆") == []


def test_pinyin_of_prohibited_terms_is_matched_only_when_enabled():
    lex = Lexicon.from_entries([("prohibited", "赌博"), ("prohibited", "代办证件")])
    plain = Checker(lex, defaults=False)
    with_pinyin = Checker(lex, defaults=False, pinyin=True)
    text = "在线 DuBo 平台，dbzj 加急"
    assert plain.check(text) == []
    assert [(f.text, f.rule) for f in with_pinyin.check(text)] == [
        ("DuBo", "pinyin:赌博"), ("dbzj", "pinyin:代办证件")]
    assert with_pinyin.check("dubois") == []
    assert with_pinyin.version != plain.version


def test_opinions_outside_quotation_marks_are_still_reported(checker):
    assert found(checker, "“办事方便了。”我觉得还不够") == [("personal_opinion", "我觉得")]
    assert found(checker, "“我觉得\n还不够") == [("personal_opinion", "我觉得")]


def test_latin_terms_need_word_boundaries_but_may_be_spaced_out(checker):
    assert found(checker, "Essex") == []
    assert found(checker, "s e x") == [("prohibited", "s e x")]
    assert found(checker, "色情sex网站") == [("prohibited", "sex")]


# -- whitelists -----------------------------------------------------------------------------------------

def test_an_allow_phrase_suppresses_findings_inside_it(checker):
    assert found(checker, "警方打击赌博") == []
    assert found(checker, "警方打击赌博。有人赌博") == [("prohibited", "赌博")]


def test_an_allow_phrase_matches_through_the_same_normalization(checker):
    assert found(checker, "警方打擊 賭博") == []


def test_a_word_that_merely_contains_a_term_is_not_flagged_when_whitelisted(checker):
    assert found(checker, "大麻哈鱼") == []


def test_a_wrong_form_inside_its_own_right_form_is_not_flagged(checker):
    assert found(checker, "香港回归祖国") == []


def test_a_listed_term_inside_an_exact_canonical_phrase_is_not_flagged():
    lex = Lexicon.from_entries([("typo", "社会主", "社会主义"), ("canonical", "中国特色社会主义")])
    assert Checker(lex, defaults=False).check("中国特色社会主义") == []


def test_nested_findings_of_one_category_are_reported_once_as_the_longest(checker):
    assert found(checker, "大麻烟") == [("prohibited", "大麻烟")]


# -- finding fields ---------------------------------------------------------------------------------------

def test_a_finding_carries_category_severity_offsets_rule_source_version_and_explanation(checker):
    text = "第一行\n软件按装"
    (f,) = checker.check(text)
    assert (f.category, f.severity, f.start, f.end, f.text) == ("typo", "medium", 6, 8, "按装")
    assert text[f.start:f.end] == f.text
    assert (f.suggestion, f.rule, f.source) == ("安装", "lex:typo:按装", "test.tsv")
    assert f.lexicon_version == checker.versions["test.tsv"] and len(f.lexicon_version) == 12
    assert f.explanation == "疑似错别字，建议改为“安装”"
    assert (f.line, f.column) == (2, 3)
    assert set(f.to_dict()) == {"category", "severity", "start", "end", "text", "suggestion", "rule",
                                "source", "lexicon_version", "explanation", "line", "column", "confidence"}


def test_pattern_rules_record_the_builtin_source_and_rules_version(checker):
    (f,) = checker.check("秘密★1年")
    assert (f.source, f.lexicon_version, f.rule) == ("builtin", RULES_VERSION, "secret.star")


@pytest.mark.parametrize(("category", "severity"), [
    ("prohibited", "high"), ("secret_marking", "high"), ("expression_error", "high"),
    ("advertising", "medium"), ("typo", "medium"), ("personal_opinion", "low"), ("sensitive_topic", "info")])
def test_severity_follows_the_category(checker, category, severity):
    samples = {"prohibited": "赌博", "secret_marking": "内部文件", "expression_error": "台湾总统",
               "advertising": "全场包邮", "typo": "按装", "personal_opinion": "我觉得", "sensitive_topic": "地震"}
    (f,) = checker.check(samples[category])
    assert (f.category, f.severity) == (category, severity)


def test_findings_are_sorted_by_position(checker):
    starts = [f.start for f in checker.check("地震后赌博，按装，我觉得，秘密★1年，赌博")]
    assert starts == sorted(starts) and len(starts) == 6


def test_the_checker_version_changes_with_the_lexicons():
    a = Checker(Lexicon.from_entries([("prohibited", "赌博")]), defaults=False)
    b = Checker(Lexicon.from_entries([("prohibited", "大麻")]), defaults=False)
    assert a.version != b.version


def test_the_pattern_rules_work_without_any_lexicon():
    assert {f.category for f in Checker(defaults=False).check("秘密★1年，加微信abc12345，我觉得")} == {
        "secret_marking", "advertising", "personal_opinion"}


def test_check_text_uses_the_shipped_lexicons_plus_given_ones():
    findings = check_text("出售大麻", Lexicon.from_entries([("prohibited", "出售大麻")]))
    assert ("prohibited", "出售大麻") in [(f.category, f.text) for f in findings]
    assert check_text("") == []


def test_lexicon_files_can_be_given_by_path(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("prohibited\t暗号甲\n", encoding="utf-8")
    (f,) = Checker([str(path)], defaults=False).check("暗号甲")
    assert f.source == str(path)


# -- offsets, chunks and streaming -------------------------------------------------------------------------

evasive_text = st.lists(st.sampled_from(
    ["赌博", "赌-博", "大*麻", "代 办 证 件", "代代办办证证件件", "賭博", "ＳＥＸ", "按装", "在接再厉", "中国特色社会住义",
     "打击赌博", "秘密★1年", "加微信abc12345", "我觉得", "！！！", "地震", "\n", "，", "。", " ", "的", "人民", "🎲",
     "ａ", "①", "x"]), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(evasive_text)
def test_every_finding_text_is_the_original_slice(text):
    for f in CHECKER.check(text):
        assert text[f.start:f.end] == f.text
        assert 0 <= f.start < f.end <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_unicode_never_breaks_the_offsets(text):
    for f in CHECKER.check(text):
        assert text[f.start:f.end] == f.text


@settings(max_examples=60, deadline=None)
@given(evasive_text, st.integers(min_value=1, max_value=7))
def test_small_chunks_give_the_same_findings_as_one_chunk(text, chunk):
    small = Checker(LEXICON, defaults=False, chunk_size=chunk)
    assert small.check(text) == CHECKER.check(text)


long_text = st.lists(st.one_of(evasive_text, st.sampled_from(["平" * 700, "安 " * 400, "“" + "说" * 200])),
                     min_size=3, max_size=12).map("".join)


@settings(max_examples=25, deadline=None)
@given(long_text, st.integers(min_value=40, max_value=3000))
def test_chunks_smaller_than_the_context_give_the_same_findings(text, chunk):
    small = Checker(LEXICON, defaults=False, chunk_size=chunk)
    assert small.check(text) == CHECKER.check(text)


def test_terms_across_chunk_borders_are_found_once_with_correct_offsets():
    unit = "一二三四五六七赌-博八九十"
    text = unit * 500
    expected = [(f.start, f.end) for f in CHECKER.check(text)]
    assert len(expected) == 500
    for chunk in (1, 7, 100, 997, 4096):
        findings = Checker(LEXICON, defaults=False, chunk_size=chunk).check(text)
        assert [(f.start, f.end) for f in findings] == expected
        assert all(f.text == "赌-博" for f in findings)


def test_line_and_column_are_right_across_chunks():
    text = ("甲" * 50 + "\n") * 40 + "乙乙赌博"
    (f,) = Checker(LEXICON, defaults=False, chunk_size=64).check(text)
    assert (f.line, f.column) == (41, 3)


def test_iter_check_accepts_pieces_of_any_size():
    text = ("平安" * 300 + "赌 博，按装。\n") * 30
    pieces = [text[i:i + 5] for i in range(0, len(text), 5)]
    assert list(CHECKER.iter_check(pieces)) == CHECKER.check(text)


def test_check_stream_reads_a_file_object(tmp_path):
    text = ("内容" * 2000 + "大*麻\n") * 5
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    with open(path, encoding="utf-8") as handle:
        streamed = list(Checker(LEXICON, defaults=False, chunk_size=1000).check_stream(handle))
    assert streamed == CHECKER.check(text)
    assert list(CHECKER.check_stream(iter(text.splitlines(keepends=True)))) == CHECKER.check(text)


def test_lone_surrogates_do_not_break_the_scan():
    text = "赌\ud800博，\udfff赌博"
    assert [(f.start, f.text) for f in CHECKER.check(text)] == [(5, "赌博")]


def test_the_context_around_a_chunk_covers_any_finding():
    assert CONTEXT_CHARS >= 2 * MAX_SPAN + QUOTE_REACH


def test_the_package_imports_and_runs_without_django():
    code = ("import sys; import govmedia.textcheck as t; "
            "assert t.Checker(defaults=False).check('秘密★1年'); "
            "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


LEXICON = Lexicon.from_entries(ROWS, name="test.tsv")
CHECKER = Checker(LEXICON, defaults=False)


def test_list_items_separated_by_a_dunhao_do_not_merge_into_a_term():
    assert Checker().check("云南、新疆、独龙江流域的少数民族群众") == []


def test_an_official_saying_no_discount_is_not_advertising():
    assert [f for f in Checker().check("确保政策落实不能打折、不走样。") if f.category == "advertising"] == []


def test_a_secret_kept_for_long_is_not_a_classification_marking():
    assert Checker().check("他守着这个秘密长期未对外透露。") == []


def test_hong_kong_variant_characters_fold_to_simplified():
    assert Checker().check("靈山衞街道") == []


def test_a_quoted_part_of_a_canonical_phrase_is_not_an_error():
    assert Checker().check("全区党员干部要增强“四个意识”、坚定“四个自信”、做到“两个维护”。") == []


def test_a_misspelled_quoted_formulation_is_still_caught():
    [finding] = Checker().check("深化“放管复”改革")
    assert finding.category == "expression_error" and finding.suggestion == "放管服改革"
    assert finding.text == "放管复”改革"
